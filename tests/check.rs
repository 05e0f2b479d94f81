//! `rctl check` diagnoses the host as the unprivileged user.

mod common;

use common::{TestEnv, stderr, stdout};

fn finding<'a>(v: &'a serde_json::Value, check: &str) -> &'a serde_json::Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no finding `{check}` in {v}"))
}

#[test]
fn a_prepared_host_passes_every_required_check() {
    let Some(t) = TestEnv::new("check_ok") else {
        return;
    };
    let out = t.rctl(&["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for check in [
        "subuid",
        "subgid",
        "newuidmap",
        "newgidmap",
        "user namespaces",
        "XDG_RUNTIME_DIR",
        "kernel overlay",
        "/dev/net/tun",
        "/dev/fuse",
        "pasta",
    ] {
        assert_eq!(
            finding(&v, check)["status"],
            "ok",
            "{check}: {}",
            finding(&v, check)
        );
    }
    // Every finding that is not ok carries a fix.
    for f in v.as_array().unwrap() {
        if f["status"] != "ok" {
            assert!(f["fix"].is_string(), "{f}");
        }
    }
}

#[test]
fn a_broken_subuid_file_fails_with_its_fix() {
    let Some(mut t) = TestEnv::new("check_broken") else {
        return;
    };
    let file = t.write_file("etc/subuid", "garbage line\n");
    t.extra_env
        .push(("RCTL_SUBUID_FILE".into(), file.display().to_string()));
    let out = t.rctl(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = text.lines().find(|l| l.contains("subuid")).unwrap();
    assert!(
        line.starts_with("FAIL") && line.contains("line 1"),
        "{text}"
    );
    assert!(text.contains("fix: fix that line"), "{text}");
    assert!(stderr(&out).contains("failed"));
    assert!(!t.runroot().exists(), "check changed nothing");
}

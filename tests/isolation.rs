//! Two unprivileged users on one host (`rctl-test` and `rctl-test2` from
//! `contrib/setup-host.sh`): both run containers at once without
//! interfering, and neither can list, inspect, exec into, signal, read the
//! logs of, or read the storage of the other's containers — not even by
//! pointing `--root`/`--runroot` at the other's directories.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn two_users_cannot_see_or_touch_each_others_containers() {
    let Some(a) = TestEnv::new("iso_a") else {
        return;
    };
    let Some(b) = TestEnv::new_as("iso_b", "rctl-test2") else {
        return;
    };
    if a.user.uid == b.user.uid {
        common::missing("the two test users are the same user");
        return;
    }
    // Open the test directories up to the rctl directories themselves, so
    // that what protects the stores is rctl's own 0700, not the test rig.
    a.import_busybox("localhost/bb", &[]);
    for d in [
        a.dir.clone(),
        a.home.clone(),
        a.home.join(".local"),
        a.home.join(".local/share"),
        a.runtime_dir.clone(),
    ] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    b.import_busybox("localhost/bb", &[]);
    // The same name for both: each user has their own namespace of names.
    let script = "echo secret-of-$0 > /root/note; echo started; exec sleep 1000";
    let id_a = a
        .ok(&[
            "run",
            "-d",
            "--name",
            "web",
            "localhost/bb",
            "sh",
            "-c",
            script,
            "a",
        ])
        .trim()
        .to_string();
    let id_b = b
        .ok(&[
            "run",
            "-d",
            "--name",
            "web",
            "localhost/bb",
            "sh",
            "-c",
            script,
            "b",
        ])
        .trim()
        .to_string();
    assert_ne!(id_a, id_b);
    for (t, me) in [(&a, "a"), (&b, "b")] {
        let out = t.ok(&["exec", "web", "cat", "/root/note"]);
        assert_eq!(out, format!("secret-of-{me}\n"));
        assert_eq!(
            t.ok(&["ps", "-q", "--no-trunc"]).trim(),
            if me == "a" { &id_a } else { &id_b }
        );
    }
    for d in [a.data_root(), a.runroot()] {
        let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", d.display());
    }

    // b cannot reach a's container by ID, whatever the command.
    for args in [
        vec!["inspect", id_a.as_str()],
        vec!["logs", id_a.as_str()],
        vec!["exec", id_a.as_str(), "true"],
        vec!["stop", id_a.as_str()],
        vec!["rm", "-f", id_a.as_str()],
    ] {
        let out = b.rctl(&args);
        assert_eq!(code(&out), 125, "b {args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains(&id_a[..12]) || stderr(&out).contains(&id_a),
            "{}",
            stderr(&out)
        );
    }
    // Nor through a's directories: a clear refusal, exit 125.
    let a_root = a.data_root();
    let a_run = a.runroot();
    for args in [
        vec!["--root", a_root.to_str().unwrap(), "ps", "-a"],
        vec!["--runroot", a_run.to_str().unwrap(), "ps", "-a"],
        vec![
            "--root",
            a_root.to_str().unwrap(),
            "events",
            "--stream=false",
        ],
        vec![
            "--root",
            a_root.to_str().unwrap(),
            "--runroot",
            a_run.to_str().unwrap(),
            "logs",
            "web",
        ],
    ] {
        let out = b.rctl(&args);
        assert_eq!(code(&out), 125, "b {args:?}");
        assert!(
            stderr(&out).contains("belongs to `rctl-test`") && stderr(&out).contains("hint:"),
            "{}",
            stderr(&out)
        );
    }
    // Nor with plain file tools or signals.
    let inspect = a.ok(&["inspect", "--format", "{{.State.Pid}}", "web"]);
    let pid = inspect.trim();
    let log = a_root.join("containers").join(&id_a).join("ctr.log");
    assert!(log.exists(), "{}", log.display());
    for cmd in [
        vec![
            "ls".to_string(),
            a_root.join("containers").display().to_string(),
        ],
        vec!["cat".to_string(), log.display().to_string()],
        vec!["ls".to_string(), format!("/proc/{pid}/root/root")],
        vec!["kill".to_string(), "-9".to_string(), pid.to_string()],
    ] {
        let out = b.command(&cmd[0]).args(&cmd[1..]).output().unwrap();
        assert!(
            !out.status.success(),
            "b could run {cmd:?}: {}",
            stdout(&out)
        );
    }

    // After all that, both containers still run, untouched.
    for (t, me) in [(&a, "a"), (&b, "b")] {
        assert_eq!(
            t.ok(&["exec", "web", "cat", "/root/note"]),
            format!("secret-of-{me}\n")
        );
        assert!(t.ok(&["logs", "web"]).contains("started"));
    }
    a.ok(&["rm", "-f", "web"]);
    assert_eq!(
        b.ok(&["ps", "-q"]).trim().len(),
        12,
        "b's container outlives a's"
    );
    b.ok(&["rm", "-f", "web"]);
}

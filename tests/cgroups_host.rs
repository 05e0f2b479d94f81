//! Cgroups on the bare host, which has a hybrid (v1) layout, no systemd
//! and no user bus: the detected manager is `none`, containers without
//! limits run, and every limit flag is refused with the missing controller
//! and the fix (exit 125, nothing created). The enforcing side is in
//! tests/systemd_vm.rs.

mod common;

use common::{TestEnv, stderr, stdout};

fn hybrid_host() -> bool {
    // The enforcing case is the VM's; on a v2 host with delegation these
    // assertions do not hold.
    !std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists()
}

#[test]
fn limits_are_refused_with_the_controller_and_the_fix_and_none_runs_containers() {
    let Some(t) = TestEnv::new("cgroups_host") else {
        return;
    };
    if !hybrid_host() {
        eprintln!("skipped: this host has cgroup v2 (the VM test covers enforcement)");
        return;
    }
    let root = t.busybox_rootfs("root");
    let root = root.to_str().unwrap();

    let info: serde_json::Value =
        serde_json::from_str(&t.ok(&["info", "--format", "json"])).unwrap();
    assert_eq!(info["host"]["cgroup_manager"], "none", "{info}");

    for (flag, value, controller) in [
        ("--memory", "50m", "memory"),
        ("--cpus", "0.5", "cpu"),
        ("--pids-limit", "20", "pids"),
        ("--cpuset-cpus", "0", "cpuset"),
        ("--blkio-weight", "500", "io"),
    ] {
        let out = t.rctl(&["run", "--rm", flag, value, "--rootfs", root, "true"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(125), "{flag}: {err}");
        assert!(
            err.contains(&format!(
                "{flag} needs the cgroup controller `{controller}`"
            )),
            "{flag}: {err}"
        );
        assert!(err.contains("cgroup v1 (hybrid)"), "{flag}: {err}");
        assert!(
            err.contains("Delegate=cpu cpuset io memory pids"),
            "{flag}: {err}"
        );
    }
    // Asking for systemd explicitly does not make it work either.
    let out = t.rctl(&[
        "--cgroup-manager",
        "systemd",
        "create",
        "--memory",
        "50m",
        "--rootfs",
        root,
        "true",
    ]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("`memory`"), "{}", stderr(&out));
    // Bad values are refused before the cgroup is looked at.
    let out = t.rctl(&["create", "--memory", "12x", "--rootfs", root, "true"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("--memory `12x`"), "{}", stderr(&out));
    // Nothing was created by the refused commands.
    assert_eq!(t.ok(&["ps", "-a", "-q"]).trim(), "");

    // Without limits a container runs, with no cgroup and no default
    // pids limit (no manager to enforce it).
    let id = t.ok(&[
        "run", "-d", "--name", "plain", "--rootfs", root, "sleep", "30",
    ]);
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "plain"])).unwrap();
    assert_eq!(v[0]["HostConfig"]["CgroupManager"], "none", "{v}");
    assert_eq!(v[0]["HostConfig"]["PidsLimit"], 0, "{v}");
    assert_eq!(v[0]["State"]["OOMKilled"], false, "{v}");
    assert_eq!(v[0]["State"]["CgroupPath"], "", "{v}");
    // stats and update explain why there is nothing to show or change.
    let out = t.rctl(&["stats", "--no-stream", "plain"]);
    assert_eq!(out.status.code(), Some(125), "{}", stdout(&out));
    assert!(stderr(&out).contains("no cgroup"), "{}", stderr(&out));
    let out = t.rctl(&["update", "--memory", "64m", "plain"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("`memory`"), "{}", stderr(&out));
    // A generated unit for it is a notify unit that runs rctl.
    let unit = t.ok(&["generate", "systemd", "--new", "--name", "plain"]);
    assert!(unit.contains("Type=notify\n"), "{unit}");
    assert!(
        unit.contains(" run -d --name plain --sdnotify=conmon "),
        "{unit}"
    );
    assert!(
        unit.contains(&format!("--rootfs {root} sleep 30\n")),
        "{unit}"
    );
    t.ok(&["rm", "-f", id.trim()]);
}

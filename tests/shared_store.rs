//! The admin's read-only shared image store: root fills it with
//! `rctl --root DIR import ...`, names it in the system-wide config
//! (`RCTL_SYSTEM_CONFIG` here, `/etc/rctl/rctl.toml` normally), and the
//! unprivileged user lists it read-only, runs containers on its layers in
//! place (nothing is copied into the user's own 0700 store), and cannot
//! remove its images.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::{TestEnv, stderr};
use serde_json::Value;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn users_run_images_of_the_shared_store_without_copying_them() {
    let Some(mut t) = TestEnv::new("shared_store") else {
        return;
    };
    if !t.user.switch {
        common::missing("filling the shared store needs a root test runner");
        return;
    }
    // The admin's side, as real root: a store outside any user's home.
    let shared = t.dir.join("shared");
    let shared_run = t.dir.join("shared-run");
    t.extra_runroots.push(shared_run.clone());
    let rootfs = t.busybox_rootfs("rootfs");
    // Real images carry these; rctl bind-mounts its own over them. In a
    // directory of the shared store the container cannot create them.
    for f in ["etc/hosts", "etc/resolv.conf", "etc/hostname"] {
        std::fs::write(rootfs.join(f), "").unwrap();
    }
    let tar = t.dir.join("rootfs.tar");
    assert!(
        Command::new("tar")
            .arg("-C")
            .arg(&rootfs)
            .args(["--owner=0", "--group=0", "--numeric-owner", "-cf"])
            .arg(&tar)
            .arg(".")
            .status()
            .unwrap()
            .success()
    );
    let admin = Command::new(&t.bin)
        .arg("--root")
        .arg(&shared)
        .arg("--runroot")
        .arg(&shared_run)
        .args(["import", tar.to_str().unwrap(), "localhost/shared-bb"])
        .env_clear()
        .env("HOME", &t.dir)
        .env("PATH", "/usr/bin:/bin:/usr/sbin:/sbin")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", stderr(&admin));
    let shared_id = String::from_utf8_lossy(&admin.stdout).trim().to_string();
    assert!(
        Command::new("chmod")
            .args(["-R", "a+rX"])
            .arg(&shared)
            .status()
            .unwrap()
            .success()
    );
    std::fs::set_permissions(&t.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = t.dir.join("system.toml");
    std::fs::write(
        &config,
        format!("[storage]\nimage_stores = [\"{}\"]\n", shared.display()),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    t.extra_env
        .push(("RCTL_SYSTEM_CONFIG".into(), config.display().to_string()));

    // The user's side: listed, marked read-only.
    let list: Vec<Value> = serde_json::from_str(&t.ok(&["images", "--format", "json"])).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["Id"], shared_id.as_str());
    assert_eq!(list[0]["ReadOnly"], true);
    assert!(t.ok(&["images"]).contains("R/O"));
    let inspect: Value =
        serde_json::from_str(&t.ok(&["image", "inspect", "localhost/shared-bb"])).unwrap();
    assert_eq!(inspect[0]["Id"], shared_id.as_str());

    // Run on its layers: the user is root inside, the store's files belong
    // to an id outside the user's namespace (nobody) and are read-only to
    // the container, new files go to the container's own upper layer.
    let out = t.ok(&[
        "run",
        "--rm",
        "--pull=never",
        "localhost/shared-bb",
        "sh",
        "-c",
        "id -u; stat -c %u /bin/busybox; touch /bin/new 2>/dev/null && echo wrote-lower; echo ok > /fresh && cat /fresh",
    ]);
    assert_eq!(out, "0\n65534\nok\n");
    // Nothing was copied into the user's private store.
    let layers = std::fs::read_dir(t.data_root().join("layers"))
        .unwrap()
        .count();
    assert_eq!(layers, 0);
    let mode = std::fs::metadata(t.data_root())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);

    // rmi refuses, naming the store; a container on it is created and removed normally.
    let out = t.rctl(&["rmi", "localhost/shared-bb"]);
    assert_eq!(code(&out), 125);
    assert!(
        stderr(&out).contains("read-only shared image store") && stderr(&out).contains("hint:"),
        "{}",
        stderr(&out)
    );
    t.ok(&["create", "--name", "c", "localhost/shared-bb", "true"]);
    t.ok(&["rm", "c"]);
    assert_eq!(t.ok(&["images", "-q"]).lines().count(), 1);

    // A store the user cannot read is skipped with a warning, not an error.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = t.rctl(&["images", "-q"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("skipped"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

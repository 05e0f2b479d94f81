//! Containers from stored images: `run IMAGE` with an imported image and
//! with one pulled on demand from a real registry, the image's config
//! applied, and `rmi` refusing an image a container uses. rctl runs as an
//! unprivileged user.

mod common;

use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::{TestEnv, stderr, stdout};

/// A test environment with the registry tools (a failure in CI when missing).
fn env(name: &str) -> Option<TestEnv> {
    common::images::env_with_registry(name)
}

/// Import a busybox root filesystem as `localhost/busybox`.
fn import_busybox(t: &TestEnv) {
    t.import_busybox(
        "localhost/busybox",
        &[
            "CMD [\"/bin/sh\", \"-c\", \"echo default-cmd\"]",
            "ENV GREETING=hello",
            "WORKDIR /tmp",
        ],
    );
}

#[test]
fn run_an_imported_image_with_its_config() {
    let Some(t) = env("run_imported") else { return };
    import_busybox(&t);
    // The image's CMD, Env and WorkingDir apply.
    assert_eq!(t.ok(&["run", "--rm", "localhost/busybox"]), "default-cmd\n");
    assert_eq!(
        t.ok(&["run", "--rm", "busybox", "sh", "-c", "echo $GREETING; pwd"]),
        "hello\n/tmp\n"
    );
    // Rootless: container root is the user; the exit status passes through.
    let map = common::map_triples(&t.ok(&["run", "--rm", "busybox", "cat", "/proc/self/uid_map"]));
    assert_eq!(map[0], (0, t.user.uid, 1), "{map:?}");
    assert!(map.len() >= 2, "subordinate range mapped: {map:?}");
    assert_eq!(
        t.rctl(&["run", "--rm", "busybox", "sh", "-c", "exit 42"])
            .status
            .code(),
        Some(42)
    );
    // Writes go to the container's upper layer, never into the image.
    t.ok(&[
        "run",
        "--name",
        "w",
        "busybox",
        "sh",
        "-c",
        "echo x > /bin/new",
    ]);
    assert_eq!(
        t.rctl(&["run", "--rm", "busybox", "test", "-e", "/bin/new"])
            .status
            .code(),
        Some(1)
    );
    t.ok(&["rm", "w"]);
}

#[test]
fn rmi_refuses_an_image_a_container_uses() {
    let Some(t) = env("rmi_in_use") else { return };
    import_busybox(&t);
    t.ok(&["create", "--name", "user1", "localhost/busybox", "true"]);
    let out = t.rctl(&["rmi", "localhost/busybox"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("used by container"),
        "{}",
        stderr(&out)
    );
    assert!(
        t.ok(&["images", "-q"]).lines().count() == 1,
        "the image is still there"
    );
    t.ok(&["rm", "user1"]);
    t.ok(&["rmi", "localhost/busybox"]);
    assert_eq!(t.ok(&["images", "-q"]), "");
}

#[test]
fn run_pulls_a_missing_image_from_a_registry() {
    let Some(t) = env("run_pull") else { return };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let base = tar_of(&[
        Entry::Dir("bin/", 0o755),
        Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Symlink("bin/cat", "busybox"),
    ]);
    let top = tar_of(&[Entry::File(
        "etc/motd",
        0o644,
        b"from the registry\n".to_vec(),
    )]);
    let built = layout.image(
        &[(base, Compression::Gzip), (top, Compression::Zstd)],
        "amd64",
        &["/bin/cat", "/etc/motd"],
    );
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/motd:v1", None);
    let image = format!("{}/test/motd:v1", reg.host());
    t.write_file(
        "home/.config/rctl/rctl.toml",
        &format!("[registries]\ninsecure = [\"{}\"]\n", reg.host()),
    );

    // --pull=never with a missing image: a clear error, nothing created.
    let out = t.rctl(&["run", "--rm", "--pull", "never", &image]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");

    let out = t.rctl(&["run", "--rm", &image]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "from the registry\n");
    assert_eq!(t.ok(&["images", "-q"]).lines().count(), 1);
    // The second run uses the stored image (the registry is gone).
    drop(reg);
    assert_eq!(t.ok(&["run", "--rm", &image]), "from the registry\n");
}

#[test]
fn run_an_image_with_130_layers() {
    let Some(t) = env("run_deep") else { return };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let mut layers = vec![(
        tar_of(&[
            Entry::Dir("bin/", 0o755),
            Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
            Entry::Symlink("bin/sh", "busybox"),
            Entry::Symlink("bin/ls", "busybox"),
        ]),
        Compression::Gzip,
    )];
    for i in 1..130 {
        let name: &'static str = Box::leak(format!("deep/f{i:03}").into_boxed_str());
        layers.push((
            tar_of(&[Entry::File(name, 0o644, vec![b'x'])]),
            Compression::None,
        ));
    }
    let built = layout.image(&layers, "amd64", &["/bin/sh", "-c", "ls /deep | wc -l"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/deep:v1", None);
    let image = format!("{}/test/deep:v1", reg.host());
    t.ok(&["pull", "--tls-verify=false", &image]);
    // 130 full layer paths exceed a page of mount options; the short links fit.
    assert_eq!(
        t.ok(&["run", "--rm", "--network", "none", &image]).trim(),
        "129"
    );
}

#[test]
fn a_non_root_user_can_enter_an_image_root() {
    let Some(t) = env("run_user") else { return };
    import_busybox(&t);
    // Overlay shows the upper dir's mode as `/`: it must not be 0700.
    let out = t.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--user",
        "1000",
        "localhost/busybox",
        "sh",
        "-c",
        "id -u; cat /etc/passwd >/dev/null && echo readable",
    ]);
    assert_eq!(out, "1000\nreadable\n");
}

#[test]
fn fuse_overlayfs_and_vfs_stack_layers_and_honour_whiteouts() {
    let Some(t) = env("run_fuse") else { return };
    let dev = std::fs::metadata("/dev/fuse")
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o006 == 0o006);
    if !dev.unwrap_or(false) || !std::path::Path::new("/usr/bin/fuse-overlayfs").exists() {
        common::missing("fuse-overlayfs and a usable /dev/fuse (contrib/setup-host.sh)");
        return;
    }
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let base = tar_of(&[
        Entry::Dir("bin/", 0o755),
        Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Dir("data/", 0o755),
        Entry::File("data/gone", 0o644, b"x".to_vec()),
        Entry::File("data/kept", 0o644, b"kept\n".to_vec()),
        Entry::Dir("opq/", 0o755),
        Entry::File("opq/old", 0o644, b"old".to_vec()),
    ]);
    let top = tar_of(&[
        Entry::File("data/.wh.gone", 0o644, Vec::new()),
        Entry::Dir("opq/", 0o755),
        Entry::File("opq/.wh..wh..opq", 0o644, Vec::new()),
        Entry::File("opq/new", 0o644, b"new".to_vec()),
    ]);
    let built = layout.image(
        &[(base, Compression::Gzip), (top, Compression::Gzip)],
        "amd64",
        &["/bin/sh"],
    );
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/wh:v1", None);
    let image = format!("{}/test/wh:v1", reg.host());
    t.ok(&["pull", "--tls-verify=false", &image]);
    let script =
        "grep ' / ' /proc/mounts | cut -d' ' -f3; ls /data /opq; echo w > /data/new; cat /data/new";
    let out = t.ok(&[
        "--storage-driver",
        "fuse-overlayfs",
        "run",
        "--rm",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(out, "fuse.fuse-overlayfs\n/data:\nkept\n\n/opq:\nnew\nw\n");
    // The daemon's mount is gone with the container.
    let mounts = t.ok(&["unshare", "cat", "/proc/self/mountinfo"]);
    assert!(!mounts.contains("fuse-overlayfs"), "{mounts}");

    // vfs: the same tree as a copy; the container's writes stay in its copy.
    let out = t.ok(&[
        "--storage-driver",
        "vfs",
        "run",
        "--name",
        "v",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        script,
    ]);
    assert!(out.ends_with("/data:\nkept\n\n/opq:\nnew\nw\n"), "{out}");
    assert!(
        !out.starts_with("overlay") && !out.starts_with("fuse"),
        "{out}"
    );
    // The image's layers were not touched.
    let again = t.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        "ls /data",
    ]);
    assert_eq!(again, "kept\n");
    t.ok(&["rm", "v"]);
}

#[test]
fn run_attach_picks_the_streams_shown() {
    let Some(t) = env("run_attach") else { return };
    import_busybox(&t);
    let script = "echo to-out; echo to-err >&2; exit 3";
    let out = t.rctl(&[
        "run",
        "--name",
        "a",
        "--network",
        "none",
        "-a",
        "stdout",
        "localhost/busybox",
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stdout(&out), "to-out\n");
    assert!(!stderr(&out).contains("to-err"), "{}", stderr(&out));
    // Both streams are still in the log.
    let logs = t.rctl(&["logs", "a"]);
    assert_eq!(stdout(&logs), "to-out\n");
    assert_eq!(stderr(&logs), "to-err\n");
    let out = t.rctl(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-a",
        "stderr",
        "localhost/busybox",
        "sh",
        "-c",
        script,
    ]);
    assert_eq!((stdout(&out).as_str(), stderr(&out).trim()), ("", "to-err"));
    assert_eq!(
        t.rctl(&["run", "-d", "-a", "stdout", "localhost/busybox", "true"])
            .status
            .code(),
        Some(125)
    );
}

#[test]
fn inspect_finds_images_as_well_as_containers() {
    let Some(t) = env("inspect_both") else { return };
    import_busybox(&t);
    let id = t.ok(&["images", "-q", "--no-trunc"]);
    let v: serde_json::Value =
        serde_json::from_str(&t.ok(&["inspect", "localhost/busybox"])).unwrap();
    assert_eq!(v[0]["Id"].as_str().unwrap(), id.trim());
    let c = t.ok(&[
        "create",
        "--name",
        "c1",
        "--network",
        "none",
        "localhost/busybox",
        "true",
    ]);
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "c1"])).unwrap();
    assert_eq!(v[0]["Id"].as_str().unwrap(), c.trim());
    let out = t.rctl(&["inspect", "nope"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("no container or image named `nope`"),
        "{}",
        stderr(&out)
    );
}

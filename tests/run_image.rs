//! Containers from stored images: `run IMAGE` with an imported image and
//! with one pulled on demand from a real registry, the image's config
//! applied, and `rmi` refusing an image a container uses. rctl runs as an
//! unprivileged user.

mod common;

use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::{TestEnv, stderr, stdout};

fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    if let Err(e) = registry::tools() {
        return common::missing(&e);
    }
    if registry::busybox().is_none() {
        return common::missing("`/bin/busybox` is missing (package busybox-static)");
    }
    Some(t)
}

/// Import a busybox root filesystem as `localhost/busybox`.
fn import_busybox(t: &TestEnv) {
    let root = t.busybox_rootfs("rootfs");
    let tar = t.dir.join("rootfs.tar");
    let ok = std::process::Command::new("tar")
        .arg("-C")
        .arg(&root)
        .arg("-cf")
        .arg(&tar)
        .arg(".")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    t.chown_tree(&tar);
    t.ok(&[
        "import",
        "--change",
        "CMD [\"/bin/sh\", \"-c\", \"echo default-cmd\"]",
        "--change",
        "ENV GREETING=hello",
        "--change",
        "WORKDIR /tmp",
        tar.to_str().unwrap(),
        "localhost/busybox",
    ]);
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

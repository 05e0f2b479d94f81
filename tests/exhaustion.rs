//! Resource exhaustion: a zip-bomb layer is refused by
//! `storage.max_layer_size`, and a full disk (a size-limited tmpfs as the
//! store, mounted by the root test runner) during a pull and during a
//! container's writes gives a clear error, leaves nothing half-written,
//! and the store works again once space is freed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::{TestEnv, stderr};

/// Deterministic incompressible bytes.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Push an image whose second layer is `data` at `/data/blob` (plus a
/// marker) as `NAME:1`; returns the pull reference.
fn push_image(t: &TestEnv, reg: &Registry, name: &str, data: Vec<u8>, comp: Compression) -> String {
    let layout = Layout::new(&t.dir.join(format!("layout-{name}")));
    let bb = tar_of(&[
        Entry::Dir("bin", 0o755),
        Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Symlink("bin/cat", "busybox"),
        Entry::Symlink("bin/dd", "busybox"),
    ]);
    let layer = tar_of(&[
        Entry::Dir("data", 0o755),
        Entry::File("data/marker", 0o644, b"intact\n".to_vec()),
        Entry::File("data/blob", 0o644, data),
    ]);
    let built = layout.image(
        &[(bb, Compression::Gzip), (layer, comp)],
        "amd64",
        &["/bin/sh"],
    );
    layout.tag_image(&built, "1");
    reg.push(&layout.dir, "1", &format!("{name}:1"), None);
    format!("{}/{name}:1", reg.host())
}

/// Entries of `dir` (empty when it does not exist).
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn check_clean(t: &TestEnv, root: &[&str], what: &str) {
    let mut args = root.to_vec();
    args.extend(["system", "check"]);
    let out = t.rctl(&args);
    assert!(
        out.status.success(),
        "{what}: system check: {}{}",
        common::stdout(&out),
        stderr(&out)
    );
}

#[test]
fn a_zip_bomb_layer_is_bounded_by_max_layer_size() {
    let Some(mut t) = common::images::env_with_registry("zip_bomb") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    // 16 MiB of zeros: a few KiB gzip-compressed.
    let image = push_image(&t, &reg, "bomb", vec![0; 16 << 20], Compression::Gzip);
    let config = t.write_file("rctl.toml", "[storage]\nmax_layer_size = \"1M\"\n");
    t.extra_env
        .push(("RCTL_CONFIG".into(), config.display().to_string()));
    let out = t.rctl(&["pull", "--tls-verify=false", &image]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("more than 1048576 bytes") && err.contains("max_layer_size"),
        "{err}"
    );
    // Nothing of the refused image is stored; the busybox layer (below
    // the limit) may be, recorded and complete.
    assert_eq!(t.ok(&["images", "-q"]), "");
    let layers = t.data_root().join("layers");
    assert!(
        entries(&layers).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        entries(&layers)
    );
    check_clean(&t, &[], "after the refused pull");
    // The same bomb through import.
    let bomb = t.dir.join("bomb.tar");
    std::fs::write(
        &bomb,
        tar_of(&[Entry::File("zeros", 0o644, vec![0; 4 << 20])]),
    )
    .unwrap();
    t.chown_tree(&bomb);
    let out = t.rctl(&["import", bomb.to_str().unwrap(), "localhost/bomb"]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("max_layer_size"), "{}", stderr(&out));
    // A generous limit lets the same image in.
    std::fs::write(&config, "[storage]\nmax_layer_size = \"64M\"\n").unwrap();
    t.ok(&["pull", "--tls-verify=false", &image]);
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "--network",
            "none",
            &image,
            "cat",
            "/data/marker"
        ]),
        "intact\n"
    );
}

/// A tmpfs of a given size at `path`, owned by the test user; unmounted on drop.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(t: &TestEnv, path: PathBuf, size: &str) -> SmallDisk {
        std::fs::create_dir_all(&path).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!(
                "size={size},mode=0700,uid={},gid={}",
                t.user.uid, t.user.gid
            ))
            .arg("rctl-small")
            .arg(&path)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mount a tmpfs at {}", path.display());
        SmallDisk { path }
    }

    fn resize(&self, size: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.path)
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {}", self.path.display());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

#[test]
fn a_full_disk_during_pull_and_container_writes() {
    let Some(t) = common::images::env_with_registry("full_disk") else {
        return;
    };
    if !t.user.switch {
        // Mounting a tmpfs needs the root test runner (as in CI).
        common::missing("root to mount a size-limited tmpfs");
        return;
    }
    let reg = Registry::start(&t.dir.join("registry"), None);
    // 3 MiB of noise: the kept blob and the extracted file need 6 MiB.
    let image = push_image(&t, &reg, "big", noise(3 << 20), Compression::None);
    let disk = SmallDisk::mount(&t, t.dir.join("small"), "4m");
    let root = disk.path.join("store");
    let root_flag = format!("--root={}", root.display());
    let r = |args: &[&str]| {
        let mut a = vec![root_flag.as_str()];
        a.extend_from_slice(args);
        t.rctl(&a)
    };

    // Pull onto a disk too small: a clear error, nothing half-written.
    let out = r(&["pull", "--tls-verify=false", &image]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(
        err.contains(&root.display().to_string()),
        "names the path: {err}"
    );
    assert!(
        err.contains("hint: the filesystem named above is full"),
        "{err}"
    );
    assert_eq!(common::stdout(&r(&["images", "-q"])), "");
    assert!(
        entries(&root.join("layers"))
            .iter()
            .all(|n| !n.starts_with(".tmp-")),
        "{:?}",
        entries(&root.join("layers"))
    );
    check_clean(&t, &[&root_flag], "after the failed pull");

    // Space freed: the same pull works.
    disk.resize("24m");
    let out = r(&["pull", "--tls-verify=false", &image]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A container fills the disk with its writes: its own write fails with
    // ENOSPC, the monitor and the store survive.
    let out = r(&[
        "run",
        "--name",
        "filler",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        "dd if=/dev/zero of=/fill bs=1M count=64 2>&1; echo status=$?",
    ]);
    let text = common::stdout(&out);
    assert!(
        out.status.success(),
        "stdout: {text}\nstderr: {}\nps: {}\nlogs: {}",
        stderr(&out),
        common::stdout(&r(&["ps", "-a"])),
        common::stdout(&r(&["logs", "filler"]))
    );
    assert!(text.contains("No space left on device"), "{text}");
    assert!(!text.contains("status=0"), "{text}");
    // While full: listing works; creating either works or says why.
    let out = r(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        common::stdout(&out).contains("filler Exited"),
        "{}",
        common::stdout(&out)
    );
    let out = r(&[
        "create",
        "--name",
        "late",
        "--network",
        "none",
        &image,
        "true",
    ]);
    if !out.status.success() {
        assert_eq!(out.status.code(), Some(125));
        assert!(
            stderr(&out).contains("hint: the filesystem named above is full"),
            "{}",
            stderr(&out)
        );
        assert!(!common::stdout(&r(&["ps", "-a"])).contains("late"));
    }
    check_clean(&t, &[&root_flag], "while the disk is full");

    // Removing the container frees the space; the store is whole.
    let out = r(&["rm", "-f", "filler", "late"]);
    let _ = out;
    let out = r(&[
        "run",
        "--rm",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        "cat /data/marker; echo ok > /new; cat /new",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(common::stdout(&out), "intact\nok\n");
    check_clean(&t, &[&root_flag], "after freeing space");
    // Stop the pause process before the tmpfs goes.
    drop(t);
    drop(disk);
}

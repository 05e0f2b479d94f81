//! Images: pull from a real registry (Debian's docker-registry, images
//! pushed with skopeo), the store's records, layer extraction and its
//! confinement, an interrupted pull. rctl runs as an unprivileged user.

mod common;

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use common::registry::{self, Compression, Entry, Layout, MTIME, Registry, tar_of};
use common::{TestEnv, stderr, stdout, subid_ranges};

/// A test environment plus the registry tools, or a skip (a failure in CI).
fn env_with_registry(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    if let Err(e) = registry::tools() {
        return common::missing(&e);
    }
    if registry::busybox().is_none() {
        return common::missing("`/bin/busybox` is missing (package busybox-static)");
    }
    Some(t)
}

fn inspect(t: &TestEnv, image: &str) -> serde_json::Value {
    let out = t.ok(&["image", "inspect", image]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0].clone()
}

/// Layer directories of an image, lowest first.
fn layer_dirs(t: &TestEnv, image: &str) -> Vec<PathBuf> {
    let v = inspect(t, image);
    let data = &v["GraphDriver"]["Data"];
    let mut dirs: Vec<PathBuf> = data["LowerDir"]
        .as_str()
        .unwrap()
        .split(':')
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    dirs.reverse();
    dirs.push(PathBuf::from(data["UpperDir"].as_str().unwrap()));
    dirs
}

fn rich_layers() -> Vec<(Vec<u8>, Compression)> {
    let busybox = registry::busybox().unwrap();
    let base = tar_of(&[
        Entry::Dir("bin/", 0o755),
        Entry::File("bin/busybox", 0o755, busybox),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Symlink("bin/abs", "/bin/busybox"),
        Entry::Hardlink("bin/ls", "bin/busybox"),
        Entry::Dir("etc/", 0o755),
        Entry::File("etc/hostname", 0o644, b"base\n".to_vec()),
        Entry::Owned("home/user/notes", 0o600, 1000, 1000, b"mine\n".to_vec()),
        Entry::File("usr/bin/suid", 0o4755, b"#!/bin/sh\n".to_vec()),
        Entry::XattrFile("etc/tagged", "user.rctl", b"yes"),
        Entry::Dir("opq/", 0o755),
        Entry::File("opq/a", 0o644, b"a".to_vec()),
        Entry::File("opq/b", 0o644, b"b".to_vec()),
        Entry::Dir("del/", 0o755),
        Entry::File("del/x", 0o644, b"x".to_vec()),
        Entry::File("del/y", 0o644, b"y".to_vec()),
    ]);
    let second = tar_of(&[
        Entry::File("del/.wh.x", 0o644, Vec::new()),
        Entry::Dir("opq/", 0o755),
        Entry::File("opq/.wh..wh..opq", 0o644, Vec::new()),
        Entry::File("opq/c", 0o644, b"c".to_vec()),
    ]);
    let third = tar_of(&[Entry::File("etc/hostname", 0o644, b"top\n".to_vec())]);
    vec![
        (base, Compression::Gzip),
        (second, Compression::Zstd),
        (third, Compression::None),
    ]
}

fn subuid_start(t: &TestEnv) -> u32 {
    let text = std::fs::read_to_string("/etc/subuid").unwrap();
    subid_ranges(&text, &t.user)[0].0
}

#[test]
fn pull_extracts_layers_faithfully_and_overlay_honours_whiteouts() {
    let Some(t) = env_with_registry("pull_rich") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(&rich_layers(), "amd64", &["/bin/sh"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/rich:v1", None);

    let image = format!("{}/test/rich:v1", reg.host());
    let id = t.ok(&["pull", "--tls-verify=false", &image]);
    assert_eq!(
        id.trim(),
        built.config_digest.strip_prefix("sha256:").unwrap()
    );

    let v = inspect(&t, &image);
    assert_eq!(v["RootFS"]["Layers"], serde_json::json!(built.diff_ids));
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["/bin/sh"]));
    let dirs = layer_dirs(&t, &image);
    assert_eq!(dirs.len(), 3);
    let base = &dirs[0];

    // Ownership lands on the mapped ids: 0 → the user, 1000 → subuid start + 999.
    let bb = std::fs::metadata(base.join("bin/busybox")).unwrap();
    assert_eq!(bb.uid(), t.user.uid);
    assert_eq!(bb.mode() & 0o7777, 0o755);
    assert_eq!(bb.mtime(), MTIME as i64);
    assert_eq!(
        std::fs::read(base.join("bin/busybox")).unwrap(),
        registry::busybox().unwrap()
    );
    let notes = std::fs::metadata(base.join("home/user/notes")).unwrap();
    assert_eq!(notes.uid(), subuid_start(&t) + 999);
    assert_eq!(notes.mode() & 0o7777, 0o600);
    // setuid kept, hard link shares the inode, symlinks verbatim.
    let suid = std::fs::metadata(base.join("usr/bin/suid")).unwrap();
    assert_eq!(suid.mode() & 0o7777, 0o4755);
    let ls = std::fs::metadata(base.join("bin/ls")).unwrap();
    assert_eq!(ls.ino(), bb.ino());
    assert_eq!(
        std::fs::read_link(base.join("bin/sh")).unwrap(),
        Path::new("busybox")
    );
    assert_eq!(
        std::fs::read_link(base.join("bin/abs")).unwrap(),
        Path::new("/bin/busybox")
    );
    let x = xattr(&base.join("etc/tagged"), "user.rctl");
    assert_eq!(x.as_deref(), Some(&b"yes"[..]));
    // Whiteout: a 0/0 character device; opaque: user.overlay.opaque=y.
    let wh = std::fs::symlink_metadata(dirs[1].join("del/x")).unwrap();
    assert!(wh.file_type().is_char_device());
    assert_eq!(wh.rdev(), 0);
    assert_eq!(
        xattr(&dirs[1].join("opq"), "user.overlay.opaque").as_deref(),
        Some(&b"y"[..])
    );

    // A real rootless overlay mount (userxattr) sees the merged tree.
    let lower: Vec<String> = dirs.iter().rev().map(|d| d.display().to_string()).collect();
    let mnt = t.dir.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    std::os::unix::fs::chown(&mnt, Some(t.user.uid), Some(t.user.gid)).unwrap();
    let script = format!(
        "mount -t overlay overlay -o lowerdir={},userxattr {m} && ls {m}/opq {m}/del && cat {m}/etc/hostname; umount {m}",
        lower.join(":"),
        m = mnt.display()
    );
    let out = t.ok(&["unshare", "sh", "-c", &script]);
    assert!(out.contains("/opq:\nc\n"), "opaque dir not honoured: {out}");
    assert!(out.contains("/del:\ny\n"), "whiteout not honoured: {out}");
    assert!(
        out.trim_end().ends_with("top"),
        "upper file not on top: {out}"
    );

    // Pulling again is a no-op that keeps the same ID; images lists it.
    assert_eq!(t.ok(&["pull", "--tls-verify=false", &image]), id);
    let listed = t.ok(&["images", "--format", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["Names"][0], serde_json::json!(image));
}

fn xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let out = std::process::Command::new("getfattr")
        .args(["--absolute-names", "--only-values", "-h", "-n", name])
        .arg(path)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

#[test]
fn index_pull_selects_the_platform() {
    let Some(t) = env_with_registry("pull_index") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let amd = layout.image(
        &[(
            tar_of(&[Entry::File("arch", 0o644, b"amd64".to_vec())]),
            Compression::Gzip,
        )],
        "amd64",
        &["/arch"],
    );
    let arm = layout.image(
        &[(
            tar_of(&[Entry::File("arch", 0o644, b"arm64".to_vec())]),
            Compression::Gzip,
        )],
        "arm64",
        &["/arch"],
    );
    layout.tag_index(&[(&amd, "amd64"), (&arm, "arm64")], "multi");
    reg.push(&layout.dir, "multi", "test/multi:1", None);
    let image = format!("{}/test/multi:1", reg.host());

    let id = t.ok(&["pull", "--tls-verify=false", "--arch", "arm64", &image]);
    assert_eq!(
        id.trim(),
        arm.config_digest.strip_prefix("sha256:").unwrap()
    );
    let dirs = layer_dirs(&t, &image);
    assert_eq!(std::fs::read(dirs[0].join("arch")).unwrap(), b"arm64");

    let out = t.rctl(&[
        "pull",
        "--tls-verify=false",
        "--platform",
        "linux/s390x",
        &image,
    ]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(
        err.contains("linux/amd64") && err.contains("--platform"),
        "{err}"
    );
}

#[test]
fn a_corrupted_blob_stores_nothing() {
    let Some(t) = env_with_registry("pull_corrupt") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let layer = tar_of(&[Entry::File("data", 0o644, vec![7u8; 100_000])]);
    let built = layout.image(&[(layer, Compression::Gzip)], "amd64", &["/x"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/corrupt:v1", None);
    // Flip one byte of the stored layer blob behind the registry's back.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            layout
                .dir
                .join("blobs/sha256")
                .join(built.manifest_digest.strip_prefix("sha256:").unwrap()),
        )
        .unwrap(),
    )
    .unwrap();
    let hex = manifest["layers"][0]["digest"]
        .as_str()
        .unwrap()
        .strip_prefix("sha256:")
        .unwrap()
        .to_string();
    let data = reg
        .dir
        .join("storage/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(&hex)
        .join("data");
    let mut bytes = std::fs::read(&data).unwrap();
    let last = bytes.len() - 5;
    bytes[last] ^= 0xff;
    std::fs::write(&data, bytes).unwrap();

    let out = t.rctl(&[
        "pull",
        "--tls-verify=false",
        &format!("{}/test/corrupt:v1", reg.host()),
    ]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&hex[..12]), "the error names the layer: {err}");
    assert_eq!(t.ok(&["images", "-q"]), "");
    let layers: Vec<_> = std::fs::read_dir(t.data_root().join("layers"))
        .unwrap()
        .collect();
    assert!(layers.is_empty(), "layer dirs left: {layers:?}");
}

#[test]
fn registry_with_basic_auth_needs_login() {
    let Some(t) = env_with_registry("pull_auth") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), Some(("alice", "s3cret")));
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(
        &[(
            tar_of(&[Entry::File("f", 0o644, b"f".to_vec())]),
            Compression::Gzip,
        )],
        "amd64",
        &["/f"],
    );
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/private:v1", Some("alice:s3cret"));
    let image = format!("{}/test/private:v1", reg.host());

    let out = t.rctl(&["pull", "--tls-verify=false", &image]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("rctl login"), "{}", stderr(&out));

    let bad = t.rctl(&[
        "login",
        "--tls-verify=false",
        "-u",
        "alice",
        "-p",
        "wrong",
        &reg.host(),
    ]);
    assert_eq!(bad.status.code(), Some(125), "{}", stderr(&bad));
    t.ok(&[
        "login",
        "--tls-verify=false",
        "-u",
        "alice",
        "-p",
        "s3cret",
        &reg.host(),
    ]);
    let auth_file = t.runtime_dir.join("containers/auth.json");
    let meta = std::fs::metadata(&auth_file).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let auth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&auth_file).unwrap()).unwrap();
    assert!(auth["auths"][reg.host()]["auth"].is_string(), "{auth}");

    t.ok(&["pull", "--tls-verify=false", &image]);
    t.ok(&["logout", &reg.host()]);
    let out = t.rctl(&["logout", &reg.host()]);
    assert_eq!(out.status.code(), Some(125));
}

#[test]
fn an_interrupted_pull_leaves_nothing_and_a_repull_works() {
    let Some(t) = env_with_registry("pull_interrupt") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    // Incompressible data so that the pull takes a moment.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut big = vec![0u8; 48 << 20];
    for chunk in big.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
    let layers: Vec<_> = (0..3)
        .map(|i| {
            let name: &'static str = ["a", "b", "c"][i];
            let mut data = big.clone();
            data[0] = i as u8;
            (tar_of(&[Entry::File(name, 0o644, data)]), Compression::None)
        })
        .collect();
    let built = layout.image(&layers, "amd64", &["/a"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/big:v1", None);
    let image = format!("{}/test/big:v1", reg.host());

    let mut child = t
        .rctl_cmd(&["pull", "--tls-verify=false", &image])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let layers_dir = t.data_root().join("layers");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let pending = std::fs::read_dir(&layers_dir)
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            })
            .unwrap_or(false);
        if pending {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "pull never started a layer"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "pull finished too soon to interrupt"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    // setpriv execs rctl, so the child's pid is rctl's.
    std::process::Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();

    assert_eq!(t.ok(&["images", "-q"]), "", "a partial image is visible");
    let left: Vec<String> = std::fs::read_dir(&layers_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "leftovers not cleaned: {left:?}");

    let id = t.ok(&["pull", "--tls-verify=false", &image]);
    assert_eq!(
        id.trim(),
        built.config_digest.strip_prefix("sha256:").unwrap()
    );
    let dirs = layer_dirs(&t, &image);
    assert_eq!(
        std::fs::metadata(dirs[2].join("c")).unwrap().len(),
        48 << 20
    );
}

#[test]
fn tag_rmi_and_lookup_errors() {
    let Some(t) = TestEnv::new("image_names") else {
        return;
    };
    let tarball = t.dir.join("root.tar");
    std::fs::write(
        &tarball,
        tar_of(&[Entry::File("hello", 0o644, b"hi".to_vec())]),
    )
    .unwrap();
    std::os::unix::fs::chown(&tarball, Some(t.user.uid), Some(t.user.gid)).unwrap();
    let id = t.ok(&[
        "import",
        "--change",
        "CMD [\"/hello\"]",
        tarball.to_str().unwrap(),
        "base",
    ]);
    let id = id.trim();
    t.ok(&["tag", "base", "localhost/other:2"]);
    let table = t.ok(&["images"]);
    assert!(
        table.contains("localhost/base") && table.contains("localhost/other"),
        "{table}"
    );
    assert!(table.contains(&id[..12]), "{table}");
    let v = inspect(&t, &id[..8]);
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["/hello"]));

    // Removing one of two names untags; the last name deletes.
    assert!(
        t.ok(&["rmi", "other:2"])
            .contains("Untagged: localhost/other:2")
    );
    let out = t.rctl(&["rmi", "nosuch"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("`nosuch` not found"),
        "{}",
        stderr(&out)
    );
    let out = t.rctl(&["pull", "busybox"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("unqualified_search"),
        "{}",
        stderr(&out)
    );
    let out = t.rctl(&["pull", "Bad/Name"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stdout(&out).is_empty());
    assert!(t.ok(&["rmi", "base"]).contains(&format!("Deleted: {id}")));
    assert_eq!(t.ok(&["images", "-q"]), "");
    let layers: Vec<_> = std::fs::read_dir(t.data_root().join("layers"))
        .unwrap()
        .collect();
    assert!(
        layers.is_empty(),
        "layers of a removed image remain: {layers:?}"
    );
}

fn skopeo(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("skopeo")
        .args(args)
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn push_round_trips_with_skopeo_as_the_oracle() {
    let Some(t) = env_with_registry("push_roundtrip") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(&rich_layers(), "amd64", &["/bin/sh"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/rich:v1", None);
    let source = format!("{}/test/rich:v1", reg.host());
    t.ok(&["pull", "--tls-verify=false", &source]);

    // Pulled then pushed elsewhere: the same manifest, byte for byte.
    let copy = format!("{}/test/copy:v2", reg.host());
    t.ok(&["push", "--tls-verify=false", &source, &copy]);
    let raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{copy}"),
    ]);
    let src_raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{source}"),
    ]);
    assert_eq!(raw, src_raw);
    assert_eq!(
        format!("sha256:{}", registry::sha256_hex(&raw)),
        inspect(&t, &source)["Digest"].as_str().unwrap()
    );

    // Imported then pushed: skopeo copies it back and sees our config and layer.
    let tarball = t.dir.join("root.tar.gz");
    std::fs::write(
        &tarball,
        registry::gzip(&tar_of(&[Entry::File("hello", 0o644, b"hi".to_vec())])),
    )
    .unwrap();
    std::os::unix::fs::chown(&tarball, Some(t.user.uid), Some(t.user.gid)).unwrap();
    t.ok(&[
        "import",
        "--change",
        "CMD [\"/hello\"]",
        tarball.to_str().unwrap(),
        "hello",
    ]);
    let dest = format!("{}/test/hello:1", reg.host());
    t.ok(&["push", "--tls-verify=false", "hello", &dest]);
    let back = t.dir.join("back");
    skopeo(&[
        "copy",
        "--quiet",
        "--src-tls-verify=false",
        &format!("docker://{dest}"),
        &format!("oci:{}:1", back.display()),
    ]);
    let config = skopeo(&["inspect", "--config", &format!("oci:{}:1", back.display())]);
    let config: serde_json::Value = serde_json::from_slice(&config).unwrap();
    assert_eq!(config["config"]["Cmd"], serde_json::json!(["/hello"]));
    let ours = inspect(&t, "hello");
    assert_eq!(config["rootfs"]["diff_ids"], ours["RootFS"]["Layers"]);
    let pushed = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{dest}"),
    ]);
    assert_eq!(
        format!("sha256:{}", registry::sha256_hex(&pushed)),
        ours["Digest"].as_str().unwrap()
    );
    // Pushing again finds every blob in place.
    t.ok(&["push", "--tls-verify=false", "hello", &dest]);
}

//! Helpers shared by the image tests: an environment with the registry
//! tools, image records and layer directories through `rctl image inspect`,
//! a layer set with every feature extraction must keep, skopeo.
#![allow(dead_code)]

use std::path::PathBuf;

use super::TestEnv;
use super::registry::{self, Compression, Entry, tar_of};

/// A test environment plus the registry tools, or a skip (a failure in CI).
pub fn env_with_registry(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    if let Err(e) = registry::tools() {
        return super::missing(&e);
    }
    if registry::busybox().is_none() {
        return super::missing("`/bin/busybox` is missing (package busybox-static)");
    }
    Some(t)
}

pub fn inspect(t: &TestEnv, image: &str) -> serde_json::Value {
    let out = t.ok(&["image", "inspect", image]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0].clone()
}

/// Layer directories of an image, lowest first.
pub fn layer_dirs(t: &TestEnv, image: &str) -> Vec<PathBuf> {
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

pub fn rich_layers() -> Vec<(Vec<u8>, Compression)> {
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

pub fn skopeo(args: &[&str]) -> Vec<u8> {
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

//! Malicious layers: each hand-made tar tries to write outside the layer
//! directory (or to smuggle something rootless overlay would honour). The
//! import must fail with an error naming the entry, or neutralise it, and
//! nothing may appear outside the layer directory.

mod common;

use std::path::{Path, PathBuf};

use common::registry::{Entry, tar_of};
use common::{TestEnv, stderr};

/// Every path under `dir` (not following symlinks).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        out.push(p.clone());
        if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            walk(&p, out);
        }
    }
}

fn import(t: &TestEnv, name: &str, tar: Vec<u8>) -> std::process::Output {
    let path = t.dir.join(format!("{name}.tar"));
    std::fs::write(&path, tar).unwrap();
    std::os::unix::fs::chown(&path, Some(t.user.uid), Some(t.user.gid)).unwrap();
    t.rctl(&["import", path.to_str().unwrap(), name])
}

fn outside_marker(t: &TestEnv) -> PathBuf {
    t.dir.join("outside")
}

#[test]
fn escaping_layers_are_refused_and_nothing_lands_outside() {
    let Some(t) = TestEnv::new("layer_escape") else {
        return;
    };
    let outside = outside_marker(&t);
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::chown(&outside, Some(t.user.uid), Some(t.user.gid)).unwrap();
    let outside_abs = outside.to_str().unwrap().to_string();
    let abs_link: &'static str = Box::leak(outside_abs.clone().into_boxed_str());
    use tar::EntryType as T;
    let abs_entry = format!("{outside_abs}/escaped");
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "dotdot",
            vec![Entry::RawName(
                b"../../../../escaped".to_vec(),
                T::Regular,
                vec![],
                b"x".to_vec(),
            )],
            "../../../../escaped",
        ),
        (
            "absolute",
            vec![Entry::RawName(
                format!("{outside_abs}/escaped").into_bytes(),
                T::Regular,
                vec![],
                b"x".to_vec(),
            )],
            abs_entry.as_str(),
        ),
        (
            "symlinked-parent-absolute",
            vec![
                Entry::Symlink("link", abs_link),
                Entry::File("link/escaped", 0o644, b"x".to_vec()),
            ],
            "link/escaped",
        ),
        (
            "symlinked-parent-relative",
            vec![
                Entry::Symlink("up", "../../../../../../../../.."),
                Entry::RawName(
                    b"up/tmp/escaped".to_vec(),
                    T::Regular,
                    vec![],
                    b"x".to_vec(),
                ),
            ],
            "up/tmp/escaped",
        ),
        (
            "symlink-then-dir-entry",
            vec![Entry::Symlink("d", abs_link), Entry::Dir("d/sub/", 0o755)],
            "d/sub",
        ),
        (
            "hardlink-dotdot",
            vec![Entry::Hardlink("hl", "../../../../../etc/passwd")],
            "hl",
        ),
        (
            "hardlink-absolute",
            vec![Entry::Hardlink("hl", "/etc/passwd")],
            "hl",
        ),
        (
            "hardlink-through-symlink",
            vec![
                Entry::Symlink("s", abs_link),
                Entry::Hardlink("hl", "s/victim"),
            ],
            "hl",
        ),
        (
            "bare-whiteout",
            vec![Entry::File("dir/.wh.", 0o644, Vec::new())],
            "dir/.wh.",
        ),
        (
            "whiteout-dotdot",
            vec![Entry::RawName(
                b"dir/.wh...".to_vec(),
                T::Regular,
                vec![],
                Vec::new(),
            )],
            "dir/.wh...",
        ),
        (
            "pax-path-dotdot",
            vec![Entry::PaxPath("harmless", "../../../../pax-escaped")],
            "../../../../pax-escaped",
        ),
    ];
    for (name, entries, entry_in_error) in cases {
        let out = import(&t, name, tar_of(&entries));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(125), "{name}: accepted: {err}");
        assert!(
            err.contains(&format!("layer entry `{entry_in_error}")),
            "{name}: the error must name the entry `{entry_in_error}`: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // Nothing escaped anywhere in the test's tree, and nothing is left over.
    let mut all = Vec::new();
    walk(&t.dir, &mut all);
    let escaped: Vec<_> = all
        .iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains("escaped") || n == "victim"
        })
        .collect();
    assert!(escaped.is_empty(), "files escaped: {escaped:?}");
    assert!(std::fs::read_dir(&outside).unwrap().next().is_none());
    assert_eq!(t.ok(&["images", "-q"]), "");
    let layers: Vec<_> = std::fs::read_dir(t.data_root().join("layers"))
        .unwrap()
        .collect();
    assert!(layers.is_empty(), "leftovers: {layers:?}");
}

#[test]
fn device_nodes_and_overlay_xattrs_are_neutralised() {
    let Some(t) = TestEnv::new("layer_neutralise") else {
        return;
    };
    let tar = tar_of(&[
        Entry::CharDev("dev/null", 1, 3),
        Entry::CharDev("dev/whiteout", 0, 0),
        Entry::XattrFile("forged", "user.overlay.opaque", b"y"),
        Entry::XattrFile("trusted", "trusted.overlay.opaque", b"y"),
        Entry::File("ok", 0o644, b"ok".to_vec()),
    ]);
    let out = import(&t, "neutral", tar);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("layer entry `dev/null`: device node 1:3 skipped"),
        "{}",
        stderr(&out)
    );
    let v: serde_json::Value =
        serde_json::from_str(&t.ok(&["image", "inspect", "neutral"])).unwrap();
    let dir = PathBuf::from(v[0]["GraphDriver"]["Data"]["UpperDir"].as_str().unwrap());
    assert!(!dir.join("dev/null").exists());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(dir.join("dev/whiteout"))
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(std::fs::read(dir.join("ok")).unwrap(), b"ok");
    let out = std::process::Command::new("getfattr")
        .args(["--absolute-names", "-d", "-m", "-"])
        .arg(dir.join("forged"))
        .arg(dir.join("trusted"))
        .output();
    if let Ok(out) = out {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("overlay"),
            "an overlay xattr was applied: {text}"
        );
    }
}

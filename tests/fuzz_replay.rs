//! Stable-toolchain replay of the fuzz corpora: every file of
//! `tests/fuzz/corpus/<target>/` goes through the same target body the
//! libFuzzer binaries run (`tests/fuzz/targets.rs`), plus property tests
//! that generate tricky tar layers.
//!
//! Layer extraction is called as a library function in a plain temp dir:
//! it needs no namespace, only the right to `fchown` to the layer's ids.
//! As root (CI) every entry is applied; as an unprivileged user, entries
//! owned by other ids fail with EPERM, which the property (no panic,
//! nothing outside the directory) still covers.

#[path = "fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

use proptest::prelude::*;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target)
}

/// Run every corpus file of `target`; fail naming each file that panicked.
fn replay(target: &str) {
    let (_, body) = targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let dir = corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no seeds", dir.display());
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} corpus files failed:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay(stringify!($name));
            }
        )*

        #[test]
        fn every_target_has_a_replay_test() {
            let tested = [$(stringify!($name)),*];
            for (name, _) in targets::TARGETS {
                assert!(tested.contains(name), "no replay test for {name}");
            }
        }
    };
}

replay_tests!(
    containerfile,
    reference,
    digest,
    manifest,
    image_config,
    subuid,
    publish,
    mountspec,
    format,
    layer,
);

/// Pieces of entry names that reach the confinement checks.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(
            &[
                "a",
                "b",
                "..",
                ".",
                "",
                "/",
                ".wh.",
                ".wh..wh..opq",
                ".wh.a",
                "l",
                "d",
            ][..],
        ),
        1..5,
    )
    .prop_map(|v| v.join("/"))
}

fn link_target() -> impl Strategy<Value = String> {
    prop_oneof![
        name(),
        Just("/tmp".to_string()),
        Just("../outside".to_string()),
        Just("../outside/victim".to_string()),
        Just("..".to_string()),
        Just("/".to_string()),
    ]
}

#[derive(Debug, Clone)]
enum Gen {
    File(String),
    Dir(String),
    Symlink(String, String),
    Hardlink(String, String),
    Whiteout(String),
}

fn entry() -> impl Strategy<Value = Gen> {
    prop_oneof![
        name().prop_map(Gen::File),
        name().prop_map(Gen::Dir),
        (name(), link_target()).prop_map(|(n, t)| Gen::Symlink(n, t)),
        (name(), link_target()).prop_map(|(n, t)| Gen::Hardlink(n, t)),
        name().prop_map(Gen::Whiteout),
    ]
}

/// A tar of `entries` with names written raw (the `tar` crate's setters
/// refuse `..`, which is exactly what we want to send).
fn tar_of(entries: &[Gen]) -> Vec<u8> {
    use tar::{EntryType, Header};
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let (kind, n, link, body): (EntryType, &str, Option<&str>, &[u8]) = match e {
            Gen::File(n) => (EntryType::Regular, n, None, b"data"),
            Gen::Dir(n) => (EntryType::Directory, n, None, b""),
            Gen::Symlink(n, t) => (EntryType::Symlink, n, Some(t), b""),
            Gen::Hardlink(n, t) => (EntryType::Link, n, Some(t), b""),
            Gen::Whiteout(n) => (EntryType::Char, n, None, b""),
        };
        let mut h = Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(0o755);
        h.set_uid(0);
        h.set_gid(0);
        h.set_size(body.len() as u64);
        let raw = &mut h.as_old_mut().name;
        let len = n.len().min(raw.len());
        raw[..len].copy_from_slice(&n.as_bytes()[..len]);
        if let Some(t) = link {
            let raw = &mut h.as_old_mut().linkname;
            let len = t.len().min(raw.len());
            raw[..len].copy_from_slice(&t.as_bytes()[..len]);
        }
        h.set_cksum();
        b.append(&h, body).unwrap();
    }
    b.into_inner().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Sequences of files, directories, symlinks, hard links and whiteouts
    /// with `..`, absolute and escaping targets never panic the extractor
    /// and never put anything outside the layer directory.
    #[test]
    fn generated_layers_stay_inside(entries in proptest::collection::vec(entry(), 1..8)) {
        targets::layer(&tar_of(&entries));
    }

    #[test]
    fn references_round_trip(s in "([a-z0-9.:-]{1,12}/){0,3}[a-z0-9._-]{1,10}(:[A-Za-z0-9_.-]{1,8})?") {
        targets::reference(s.as_bytes());
    }

    #[test]
    fn manifests_never_panic(body in "[\\[\\]{}\",:a-zA-Z0-9 ]{0,80}") {
        targets::manifest(body.as_bytes());
        targets::image_config(body.as_bytes());
    }
}

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir("layer").join(name)).unwrap()
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// The layer target is not vacuous: a plain tree extracts (as root, which
/// may chown), escapes are refused, and the sandbox check does see a file
/// put beside the layer directory.
#[test]
fn layer_target_sees_what_it_should() {
    let ok = |name: &str| {
        let sandbox = targets::Sandbox::new();
        let r = rctl::store::layer::extract(&seed(name)[..], &sandbox.root);
        sandbox.check();
        r.map(|_| ()).map_err(|e| e.to_string())
    };
    if is_root() {
        ok("seed-plain-tree.tar").expect("a plain tree extracts");
        ok("seed-gzip-plain-tree.tar.gz").expect("a gzip tree extracts");
    }
    for bad in [
        "seed-dotdot.tar",
        "seed-absolute.tar",
        "seed-symlink-relative-parent.tar",
        "seed-hardlink-dotdot.tar",
        "seed-hardlink-through-symlink.tar",
        "seed-pax-path-dotdot.tar",
    ] {
        let err = ok(bad).expect_err(bad);
        assert!(err.contains("layer entry `"), "{bad}: {err}");
    }
    let sandbox = targets::Sandbox::new();
    std::fs::write(sandbox.base.join("outside/escaped"), b"x").unwrap();
    let caught = std::panic::catch_unwind(|| sandbox.check()).is_err();
    assert!(caught, "the sandbox check misses a file in outside/");
}

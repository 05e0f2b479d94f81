//! Fuzz target bodies: arbitrary bytes in, no panic out, and each target's
//! invariants asserted. Shared by the cargo-fuzz crate
//! (`tests/fuzz/fuzz_targets/*.rs`, nightly, libFuzzer) and the stable
//! corpus replay (`tests/fuzz_replay.rs`), both of which include this file
//! with `#[path]`, so a corpus file means the same thing to both.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rctl::build::{PlanOptions, parse_bytes, plan};
use rctl::format::{Template, parse_format};
use rctl::idmap::{parse_subid, plan_map};
use rctl::mountspec::{MountSource, parse_mount, parse_tmpfs, parse_volume};
use rctl::network::publish::parse_publish;
use rctl::registry::manifest::Manifest;
use rctl::store::digest::Digest;
use rctl::store::reference::Input;

/// A target body: arbitrary bytes in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// Every target by the name of its corpus directory (`tests/fuzz/corpus/NAME`)
/// and of its cargo-fuzz binary.
pub const TARGETS: &[(&str, Target)] = &[
    ("containerfile", containerfile),
    ("reference", reference),
    ("digest", digest),
    ("manifest", manifest),
    ("image_config", image_config),
    ("subuid", subuid),
    ("publish", publish),
    ("mountspec", mountspec),
    ("format", format),
    ("layer", layer),
];

/// The bytes as text, or nothing (the text parsers take `&str`).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// `build::parse_bytes`, then `plan` for the default target and a named
/// one, then every step resolved in its stage's scope.
pub fn containerfile(data: &[u8]) {
    let Ok(file) = parse_bytes(data) else {
        return;
    };
    let mut last = 0;
    for l in &file.instructions {
        assert!(l.line >= 1 && l.column >= 1, "positions start at 1");
        assert!(l.line > last, "instructions in line order");
        assert!(l.end_line >= l.line);
        last = l.end_line;
    }
    for target in [None, Some("build".to_string())] {
        let options = PlanOptions {
            build_args: BTreeMap::from([("A".to_string(), "x".to_string())]),
            target,
            automatic_args: BTreeMap::from([("TARGETARCH".to_string(), "amd64".to_string())]),
        };
        let Ok(plan) = plan(&file, &options) else {
            continue;
        };
        assert!(!plan.stages.is_empty(), "a plan has a target stage");
        for stage in &plan.stages {
            let mut scope = plan.scope(&[("PATH".to_string(), "/bin".to_string())]);
            for step in &stage.steps {
                if let Ok(resolved) = scope.resolve(&step.at) {
                    let _ = resolved.cache_text();
                }
            }
        }
    }
}

/// Image references: what parses has valid parts, and its canonical name
/// parses again to the same reference.
pub fn reference(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(input) = Input::parse(s) else { return };
    let search = ["docker.io".to_string(), "quay.io".to_string()];
    if let Input::Qualified(r) = &input {
        assert!(!r.registry.is_empty() && !r.repository.is_empty());
        let again = Input::parse(&r.to_string()).expect("a parsed name parses again");
        assert_eq!(again, Input::Qualified(r.clone()), "`{s}` round trip");
    }
    for r in input.local_candidates(&search) {
        let _ = (
            r.name(),
            r.store_name(),
            r.manifest_ref(),
            r.tag_or_latest(),
        );
    }
}

/// Digests: only `sha256:` + 64 lowercase hex parses, and it is kept verbatim.
pub fn digest(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(d) = Digest::parse(s) {
        assert_eq!(d.as_str(), s);
        assert_eq!(d.hex().len(), 64);
        assert_eq!(d.short().len(), 12);
        assert!(!d.hex().contains('/'), "a digest never makes a path");
    }
    assert!(Digest::parse(Digest::of(data).as_str()).is_ok());
}

/// Manifests and indexes: the first line (up to 100 bytes) is the
/// Content-Type header, the rest the body. Whatever parses holds only
/// strict digests.
pub fn manifest(data: &[u8]) {
    let (ctype, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) if i <= 100 => (text(&data[..i]), &data[i + 1..]),
        _ => (None, data),
    };
    for ct in [ctype, None] {
        match Manifest::parse(body, ct) {
            Ok(Manifest::Image { config, layers, .. }) => {
                for d in std::iter::once(&config).chain(&layers) {
                    assert!(Digest::parse(d.digest.as_str()).is_ok());
                }
            }
            Ok(Manifest::Index { manifests, .. }) => {
                for d in &manifests {
                    assert!(Digest::parse(d.digest.as_str()).is_ok());
                }
                let want =
                    rctl::registry::manifest::wanted_platform(Some("linux/amd64"), None).unwrap();
                let _ = rctl::registry::manifest::select(&manifests, &want);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// Image config documents: the diff_ids a pull takes from them, and the
/// typed parse the store does when it commits an image.
pub fn image_config(data: &[u8]) {
    if let Ok(ids) = rctl::image::pull::config_diff_ids(data) {
        for d in ids {
            assert_eq!(d.hex().len(), 64);
        }
    }
    let _ = serde_json::from_slice::<oci_spec::image::ImageConfiguration>(data);
}

/// `/etc/subuid` text: the first line is the user (`NAME UID`), the rest
/// the file. Planned maps start with the user's own id and are contiguous.
pub fn subuid(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let (who, file) = s.split_once('\n').unwrap_or(("u 1000", s));
    let (name, uid) = who.split_once(' ').unwrap_or((who, "1000"));
    let uid: u32 = uid.trim().parse().unwrap_or(1000);
    let path = Path::new("/etc/subuid");
    let Ok(ranges) = parse_subid(file, path, Some(name), uid) else {
        return;
    };
    let Ok(map) = plan_map(uid, &ranges, path) else {
        return;
    };
    assert_eq!(map[0].container_id, 0);
    assert_eq!(map[0].host_id, uid);
    let mut next = 0u64;
    for e in &map {
        assert_eq!(
            u64::from(e.container_id),
            next,
            "container ids are contiguous"
        );
        assert!(e.size >= 1);
        next += u64::from(e.size);
        assert!(next <= 1 << 32, "container ids fit in 32 bits");
        assert!(u64::from(e.host_id) + u64::from(e.size) <= 1 << 32);
    }
    let _ = (
        rctl::idmap::helper_args(&map),
        rctl::idmap::map_text(&map),
        rctl::idmap::is_identity(&map),
    );
}

/// `-p` values: mappings stay within the port space.
pub fn publish(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(maps) = parse_publish(s) else { return };
    for m in &maps {
        assert!(m.container_port >= 1 && m.range >= 1);
        assert!(u32::from(m.container_port) + u32::from(m.range) - 1 <= 65535);
        if m.host_port != 0 {
            assert!(u32::from(m.host_port) + u32::from(m.range) - 1 <= 65535);
        }
        let _ = m.to_string();
    }
}

/// `-v`, `--mount`, `--tmpfs`: destinations are absolute and not `/`,
/// bind sources absolute.
pub fn mountspec(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for m in [parse_volume(s), parse_tmpfs(s), parse_mount(s)]
        .into_iter()
        .flatten()
    {
        assert!(m.destination.is_absolute(), "`{s}`: {m:?}");
        assert!(m.destination != Path::new("/"), "`{s}`: {m:?}");
        if let MountSource::Bind { source } = &m.source {
            assert!(source.is_absolute(), "`{s}`: {m:?}");
        }
    }
}

/// `--format` values and Go templates rendered against a record with
/// nested lists, maps, numbers, booleans and nulls.
pub fn format(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = parse_format(s);
    let Ok(t) = Template::parse(s) else { return };
    let record = serde_json::json!({
        "ID": "abc", "Names": ["a", "b"], "Labels": {"k": "v", "A B": ""},
        "Size": 12, "Neg": -1, "F": 1.5, "B": true, "N": null,
        "L": [1, {"b": "c"}, [2, 3]], "E": [], "M": {}
    });
    let _ = t.render(&record);
    let _ = t.render(&serde_json::json!([1, "x"]));
    let _ = t.render(&serde_json::Value::Null);
}

/// Layer extraction into a fresh directory. The property: no panic, and
/// nothing appears outside the directory — its sibling `outside/` stays
/// as it was, and `outside/victim` gets no new link, owner, mode or content.
/// A plain (uncompressed) layer that extracts has the tar's own sha256 as
/// its diff_id.
pub fn layer(data: &[u8]) {
    let sandbox = Sandbox::new();
    let result = rctl::store::layer::extract(data, &sandbox.root);
    sandbox.check();
    if let Ok(done) = result {
        if done.media_type == rctl::store::layer::MEDIA_TAR {
            assert_eq!(done.diff_id, Digest::of(data));
            assert_eq!(done.size, data.len() as u64);
        }
    }
}

const VICTIM: &[u8] = b"victim\n";

/// Where the corpus's absolute-path escapes would land.
pub const ESCAPE_MARK: &str = "/tmp/rctl-fuzz-escape";

/// `BASE/root` (the layer directory) beside `BASE/outside/victim`.
pub struct Sandbox {
    pub base: PathBuf,
    pub root: PathBuf,
    victim: (u64, u32, u32, u32),
}

impl Sandbox {
    pub fn new() -> Sandbox {
        static N: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir().join(format!(
            "rctl-fuzz-layer-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let root = base.join("root");
        let outside = base.join("outside");
        std::fs::create_dir_all(&root).expect("create the sandbox");
        std::fs::create_dir(&outside).expect("create the sandbox");
        let victim = outside.join("victim");
        std::fs::write(&victim, VICTIM).expect("create the victim");
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o640)).unwrap();
        let m = std::fs::symlink_metadata(&victim).unwrap();
        Sandbox {
            base,
            root,
            victim: (m.ino(), m.mode(), m.uid(), m.gid()),
        }
    }

    /// Panic if anything appeared or changed outside `root`.
    pub fn check(&self) {
        let names = |dir: &Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            names(&self.base),
            ["outside", "root"],
            "escaped beside root"
        );
        let outside = self.base.join("outside");
        assert_eq!(names(&outside), ["victim"], "escaped into outside/");
        let victim = outside.join("victim");
        let m = std::fs::symlink_metadata(&victim).expect("the victim is still there");
        assert!(m.file_type().is_file(), "the victim was replaced");
        assert_eq!(m.nlink(), 1, "the victim was hard-linked from the layer");
        assert_eq!(
            (m.ino(), m.mode(), m.uid(), m.gid()),
            self.victim,
            "the victim's inode, mode or owner changed"
        );
        assert_eq!(
            std::fs::read(&victim).unwrap(),
            VICTIM,
            "the victim was written"
        );
        // The seeds' absolute escapes aim here (`link -> /tmp`, `link/rctl-fuzz-escape`).
        assert!(
            std::fs::symlink_metadata(ESCAPE_MARK).is_err(),
            "escaped to {ESCAPE_MARK}"
        );
        let root = std::fs::symlink_metadata(&self.root).expect("root is still there");
        assert!(root.is_dir(), "the layer directory was replaced");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // A layer can leave directories without write or search permission.
        open_up(&self.base);
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// Give every directory under `dir` (not following symlinks) mode 0700.
fn open_up(dir: &Path) {
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            open_up(&e.path());
        }
    }
}

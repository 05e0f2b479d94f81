//! Real registries and offline test images: Debian's `docker-registry` on
//! a free loopback port, OCI image layouts built from hand-made tar layers,
//! pushed with `skopeo`.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

/// A running `docker-registry serve`, killed on drop.
pub struct Registry {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether the registry tools are installed; `Err` names what is missing.
pub fn tools() -> Result<(), String> {
    for t in ["/usr/bin/docker-registry", "/usr/bin/skopeo"] {
        if !Path::new(t).exists() {
            return Err(format!(
                "`{t}` is missing (packages docker-registry, skopeo)"
            ));
        }
    }
    Ok(())
}

impl Registry {
    /// Start a registry storing under `dir`; with `auth`, htpasswd basic auth.
    pub fn start(dir: &Path, auth: Option<(&str, &str)>) -> Registry {
        std::fs::create_dir_all(dir.join("storage")).unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.join("storage").display()
        );
        if let Some((user, pass)) = auth {
            let out = Command::new("htpasswd")
                .args(["-Bbn", user, pass])
                .output()
                .expect("run htpasswd (package apache2-utils)");
            assert!(out.status.success());
            std::fs::write(dir.join("htpasswd"), &out.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: rctl-test\n    path: {}\n",
                dir.join("htpasswd").display()
            ));
        }
        std::fs::write(dir.join("config.yml"), config).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("registry.log")).unwrap())
            .spawn()
            .expect("start docker-registry");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "registry did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry {
            port,
            dir: dir.to_path_buf(),
            child,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Push the OCI layout `layout` (tag `tag`) as `NAME:TAG`, with `--all`
    /// for indexes.
    pub fn push(&self, layout: &Path, tag: &str, name: &str, creds: Option<&str>) {
        let mut cmd = Command::new("skopeo");
        cmd.args(["copy", "--all", "--quiet", "--dest-tls-verify=false"]);
        if let Some(c) = creds {
            cmd.args(["--dest-creds", c]);
        }
        cmd.arg(format!("oci:{}:{tag}", layout.display()))
            .arg(format!("docker://{}/{name}", self.host()));
        let out = cmd.output().expect("run skopeo");
        assert!(
            out.status.success(),
            "skopeo copy failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// One entry of a hand-made layer.
pub enum Entry {
    Dir(&'static str, u32),
    File(&'static str, u32, Vec<u8>),
    /// path, mode, uid, gid, content
    Owned(&'static str, u32, u64, u64, Vec<u8>),
    Symlink(&'static str, &'static str),
    Hardlink(&'static str, &'static str),
    /// path, xattr name, value
    XattrFile(&'static str, &'static str, &'static [u8]),
    CharDev(&'static str, u32, u32),
    /// Raw name bytes written into the header (for malicious names).
    RawName(Vec<u8>, tar::EntryType, Vec<u8>, Vec<u8>),
    /// PAX `path` record overriding a harmless header name.
    PaxPath(&'static str, &'static str),
}

pub const MTIME: u64 = 1_600_000_000;

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(MTIME);
    h.set_uid(0);
    h.set_gid(0);
    h
}

fn set_raw_name(h: &mut tar::Header, name: &[u8]) {
    let bytes = h.as_mut_bytes();
    bytes[..100].fill(0);
    bytes[..name.len()].copy_from_slice(name);
}

fn set_raw_link(h: &mut tar::Header, name: &[u8]) {
    let bytes = h.as_mut_bytes();
    bytes[157..257].fill(0);
    bytes[157..157 + name.len()].copy_from_slice(name);
}

/// An uncompressed tar stream of `entries`.
pub fn tar_of(entries: &[Entry]) -> Vec<u8> {
    use tar::EntryType as T;
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        match e {
            Entry::Dir(p, mode) => {
                let mut h = header(T::Directory, *mode, 0);
                set_raw_name(&mut h, p.as_bytes());
                h.set_cksum();
                b.append(&h, &[][..]).unwrap();
            }
            Entry::File(p, mode, data) => {
                let mut h = header(T::Regular, *mode, data.len() as u64);
                set_raw_name(&mut h, p.as_bytes());
                h.set_cksum();
                b.append(&h, &data[..]).unwrap();
            }
            Entry::Owned(p, mode, uid, gid, data) => {
                let mut h = header(T::Regular, *mode, data.len() as u64);
                h.set_uid(*uid);
                h.set_gid(*gid);
                set_raw_name(&mut h, p.as_bytes());
                h.set_cksum();
                b.append(&h, &data[..]).unwrap();
            }
            Entry::Symlink(p, target) | Entry::Hardlink(p, target) => {
                let kind = if matches!(e, Entry::Symlink(..)) {
                    T::Symlink
                } else {
                    T::Link
                };
                let mut h = header(kind, 0o777, 0);
                set_raw_name(&mut h, p.as_bytes());
                set_raw_link(&mut h, target.as_bytes());
                h.set_cksum();
                b.append(&h, &[][..]).unwrap();
            }
            Entry::XattrFile(p, name, value) => {
                let key = format!("SCHILY.xattr.{name}");
                b.append_pax_extensions([(key.as_str(), *value)]).unwrap();
                let mut h = header(T::Regular, 0o644, 3);
                set_raw_name(&mut h, p.as_bytes());
                h.set_cksum();
                b.append(&h, &b"abc"[..]).unwrap();
            }
            Entry::CharDev(p, major, minor) => {
                let mut h = header(T::Char, 0o666, 0);
                h.set_device_major(*major).unwrap();
                h.set_device_minor(*minor).unwrap();
                set_raw_name(&mut h, p.as_bytes());
                h.set_cksum();
                b.append(&h, &[][..]).unwrap();
            }
            Entry::RawName(name, kind, link, data) => {
                let mut h = header(*kind, 0o644, data.len() as u64);
                set_raw_name(&mut h, name);
                if !link.is_empty() {
                    set_raw_link(&mut h, link);
                }
                h.set_cksum();
                b.append(&h, &data[..]).unwrap();
            }
            Entry::PaxPath(header_name, pax_path) => {
                b.append_pax_extensions([("path", pax_path.as_bytes())])
                    .unwrap();
                let mut h = header(T::Regular, 0o644, 4);
                set_raw_name(&mut h, header_name.as_bytes());
                h.set_cksum();
                b.append(&h, &b"evil"[..]).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// How a layer blob is stored.
#[derive(Clone, Copy)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// An OCI image layout under construction.
pub struct Layout {
    pub dir: PathBuf,
}

/// A built image manifest: its digest, size and the diff_ids.
pub struct Built {
    pub manifest_digest: String,
    pub manifest_size: usize,
    pub config_digest: String,
    pub diff_ids: Vec<String>,
}

impl Layout {
    pub fn new(dir: &Path) -> Layout {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        Layout {
            dir: dir.to_path_buf(),
        }
    }

    /// Store a blob; returns its `sha256:` digest.
    pub fn blob(&self, data: &[u8]) -> String {
        let hex = sha256_hex(data);
        std::fs::write(self.dir.join("blobs/sha256").join(&hex), data).unwrap();
        format!("sha256:{hex}")
    }

    /// Build an image from uncompressed layer tars.
    pub fn image(&self, layers: &[(Vec<u8>, Compression)], arch: &str, cmd: &[&str]) -> Built {
        let mut descs = Vec::new();
        let mut diff_ids = Vec::new();
        for (tar, comp) in layers {
            diff_ids.push(format!("sha256:{}", sha256_hex(tar)));
            let (blob, media) = match comp {
                Compression::None => (tar.clone(), "application/vnd.oci.image.layer.v1.tar"),
                Compression::Gzip => (gzip(tar), "application/vnd.oci.image.layer.v1.tar+gzip"),
                Compression::Zstd => (
                    zstd::encode_all(&tar[..], 3).unwrap(),
                    "application/vnd.oci.image.layer.v1.tar+zstd",
                ),
            };
            let digest = self.blob(&blob);
            descs.push(
                serde_json::json!({"mediaType": media, "digest": digest, "size": blob.len()}),
            );
        }
        let config = serde_json::json!({
            "created": "2020-09-13T12:26:40Z",
            "architecture": arch,
            "os": "linux",
            "config": {"Cmd": cmd, "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "2020-09-13T12:26:40Z", "created_by": "test layout"}],
        });
        let config = serde_json::to_vec(&config).unwrap();
        let config_digest = self.blob(&config);
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": descs,
        });
        let manifest = serde_json::to_vec(&manifest).unwrap();
        Built {
            manifest_digest: self.blob(&manifest),
            manifest_size: manifest.len(),
            config_digest,
            diff_ids,
        }
    }

    /// Point `tag` at a built image.
    pub fn tag_image(&self, built: &Built, tag: &str) {
        self.write_index(serde_json::json!([{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": built.manifest_digest,
            "size": built.manifest_size,
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }]));
    }

    /// Point `tag` at an index of the built images, by architecture.
    pub fn tag_index(&self, images: &[(&Built, &str)], tag: &str) {
        let manifests: Vec<_> = images
            .iter()
            .map(|(b, arch)| {
                serde_json::json!({
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": b.manifest_digest,
                    "size": b.manifest_size,
                    "platform": {"os": "linux", "architecture": arch},
                })
            })
            .collect();
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        }))
        .unwrap();
        let digest = self.blob(&index);
        self.write_index(serde_json::json!([{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": digest,
            "size": index.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }]));
    }

    fn write_index(&self, manifests: serde_json::Value) {
        let index = serde_json::json!({"schemaVersion": 2, "manifests": manifests});
        std::fs::write(
            self.dir.join("index.json"),
            serde_json::to_vec(&index).unwrap(),
        )
        .unwrap();
    }
}

/// The busybox-static binary, if installed.
pub fn busybox() -> Option<Vec<u8>> {
    std::fs::read("/bin/busybox").ok()
}

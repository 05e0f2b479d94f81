//! Extracting one layer (a gzip, zstd or plain tar stream) into a
//! directory, confined to it, with OCI whiteouts turned into the overlay
//! whiteouts that rootless overlay (`userxattr`) understands.
//!
//! Every path goes through [`DirFd`]: parents are opened with
//! `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`, so `..`, absolute
//! names, symlinked parents and mount points cannot lead outside. Symlink
//! targets are stored verbatim and never followed here (a container
//! resolves them inside its own root). Hard links must name an entry of the
//! same layer by a plain relative path. Device nodes other than the 0/0
//! whiteout are skipped with a warning (a rootless user cannot create them).

use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::sys::dirfd::{self, DirFd};

use super::digest::{Digest, HashingReader};

/// The xattr that marks an opaque directory for overlay mounted with `userxattr`.
pub const OPAQUE_XATTR: &str = "user.overlay.opaque";

const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE_MARKER: &str = ".wh..wh..opq";

/// Why a layer could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("layer entry `{entry}`: {why}")]
    Refused { entry: String, why: String },
    #[error("layer entry `{entry}`: {op}")]
    Io {
        entry: String,
        op: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("read the layer stream")]
    Read(#[source] io::Error),
    #[error(
        "the layer unpacks to more than {limit} bytes (storage.max_layer_size); nothing was stored\nhint: if the image is trusted, raise `max_layer_size` in the [storage] table of rctl.toml"
    )]
    TooLarge { limit: u64 },
}

/// A reader that fails once more than `limit` bytes went through.
struct Limited<R> {
    inner: R,
    left: u64,
    exceeded: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.exceeded.set(true);
            return Err(io::Error::other("layer size limit exceeded"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// What an extraction produced.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// sha256 of the uncompressed tar stream (compare with the config's diff_id).
    pub diff_id: Digest,
    /// Bytes of the uncompressed tar stream.
    pub size: u64,
    /// The OCI media type of the stream as given (by its compression).
    pub media_type: &'static str,
}

pub const MEDIA_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const MEDIA_TAR_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const MEDIA_TAR_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";

/// Compression of a layer stream, told by its first bytes.
fn decompress<'a, R: BufRead + 'a>(mut r: R) -> io::Result<(Box<dyn Read + 'a>, &'static str)> {
    let head = r.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((
            Box::new(flate2::bufread::MultiGzDecoder::new(r)),
            MEDIA_TAR_GZIP,
        ))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Ok((
            Box::new(zstd::stream::read::Decoder::with_buffer(r)?),
            MEDIA_TAR_ZSTD,
        ))
    } else {
        Ok((Box::new(r), MEDIA_TAR))
    }
}

/// The uncompressed tar stream of a layer blob, whatever its compression.
pub fn decompressed<'a, R: BufRead + 'a>(r: R) -> io::Result<Box<dyn Read + 'a>> {
    decompress(r).map(|(s, _)| s)
}

/// Extract the layer stream `input` into the existing, empty directory `root`.
pub fn extract(input: impl Read, root: &Path) -> Result<Extracted, LayerError> {
    extract_limited(input, root, u64::MAX)
}

/// [`extract`], refusing a layer whose uncompressed stream is longer than
/// `limit` bytes ([`LayerError::TooLarge`]; what was written stays in
/// `root` for the caller to drop).
pub fn extract_limited(input: impl Read, root: &Path, limit: u64) -> Result<Extracted, LayerError> {
    let exceeded = std::rc::Rc::new(std::cell::Cell::new(false));
    let over = exceeded.clone();
    extract_inner(input, root, limit, exceeded).map_err(|e| {
        if over.get() {
            LayerError::TooLarge { limit }
        } else {
            e
        }
    })
}

fn extract_inner(
    input: impl Read,
    root: &Path,
    limit: u64,
    exceeded: std::rc::Rc<std::cell::Cell<bool>>,
) -> Result<Extracted, LayerError> {
    let root_fd = DirFd::open(root).map_err(|source| LayerError::Io {
        entry: ".".into(),
        op: "open the layer directory",
        source,
    })?;
    let (stream, media_type) =
        decompress(BufReader::with_capacity(256 * 1024, input)).map_err(LayerError::Read)?;
    let mut hashing = HashingReader::new(Limited {
        inner: stream,
        left: limit,
        exceeded,
    });
    let mut writer = Writer {
        root: root_fd,
        parent_cache: None,
        dir_times: Vec::new(),
    };
    {
        let mut archive = tar::Archive::new(&mut hashing);
        for entry in archive.entries().map_err(LayerError::Read)? {
            let entry = entry.map_err(LayerError::Read)?;
            writer.entry(entry)?;
        }
    }
    writer.finish_dir_times();
    let (diff_id, size) = hashing.finish().map_err(LayerError::Read)?;
    Ok(Extracted {
        diff_id,
        size,
        media_type,
    })
}

/// An entry's name split into checked components.
fn components(raw: &[u8]) -> Result<Vec<OsString>, String> {
    if raw.first() == Some(&b'/') {
        return Err("absolute path".into());
    }
    let mut out = Vec::new();
    for c in raw.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return Err("path contains `..`".into()),
            c if c.contains(&0) => return Err("path contains a NUL byte".into()),
            c => out.push(OsStr::from_bytes(c).to_os_string()),
        }
    }
    Ok(out)
}

/// PAX records that change how an entry is applied.
#[derive(Default)]
struct Pax {
    uid: Option<u64>,
    gid: Option<u64>,
    mtime: Option<(i64, i64)>,
    xattrs: Vec<(String, Vec<u8>)>,
}

fn parse_mtime(v: &str) -> Option<(i64, i64)> {
    let (s, frac) = v.split_once('.').unwrap_or((v, ""));
    let secs = s.parse().ok()?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = frac.chars().take(9).collect();
    let nanos = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse().ok()?
    };
    Some((secs, nanos))
}

fn read_pax<R: Read>(entry: &mut tar::Entry<'_, R>) -> Pax {
    let mut pax = Pax::default();
    let Ok(Some(exts)) = entry.pax_extensions() else {
        return pax;
    };
    for ext in exts.flatten() {
        let Ok(key) = ext.key() else { continue };
        let value = ext.value_bytes();
        let text = std::str::from_utf8(value).unwrap_or("");
        match key {
            "uid" => pax.uid = text.parse().ok(),
            "gid" => pax.gid = text.parse().ok(),
            "mtime" => pax.mtime = parse_mtime(text),
            k => {
                if let Some(name) = k.strip_prefix("SCHILY.xattr.") {
                    pax.xattrs.push((name.to_string(), value.to_vec()));
                }
            }
        }
    }
    pax
}

/// An owner id from a header or PAX record, if usable: ids past 32 bits
/// would wrap (`2^32` becoming root), and `2^32 - 1` means "unchanged" to
/// `fchown`.
fn checked_id(id: u64) -> Option<u32> {
    u32::try_from(id).ok().filter(|id| *id != u32::MAX)
}

/// Whether an xattr from a layer may be set: never overlay's own
/// attributes (a layer must not forge opaque markers or redirects) and
/// never `trusted.*` (not settable rootless).
fn xattr_allowed(name: &str) -> bool {
    !name.starts_with("trusted.") && !name.contains(".overlay.") && !name.starts_with("overlay.")
}

struct Writer {
    root: DirFd,
    /// The last parent directory opened, by its components.
    parent_cache: Option<(Vec<OsString>, DirFd)>,
    /// Directories whose mtime is set after all entries.
    dir_times: Vec<(PathBuf, i64, i64)>,
}

impl Writer {
    fn entry<R: Read>(&mut self, mut entry: tar::Entry<'_, R>) -> Result<(), LayerError> {
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).into_owned();
        let refuse = |why: String| LayerError::Refused {
            entry: name.clone(),
            why,
        };
        let io = |op: &'static str| {
            let entry = name.clone();
            move |source| LayerError::Io {
                entry: entry.clone(),
                op,
                source,
            }
        };
        let mut comps = components(&raw).map_err(&refuse)?;
        let pax = read_pax(&mut entry);
        let header = entry.header().clone();
        let kind = header.entry_type();
        let uid = checked_id(pax.uid.unwrap_or_else(|| header.uid().unwrap_or(0)))
            .ok_or_else(|| refuse("owner id does not fit in 32 bits".into()))?;
        let gid = checked_id(pax.gid.unwrap_or_else(|| header.gid().unwrap_or(0)))
            .ok_or_else(|| refuse("group id does not fit in 32 bits".into()))?;
        let mode = header.mode().unwrap_or(0o644) & 0o7777;
        let (secs, nanos) = pax.mtime.unwrap_or((header.mtime().unwrap_or(0) as i64, 0));

        let Some(last) = comps.pop() else {
            // The layer root itself (`./`).
            if kind.is_dir() {
                let fd = self.root.as_fd();
                nix::unistd::fchown(
                    std::os::fd::AsRawFd::as_raw_fd(&fd),
                    Some(uid.into()),
                    Some(gid.into()),
                )
                .map_err(|e| io("set the owner")(io::Error::from(e)))
                .map_err(|e| chown_hint(e, uid, gid))?;
                nix::sys::stat::fchmod(
                    std::os::fd::AsRawFd::as_raw_fd(&fd),
                    nix::sys::stat::Mode::from_bits_truncate(mode),
                )
                .map_err(|e| io("set the mode")(io::Error::from(e)))?;
                self.dir_times.push((PathBuf::new(), secs, nanos));
            }
            return Ok(());
        };
        let parent = self.parent(&comps, &name)?;

        let last_bytes = last.as_bytes();
        if let Some(target) = last_bytes.strip_prefix(WHITEOUT_PREFIX.as_bytes()) {
            if last_bytes == OPAQUE_MARKER.as_bytes() {
                return dirfd::set_xattr(parent.as_fd(), OPAQUE_XATTR, b"y")
                    .map_err(io("mark the directory opaque (user.overlay.opaque)"));
            }
            if target.starts_with(WHITEOUT_PREFIX.as_bytes()) {
                log::debug!("layer entry `{name}`: aufs metadata skipped");
                return Ok(());
            }
            let target = OsStr::from_bytes(target);
            if target.is_empty() || target == "." || target == ".." {
                return Err(refuse("whiteout names no file".into()));
            }
            remove_existing(parent, target).map_err(io("remove the whited-out file"))?;
            return parent
                .whiteout(target)
                .map_err(io("create the whiteout (character device 0/0)"));
        }

        use tar::EntryType as T;
        match kind {
            T::Directory => {
                match parent.kind(&last).map_err(io("inspect"))? {
                    Some(libc::S_IFDIR) => {}
                    Some(_) => {
                        remove_existing(parent, &last).map_err(io("replace"))?;
                        parent
                            .mkdir(&last, 0o700)
                            .map_err(io("create the directory"))?;
                    }
                    None => parent
                        .mkdir(&last, 0o700)
                        .map_err(io("create the directory"))?,
                }
                let dir = parent
                    .open_dir(Path::new(&last))
                    .map_err(io("open the directory"))?;
                let raw_fd = std::os::fd::AsRawFd::as_raw_fd(&dir.as_fd());
                nix::unistd::fchown(raw_fd, Some(uid.into()), Some(gid.into()))
                    .map_err(|e| chown_hint(io("set the owner")(io::Error::from(e)), uid, gid))?;
                nix::sys::stat::fchmod(raw_fd, nix::sys::stat::Mode::from_bits_truncate(mode))
                    .map_err(|e| io("set the mode")(io::Error::from(e)))?;
                set_xattrs(&dir, &pax.xattrs, &name);
                let mut path: PathBuf = comps.iter().collect();
                path.push(&last);
                self.dir_times.push((path, secs, nanos));
            }
            T::Regular | T::Continuous | T::GNUSparse => {
                let mut file = match parent.create_file(&last, 0o600) {
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        remove_existing(parent, &last).map_err(io("replace"))?;
                        parent.create_file(&last, 0o600)
                    }
                    other => other,
                }
                .map_err(io("create the file"))?;
                io::copy(&mut entry, &mut file).map_err(io("write the file"))?;
                let raw_fd = std::os::fd::AsRawFd::as_raw_fd(&file);
                nix::unistd::fchown(raw_fd, Some(uid.into()), Some(gid.into()))
                    .map_err(|e| chown_hint(io("set the owner")(io::Error::from(e)), uid, gid))?;
                nix::sys::stat::fchmod(raw_fd, nix::sys::stat::Mode::from_bits_truncate(mode))
                    .map_err(|e| io("set the mode")(io::Error::from(e)))?;
                set_xattrs(&file, &pax.xattrs, &name);
                let ts = nix::sys::time::TimeSpec::new(secs, nanos);
                nix::sys::stat::futimens(raw_fd, &ts, &ts)
                    .map_err(|e| io("set the times")(io::Error::from(e)))?;
            }
            T::Symlink => {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| refuse("symlink without a target".into()))?
                    .into_owned();
                if target.is_empty() || target.contains(&0) {
                    return Err(refuse("symlink with an empty target".into()));
                }
                remove_existing(parent, &last).map_err(io("replace"))?;
                parent
                    .symlink(OsStr::from_bytes(&target), &last)
                    .map_err(io("create the symlink"))?;
                parent
                    .lchown(&last, uid, gid)
                    .map_err(|e| chown_hint(io("set the owner")(e), uid, gid))?;
                parent
                    .set_times(&last, secs, nanos)
                    .map_err(io("set the times"))?;
            }
            T::Link => {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| refuse("hard link without a target".into()))?
                    .into_owned();
                let mut tcomps = components(&target)
                    .map_err(|why| refuse(format!("hard link target: {why}")))?;
                let tlast = tcomps
                    .pop()
                    .ok_or_else(|| refuse("hard link to the layer root".into()))?;
                let tparent: PathBuf = tcomps.iter().collect();
                let tdir = self
                    .root
                    .open_dir(&tparent)
                    .map_err(|e| escape_or(e, &name, "open the hard link target's directory"))?;
                match tdir
                    .kind(&tlast)
                    .map_err(io("inspect the hard link target"))?
                {
                    None => {
                        return Err(refuse(format!(
                            "hard link target `{}` is not in this layer",
                            String::from_utf8_lossy(&target)
                        )));
                    }
                    Some(libc::S_IFDIR) => return Err(refuse("hard link to a directory".into())),
                    Some(_) => {}
                }
                let parent = self.parent(&comps, &name)?;
                remove_existing(parent, &last).map_err(io("replace"))?;
                parent
                    .hardlink(&tdir, &tlast, &last)
                    .map_err(io("create the hard link"))?;
            }
            T::Char | T::Block => {
                let major = header.device_major().ok().flatten().unwrap_or(1);
                let minor = header.device_minor().ok().flatten().unwrap_or(1);
                if kind == T::Char && major == 0 && minor == 0 {
                    remove_existing(parent, &last).map_err(io("replace"))?;
                    parent.whiteout(&last).map_err(io("create the device"))?;
                } else {
                    log::warn!(
                        "layer entry `{name}`: device node {major}:{minor} skipped (a rootless user cannot create devices)"
                    );
                }
            }
            T::Fifo => {
                remove_existing(parent, &last).map_err(io("replace"))?;
                parent.mkfifo(&last, 0o600).map_err(io("create the FIFO"))?;
                parent
                    .lchown(&last, uid, gid)
                    .map_err(|e| chown_hint(io("set the owner")(e), uid, gid))?;
                parent.chmod(&last, mode).map_err(io("set the mode"))?;
            }
            T::XGlobalHeader => {}
            other => {
                return Err(refuse(format!(
                    "unsupported entry type {:?}",
                    other.as_byte() as char
                )));
            }
        }
        Ok(())
    }

    /// Open (creating missing directories) the parent `comps` of entry `name`.
    fn parent(&mut self, comps: &[OsString], name: &str) -> Result<&DirFd, LayerError> {
        let cached = self
            .parent_cache
            .as_ref()
            .is_some_and(|(c, _)| c.as_slice() == comps);
        if !cached {
            // Fast path: one confined openat2 for the whole parent path.
            let rel: PathBuf = comps.iter().collect();
            if let Ok(dir) = self.root.open_dir(&rel) {
                self.parent_cache = Some((comps.to_vec(), dir));
                return Ok(&self.parent_cache.as_ref().expect("set above").1);
            }
            // Slow path: walk, creating what is missing and naming what
            // refuses; start at the cached parent when it is an ancestor
            // (entries come in tree order, so a new directory is usually
            // a child of the previous one).
            let start = match &self.parent_cache {
                Some((c, fd)) if comps.starts_with(c) => {
                    Some((c.len(), fd.open_dir(Path::new(""))))
                }
                _ => None,
            };
            let (skip, opened) = match start {
                Some((n, Ok(fd))) => (n, Ok(fd)),
                _ => (0, self.root.open_dir(Path::new(""))),
            };
            let mut dir = opened.map_err(|source| LayerError::Io {
                entry: name.into(),
                op: "open the layer directory",
                source,
            })?;
            for (i, c) in comps.iter().enumerate().skip(skip) {
                let so_far: PathBuf = comps[..=i].iter().collect();
                match dir.kind(c).map_err(|source| LayerError::Io {
                    entry: name.into(),
                    op: "inspect a parent directory",
                    source,
                })? {
                    Some(libc::S_IFDIR) => {}
                    Some(libc::S_IFLNK) => {
                        return Err(LayerError::Refused {
                            entry: name.into(),
                            why: format!("parent `{}` is a symlink", so_far.display()),
                        });
                    }
                    Some(_) => {
                        return Err(LayerError::Refused {
                            entry: name.into(),
                            why: format!("parent `{}` is not a directory", so_far.display()),
                        });
                    }
                    None => dir.mkdir(c, 0o755).map_err(|source| LayerError::Io {
                        entry: name.into(),
                        op: "create a parent directory",
                        source,
                    })?,
                }
                dir = dir
                    .open_dir(Path::new(c))
                    .map_err(|e| escape_or(e, name, "open a parent directory"))?;
            }
            self.parent_cache = Some((comps.to_vec(), dir));
        }
        Ok(&self.parent_cache.as_ref().expect("set above").1)
    }

    fn finish_dir_times(&self) {
        for (path, secs, nanos) in self.dir_times.iter().rev() {
            if let Ok(dir) = self.root.open_dir(path) {
                let _ = dir.set_own_times(*secs, *nanos);
            }
        }
    }
}

/// Remove whatever is at `name` (a later entry replaces an earlier one).
fn remove_existing(parent: &DirFd, name: &OsStr) -> io::Result<()> {
    match parent.kind(name)? {
        None => Ok(()),
        Some(_) => parent.remove(name),
    }
}

fn escape_or(e: io::Error, name: &str, op: &'static str) -> LayerError {
    match e.raw_os_error() {
        Some(libc::ELOOP) => LayerError::Refused {
            entry: name.into(),
            why: "path goes through a symlink".into(),
        },
        Some(libc::EXDEV) => LayerError::Refused {
            entry: name.into(),
            why: "path leaves the layer".into(),
        },
        _ => LayerError::Io {
            entry: name.into(),
            op,
            source: e,
        },
    }
}

fn chown_hint(e: LayerError, uid: u32, gid: u32) -> LayerError {
    match e {
        LayerError::Io { entry, source, .. } if source.raw_os_error() == Some(libc::EINVAL) => {
            LayerError::Refused {
                entry,
                why: format!(
                    "owner {uid}:{gid} is not mapped in rctl's user namespace\nhint: give your user a subordinate range of at least 65536 ids in /etc/subuid and /etc/subgid, then run `rctl system migrate` or remove the pause process"
                ),
            }
        }
        other => other,
    }
}

fn set_xattrs(fd: &impl AsFd, xattrs: &[(String, Vec<u8>)], name: &str) {
    for (k, v) in xattrs {
        if !xattr_allowed(k) {
            log::debug!("layer entry `{name}`: xattr `{k}` not applied");
            continue;
        }
        if let Err(e) = dirfd::set_xattr(fd.as_fd(), k, v) {
            log::warn!("layer entry `{name}`: xattr `{k}` not applied: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_checked() {
        assert_eq!(components(b"./a/b/").unwrap(), ["a", "b"]);
        assert!(components(b"").unwrap().is_empty());
        assert!(components(b"a/../../x").is_err());
        assert!(components(b"/etc/passwd").is_err());
        assert!(components(b"..").is_err());
    }

    #[test]
    fn owner_ids_past_32_bits_do_not_wrap_to_root() {
        assert_eq!(checked_id(1000), Some(1000));
        assert_eq!(checked_id(u64::from(u32::MAX) - 1), Some(u32::MAX - 1));
        assert_eq!(checked_id(1 << 32), None);
        assert_eq!(checked_id(u64::from(u32::MAX)), None);
    }

    #[test]
    fn pax_mtime_keeps_nanoseconds() {
        assert_eq!(parse_mtime("12.5"), Some((12, 500_000_000)));
        assert_eq!(parse_mtime("7"), Some((7, 0)));
        assert_eq!(parse_mtime("x"), None);
        // A signed fraction would give negative nanoseconds (EINVAL later).
        assert_eq!(parse_mtime("5.-1"), None);
        assert_eq!(parse_mtime("5.+1"), None);
    }

    #[test]
    fn overlay_xattrs_are_never_taken_from_a_layer() {
        assert!(!xattr_allowed("user.overlay.opaque"));
        assert!(!xattr_allowed("trusted.overlay.redirect"));
        assert!(xattr_allowed("user.comment"));
        assert!(xattr_allowed("security.capability"));
    }

    #[test]
    fn a_layer_past_the_size_limit_is_refused() {
        // 4 MiB of zeros compress to a few KiB: a small zip bomb.
        let mut tar = tar::Builder::new(Vec::new());
        let data = vec![0u8; 4 << 20];
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, "zeros", &data[..]).unwrap();
        let raw = tar.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &raw).unwrap();
        let gz = gz.finish().unwrap();
        assert!(gz.len() < 64 << 10);
        let dir = std::env::temp_dir().join(format!("rctl-bomb-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        match extract_limited(&gz[..], &dir, 1 << 20) {
            Err(LayerError::TooLarge { limit }) => assert_eq!(limit, 1 << 20),
            other => panic!("expected TooLarge, got {other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let ok = extract_limited(&gz[..], &dir, 8 << 20).unwrap();
        assert_eq!(ok.size, raw.len() as u64);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

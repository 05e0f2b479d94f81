//! COPY and ADD sources: finding them (in the build context, confined to
//! it, `.containerignore` applied, globs expanded; or in another stage's or
//! image's root filesystem), their checksums for the cache key, and writing
//! them into a step's root filesystem through descriptors confined to that
//! root (`openat2(RESOLVE_IN_ROOT)`, `O_NOFOLLOW` on every leaf), so that
//! neither a symlink in the context nor one in the image can lead a copy
//! outside. Symlinks below a copied directory are copied as symlinks.

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustix::fs::{AtFlags, Mode, OFlags};
use sha2::{Digest as _, Sha256};

use super::{CopiedFile, IgnoreMatcher};
use crate::runtime::confined;

/// Where sources are read from.
pub struct SourceRoot {
    fd: OwnedFd,
    /// `Some` for the build context (ignore rules apply).
    ignore: Option<IgnoreMatcher>,
    /// What to call it in messages (`the build context`, `stage builder`).
    pub what: String,
}

impl SourceRoot {
    pub fn context(dir: &Path, ignore: IgnoreMatcher) -> Result<SourceRoot> {
        Ok(SourceRoot {
            fd: confined::open_root(dir)?,
            ignore: Some(ignore),
            what: "the build context".into(),
        })
    }

    pub fn root(fd: OwnedFd, what: String) -> SourceRoot {
        SourceRoot {
            fd,
            ignore: None,
            what,
        }
    }

    fn ignored(&self, rel: &str) -> bool {
        self.ignore.as_ref().is_some_and(|m| m.is_ignored(rel))
    }
}

/// One thing to copy, already found.
pub struct Found {
    /// Path relative to the source root (for messages and the cache key).
    pub rel: String,
    /// An open `O_PATH` descriptor of the source (keeps it reachable).
    pub fd: OwnedFd,
    pub is_dir: bool,
    /// For a directory: its entries (relative to it), walked without
    /// following symlinks, ignored ones left out. Sorted.
    pub entries: Vec<PathBuf>,
}

impl Found {
    /// A path by which the source (or one of its entries) is reached.
    pub fn path(&self, entry: &Path) -> PathBuf {
        let base = confined::fd_path(&self.fd);
        if entry.as_os_str().is_empty() {
            base
        } else {
            base.join(entry)
        }
    }
}

/// Lexically clean a source path relative to the root: `None` when `..`
/// climbs out of it.
pub fn clean_rel(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    Some(parts.join("/"))
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Find the sources named by `pattern` (a path or a glob, relative to the
/// root; `..` out of the context is refused).
pub fn find(root: &SourceRoot, pattern: &str, keyword: &str) -> Result<Vec<Found>> {
    let Some(rel) = clean_rel(pattern) else {
        bail!(
            "{keyword} source `{pattern}` is outside {}\nhint: a build can only copy files inside its context directory; move the file into it",
            root.what
        );
    };
    let rels = if has_glob(&rel) {
        let found = glob(root, &rel)?;
        if found.is_empty() {
            bail!(
                "{keyword}: no source file matches `{pattern}` in {}",
                root.what
            );
        }
        found
    } else {
        vec![rel]
    };
    rels.into_iter()
        .map(|rel| found(root, &rel, pattern, keyword))
        .collect()
}

fn found(root: &SourceRoot, rel: &str, pattern: &str, keyword: &str) -> Result<Found> {
    let not_found = || {
        let hint = if root.ignored(rel) {
            "\nhint: it is excluded by .containerignore/.dockerignore"
        } else {
            ""
        };
        anyhow::anyhow!("{keyword}: `{pattern}` not found in {}{hint}", root.what)
    };
    if !rel.is_empty()
        && root.ignored(rel)
        && root.ignore.as_ref().is_some_and(|m| !m.has_exclusions())
    {
        return Err(not_found());
    }
    let fd = match confined::open(&root.fd, Path::new(rel), OFlags::PATH, false) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) | Err(rustix::io::Errno::NOTDIR) => return Err(not_found()),
        Err(e) => {
            return Err(e).with_context(|| format!("{keyword}: open `{pattern}` in {}", root.what));
        }
    };
    let st = rustix::fs::fstat(&fd).context("stat a source")?;
    let is_dir = rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Directory;
    let mut f = Found {
        rel: rel.to_string(),
        fd,
        is_dir,
        entries: Vec::new(),
    };
    if is_dir {
        let base = f.path(Path::new(""));
        walk(root, &base, rel, Path::new(""), &mut f.entries)?;
    } else if root.ignored(rel) {
        return Err(not_found());
    }
    Ok(f)
}

fn join_rel(a: &str, b: &Path) -> String {
    let b = b.to_string_lossy();
    if a.is_empty() {
        b.into_owned()
    } else {
        format!("{a}/{b}")
    }
}

fn walk(
    root: &SourceRoot,
    base: &Path,
    rel: &str,
    sub: &Path,
    out: &mut Vec<PathBuf>,
) -> Result<()> {
    let dir = base.join(sub);
    let mut names: Vec<_> = fs_err::read_dir(&dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()?;
    names.sort();
    for name in names {
        let entry = sub.join(&name);
        let full_rel = join_rel(rel, &entry);
        let meta = fs_err::symlink_metadata(base.join(&entry))?;
        let ignored = root.ignored(&full_rel);
        if meta.is_dir() {
            if ignored && !root.ignore.as_ref().is_some_and(|m| m.has_exclusions()) {
                continue;
            }
            let before = out.len();
            out.push(entry.clone());
            walk(root, base, rel, &entry, out)?;
            // An ignored directory stays only for the exceptions below it.
            if ignored && out.len() == before + 1 {
                out.pop();
            }
        } else if !ignored {
            out.push(entry);
        }
    }
    Ok(())
}

/// Expand a glob component by component (`*` never crosses `/`).
fn glob(root: &SourceRoot, pattern: &str) -> Result<Vec<String>> {
    let mut current = vec![String::new()];
    for comp in pattern.split('/') {
        let mut next = Vec::new();
        for prefix in &current {
            if !has_glob(comp) {
                next.push(join_rel(prefix, Path::new(comp)));
                continue;
            }
            let matcher = IgnoreMatcher::parse("COPY", comp).map_err(|e| anyhow::anyhow!("{e}"))?;
            let dir = match confined::open(
                &root.fd,
                Path::new(prefix),
                OFlags::RDONLY | OFlags::DIRECTORY,
                false,
            ) {
                Ok(d) => d,
                Err(_) => continue,
            };
            let mut names: Vec<String> = fs_err::read_dir(confined::fd_path(&dir))?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| matcher.is_ignored(n))
                .collect();
            names.sort();
            for n in names {
                let rel = join_rel(prefix, Path::new(&n));
                if !root.ignored(&rel) {
                    next.push(rel);
                }
            }
        }
        current = next;
    }
    Ok(current)
}

/// Copy a found directory to `to` (a new path on the host side, in rctl's
/// own scratch space): modes kept, symlinks copied as symlinks.
pub fn copy_tree(f: &Found, to: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let top = fs_err::metadata(f.path(Path::new("")))?;
    fs_err::create_dir(to)?;
    for e in &f.entries {
        let src = f.path(e);
        let dst = to.join(e);
        let meta = fs_err::symlink_metadata(&src)?;
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(fs_err::read_link(&src)?, &dst)?;
        } else if meta.is_dir() {
            fs_err::create_dir(&dst)?;
            fs_err::set_permissions(&dst, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        } else if meta.is_file() {
            fs_err::copy(&src, &dst)?;
        }
    }
    fs_err::set_permissions(to, std::fs::Permissions::from_mode(top.mode() & 0o7777))?;
    Ok(())
}

/// The checksums of everything `found` copies (content, mode, link target).
pub fn checksums(found: &[Found]) -> Result<Vec<CopiedFile>> {
    let mut out = Vec::new();
    for f in found {
        if f.is_dir {
            out.push(CopiedFile {
                path: f.rel.clone(),
                checksum: entry_sum(&f.path(Path::new("")), true)?,
            });
            for e in &f.entries {
                out.push(CopiedFile {
                    path: join_rel(&f.rel, e),
                    checksum: entry_sum(&f.path(e), false)?,
                });
            }
        } else {
            out.push(CopiedFile {
                path: f.rel.clone(),
                checksum: entry_sum(&f.path(Path::new("")), true)?,
            });
        }
    }
    Ok(out)
}

fn entry_sum(path: &Path, follow: bool) -> Result<String> {
    let meta = if follow {
        fs_err::metadata(path)?
    } else {
        fs_err::symlink_metadata(path)?
    };
    let mut h = Sha256::new();
    h.update(format!("mode={:o};", meta.mode()));
    if meta.file_type().is_symlink() {
        h.update(fs_err::read_link(path)?.as_os_str().as_encoded_bytes());
    } else if meta.is_file() {
        let mut f = fs_err::File::open(path)?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

/// Owner and mode overrides of `--chown` and `--chmod`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attrs {
    pub owner: Option<(u32, u32)>,
    pub mode: Option<u32>,
}

/// Writes into a step's root filesystem, confined to it.
pub struct Dest<'a> {
    pub root: BorrowedFd<'a>,
    /// Owner of missing parent directories created on the way (`--chown`,
    /// as buildah does); root when `None`.
    pub parents: Option<(u32, u32)>,
}

fn split_leaf(path: &Path) -> Result<(PathBuf, std::ffi::OsString)> {
    let rel: PathBuf = path
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    let leaf = rel
        .file_name()
        .map(|n| n.to_os_string())
        .with_context(|| format!("`{}` names no file", path.display()))?;
    Ok((
        rel.parent().map(Path::to_path_buf).unwrap_or_default(),
        leaf,
    ))
}

impl Dest<'_> {
    /// Whether `path` is an existing directory (symlinks followed inside
    /// the root).
    pub fn is_dir(&self, path: &Path) -> bool {
        confined::open(self.root, path, OFlags::RDONLY | OFlags::DIRECTORY, false).is_ok()
    }

    /// Open directory `path`, creating missing components (0755, owned by
    /// `owner` or root).
    pub fn mkdir_p(&self, path: &Path, owner: Option<(u32, u32)>) -> Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY;
        if let Ok(fd) = confined::open(self.root, path, flags, false) {
            return Ok(fd);
        }
        let mut cur = PathBuf::new();
        for c in path
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
        {
            let parent = confined::open(self.root, &cur, flags, false)
                .with_context(|| format!("`/{}` in the image is not a directory", cur.display()))?;
            cur.push(c);
            match rustix::fs::mkdirat(&parent, c.as_os_str(), Mode::from_raw_mode(0o755)) {
                Ok(()) => {
                    let (uid, gid) = owner.unwrap_or((0, 0));
                    rustix::fs::chownat(
                        &parent,
                        c.as_os_str(),
                        Some(rustix::fs::Uid::from_raw(uid)),
                        Some(rustix::fs::Gid::from_raw(gid)),
                        AtFlags::SYMLINK_NOFOLLOW,
                    )
                    .with_context(|| format!("set the owner of `/{}`", cur.display()))?;
                }
                Err(rustix::io::Errno::EXIST) => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("create `/{}` in the image", cur.display()));
                }
            }
        }
        confined::open(self.root, path, flags, false)
            .with_context(|| format!("`{}` in the image is not a directory", path.display()))
    }

    fn finish(
        &self,
        dir: BorrowedFd<'_>,
        leaf: &std::ffi::OsStr,
        mode: Option<u32>,
        owner: (u32, u32),
        link: bool,
    ) -> Result<()> {
        rustix::fs::chownat(
            dir,
            leaf,
            Some(rustix::fs::Uid::from_raw(owner.0)),
            Some(rustix::fs::Gid::from_raw(owner.1)),
            AtFlags::SYMLINK_NOFOLLOW,
        )
        .with_context(|| format!("set the owner of `{}`", leaf.to_string_lossy()))?;
        if let (Some(m), false) = (mode, link) {
            let fd = rustix::fs::openat(
                dir,
                leaf,
                OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            // chmod through /proc/self/fd: O_PATH descriptors take no fchmod.
            fs_err::set_permissions(
                confined::fd_path(&fd),
                std::os::unix::fs::PermissionsExt::from_mode(m),
            )?;
        }
        Ok(())
    }

    /// Remove whatever non-directory is at `leaf` so a new entry replaces
    /// it (a symlink there is replaced, never followed).
    fn clear(dir: BorrowedFd<'_>, leaf: &std::ffi::OsStr) {
        let _ = rustix::fs::unlinkat(dir, leaf, AtFlags::empty());
    }

    pub fn file(
        &self,
        path: &Path,
        content: &mut dyn Read,
        mode: u32,
        owner: (u32, u32),
    ) -> Result<()> {
        let (parent, leaf) = split_leaf(path)?;
        let dir = self.mkdir_p(&parent, self.parents)?;
        if rustix::fs::statat(&dir, &leaf, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|s| {
            rustix::fs::FileType::from_raw_mode(s.st_mode) == rustix::fs::FileType::Directory
        }) {
            bail!(
                "cannot copy a file over the directory `{}` in the image",
                path.display()
            );
        }
        Self::clear(dir.as_fd(), &leaf);
        let fd = rustix::fs::openat(
            &dir,
            &leaf,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .with_context(|| format!("create `{}` in the image", path.display()))?;
        let mut out = std::fs::File::from(fd);
        std::io::copy(content, &mut out).with_context(|| format!("write `{}`", path.display()))?;
        drop(out);
        self.finish(dir.as_fd(), &leaf, Some(mode), owner, false)
    }

    pub fn dir(&self, path: &Path, mode: u32, owner: (u32, u32)) -> Result<()> {
        let (parent, leaf) = match split_leaf(path) {
            Ok(x) => x,
            Err(_) => return Ok(()), // the root itself
        };
        let dir = self.mkdir_p(&parent, self.parents)?;
        match rustix::fs::mkdirat(&dir, &leaf, Mode::from_raw_mode(0o700)) {
            Ok(()) => {}
            Err(rustix::io::Errno::EXIST) => {
                let st = rustix::fs::statat(&dir, &leaf, AtFlags::SYMLINK_NOFOLLOW)?;
                if rustix::fs::FileType::from_raw_mode(st.st_mode)
                    != rustix::fs::FileType::Directory
                {
                    Self::clear(dir.as_fd(), &leaf);
                    rustix::fs::mkdirat(&dir, &leaf, Mode::from_raw_mode(0o700))
                        .with_context(|| format!("create `{}` in the image", path.display()))?;
                }
            }
            Err(e) => {
                return Err(e).with_context(|| format!("create `{}` in the image", path.display()));
            }
        }
        self.finish(dir.as_fd(), &leaf, Some(mode), owner, false)
    }

    pub fn symlink(&self, path: &Path, target: &Path, owner: (u32, u32)) -> Result<()> {
        let (parent, leaf) = split_leaf(path)?;
        let dir = self.mkdir_p(&parent, self.parents)?;
        Self::clear(dir.as_fd(), &leaf);
        rustix::fs::symlinkat(target, &dir, &leaf)
            .with_context(|| format!("create symlink `{}` in the image", path.display()))?;
        self.finish(dir.as_fd(), &leaf, None, owner, true)
    }

    /// Copy one found source to `dest` (a file path, or the directory its
    /// contents go into).
    pub fn copy(&self, f: &Found, dest: &Path, attrs: Attrs) -> Result<()> {
        let owner = attrs.owner.unwrap_or((0, 0));
        if !f.is_dir {
            let meta = fs_err::metadata(f.path(Path::new("")))?;
            let mut input = fs_err::File::open(f.path(Path::new("")))?;
            let mode = attrs.mode.unwrap_or(meta.mode() & 0o7777);
            return self.file(dest, &mut input, mode, owner);
        }
        let top = fs_err::metadata(f.path(Path::new("")))?;
        // An existing destination directory keeps its owner and mode.
        if !self.is_dir(dest) {
            self.dir(dest, attrs.mode.unwrap_or(top.mode() & 0o7777), owner)?;
        }
        for e in &f.entries {
            let src = f.path(e);
            let meta = fs_err::symlink_metadata(&src)?;
            let to = dest.join(e);
            let mode = attrs.mode.unwrap_or(meta.mode() & 0o7777);
            if meta.file_type().is_symlink() {
                self.symlink(&to, &fs_err::read_link(&src)?, owner)?;
            } else if meta.is_dir() {
                self.dir(&to, mode, owner)?;
            } else if meta.is_file() {
                let mut input = fs_err::File::open(&src)?;
                self.file(&to, &mut input, mode, owner)?;
            } else {
                log::warn!("`{}`: not a file, directory or symlink; not copied", f.rel);
            }
        }
        Ok(())
    }

    /// Extract the (plain, gzip or zstd) tar archive `input` into the
    /// directory `dest`, confined to the root; `owner` overrides the
    /// archive's owners.
    pub fn extract(
        &self,
        input: impl std::io::BufRead,
        dest: &Path,
        owner: Option<(u32, u32)>,
    ) -> Result<()> {
        self.mkdir_p(dest, owner)?;
        let reader = crate::store::layer::decompressed(input).context("read the archive")?;
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries().context("read the archive")? {
            let mut entry = entry.context("read the archive")?;
            let name = entry
                .path()
                .context("an archive entry's name")?
                .into_owned();
            let Some(rel) = clean_rel(&name.to_string_lossy()) else {
                bail!(
                    "archive entry `{}` climbs out of its directory",
                    name.display()
                );
            };
            if rel.is_empty() {
                continue;
            }
            let to = dest.join(&rel);
            let h = entry.header();
            let mode = h.mode().unwrap_or(0o644) & 0o7777;
            let o = owner.unwrap_or((h.uid().unwrap_or(0) as u32, h.gid().unwrap_or(0) as u32));
            match h.entry_type() {
                tar::EntryType::Directory => self.dir(&to, mode, o)?,
                tar::EntryType::Symlink => {
                    let target = entry
                        .link_name()?
                        .context("a symlink without a target")?
                        .into_owned();
                    self.symlink(&to, &target, o)?;
                }
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    self.file(&to, &mut entry, mode, o)?
                }
                tar::EntryType::Link => {
                    let target = entry
                        .link_name()?
                        .context("a hard link without a target")?
                        .into_owned();
                    let Some(trel) = clean_rel(&target.to_string_lossy()) else {
                        bail!(
                            "archive hard link `{}` points out of its directory",
                            name.display()
                        );
                    };
                    let (tp, tl) = split_leaf(&dest.join(trel))?;
                    let (p, l) = split_leaf(&to)?;
                    let tdir = self.mkdir_p(&tp, self.parents)?;
                    let dir = self.mkdir_p(&p, self.parents)?;
                    Self::clear(dir.as_fd(), &l);
                    rustix::fs::linkat(&tdir, &tl, &dir, &l, AtFlags::empty())
                        .with_context(|| format!("create hard link `{}`", to.display()))?;
                }
                other => log::warn!(
                    "archive entry `{}` ({other:?}) not extracted",
                    name.display()
                ),
            }
        }
        Ok(())
    }
}

/// Whether the file starts like a tar archive, plain or compressed (ADD
/// extracts those).
pub fn is_archive(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return false,
        }
    }
    let head = &head[..n];
    head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || (n >= 262 && &head[257..262] == b"ustar")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(clean_rel("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(clean_rel("/x/y").as_deref(), Some("x/y"));
        assert_eq!(clean_rel(".").as_deref(), Some(""));
        assert_eq!(clean_rel("../x"), None);
        assert_eq!(clean_rel("a/../../x"), None);
    }

    #[test]
    fn globs_are_recognised() {
        assert!(has_glob("*.txt"));
        assert!(has_glob("a/file?"));
        assert!(!has_glob("a/b.txt"));
    }
}

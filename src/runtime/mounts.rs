//! Executing the mount part of a spec inside the container's new mount
//! namespace: the root filesystem (bind or overlay), the spec's mounts with
//! every target resolved inside the root (`confined`), masked and read-only
//! paths, then `pivot_root`.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use oci_spec::runtime::{Mount, Spec};
use rustix::fs::OFlags;

use super::RootfsSource;
use super::confined::{self, Kind, fd_path};

/// The per-container directories of an overlay root.
#[derive(Debug, Clone)]
pub struct OverlayDirs {
    pub upper: PathBuf,
    pub work: PathBuf,
}

/// The overlay mount data for layers (lowest first).
pub fn overlay_data(lower: &[PathBuf], dirs: &OverlayDirs) -> String {
    let lowers: Vec<String> = lower
        .iter()
        .rev()
        .map(|p| p.to_string_lossy().replace(':', "\\:"))
        .collect();
    format!(
        "lowerdir={},upperdir={},workdir={},userxattr",
        lowers.join(":"),
        dirs.upper.display(),
        dirs.work.display()
    )
}

/// The longest overlay mount data the kernel takes (one page, less the
/// terminating NUL and some room).
const MOUNT_DATA_MAX: usize = 4000;

/// Goes back to the saved working directory when dropped.
struct RestoreCwd(Option<PathBuf>);

impl Drop for RestoreCwd {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = nix::unistd::chdir(dir);
        }
    }
}

/// The common directory of `lower` and each layer's path relative to it.
fn relative_lowers(lower: &[PathBuf]) -> Option<(PathBuf, Vec<PathBuf>)> {
    let base = lower.first()?.parent()?.to_path_buf();
    let relative = lower
        .iter()
        .map(|p| p.strip_prefix(&base).ok().map(Path::to_path_buf))
        .collect::<Option<Vec<_>>>()?;
    Some((base, relative))
}

/// Mount the root filesystem on `target`.
pub fn mount_rootfs(source: &RootfsSource, target: &Path, overlay: &OverlayDirs) -> Result<()> {
    match source {
        RootfsSource::Dir(dir) => mount(
            Some(dir.as_path()),
            target,
            None::<&str>,
            MsFlags::MS_BIND | MsFlags::MS_REC,
            None::<&str>,
        )
        .with_context(|| format!("bind `{}` on `{}`", dir.display(), target.display())),
        RootfsSource::Layers { lower } => {
            let mut data = overlay_data(lower, overlay);
            // Mount data is limited to one page: with many layers, name them
            // relative to their common directory (the store's short `l/`
            // links) and mount from there.
            let _cwd = if data.len() > MOUNT_DATA_MAX {
                let (base, relative) = relative_lowers(lower).with_context(|| {
                    format!(
                        "{} layers do not fit in overlay's mount options",
                        lower.len()
                    )
                })?;
                let cwd = std::env::current_dir().ok();
                nix::unistd::chdir(&base).with_context(|| format!("enter `{}`", base.display()))?;
                data = overlay_data(&relative, overlay);
                Some(RestoreCwd(cwd))
            } else {
                None
            };
            mount(
                Some("overlay"),
                target,
                Some("overlay"),
                MsFlags::empty(),
                Some(data.as_str()),
            )
            .with_context(|| format!("mount overlay on `{}`", target.display()))
        }
    }
}

/// Flags, propagation and data of a spec mount's options.
fn parse_options(opts: &[String]) -> (MsFlags, bool, Vec<String>, MsFlags) {
    let mut flags = MsFlags::empty();
    let mut ro = false;
    let mut data = Vec::new();
    let mut propagation = MsFlags::empty();
    for o in opts {
        match o.as_str() {
            "private" => propagation = MsFlags::MS_PRIVATE,
            "rprivate" => propagation = MsFlags::MS_PRIVATE | MsFlags::MS_REC,
            "shared" => propagation = MsFlags::MS_SHARED,
            "rshared" => propagation = MsFlags::MS_SHARED | MsFlags::MS_REC,
            "slave" => propagation = MsFlags::MS_SLAVE,
            "rslave" => propagation = MsFlags::MS_SLAVE | MsFlags::MS_REC,
            "nosuid" => flags |= MsFlags::MS_NOSUID,
            "nodev" => flags |= MsFlags::MS_NODEV,
            "noexec" => flags |= MsFlags::MS_NOEXEC,
            "strictatime" => flags |= MsFlags::MS_STRICTATIME,
            "bind" => flags |= MsFlags::MS_BIND,
            "rbind" => flags |= MsFlags::MS_BIND | MsFlags::MS_REC,
            "ro" => ro = true,
            "rw" => {}
            other => data.push(other.to_string()),
        }
    }
    (flags, ro, data, propagation)
}

/// The flags a remount must keep (the kernel refuses to clear locked ones).
fn kept_flags(path: &Path) -> MsFlags {
    use nix::sys::statvfs::{FsFlags, statvfs};
    let Ok(st) = statvfs(path) else {
        return MsFlags::empty();
    };
    let f = st.flags();
    let mut m = MsFlags::empty();
    for (s, ms) in [
        (FsFlags::ST_NOSUID, MsFlags::MS_NOSUID),
        (FsFlags::ST_NODEV, MsFlags::MS_NODEV),
        (FsFlags::ST_NOEXEC, MsFlags::MS_NOEXEC),
        (FsFlags::ST_NOATIME, MsFlags::MS_NOATIME),
        (FsFlags::ST_NODIRATIME, MsFlags::MS_NODIRATIME),
        (FsFlags::ST_RELATIME, MsFlags::MS_RELATIME),
    ] {
        if f.contains(s) {
            m |= ms;
        }
    }
    m
}

/// Remount the mount at `path` read-only, keeping its other flags.
fn remount_ro(path: &Path, extra: MsFlags) -> Result<()> {
    let flags =
        kept_flags(path) | extra | MsFlags::MS_REMOUNT | MsFlags::MS_BIND | MsFlags::MS_RDONLY;
    mount(None::<&str>, path, None::<&str>, flags, None::<&str>)
        .with_context(|| format!("remount `{}` read-only", path.display()))
}

fn is_special(dest: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| dest.starts_with(p))
}

/// Apply one spec mount inside `root`.
fn apply_mount(root: &OwnedFd, m: &Mount) -> Result<()> {
    let dest = m.destination();
    let typ = m.typ().as_deref().unwrap_or("bind");
    let source = m.source().clone().unwrap_or_else(|| PathBuf::from(typ));
    let (mut flags, ro, data, propagation) =
        parse_options(m.options().as_deref().unwrap_or_default());
    let is_bind = typ == "bind" || flags.contains(MsFlags::MS_BIND);
    let kind = if is_bind && !source.is_dir() {
        Kind::File
    } else {
        Kind::Dir
    };
    let target = confined::mount_target(root, dest, kind, is_special(dest))?;
    let tpath = fd_path(&target);
    let mut data = data.join(",");
    if is_bind {
        flags |= MsFlags::MS_BIND;
    }
    let fstype = (!is_bind).then_some(typ);
    let mut res = mount(
        Some(source.as_path()),
        &tpath,
        fstype,
        flags,
        (!data.is_empty()).then_some(data.as_str()),
    );
    if res.is_err() && typ == "devpts" && data.contains("gid=5") {
        // gid 5 is not mapped without subordinate ids.
        data = data.replace(",gid=5", "").replace("gid=5", "");
        res = mount(
            Some("devpts"),
            &tpath,
            Some("devpts"),
            flags,
            Some(data.as_str()),
        );
    }
    if res.is_err() && typ == "sysfs" {
        // A rootless user may not mount sysfs in every setup: bind the host's.
        res = mount(
            Some("/sys"),
            &tpath,
            None::<&str>,
            MsFlags::MS_BIND | MsFlags::MS_REC,
            None::<&str>,
        );
    }
    res.with_context(|| format!("mount {typ} on `{}` in the container", dest.display()))?;
    if !propagation.is_empty() {
        let target = confined::mount_target(root, dest, kind, is_special(dest))?;
        mount(
            None::<&str>,
            &fd_path(&target),
            None::<&str>,
            propagation,
            None::<&str>,
        )
        .with_context(|| format!("set the propagation of `{}`", dest.display()))?;
    }
    if ro {
        // The mount now sits on the same path; reopen to reach the new one.
        let target = confined::mount_target(root, dest, kind, is_special(dest))?;
        remount_ro(
            &fd_path(&target),
            flags & (MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC),
        )?;
    } else if is_bind && flags.intersects(BIND_FLAGS) {
        // A bind ignores these flags: apply them with a remount (as runc).
        let target = confined::mount_target(root, dest, kind, is_special(dest))?;
        let path = fd_path(&target);
        let remount =
            kept_flags(&path) | (flags & BIND_FLAGS) | MsFlags::MS_REMOUNT | MsFlags::MS_BIND;
        mount(None::<&str>, &path, None::<&str>, remount, None::<&str>)
            .with_context(|| format!("remount `{}` {remount:?}", dest.display()))?;
    }
    Ok(())
}

/// The flags of a bind mount that take a remount to apply.
const BIND_FLAGS: MsFlags = MsFlags::MS_NOSUID
    .union(MsFlags::MS_NODEV)
    .union(MsFlags::MS_NOEXEC);

/// The links every container's `/dev` has.
fn dev_links(root: &OwnedFd) -> Result<()> {
    let dev = confined::open(
        root,
        Path::new("/dev"),
        OFlags::PATH | OFlags::DIRECTORY,
        true,
    )
    .context("open /dev in the container")?;
    for (name, target) in [
        ("ptmx", "pts/ptmx"),
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("core", "/proc/kcore"),
    ] {
        match rustix::fs::symlinkat(target, &dev, name) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => {
                return Err(e).with_context(|| format!("create /dev/{name} in the container"));
            }
        }
    }
    Ok(())
}

/// Mask a path: `/dev/null` over a file, an empty read-only tmpfs over a
/// directory. Missing paths are skipped.
fn mask(root: &OwnedFd, path: &Path) -> Result<()> {
    let fd = match confined::open(root, path, OFlags::PATH, true) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("open masked path `{}`", path.display())),
    };
    let p = fd_path(&fd);
    let is_dir = rustix::fs::fstat(&fd).is_ok_and(|s| {
        rustix::fs::FileType::from_raw_mode(s.st_mode) == rustix::fs::FileType::Directory
    });
    let res = if is_dir {
        mount(
            Some("tmpfs"),
            &p,
            Some("tmpfs"),
            MsFlags::MS_RDONLY,
            Some("size=0"),
        )
    } else {
        mount(
            Some("/dev/null"),
            &p,
            None::<&str>,
            MsFlags::MS_BIND,
            None::<&str>,
        )
    };
    res.with_context(|| format!("mask `{}` in the container", path.display()))
}

/// Make a path read-only (bind it on itself, remount read-only).
fn readonly(root: &OwnedFd, path: &Path) -> Result<()> {
    let fd = match confined::open(root, path, OFlags::PATH, true) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| format!("open read-only path `{}`", path.display()));
        }
    };
    let p = fd_path(&fd);
    mount(
        Some(&p),
        &p,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .with_context(|| format!("bind `{}` in the container", path.display()))?;
    let fd = confined::open(root, path, OFlags::PATH, true)?;
    remount_ro(&fd_path(&fd), MsFlags::empty())
}

/// Set up the whole filesystem view of the container from `spec` and
/// switch into it. Runs in the container's fresh mount namespace.
pub fn setup(spec: &Spec, source: &RootfsSource, overlay: &OverlayDirs) -> Result<()> {
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_SLAVE,
        None::<&str>,
    )
    .context("make mounts private to the container")?;
    let root_path = spec
        .root()
        .as_ref()
        .map(|r| r.path().clone())
        .context("the spec has no root")?;
    mount_rootfs(source, &root_path, overlay)?;
    let root = confined::open_root(&root_path)?;
    // Before any mount covers the image's content.
    super::copyup::run(&root, spec)?;
    for m in spec.mounts().as_deref().unwrap_or_default() {
        apply_mount(&root, m)?;
        if m.destination() == Path::new("/dev") {
            dev_links(&root)?;
        }
    }
    if let Some(linux) = spec.linux() {
        for p in linux.masked_paths().as_deref().unwrap_or_default() {
            mask(&root, Path::new(p))?;
        }
        for p in linux.readonly_paths().as_deref().unwrap_or_default() {
            readonly(&root, Path::new(p))?;
        }
    }
    drop(root);
    pivot(&root_path)?;
    if spec.root().as_ref().and_then(|r| r.readonly()) == Some(true) {
        remount_ro(Path::new("/"), MsFlags::empty())?;
    }
    Ok(())
}

/// `pivot_root` into `root` and detach the old root.
fn pivot(root: &Path) -> Result<()> {
    nix::unistd::chdir(root).with_context(|| format!("enter `{}`", root.display()))?;
    nix::unistd::pivot_root(".", ".").context("pivot_root into the container")?;
    umount2(".", MntFlags::MNT_DETACH).context("detach the old root")?;
    nix::unistd::chdir("/").context("enter the container's /")?;
    Ok(())
}

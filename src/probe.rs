//! Facts about the host that decide how rctl works: whether kernel overlayfs
//! mounts inside our user namespace (tested with a real mount, cached per
//! boot), the cgroup layout, and which helper programs exist.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::config::{CgroupManager, Dirs};
use crate::env::Env;
use crate::ondisk;

/// The result of trying a kernel overlay mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlayProbe {
    pub works: bool,
    /// Why it failed, when it did.
    pub reason: Option<String>,
}

/// Probe kernel overlayfs inside the current (rctl's) mount namespace, or
/// return the cached answer from `RUNROOT/overlay-probe`.
pub fn overlay(dirs: &Dirs, rootless: bool) -> Result<OverlayProbe> {
    let cache = dirs.runroot.join("overlay-probe");
    if let Ok(text) = std::fs::read_to_string(&cache) {
        if text.starts_with("ok") {
            return Ok(OverlayProbe {
                works: true,
                reason: None,
            });
        }
        if let Some(reason) = text.strip_prefix("no ") {
            return Ok(OverlayProbe {
                works: false,
                reason: Some(reason.trim().to_string()),
            });
        }
    }
    ondisk::create_private_dir(&dirs.root)?;
    let base = dirs.root.join(format!(".probe-{}", std::process::id()));
    let result = try_overlay_mount(&base, rootless);
    let _ = std::fs::remove_dir_all(&base);
    let probe = match result {
        Ok(()) => OverlayProbe {
            works: true,
            reason: None,
        },
        Err(e) => OverlayProbe {
            works: false,
            reason: Some(format!("{e:#}")),
        },
    };
    let text = match &probe.reason {
        None => "ok\n".to_string(),
        Some(r) => format!("no {r}\n"),
    };
    ondisk::create_private_dir(&dirs.runroot)?;
    ondisk::write_atomic(&cache, text.as_bytes())?;
    Ok(probe)
}

fn try_overlay_mount(base: &Path, rootless: bool) -> Result<()> {
    use anyhow::Context;
    let [lower, upper, work, merged] = ["l", "u", "w", "m"].map(|d| base.join(d));
    for d in [&lower, &upper, &work, &merged] {
        fs_err::create_dir_all(d)?;
    }
    fs_err::write(lower.join("f"), "x")?;
    let mut data = format!(
        "lowerdir={},upperdir={},workdir={}",
        lower.display(),
        upper.display(),
        work.display()
    );
    if rootless {
        data.push_str(",userxattr");
    }
    nix::mount::mount(
        Some("overlay"),
        &merged,
        Some("overlay"),
        nix::mount::MsFlags::empty(),
        Some(data.as_str()),
    )
    .with_context(|| format!("mount overlay on `{}`", merged.display()))?;
    let seen = std::fs::read_to_string(merged.join("f"));
    let _ = nix::mount::umount2(&merged, nix::mount::MntFlags::MNT_DETACH);
    anyhow::ensure!(
        seen.ok().as_deref() == Some("x"),
        "overlay mounted but the lower file is not visible"
    );
    Ok(())
}

/// The cgroup layout of the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupVersion {
    V2,
    /// v1 controllers with a (usually empty) v2 hierarchy beside them.
    Hybrid,
    V1,
    None,
}

impl CgroupVersion {
    pub fn name(self) -> &'static str {
        match self {
            CgroupVersion::V2 => "v2",
            CgroupVersion::Hybrid => "v1 (hybrid)",
            CgroupVersion::V1 => "v1",
            CgroupVersion::None => "none",
        }
    }
}

const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;

// The statfs field's integer type differs between architectures.
#[allow(clippy::unnecessary_cast)]
fn is_cgroup2(path: &str) -> bool {
    nix::sys::statfs::statfs(path)
        .is_ok_and(|s| s.filesystem_type().0 as i64 == CGROUP2_SUPER_MAGIC)
}

pub fn cgroup_version() -> CgroupVersion {
    if is_cgroup2("/sys/fs/cgroup") {
        CgroupVersion::V2
    } else if is_cgroup2("/sys/fs/cgroup/unified") {
        CgroupVersion::Hybrid
    } else if Path::new("/sys/fs/cgroup/memory").exists() {
        CgroupVersion::V1
    } else {
        CgroupVersion::None
    }
}

/// The cgroup manager to use when none is configured: systemd when the
/// host is on cgroup v2 and the user's bus is there, else none.
pub fn default_cgroup_manager(env: &Env, version: CgroupVersion) -> CgroupManager {
    let bus = env
        .runtime_dir
        .as_ref()
        .is_some_and(|d| d.join("bus").exists());
    match version {
        CgroupVersion::V2 if bus => CgroupManager::Systemd,
        _ => CgroupManager::None,
    }
}

/// Helper programs rctl may run, and where they were found.
#[derive(Debug, Clone, Serialize)]
pub struct HelperPaths {
    pub newuidmap: Option<PathBuf>,
    pub newgidmap: Option<PathBuf>,
    pub pasta: Option<PathBuf>,
    pub slirp4netns: Option<PathBuf>,
    pub fuse_overlayfs: Option<PathBuf>,
}

pub fn helpers(path: &crate::helper::HelperPath) -> HelperPaths {
    HelperPaths {
        newuidmap: path.find("newuidmap"),
        newgidmap: path.find("newgidmap"),
        pasta: path.find("pasta"),
        slirp4netns: path.find("slirp4netns"),
        fuse_overlayfs: path.find("fuse-overlayfs"),
    }
}

/// `uname -r`.
pub fn kernel_release() -> String {
    nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown".into())
}

//! `rctl info`: how rctl sees this host.

use anyhow::Result;
use serde::Serialize;

use crate::app::App;
use crate::cli::InfoArgs;
use crate::format::render_one;
use crate::idmap::IdMapEntry;
use crate::probe;

#[derive(Serialize)]
struct Info {
    host: Host,
    store: Store,
    version: &'static str,
}

#[derive(Serialize)]
struct Host {
    rootless: bool,
    uid: u32,
    gid: u32,
    uid_map: Vec<IdMapEntry>,
    gid_map: Vec<IdMapEntry>,
    pause_pid: i32,
    kernel: String,
    arch: &'static str,
    cgroup_version: probe::CgroupVersion,
    cgroup_manager: &'static str,
    helpers: probe::HelperPaths,
    runtime_dir_fallback: bool,
    /// ICMP ping for `--network host` containers (the host's
    /// ping_group_range); containers with their own network always can.
    ping_host_network: bool,
}

#[derive(Serialize)]
struct Store {
    config_file: String,
    root: String,
    runroot: String,
    driver: &'static str,
    overlay: bool,
    overlay_error: Option<String>,
}

pub fn run(app: &App, args: &InfoArgs) -> Result<()> {
    let session = app.enter()?;
    let overlay = probe::overlay(&app.dirs, session.rootless)?;
    let helpers = probe::helpers(&app.helpers);
    let driver = app.requested_driver().unwrap_or(if overlay.works {
        crate::config::StorageDriver::Overlay
    } else if helpers.fuse_overlayfs.is_some() {
        crate::config::StorageDriver::FuseOverlayfs
    } else {
        crate::config::StorageDriver::Vfs
    });
    let cgroup_version = probe::cgroup_version();
    let cgroup_manager = app
        .global_cgroup_manager
        .or(app.config.engine.cgroup_manager)
        .unwrap_or_else(|| probe::default_cgroup_manager(&app.env, cgroup_version));
    let info = Info {
        host: Host {
            rootless: session.rootless,
            uid: app.env.uid,
            gid: app.env.gid,
            uid_map: session.uid_map,
            gid_map: session.gid_map,
            pause_pid: session.pause_pid,
            kernel: probe::kernel_release(),
            arch: super::version::go_arch(),
            cgroup_version,
            cgroup_manager: cgroup_manager.name(),
            helpers,
            runtime_dir_fallback: app.dirs.runtime_fallback,
            ping_host_network: crate::network::ping::host_allows(app.env.gid),
        },
        store: Store {
            config_file: app.dirs.config_file.display().to_string(),
            root: app.dirs.root.display().to_string(),
            runroot: app.dirs.runroot.display().to_string(),
            driver: driver.name(),
            overlay: overlay.works,
            overlay_error: overlay.reason,
        },
        version: env!("CARGO_PKG_VERSION"),
    };
    print!(
        "{}",
        render_one(&args.format, &serde_json::to_value(&info)?, || human(&info))?
    );
    Ok(())
}

fn map_lines(map: &[IdMapEntry]) -> String {
    map.iter().map(|e| format!("\n    - {e}")).collect()
}

fn opt(p: &Option<std::path::PathBuf>) -> String {
    p.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "not found".into())
}

fn human(i: &Info) -> String {
    let h = &i.host;
    let s = &i.store;
    format!(
        "host:\n  rootless: {}\n  uid: {}\n  gid: {}\n  uidMap:{}\n  gidMap:{}\n  pausePid: {}\n  kernel: {}\n  arch: {}\n  cgroupVersion: {}\n  cgroupManager: {}\n  helpers:\n    newuidmap: {}\n    newgidmap: {}\n    pasta: {}\n    slirp4netns: {}\n    fuse-overlayfs: {}\n  ping: own network namespaces yes, --network host {}\nstore:\n  configFile: {}\n  root: {}\n  runRoot: {}\n  driver: {}\n  kernelOverlay: {}{}\nversion: {}\n",
        h.rootless,
        h.uid,
        h.gid,
        map_lines(&h.uid_map),
        map_lines(&h.gid_map),
        h.pause_pid,
        h.kernel,
        h.arch,
        h.cgroup_version.name(),
        h.cgroup_manager,
        opt(&h.helpers.newuidmap),
        opt(&h.helpers.newgidmap),
        opt(&h.helpers.pasta),
        opt(&h.helpers.slirp4netns),
        opt(&h.helpers.fuse_overlayfs),
        if h.ping_host_network {
            "yes"
        } else {
            "no (host ping_group_range excludes your group; see rctl check)"
        },
        s.config_file,
        s.root,
        s.runroot,
        s.driver,
        s.overlay,
        s.overlay_error
            .as_ref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default(),
        i.version
    )
}

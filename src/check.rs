//! `rctl check`: diagnose a host for rootless use. Each finding says what
//! was seen and, when something is wrong, how to fix it.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::Serialize;

use crate::app::App;
use crate::idmap;
use crate::probe::{self, CgroupVersion};

/// How a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Works, but something a user may want is missing.
    Warn,
    /// rctl (or a feature of it) will not work until fixed.
    Fail,
}

/// One thing checked.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

fn ok(check: &'static str, detail: impl Into<String>) -> Finding {
    Finding {
        check,
        status: Status::Ok,
        detail: detail.into(),
        fix: None,
    }
}

fn warn(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding {
        check,
        status: Status::Warn,
        detail: detail.into(),
        fix: Some(fix.into()),
    }
}

fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding {
        check,
        status: Status::Fail,
        detail: detail.into(),
        fix: Some(fix.into()),
    }
}

fn read_trim(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// Run every check. Never fails: a check that cannot run is a finding.
pub fn run(app: &App) -> Vec<Finding> {
    let env = &app.env;
    let name = env.user_name.clone().unwrap_or_else(|| env.uid.to_string());
    let mut out = Vec::new();
    out.push(subids(&name, &env.subuid_file, env.uid, "subuid"));
    out.push(subids(&name, &env.subgid_file, env.gid, "subgid"));
    for tool in ["newuidmap", "newgidmap"] {
        out.push(id_helper(app, tool));
    }
    out.push(userns_sysctls());
    out.push(runtime_dir(app));
    out.push(user_bus(app));
    out.push(linger(&name));
    out.extend(cgroups(app));
    out.push(home_filesystem(app));
    for (tool, why) in [
        ("pasta", "default rootless network"),
        ("slirp4netns", "fallback rootless network"),
        ("fuse-overlayfs", "storage when kernel overlay is refused"),
    ] {
        out.push(match app.helpers.find(tool) {
            Some(p) => ok(tool_check(tool), format!("{} ({why})", p.display())),
            None => warn(
                tool_check(tool),
                format!("not installed ({why})"),
                format!("install the `{}` package", crate::helper::package_of(tool)),
            ),
        });
    }
    for dev in ["/dev/net/tun", "/dev/fuse"] {
        out.push(device(dev));
    }
    out.push(unprivileged_ports());
    out.push(ping_range(env.gid));
    out.push(selinux());
    // Last, because it creates the namespace (and the storage root).
    out.push(overlay(app));
    out
}

fn tool_check(tool: &str) -> &'static str {
    match tool {
        "pasta" => "pasta",
        "slirp4netns" => "slirp4netns",
        _ => "fuse-overlayfs",
    }
}

fn subids(name: &str, file: &Path, own: u32, check: &'static str) -> Finding {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return fail(
                check,
                format!("cannot read `{}`: {e}", file.display()),
                "make the file readable (mode 0644)",
            );
        }
    };
    match idmap::parse_subid(&text, file, Some(name), own)
        .and_then(|r| idmap::plan_map(own, &r, file).map(|m| (r, m)))
    {
        Err(e) => fail(
            check,
            e.to_string(),
            format!("fix that line in `{}` (`NAME:START:COUNT`)", file.display()),
        ),
        Ok((ranges, _)) if ranges.is_empty() => warn(
            check,
            format!(
                "no range for `{name}` in `{}`: only your own id can be mapped",
                file.display()
            ),
            format!(
                "as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {name}"
            ),
        ),
        Ok((ranges, _)) => {
            let total: u64 = ranges.iter().map(|r| u64::from(r.count)).sum();
            let detail = ranges
                .iter()
                .map(|r| format!("{}:{}", r.start, r.count))
                .collect::<Vec<_>>()
                .join(", ");
            if total < 65536 {
                warn(
                    check,
                    format!("{detail} ({total} ids; images need 65536)"),
                    format!("give `{name}` a range of 65536 ids in `{}`", file.display()),
                )
            } else {
                ok(check, detail)
            }
        }
    }
}

fn id_helper(app: &App, tool: &'static str) -> Finding {
    let Some(path) = app.helpers.find(tool) else {
        return fail(tool, "not installed", "install the `uidmap` package");
    };
    let Ok(meta) = std::fs::metadata(&path) else {
        return fail(
            tool,
            format!("cannot stat `{}`", path.display()),
            "reinstall the `uidmap` package",
        );
    };
    let setuid = meta.mode() & 0o4000 != 0 && meta.uid() == 0;
    if setuid || crate::sys::has_xattr(&path, "security.capability") {
        ok(
            tool,
            format!(
                "{} ({})",
                path.display(),
                if setuid {
                    "setuid root"
                } else {
                    "file capabilities"
                }
            ),
        )
    } else {
        fail(
            tool,
            format!(
                "{} is neither setuid root nor has file capabilities",
                path.display()
            ),
            format!("as root: chmod u+s {}", path.display()),
        )
    }
}

fn userns_sysctls() -> Finding {
    let check = "user namespaces";
    if read_trim("/proc/sys/user/max_user_namespaces").as_deref() == Some("0") {
        return fail(
            check,
            "user.max_user_namespaces is 0",
            "as root: sysctl -w user.max_user_namespaces=28633",
        );
    }
    if read_trim("/proc/sys/kernel/unprivileged_userns_clone").as_deref() == Some("0") {
        return fail(
            check,
            "kernel.unprivileged_userns_clone is 0",
            "as root: sysctl -w kernel.unprivileged_userns_clone=1",
        );
    }
    if read_trim("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").as_deref() == Some("1") {
        return fail(
            check,
            "AppArmor restricts unprivileged user namespaces",
            "add an AppArmor profile for rctl with `userns,` or as root: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
        );
    }
    ok(check, "allowed for unprivileged users")
}

fn runtime_dir(app: &App) -> Finding {
    let check = "XDG_RUNTIME_DIR";
    match &app.env.runtime_dir {
        None => warn(
            check,
            format!(
                "not set; rctl falls back to `{}`",
                app.dirs.runroot.display()
            ),
            "log in through a real session (ssh, machinectl shell USER@) rather than `su`, or export XDG_RUNTIME_DIR=/run/user/$(id -u)",
        ),
        Some(dir) => match std::fs::metadata(dir) {
            Ok(m) if m.uid() == app.env.uid && m.mode() & 0o077 == 0 => {
                ok(check, dir.display().to_string())
            }
            Ok(_) => fail(
                check,
                format!("`{}` is not yours or not mode 0700", dir.display()),
                "fix its owner and mode, or unset XDG_RUNTIME_DIR",
            ),
            Err(_) => fail(
                check,
                format!("`{}` does not exist", dir.display()),
                "log in through a real session so that systemd-logind creates it",
            ),
        },
    }
}

fn user_bus(app: &App) -> Finding {
    let check = "user D-Bus";
    let socket = app.env.runtime_dir.as_ref().map(|d| d.join("bus"));
    if app.env.session_bus.is_some() || socket.as_ref().is_some_and(|s| s.exists()) {
        ok(check, "reachable: the systemd cgroup manager can be used")
    } else {
        warn(
            check,
            "no user bus: cgroup manager `systemd` is unavailable",
            "install `dbus-user-session` and log in through a systemd session",
        )
    }
}

fn linger(name: &str) -> Finding {
    let check = "linger";
    if Path::new("/var/lib/systemd/linger").join(name).exists() {
        ok(check, "enabled: containers survive logout")
    } else {
        warn(
            check,
            "not enabled: systemd stops your containers when you log out",
            format!("loginctl enable-linger {name}"),
        )
    }
}

fn cgroups(app: &App) -> Vec<Finding> {
    let version = probe::cgroup_version();
    let check = "cgroups";
    if version != CgroupVersion::V2 {
        return vec![warn(
            check,
            format!(
                "cgroup {}: rootless resource limits cannot be enforced (cgroup manager `none`)",
                version.name()
            ),
            "boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2)",
        )];
    }
    let service = format!(
        "/sys/fs/cgroup/user.slice/user-{0}.slice/user@{0}.service/cgroup.controllers",
        app.env.uid
    );
    match read_trim(&service) {
        None => vec![warn(
            check,
            "cgroup v2, but no user@.service cgroup for you",
            "log in through systemd-logind (and enable linger)",
        )],
        Some(have) => {
            let have: Vec<&str> = have.split_whitespace().collect();
            let missing: Vec<&str> = ["cpu", "cpuset", "io", "memory", "pids"]
                .into_iter()
                .filter(|c| !have.contains(c))
                .collect();
            if missing.is_empty() {
                vec![ok(
                    check,
                    format!("cgroup v2, delegated: {}", have.join(" ")),
                )]
            } else {
                vec![warn(
                    check,
                    format!("cgroup v2, not delegated: {}", missing.join(" ")),
                    "as root: mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload",
                )]
            }
        }
    }
}

fn home_filesystem(app: &App) -> Finding {
    const NFS_SUPER_MAGIC: i64 = 0x6969;
    let check = "storage filesystem";
    let mut dir = app.dirs.root.as_path();
    while !dir.exists() {
        match dir.parent() {
            Some(p) => dir = p,
            None => break,
        }
    }
    #[allow(clippy::unnecessary_cast)] // the field's type differs between architectures
    let nfs = nix::sys::statfs::statfs(dir)
        .is_ok_and(|s| s.filesystem_type().0 as i64 == NFS_SUPER_MAGIC);
    if nfs {
        warn(
            check,
            format!("`{}` is on NFS: overlay cannot use it", dir.display()),
            "set `storage.root` in rctl.toml to a local disk path",
        )
    } else {
        ok(check, format!("`{}` is local", app.dirs.root.display()))
    }
}

fn device(dev: &'static str) -> Finding {
    let writable = nix::unistd::access(
        dev,
        nix::unistd::AccessFlags::R_OK | nix::unistd::AccessFlags::W_OK,
    )
    .is_ok();
    let why = if dev == "/dev/fuse" {
        "fuse-overlayfs"
    } else {
        "pasta and slirp4netns"
    };
    if writable {
        ok(dev, format!("usable ({why})"))
    } else if !Path::new(dev).exists() {
        warn(
            dev,
            format!("missing ({why} need it)"),
            format!(
                "as root: modprobe {}",
                if dev == "/dev/fuse" { "fuse" } else { "tun" }
            ),
        )
    } else {
        warn(
            dev,
            format!("not accessible to you ({why} need it)"),
            format!("as root: chmod 666 {dev}"),
        )
    }
}

fn unprivileged_ports() -> Finding {
    let check = "unprivileged ports";
    match read_trim("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .and_then(|v| v.parse::<u32>().ok())
    {
        Some(n) if n > 0 => warn(
            check,
            format!("host ports below {n} cannot be published"),
            "as root: sysctl -w net.ipv4.ip_unprivileged_port_start=80 (or publish a port >= that)",
        ),
        Some(_) => ok(check, "any host port can be published"),
        None => warn(
            check,
            "unknown",
            "check net.ipv4.ip_unprivileged_port_start",
        ),
    }
}

fn ping_range(gid: u32) -> Finding {
    let check = "ping";
    let range = read_trim("/proc/sys/net/ipv4/ping_group_range").unwrap_or_default();
    let mut it = range
        .split_whitespace()
        .filter_map(|v| v.parse::<u64>().ok());
    match (it.next(), it.next()) {
        (Some(lo), Some(hi)) if lo <= u64::from(gid) && u64::from(gid) <= hi => {
            ok(check, format!("allowed (ping_group_range {lo} {hi})"))
        }
        _ => warn(
            check,
            format!(
                "ICMP ping is not allowed for your group (ping_group_range `{range}`): containers with --network host cannot ping (others can: rctl sets the range in their own network namespace)"
            ),
            "as root: sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"",
        ),
    }
}

fn selinux() -> Finding {
    let check = "LSM";
    match read_trim("/sys/fs/selinux/enforce").as_deref() {
        Some("1") => warn(
            check,
            "SELinux is enforcing: bind mounts need `:z`/`:Z` relabelling",
            "use `-v SRC:DST:Z` for private bind mounts",
        ),
        _ => ok(check, "no SELinux enforcement"),
    }
}

fn overlay(app: &App) -> Finding {
    let check = "kernel overlay";
    match app
        .enter()
        .and_then(|s| probe::overlay(&app.dirs, s.rootless))
    {
        Ok(p) if p.works => ok(check, "mounts in rctl's user namespace (driver overlay)"),
        Ok(p) => warn(
            check,
            format!("refused: {}", p.reason.unwrap_or_default()),
            "install `fuse-overlayfs` (used automatically) or use a kernel >= 5.11 with a local storage root",
        ),
        Err(e) => fail(
            check,
            format!(
                "cannot enter the user namespace: {}",
                crate::error::render(&e).trim_start_matches("Error: ")
            ),
            "fix the failures above, then run `rctl check` again",
        ),
    }
}

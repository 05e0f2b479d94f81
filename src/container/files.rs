//! Files a container gets from rctl rather than from its image: generated
//! `/etc/hosts`, `/etc/resolv.conf`, `/etc/hostname` (bind-mounted, never
//! written into the image), and the user resolved from the image's own
//! passwd/group, read confined to the root filesystem.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::ondisk;
use crate::runtime::spec::GeneratedFiles;
use crate::runtime::user::{self, ResolvedUser};
use crate::runtime::{ContainerConfig, RootfsSource, confined};

const LOCALHOST_LINES: &str = "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n";

/// `/etc/hosts` of a container without a network plan.
pub fn hosts_text(hostname: &str, name: &str) -> String {
    format!("{LOCALHOST_LINES}127.0.1.1\t{hostname} {name}\n")
}

/// `/etc/resolv.conf` from the host's, without loopback name servers
/// (they do not answer inside the container's network namespace).
pub fn resolv_text(host: &str) -> String {
    let mut out: String = host
        .lines()
        .filter(|l| {
            let mut f = l.split_whitespace();
            !(f.next() == Some("nameserver")
                && f.next()
                    .is_some_and(|a| a.starts_with("127.") || a == "::1"))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    if out.is_empty() {
        out.push_str("# no name servers (rctl)\n");
    }
    out
}

/// Read a file of the container's root filesystem, confined to it; for
/// layers, the topmost layer that has it wins (whiteouts hide it).
pub fn read_in_rootfs(source: &RootfsSource, path: &Path) -> Result<Option<String>> {
    match source {
        RootfsSource::Dir(dir) => confined::read_file(dir, path),
        RootfsSource::Layers { lower } => {
            for layer in lower.iter().rev() {
                // A later layer deleted it (regression: `commit` of a
                // container that removed `/etc/group` made the image unrunnable).
                if confined::is_whiteout(layer, path)? {
                    return Ok(None);
                }
                if let Some(text) = confined::read_file(layer, path)? {
                    return Ok(Some(text));
                }
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if let (Some(parent), Some(name)) = (path.parent(), name) {
                    if confined::read_file(layer, &parent.join(format!(".wh.{name}")))?.is_some() {
                        return Ok(None);
                    }
                }
            }
            Ok(None)
        }
    }
}

/// The user the container runs as (`--user`, else the image's USER).
pub fn resolve_user(cfg: &ContainerConfig) -> Result<ResolvedUser> {
    let spec = cfg.user.clone().unwrap_or_else(|| cfg.image.user.clone());
    let passwd = read_in_rootfs(&cfg.rootfs, Path::new("/etc/passwd"))?.unwrap_or_default();
    let group = read_in_rootfs(&cfg.rootfs, Path::new("/etc/group"))?.unwrap_or_default();
    user::resolve(&spec, &passwd, &group).map_err(Into::into)
}

/// Write the generated files into `userdata` and name them.
pub fn write_userdata(
    userdata: &Path,
    hostname: &str,
    name: &str,
    net: Option<&crate::network::NetworkPlan>,
) -> Result<GeneratedFiles> {
    let host_resolv = crate::network::host::host_resolv_text();
    let (hosts, resolv) = match net {
        Some(plan) => {
            let entries = crate::network::hosts_entries(plan, name, hostname);
            let hosts = format!(
                "{}{}",
                LOCALHOST_LINES,
                crate::network::hosts_text(&entries)
            );
            let resolv =
                (!plan.dns.disabled).then(|| crate::network::resolv_conf(plan, &host_resolv));
            (hosts, resolv)
        }
        None => (hosts_text(hostname, name), Some(resolv_text(&host_resolv))),
    };
    let files = GeneratedFiles {
        hosts: userdata.join("hosts"),
        resolv_conf: resolv.as_ref().map(|_| userdata.join("resolv.conf")),
        hostname: userdata.join("hostname"),
    };
    write_public(&files.hosts, &hosts)?;
    if let (Some(path), Some(text)) = (&files.resolv_conf, &resolv) {
        write_public(path, text)?;
    }
    write_public(&files.hostname, &format!("{hostname}\n"))?;
    Ok(files)
}

/// Write a file readable by every user of the container.
fn write_public(path: &PathBuf, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    ondisk::write_replace_unsynced(path, text.as_bytes())?;
    fs_err::set_permissions(path, std::fs::Permissions::from_mode(0o644))
        .with_context(|| format!("make `{}` readable", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_drops_loopback_servers() {
        let t = resolv_text("nameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch x\n");
        assert_eq!(t, "nameserver 10.0.0.1\nsearch x\n");
    }

    #[test]
    fn hosts_names_the_container() {
        assert!(hosts_text("abc", "web").contains("127.0.1.1\tabc web"));
    }
}

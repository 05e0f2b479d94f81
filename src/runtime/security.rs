//! Credentials and confinement of a container process, in the order the
//! kernel needs: groups and ids (keeping capabilities across the switch),
//! bounding set, no_new_privs, seccomp (while CAP_SYS_ADMIN is still held),
//! then the final capability sets with inheritable and ambient empty.

use std::collections::HashSet;
use std::str::FromStr;

use anyhow::{Context, Result};
use caps::{CapSet, CapsHashSet};
use nix::unistd::{Gid, Uid};
use oci_spec::runtime::{Capability, LinuxSeccomp, Process};

use super::seccomp;
use crate::sys;

fn to_caps(set: &Option<HashSet<Capability>>) -> CapsHashSet {
    set.iter()
        .flatten()
        .filter_map(|c| caps::Capability::from_str(&format!("CAP_{c}")).ok())
        .collect()
}

/// Apply the process's user, capabilities, no_new_privs and `profile`.
pub fn apply(process: &Process, profile: Option<&LinuxSeccomp>) -> Result<()> {
    let programs = match profile {
        Some(p) => seccomp::compile(p)?,
        None => Vec::new(),
    };
    let user = process.user();
    let groups: Vec<Gid> = user
        .additional_gids()
        .iter()
        .flatten()
        .map(|g| Gid::from_raw(*g))
        .collect();
    nix::unistd::setgroups(&groups).context("set supplementary groups")?;
    nix::sys::prctl::set_keepcaps(true).context("keep capabilities across setuid")?;
    let gid = Gid::from_raw(user.gid());
    nix::unistd::setresgid(gid, gid, gid)
        .with_context(|| format!("set gid {} (is it mapped?)", user.gid()))?;
    let uid = Uid::from_raw(user.uid());
    nix::unistd::setresuid(uid, uid, uid)
        .with_context(|| format!("set uid {} (is it mapped?)", user.uid()))?;
    nix::sys::prctl::set_keepcaps(false).context("reset keepcaps")?;
    // setuid cleared the effective set of a non-root user; raise it again
    // from the permitted set for the steps below.
    let permitted = caps::read(None, CapSet::Permitted).context("read capabilities")?;
    caps::set(None, CapSet::Effective, &permitted).context("raise capabilities")?;
    let spec_caps = process.capabilities().clone().unwrap_or_default();
    let bounding = to_caps(spec_caps.bounding());
    for c in caps::all() {
        if !bounding.contains(&c) {
            // Capabilities the running kernel does not know are skipped.
            let _ = caps::drop(None, CapSet::Bounding, c);
        }
    }
    if process.no_new_privileges() == Some(true) {
        nix::sys::prctl::set_no_new_privs().context("set no_new_privs")?;
    }
    for p in &programs {
        sys::seccomp_load(p).context("load the seccomp profile")?;
    }
    caps::clear(None, CapSet::Ambient).context("clear ambient capabilities")?;
    caps::set(None, CapSet::Inheritable, &to_caps(spec_caps.inheritable()))
        .context("set inheritable capabilities")?;
    caps::set(None, CapSet::Effective, &to_caps(spec_caps.effective()))
        .context("set effective capabilities")?;
    caps::set(None, CapSet::Permitted, &to_caps(spec_caps.permitted()))
        .context("set permitted capabilities")?;
    Ok(())
}

//! The `systemd` manager: a transient scope per container in the user's
//! systemd (`StartTransientUnit`, `Delegate=yes`), its limits as unit
//! properties, changed later with `SetUnitProperties`.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::Resources;
use super::dbus::{Arg, Bus, user_bus_path};
use super::limits::PropValue;

const DEST: &str = "org.freedesktop.systemd1";
const PATH: &str = "/org/freedesktop/systemd1";
const MANAGER: &str = "org.freedesktop.systemd1.Manager";

fn connect() -> Result<Bus> {
    let (session, runtime) = crate::env::user_bus_vars();
    let path = user_bus_path(session.as_deref(), runtime.as_deref()).context(
        "no user bus (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set)\nhint: log in through a systemd session, or use --cgroup-manager none",
    )?;
    Bus::connect(&path)
}

/// The properties of a container's scope holding `pid`.
pub fn scope_properties(id: &str, pid: u32, r: &Resources) -> Vec<(&'static str, PropValue)> {
    let mut p = vec![
        (
            "Description",
            PropValue::Str(format!("rctl container {id}")),
        ),
        ("PIDs", PropValue::Pids(vec![pid])),
        ("Delegate", PropValue::Bool(true)),
        // A failed (e.g. OOM-killed) scope is removed, so that the next
        // start of the container can use the same name.
        ("CollectMode", PropValue::Str("inactive-or-failed".into())),
    ];
    p.extend(r.unit_properties());
    p
}

/// Start scope `name` holding this process, with the limits; wait until
/// the process is in it. Returns the scope's cgroup (relative, leading `/`).
pub fn start_scope(name: &str, id: &str, r: &Resources) -> Result<String> {
    let mut bus = connect()?;
    let props = scope_properties(id, std::process::id(), r);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let res = bus.call(
            DEST,
            PATH,
            MANAGER,
            "StartTransientUnit",
            &[
                Arg::Str(name),
                Arg::Str("fail"),
                Arg::Props(&props),
                Arg::NoAux,
            ],
        );
        match res {
            Ok(_) => break,
            // The scope of a previous run may still be going away.
            Err(e) if e.to_string().contains("UnitExists") && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("create the systemd scope `{name}`"));
            }
        }
    }
    // The reply comes when the job is queued; the move is done when our
    // /proc/self/cgroup names the scope.
    loop {
        let own = super::own_cgroup()?;
        if own.ends_with(&format!("/{name}")) {
            return Ok(own);
        }
        if Instant::now() >= deadline {
            bail!("systemd did not move the monitor into `{name}` (still in `{own}`)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Move process `pid` (the caller's own) into the running scope `name`
/// (`AttachProcessesToUnit`; systemd asks the system manager when the
/// move crosses out of the user's subtree, as from a login session) and
/// wait until it is there. Returns the scope's cgroup.
pub fn attach(name: &str, pid: u32) -> Result<String> {
    let mut bus = connect()?;
    bus.call(
        DEST,
        PATH,
        MANAGER,
        "AttachProcessesToUnit",
        &[Arg::Str(name), Arg::Str(""), Arg::Pids(&[pid])],
    )
    .with_context(|| format!("join the systemd scope `{name}`"))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let own = super::own_cgroup()?;
        if own.ends_with(&format!("/{name}")) {
            return Ok(own);
        }
        if Instant::now() >= deadline {
            bail!("systemd did not move process {pid} into `{name}` (still in `{own}`)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Change the limits of a running scope (runtime only, as Podman).
pub fn set_properties(name: &str, r: &Resources) -> Result<()> {
    let mut bus = connect()?;
    let props = r.unit_properties();
    bus.call(
        DEST,
        PATH,
        MANAGER,
        "SetUnitProperties",
        &[Arg::Str(name), Arg::Bool(true), Arg::Props(&props)],
    )
    .with_context(|| format!("set the limits of `{name}`"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_delegated_and_collected_and_carries_limits() {
        let r = Resources {
            pids: Some(20),
            ..Default::default()
        };
        let p = scope_properties("abc", 42, &r);
        assert!(p.contains(&("Delegate", PropValue::Bool(true))));
        assert!(p.contains(&("PIDs", PropValue::Pids(vec![42]))));
        assert!(p.contains(&("TasksMax", PropValue::U64(20))));
        assert!(p.contains(&("CollectMode", PropValue::Str("inactive-or-failed".into()))));
    }
}

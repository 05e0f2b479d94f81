//! `rctl top` (a running container's processes) and `rctl port`.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::{PortArgs, TopArgs};
use crate::container::{store::Store, top};

pub fn run(app: &App, args: &TopArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    println!("{:<10} {:>6} {:>6}  COMMAND", "UID", "PID", "PPID");
    for p in top::list(&store, &c)? {
        println!("{:<10} {:>6} {:>6}  {}", p.uid, p.pid, p.ppid, p.command);
    }
    Ok(())
}

/// The published ports of a running container (a pod member: the pod's).
pub fn port(app: &App, args: &PortArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    let c = crate::container::lifecycle::refresh(&store, &c)?;
    if c.state.status != crate::container::Status::Running {
        return Ok(());
    }
    // A pod's members show the pod's ports.
    let pod_net = match crate::pod::pod_of(&c) {
        Some(id) => crate::pod::PodStore::new(&app.dirs.root)
            .load(id)
            .ok()
            .and_then(|p| p.state.network),
        None => None,
    };
    for m in pod_net
        .iter()
        .chain(&c.state.network)
        .flat_map(|n| &n.ports)
    {
        println!("{m}");
    }
    Ok(())
}

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

/// No port is published until userspace networking lands: print nothing
/// for an existing container, as Podman does for one without ports.
pub fn port(app: &App, args: &PortArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    let c = crate::container::lifecycle::refresh(&store, &c)?;
    if c.state.status != crate::container::Status::Running {
        return Ok(());
    }
    for m in c.state.network.iter().flat_map(|n| &n.ports) {
        println!("{m}");
    }
    Ok(())
}

//! `rctl container-monitor` (hidden): become the monitor of a container.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::MonitorArgs;
use crate::container::store::Store;

pub fn run(app: &App, args: &MonitorArgs) -> Result<()> {
    let report = crate::monitor::adopt_report_pipe(args.report_fd)?;
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let socket = crate::container::lifecycle::attach_socket_path(&app.dirs.runroot, &args.id);
    let before = store.load(&args.id)?.state.started_at;
    crate::monitor::run(&store, &args.id, report, args.attach, &socket, &app.helpers)?;
    // Only a container that ran under this monitor is restarted (a start
    // that failed is not retried in a loop).
    if store
        .load(&args.id)
        .is_ok_and(|c| c.state.started_at != before)
    {
        crate::monitor::restart::after_exit(app, &store, &args.id)?;
    }
    Ok(())
}

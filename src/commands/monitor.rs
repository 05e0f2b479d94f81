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
    crate::monitor::restart::spawn_restarter(app, &store, &args.id)?;
    crate::monitor::run(&store, &args.id, report, args.attach, &socket, &app.helpers)
}

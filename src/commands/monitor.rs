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
    let result = crate::monitor::run(&store, &args.id, report, args.attach, &socket, &app.helpers);
    crate::monitor::cgroup::release();
    result?;
    // The main process of a notify unit exits as its container did, so
    // that `Restart=on-failure` sees a failure.
    if crate::monitor::cgroup::is_unit_main() {
        let code = store.load(&args.id).ok().and_then(|c| c.state.exit_code);
        if let Some(code) = code.filter(|c| *c != 0) {
            return Err(crate::error::Exit::Status(code.clamp(1, 255) as u8).into());
        }
    }
    Ok(())
}

//! `rctl stop`: the stop signal, a grace period, then SIGKILL.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::StopArgs;
use crate::container::{Status, lifecycle, store::Store};

pub fn run(app: &App, args: &StopArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let targets = if args.all {
        store
            .list()?
            .into_iter()
            .filter(|c| c.state.status == Status::Running)
            .map(|c| c.id)
            .collect()
    } else {
        args.containers.clone()
    };
    super::each(&targets, |key| {
        let c = store.lookup(key)?;
        lifecycle::stop(&store, &c, args.timeout.unwrap_or(c.config.stop_timeout))?;
        println!("{key}");
        Ok(())
    })
}

//! `rctl restart`: stop (if running) and start again.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::RestartArgs;
use crate::container::lifecycle::{self, Attach};
use crate::container::store::Store;

pub fn run(app: &App, args: &RestartArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    super::each(&args.containers, |key| {
        let c = store.lookup(key)?;
        let c = lifecycle::stop(&store, &c, args.timeout.unwrap_or(c.config.stop_timeout))?;
        crate::monitor::restart::reset_for_user_start(&store, &c.id)?;
        lifecycle::start(app, &store, &c, Attach::Detached)?;
        println!("{}", c.id);
        Ok(())
    })
}

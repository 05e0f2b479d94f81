//! `rctl healthcheck run`: run a container's healthcheck now, print the
//! health status, exit 0 when the check passed and 1 when it failed.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::HealthcheckCommand;
use crate::container::{health, store::Store};
use crate::error::Exit;

pub fn run(app: &App, cmd: HealthcheckCommand) -> Result<()> {
    match cmd {
        HealthcheckCommand::Run(args) => {
            app.enter()?;
            let store = Store::new(&app.dirs.root);
            let c = store.lookup(&args.container)?;
            let state = health::run(&app.dirs, &store, &c)?;
            println!("{}", state.status);
            let passed = state.log.last().is_some_and(|r| r.exit_code == 0);
            if passed {
                Ok(())
            } else {
                Err(Exit::Status(1).into())
            }
        }
    }
}

//! `rctl system ...`: dispatch only; each verb lives in its own file.

use anyhow::Result;

use super::system_check;
use crate::app::App;
use crate::cli::system::SystemCommand;

pub fn run(app: &App, cmd: SystemCommand) -> Result<()> {
    match cmd {
        SystemCommand::Df(args) => super::system_df::run(app, &args),
        SystemCommand::Prune(args) => super::system_prune::run(app, &args),
        SystemCommand::Reset(args) => super::system_reset::reset(app, &args),
        SystemCommand::Migrate(args) => super::system_reset::migrate(app, &args),
        SystemCommand::Check(args) => system_check::run(app, &args),
    }
}

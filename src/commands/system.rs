//! `rctl system ...`: dispatch to one module per subcommand.

use anyhow::Result;

use super::system_check;
use crate::app::App;
use crate::cli::system::SystemCommand;

pub fn run(app: &App, cmd: SystemCommand) -> Result<()> {
    match cmd {
        SystemCommand::Check(args) => system_check::run(app, &args),
    }
}

//! One module per verb: turn parsed arguments into calls on the engine
//! modules and render the answer. No syscalls or file I/O here.

use anyhow::Result;

use crate::app::App;
use crate::cli::{Cli, Command};

mod check;
mod info;
mod network;
mod unshare;
mod version;

/// Run the command the user asked for.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Version(args) => version::run(&args),
        command => {
            let app = App::load(&cli.global)?;
            match command {
                Command::Check(args) => check::run(&app, &args),
                Command::Info(args) => info::run(&app, &args),
                Command::Unshare(args) => unshare::run(&app, args),
                Command::Network(cmd) => network::run(&app, cmd),
                Command::Version(_) => unreachable!("handled above"),
            }
        }
    }
}

//! One module per verb: turn parsed arguments into calls on the engine
//! modules and render the answer. No syscalls or file I/O here.

use anyhow::Result;

use crate::app::App;
use crate::cli::image::ImageCommand;
use crate::cli::{Cli, Command};

mod images;
mod import;
mod info;
mod output;
mod pull;
mod rmi;
mod unshare;
mod version;

/// Run the command the user asked for.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Version(args) => version::run(&args),
        command => {
            let app = App::load(&cli.global)?;
            match command {
                Command::Info(args) => info::run(&app, &args),
                Command::Unshare(args) => unshare::run(&app, args),
                Command::Pull(args) => pull::run(&app, &args),
                Command::Push(args) => pull::push(&app, &args),
                Command::Images(args) => images::list(&app, &args),
                Command::Rmi(args) => rmi::rmi(&app, &args),
                Command::Tag(args) => rmi::tag(&app, &args),
                Command::Untag(args) => rmi::untag(&app, &args),
                Command::Import(args) => import::run(&app, &args),
                Command::History(args) => images::history(&app, &args),
                Command::Save(args) => import::save(&app, &args),
                Command::Load(args) => import::load(&app, &args),
                Command::Login(args) => pull::login(&app, &args),
                Command::Logout(args) => pull::logout(&app, &args),
                Command::Image(sub) => match sub {
                    ImageCommand::Pull(args) => pull::run(&app, &args),
                    ImageCommand::Push(args) => pull::push(&app, &args),
                    ImageCommand::Ls(args) => images::list(&app, &args),
                    ImageCommand::Rm(args) => rmi::rmi(&app, &args),
                    ImageCommand::Tag(args) => rmi::tag(&app, &args),
                    ImageCommand::Untag(args) => rmi::untag(&app, &args),
                    ImageCommand::Inspect(args) => images::inspect(&app, &args),
                    ImageCommand::History(args) => images::history(&app, &args),
                    ImageCommand::Prune(args) => rmi::prune(&app, &args),
                    ImageCommand::Import(args) => import::run(&app, &args),
                    ImageCommand::Save(args) => import::save(&app, &args),
                    ImageCommand::Load(args) => import::load(&app, &args),
                },
                Command::Version(_) => unreachable!("handled above"),
            }
        }
    }
}

//! One module per verb: turn parsed arguments into calls on the engine
//! modules and render the answer. No syscalls or file I/O here.

use anyhow::Result;

use crate::app::App;
use crate::cli::{Cli, Command};

mod attach;
mod cp;
mod create;
mod exec;
mod export;
mod info;
mod inspect;
mod kill;
mod logs;
mod monitor;
mod prune;
mod ps;
mod rename;
mod restart;
mod rm;
mod run;
mod start;
mod stop;
mod top;
mod unshare;
mod version;
mod wait;

/// Run the command the user asked for.
pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Version(args) => version::run(&args),
        command => {
            let app = App::load(&cli.global)?;
            match command {
                Command::Info(args) => info::run(&app, &args),
                Command::Unshare(args) => unshare::run(&app, args),
                Command::Run(args) => run::run(&app, &args),
                Command::Create(args) => create::run(&app, &args),
                Command::Start(args) => start::run(&app, &args),
                Command::Ps(args) => ps::run(&app, &args),
                Command::Stop(args) => stop::run(&app, &args),
                Command::Kill(args) => kill::run(&app, &args),
                Command::Rm(args) => rm::run(&app, &args),
                Command::Wait(args) => wait::run(&app, &args),
                Command::Logs(args) => logs::run(&app, &args),
                Command::Exec(args) => exec::run(&app, &args),
                Command::Inspect(args) => inspect::run(&app, &args),
                Command::Rename(args) => rename::run(&app, &args),
                Command::ContainerMonitor(args) => monitor::run(&app, &args),
                Command::Restart(args) => restart::run(&app, &args),
                Command::Export(args) => export::run(&app, &args),
                Command::Cp(args) => cp::run(&app, &args),
                Command::Attach(args) => attach::run(&app, &args),
                Command::Top(args) => top::run(&app, &args),
                Command::Port(args) => top::port(&app, &args),
                Command::Container(args) => match args.command {
                    crate::cli::container::ContainerCommand::Prune(a) => prune::run(&app, &a),
                },
                Command::Version(_) => unreachable!("handled above"),
            }
        }
    }
}

/// Apply `f` to each target, reporting failures per target and going on;
/// the last failure decides the exit status (Podman's habit).
fn each(targets: &[String], mut f: impl FnMut(&str) -> Result<()>) -> Result<()> {
    let mut last = None;
    for t in targets {
        if let Err(e) = f(t) {
            if targets.len() == 1 {
                return Err(e);
            }
            if !crate::error::is_silent(&e) {
                eprintln!("{}", crate::error::render(&e));
            }
            last = Some(crate::error::exit_code(&e));
        }
    }
    match last {
        Some(code) => Err(crate::error::Exit::Status(code).into()),
        None => Ok(()),
    }
}

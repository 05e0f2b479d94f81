//! One module per verb: turn parsed arguments into calls on the engine
//! modules and render the answer. No syscalls or file I/O here.

use anyhow::Result;

use crate::app::App;
use crate::cli::image::ImageCommand;
use crate::cli::{Cli, Command};

mod attach;
mod build;
mod check;
mod commit;
mod cp;
mod create;
mod events;
mod exec;
mod export;
mod generate;
mod healthcheck;
mod images;
mod import;
mod info;
mod inspect;
mod kill;
mod kube;
mod logs;
mod monitor;
mod network;
mod output;
mod pod;
mod prune;
mod ps;
mod pull;
mod rename;
mod restart;
mod rm;
mod rmi;
mod run;
mod start;
mod stats;
mod stop;
mod system;
mod system_check;
mod system_df;
mod system_prune;
mod system_reset;
mod top;
mod unshare;
mod update;
mod version;
mod volume;
mod wait;

pub use images::human_size;

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
                Command::Network(cmd) => network::run(&app, cmd),
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
                Command::Commit(args) => commit::run(&app, &args),
                Command::Cp(args) => cp::run(&app, &args),
                Command::Attach(args) => attach::run(&app, &args),
                Command::Top(args) => top::run(&app, &args),
                Command::Healthcheck(cmd) => healthcheck::run(&app, cmd),
                Command::Port(args) => top::port(&app, &args),
                Command::Container(args) => match args.command {
                    crate::cli::container::ContainerCommand::Prune(a) => prune::run(&app, &a),
                },
                Command::Update(args) => update::run(&app, &args),
                Command::Stats(args) => stats::run(&app, &args),
                Command::Generate(cmd) => generate::run(&app, cmd),
                Command::Volume(cmd) => volume::run(&app, &cmd),
                Command::System(cmd) => system::run(&app, cmd),
                Command::Events(args) => events::run(&app, &args),
                Command::Build(args) => build::run(&app, &args),
                Command::Kube(cmd) => kube::run(&app, &cmd),
                Command::Pod(cmd) => pod::run(&app, cmd),
                Command::NetworkInfra(args) => network::infra(&app, &args),
                Command::PodInfra(args) => pod::infra(&app, &args),
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

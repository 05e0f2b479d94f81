//! The `rctl` binary: parse, dispatch, report.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use rctl::cli::{Cli, LogLevel};
use rctl::error;

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when a reader of our output goes
    // away (`rctl ps | head`) instead of panicking in `println!`.
    rctl::sys::default_signal(nix::sys::signal::Signal::SIGPIPE);
    // Nothing before this point may start a thread: rctl joins its user
    // namespace first thing in the command, and that needs one thread.
    // Run as a systemd user generator when called by that name.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = rctl::units::quadlet::generator_main(&argv) {
        return ExitCode::from(code as u8);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => error::RCTL_ERROR,
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    rctl::logging::init(match cli.global.log_level {
        LogLevel::Error => log::LevelFilter::Error,
        LogLevel::Warn => log::LevelFilter::Warn,
        LogLevel::Info => log::LevelFilter::Info,
        LogLevel::Debug => log::LevelFilter::Debug,
        LogLevel::Trace => log::LevelFilter::Trace,
    });
    match rctl::commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !error::is_silent(&err) {
                eprintln!("{}", error::render(&err));
            }
            ExitCode::from(error::exit_code(&err))
        }
    }
}

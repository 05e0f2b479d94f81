//! `rctl system ...`: commands about the user's whole store.

use clap::{Args, Subcommand};

use crate::format::{OutputFormat, parse_format};

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Find (and with --repair fix) what crashed or killed commands left in the store
    #[command(
        after_help = "Exit status: 0 when nothing is wrong (or everything was repaired), 1 when problems remain.\n\nExamples:\n  rctl system check\n  rctl system check --repair\n  rctl system check --format json"
    )]
    Check(SystemCheckArgs),
}

#[derive(Debug, Args)]
pub struct SystemCheckArgs {
    /// Fix what is found: remove leftovers, drop broken records, mark containers whose monitor died as exited
    #[arg(long, short = 'r')]
    pub repair: bool,

    /// Output format: `json` or a Go template such as `{{.kind}} {{.object}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

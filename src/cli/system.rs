//! Arguments of `rctl system ...`: disk use, pruning, reset, migration,
//! the store check.

use clap::{Args, Subcommand};

use crate::format::{OutputFormat, parse_format};

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Show disk use: images, containers, volumes, build cache, and the budget
    #[command(
        after_help = "Examples:\n  rctl system df\n  rctl system df -v\n  rctl system df --format json"
    )]
    Df(SystemDfArgs),

    /// Remove stopped containers, dangling images and build cache (and unused volumes with --volumes)
    #[command(
        after_help = "Examples:\n  rctl system prune -f\n  rctl system prune -a --volumes -f\n  rctl system prune --filter until=24h -f"
    )]
    Prune(SystemPruneArgs),

    /// Remove every container, image and volume, stop the pause process, delete the storage root and runroot
    #[command(after_help = "Example:\n  rctl system reset -f")]
    Reset(SystemResetArgs),

    /// Apply a changed /etc/subuid or /etc/subgid: stop containers and the pause process so the next command maps ids again
    #[command(
        after_help = "Example:\n  sudo usermod --add-subuids 200000-265535 $USER && rctl system migrate"
    )]
    Migrate(SystemMigrateArgs),

    /// Find (and with --repair fix) what crashed or killed commands left in the store
    #[command(
        after_help = "Exit status: 0 when nothing is wrong (or everything was repaired), 1 when problems remain.\n\nExamples:\n  rctl system check\n  rctl system check --repair\n  rctl system check --format json"
    )]
    Check(SystemCheckArgs),
}

#[derive(Debug, Args)]
pub struct SystemDfArgs {
    /// List every image, container, volume and cache entry
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Output format: `json` or a Go template such as `{{.Type}} {{.Size}}`
    #[arg(long, value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct SystemPruneArgs {
    /// Remove every image no container uses, not only dangling ones
    #[arg(long, short = 'a')]
    pub all: bool,
    /// Remove volumes no container uses too
    #[arg(long)]
    pub volumes: bool,
    /// Only what is older than this: `until=24h`, `until=2026-01-02T15:04:05Z`
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Do not ask for confirmation
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SystemResetArgs {
    /// Do not ask for confirmation
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SystemMigrateArgs {}

#[derive(Debug, Args)]
pub struct SystemCheckArgs {
    /// Fix what is found: remove leftovers, drop broken records, mark containers whose monitor died as exited
    #[arg(long, short = 'r')]
    pub repair: bool,

    /// Output format: `json` or a Go template such as `{{.kind}} {{.object}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

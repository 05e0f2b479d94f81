//! `rctl volume …` arguments.

use clap::{Args, Subcommand};

use crate::format::{OutputFormat, parse_format};

#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// Create a named volume
    #[command(
        after_help = "Examples:\n  rctl volume create data\n  rctl volume create --label team=web --opt o=uid=1000,gid=1000 cache"
    )]
    Create(VolumeCreateArgs),
    /// List volumes
    #[command(
        visible_alias = "list",
        after_help = "Examples:\n  rctl volume ls\n  rctl volume ls -q --filter dangling=true\n  rctl volume ls --format json"
    )]
    Ls(VolumeLsArgs),
    /// Show volumes' records as JSON
    #[command(after_help = "Example:\n  rctl volume inspect data")]
    Inspect(VolumeInspectArgs),
    /// Remove volumes (one in use only with -f, which removes its containers too)
    #[command(
        visible_alias = "remove",
        after_help = "Example:\n  rctl volume rm data"
    )]
    Rm(VolumeRmArgs),
    /// Remove every volume no container uses
    #[command(after_help = "Example:\n  rctl volume prune -f")]
    Prune(VolumePruneArgs),
}

#[derive(Debug, Args)]
pub struct VolumeCreateArgs {
    /// Set a label (`KEY=VALUE`; repeatable)
    #[arg(long, short = 'l', value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Driver option: `o=uid=N,gid=N` (owner of the volume's root in the container)
    #[arg(long, short = 'o', value_name = "KEY=VALUE")]
    pub opt: Vec<String>,
    /// Do nothing when the volume exists already
    #[arg(long)]
    pub ignore: bool,
    /// Volume name (default: a generated one)
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct VolumeLsArgs {
    /// Print volume names only
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Output format: `json`, `table`, or a Go template such as `{{.Name}}`
    #[arg(long, value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
    /// Filter: `name=TEXT`, `label=KEY[=VALUE]`, `dangling=true|false`, `driver=local` (repeatable)
    #[arg(long, short = 'f', value_name = "KEY=VALUE")]
    pub filter: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumeInspectArgs {
    /// Output format: `json` (default) or a Go template such as `{{.Mountpoint}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "json", value_name = "FORMAT")]
    pub format: OutputFormat,
    #[arg(required = true, value_name = "VOLUME")]
    pub volumes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumeRmArgs {
    /// Remove volumes in use, and the containers that use them
    #[arg(long, short = 'f')]
    pub force: bool,
    /// Remove all volumes
    #[arg(long, short = 'a')]
    pub all: bool,
    #[arg(value_name = "VOLUME")]
    pub volumes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumePruneArgs {
    /// Do not ask for confirmation (rctl never asks)
    #[arg(long, short = 'f')]
    pub force: bool,
}

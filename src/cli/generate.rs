//! `rctl generate systemd` and `rctl generate quadlet`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Write a systemd user unit for a container
    #[command(
        after_help = "Examples:\n  rctl generate systemd --new --name --files web\n  systemctl --user daemon-reload && systemctl --user start container-web.service"
    )]
    Systemd(GenerateSystemdArgs),

    /// Turn Quadlet-style files (`*.container`, `*.volume`, `*.network`) into units
    #[command(
        after_help = "Examples:\n  rctl generate quadlet ~/.config/systemd/user\n  rctl generate quadlet --dir ./quadlet --dryrun\n\nAs a systemd user generator (rctl runs as one when called through a link named rctl-systemd-generator):\n  ln -s \"$(command -v rctl)\" ~/.config/systemd/user-generators/rctl-systemd-generator"
    )]
    Quadlet(GenerateQuadletArgs),
}

#[derive(Debug, Args)]
pub struct GenerateSystemdArgs {
    /// Create a new container when the unit starts (`ExecStart=rctl run …`) and remove it at stop
    #[arg(long)]
    pub new: bool,

    /// Name the unit after the container's name, not its ID
    #[arg(long)]
    pub name: bool,

    /// Write the unit into a file in the current directory (print its path)
    #[arg(long)]
    pub files: bool,

    /// Restart policy of the unit
    #[arg(long, default_value = "on-failure", value_name = "POLICY")]
    pub restart_policy: String,

    /// Unit name prefix
    #[arg(long, default_value = "container", value_name = "PREFIX")]
    pub container_prefix: String,

    /// Container (name or ID)
    pub container: String,
}

#[derive(Debug, Args)]
pub struct GenerateQuadletArgs {
    /// Read the files from this directory (default: `$XDG_CONFIG_HOME/containers/systemd`)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Print the units instead of writing them
    #[arg(long)]
    pub dryrun: bool,

    /// Where to write the units (a generator's first argument)
    #[arg(value_name = "OUTDIR", required_unless_present = "dryrun")]
    pub output: Option<PathBuf>,
}

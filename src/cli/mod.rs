//! What the user typed: clap definitions only, checked without I/O.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{CgroupManager, StorageDriver};

pub mod container;
use container::*;

/// rctl: rootless, daemonless containers for one user.
#[derive(Debug, Parser)]
#[command(
    name = "rctl",
    version,
    about = "Rootless, daemonless containers for one user",
    propagate_version = true,
    disable_help_subcommand = true,
    after_help = "Examples:\n  rctl info\n  rctl unshare cat /proc/self/uid_map"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Storage root (default `$XDG_DATA_HOME/rctl`)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)
    #[arg(long, global = true, value_name = "DIR")]
    pub runroot: Option<PathBuf>,

    /// How much to log on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogLevel::Warn)]
    pub log_level: LogLevel,

    /// Storage driver (default: probed, overlay when the kernel allows it)
    #[arg(long, global = true, value_enum)]
    pub storage_driver: Option<StorageDriver>,

    /// Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)
    #[arg(long, global = true, value_enum)]
    pub cgroup_manager: Option<CgroupManager>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// Output formats of commands that print records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match s {
        "json" => Ok(Format::Json),
        "" | "human" | "table" => Ok(Format::Human),
        other => Err(format!("unknown format `{other}` (use `json`)")),
    }
}

/// `parse_format` for sibling modules.
pub fn parse_format_pub(s: &str) -> Result<Format, String> {
    parse_format(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show rctl's version
    #[command(after_help = "Example:\n  rctl version --format json")]
    Version(VersionArgs),

    /// Show how rctl sees this host: namespaces, id maps, storage, helpers
    #[command(after_help = "Examples:\n  rctl info\n  rctl info --format json")]
    Info(InfoArgs),

    /// Run a command (default: your shell) inside rctl's user and mount namespace
    #[command(after_help = "Examples:\n  rctl unshare\n  rctl unshare ls -ln ~/.local/share/rctl")]
    Unshare(UnshareArgs),

    /// Create and start a container
    #[command(
        after_help = "Examples:\n  rctl run --rm --rootfs ./rootfs echo hello\n  rctl run -d --name web --rootfs ./rootfs httpd -f"
    )]
    Run(RunArgs),

    /// Create a container without starting it
    Create(CreateArgs),

    /// Start created or stopped containers
    Start(StartArgs),

    /// List containers
    #[command(visible_alias = "list")]
    Ps(PsArgs),

    /// Stop containers: the stop signal, then SIGKILL after a timeout
    Stop(StopArgs),

    /// Send a signal to containers
    Kill(KillArgs),

    /// Remove containers
    Rm(RmArgs),

    /// Wait for containers to exit and print their exit codes
    Wait(WaitArgs),

    /// Print a container's output
    Logs(LogsArgs),

    /// Run a command in a running container
    Exec(ExecArgs),

    /// Show containers' configuration and state as JSON
    Inspect(InspectArgs),

    /// Rename a container
    Rename(RenameArgs),

    /// Stop and start containers again
    Restart(RestartArgs),

    /// Show the processes of a running container
    Top(TopArgs),

    /// List a container's published ports (none until networking lands)
    Port(PortArgs),

    /// Copy files between a container and the host (`CONTAINER:PATH`)
    Cp(CpArgs),

    /// Attach to a running container's output (and input with -i/-t)
    Attach(AttachArgs),

    /// Write a container's filesystem as a tar archive
    Export(ExportArgs),

    /// Container management (`prune`)
    Container(ContainerArgs),

    /// The per-container monitor (internal)
    #[command(hide = true, name = "container-monitor")]
    ContainerMonitor(MonitorArgs),
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Output format: `json`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Output format: `json`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct UnshareArgs {
    /// The command and its arguments
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<OsString>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn unshare_keeps_hyphen_args() {
        let cli = Cli::try_parse_from(["rctl", "unshare", "ls", "-la"]).unwrap();
        match cli.command {
            Command::Unshare(a) => assert_eq!(a.command, ["ls", "-la"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_format_is_rejected() {
        assert!(Cli::try_parse_from(["rctl", "info", "--format", "xml"]).is_err());
    }
}

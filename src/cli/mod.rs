//! What the user typed: clap definitions only, checked without I/O.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{CgroupManager, StorageDriver};

pub mod image;

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

    /// Pull an image from a registry
    #[command(
        after_help = "Examples:\n  rctl pull docker.io/library/busybox\n  rctl pull --tls-verify=false 127.0.0.1:5000/app:1"
    )]
    Pull(image::PullArgs),

    /// Push an image to a registry
    #[command(
        after_help = "Examples:\n  rctl push localhost/app registry.example/team/app:1\n  rctl push --tls-verify=false 127.0.0.1:5000/app:1"
    )]
    Push(image::PushArgs),

    /// List images
    #[command(
        after_help = "Examples:\n  rctl images\n  rctl images -q\n  rctl images --format json"
    )]
    Images(image::ImagesArgs),

    /// Remove images (a name only, when the image has other names)
    #[command(after_help = "Example:\n  rctl rmi localhost/app:1")]
    Rmi(image::RmiArgs),

    /// Add names to an image
    #[command(after_help = "Example:\n  rctl tag busybox localhost/mybox:1")]
    Tag(image::TagArgs),

    /// Remove names from an image
    Untag(image::TagArgs),

    /// Turn a root filesystem tarball into an image
    #[command(
        after_help = "Examples:\n  rctl import rootfs.tar localhost/base\n  tar -C dir -c . | rctl import --change 'CMD [\"/bin/sh\"]' - base"
    )]
    Import(image::ImportArgs),

    /// Show how an image was built
    History(image::HistoryArgs),

    /// Write images to an archive (docker-archive or oci-archive)
    #[command(
        after_help = "Examples:\n  rctl save -o app.tar localhost/app\n  rctl save --format oci-archive app > app-oci.tar"
    )]
    Save(image::SaveArgs),

    /// Read images from a docker-archive or oci-archive
    #[command(after_help = "Examples:\n  rctl load -i app.tar\n  rctl load < app.tar")]
    Load(image::LoadArgs),

    /// Store credentials for a registry (auth.json, shared with Podman)
    #[command(
        after_help = "Example:\n  echo \"$PW\" | rctl login -u me --password-stdin registry.example"
    )]
    Login(image::LoginArgs),

    /// Remove stored credentials for a registry
    Logout(image::LogoutArgs),

    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
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

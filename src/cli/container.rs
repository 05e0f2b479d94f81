//! Container commands' arguments (Podman's flags), checked without I/O.

use std::path::PathBuf;

use clap::Args;

/// How a container is made: shared by `run` and `create`.
#[derive(Debug, Args, Clone)]
pub struct CreateArgs {
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,

    /// The first argument is a root filesystem directory, not an image
    /// (`DIR:O` mounts an overlay over it and keeps DIR unchanged)
    #[arg(long)]
    pub rootfs: bool,

    /// When to pull the image: `missing` (default), `always`, `never`
    #[arg(long, value_enum, default_value_t = crate::image::resolve::PullPolicy::Missing)]
    pub pull: crate::image::resolve::PullPolicy,

    /// Layer directories (lowest first, comma-separated) stacked with overlayfs as the root filesystem
    #[arg(long, hide = true, value_delimiter = ',', value_name = "DIR")]
    pub rootfs_layers: Vec<PathBuf>,

    /// Set an environment variable (`KEY=VALUE`, or `KEY` to copy it from rctl's environment)
    #[arg(long, short = 'e', value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Read environment variables from a file (`KEY=VALUE` lines)
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// Working directory inside the container
    #[arg(long, short = 'w', value_name = "DIR")]
    pub workdir: Option<String>,

    /// User (`uid[:gid]` or names from the container's /etc/passwd)
    #[arg(long, short = 'u')]
    pub user: Option<String>,

    /// Override the image's ENTRYPOINT (`""` clears it; a JSON array is accepted)
    #[arg(long)]
    pub entrypoint: Option<String>,

    /// Container host name
    #[arg(long)]
    pub hostname: Option<String>,

    /// Add a capability (`ALL` for all)
    #[arg(long, value_name = "CAP")]
    pub cap_add: Vec<String>,

    /// Drop a capability (`ALL` for all)
    #[arg(long, value_name = "CAP")]
    pub cap_drop: Vec<String>,

    /// Give the container every capability and no seccomp, masks or read-only paths
    #[arg(long)]
    pub privileged: bool,

    /// Security options: `seccomp=unconfined`, `no-new-privileges`
    #[arg(long, value_name = "OPT")]
    pub security_opt: Vec<String>,

    /// Run a minimal init as PID 1 that reaps zombies and forwards signals
    #[arg(long)]
    pub init: bool,

    /// Allocate a terminal
    #[arg(long, short = 't')]
    pub tty: bool,

    /// Keep stdin open
    #[arg(long, short = 'i')]
    pub interactive: bool,

    #[command(flatten)]
    pub net: crate::cli::network::NetworkArgs,

    /// Resource limit `NAME=SOFT[:HARD]` (e.g. `nofile=1024:2048`; `-1` is unlimited)
    #[arg(long, value_name = "NAME=SOFT[:HARD]")]
    pub ulimit: Vec<String>,

    /// OCI runtime to run the container with (`runc`, or a path); default: rctl's own
    #[arg(long, value_name = "PATH|NAME")]
    pub runtime: Option<String>,

    /// Mount the root filesystem read-only
    #[arg(long)]
    pub read_only: bool,

    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,

    /// Signal to stop the container (default: the image's, else SIGTERM)
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,

    /// Seconds to wait for the stop signal before SIGKILL
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub stop_timeout: u32,

    // --- pods ---
    /// Join a pod (its network, IPC and UTS namespaces); `new:NAME` creates it
    #[arg(long, value_name = "POD")]
    pub pod: Option<String>,

    /// Image (or root filesystem directory with --rootfs)
    #[arg(value_name = "IMAGE")]
    pub image: String,

    /// Command and arguments (replace the image's CMD)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run in the background and print the container id
    #[arg(long, short = 'd', conflicts_with = "attach")]
    pub detach: bool,

    /// Attach only these streams (stdin, stdout, stderr; repeatable); the
    /// others go to the log only
    #[arg(long, short = 'a', value_parser = ["stdin", "stdout", "stderr"], value_name = "STREAM")]
    pub attach: Vec<String>,

    #[command(flatten)]
    pub create: CreateArgs,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Attach to the container's output and wait for it
    #[arg(long, short = 'a')]
    pub attach: bool,

    /// Pass stdin to the container (with -a)
    #[arg(long, short = 'i')]
    pub interactive: bool,

    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PsArgs {
    /// Show all containers, not only running ones
    #[arg(long, short = 'a')]
    pub all: bool,

    /// Print ids only
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Do not truncate ids and commands
    #[arg(long)]
    pub no_trunc: bool,

    /// Output format: `json`, `table`, or a Go-style template such as
    /// `{{.ID}} {{.Names}}`
    #[arg(long, default_value = "")]
    pub format: String,

    /// Filter: `status=`, `name=`, `id=`, `exited=` (repeatable)
    #[arg(long, short = 'f', value_name = "KEY=VALUE")]
    pub filter: Vec<String>,

    /// Show only the N most recently created containers (implies -a)
    #[arg(long, short = 'n', value_name = "N")]
    pub last: Option<usize>,

    /// Show only the most recently created container (implies -a)
    #[arg(long, short = 'l')]
    pub latest: bool,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// Seconds to wait before SIGKILL (default: the container's --stop-timeout)
    #[arg(long, short = 't', visible_alias = "time")]
    pub timeout: Option<u32>,

    /// Stop all running containers
    #[arg(long, short = 'a')]
    pub all: bool,

    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct KillArgs {
    /// Signal to send
    #[arg(long, short = 's', default_value = "KILL")]
    pub signal: String,

    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Kill and remove running containers
    #[arg(long, short = 'f')]
    pub force: bool,

    /// Remove all containers
    #[arg(long, short = 'a')]
    pub all: bool,

    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Keep printing new output until the container exits
    #[arg(long, short = 'f')]
    pub follow: bool,

    /// Print only the last N lines
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,

    /// Prefix each line with its time stamp
    #[arg(long, short = 't')]
    pub timestamps: bool,

    /// Only output since this time (RFC 3339, e.g. 2026-01-02T15:04:05Z) or
    /// this long ago (e.g. 10m, 1h30m)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Keep stdin open
    #[arg(long, short = 'i')]
    pub interactive: bool,

    /// Allocate a terminal in the container
    #[arg(long, short = 't')]
    pub tty: bool,

    /// Run in the background: print nothing and return at once
    #[arg(long, short = 'd')]
    pub detach: bool,

    /// Set an environment variable
    #[arg(long, short = 'e', value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// User to run as
    #[arg(long, short = 'u')]
    pub user: Option<String>,

    /// Working directory
    #[arg(long, short = 'w')]
    pub workdir: Option<String>,

    #[arg(value_name = "CONTAINER")]
    pub container: String,

    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Go-style template over the JSON, e.g. `{{.State.Pid}}` or `{{json .Config}}`
    #[arg(long, short = 'f', value_name = "TEMPLATE")]
    pub format: Option<String>,

    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// The hidden monitor subcommand.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    pub id: String,
    #[arg(long)]
    pub report_fd: i32,
    #[arg(long)]
    pub attach: bool,
}

#[derive(Debug, Args)]
pub struct RestartArgs {
    /// Seconds to wait before SIGKILL when stopping
    #[arg(long, short = 't', visible_alias = "time")]
    pub timeout: Option<u32>,

    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TopArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Debug, Args)]
pub struct PortArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

/// `rctl container SUBCOMMAND`.
#[derive(Debug, Args)]
pub struct ContainerArgs {
    #[command(subcommand)]
    pub command: ContainerCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ContainerCommand {
    /// Remove every container that is not running
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Do not ask for confirmation (rctl never asks)
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Debug, Args)]
pub struct CommitArgs {
    /// Config instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL
    #[arg(long, short = 'c', value_name = "INSTRUCTION")]
    pub change: Vec<String>,
    /// A comment for the image history
    #[arg(long, short = 'm')]
    pub message: Option<String>,
    /// The image's author
    #[arg(long, short = 'a')]
    pub author: Option<String>,
    /// Accepted for compatibility; the container is not paused
    #[arg(long, short = 'p', num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub pause: Option<bool>,
    /// Print only the image ID (the default)
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Name of the new image (a short name becomes `localhost/NAME`)
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
}

#[derive(Debug, Args)]
pub struct CpArgs {
    /// Source: `CONTAINER:PATH` or a host path
    #[arg(value_name = "SRC")]
    pub src: String,
    /// Destination: `CONTAINER:PATH` or a host path
    #[arg(value_name = "DEST")]
    pub dest: String,
}

/// Split `CONTAINER:PATH`; host paths (absolute, `./`, `../`, or without a
/// colon) give `None`.
pub fn split_container_path(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('/') || s.starts_with('.') {
        return None;
    }
    let (c, p) = s.split_once(':')?;
    (!c.is_empty()).then_some((c, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_paths() {
        assert_eq!(split_container_path("web:/etc/x"), Some(("web", "/etc/x")));
        assert_eq!(split_container_path("./a:b"), None);
        assert_eq!(split_container_path("/a:b"), None);
        assert_eq!(split_container_path("file"), None);
    }
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

//! What the user typed: clap definitions only, checked without I/O.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod network;
pub mod pod;
pub mod volume;

use crate::config::{CgroupManager, StorageDriver};
use crate::format::{OutputFormat, parse_format};

pub mod image;
pub mod kube;

pub mod build;

pub mod container;
pub mod generate;
use container::*;

pub mod events;
pub mod system;

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show rctl's version
    #[command(after_help = "Example:\n  rctl version --format json")]
    Version(VersionArgs),

    /// Show how rctl sees this host: namespaces, id maps, storage, helpers
    #[command(after_help = "Examples:\n  rctl info\n  rctl info --format json")]
    Info(InfoArgs),

    /// Diagnose this host for rootless containers; each problem comes with its fix
    #[command(after_help = "Examples:\n  rctl check\n  rctl check --format json")]
    Check(CheckArgs),

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
    #[command(after_help = "Example:\n  rctl untag localhost/mybox localhost/mybox:1")]
    Untag(image::TagArgs),

    /// Turn a root filesystem tarball into an image
    #[command(
        after_help = "Examples:\n  rctl import rootfs.tar localhost/base\n  tar -C dir -c . | rctl import --change 'CMD [\"/bin/sh\"]' - base"
    )]
    Import(image::ImportArgs),

    /// Show how an image was built
    #[command(after_help = "Example:\n  rctl history localhost/app")]
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
    #[command(after_help = "Example:\n  rctl logout registry.example")]
    Logout(image::LogoutArgs),

    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// Manage user-defined networks
    #[command(
        subcommand,
        after_help = "Examples:\n  rctl network create backend\n  rctl run -d --network backend --name db IMAGE\n  rctl network rm backend"
    )]
    Network(network::NetworkCommand),
    /// Create and start a container
    #[command(
        after_help = "Examples:\n  rctl run --rm --rootfs ./rootfs echo hello\n  rctl run -d --name web --rootfs ./rootfs httpd -f"
    )]
    Run(RunArgs),

    /// Create a container without starting it
    #[command(
        after_help = "Examples:\n  rctl create --name web -p 8080:80 localhost/busybox httpd -f -p 80\n  rctl start web"
    )]
    Create(CreateArgs),

    /// Start created or stopped containers
    #[command(after_help = "Examples:\n  rctl start web\n  rctl start -a job")]
    Start(StartArgs),

    /// List containers
    #[command(visible_alias = "list")]
    #[command(
        after_help = "Examples:\n  rctl ps -a\n  rctl ps --format '{{.ID}} {{.Names}} {{.Status}}'"
    )]
    Ps(PsArgs),

    /// Stop containers: the stop signal, then SIGKILL after a timeout
    #[command(after_help = "Example:\n  rctl stop -t 5 web")]
    Stop(StopArgs),

    /// Send a signal to containers
    #[command(after_help = "Example:\n  rctl kill -s HUP web")]
    Kill(KillArgs),

    /// Remove containers
    #[command(after_help = "Examples:\n  rctl rm web\n  rctl rm -f -a")]
    Rm(RmArgs),

    /// Wait for containers to exit and print their exit codes
    #[command(after_help = "Example:\n  rctl wait job")]
    Wait(WaitArgs),

    /// Print a container's output
    #[command(after_help = "Examples:\n  rctl logs -f web\n  rctl logs --tail 5 -t web")]
    Logs(LogsArgs),

    /// Run a command in a running container
    #[command(after_help = "Examples:\n  rctl exec web ps\n  rctl exec -it web sh")]
    Exec(ExecArgs),

    /// Show containers' configuration and state as JSON
    #[command(
        after_help = "Examples:\n  rctl inspect web\n  rctl inspect --format '{{.State.Status}}' web"
    )]
    Inspect(InspectArgs),

    /// Rename a container
    #[command(after_help = "Example:\n  rctl rename web web-old")]
    Rename(RenameArgs),

    /// Stop and start containers again
    #[command(after_help = "Example:\n  rctl restart -t 2 web")]
    Restart(RestartArgs),

    /// Show the processes of a running container
    #[command(after_help = "Example:\n  rctl top web")]
    Top(TopArgs),

    /// List a running container's published ports
    #[command(after_help = "Example:\n  rctl port web")]
    Port(PortArgs),

    /// Copy files between a container and the host (`CONTAINER:PATH`)
    #[command(
        after_help = "Examples:\n  rctl cp ./app.conf web:/etc/app.conf\n  rctl cp web:/var/log/app.log ."
    )]
    Cp(CpArgs),

    /// Attach to a running container's output (and input with -i/-t)
    #[command(after_help = "Example:\n  rctl attach web")]
    Attach(AttachArgs),

    /// Write a container's filesystem as a tar archive
    #[command(after_help = "Example:\n  rctl export -o web.tar web")]
    Export(ExportArgs),

    /// Create an image from a container's changes
    #[command(
        after_help = "Examples:\n  rctl commit web localhost/web:1\n  rctl commit --change 'CMD [\"/bin/app\"]' -m 'add app' web app"
    )]
    Commit(CommitArgs),

    /// Container management (`prune`)
    Container(ContainerArgs),

    /// Manage volumes: create, ls, inspect, rm, prune
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Run containers' healthchecks (`run`)
    #[command(subcommand, after_help = "Example:\n  rctl healthcheck run web")]
    Healthcheck(HealthcheckCommand),

    // --- system: disk use, prune, reset, migrate; events ---
    /// Manage rctl's storage and namespace (df, prune, reset, migrate, check)
    #[command(subcommand)]
    System(system::SystemCommand),

    /// Show container and image events (create, start, stop, died, remove, pull, push, tag, untag)
    #[command(
        after_help = "Examples:\n  rctl events\n  rctl events --stream=false --since 1h --format json\n  rctl events --filter container=web --filter event=died"
    )]
    Events(events::EventsArgs),
    /// Build an image from a Containerfile or Dockerfile
    #[command(
        after_help = "Examples:\n  rctl build -t localhost/app:1 .\n  rctl build -f Dockerfile.dev --build-arg V=2 --target test -t app-test dir\n  rctl build -t tool - < Containerfile"
    )]
    Build(build::BuildArgs),
    /// Kubernetes YAML: generate it from containers, play it, take it down
    #[command(
        subcommand,
        after_help = "Examples:\n  rctl kube generate web > web.yaml\n  rctl kube play web.yaml\n  rctl kube down web.yaml"
    )]
    Kube(kube::KubeCommand),

    /// The per-container monitor (internal)
    #[command(hide = true, name = "container-monitor")]
    ContainerMonitor(MonitorArgs),

    // --- cgroups and systemd units ---
    /// Change the resource limits of containers
    #[command(
        after_help = "Examples:\n  rctl update --memory 256m web\n  rctl update --cpus 1.5 --pids-limit 100 web"
    )]
    Update(UpdateArgs),

    /// Show containers' resource use: CPU, memory, pids, block and network I/O
    #[command(after_help = "Examples:\n  rctl stats\n  rctl stats --no-stream --format json web")]
    Stats(StatsArgs),

    /// Generate systemd units (for a container, or from Quadlet-style files)
    #[command(subcommand)]
    Generate(generate::GenerateCommand),
    /// Manage pods (containers sharing network, IPC and UTS namespaces)
    #[command(
        subcommand,
        after_help = "Examples:\n  rctl pod create --name web -p 8080:80\n  rctl run -d --pod web localhost/busybox httpd -f\n  rctl pod rm -f web"
    )]
    Pod(pod::PodCommand),

    /// The holder of the user-defined networks' namespace (internal)
    #[command(hide = true, name = "network-infra")]
    NetworkInfra(network::NetworkInfraArgs),

    /// A pod's infra process (internal)
    #[command(hide = true, name = "pod-infra")]
    PodInfra(pod::InfraArgs),
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Output format: `json` or a Go template such as `{{.host.rootless}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Output format: `json` or a Go template such as `{{.host.rootless}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: `json` or a Go template such as `{{.host.rootless}}`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
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
    fn network_debug_is_hidden_and_parses() {
        use clap::CommandFactory;
        let help = Cli::command().render_help().to_string();
        assert!(
            help.lines().any(|l| l.trim_start().starts_with("network ")),
            "{help}"
        );
        let mut cmd = Cli::command();
        let net_help = cmd
            .find_subcommand_mut("network")
            .unwrap()
            .render_help()
            .to_string();
        assert!(net_help.contains("create"), "{net_help}");
        assert!(!net_help.contains("attach-debug"), "{net_help}");
        let cli = Cli::try_parse_from([
            "rctl",
            "network",
            "attach-debug",
            "--pid",
            "7",
            "-p",
            "127.0.0.1:8080:80",
            "--network",
            "pasta",
            "--dns",
            "192.0.2.53",
            "--add-host",
            "a:192.0.2.1",
        ])
        .unwrap();
        match cli.command {
            Command::Network(network::NetworkCommand::AttachDebug(a)) => {
                assert_eq!(a.pid, 7);
                let r = a.net.request();
                assert_eq!(r.publish, ["127.0.0.1:8080:80"]);
                assert_eq!(r.network.as_deref(), Some("pasta"));
                assert_eq!(r.add_host, ["a:192.0.2.1"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn commit_pause_takes_no_positional() {
        let cli = Cli::try_parse_from(["rctl", "commit", "-p", "c1", "img"]).unwrap();
        match cli.command {
            Command::Commit(a) => {
                assert_eq!((a.pause, a.container.as_str()), (Some(true), "c1"));
                assert_eq!(a.image.as_deref(), Some("img"));
            }
            other => panic!("{other:?}"),
        }
        assert!(Cli::try_parse_from(["rctl", "commit", "--pause=false", "c1"]).is_ok());
    }

    #[test]
    fn bad_format_is_rejected() {
        assert!(Cli::try_parse_from(["rctl", "info", "--format", "{{.x"]).is_err());
    }
}

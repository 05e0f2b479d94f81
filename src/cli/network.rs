//! Network flags shared by `run`/`create` (and the hidden debug commands
//! that attach a network to a namespace without the container runtime).

use clap::{Args, Subcommand};

use crate::network::NetworkRequest;

/// `--network`, `-p`, `--dns*`, `--add-host`: flatten into any command that
/// creates a container.
#[derive(Debug, Clone, Default, Args)]
pub struct NetworkArgs {
    /// Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME,
    /// or the name of a user-defined network
    /// (default: pasta when installed, else slirp4netns)
    #[arg(long, alias = "net", value_name = "MODE")]
    pub network: Option<String>,

    /// Publish a container port: [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp]
    #[arg(short = 'p', long = "publish", value_name = "SPEC")]
    pub publish: Vec<String>,

    /// Publish every port the image EXPOSEs on a random host port
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,

    /// DNS server for the container (replaces the host's; `none` writes no resolv.conf)
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,

    /// DNS search domain (replaces the host's; `.` for none)
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,

    /// resolv.conf option (replaces the host's), e.g. ndots:2
    #[arg(long = "dns-option", value_name = "OPTION")]
    pub dns_option: Vec<String>,

    /// Extra /etc/hosts entry NAME:IP (NAME1;NAME2:IP, NAME:host-gateway)
    #[arg(long = "add-host", value_name = "NAME:IP")]
    pub add_host: Vec<String>,

    /// Another name of the container on its user-defined network
    #[arg(long = "network-alias", value_name = "ALIAS")]
    pub network_alias: Vec<String>,
}

impl NetworkArgs {
    pub fn request(&self) -> NetworkRequest {
        NetworkRequest {
            network: self.network.clone(),
            publish: self.publish.clone(),
            dns: self.dns.clone(),
            dns_search: self.dns_search.clone(),
            dns_option: self.dns_option.clone(),
            add_host: self.add_host.clone(),
            aliases: self.network_alias.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Create a user-defined network (containers on it reach each other by name)
    #[command(
        after_help = "Examples:\n  rctl network create backend\n  rctl network create --subnet 10.90.0.0/24 backend\n  rctl run -d --network backend --name db --network-alias pg IMAGE"
    )]
    Create(NetworkCreateArgs),
    /// List user-defined networks
    #[command(
        visible_alias = "list",
        after_help = "Examples:\n  rctl network ls\n  rctl network ls -q"
    )]
    Ls(NetworkLsArgs),
    /// Show networks as JSON (with their containers)
    #[command(after_help = "Example:\n  rctl network inspect backend")]
    Inspect(NetworkTargets),
    /// Remove networks (refused while a container uses one, unless -f)
    #[command(after_help = "Examples:\n  rctl network rm backend\n  rctl network rm -f backend")]
    Rm(NetworkRmArgs),
    /// Remove every network no container uses
    #[command(after_help = "Example:\n  rctl network prune")]
    Prune,
    /// Attach a network to the namespace of PID and print the handle (debugging; hidden)
    #[command(name = "attach-debug", hide = true)]
    AttachDebug(AttachDebugArgs),
    /// Stop the helper of a handle printed by attach-debug (debugging; hidden)
    #[command(name = "detach-debug", hide = true)]
    DetachDebug(DetachDebugArgs),
}

#[derive(Debug, Args)]
pub struct NetworkCreateArgs {
    /// IPv4 subnet (default: the first free 10.89.N.0/24)
    #[arg(long, value_name = "CIDR")]
    pub subnet: Option<String>,

    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct NetworkLsArgs {
    /// Print only the names
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct NetworkTargets {
    #[arg(required = true, value_name = "NETWORK")]
    pub networks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NetworkRmArgs {
    /// Remove the containers that use the network too
    #[arg(long, short = 'f')]
    pub force: bool,

    #[arg(required = true, value_name = "NETWORK")]
    pub networks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NetworkInfraArgs {
    #[arg(long)]
    pub report_fd: i32,
}

#[derive(Debug, Args)]
pub struct AttachDebugArgs {
    /// A process in the network namespace to connect
    #[arg(long)]
    pub pid: i32,

    /// Container name for /etc/hosts
    #[arg(long, default_value = "debug")]
    pub name: String,

    #[command(flatten)]
    pub net: NetworkArgs,
}

#[derive(Debug, Args)]
pub struct DetachDebugArgs {
    /// The `handle` object printed by attach-debug, as JSON
    pub handle: String,
}

//! Network flags shared by `run`/`create` (and the hidden debug commands
//! that attach a network to a namespace without the container runtime).

use clap::{Args, Subcommand};

use crate::network::NetworkRequest;

/// `--network`, `-p`, `--dns*`, `--add-host`: flatten into any command that
/// creates a container.
#[derive(Debug, Clone, Default, Args)]
pub struct NetworkArgs {
    /// Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME
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
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Attach a network to the namespace of PID and print the handle (debugging; hidden)
    #[command(name = "attach-debug", hide = true)]
    AttachDebug(AttachDebugArgs),
    /// Stop the helper of a handle printed by attach-debug (debugging; hidden)
    #[command(name = "detach-debug", hide = true)]
    DetachDebug(DetachDebugArgs),
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

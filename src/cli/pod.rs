//! `rctl pod ...`: clap definitions.

use clap::{Args, Subcommand};

use super::network::NetworkArgs;

#[derive(Debug, Subcommand)]
pub enum PodCommand {
    /// Create a pod (started with `pod start` or its first container)
    #[command(
        after_help = "Examples:\n  rctl pod create --name web -p 127.0.0.1:8080:80\n  rctl pod create --name db --network slirp4netns"
    )]
    Create(PodCreateArgs),
    /// List pods
    #[command(
        visible_alias = "list",
        visible_alias = "ps",
        after_help = "Examples:\n  rctl pod ls\n  rctl pod ls -q"
    )]
    Ls(PodLsArgs),
    /// Show pods' configuration and state as JSON
    #[command(after_help = "Example:\n  rctl pod inspect web")]
    Inspect(PodTargets),
    /// Start pods: the infra process, then every container
    #[command(after_help = "Example:\n  rctl pod start web")]
    Start(PodTargets),
    /// Stop pods: every container, then the infra process
    #[command(after_help = "Example:\n  rctl pod stop -t 2 web")]
    Stop(PodStopArgs),
    /// Remove pods and their containers
    #[command(after_help = "Examples:\n  rctl pod rm web\n  rctl pod rm -f web")]
    Rm(PodRmArgs),
}

#[derive(Debug, Args)]
pub struct PodCreateArgs {
    /// Name of the pod (default: generated)
    #[arg(long, short = 'n')]
    pub name: Option<String>,

    /// Hostname of the pod's containers (default: the pod's name)
    #[arg(long)]
    pub hostname: Option<String>,

    /// Label KEY=VALUE (repeatable)
    #[arg(long, short = 'l', value_name = "KEY=VALUE")]
    pub label: Vec<String>,

    #[command(flatten)]
    pub net: NetworkArgs,
}

#[derive(Debug, Args)]
pub struct PodLsArgs {
    /// Print only the pod ids
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Print full ids
    #[arg(long)]
    pub no_trunc: bool,
}

#[derive(Debug, Args)]
pub struct PodTargets {
    #[arg(required = true, value_name = "POD")]
    pub pods: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PodStopArgs {
    /// Seconds to wait for each container before SIGKILL
    #[arg(long, short = 't', visible_alias = "time", default_value_t = 10)]
    pub timeout: u32,

    #[arg(required = true, value_name = "POD")]
    pub pods: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PodRmArgs {
    /// Stop running containers first
    #[arg(long, short = 'f')]
    pub force: bool,

    #[arg(required = true, value_name = "POD")]
    pub pods: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InfraArgs {
    pub id: String,
    #[arg(long)]
    pub report_fd: i32,
}

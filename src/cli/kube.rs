//! `rctl kube generate|play|down` arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum KubeCommand {
    /// Write Pod YAML for containers (one Pod holding all of them)
    #[command(
        after_help = "Examples:\n  rctl kube generate web > web.yaml\n  rctl kube generate -f pod.yaml web cache"
    )]
    Generate(KubeGenerateArgs),

    /// Run the Pods (or Deployments with replicas: 1) of a YAML file
    #[command(
        after_help = "Examples:\n  rctl kube play web.yaml\n  rctl kube generate web | rctl kube play -"
    )]
    Play(KubeFileArgs),

    /// Stop and remove what `kube play` made from a YAML file
    #[command(after_help = "Example:\n  rctl kube down web.yaml")]
    Down(KubeFileArgs),
}

#[derive(Debug, Args)]
pub struct KubeGenerateArgs {
    /// Write the YAML to this file instead of stdout
    #[arg(long, short = 'f', value_name = "FILE")]
    pub filename: Option<PathBuf>,

    /// Containers (names or ids) to put in the Pod
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct KubeFileArgs {
    /// The Kubernetes YAML file (`-` for standard input)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

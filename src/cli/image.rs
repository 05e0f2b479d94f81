//! Arguments of the image commands (`pull`, `images`, `rmi`, `tag`,
//! `import`, `login`, ... and the `image` group).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::format::{OutputFormat, parse_format};

fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("`{other}` is not true or false")),
    }
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The image: REGISTRY/NAME[:TAG][@DIGEST], or a short name
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Require HTTPS with a verified certificate (false: plain HTTP)
    #[arg(long, value_parser = parse_bool, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub tls_verify: Option<bool>,
    /// Platform to pull from a multi-platform image: OS/ARCH[/VARIANT]
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,
    /// Architecture to pull from a multi-platform image
    #[arg(long, value_name = "ARCH", conflicts_with = "platform")]
    pub arch: Option<String>,
    /// Print only the image ID
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The local image
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Where to push (default: the image's name): REGISTRY/NAME[:TAG]
    #[arg(value_name = "DESTINATION")]
    pub destination: Option<String>,
    /// Require HTTPS with a verified certificate (false: plain HTTP)
    #[arg(long, value_parser = parse_bool, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub tls_verify: Option<bool>,
    /// Print nothing but errors
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Print only image IDs
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Show manifest digests
    #[arg(long)]
    pub digests: bool,
    /// Output format: `json`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
    /// Filters: `dangling=true|false`, `reference=PATTERN`
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Show untruncated IDs
    #[arg(long)]
    pub no_trunc: bool,
}

#[derive(Debug, Args)]
pub struct RmiArgs {
    /// Images by name or ID
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Remove even when containers use the image
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The image to name
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// New names
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Images by name or ID
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Output format: `json`
    #[arg(long, short = 'f', value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove every image no container uses, not only unnamed ones
    #[arg(long, short = 'a')]
    pub all: bool,
    /// Do not ask (rctl never asks; accepted for compatibility)
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A root filesystem tarball (plain, gzip or zstd), or `-` for stdin
    #[arg(value_name = "TARBALL")]
    pub source: PathBuf,
    /// Name of the new image
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Config instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL
    #[arg(long, short = 'c', value_name = "INSTRUCTION")]
    pub change: Vec<String>,
    /// A comment for the image history
    #[arg(long, short = 'm')]
    pub message: Option<String>,
    /// Print only the image ID
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The registry (`host[:port]`)
    #[arg(value_name = "REGISTRY")]
    pub registry: String,
    #[arg(long, short = 'u')]
    pub username: Option<String>,
    #[arg(long, short = 'p')]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Require HTTPS with a verified certificate (false: plain HTTP)
    #[arg(long, value_parser = parse_bool, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub tls_verify: Option<bool>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The registry (`host[:port]`)
    #[arg(value_name = "REGISTRY")]
    pub registry: String,
}

/// `rctl image SUBCOMMAND`.
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Pull an image from a registry
    Pull(PullArgs),
    /// Push an image to a registry
    Push(PushArgs),
    /// List images
    #[command(alias = "list", name = "ls")]
    Ls(ImagesArgs),
    /// Remove images
    Rm(RmiArgs),
    /// Add names to an image
    Tag(TagArgs),
    /// Remove names from an image
    Untag(TagArgs),
    /// Show images' records as JSON
    Inspect(InspectArgs),
    /// Show how an image was built
    History(HistoryArgs),
    /// Remove unnamed (or, with -a, unused) images
    Prune(PruneArgs),
    /// Turn a root filesystem tarball into an image
    Import(ImportArgs),
}

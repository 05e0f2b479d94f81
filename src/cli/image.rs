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
    /// Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)
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
    /// Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)
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

/// Archive formats of `save`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ArchiveFormat {
    OciArchive,
    DockerArchive,
}

#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Images by name or ID
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Archive format
    #[arg(long, value_enum, default_value = "docker-archive")]
    pub format: ArchiveFormat,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Read from FILE instead of stdin (oci-archive or docker-archive)
    #[arg(long, short = 'i', value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Print only image IDs
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
    /// Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)
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
    #[command(after_help = "Example:\n  rctl image pull 127.0.0.1:5000/app:1")]
    Pull(PullArgs),
    /// Push an image to a registry
    #[command(after_help = "Example:\n  rctl image push localhost/app 127.0.0.1:5000/app:1")]
    Push(PushArgs),
    /// List images
    #[command(alias = "list", name = "ls")]
    #[command(after_help = "Example:\n  rctl image ls --format json")]
    Ls(ImagesArgs),
    /// Remove images
    #[command(after_help = "Example:\n  rctl image rm localhost/app:1")]
    Rm(RmiArgs),
    /// Add names to an image
    #[command(after_help = "Example:\n  rctl image tag busybox localhost/mybox:1")]
    Tag(TagArgs),
    /// Remove names from an image
    #[command(after_help = "Example:\n  rctl image untag localhost/mybox localhost/mybox:1")]
    Untag(TagArgs),
    /// Show images' records as JSON
    #[command(after_help = "Example:\n  rctl image inspect busybox")]
    Inspect(InspectArgs),
    /// Show how an image was built
    #[command(after_help = "Example:\n  rctl image history localhost/app")]
    History(HistoryArgs),
    /// Remove unnamed (or, with -a, unused) images
    #[command(after_help = "Example:\n  rctl image prune -a")]
    Prune(PruneArgs),
    /// Turn a root filesystem tarball into an image
    #[command(after_help = "Example:\n  rctl image import rootfs.tar localhost/base")]
    Import(ImportArgs),
    /// Write images to an archive
    #[command(after_help = "Example:\n  rctl image save -o app.tar localhost/app")]
    Save(SaveArgs),
    /// Read images from an archive
    #[command(after_help = "Example:\n  rctl image load -i app.tar")]
    Load(LoadArgs),
}

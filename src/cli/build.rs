//! Arguments of `rctl build`.

use std::path::PathBuf;

use clap::Args;

use crate::image::resolve::PullPolicy;

fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("`{other}` is not true or false")),
    }
}

fn parse_pull(s: &str) -> Result<PullPolicy, String> {
    match s {
        "always" | "true" => Ok(PullPolicy::Always),
        "missing" | "false" => Ok(PullPolicy::Missing),
        "never" => Ok(PullPolicy::Never),
        other => Err(format!("`{other}` is not always, missing or never")),
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The build context: a directory, or `-` to read the Containerfile from standard input (no context)
    #[arg(value_name = "CONTEXT", default_value = ".")]
    pub context: String,
    /// Name the image NAME[:TAG] (may be given several times)
    #[arg(long, short = 't', value_name = "NAME")]
    pub tag: Vec<String>,
    /// The Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile)
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Set a build argument NAME=VALUE (NAME alone takes it from the environment)
    #[arg(long, value_name = "NAME=VALUE")]
    pub build_arg: Vec<String>,
    /// Build this stage (and what it needs) and stop
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Do not use cached layers (the new layers are still cached)
    #[arg(long)]
    pub no_cache: bool,
    /// When to pull base images: always (also `--pull` alone, `true`), missing (default, also `false`), never
    #[arg(long, value_parser = parse_pull, num_args = 0..=1, require_equals = true, default_missing_value = "always", default_value = "missing", value_name = "POLICY")]
    pub pull: PullPolicy,
    /// Add a label KEY=VALUE to the image
    #[arg(long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Keep one layer per step (false: squash the new layers into one)
    #[arg(long, value_parser = parse_bool, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "true", value_name = "BOOL")]
    pub layers: bool,
    /// Squash the layers this build adds into one
    #[arg(long)]
    pub squash: bool,
    /// Write the image ID to this file
    #[arg(long, value_name = "FILE")]
    pub iidfile: Option<PathBuf>,
    /// Print only the image ID (no step progress)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn parse(args: &[&str]) -> BuildArgs {
        let mut all = vec!["rctl", "build"];
        all.extend_from_slice(args);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Build(b) => b,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pull_policies_and_repeated_flags() {
        assert_eq!(parse(&["dir"]).pull, PullPolicy::Missing);
        assert_eq!(parse(&["--pull", "dir"]).pull, PullPolicy::Always);
        assert_eq!(parse(&["--pull=never", "dir"]).pull, PullPolicy::Never);
        assert_eq!(parse(&["--pull=false", "dir"]).pull, PullPolicy::Missing);
        let b = parse(&[
            "-t",
            "a",
            "-t",
            "b:1",
            "--build-arg",
            "X=1",
            "--layers=false",
            "-",
        ]);
        assert_eq!(b.tag, ["a", "b:1"]);
        assert_eq!(b.build_arg, ["X=1"]);
        assert!(!b.layers);
        assert_eq!(b.context, "-");
        assert!(Cli::try_parse_from(["rctl", "build", "--pull=sometimes", "."]).is_err());
    }
}

//! `rctl build`: read the Containerfile, plan the build, run it, print the
//! image ID.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::rmi::tag_reference;
use crate::app::App;
use crate::build::exec::{self, Options};
use crate::cli::build::BuildArgs;

/// The Containerfile to read: `-f`, else CONTEXT/Containerfile, else
/// CONTEXT/Dockerfile. Returns (name in messages, name relative to the
/// context for ignore files, text).
fn containerfile(args: &BuildArgs, context: Option<&Path>) -> Result<(String, String, String)> {
    let read = |p: &Path| {
        fs_err::read_to_string(p)
            .with_context(|| format!("read the Containerfile `{}`", p.display()))
    };
    match (&args.file, context) {
        (Some(f), _) if f.as_os_str() == "-" => {
            if context.is_none() {
                bail!(
                    "`-f -` and the context `-` both read standard input\nhint: give a context directory"
                );
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("read the Containerfile from standard input")?;
            Ok(("-".into(), "Containerfile".into(), text))
        }
        (Some(f), _) => {
            let rel = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((f.display().to_string(), rel, read(f)?))
        }
        (None, None) => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("read the Containerfile from standard input")?;
            Ok(("-".into(), "Containerfile".into(), text))
        }
        (None, Some(dir)) => {
            for name in ["Containerfile", "Dockerfile"] {
                let p = dir.join(name);
                if p.is_file() {
                    return Ok((p.display().to_string(), name.into(), read(&p)?));
                }
            }
            bail!(
                "no Containerfile or Dockerfile in `{}`\nhint: name the file with -f FILE",
                dir.display()
            )
        }
    }
}

fn key_value(s: &str, what: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ if what == "--build-arg" && !s.is_empty() && !s.contains('=') => {
            Ok((s.to_string(), std::env::var(s).unwrap_or_default()))
        }
        _ => bail!("{what} `{s}` is not KEY=VALUE"),
    }
}

pub fn run(app: &App, args: &BuildArgs) -> Result<()> {
    let context: Option<PathBuf> = if args.context == "-" {
        None
    } else {
        let p = PathBuf::from(&args.context);
        if !p.is_dir() {
            bail!(
                "build context `{}` is not a directory\nhint: give a directory, or `-` to read the Containerfile from standard input",
                p.display()
            );
        }
        Some(std::path::absolute(&p)?)
    };
    let (name, rel, text) = containerfile(args, context.as_deref())?;
    let file = crate::build::parse(&name, &text).map_err(|e| crate::error::Exit::WithMessage {
        code: crate::error::RCTL_ERROR,
        message: e.to_string(),
    })?;
    let mut build_args = BTreeMap::new();
    for a in &args.build_arg {
        let (k, v) = key_value(a, "--build-arg")?;
        build_args.insert(k, v);
    }
    let labels = args
        .label
        .iter()
        .map(|l| key_value(l, "--label"))
        .collect::<Result<Vec<_>>>()?;
    let mut tags = Vec::new();
    for t in &args.tag {
        let r = tag_reference(t)?;
        if r.digest.is_some() {
            bail!("cannot name an image with a digest (`{t}`)\nhint: give NAME[:TAG]");
        }
        tags.push(r.store_name());
    }
    let mut automatic = BTreeMap::new();
    let arch = crate::image::import::host_arch();
    for (k, v) in [
        ("TARGETPLATFORM", format!("linux/{arch}")),
        ("TARGETOS", "linux".into()),
        ("TARGETARCH", arch.to_string()),
        ("BUILDPLATFORM", format!("linux/{arch}")),
        ("BUILDOS", "linux".into()),
        ("BUILDARCH", arch.to_string()),
    ] {
        automatic.insert(k.to_string(), v);
    }
    let plan = crate::build::plan(
        &file,
        &crate::build::PlanOptions {
            build_args,
            target: args.target.clone(),
            automatic_args: automatic,
        },
    )
    .map_err(|e| crate::error::Exit::WithMessage {
        code: crate::error::RCTL_ERROR,
        message: e.to_string(),
    })?;
    let _session = app.enter()?;
    // RUN output goes to stderr with the progress; stdout carries the ID.
    let stdout = exec::StdoutToStderr::begin()?;
    let opts = Options {
        context,
        containerfile: rel,
        no_cache: args.no_cache,
        pull: args.pull,
        labels,
        tags,
        quiet: args.quiet,
        squash: args.squash || !args.layers,
    };
    let id = exec::build(app, &plan, &opts);
    let stdout = stdout.end();
    let id = id?;
    crate::budget::enforce(app, &id);
    if let Some(f) = &args.iidfile {
        crate::ondisk::write_atomic(f, format!("sha256:{id}").as_bytes())
            .with_context(|| format!("write --iidfile `{}`", f.display()))?;
    }
    if !args.quiet {
        eprintln!("COMMIT {}", args.tag.join(", "));
    }
    use std::io::Write;
    let mut out = stdout;
    writeln!(out, "{id}").context("write the image ID")?;
    Ok(())
}

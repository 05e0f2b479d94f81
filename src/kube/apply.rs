//! Carrying out `kube generate`, `kube play` and `kube down` on the
//! user's store: the thin I/O around the pure `generate`, `play` and
//! `argv` modules. A play checks everything it can before it creates
//! anything, and removes what it created when a later step fails.
//!
//! A pod's emptyDir volumes live under `ROOT/kube/<pod>/<volume>` and go
//! away with `kube down`.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{CommandFactory, Parser};

use super::argv::create_args;
use super::generate::{self, Source};
use super::play::{self, HostPathCheck, PodPlan};
use crate::app::App;
use crate::container::Container;
use crate::container::lifecycle;
use crate::container::store::{LookupError, Store};

/// Whether `rctl create` has the long flag `--flag`.
pub fn create_has_flag(flag: &str) -> bool {
    crate::cli::Cli::command()
        .find_subcommand("create")
        .is_some_and(|c| c.get_arguments().any(|a| a.get_long() == Some(flag)))
}

/// Where pod `name`'s emptyDir volumes live.
fn pod_dir(app: &App, name: &str) -> PathBuf {
    app.dirs.root.join("kube").join(name)
}

/// Pod YAML for the containers or the pod named by `keys` (names or ids):
/// containers become one Pod named after the first; a pod keeps its name,
/// hostname and published ports.
pub fn generate(app: &App, keys: &[String]) -> Result<String> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut sources = Vec::new();
    let mut pod_name = None;
    for k in keys {
        match store.lookup(k) {
            Ok(c) => sources.push(Source::from_container(&c)),
            Err(e) if e.downcast_ref::<LookupError>().is_some() => {
                let Ok(p) = crate::pod::lookup(app, k) else {
                    return Err(e.context(format!("no container or pod `{k}`")));
                };
                let members = crate::pod::members(app, &p)?;
                if members.is_empty() {
                    bail!("pod `{}` has no containers to write", p.name);
                }
                let first = sources.len();
                sources.extend(members.iter().map(Source::from_container));
                sources[first].ports = p.net.ports.clone();
                sources[first].hostname = Some(p.hostname.clone());
                pod_name.get_or_insert(p.name);
            }
            Err(e) => return Err(e),
        }
    }
    let first = sources
        .first()
        .ok_or_else(|| anyhow!("give at least one container or pod"))?;
    let name = pod_name.unwrap_or_else(|| format!("{}-pod", first.name));
    let (pod, warnings) = generate::pod(&name, &sources);
    for w in warnings {
        log::warn!("{w}");
    }
    generate::to_yaml(&pod).context("write the Pod as YAML")
}

/// Write generated YAML to `path` (atomically).
pub fn write_file(path: &Path, yaml: &str) -> Result<()> {
    crate::ondisk::write_atomic(path, yaml.as_bytes())
}

/// Read and plan a YAML file: every error names the file (and the line).
/// `-` reads standard input (named `<stdin>` in messages).
fn plans(file: &Path) -> Result<Vec<PodPlan>> {
    let text = if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("read Kubernetes YAML from standard input")?;
        text
    } else {
        fs_err::read_to_string(file)?
    };
    let what = || format!("read Kubernetes YAML `{}`", shown(file));
    let (workloads, warnings) = play::parse(&text).with_context(what)?;
    for w in warnings {
        log::warn!("`{}`: {w}", shown(file));
    }
    workloads
        .iter()
        .map(|w| play::plan(w).with_context(what))
        .collect()
}

/// The pod named exactly `name`, if any.
fn pod_by_name(app: &App, name: &str) -> Result<Option<crate::pod::Pod>> {
    Ok(crate::pod::list(app)?.into_iter().find(|p| p.name == name))
}

/// How a file argument is named in messages.
fn shown(file: &Path) -> String {
    if file == Path::new("-") {
        "<stdin>".into()
    } else {
        file.display().to_string()
    }
}

/// A container named exactly `name`, if any.
fn by_name(store: &Store, name: &str) -> Result<Option<Container>> {
    Ok(store.list()?.into_iter().find(|c| c.name == name))
}

fn check_host_path(pod: &str, h: &HostPathCheck) -> Result<()> {
    let path = Path::new(&h.path);
    let meta = std::fs::metadata(path);
    let bad = |want: &str| {
        anyhow!(
            "pod `{pod}`: hostPath `{}` is not {want}\nhint: create it, or use type DirectoryOrCreate/FileOrCreate",
            h.path
        )
    };
    match h.kind.as_str() {
        "Directory" if !meta.as_ref().is_ok_and(|m| m.is_dir()) => Err(bad("a directory")),
        "File" if !meta.as_ref().is_ok_and(|m| m.is_file()) => Err(bad("a file")),
        "Socket" if !meta.as_ref().is_ok_and(|m| m.file_type().is_socket()) => Err(bad("a socket")),
        "CharDevice" if !meta.as_ref().is_ok_and(|m| m.file_type().is_char_device()) => {
            Err(bad("a character device"))
        }
        "BlockDevice" if !meta.as_ref().is_ok_and(|m| m.file_type().is_block_device()) => {
            Err(bad("a block device"))
        }
        _ => Ok(()),
    }
}

fn create_host_path(h: &HostPathCheck) -> Result<()> {
    let path = Path::new(&h.path);
    match h.kind.as_str() {
        "DirectoryOrCreate" => fs_err::create_dir_all(path)?,
        "FileOrCreate" if !path.exists() => {
            if let Some(parent) = path.parent() {
                fs_err::create_dir_all(parent)?;
            }
            fs_err::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)?;
        }
        _ => {}
    }
    Ok(())
}

/// What one played pod became.
pub struct Played {
    pub pod: String,
    pub containers: Vec<String>,
}

/// Everything a play made so far, to undo on failure.
struct Made<'a> {
    app: &'a App,
    store: &'a Store,
    pods: Vec<crate::pod::Pod>,
    containers: Vec<Container>,
    dirs: Vec<PathBuf>,
}

impl Made<'_> {
    fn undo(self) {
        for c in self.containers.iter().rev() {
            if let Err(e) = lifecycle::remove(self.store, c, true) {
                log::warn!("remove container `{}` after the failed play: {e:#}", c.name);
            }
        }
        for p in self.pods.iter().rev() {
            if let Err(e) = crate::pod::remove(self.app, p, true) {
                log::warn!("remove pod `{}` after the failed play: {e:#}", p.name);
            }
        }
        for d in self.dirs {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Run the pods of a YAML file.
pub fn play(app: &App, file: &Path) -> Result<Vec<Played>> {
    let plans = plans(file)?;
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let has = |f: &str| create_has_flag(f);
    // Everything that can be refused is refused before anything exists.
    let mut argvs = Vec::new();
    let mut warned = Vec::new();
    for p in &plans {
        for c in &p.containers {
            if let Some(old) = by_name(&store, &c.name)? {
                bail!(
                    "pod `{}`: a container named `{}` exists already\nhint: remove the pod first (`rctl kube down {}`) or rename that container",
                    p.name,
                    old.name,
                    shown(file)
                );
            }
        }
        if let Some(old) = pod_by_name(app, &p.name)? {
            bail!(
                "a pod named `{}` exists already\nhint: remove it first (`rctl kube down {}` or `rctl pod rm -f {0}`)",
                old.name,
                shown(file)
            );
        }
        for h in &p.host_paths {
            check_host_path(&p.name, h)?;
        }
        let dir = pod_dir(app, &p.name);
        let mut pod_argvs = Vec::new();
        for c in &p.containers {
            let (argv, warnings) = create_args(p, c, &dir, &has).map_err(|e| anyhow!(e))?;
            for w in warnings {
                if !warned.contains(&w) {
                    log::warn!("{w}");
                    warned.push(w);
                }
            }
            let mut full = vec!["rctl".to_string(), "create".to_string()];
            full.extend(argv);
            let parsed = crate::cli::Cli::try_parse_from(&full)
                .map_err(|e| anyhow!("pod `{}`, container `{}`: {e}", p.name, c.name))?;
            let crate::cli::Command::Create(args) = parsed.command else {
                bail!("`rctl create` arguments parsed as another command");
            };
            pod_argvs.push(args);
        }
        argvs.push(pod_argvs);
    }
    let mut made = Made {
        app,
        store: &store,
        pods: Vec::new(),
        containers: Vec::new(),
        dirs: Vec::new(),
    };
    match play_all(app, &plans, &argvs, &mut made) {
        Ok(played) => Ok(played),
        Err(e) => {
            made.undo();
            Err(e)
        }
    }
}

fn play_all(
    app: &App,
    plans: &[PodPlan],
    argvs: &[Vec<crate::cli::container::CreateArgs>],
    made: &mut Made,
) -> Result<Vec<Played>> {
    let mut out = Vec::new();
    for (p, args) in plans.iter().zip(argvs) {
        for h in &p.host_paths {
            create_host_path(h)?;
        }
        if !p.empty_dirs.is_empty() {
            let dir = pod_dir(app, &p.name);
            crate::ondisk::create_private_dir(dir.parent().unwrap_or(&dir))?;
            made.dirs.push(dir.clone());
            for v in &p.empty_dirs {
                let d = dir.join(v);
                fs_err::create_dir_all(&d)?;
                // Any user of the pod's containers may write, as in Kubernetes.
                fs_err::set_permissions(&d, std::fs::Permissions::from_mode(0o777))?;
            }
        }
        // The pod owns the shared network namespace and the ports.
        let pod = crate::pod::create(
            app,
            crate::pod::PodSpec {
                name: Some(p.name.clone()),
                net: crate::network::NetworkRequest {
                    network: p.host_network.then(|| "host".to_string()),
                    publish: p.publish.clone(),
                    ..Default::default()
                },
                hostname: p.hostname.clone(),
                labels: p.labels.clone().into_iter().collect(),
            },
        )?;
        made.pods.push(pod.clone());
        let mut ids = Vec::new();
        for a in args {
            let cfg = crate::container::request::config(app, a)?;
            let c = lifecycle::create(made.store, a.name.as_deref(), cfg)?;
            made.containers.push(c.clone());
            if let Some(image) = &c.config.image_id {
                crate::image::resolve::record_use(&app.dirs.root, image, &c.id)?;
            }
            ids.push(c.id.clone());
        }
        // The infra first (its namespaces, the network helper, the ports),
        // then every container in the order of the YAML.
        crate::pod::start(app, &pod)?;
        out.push(Played {
            pod: p.name.clone(),
            containers: ids,
        });
    }
    Ok(out)
}

/// Remove the pods of a YAML file: their containers (stopped first) and
/// their emptyDir volumes. Returns the removed containers' ids.
pub fn down(app: &App, file: &Path) -> Result<Vec<String>> {
    let plans = plans(file)?;
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut removed = Vec::new();
    let mut found = false;
    for p in &plans {
        if let Some(pod) = pod_by_name(app, &p.name)? {
            found = true;
            let members = crate::pod::members(app, &pod)?;
            crate::pod::remove(app, &pod, true)
                .with_context(|| format!("remove pod `{}`", pod.name))?;
            removed.extend(members.into_iter().map(|c| c.id));
        }
        // Containers of the pod made outside it (or left by a crash).
        for c in p.containers.iter().rev() {
            if let Some(c) = by_name(&store, &c.name)? {
                found = true;
                lifecycle::remove(&store, &c, true)
                    .with_context(|| format!("remove container `{}`", c.name))?;
                removed.push(c.id);
            }
        }
        let dir = pod_dir(app, &p.name);
        if dir.exists() {
            found = true;
            fs_err::remove_dir_all(&dir)?;
        }
    }
    if !found {
        bail!(
            "no pod of `{}` runs here (none of its containers exists)\nhint: list containers with `rctl ps -a`",
            shown(file)
        );
    }
    Ok(removed)
}

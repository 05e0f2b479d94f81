//! `rctl volume create|ls|inspect|rm|prune`: render volume records.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::output;
use crate::app::App;
use crate::cli::volume::{
    VolumeCommand, VolumeCreateArgs, VolumeInspectArgs, VolumeLsArgs, VolumePruneArgs, VolumeRmArgs,
};
use crate::container::{Container, lifecycle, store::Store};
use crate::format::{OutputFormat, render_list};
use crate::volume::{self, NewVolume, Volume, VolumeError, VolumeStore};

pub fn run(app: &App, cmd: &VolumeCommand) -> Result<()> {
    let _session = app.enter()?;
    match cmd {
        VolumeCommand::Create(a) => create(app, a),
        VolumeCommand::Ls(a) => ls(app, a),
        VolumeCommand::Inspect(a) => inspect(app, a),
        VolumeCommand::Rm(a) => rm(app, a),
        VolumeCommand::Prune(a) => prune(app, a),
    }
}

fn create(app: &App, args: &VolumeCreateArgs) -> Result<()> {
    let store = VolumeStore::new(&app.dirs.root);
    let new = NewVolume {
        labels: volume::parse_pairs("--label", &args.label)?,
        options: volume::parse_pairs("--opt", &args.opt)?,
        anonymous: false,
    };
    let name = match &args.name {
        Some(n) => n.clone(),
        None => volume::anonymous_name()?,
    };
    match store.create(&name, &new) {
        Ok(v) => output::line(v.name),
        Err(e) if args.ignore && matches!(e.downcast_ref(), Some(VolumeError::Exists(_))) => {
            output::line(name)
        }
        Err(e) => Err(e),
    }
}

fn record(v: &Volume, users: usize) -> Value {
    json!({
        "Name": v.name,
        "Driver": v.driver,
        "Mountpoint": v.mountpoint,
        "CreatedAt": v.created_at,
        "Labels": v.labels,
        "Options": v.options,
        "Scope": "local",
        "Anonymous": v.anonymous,
        "Containers": users,
    })
}

/// Whether `v` passes every filter.
fn keep(v: &Volume, users: usize, filters: &[String]) -> Result<bool> {
    for f in filters {
        let (k, val) = f.split_once('=').ok_or_else(|| {
            anyhow::anyhow!(
                "filter `{f}` is not KEY=VALUE\nhint: use name=, label=, dangling= or driver="
            )
        })?;
        let ok = match k {
            "name" => v.name.contains(val),
            "label" => match val.split_once('=') {
                Some((lk, lv)) => v.labels.get(lk).is_some_and(|x| x == lv),
                None => v.labels.contains_key(val),
            },
            "dangling" => match val {
                "true" | "1" => users == 0,
                "false" | "0" => users > 0,
                _ => bail!("filter `{f}`: dangling is true or false"),
            },
            "driver" => v.driver == val,
            _ => {
                bail!("unknown volume filter `{k}`\nhint: use name=, label=, dangling= or driver=")
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn ls(app: &App, args: &VolumeLsArgs) -> Result<()> {
    let store = VolumeStore::new(&app.dirs.root);
    let containers = Store::new(&app.dirs.root).list()?;
    let mut records = Vec::new();
    let mut names = Vec::new();
    for v in store.list()? {
        let users = volume::users_of(&containers, &v.name).len();
        if keep(&v, users, &args.filter)? {
            names.push(v.name.clone());
            records.push(record(&v, users));
        }
    }
    if args.quiet {
        for n in names {
            output::line(n)?;
        }
        return Ok(());
    }
    let text = render_list(
        &args.format,
        &records,
        "{{.Driver}}\t{{.Name}}",
        &[("Name", "VOLUME NAME")],
    )?;
    print!("{text}");
    Ok(())
}

fn inspect(app: &App, args: &VolumeInspectArgs) -> Result<()> {
    let store = VolumeStore::new(&app.dirs.root);
    let containers = Store::new(&app.dirs.root).list()?;
    let mut out = Vec::new();
    let mut failed = None;
    for name in &args.volumes {
        match store.load(name) {
            Ok(v) => out.push(record(&v, volume::users_of(&containers, &v.name).len())),
            Err(e) => {
                eprintln!("{}", crate::error::render(&e));
                failed = Some(e);
            }
        }
    }
    match &args.format {
        OutputFormat::Json | OutputFormat::Table => {
            output::line(serde_json::to_string_pretty(&out)?)?
        }
        f => print!("{}", render_list(f, &out, "", &[])?),
    }
    match failed {
        Some(e) if out.is_empty() && args.volumes.len() == 1 => {
            Err(crate::error::Exit::Status(crate::error::exit_code(&e)).into())
        }
        Some(_) => Err(crate::error::Exit::Status(125).into()),
        None => Ok(()),
    }
}

/// Remove one volume; in use is refused unless `force`, which removes
/// the containers that use it first.
fn remove_one(app: &App, containers: &Store, name: &str, force: bool) -> Result<()> {
    let store = VolumeStore::new(&app.dirs.root);
    store.load(name)?;
    let all: Vec<Container> = containers.list()?;
    let users: Vec<&Container> = all
        .iter()
        .filter(|c| volume::names_used(&c.config).iter().any(|n| n == name))
        .collect();
    if !users.is_empty() {
        if !force {
            let list = users
                .iter()
                .map(|c| format!("`{}`", c.name))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(VolumeError::InUse(name.to_string(), list).into());
        }
        for c in users {
            lifecycle::remove(containers, c, true)?;
        }
    }
    store.remove(name)
}

fn rm(app: &App, args: &VolumeRmArgs) -> Result<()> {
    let containers = Store::new(&app.dirs.root);
    let targets: Vec<String> = if args.all {
        VolumeStore::new(&app.dirs.root)
            .list()?
            .into_iter()
            .map(|v| v.name)
            .collect()
    } else {
        if args.volumes.is_empty() {
            bail!("give at least one volume, or --all");
        }
        args.volumes.clone()
    };
    super::each(&targets, |name| {
        remove_one(app, &containers, name, args.force)?;
        output::line(name)
    })
}

fn prune(app: &App, _args: &VolumePruneArgs) -> Result<()> {
    let store = VolumeStore::new(&app.dirs.root);
    store.clean_leftovers()?;
    let containers = Store::new(&app.dirs.root).list()?;
    for v in store.list()? {
        if volume::users_of(&containers, &v.name).is_empty() {
            match store.remove(&v.name) {
                Ok(()) => output::line(&v.name)?,
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
    }
    Ok(())
}

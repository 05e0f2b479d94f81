//! `rctl system prune`: stopped containers, dangling (or, with `-a`,
//! unused) images, the build cache, and with `--volumes` unused volumes.

use std::io::BufRead;

use anyhow::{Result, bail};

use super::human_size;
use super::output;
use crate::app::App;
use crate::cli::system::SystemPruneArgs;
use crate::container::{Status, lifecycle, store::Store as Containers};
use crate::diskuse;
use crate::image::now_secs;
use crate::store::{Removal, Store};

/// Ask `question` on stderr; true only for an answer starting with y/Y.
pub fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim_start().starts_with(['y', 'Y']))
}

/// `until=` of `--filter`, as seconds since the epoch.
fn until_filter(filters: &[String]) -> Result<Option<i64>> {
    let mut until = None;
    for f in filters {
        match f.split_once('=') {
            Some(("until", v)) => {
                until = Some(crate::events::parse_time("filter until", v, now_secs())?)
            }
            _ => bail!("unsupported prune filter `{f}`\nhint: use --filter until=24h (or a time)"),
        }
    }
    Ok(until)
}

pub fn run(app: &App, args: &SystemPruneArgs) -> Result<()> {
    let until = until_filter(&args.filter)?;
    if !args.force {
        let mut what = vec![
            "all stopped containers".to_string(),
            if args.all {
                "all images without at least one container associated with them".into()
            } else {
                "all dangling images".into()
            },
            "all build cache".into(),
        ];
        if args.volumes {
            what.push("all volumes not used by at least one container".into());
        }
        let list: String = what.iter().map(|w| format!("\n  - {w}")).collect();
        if !confirm(&format!(
            "WARNING! This command removes:{list}\nAre you sure you want to continue?"
        ))? {
            eprintln!("nothing removed");
            return Ok(());
        }
    }
    let _session = app.enter()?;
    let before = diskuse::measure(&app.dirs.root)?.total();
    let old_enough = |secs: i64| until.is_none_or(|u| secs <= u);

    let containers = Containers::new(&app.dirs.root);
    let mut removed = Vec::new();
    for c in containers.list()? {
        let c = lifecycle::refresh(&containers, &c)?;
        let created = (c.created / 1_000_000_000) as i64;
        if c.state.status != Status::Running && old_enough(created) {
            match lifecycle::remove(&containers, &c, false) {
                Ok(()) => removed.push(c.id.clone()),
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
    }
    if !removed.is_empty() {
        output::line("Deleted Containers")?;
        for id in &removed {
            output::line(id)?;
        }
    }

    let mut store = Store::open(&app.dirs)?;
    let added: std::collections::BTreeMap<String, i64> = store
        .images()?
        .into_iter()
        .map(|i| (i.id, i.added))
        .collect();
    let mut deleted = Vec::new();
    // Removing an image can leave another dangling; go round until stable.
    loop {
        let mut progress = false;
        for id in store.prunable(args.all)? {
            if !old_enough(added.get(&id).copied().unwrap_or(0)) {
                continue;
            }
            match store.remove(&id, &[], true) {
                Ok(Removal::Deleted(id)) => {
                    deleted.push(id);
                    progress = true;
                }
                Ok(Removal::Untagged(_)) => {}
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
        if !progress {
            break;
        }
    }
    if !deleted.is_empty() {
        output::line("Deleted Images")?;
        for id in &deleted {
            output::line(id)?;
        }
    }

    store.remove_orphan_layers()?;
    crate::build::layer_cache::prune(&app.dirs.root, old_enough);

    if args.volumes {
        // As `volume prune`: every volume no container (running or not) uses.
        let store = crate::volume::VolumeStore::new(&app.dirs.root);
        store.clean_leftovers()?;
        let records = containers.list()?;
        let mut vols = Vec::new();
        for v in store.list()? {
            if crate::volume::users_of(&records, &v.name).is_empty() {
                match store.remove(&v.name) {
                    Ok(()) => vols.push(v.name),
                    Err(e) => eprintln!("{}", crate::error::render(&e)),
                }
            }
        }
        if !vols.is_empty() {
            output::line("Deleted Volumes")?;
            for v in &vols {
                output::line(v)?;
            }
        }
    }
    let after = diskuse::measure(&app.dirs.root)?.total();
    output::line(format!(
        "Total reclaimed space: {}",
        human_size(before.saturating_sub(after))
    ))
}

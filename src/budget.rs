//! The per-user disk budget: `storage.max_size` in the user's config or the
//! system-wide one (the smaller wins). After an operation that adds to the
//! store (pull, import, load, commit, build), when the store is over budget
//! the least recently used images no container uses are removed, then the
//! build cache, and what was removed is said on stderr.

use anyhow::{Context, Result};

use crate::app::App;
use crate::commands::human_size;
use crate::diskuse;
use crate::store::{Removal, Store};
use crate::sysconfig::SystemConfig;

/// The budget in bytes, if one is set.
pub fn limit(app: &App) -> Result<Option<u64>> {
    let system = SystemConfig::load(&app.env.system_config_file)?;
    let mut out: Option<u64> = None;
    for (text, origin) in [
        (
            app.config.storage.max_size.as_deref(),
            &app.dirs.config_file,
        ),
        (
            system.storage.max_size.as_deref(),
            &app.env.system_config_file,
        ),
    ] {
        if let Some(t) = text {
            let v = diskuse::parse_size(t)
                .with_context(|| format!("storage.max_size in `{}`", origin.display()))?;
            out = Some(out.map_or(v, |o| o.min(v)));
        }
    }
    Ok(out)
}

/// Bring the store back under its budget, never removing the image `keep`
/// (the one just added; marked as used now). Warnings only, never an error:
/// the operation that called it has succeeded.
pub fn enforce(app: &App, keep: &str) {
    if let Err(e) = try_enforce(app, keep) {
        log::warn!("disk budget: {e:#}");
    }
}

fn try_enforce(app: &App, keep: &str) -> Result<()> {
    let mut store = Store::open(&app.dirs)?;
    if !keep.is_empty() {
        store.touch(keep)?;
    }
    let Some(max) = limit(app)? else {
        return Ok(());
    };
    let mut du = diskuse::measure(&app.dirs.root)?;
    // The kept image counts as used, so it is never a victim.
    du.images
        .iter_mut()
        .filter(|i| i.id == keep)
        .for_each(|i| i.containers += 1);
    let used = du.total();
    if used <= max {
        return Ok(());
    }
    let mut removed = Vec::new();
    for id in diskuse::lru_victims(&du.images, used, max) {
        let names = du
            .images
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.names.join(", "))
            .unwrap_or_default();
        if let Ok(Removal::Deleted(_)) = store.remove(&id, &[], true) {
            removed.push(if names.is_empty() {
                id[..12].to_string()
            } else {
                format!("{} ({names})", &id[..12])
            });
        }
    }
    let mut after = diskuse::measure(&app.dirs.root)?.total();
    let mut cache_freed = 0;
    if after > max {
        cache_freed = store.remove_orphan_layers()?;
        let _ = std::fs::remove_dir_all(app.dirs.root.join("build-cache"));
        after = diskuse::measure(&app.dirs.root)?.total();
    }
    let mut msg = format!(
        "storage.max_size {} exceeded ({} used)",
        human_size(max),
        human_size(used)
    );
    if !removed.is_empty() {
        msg.push_str(&format!(
            "; removed least recently used image(s): {}",
            removed.join(", ")
        ));
    }
    if cache_freed > 0 {
        msg.push_str(&format!(
            "; pruned build cache ({})",
            human_size(cache_freed)
        ));
    }
    msg.push_str(&format!("; now {} used", human_size(after)));
    if after > max {
        msg.push_str("\nhint: what is left is in use by containers: remove some (`rctl rm`), then `rctl system prune -a`");
    }
    eprintln!("warning: {msg}");
    Ok(())
}

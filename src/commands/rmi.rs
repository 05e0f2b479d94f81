//! `rctl rmi`, `rctl tag`, `rctl untag`, `rctl image prune`.

use anyhow::{Result, bail};

use super::output;
use crate::app::App;
use crate::cli::image::{PruneArgs, RmiArgs, TagArgs};
use crate::error::{Exit, RCTL_ERROR, render};
use crate::store::{Input, Removal, Store};

pub fn rmi(app: &App, args: &RmiArgs) -> Result<()> {
    let _session = app.enter()?;
    let mut store = Store::open(&app.dirs)?;
    let search = &app.config.registries.unqualified_search;
    let mut failed = 0;
    for name in &args.images {
        match store.remove(name, search, args.force) {
            Ok(Removal::Untagged(n)) => output::line(format!("Untagged: {n}"))?,
            Ok(Removal::Deleted(id)) => output::line(format!("Deleted: {id}"))?,
            Err(e) => {
                let e = crate::image::shared::explain_rmi(app, name, e);
                eprintln!("{}", render(&e.context(format!("remove image `{name}`"))));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(Exit::Status(RCTL_ERROR).into());
    }
    Ok(())
}

/// A name given to `tag`: a short name becomes `localhost/NAME`.
pub(super) fn tag_reference(text: &str) -> Result<crate::store::Reference> {
    Ok(match Input::parse(text)? {
        Input::Qualified(r) => r,
        short @ Input::Short { .. } => short.local_candidates(&[]).remove(0),
    })
}

pub fn tag(app: &App, args: &TagArgs) -> Result<()> {
    let names = args
        .names
        .iter()
        .map(|n| tag_reference(n))
        .collect::<Result<Vec<_>>>()?;
    if let Some(r) = names.iter().find(|r| r.digest.is_some()) {
        bail!("cannot tag with a digest (`{r}`)\nhint: give NAME[:TAG]");
    }
    let _session = app.enter()?;
    let mut store = Store::open(&app.dirs)?;
    let id = store.resolve_id(&args.image, &app.config.registries.unqualified_search)?;
    for r in &names {
        store.tag(&id, r)?;
    }
    Ok(())
}

pub fn untag(app: &App, args: &TagArgs) -> Result<()> {
    let _session = app.enter()?;
    let mut store = Store::open(&app.dirs)?;
    let id = store.resolve_id(&args.image, &app.config.registries.unqualified_search)?;
    for n in &args.names {
        let name = tag_reference(n)?.store_name();
        if !store.untag(&id, &name)? {
            bail!("image `{}` has no name `{name}`", args.image);
        }
    }
    Ok(())
}

pub fn prune(app: &App, args: &PruneArgs) -> Result<()> {
    let _session = app.enter()?;
    let mut store = Store::open(&app.dirs)?;
    // Prunable images have no users, so forcing only skips the several-names check.
    for id in store.prunable(args.all)? {
        match store.remove(&id, &[], true) {
            Ok(Removal::Deleted(id)) => output::line(id)?,
            Ok(Removal::Untagged(_)) => {}
            Err(e) => eprintln!("{}", render(&e)),
        }
    }
    Ok(())
}

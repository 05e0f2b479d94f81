//! The shared read-only image stores of the system-wide config, seen from
//! one invocation: find an image there when the user's store lacks it,
//! list their images (marked read-only), and explain why `rmi` cannot
//! remove one.

use std::path::PathBuf;

use anyhow::Result;

use crate::app::App;
use crate::store::{Image, NotFound, Store, shared};
use crate::sysconfig::SystemConfig;

/// The shared stores named in the system-wide config, opened.
pub fn stores(app: &App) -> Result<Vec<Store>> {
    let sys = SystemConfig::load(&app.env.system_config_file)?;
    Ok(shared::open_all(&sys.storage.image_stores))
}

/// The image `text` names in a shared store, with that store's root.
pub fn find(app: &App, text: &str) -> Result<Option<(PathBuf, Image)>> {
    shared::resolve(
        &stores(app)?,
        text,
        &app.config.registries.unqualified_search,
    )
}

/// Every image of the shared stores.
pub fn images(app: &App) -> Result<Vec<Image>> {
    Ok(shared::images(&stores(app)?)
        .into_iter()
        .map(|(_, i)| i)
        .collect())
}

/// Turn "not found" from the user's store into "read-only" when a shared
/// store has the image.
pub fn explain_rmi(app: &App, text: &str, err: anyhow::Error) -> anyhow::Error {
    if err.downcast_ref::<NotFound>().is_none() {
        return err;
    }
    match find(app, text) {
        Ok(Some((root, _))) => anyhow::anyhow!(
            "image `{text}` is in the read-only shared image store `{}`: it cannot be removed by users\nhint: it takes no space in your store; the host's admin manages that store",
            root.display()
        ),
        _ => err,
    }
}

/// `store.resolve(text)`, falling back to the shared stores when the
/// user's store has no such image (for read-only commands: inspect, history).
pub fn resolve_or_shared(app: &App, store: &Store, text: &str) -> Result<Image> {
    let search = &app.config.registries.unqualified_search;
    match store.resolve(text, search) {
        Err(e) if e.downcast_ref::<NotFound>().is_some() => match find(app, text)? {
            Some((_, image)) => Ok(image),
            None => Err(e),
        },
        other => other,
    }
}

//! Images for containers: resolve what `run`/`create` named to a stored
//! image (pulling it first when it is missing, as Podman's `--pull missing`
//! does), turn its configuration into the runtime's, and record which
//! containers use which image so that `rmi` refuses to pull one out from
//! under them.

use std::path::Path;

use anyhow::Result;

use crate::app::App;
use crate::image::pull::{self, PullOptions};
use crate::runtime::{ImageConfig, RootfsSource};
use crate::store::{Image, Input, NotFound, Store};

/// When to pull the image named by `run`/`create`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PullPolicy {
    /// Pull only when the image is not in the store.
    Missing,
    /// Always pull (a newer image under the same name replaces the name).
    Always,
    /// Never pull; a missing image is an error.
    Never,
}

/// Find `text` in the store, pulling according to `policy`.
pub fn image_for_run(app: &App, text: &str, policy: PullPolicy) -> Result<Image> {
    let search = &app.config.registries.unqualified_search;
    let mut store =
        Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    if policy != PullPolicy::Always {
        match store.resolve(text, search) {
            Ok(image) => return Ok(image),
            Err(e) if e.downcast_ref::<NotFound>().is_some() && policy == PullPolicy::Missing => {}
            Err(e) => return Err(e),
        }
    }
    let reference = Input::parse(text)?.for_pull(search, &app.config.registries.aliases)?;
    let client = crate::image::client(app, &reference, None, false)?;
    let quiet = !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    let opts = PullOptions {
        platform: None,
        arch: None,
        jobs: 4,
    };
    let id = pull::pull(&mut store, &client, &reference, &opts, &progress).map_err(|e| {
        e.context(format!(
            "pull `{reference}` (the image is not in the local store)"
        ))
    })?;
    store.resolve(&id, search)
}

/// The runtime's view of an image: its layers (named through the store's
/// short `l/` links, so that deep images fit in overlay's mount options)
/// and the config fields a container starts from.
pub fn runtime_source(image: &Image, store_root: &Path) -> (RootfsSource, ImageConfig) {
    let cfg = image.config.config().as_ref();
    let list = |v: Option<&Vec<String>>| v.cloned().unwrap_or_default();
    let config = ImageConfig {
        env: list(cfg.and_then(|c| c.env().as_ref())),
        cmd: list(cfg.and_then(|c| c.cmd().as_ref())),
        entrypoint: list(cfg.and_then(|c| c.entrypoint().as_ref())),
        workdir: cfg
            .and_then(|c| c.working_dir().clone())
            .unwrap_or_default(),
        user: cfg.and_then(|c| c.user().clone()).unwrap_or_default(),
        stop_signal: cfg.and_then(|c| c.stop_signal().clone()),
    };
    let lower = image
        .layers
        .iter()
        .map(|l| store_root.join(&l.link))
        .collect();
    (RootfsSource::Layers { lower }, config)
}

/// Record that `container` uses image `image_id` (in the store at `root`).
pub fn record_use(root: &Path, image_id: &str, container: &str) -> Result<()> {
    Store::open_at(root)?.add_user(image_id, container)
}

/// Forget that `container` used image `image_id`.
pub fn forget_use(root: &Path, image_id: &str, container: &str) -> Result<()> {
    Store::open_at(root)?.remove_user(image_id, container)
}

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
            Err(e) if e.downcast_ref::<NotFound>().is_some() => {
                // --- system: shared read-only image stores ---
                if let Some((_, image)) = crate::image::shared::find(app, text)? {
                    return Ok(image);
                }
                if policy == PullPolicy::Never {
                    return Err(e);
                }
            }
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
        volumes: list(cfg.and_then(|c| c.volumes().as_ref())),
        // Healthcheck is Docker's extension of the image config: read raw.
        healthcheck: serde_json::from_slice::<serde_json::Value>(&image.config_raw)
            .ok()
            .and_then(|v| {
                crate::container::policy::HealthConfig::from_image(
                    v.get("config")?.get("Healthcheck")?,
                )
            }),
        labels: cfg
            .and_then(|c| c.labels().clone())
            .map(|l| l.into_iter().collect())
            .unwrap_or_default(),
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
    let mut store = Store::open_at(root)?;
    if !store.has_image(image_id)? {
        return Ok(()); // an image of a shared store: users cannot remove it anyway
    }
    store.touch(image_id)?;
    store.add_user(image_id, container)
}

/// Forget that `container` used image `image_id`.
pub fn forget_use(root: &Path, image_id: &str, container: &str) -> Result<()> {
    Store::open_at(root)?.remove_user(image_id, container)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_source_reads_healthcheck_and_labels() {
        let raw = serde_json::json!({
            "architecture": "amd64", "os": "linux",
            "config": {
                "Cmd": ["sh"],
                "Labels": {"app": "web"},
                "Healthcheck": {"Test": ["CMD-SHELL", "test -e /ok"], "Interval": 2_000_000_000u64, "Retries": 4}
            },
            "rootfs": {"type": "layers", "diff_ids": []}
        });
        let raw = serde_json::to_vec(&raw).unwrap();
        let image = Image {
            id: "x".into(),
            manifest_digest: String::new(),
            config_digest: String::new(),
            names: vec![],
            config: serde_json::from_slice(&raw).unwrap(),
            config_raw: raw,
            manifest_raw: vec![],
            layers: vec![],
            size: 0,
            created: None,
            added: 0,
        };
        let (_, cfg) = runtime_source(&image, Path::new("/root"));
        let h = cfg.healthcheck.unwrap();
        assert_eq!(h.test, vec!["CMD-SHELL", "test -e /ok"]);
        assert_eq!(h.interval, std::time::Duration::from_secs(2));
        assert_eq!(h.retries, 4);
        assert_eq!(cfg.labels.get("app").map(String::as_str), Some("web"));
    }
}

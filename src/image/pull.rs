//! `pull`: manifest (and index) → config → layers downloaded in parallel,
//! each streamed through two digests (compressed blob, uncompressed
//! diff_id) straight into extraction; a mismatch discards the layer.

use crate::events;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow, bail};

use crate::crashpoint::crashpoint;
use crate::registry::Client;
use crate::registry::manifest::{self, Descriptor, Manifest};
use crate::store::digest::{HashingReader, TeeReader};
use crate::store::layer::{self, LayerError};
use crate::store::{BlobInfo, Digest, NewImage, Reference, Store};

/// The outcome of one layer download: uncompressed size and the kept blob.
type Fetched = Result<(u64, BlobInfo)>;

/// How to pull.
#[derive(Debug, Default, Clone)]
pub struct PullOptions {
    /// `--platform os/arch[/variant]`.
    pub platform: Option<String>,
    /// `--arch`.
    pub arch: Option<String>,
    /// Parallel layer downloads.
    pub jobs: usize,
}

/// The manifest chosen for this platform, with its raw bytes.
struct Chosen {
    raw: Vec<u8>,
    config: Descriptor,
    layers: Vec<Descriptor>,
}

fn fetch_manifest(client: &Client, reference: &Reference, opts: &PullOptions) -> Result<Chosen> {
    let (raw, ctype) = client.manifest(&reference.manifest_ref())?;
    if let Some(want) = &reference.digest {
        let got = Digest::of(&raw);
        if &got != want {
            bail!("manifest of `{reference}` does not match the requested digest (got {got})");
        }
    }
    let parsed = Manifest::parse(&raw, ctype.as_deref())
        .with_context(|| format!("read the manifest of `{reference}`"))?;
    match parsed {
        Manifest::Image { config, layers, .. } => Ok(Chosen {
            raw,
            config,
            layers,
        }),
        Manifest::Index { manifests, .. } => {
            let want = manifest::wanted_platform(opts.platform.as_deref(), opts.arch.as_deref())
                .map_err(|e| anyhow!(e))?;
            let entry = manifest::select(&manifests, &want).ok_or_else(|| {
                let have: Vec<String> = manifests
                    .iter()
                    .filter_map(|d| d.platform.as_ref())
                    .map(|p| {
                        format!(
                            "{}/{}{}",
                            p.os,
                            p.architecture,
                            p.variant.as_ref().map(|v| format!("/{v}")).unwrap_or_default()
                        )
                    })
                    .collect();
                anyhow!(
                    "`{reference}` has no image for {}/{}\nhint: available: {}; choose one with --platform",
                    want.os,
                    want.architecture,
                    have.join(", ")
                )
            })?;
            let (raw, ctype) = client.manifest(entry.digest.as_str())?;
            let got = Digest::of(&raw);
            if got != entry.digest {
                bail!(
                    "manifest {} of `{reference}` does not match its digest (got {got})",
                    entry.digest
                );
            }
            match Manifest::parse(&raw, ctype.as_deref())
                .with_context(|| format!("read manifest {}", entry.digest))?
            {
                Manifest::Image { config, layers, .. } => Ok(Chosen {
                    raw,
                    config,
                    layers,
                }),
                Manifest::Index { .. } => bail!(
                    "manifest {} of `{reference}` is an index inside an index",
                    entry.digest
                ),
            }
        }
    }
}

/// Download one layer into `dir`, verifying both digests; retries
/// interrupted streams twice.
/// The layer diff_ids (`rootfs.diff_ids`) of an image config document,
/// each a strict `sha256:` digest. Pure (a fuzzing entry).
pub fn config_diff_ids(config_raw: &[u8]) -> Result<Vec<Digest>> {
    let config: serde_json::Value =
        serde_json::from_slice(config_raw).context("parse the image config")?;
    config["rootfs"]["diff_ids"]
        .as_array()
        .ok_or_else(|| anyhow!("the image config has no rootfs.diff_ids"))?
        .iter()
        .map(|v| Digest::parse(v.as_str().unwrap_or("")).map_err(anyhow::Error::from))
        .collect()
}

fn download_layer(
    client: &Client,
    desc: &Descriptor,
    diff_id: &Digest,
    dir: &std::path::Path,
    limit: u64,
) -> Result<(u64, BlobInfo)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        if attempt > 1 {
            crate::sys::dirfd::DirFd::open(dir)
                .and_then(|d| d.clear())
                .with_context(|| format!("clear `{}` for a retry", dir.display()))?;
        }
        let blob_path = dir.with_file_name("blob");
        let blob_file = fs_err::File::create(&blob_path)?;
        let tee = TeeReader::new(
            client.blob(&desc.digest)?,
            std::io::BufWriter::new(blob_file),
        );
        let mut compressed = HashingReader::new(tee);
        match layer::extract_limited(&mut compressed, dir, limit) {
            Ok(ex) => {
                let (got, size, tee) = compressed
                    .finish_into_inner()
                    .with_context(|| format!("read blob {}", desc.digest))?;
                // The stream was drained through the tee; flush the copy.
                std::io::Write::flush(&mut tee.into_writer())
                    .with_context(|| format!("write `{}`", blob_path.display()))?;
                if got != desc.digest {
                    bail!(
                        "layer {} does not match its digest (got {got}, {size} bytes); nothing was stored",
                        desc.digest
                    );
                }
                if &ex.diff_id != diff_id {
                    bail!(
                        "layer {} unpacks to {} but the image config says {diff_id}; nothing was stored",
                        desc.digest,
                        ex.diff_id
                    );
                }
                crashpoint("pull.layer-extracted");
                let info = BlobInfo {
                    digest: desc.digest.to_string(),
                    media_type: if desc.media_type.is_empty() {
                        ex.media_type.to_string()
                    } else {
                        desc.media_type.clone()
                    },
                    size,
                };
                return Ok((ex.size, info));
            }
            Err(LayerError::Read(e)) if attempt < 3 => {
                log::warn!("layer {}: {e}; retrying", desc.digest);
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("extract layer {} into `{}`", desc.digest, dir.display())
                });
            }
        }
    }
}

/// Pull `reference` into `store`; `progress` gets one line per step for
/// people. Returns the image ID.
pub fn pull(
    store: &mut Store,
    client: &Client,
    reference: &Reference,
    opts: &PullOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<String> {
    let chosen = fetch_manifest(client, reference, opts)?;
    crashpoint("pull.manifest-fetched");
    for l in &chosen.layers {
        if l.media_type.contains("nondistributable") || l.media_type.contains("foreign") {
            bail!(
                "layer {} is a foreign layer ({}), which rctl does not fetch",
                l.digest,
                l.media_type
            );
        }
    }
    let config_raw = client.small_blob(&chosen.config.digest)?;
    let diff_ids = config_diff_ids(&config_raw)?;
    if diff_ids.len() != chosen.layers.len() {
        bail!(
            "the manifest lists {} layers but the config {} diff_ids",
            chosen.layers.len(),
            diff_ids.len()
        );
    }
    progress(&format!(
        "Pulling {reference} ({} layers)",
        chosen.layers.len()
    ));
    let new = NewImage {
        manifest: chosen.raw.clone(),
        config: config_raw,
        diff_ids: diff_ids.clone(),
        names: vec![reference.store_name()],
    };
    for _round in 0..3 {
        // Layers to fetch: missing ones, each diff_id once.
        let mut todo: Vec<(Descriptor, Digest)> = Vec::new();
        for (desc, diff_id) in chosen.layers.iter().zip(&diff_ids) {
            if store.has_layer(diff_id)? || todo.iter().any(|(_, d)| d == diff_id) {
                continue;
            }
            todo.push((desc.clone(), diff_id.clone()));
        }
        let pending = todo
            .iter()
            .map(|(_, d)| store.pending_layer(d.as_str()))
            .collect::<Result<Vec<_>>>()?;
        let results: Vec<Mutex<Option<Fetched>>> = todo.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let limit = store.max_layer_size();
        let workers = opts.jobs.clamp(1, 8).min(todo.len().max(1));
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= todo.len() {
                            break;
                        }
                        let (desc, diff_id) = &todo[i];
                        let r = download_layer(client, desc, diff_id, &pending[i].diff(), limit);
                        if let Ok((size, info)) = &r {
                            progress(&format!(
                                "Copied blob {} ({:.1} MB, {:.1} MB unpacked)",
                                desc.digest.short(),
                                info.size as f64 / 1e6,
                                *size as f64 / 1e6
                            ));
                        }
                        *results[i].lock().expect("results lock") = Some(r);
                    }
                });
            }
        });
        let mut outcomes = Vec::new();
        for (i, cell) in results.into_iter().enumerate() {
            let r = cell
                .into_inner()
                .expect("results lock")
                .unwrap_or_else(|| Err(anyhow!("layer {} was not fetched", todo[i].0.digest)));
            outcomes.push(r);
        }
        // The first error wins; every pending layer is dropped (removed).
        let done: Vec<(u64, BlobInfo)> = outcomes.into_iter().collect::<Result<_>>()?;
        for (p, (_, info)) in pending.iter().zip(&done) {
            p.describe_blob(info)?;
        }
        // One flush for all the layers of this round, then the renames.
        store.sync()?;
        crashpoint("pull.layers-synced");
        for ((p, (_, diff_id)), (size, _)) in pending.into_iter().zip(&todo).zip(done) {
            store.commit_layer(p, diff_id, size)?;
        }
        match store.commit_image(&new)? {
            Ok(id) => {
                crashpoint("pull.image-committed");
                return Ok(events::pulled(id, reference));
            }
            Err(missing) => {
                log::debug!("layers removed while pulling, fetching again: {missing:?}");
            }
        }
    }
    bail!(
        "layers of `{reference}` kept disappearing while pulling (a concurrent `rctl rmi`?); try again"
    )
}

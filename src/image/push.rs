//! `push`: the image's kept blobs (layers as pulled or imported, config)
//! and its manifest, byte for byte, so the manifest digest survives the
//! trip. Blobs the registry has are skipped; blobs another repository of
//! the same registry has are mounted across repositories when allowed.
// ureq 2's error type is large; it is matched once per request, never stored.
#![allow(clippy::result_large_err)]

use anyhow::{Context, Result, bail};

use crate::registry::Client;
use crate::registry::manifest::{Manifest, OCI_MANIFEST};
use crate::store::{Digest, Image, Reference, Store};

/// Where one blob's bytes come from.
enum Source {
    File(std::path::PathBuf),
    Bytes(Vec<u8>),
}

fn blob_exists(client: &Client, digest: &Digest) -> Result<bool> {
    let url = client.url(&format!("blobs/{digest}"));
    match client.send(
        &format!("check blob {digest}"),
        &|agent| agent.head(&url),
        &|req| req.call(),
    ) {
        Ok(_) => Ok(true),
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<crate::registry::StatusError>()
                    .is_some_and(|s| s.status == 404)
            }) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Start an upload (or mount from `from`); `None` when the mount succeeded.
fn start_upload(client: &Client, digest: &Digest, from: Option<&str>) -> Result<Option<String>> {
    let mut url = client.url("blobs/uploads/");
    if let Some(repo) = from {
        url = format!("{url}?mount={digest}&from={repo}");
    }
    let resp = client.send(
        &format!("start the upload of blob {digest}"),
        &|agent| agent.post(&url),
        &|req| req.set("Content-Length", "0").call(),
    )?;
    if resp.status() == 201 {
        return Ok(None);
    }
    let location = resp
        .header("location")
        .map(str::to_string)
        .with_context(|| format!("the registry gave no upload location for blob {digest}"))?;
    Ok(Some(location))
}

fn upload(client: &Client, digest: &Digest, source: &Source, from: Option<&str>) -> Result<()> {
    let Some(location) = start_upload(client, digest, from)? else {
        return Ok(());
    };
    let sep = if location.contains('?') { '&' } else { '?' };
    let url = client.url(&format!("{location}{sep}digest={digest}"));
    let what = format!("upload blob {digest}");
    match source {
        Source::Bytes(data) => client.send(
            &what,
            &|agent| {
                agent
                    .put(&url)
                    .set("Content-Type", "application/octet-stream")
            },
            &|req| req.send_bytes(data),
        )?,
        Source::File(path) => {
            let len = fs_err::metadata(path)?.len().to_string();
            client.send(
                &what,
                &|agent| {
                    agent
                        .put(&url)
                        .set("Content-Type", "application/octet-stream")
                        .set("Content-Length", &len)
                },
                &|req| {
                    let f = std::fs::File::open(path)?;
                    req.send(std::io::BufReader::with_capacity(256 * 1024, f))
                },
            )?
        }
    };
    Ok(())
}

/// Push `image` to `dest`; returns the manifest digest.
pub fn push(
    store: &Store,
    client: &Client,
    image: &Image,
    dest: &Reference,
    progress: &dyn Fn(&str),
) -> Result<String> {
    let (media_type, layers) =
        match Manifest::parse(&image.manifest_raw, None).context("read the stored manifest")? {
            Manifest::Image {
                media_type, layers, ..
            } => (media_type, layers),
            Manifest::Index { .. } => bail!("the stored manifest is an index"),
        };
    if layers.len() != image.layers.len() {
        bail!("the stored manifest and the image's layers disagree");
    }
    // Another repository of the same registry that may hold the blobs.
    let from = image.names.iter().find_map(|n| {
        let r = match crate::store::Input::parse(n).ok()? {
            crate::store::Input::Qualified(r) => r,
            _ => return None,
        };
        (r.registry == dest.registry && r.repository != dest.repository).then_some(r.repository)
    });
    let mut blobs = Vec::new();
    for (desc, layer) in layers.iter().zip(&image.layers) {
        let (path, info) = store.layer_blob(&layer.diff_id)?.with_context(|| {
            format!(
                "layer {} has no kept blob to push\nhint: pull or import the image again",
                layer.diff_id
            )
        })?;
        if info.digest != desc.digest.as_str() {
            bail!(
                "layer {} was stored from blob {} but the manifest names {}\nhint: pull the image again",
                layer.diff_id,
                info.digest,
                desc.digest
            );
        }
        blobs.push((desc.digest.clone(), Source::File(path)));
    }
    let config_digest = Digest::parse(&image.config_digest)?;
    blobs.push((config_digest, Source::Bytes(image.config_raw.clone())));
    for (digest, source) in &blobs {
        if blob_exists(client, digest)? {
            progress(&format!("Blob {} exists", digest.short()));
            continue;
        }
        upload(client, digest, source, from.as_deref())?;
        progress(&format!("Copied blob {}", digest.short()));
    }
    let tag = dest.manifest_ref();
    let url = client.url(&format!("manifests/{tag}"));
    let ctype = if media_type.is_empty() {
        OCI_MANIFEST.to_string()
    } else {
        media_type
    };
    let body = &image.manifest_raw;
    client.send(
        &format!("put manifest `{dest}`"),
        &|agent| agent.put(&url).set("Content-Type", &ctype),
        &|req| req.send_bytes(body),
    )?;
    let digest = Digest::of(body);
    progress(&format!("Writing manifest {}", digest.short()));
    crate::events::image("push", &image.id, &dest.to_string());
    Ok(digest.to_string())
}

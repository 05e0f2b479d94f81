//! `save` and `load`: images as `oci-archive` (a tar of an OCI image
//! layout) or `docker-archive` (`docker save`'s `manifest.json` format with
//! uncompressed layer tars), readable by Podman, Docker and skopeo.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::registry::manifest::{self, Manifest, OCI_MANIFEST};
use crate::store::digest::{HashingReader, TeeReader};
use crate::store::{BlobInfo, Digest, Image, NewImage, Store, layer};

/// Archive formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OciArchive,
    DockerArchive,
}

/// Where `save` writes: a file (written beside and renamed when complete)
/// or standard output.
pub struct Output {
    target: Option<(PathBuf, PathBuf)>,
    writer: Box<dyn Write>,
}

impl Output {
    pub fn open(path: Option<&Path>) -> Result<Output> {
        match path {
            None => {
                if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                    bail!(
                        "refusing to write an archive to a terminal\nhint: use -o FILE or redirect stdout"
                    );
                }
                Ok(Output {
                    target: None,
                    writer: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                })
            }
            Some(p) => {
                let name = p.file_name().context("the output path names no file")?;
                let tmp = p.with_file_name(format!(
                    ".{}.tmp-{}",
                    name.to_string_lossy(),
                    std::process::id()
                ));
                let f = fs_err::File::create(&tmp)?;
                Ok(Output {
                    target: Some((tmp, p.to_path_buf())),
                    writer: Box::new(std::io::BufWriter::new(f)),
                })
            }
        }
    }

    fn finish(mut self) -> Result<()> {
        self.writer.flush().context("write the archive")?;
        // Close the file before renaming it into place.
        drop(std::mem::replace(
            &mut self.writer,
            Box::new(std::io::sink()),
        ));
        if let Some((tmp, dest)) = self.target.take() {
            fs_err::rename(&tmp, &dest)?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.target {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn append(
    b: &mut tar::Builder<&mut dyn Write>,
    path: &str,
    size: u64,
    data: impl Read,
) -> Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(0);
    b.append_data(&mut h, path, data)
        .with_context(|| format!("write `{path}` into the archive"))
}

fn append_dir(b: &mut tar::Builder<&mut dyn Write>, path: &str) -> Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    h.set_mtime(0);
    b.append_data(&mut h, path, std::io::empty())
        .with_context(|| format!("write `{path}` into the archive"))
}

/// The kept blob of every layer of `image`, in order.
fn layer_blobs(store: &Store, image: &Image) -> Result<Vec<(PathBuf, BlobInfo)>> {
    image
        .layers
        .iter()
        .map(|l| {
            store.layer_blob(&l.diff_id)?.with_context(|| {
                format!(
                    "layer {} has no kept blob\nhint: pull or import the image again",
                    l.diff_id
                )
            })
        })
        .collect()
}

/// Write `images` to `out` in `format`.
pub fn save(store: &Store, images: &[Image], format: Format, out: Output) -> Result<()> {
    let mut out = out;
    {
        let writer: &mut dyn Write = &mut out.writer;
        let mut b = tar::Builder::new(writer);
        match format {
            Format::OciArchive => save_oci(store, images, &mut b)?,
            Format::DockerArchive => save_docker(store, images, &mut b)?,
        }
        b.finish().context("finish the archive")?;
    }
    out.finish()
}

fn save_oci(store: &Store, images: &[Image], b: &mut tar::Builder<&mut dyn Write>) -> Result<()> {
    let layout = br#"{"imageLayoutVersion":"1.0.0"}"#;
    append(b, "oci-layout", layout.len() as u64, &layout[..])?;
    append_dir(b, "blobs/")?;
    append_dir(b, "blobs/sha256/")?;
    let mut written = std::collections::BTreeSet::new();
    let mut manifests = Vec::new();
    for img in images {
        let mut put = |b: &mut tar::Builder<&mut dyn Write>,
                       digest: &str,
                       size: u64,
                       data: &mut dyn Read|
         -> Result<()> {
            if written.insert(digest.to_string()) {
                let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
                append(b, &format!("blobs/sha256/{hex}"), size, data)?;
            }
            Ok(())
        };
        for (path, info) in layer_blobs(store, img)? {
            put(b, &info.digest, info.size, &mut fs_err::File::open(&path)?)?;
        }
        put(
            b,
            &img.config_digest,
            img.config_raw.len() as u64,
            &mut &img.config_raw[..],
        )?;
        put(
            b,
            &img.manifest_digest,
            img.manifest_raw.len() as u64,
            &mut &img.manifest_raw[..],
        )?;
        let media = match Manifest::parse(&img.manifest_raw, None)? {
            Manifest::Image { media_type, .. } => media_type,
            Manifest::Index { media_type, .. } => media_type,
        };
        let names: Vec<&String> = img.names.iter().filter(|n| !n.contains('@')).collect();
        let descriptor = |name: Option<&String>| {
            let mut d = json!({"mediaType": media, "digest": img.manifest_digest, "size": img.manifest_raw.len()});
            if let Some(n) = name {
                d["annotations"] = json!({
                    "org.opencontainers.image.ref.name": n,
                    "io.containerd.image.name": n,
                });
            }
            d
        };
        if names.is_empty() {
            manifests.push(descriptor(None));
        } else {
            manifests.extend(names.into_iter().map(|n| descriptor(Some(n))));
        }
    }
    let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": manifests}))?;
    append(b, "index.json", index.len() as u64, &index[..])
}

fn save_docker(
    store: &Store,
    images: &[Image],
    b: &mut tar::Builder<&mut dyn Write>,
) -> Result<()> {
    let mut entries = Vec::new();
    let mut written = std::collections::BTreeSet::new();
    for img in images {
        let config_name = format!("{}.json", img.id);
        if written.insert(config_name.clone()) {
            append(
                b,
                &config_name,
                img.config_raw.len() as u64,
                &img.config_raw[..],
            )?;
        }
        let mut layers = Vec::new();
        for ((path, _), l) in layer_blobs(store, img)?.into_iter().zip(&img.layers) {
            let hex = l.diff_id.strip_prefix("sha256:").unwrap_or(&l.diff_id);
            let name = format!("{hex}/layer.tar");
            if written.insert(name.clone()) {
                // docker-archive layers are uncompressed: their digest is the diff_id.
                let file = std::io::BufReader::new(fs_err::File::open(&path)?);
                let stream = layer::decompressed(file)
                    .with_context(|| format!("read `{}`", path.display()))?;
                append_dir(b, &format!("{hex}/"))?;
                append(b, &name, l.size, stream)?;
            }
            layers.push(name);
        }
        let tags: Vec<&String> = img.names.iter().filter(|n| !n.contains('@')).collect();
        entries.push(json!({"Config": config_name, "RepoTags": tags, "Layers": layers}));
    }
    let manifest = serde_json::to_vec(&entries)?;
    append(b, "manifest.json", manifest.len() as u64, &manifest[..])
}

/// A regular file's path inside an archive, checked: relative, no `..`.
fn archive_path(raw: &[u8]) -> Option<PathBuf> {
    let text = std::str::from_utf8(raw).ok()?;
    let text = text.trim_start_matches("./");
    if text.is_empty() || text.starts_with('/') {
        return None;
    }
    let mut p = PathBuf::new();
    for c in text.split('/') {
        match c {
            "" | "." => {}
            ".." => return None,
            c => p.push(c),
        }
    }
    Some(p)
}

/// Unpack the regular files of an archive into `dir` (which must be empty).
fn unpack(input: impl Read, dir: &Path) -> Result<()> {
    let mut archive = tar::Archive::new(input);
    for entry in archive.entries().context("read the archive")? {
        let mut entry = entry.context("read the archive")?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let rel = archive_path(&raw).with_context(|| {
            format!(
                "archive entry `{}` has an unsafe path",
                String::from_utf8_lossy(&raw)
            )
        })?;
        let dest = dir.join(&rel);
        if let Some(parent) = dest.parent() {
            fs_err::create_dir_all(parent)?;
        }
        let mut f = fs_err::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest)?;
        std::io::copy(&mut entry, &mut f).with_context(|| format!("unpack `{}`", rel.display()))?;
    }
    Ok(())
}

/// Store the layer `diff_id` from the blob file `path` unless present;
/// the blob must hash to `digest` when given.
fn store_layer(
    store: &mut Store,
    path: &Path,
    digest: Option<&Digest>,
    diff_id: &Digest,
) -> Result<()> {
    if store.has_layer(diff_id)? {
        return Ok(());
    }
    let pending = store.pending_layer(diff_id.as_str())?;
    let copy = std::io::BufWriter::new(fs_err::File::create(pending.blob())?);
    let mut hashing = HashingReader::new(TeeReader::new(fs_err::File::open(path)?, copy));
    let ex = layer::extract_limited(&mut hashing, &pending.diff(), store.max_layer_size())
        .with_context(|| format!("extract layer {diff_id}"))?;
    let (got, size, tee) = hashing.finish_into_inner()?;
    tee.into_writer().flush()?;
    if let Some(d) = digest {
        if &got != d {
            bail!("layer blob {d} does not match its digest (got {got})");
        }
    }
    if &ex.diff_id != diff_id {
        bail!(
            "layer {} unpacks to {} but the config says {diff_id}",
            got,
            ex.diff_id
        );
    }
    pending.describe_blob(&BlobInfo {
        digest: got.to_string(),
        media_type: ex.media_type.to_string(),
        size,
    })?;
    store.commit_layer(pending, diff_id, ex.size)
}

fn diff_ids(config: &[u8]) -> Result<Vec<Digest>> {
    let v: Value = serde_json::from_slice(config).context("parse the image config")?;
    v["rootfs"]["diff_ids"]
        .as_array()
        .context("the image config has no rootfs.diff_ids")?
        .iter()
        .map(|d| Ok(Digest::parse(d.as_str().unwrap_or(""))?))
        .collect()
}

fn read_blob(dir: &Path, digest: &Digest) -> Result<Vec<u8>> {
    let data = fs_err::read(dir.join("blobs/sha256").join(digest.hex()))?;
    if &Digest::of(&data) != digest {
        bail!("archive blob {digest} does not match its digest");
    }
    Ok(data)
}

/// Load every image of the archive `input` (either format); `scratch` is
/// an empty directory to unpack into. Returns (ID, names) per image.
pub fn load(
    store: &mut Store,
    input: impl Read,
    scratch: &Path,
) -> Result<Vec<(String, Vec<String>)>> {
    unpack(input, scratch)?;
    let mut loaded = Vec::new();
    if scratch.join("index.json").is_file() {
        let index: Value = serde_json::from_slice(&fs_err::read(scratch.join("index.json"))?)
            .context("parse index.json")?;
        let entries = index["manifests"].as_array().cloned().unwrap_or_default();
        for e in entries {
            let mut digest = Digest::parse(e["digest"].as_str().unwrap_or(""))?;
            let name = e["annotations"]["io.containerd.image.name"]
                .as_str()
                .or_else(|| e["annotations"]["org.opencontainers.image.ref.name"].as_str())
                .and_then(|n| match crate::store::Input::parse(n).ok()? {
                    crate::store::Input::Qualified(r) => Some(r.store_name()),
                    _ => None,
                });
            let mut raw = read_blob(scratch, &digest)?;
            if let Manifest::Index { manifests, .. } = Manifest::parse(&raw, None)? {
                let want = manifest::wanted_platform(None, None).map_err(anyhow::Error::msg)?;
                let d = manifest::select(&manifests, &want)
                    .context("the archive's index has no image for this platform")?;
                digest = d.digest.clone();
                raw = read_blob(scratch, &digest)?;
            }
            let Manifest::Image { config, layers, .. } = Manifest::parse(&raw, None)? else {
                bail!("manifest {digest} is an index inside an index");
            };
            let config_raw = read_blob(scratch, &config.digest)?;
            let ids = diff_ids(&config_raw)?;
            if ids.len() != layers.len() {
                bail!("manifest {digest} and its config disagree on the number of layers");
            }
            for (l, d) in layers.iter().zip(&ids) {
                let path = scratch.join("blobs/sha256").join(l.digest.hex());
                store_layer(store, &path, Some(&l.digest), d)?;
            }
            let names: Vec<String> = name.into_iter().collect();
            let id = commit(store, raw, config_raw, ids, names.clone())?;
            loaded.push((id, names));
        }
    } else if scratch.join("manifest.json").is_file() {
        let entries: Value = serde_json::from_slice(&fs_err::read(scratch.join("manifest.json"))?)
            .context("parse manifest.json")?;
        for e in entries.as_array().cloned().unwrap_or_default() {
            let config_name = archive_path(e["Config"].as_str().unwrap_or("").as_bytes())
                .context("manifest.json names no config")?;
            let config_raw = fs_err::read(scratch.join(&config_name))?;
            let ids = diff_ids(&config_raw)?;
            let files = e["Layers"].as_array().cloned().unwrap_or_default();
            if files.len() != ids.len() {
                bail!("manifest.json and the config disagree on the number of layers");
            }
            let mut descs = Vec::new();
            for (f, d) in files.iter().zip(&ids) {
                let rel = archive_path(f.as_str().unwrap_or("").as_bytes())
                    .context("manifest.json names a layer with an unsafe path")?;
                store_layer(store, &scratch.join(rel), None, d)?;
                let (_, info) = store
                    .layer_blob(d.as_str())?
                    .context("layer blob just stored")?;
                descs.push(
                    json!({"mediaType": info.media_type, "digest": info.digest, "size": info.size}),
                );
            }
            let manifest = serde_json::to_vec(&json!({
                "schemaVersion": 2,
                "mediaType": OCI_MANIFEST,
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": Digest::of(&config_raw).as_str(), "size": config_raw.len()},
                "layers": descs,
            }))?;
            let names: Vec<String> = e["RepoTags"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|t| match crate::store::Input::parse(t.as_str()?).ok()? {
                    crate::store::Input::Qualified(r) => Some(r.store_name()),
                    short => Some(
                        short
                            .local_candidates(&["docker.io".to_string()])
                            .pop()?
                            .store_name(),
                    ),
                })
                .collect();
            let id = commit(store, manifest, config_raw, ids, names.clone())?;
            loaded.push((id, names));
        }
    } else {
        bail!("not an oci-archive or docker-archive: neither index.json nor manifest.json found");
    }
    Ok(loaded)
}

fn commit(
    store: &mut Store,
    manifest: Vec<u8>,
    config: Vec<u8>,
    diff_ids: Vec<Digest>,
    names: Vec<String>,
) -> Result<String> {
    match store.commit_image(&NewImage {
        manifest,
        config,
        diff_ids,
        names,
    })? {
        Ok(id) => Ok(id),
        Err(_) => bail!("layers were removed by a concurrent command while loading; try again"),
    }
}

//! `import`: a root filesystem tarball (plain, gzip or zstd) becomes a
//! one-layer image, with `--change` instructions applied to its config.

use std::io::Read;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use crate::store::digest::{HashingReader, TeeReader};
use crate::store::{BlobInfo, Digest, NewImage, Reference, Store, layer};

/// Apply one `--change` instruction (`CMD ["sh"]`, `ENV A=b`, `CMD=sh`, ...)
/// to the `config` object of an image config.
pub fn apply_change(config: &mut Map<String, Value>, change: &str) -> Result<()> {
    let change = change.trim();
    let split = change.find([' ', '=']).unwrap_or(change.len());
    let (key, value) = (
        change[..split].to_ascii_uppercase(),
        change[split..].get(1..).unwrap_or("").trim(),
    );
    let list = |v: &str| -> Value {
        match serde_json::from_str::<Vec<String>>(v) {
            Ok(items) => json!(items),
            Err(_) => json!(["/bin/sh", "-c", v]),
        }
    };
    match key.as_str() {
        "CMD" => {
            config.insert("Cmd".into(), list(value));
        }
        "ENTRYPOINT" => {
            config.insert("Entrypoint".into(), list(value));
        }
        "ENV" => {
            let (k, v) = value
                .split_once('=')
                .or_else(|| value.split_once(' '))
                .with_context(|| format!("--change `{change}`: ENV needs NAME=VALUE"))?;
            let env = config.entry("Env").or_insert_with(|| json!([]));
            if let Value::Array(items) = env {
                let prefix = format!("{}=", k.trim());
                items.retain(|i| !i.as_str().is_some_and(|s| s.starts_with(&prefix)));
                items.push(json!(format!("{}={}", k.trim(), v.trim())));
            }
        }
        "WORKDIR" => {
            config.insert("WorkingDir".into(), json!(value));
        }
        "USER" => {
            config.insert("User".into(), json!(value));
        }
        "LABEL" => {
            let (k, v) = value
                .split_once('=')
                .with_context(|| format!("--change `{change}`: LABEL needs KEY=VALUE"))?;
            let labels = config.entry("Labels").or_insert_with(|| json!({}));
            if let Value::Object(m) = labels {
                m.insert(k.trim().into(), json!(v.trim().trim_matches('"')));
            }
        }
        "EXPOSE" => {
            let ports = config.entry("ExposedPorts").or_insert_with(|| json!({}));
            if let Value::Object(m) = ports {
                for p in value.split_whitespace() {
                    let p = if p.contains('/') {
                        p.to_string()
                    } else {
                        format!("{p}/tcp")
                    };
                    m.insert(p, json!({}));
                }
            }
        }
        "STOPSIGNAL" => {
            config.insert("StopSignal".into(), json!(value));
        }
        "VOLUME" => {
            let paths = serde_json::from_str::<Vec<String>>(value)
                .unwrap_or_else(|_| value.split_whitespace().map(String::from).collect());
            if paths.is_empty() {
                bail!("--change `{change}`: VOLUME needs a path");
            }
            let volumes = config.entry("Volumes").or_insert_with(|| json!({}));
            if let Value::Object(m) = volumes {
                for p in paths {
                    m.insert(p, json!({}));
                }
            }
        }
        _ => bail!(
            "--change `{change}`: unknown instruction\nhint: use CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL or VOLUME"
        ),
    }
    Ok(())
}

pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// The tarball at `path`, or standard input for `-`.
pub fn open_source(path: &std::path::Path) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(std::io::stdin().lock()))
    } else {
        Ok(Box::new(fs_err::File::open(path)?))
    }
}

/// Store the uncompressed, gzip or zstd tar stream `input` as a layer
/// (extracted, with the stream kept as its blob); `what` (`imported`,
/// `committed`) names it in errors. Returns its diff_id and blob.
pub fn add_layer(store: &mut Store, input: impl Read, what: &str) -> Result<(Digest, BlobInfo)> {
    let pending = store.pending_layer(what)?;
    let blob_file = std::io::BufWriter::new(fs_err::File::create(pending.blob())?);
    let mut hashing = HashingReader::new(TeeReader::new(input, blob_file));
    let extracted = layer::extract_limited(&mut hashing, &pending.diff(), store.max_layer_size())
        .with_context(|| format!("extract the {what} layer"))?;
    let (blob_digest, blob_size, tee) = hashing
        .finish_into_inner()
        .with_context(|| format!("read the {what} layer"))?;
    std::io::Write::flush(&mut tee.into_writer())
        .with_context(|| format!("write `{}`", pending.blob().display()))?;
    let blob = BlobInfo {
        digest: blob_digest.to_string(),
        media_type: extracted.media_type.to_string(),
        size: blob_size,
    };
    pending.describe_blob(&blob)?;
    store.commit_layer(pending, &extracted.diff_id, extracted.size)?;
    Ok((extracted.diff_id, blob))
}

/// Import the tarball `input` as an image named `name` (if any).
pub fn import(
    store: &mut Store,
    input: impl Read,
    name: Option<&Reference>,
    changes: &[String],
    message: Option<&str>,
) -> Result<String> {
    let mut exec_config = Map::new();
    for c in changes {
        apply_change(&mut exec_config, c)?;
    }
    let (diff_id, blob) = add_layer(store, input, "imported")?;
    crate::crashpoint::crashpoint("import.layer-committed");
    let created = super::rfc3339(super::now_secs());
    let mut history = json!({"created": created, "created_by": "rctl import"});
    if let Some(m) = message {
        history["comment"] = json!(m);
    }
    let config = json!({
        "created": created,
        "architecture": host_arch(),
        "os": "linux",
        "config": Value::Object(exec_config),
        "rootfs": {"type": "layers", "diff_ids": [diff_id.as_str()]},
        "history": [history],
    });
    let config_raw = serde_json::to_vec(&config)?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": crate::registry::manifest::OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": Digest::of(&config_raw).as_str(),
            "size": config_raw.len(),
        },
        "layers": [{
            "mediaType": blob.media_type,
            "digest": blob.digest,
            "size": blob.size,
        }],
    });
    let new = NewImage {
        manifest: serde_json::to_vec(&manifest)?,
        config: config_raw,
        diff_ids: vec![diff_id],
        names: name.map(|n| n.store_name()).into_iter().collect(),
    };
    match store.commit_image(&new)? {
        Ok(id) => Ok(id),
        Err(_) => bail!("the imported layer was removed by a concurrent command; try again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_apply() {
        let mut c = Map::new();
        apply_change(&mut c, r#"CMD ["/bin/sh", "-c", "echo hi"]"#).unwrap();
        apply_change(&mut c, "ENTRYPOINT=/bin/true").unwrap();
        apply_change(&mut c, "ENV A=1").unwrap();
        apply_change(&mut c, "ENV A=2").unwrap();
        apply_change(&mut c, "WORKDIR /srv").unwrap();
        apply_change(&mut c, "EXPOSE 80 53/udp").unwrap();
        apply_change(&mut c, "LABEL a=b").unwrap();
        apply_change(&mut c, "VOLUME /data /logs").unwrap();
        apply_change(&mut c, r#"VOLUME ["/cache"]"#).unwrap();
        assert_eq!(
            c["Volumes"],
            json!({"/data": {}, "/logs": {}, "/cache": {}})
        );
        assert!(apply_change(&mut c, "VOLUME").is_err());
        assert_eq!(c["Cmd"], json!(["/bin/sh", "-c", "echo hi"]));
        assert_eq!(c["Entrypoint"], json!(["/bin/sh", "-c", "/bin/true"]));
        assert_eq!(c["Env"], json!(["A=2"]));
        assert_eq!(c["WorkingDir"], json!("/srv"));
        assert!(c["ExposedPorts"].get("53/udp").is_some());
        assert_eq!(c["Labels"]["a"], json!("b"));
        assert!(apply_change(&mut c, "FROB x").is_err());
    }
}

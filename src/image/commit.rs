//! `commit`: a new image from a container — its image's layers plus one
//! layer of the container's changes, the image config with the container's
//! own Cmd/Entrypoint/Env/WorkingDir/User (as Docker does) and `--change`
//! instructions on top, one more history entry.

use std::io::Seek;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use super::import::{add_layer, apply_change};
use crate::container::Container;
use crate::store::{BlobInfo, Digest, Image, NewImage, Reference, Store};

/// What `commit` was asked for besides the container.
pub struct CommitOptions<'a> {
    pub name: Option<&'a Reference>,
    pub changes: &'a [String],
    pub message: Option<&'a str>,
    pub author: Option<&'a str>,
}

/// Set `entry` (`KEY=VALUE`) in `env`, replacing the same key.
fn set_env(env: &mut Vec<Value>, entry: &str) {
    let key = entry.split('=').next().unwrap_or(entry);
    env.retain(|e| e.as_str().and_then(|s| s.split('=').next()) != Some(key));
    env.push(json!(entry));
}

/// What a container's command line set over its image's config.
#[derive(Debug, Default)]
pub struct Overrides {
    pub command: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
}

impl Overrides {
    pub fn of(c: &Container) -> Overrides {
        let cfg = &c.config;
        Overrides {
            command: cfg.command.clone(),
            entrypoint: cfg.entrypoint.clone(),
            env: cfg.env.clone(),
            workdir: cfg.workdir.clone(),
            user: cfg.user.clone(),
        }
    }
}

/// The `config` object of the new image: the base image's, with the
/// container's command line settings, then `changes`, applied.
pub fn exec_config(
    base: &Map<String, Value>,
    cfg: &Overrides,
    changes: &[String],
) -> Result<Map<String, Value>> {
    let mut config = base.clone();
    if let Some(ep) = &cfg.entrypoint {
        config.insert("Entrypoint".into(), json!(ep));
        // `--entrypoint` resets the image's CMD (see `runtime::spec::process_args`).
        if cfg.command.is_empty() {
            config.remove("Cmd");
        }
    }
    if !cfg.command.is_empty() {
        config.insert("Cmd".into(), json!(cfg.command));
    }
    if !cfg.env.is_empty() {
        let mut env = match config.remove("Env") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        for e in &cfg.env {
            set_env(&mut env, e);
        }
        config.insert("Env".into(), Value::Array(env));
    }
    if let Some(w) = &cfg.workdir {
        config.insert("WorkingDir".into(), json!(w));
    }
    if let Some(u) = &cfg.user {
        config.insert("User".into(), json!(u));
    }
    for change in changes {
        apply_change(&mut config, change)?;
    }
    Ok(config)
}

/// The new image's config document: `base_config` (the raw base config)
/// with `config`, the new layer's diff_id and a history entry.
pub fn image_config(
    base_config: &[u8],
    config: Map<String, Value>,
    diff_id: &Digest,
    created: &str,
    opts: &CommitOptions<'_>,
) -> Result<Value> {
    let mut doc: Value = serde_json::from_slice(base_config).context("parse the base config")?;
    let Some(obj) = doc.as_object_mut() else {
        bail!("the base image's config is not a JSON object");
    };
    obj.insert("created".into(), json!(created));
    obj.insert("config".into(), Value::Object(config));
    if let Some(a) = opts.author {
        obj.insert("author".into(), json!(a));
    }
    let rootfs = obj
        .entry("rootfs")
        .or_insert_with(|| json!({"type": "layers", "diff_ids": []}));
    match rootfs.get_mut("diff_ids") {
        Some(Value::Array(ids)) => ids.push(json!(diff_id.as_str())),
        _ => rootfs["diff_ids"] = json!([diff_id.as_str()]),
    }
    let mut entry = json!({"created": created, "created_by": "rctl commit"});
    if let Some(m) = opts.message {
        entry["comment"] = json!(m);
    }
    if let Some(a) = opts.author {
        entry["author"] = json!(a);
    }
    match obj.get_mut("history") {
        Some(Value::Array(h)) => h.push(entry),
        _ => {
            obj.insert("history".into(), json!([entry]));
        }
    }
    Ok(doc)
}

/// The blob descriptors of the base image's layers, lowest first: from the
/// blobs the store kept, else from the base manifest.
fn base_layers(store: &Store, base: &Image) -> Result<Vec<Value>> {
    let manifest: Value = serde_json::from_slice(&base.manifest_raw).unwrap_or(Value::Null);
    base.layers
        .iter()
        .enumerate()
        .map(|(i, l)| match store.layer_blob(&l.diff_id)? {
            Some((_, b)) => {
                Ok(json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size}))
            }
            None => manifest["layers"].get(i).cloned().with_context(|| {
                format!(
                    "image {}: no blob known for layer {}",
                    base.short_id(),
                    l.diff_id
                )
            }),
        })
        .collect()
}

/// Commit container `c`, whose directory is `dir` (changes in `dir/upper`),
/// on top of its image `base`. Returns the new image ID. The layer tar is
/// written to a scratch file in `dir` on its way into the store.
pub fn commit(
    store: &mut Store,
    base: &Image,
    c: &Container,
    dir: &std::path::Path,
    opts: &CommitOptions<'_>,
) -> Result<String> {
    let upper = dir.join("upper");
    let scratch = dir.join(format!("commit-{}.tar", std::process::id()));
    // Everything that can be refused is checked before anything is stored.
    let base_doc: Value =
        serde_json::from_slice(&base.config_raw).context("parse the base image's config")?;
    let base_exec = match base_doc.get("config") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let config = exec_config(&base_exec, &Overrides::of(c), opts.changes)?;
    let mut layers = base_layers(store, base)?;

    let (diff_id, blob) = {
        let mut tar = fs_err::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&scratch)?;
        let _remove = RemoveOnDrop(&scratch);
        crate::container::changes::write_layer(&upper, std::io::BufWriter::new(tar.file_mut()))
            .with_context(|| format!("write the changes of container `{}`", c.name))?;
        tar.rewind()?;
        let added = add_layer(store, std::io::BufReader::new(tar), "committed")?;
        crate::crashpoint::crashpoint("commit.layer-committed");
        added
    };
    let created = super::rfc3339(super::now_secs());
    let doc = image_config(&base.config_raw, config, &diff_id, &created, opts)?;
    let config_raw = serde_json::to_vec(&doc)?;
    layers.push(descriptor(&blob));
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": crate::registry::manifest::OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": Digest::of(&config_raw).as_str(),
            "size": config_raw.len(),
        },
        "layers": layers,
    });
    let mut diff_ids: Vec<Digest> = base
        .layers
        .iter()
        .map(|l| Digest::parse(&l.diff_id))
        .collect::<Result<_, _>>()?;
    diff_ids.push(diff_id);
    let new = NewImage {
        manifest: serde_json::to_vec(&manifest)?,
        config: config_raw,
        diff_ids,
        names: opts.name.map(|n| n.store_name()).into_iter().collect(),
    };
    match store.commit_image(&new)? {
        Ok(id) => Ok(id),
        Err(_) => bail!("a layer was removed by a concurrent command; try again"),
    }
}

fn descriptor(b: &BlobInfo) -> Value {
    json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size})
}

struct RemoveOnDrop<'a>(&'a std::path::Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(command: &[&str], entrypoint: Option<&[&str]>, env: &[&str]) -> Overrides {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Overrides {
            command: s(command),
            entrypoint: entrypoint.map(s),
            env: s(env),
            ..Overrides::default()
        }
    }

    #[test]
    fn container_settings_then_changes_apply() {
        let base = json!({"Cmd": ["sh"], "Entrypoint": ["/ep"], "Env": ["A=1", "B=2"]});
        let base = base.as_object().unwrap();
        let c = overrides(&["echo", "hi"], None, &["B=3"]);
        let got = exec_config(base, &c, &["ENV C=4".into()]).unwrap();
        assert_eq!(got["Cmd"], json!(["echo", "hi"]));
        assert_eq!(got["Entrypoint"], json!(["/ep"]));
        assert_eq!(got["Env"], json!(["A=1", "B=3", "C=4"]));
        // `--entrypoint` without a command resets CMD; a change wins.
        let c = overrides(&[], Some(&["/bin/true"]), &[]);
        let got = exec_config(base, &c, &[]).unwrap();
        assert_eq!(got["Entrypoint"], json!(["/bin/true"]));
        assert!(got.get("Cmd").is_none());
        let got = exec_config(base, &c, &[r#"CMD ["cat","/new"]"#.into()]).unwrap();
        assert_eq!(got["Cmd"], json!(["cat", "/new"]));
        assert!(exec_config(base, &c, &["FROB x".into()]).is_err());
    }

    #[test]
    fn history_and_diff_ids_grow() {
        let base = br#"{"architecture":"amd64","os":"linux","config":{},
            "rootfs":{"type":"layers","diff_ids":["sha256:aa"]},
            "history":[{"created_by":"rctl import"}]}"#;
        let d = Digest::of(b"x");
        let opts = CommitOptions {
            name: None,
            changes: &[],
            message: Some("msg"),
            author: Some("me"),
        };
        let doc = image_config(base, Map::new(), &d, "2026-01-01T00:00:00Z", &opts).unwrap();
        assert_eq!(doc["rootfs"]["diff_ids"], json!(["sha256:aa", d.as_str()]));
        assert_eq!(doc["history"][1]["comment"], json!("msg"));
        assert_eq!(doc["history"][1]["created_by"], json!("rctl commit"));
        assert_eq!(doc["author"], json!("me"));
        assert_eq!(doc["architecture"], json!("amd64"));
    }
}

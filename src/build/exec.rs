//! The build executor: runs a [`BuildPlan`] stage by stage. Each
//! filesystem-changing step gets a step container on the stage's layers
//! (RUN: started through the monitor like `rctl run`; COPY/ADD/WORKDIR:
//! only its overlay mounted, files written confined to it), and the
//! container's upper directory becomes the step's layer
//! (`container::changes`). Steps are looked up in the cache index first.
//! The image is assembled at the end from the base's layers, the steps'
//! layers, the config ([`StageConfig`]) and one history entry per step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::image_config::{config_object, stage_config};
use super::layer_cache::{self, Entry};
use super::sources::{self, Attrs, Found, SourceRoot};
use super::transfer::{RemoveDir, copy_into, download, file_sha, is_url, is_url_text};
use super::{
    Base, BuildPlan, CopyFrom, Instruction, Located, MountKind, PlannedStage, Resolved, Scope,
    Source, StageConfig, cache_key,
};
use crate::app::App;
use crate::container::lifecycle::{self};
use crate::container::store::Store as Containers;
use crate::container::{Container, copy};
use crate::error::Exit;
use crate::image::resolve::PullPolicy;
use crate::runtime::{ImageConfig, Network};
use crate::store::{Digest, Store};

/// What the user asked for besides the plan.
pub struct Options {
    pub context: Option<PathBuf>,
    /// The Containerfile's name relative to the context (for ignore files).
    pub containerfile: String,
    pub no_cache: bool,
    pub pull: PullPolicy,
    pub labels: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub quiet: bool,
    /// `--squash`, `--layers=false`: one layer for what the target stage adds.
    pub squash: bool,
}

/// A built (or base) stage.
#[derive(Clone)]
pub(super) struct Stage {
    /// Layers, lowest first, with their blob descriptors.
    pub(super) layers: Vec<(Digest, Value)>,
    pub(super) config: StageConfig,
    /// The base image's config document (architecture, os, history...).
    pub(super) doc: Value,
    pub(super) history: Vec<Value>,
    pub(super) env: Vec<(String, String)>,
    /// The cache chain: the key of the last step (or the base's identity).
    pub(super) chain: String,
    /// How many of `layers` and `history` the stage's base had.
    pub(super) base_layers: usize,
    pub(super) base_history: usize,
}

pub(super) struct Builder<'a> {
    pub(super) app: &'a App,
    pub(super) store: Store,
    pub(super) containers: Containers,
    pub(super) cache: layer_cache::Index,
    pub(super) opts: &'a Options,
    pub(super) context: Option<SourceRoot>,
    pub(super) step: usize,
    pub(super) steps: usize,
    pub(super) empty_dir: PathBuf,
}

/// Run the build; returns the image ID (tagged with `opts.tags`).
pub fn build(app: &App, plan: &BuildPlan, opts: &Options) -> Result<String> {
    let store = Store::open(&app.dirs)?;
    let empty_dir = app.dirs.root.join("build-cache").join("empty");
    let cache = layer_cache::Index::open(&app.dirs.root)?;
    crate::ondisk::create_private_dir(&empty_dir)?;
    let context = match &opts.context {
        Some(dir) => Some(SourceRoot::context(
            dir,
            ignore_rules(dir, &opts.containerfile)?,
        )?),
        None => None,
    };
    let mut b = Builder {
        app,
        store,
        containers: Containers::new(&app.dirs.root),
        cache,
        opts,
        context,
        step: 0,
        steps: plan.step_count(),
        empty_dir,
    };
    for w in &plan.warnings {
        log::warn!("{w}");
    }
    for a in &plan.unused_build_args {
        log::warn!("build argument `{a}` is not consumed by any ARG");
    }
    let mut done: BTreeMap<usize, Stage> = BTreeMap::new();
    for stage in &plan.stages {
        let built = b.stage(plan, stage, &done)?;
        done.insert(stage.index, built);
    }
    let target = done
        .remove(&plan.target().index)
        .context("the target stage was not built")?;
    b.commit(target)
}

fn ignore_rules(dir: &Path, containerfile: &str) -> Result<super::IgnoreMatcher> {
    for name in super::IgnoreMatcher::candidates(containerfile) {
        let path = dir.join(&name);
        if let Ok(text) = std::fs::read_to_string(&path) {
            return super::IgnoreMatcher::parse(&name, &text).map_err(|e| anyhow::anyhow!("{e}"));
        }
    }
    super::IgnoreMatcher::parse(".containerignore", "").map_err(|e| anyhow::anyhow!("{e}"))
}

fn now() -> String {
    crate::image::rfc3339(crate::image::now_secs())
}

impl Builder<'_> {
    pub(super) fn say(&self, line: &str) {
        if !self.opts.quiet {
            eprintln!("{line}");
        }
    }

    fn base(&mut self, stage: &PlannedStage, done: &BTreeMap<usize, Stage>) -> Result<Stage> {
        match &stage.base {
            Base::Scratch => Ok(Stage {
                layers: Vec::new(),
                config: StageConfig::default(),
                doc: json!({"architecture": crate::image::import::host_arch(), "os": "linux", "config": {}}),
                history: Vec::new(),
                env: Vec::new(),
                chain: "scratch".into(),
                base_layers: 0,
                base_history: 0,
            }),
            Base::Stage(i) => done
                .get(i)
                .cloned()
                .with_context(|| format!("stage {i} was not built before it was used")),
            Base::Image(name) => self.image_stage(name, self.opts.pull),
        }
    }

    pub(super) fn image_stage(&mut self, name: &str, pull: PullPolicy) -> Result<Stage> {
        let image = crate::image::resolve::image_for_run(self.app, name, pull)
            .with_context(|| format!("find base image `{name}`"))?;
        let doc: Value =
            serde_json::from_slice(&image.config_raw).context("parse the base image's config")?;
        let manifest: Value = serde_json::from_slice(&image.manifest_raw).unwrap_or(Value::Null);
        let mut layers = Vec::new();
        for (i, l) in image.layers.iter().enumerate() {
            let desc = match self.store.layer_blob(&l.diff_id)? {
                Some((_, b)) => {
                    json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size})
                }
                None => manifest["layers"].get(i).cloned().with_context(|| {
                    format!(
                        "image {}: no blob known for layer {}",
                        image.short_id(),
                        l.diff_id
                    )
                })?,
            };
            layers.push((Digest::parse(&l.diff_id)?, desc));
        }
        let config = stage_config(&doc);
        Ok(Stage {
            layers,
            env: config.env.clone(),
            config,
            history: doc["history"].as_array().cloned().unwrap_or_default(),
            doc,
            chain: format!("image:{}", image.id),
            base_layers: 0,
            base_history: 0,
        })
    }

    fn stage(
        &mut self,
        plan: &BuildPlan,
        stage: &PlannedStage,
        done: &BTreeMap<usize, Stage>,
    ) -> Result<Stage> {
        self.step += 1;
        self.say(&format!(
            "STEP {}/{}: {}",
            self.step, self.steps, stage.from.text
        ));
        let mut cur = self.base(stage, done)?;
        cur.base_layers = cur.layers.len();
        cur.base_history = cur.history.len();
        // A base without PATH gets the default one, as buildah and BuildKit do.
        if !cur.config.env.iter().any(|(k, _)| k == "PATH") {
            let path = ("PATH".to_string(), DEFAULT_PATH.to_string());
            cur.config.env.insert(0, path.clone());
            cur.env.insert(0, path);
        }
        let mut scope = plan.scope(&cur.env);
        cur.config = StageConfig::inherit(&cur.config);
        // A base's ONBUILD triggers run first, and are not inherited.
        let triggers = std::mem::take(&mut cur.config.on_build);
        for t in triggers {
            let file = super::parse(&format!("ONBUILD in {}", plan.file), &t)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for l in &file.instructions {
                self.say(&format!("--> ONBUILD {}", l.text));
                self.run_step(&mut scope, &mut cur, l, None, done)?;
            }
        }
        for step in &stage.steps {
            self.step += 1;
            self.say(&format!(
                "STEP {}/{}: {}",
                self.step, self.steps, step.at.text
            ));
            self.run_step(
                &mut scope,
                &mut cur,
                &step.at,
                step.copy_from.as_ref(),
                done,
            )
            .map_err(|e| {
                if let Some(Exit::WithMessage { code, message }) = e.downcast_ref::<Exit>() {
                    Exit::WithMessage {
                        code: *code,
                        message: format!("{}:{}: {message}", plan.file, step.at.line),
                    }
                    .into()
                } else {
                    e.context(format!(
                        "{}:{}: step {}/{} `{}` failed",
                        plan.file, step.at.line, self.step, self.steps, step.at.text
                    ))
                }
            })?;
        }
        cur.env = scope.env().to_vec();
        Ok(cur)
    }

    fn run_step(
        &mut self,
        scope: &mut Scope,
        cur: &mut Stage,
        at: &Located,
        copy_from: Option<&CopyFrom>,
        done: &BTreeMap<usize, Stage>,
    ) -> Result<()> {
        let resolved = scope.resolve(at).map_err(|e| anyhow::anyhow!("{e}"))?;
        let changes = resolved.instruction.changes_filesystem();
        // Sources are found (and hashed) before the cache lookup.
        let mut source_stage: Option<(Container, copy::Root)> = None;
        let mut found: Vec<Found> = Vec::new();
        let mut heredocs: Vec<(String, String)> = Vec::new();
        let mut urls: Vec<(String, PathBuf)> = Vec::new();
        let mut files = Vec::new();
        let mut download_dir = None;
        if let Instruction::Copy(spec) | Instruction::Add(spec) = &resolved.instruction {
            let keyword = resolved.instruction.keyword();
            let is_add = matches!(resolved.instruction, Instruction::Add(_));
            let root_holder;
            let root: &SourceRoot = match copy_from {
                None => match &self.context {
                    Some(c) => c,
                    None if spec
                        .sources
                        .iter()
                        .all(|s| matches!(s, Source::Heredoc(_)) || is_url(s)) =>
                    {
                        root_holder = SourceRoot::root(
                            crate::runtime::confined::open_root(&self.empty_dir)?,
                            "an empty context".into(),
                        );
                        &root_holder
                    }
                    None => bail!(
                        "{keyword} needs a build context, and the Containerfile came from standard input without one\nhint: give a context directory: `rctl build -f - DIR`"
                    ),
                },
                Some(from) => {
                    let (layers, what) = match from {
                        CopyFrom::Stage(i) => (
                            done.get(i)
                                .context("the --from stage was not built")?
                                .layers
                                .clone(),
                            format!("stage {}", spec.from.clone().unwrap_or_default()),
                        ),
                        CopyFrom::Image(name) => (
                            self.image_stage(name, self.opts.pull)?.layers,
                            format!("image {name}"),
                        ),
                    };
                    let c = self.step_container(
                        &layers,
                        ImageConfig::default(),
                        Vec::new(),
                        (Network::None, None),
                    )?;
                    let r = copy::open_root(&self.containers, &c)?;
                    let fd = rustix::io::dup(&r.fd)?;
                    source_stage = Some((c, r));
                    root_holder = SourceRoot::root(fd, what);
                    &root_holder
                }
            };
            for s in &spec.sources {
                match s {
                    Source::Heredoc(h) => {
                        files.push(super::CopiedFile {
                            path: format!("<<{}", h.name),
                            checksum: format!("{:?}", h.content),
                        });
                        heredocs.push((h.name.clone(), h.content.clone()));
                    }
                    Source::Path(p) if is_add && is_url_text(p) => {
                        let dir = match &download_dir {
                            Some(RemoveDir(d)) => d,
                            None => {
                                let d = self
                                    .app
                                    .dirs
                                    .root
                                    .join("build-cache")
                                    .join(format!("dl-{}", std::process::id()));
                                crate::ondisk::create_private_dir(&d)?;
                                &download_dir.insert(RemoveDir(d)).0
                            }
                        };
                        let path = download(p, spec.checksum.as_deref(), dir)?;
                        files.push(super::CopiedFile {
                            path: p.clone(),
                            checksum: file_sha(&path)?,
                        });
                        urls.push((p.clone(), path));
                    }
                    Source::Path(p) => {
                        let f = sources::find(root, p, keyword)?;
                        files.extend(sources::checksums(&f)?);
                        found.extend(f);
                    }
                }
            }
        }
        // RUN --mount=type=bind sources (from the context) count like
        // copied files.
        let mut binds: Vec<Vec<Found>> = Vec::new();
        if let Instruction::Run(run) = &resolved.instruction {
            for m in &run.mounts {
                let mut found = Vec::new();
                if m.kind == MountKind::Bind && m.from.is_none() {
                    let Some(ctx) = &self.context else {
                        bail!(
                            "RUN --mount=type=bind needs a build context\nhint: give a context directory"
                        );
                    };
                    found = sources::find(ctx, m.source.as_deref().unwrap_or("."), "RUN --mount")?;
                    files.extend(sources::checksums(&found)?);
                }
                binds.push(found);
            }
        }
        let key = cache_key(&cur.chain, &resolved.cache_text(), &files);
        let cached = if self.opts.no_cache {
            None
        } else {
            self.cache.get(&key).filter(|e| match &e.diff_id {
                None => true,
                Some(d) => {
                    Digest::parse(d).is_ok_and(|d| self.store.has_layer(&d).unwrap_or(false))
                }
            })
        };
        let entry = match cached {
            Some(e) => {
                if changes {
                    self.say(&format!("--> Using cache {}", &key[7..19]));
                }
                e
            }
            None if !changes => {
                let e = Entry {
                    diff_id: None,
                    created: now(),
                };
                self.cache.put(&key, &e)?;
                e
            }
            None => {
                let diff_id = match &resolved.instruction {
                    Instruction::Run(run) => self.run(cur, &resolved, run, &binds)?,
                    Instruction::Workdir(_) => {
                        let mut next = cur.config.clone();
                        next.apply(&resolved.instruction);
                        let dir = next.working_dir.clone();
                        let owner = self.owner_of_user(cur, &cur.config.user.clone()).ok();
                        self.in_root(cur, None, |d| {
                            d.mkdir_p(Path::new(&dir), owner)?;
                            Ok(())
                        })?
                    }
                    Instruction::Copy(spec) | Instruction::Add(spec) => {
                        let is_add = matches!(resolved.instruction, Instruction::Add(_));
                        let attrs = Attrs {
                            owner: match &spec.chown {
                                Some(c) => Some(self.owner_of_user(cur, c)?),
                                None => None,
                            },
                            mode: spec
                                .chmod
                                .as_deref()
                                .map(|m| {
                                    u32::from_str_radix(m, 8).with_context(|| {
                                        format!("--chmod `{m}` is not an octal mode")
                                    })
                                })
                                .transpose()?,
                        };
                        let workdir = cur.config.working_dir.clone();
                        self.in_root(cur, attrs.owner, |d| {
                            copy_into(d, spec, &workdir, &found, &heredocs, &urls, is_add, attrs)
                        })?
                    }
                    _ => None,
                };
                let e = Entry {
                    diff_id: diff_id.map(|d| d.to_string()),
                    created: now(),
                };
                self.cache.put(&key, &e)?;
                crate::crashpoint::crashpoint("build.cache-written");
                e
            }
        };
        if let Some((c, root)) = source_stage.take() {
            drop(root);
            let _ = lifecycle::remove(&self.containers, &c, true);
        }
        if let Some(d) = &entry.diff_id {
            let d = Digest::parse(d)?;
            let desc = match self.store.layer_blob(d.as_str())? {
                Some((_, b)) => {
                    json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size})
                }
                None => bail!("layer {d} has no blob in the store"),
            };
            cur.layers.push((d, desc));
        }
        cur.config.apply(&resolved.instruction);
        let mut h = json!({"created": entry.created, "created_by": history_text(&resolved)});
        if entry.diff_id.is_none() {
            h["empty_layer"] = json!(true);
        }
        cur.history.push(h);
        cur.chain = key;
        Ok(())
    }

    /// uid/gid of a USER or `--chown` value, from the stage's passwd/group.
    pub(super) fn owner_of_user(&mut self, cur: &Stage, spec: &str) -> Result<(u32, u32)> {
        if spec.is_empty() {
            return Ok((0, 0));
        }
        let (u, g) = spec.split_once(':').unwrap_or((spec, ""));
        if u.parse::<u32>().is_ok() && (g.is_empty() || g.parse::<u32>().is_ok()) {
            let uid: u32 = u.parse()?;
            let gid = if g.is_empty() { uid } else { g.parse()? };
            return Ok((uid, gid));
        }
        let read = |name: &str| -> Option<String> {
            cur.layers.iter().rev().find_map(|(d, _)| {
                let dir = self.store.root().join("layers").join(d.hex()).join("diff");
                crate::runtime::confined::read_file(&dir, Path::new(name))
                    .ok()
                    .flatten()
            })
        };
        let passwd = read("etc/passwd").unwrap_or_default();
        let group = read("etc/group").unwrap_or_default();
        let r = crate::runtime::user::resolve(spec, &passwd, &group)
            .map_err(|e| anyhow::anyhow!("user `{spec}`: {e}"))?;
        Ok((r.uid, r.gid))
    }

    fn commit(&mut self, mut target: Stage) -> Result<String> {
        for (k, v) in &self.opts.labels {
            target.config.labels.insert(k.clone(), v.clone());
        }
        if self.opts.squash && target.layers.len() > target.base_layers + 1 {
            self.squash(&mut target)?;
        }
        let created = target
            .history
            .iter()
            .rev()
            .find_map(|h| h["created"].as_str().map(String::from))
            .unwrap_or_else(now);
        let mut doc = target.doc.clone();
        let base_cfg = doc["config"].clone();
        doc["config"] = Value::Object(config_object(&base_cfg, &target.config));
        doc["created"] = json!(created);
        doc["rootfs"] = json!({"type": "layers", "diff_ids": target.layers.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>()});
        doc["history"] = json!(target.history);
        if let Some(a) = &target.config.author {
            doc["author"] = json!(a);
        }
        let config_raw = serde_json::to_vec(&doc)?;
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": crate::registry::manifest::OCI_MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": Digest::of(&config_raw).as_str(),
                "size": config_raw.len(),
            },
            "layers": target.layers.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>(),
        });
        let new = crate::store::NewImage {
            manifest: serde_json::to_vec(&manifest)?,
            config: config_raw,
            diff_ids: target.layers.iter().map(|(d, _)| d.clone()).collect(),
            names: self.opts.tags.clone(),
        };
        crate::crashpoint::crashpoint("build.before-commit");
        match self.store.commit_image(&new)? {
            Ok(id) => {
                crate::crashpoint::crashpoint("build.committed");
                Ok(id)
            }
            Err(_) => {
                bail!("a layer of the build was removed by a concurrent command; build again")
            }
        }
    }
}

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn history_text(r: &Resolved) -> String {
    if r.instruction.changes_filesystem() {
        r.history.clone()
    } else {
        format!("/bin/sh -c #(nop) {}", r.history)
    }
}

/// Paths the runtime creates as mount points when the image lacks them.
const MOUNT_POINTS: &[&str] = &[
    "etc/hosts",
    "etc/resolv.conf",
    "etc/hostname",
    "run/.containerenv",
    "proc",
    "sys",
    "dev",
    "run",
    "etc",
];

/// Remove from `upper` the mount points the runtime made that no lower
/// layer has, when they are still empty.
pub(super) fn remove_mount_points(upper: &Path, lower: &[PathBuf]) {
    for rel in MOUNT_POINTS {
        let p = upper.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if lower
            .iter()
            .any(|l| std::fs::symlink_metadata(l.join(rel)).is_ok())
        {
            continue;
        }
        if meta.is_file() && meta.len() == 0 {
            let _ = std::fs::remove_file(&p);
        } else if meta.is_dir() {
            let _ = std::fs::remove_dir(&p); // only when empty
        }
    }
}

/// Standard output pointed at standard error while a build runs (RUN
/// output belongs with the progress; stdout carries only the image ID).
pub struct StdoutToStderr {
    saved: std::os::fd::OwnedFd,
}

impl StdoutToStderr {
    pub fn begin() -> Result<StdoutToStderr> {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let saved = rustix::io::dup(std::io::stdout()).context("duplicate standard output")?;
        nix::unistd::dup2(2, 1).context("point standard output at standard error")?;
        Ok(StdoutToStderr { saved })
    }

    /// Restore standard output; returns it as a file.
    pub fn end(self) -> std::fs::File {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let _ = std::io::stdout().flush();
        let _ = nix::unistd::dup2(self.saved.as_raw_fd(), 1);
        std::fs::File::from(self.saved)
    }
}

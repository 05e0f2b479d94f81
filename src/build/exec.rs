//! The build executor: runs a [`BuildPlan`] stage by stage. Each
//! filesystem-changing step gets a step container on the stage's layers
//! (RUN: started through the monitor like `rctl run`; COPY/ADD/WORKDIR:
//! only its overlay mounted, files written confined to it), and the
//! container's upper directory becomes the step's layer
//! (`container::changes`). Steps are looked up in the cache index first.
//! The image is assembled at the end from the base's layers, the steps'
//! layers, the config ([`StageConfig`]) and one history entry per step.

use std::collections::BTreeMap;
use std::io::Seek;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use super::cache_mount;
use super::layer_cache::{self, Entry};
use super::sources::{self, Attrs, Dest, Found, SourceRoot};
use super::{
    Base, BuildPlan, CopyFrom, CopySpec, Instruction, Located, MountKind, Network as RunNetwork,
    PlannedStage, Resolved, Scope, Source, StageConfig, cache_key,
};
use crate::app::App;
use crate::container::lifecycle::{self, Attach, Started};
use crate::container::store::Store as Containers;
use crate::container::{Container, copy};
use crate::error::Exit;
use crate::image::resolve::PullPolicy;
use crate::runtime::{ContainerConfig, ImageConfig, Network, RootfsSource};
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
struct Stage {
    /// Layers, lowest first, with their blob descriptors.
    layers: Vec<(Digest, Value)>,
    config: StageConfig,
    /// The base image's config document (architecture, os, history...).
    doc: Value,
    history: Vec<Value>,
    env: Vec<(String, String)>,
    /// The cache chain: the key of the last step (or the base's identity).
    chain: String,
    /// How many of `layers` and `history` the stage's base had.
    base_layers: usize,
    base_history: usize,
}

struct Builder<'a> {
    app: &'a App,
    store: Store,
    containers: Containers,
    cache: layer_cache::Index,
    opts: &'a Options,
    context: Option<SourceRoot>,
    step: usize,
    steps: usize,
    empty_dir: PathBuf,
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

/// The image config object's fields, as a [`StageConfig`].
fn stage_config(doc: &Value) -> StageConfig {
    let c = &doc["config"];
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
    };
    let keys = |v: &Value| -> std::collections::BTreeSet<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut cfg = StageConfig {
        env: strings(&c["Env"])
            .unwrap_or_default()
            .into_iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (e, String::new()),
            })
            .collect(),
        cmd: strings(&c["Cmd"]),
        entrypoint: strings(&c["Entrypoint"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
        user: c["User"].as_str().unwrap_or("").to_string(),
        exposed_ports: keys(&c["ExposedPorts"]),
        volumes: keys(&c["Volumes"]),
        labels: c["Labels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        stop_signal: c["StopSignal"].as_str().map(String::from),
        on_build: strings(&c["OnBuild"]).unwrap_or_default(),
        ..StageConfig::default()
    };
    if let Some(shell) = strings(&c["Shell"]).filter(|s| !s.is_empty()) {
        cfg.shell = shell;
    }
    if let Some(h) = c["Healthcheck"].as_object() {
        let d = |k: &str| {
            std::time::Duration::from_nanos(h.get(k).and_then(Value::as_u64).unwrap_or(0))
        };
        cfg.healthcheck = Some(super::HealthConfig {
            test: strings(&h.get("Test").cloned().unwrap_or_default()).unwrap_or_default(),
            interval: d("Interval"),
            timeout: d("Timeout"),
            start_period: d("StartPeriod"),
            start_interval: d("StartInterval"),
            retries: h.get("Retries").and_then(Value::as_u64).unwrap_or(0) as u32,
        });
    }
    cfg
}

/// The image config object for `cfg` (the fields a Containerfile sets,
/// over what `base` had).
fn config_object(base: &Value, cfg: &StageConfig) -> Map<String, Value> {
    let mut m = base.as_object().cloned().unwrap_or_default();
    let mut set = |k: &str, v: Option<Value>| match v {
        Some(v) => {
            m.insert(k.into(), v);
        }
        None => {
            m.remove(k);
        }
    };
    let env: Vec<String> = cfg.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    set("Env", (!env.is_empty()).then(|| json!(env)));
    set("Cmd", cfg.cmd.as_ref().map(|c| json!(c)));
    set("Entrypoint", cfg.entrypoint.as_ref().map(|c| json!(c)));
    set(
        "WorkingDir",
        (!cfg.working_dir.is_empty()).then(|| json!(cfg.working_dir)),
    );
    set("User", (!cfg.user.is_empty()).then(|| json!(cfg.user)));
    let obj = |s: &std::collections::BTreeSet<String>| {
        (!s.is_empty()).then(|| Value::Object(s.iter().map(|k| (k.clone(), json!({}))).collect()))
    };
    set("ExposedPorts", obj(&cfg.exposed_ports));
    set("Volumes", obj(&cfg.volumes));
    set(
        "Labels",
        (!cfg.labels.is_empty()).then(|| json!(cfg.labels)),
    );
    set("StopSignal", cfg.stop_signal.as_ref().map(|s| json!(s)));
    set(
        "Shell",
        (cfg.shell != super::default_shell()).then(|| json!(cfg.shell)),
    );
    set(
        "OnBuild",
        (!cfg.on_build.is_empty()).then(|| json!(cfg.on_build)),
    );
    set(
        "Healthcheck",
        cfg.healthcheck.as_ref().map(|h| {
            let mut o = json!({"Test": h.test});
            let ns = |d: std::time::Duration| json!(d.as_nanos() as u64);
            if !h.interval.is_zero() {
                o["Interval"] = ns(h.interval);
            }
            if !h.timeout.is_zero() {
                o["Timeout"] = ns(h.timeout);
            }
            if !h.start_period.is_zero() {
                o["StartPeriod"] = ns(h.start_period);
            }
            if !h.start_interval.is_zero() {
                o["StartInterval"] = ns(h.start_interval);
            }
            if h.retries != 0 {
                o["Retries"] = json!(h.retries);
            }
            o
        }),
    );
    m
}

impl Builder<'_> {
    fn say(&self, line: &str) {
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

    fn image_stage(&mut self, name: &str, pull: PullPolicy) -> Result<Stage> {
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
    fn owner_of_user(&mut self, cur: &Stage, spec: &str) -> Result<(u32, u32)> {
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

    fn lower_dirs(&self, layers: &[(Digest, Value)]) -> Result<Vec<PathBuf>> {
        if layers.is_empty() {
            return Ok(vec![self.empty_dir.clone()]);
        }
        // The container's `lower` lists the topmost layer last.
        layers
            .iter()
            .map(|(d, _)| {
                self.store
                    .layer_link(d.as_str())?
                    .with_context(|| format!("layer {d} is not in the store"))
            })
            .collect()
    }

    fn step_container(
        &self,
        layers: &[(Digest, Value)],
        image: ImageConfig,
        command: Vec<String>,
        net: (Network, Option<crate::network::NetworkPlan>),
    ) -> Result<Container> {
        let lower = self.lower_dirs(layers)?;
        let rootfs = RootfsSource::Layers { lower };
        let storage_driver = crate::container::request::storage_driver(self.app, &rootfs)?;
        let cfg = ContainerConfig {
            rootfs,
            image_name: "rctl-build".into(),
            image,
            net: net.1,
            storage_driver,
            image_id: None,
            // Containers that are only mounted never run; the record still needs a command.
            command: if command.is_empty() {
                vec!["/bin/true".into()]
            } else {
                command
            },
            entrypoint: Some(Vec::new()),
            env: Vec::new(),
            workdir: None,
            user: None,
            hostname: None,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            privileged: false,
            no_new_privileges: false,
            seccomp: true,
            init: false,
            tty: false,
            interactive: false,
            network: net.0,
            read_only: false,
            remove: false,
            stop_signal: None,
            stop_timeout: 10,
            ulimits: Vec::new(),
            runtime: None,
        };
        lifecycle::create(&self.containers, None, cfg)
    }

    /// Mount a step container on the stage's layers, let `f` write into
    /// its root, and store the changes as a layer (`None`: no change).
    fn in_root(
        &mut self,
        cur: &Stage,
        parents: Option<(u32, u32)>,
        f: impl FnOnce(&Dest<'_>) -> Result<()>,
    ) -> Result<Option<Digest>> {
        let c = self.step_container(
            &cur.layers,
            ImageConfig::default(),
            Vec::new(),
            (Network::None, None),
        )?;
        let result = (|| {
            let root = copy::open_root(&self.containers, &c)?;
            let dir_fd = crate::runtime::confined::open(
                &root.fd,
                Path::new("/"),
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
                false,
            )?;
            f(&Dest {
                root: std::os::fd::AsFd::as_fd(&dir_fd),
                parents,
            })?;
            drop(dir_fd);
            drop(root);
            self.layer_of(&c, &cur.layers)
        })();
        let _ = lifecycle::remove(&self.containers, &c, true);
        result
    }

    fn run(
        &mut self,
        cur: &Stage,
        resolved: &Resolved,
        run: &super::Run,
        binds: &[Vec<Found>],
    ) -> Result<Option<Digest>> {
        for m in &run.mounts {
            if !matches!(
                m.kind,
                MountKind::Cache | MountKind::Tmpfs | MountKind::Bind
            ) {
                bail!(
                    "RUN --mount=type={} is not supported yet (cache, bind and tmpfs are)\nhint: copy the files in with COPY, or drop the --mount option",
                    format!("{:?}", m.kind).to_lowercase()
                );
            }
            if m.from.is_some() {
                bail!(
                    "RUN --mount=...,from=STAGE is not supported yet\nhint: COPY --from=STAGE the files you need instead"
                );
            }
        }
        // `RUN <<EOF` whose body starts with `#!` runs as a file, as in
        // BuildKit: it is put in the upper dir for the run and removed.
        let script_name = format!(".rctl-run-script-{}", std::process::id());
        let script = run
            .script()
            .filter(|doc| doc.content.starts_with("#!"))
            .map(|doc| doc.content.clone());
        let argv = match &script {
            Some(_) => vec![format!("/{script_name}")],
            None => match run.shell_text() {
                Some(text) => {
                    let mut a = cur.config.shell.clone();
                    a.push(text);
                    a
                }
                None => cur.config.argv(&run.command),
            },
        };
        let request = crate::network::NetworkRequest {
            network: match run.network {
                Some(RunNetwork::None) => Some("none".into()),
                Some(RunNetwork::Host) => Some("host".into()),
                _ => None,
            },
            ..Default::default()
        };
        let plan = crate::network::NetworkPlan::build(
            &request,
            &crate::network::HostFacts::read(&self.app.helpers),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let network = if plan.mode == crate::network::NetworkMode::Host {
            Network::Host
        } else {
            Network::None
        };
        let image = ImageConfig {
            env: resolved
                .run_env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
            cmd: Vec::new(),
            entrypoint: Vec::new(),
            workdir: cur.config.working_dir.clone(),
            user: cur.config.user.clone(),
            stop_signal: None,
        };
        let c = self.step_container(&cur.layers, image, argv, (network, Some(plan)))?;
        let upper = self.containers.dir_of(&c.id).join("upper");
        let script_path = upper.join(&script_name);
        let mut caches = Vec::new();
        let result = (|| {
            if let Some(text) = &script {
                fs_err::write(&script_path, text)?;
                fs_err::set_permissions(
                    &script_path,
                    std::os::unix::fs::PermissionsExt::from_mode(0o755),
                )?;
            }
            for m in &run.mounts {
                let target = m
                    .target
                    .as_deref()
                    .context("RUN --mount=type=cache needs target=")?;
                let target = if target.starts_with('/') {
                    target.to_string()
                } else {
                    format!("{}/{target}", cur.config.working_dir)
                };
                let lent = match m.kind {
                    MountKind::Cache => {
                        let id = m.id.clone().unwrap_or_else(|| target.clone());
                        cache_mount::lend(
                            &self.app.dirs.root,
                            &id,
                            &upper,
                            &target,
                            m.mode,
                            m.uid,
                            m.gid,
                        )?
                    }
                    _ => {
                        let scratch = self
                            .containers
                            .dir_of(&c.id)
                            .join(format!("mount-{}", caches.len()));
                        let found = binds.get(caches.len()).map(Vec::as_slice).unwrap_or(&[]);
                        match found {
                            [f] if !f.is_dir => {
                                fs_err::copy(f.path(Path::new("")), &scratch)?;
                            }
                            [f] => sources::copy_tree(f, &scratch)?,
                            _ => fs_err::create_dir(&scratch)?,
                        }
                        cache_mount::place(
                            scratch,
                            &upper,
                            &cache_mount::target_rel(&target)?,
                            true,
                        )?
                    }
                };
                caches.push(lent);
            }
            match lifecycle::start(self.app, &self.containers, &c, Attach::ALL)? {
                Started::Exited { code: 0 } => {}
                Started::Exited { code } => {
                    return Err(Exit::WithMessage {
                        code,
                        message: format!(
                            "step {}/{} `{}` failed: the command exited with status {code}",
                            self.step, self.steps, resolved.history
                        ),
                    }
                    .into());
                }
                Started::Running { .. } => bail!("the RUN container did not wait for its command"),
            }
            if script.is_some() {
                fs_err::remove_file(&script_path)?;
            }
            // The cache directories go back before the upper dir becomes a layer.
            for lent in caches.drain(..).rev() {
                lent.give_back()?;
            }
            self.layer_of(&c, &cur.layers)
        })();
        for lent in caches.into_iter().rev() {
            let _ = lent.give_back();
        }
        let _ = lifecycle::remove(&self.containers, &c, true);
        result
    }

    /// The step container's upper directory as a stored layer, after
    /// removing the mount points the runtime created that the image did
    /// not have.
    fn layer_of(&mut self, c: &Container, layers: &[(Digest, Value)]) -> Result<Option<Digest>> {
        let dir = self.containers.dir_of(&c.id);
        let upper = dir.join("upper");
        let lower: Vec<PathBuf> = layers
            .iter()
            .map(|(d, _)| self.store.root().join("layers").join(d.hex()).join("diff"))
            .collect();
        remove_mount_points(&upper, &lower);
        if fs_err::read_dir(&upper)
            .map(|mut d| d.next().is_none())
            .unwrap_or(true)
        {
            return Ok(None);
        }
        let scratch = dir.join("layer.tar");
        let mut tar = fs_err::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&scratch)?;
        crate::container::changes::write_layer(&upper, std::io::BufWriter::new(tar.file_mut()))
            .context("write the step's changes")?;
        tar.rewind()?;
        let (diff_id, _) = crate::image::import::add_layer(
            &mut self.store,
            std::io::BufReader::new(tar),
            "built",
        )?;
        let _ = std::fs::remove_file(&scratch);
        Ok(Some(diff_id))
    }

    /// Replace the layers the stage added by one: each added layer's tar
    /// is extracted, in order, into one directory (later whiteouts remove
    /// earlier files), which becomes the single new layer. The history
    /// keeps its entries; all but the last that made a layer are marked
    /// `empty_layer`.
    fn squash(&mut self, target: &mut Stage) -> Result<()> {
        let dir = self
            .app
            .dirs
            .root
            .join("build-cache")
            .join(format!("squash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        crate::ondisk::create_private_dir(&dir)?;
        let tree = dir.join("tree");
        fs_err::create_dir(&tree)?;
        let result = (|| {
            for (d, _) in &target.layers[target.base_layers..] {
                let (blob, _) = self
                    .store
                    .layer_blob(d.as_str())?
                    .with_context(|| format!("layer {d} has no blob to squash"))?;
                let input = std::io::BufReader::new(fs_err::File::open(&blob)?);
                let input = crate::store::layer::decompressed(input)?;
                crate::store::layer::extract(input, &tree)
                    .map_err(|e| anyhow::anyhow!("squash layer {d}: {e}"))?;
            }
            let scratch = dir.join("layer.tar");
            let mut tar = fs_err::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&scratch)?;
            crate::container::changes::write_layer(&tree, std::io::BufWriter::new(tar.file_mut()))
                .context("write the squashed layer")?;
            tar.rewind()?;
            crate::image::import::add_layer(
                &mut self.store,
                std::io::BufReader::new(tar),
                "squashed",
            )
        })();
        let _ = std::fs::remove_dir_all(&dir);
        let (diff_id, blob) = result?;
        target.layers.truncate(target.base_layers);
        target.layers.push((
            diff_id,
            json!({"mediaType": blob.media_type, "digest": blob.digest, "size": blob.size}),
        ));
        let new = &mut target.history[target.base_history..];
        let last = new.iter().rposition(|h| h.get("empty_layer").is_none());
        for (i, h) in new.iter_mut().enumerate() {
            if Some(i) != last {
                h["empty_layer"] = json!(true);
            }
        }
        Ok(())
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
        match self.store.commit_image(&new)? {
            Ok(id) => Ok(id),
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

/// A scratch directory removed when dropped (downloads of ADD URL).
struct RemoveDir(PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn is_url_text(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn is_url(s: &Source) -> bool {
    matches!(s, Source::Path(p) if is_url_text(p))
}

fn file_sha(path: &Path) -> Result<String> {
    use sha2::{Digest as _, Sha256};
    let mut h = Sha256::new();
    let mut f = fs_err::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

/// Fetch `url` into `dir`, checking `--checksum` when given.
fn download(url: &str, checksum: Option<&str>, dir: &Path) -> Result<PathBuf> {
    let name = url
        .split(['?', '#'])
        .next()
        .and_then(|u| u.rsplit('/').next())
        .filter(|n| !n.is_empty())
        .unwrap_or("download");
    let path = dir.join(name);
    let resp = ureq::get(url)
        .call()
        .with_context(|| format!("ADD: download `{url}`"))?;
    let mut out = fs_err::File::create(&path)?;
    std::io::copy(&mut resp.into_reader(), &mut out)
        .with_context(|| format!("ADD: download `{url}`"))?;
    drop(out);
    if let Some(want) = checksum {
        let got = file_sha(&path)?;
        if got != want {
            bail!("ADD: `{url}` has checksum {got}, not {want} as --checksum says");
        }
    }
    Ok(path)
}

/// Docker's COPY destination rules, applied to the found sources.
#[allow(clippy::too_many_arguments)]
fn copy_into(
    d: &Dest<'_>,
    spec: &CopySpec,
    workdir: &str,
    found: &[Found],
    heredocs: &[(String, String)],
    urls: &[(String, PathBuf)],
    is_add: bool,
    attrs: Attrs,
) -> Result<()> {
    let dest_text = if spec.dest.starts_with('/') {
        spec.dest.clone()
    } else {
        format!(
            "{}/{}",
            if workdir.is_empty() { "/" } else { workdir },
            spec.dest
        )
    };
    let dest = PathBuf::from(&dest_text);
    let count = found.len() + heredocs.len() + urls.len();
    let into_dir = dest_text.ends_with('/') || spec.dest == "." || count > 1 || d.is_dir(&dest);
    if count > 1 && !(dest_text.ends_with('/') || d.is_dir(&dest)) {
        bail!(
            "{}: with several sources the destination `{}` must be a directory and end with `/`",
            if is_add { "ADD" } else { "COPY" },
            spec.dest
        );
    }
    let target = |name: &str| {
        if into_dir {
            dest.join(name)
        } else {
            dest.clone()
        }
    };
    for f in found {
        let name = Path::new(&f.rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if f.is_dir {
            d.copy(f, &dest, attrs)?;
        } else if is_add && sources::is_archive(&f.path(Path::new(""))) {
            let input = std::io::BufReader::new(fs_err::File::open(f.path(Path::new("")))?);
            d.extract(input, &dest, attrs.owner)?;
        } else {
            d.copy(f, &target(&name), attrs)?;
        }
    }
    for (name, content) in heredocs {
        let mode = attrs.mode.unwrap_or(0o644);
        d.file(
            &target(name),
            &mut content.as_bytes(),
            mode,
            attrs.owner.unwrap_or((0, 0)),
        )?;
    }
    for (_, path) in urls {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut f = fs_err::File::open(path)?;
        d.file(
            &target(&name),
            &mut f,
            attrs.mode.unwrap_or(0o600),
            attrs.owner.unwrap_or((0, 0)),
        )?;
    }
    Ok(())
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
fn remove_mount_points(upper: &Path, lower: &[PathBuf]) {
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

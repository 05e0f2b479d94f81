//! Step containers: a container record on a stage's layers that is
//! started like `rctl run` (RUN) or only mounted (COPY, ADD, WORKDIR),
//! whose upper directory becomes the step's layer; and `--squash`.

use std::io::Seek;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::cache_mount;
use super::exec::{Builder, Stage, remove_mount_points};
use super::sources::{self, Dest, Found};
use super::{MountKind, Network as RunNetwork, Resolved};
use crate::container::lifecycle::{self, Attach, Started};
use crate::container::{Container, copy};
use crate::error::Exit;
use crate::runtime::{ContainerConfig, ImageConfig, Network, RootfsSource};
use crate::store::Digest;

/// The image name of step containers' records.
pub const STEP_IMAGE_NAME: &str = "rctl-build";

/// The file in a step container's directory naming the build that owns it.
pub const BUILD_OWNER: &str = "build-owner";

/// Write this process's pid and start time as the owner of a step container.
fn mark_build_owner(dir: &Path) -> Result<()> {
    let pid = std::process::id() as i32;
    let start = crate::userns::process_start_time(pid).context("read this process's start time")?;
    crate::ondisk::write_atomic(
        &dir.join(BUILD_OWNER),
        format!("{pid} {start}\n").as_bytes(),
    )
}

/// The owner a step container's directory names (pid, start time); `None`
/// when the file is missing or damaged.
pub fn build_owner(dir: &Path) -> Option<(i32, u64)> {
    let text = std::fs::read_to_string(dir.join(BUILD_OWNER)).ok()?;
    let (pid, start) = text.trim().split_once(' ')?;
    Some((pid.parse().ok()?, start.parse().ok()?))
}

impl Builder<'_> {
    pub(super) fn lower_dirs(&self, layers: &[(Digest, Value)]) -> Result<Vec<PathBuf>> {
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

    pub(super) fn step_container(
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
            image_name: STEP_IMAGE_NAME.into(),
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
            // A step is not a service: no cgroup of its own, no
            // notifications to a unit `rctl build` may run under.
            cgroup: None,
            sdnotify: crate::units::SdNotify::Ignore,
            mounts: Default::default(),
            log: Default::default(),
            restart: Default::default(),
            health: None,
            health_on_failure: Default::default(),
        };
        let c = lifecycle::create(&self.containers, None, cfg)?;
        // Until the step is done the record names this build as its owner;
        // `system check` removes step containers whose build died.
        if let Err(e) = mark_build_owner(&self.containers.dir_of(&c.id)) {
            let _ = lifecycle::remove(&self.containers, &c, true);
            return Err(e);
        }
        Ok(c)
    }

    /// Mount a step container on the stage's layers, let `f` write into
    /// its root, and store the changes as a layer (`None`: no change).
    pub(super) fn in_root(
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

    pub(super) fn run(
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
            ..Default::default()
        };
        let c = self.step_container(&cur.layers, image, argv, (network, Some(plan)))?;
        crate::crashpoint::crashpoint("build.step-created");
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
            crate::crashpoint::crashpoint("build.step-ran");
            if script.is_some() {
                fs_err::remove_file(&script_path)?;
            }
            // The cache directories go back before the upper dir becomes a layer.
            for lent in caches.drain(..).rev() {
                lent.give_back()?;
            }
            let layer = self.layer_of(&c, &cur.layers)?;
            crate::crashpoint::crashpoint("build.layer-committed");
            Ok(layer)
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
    pub(super) fn layer_of(
        &mut self,
        c: &Container,
        layers: &[(Digest, Value)],
    ) -> Result<Option<Digest>> {
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
    pub(super) fn squash(&mut self, target: &mut Stage) -> Result<()> {
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
}

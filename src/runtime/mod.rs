//! The container runtime: a pure plan (an OCI runtime spec built from a
//! container's configuration) and the thin code that executes it in a
//! forked child (namespaces, root filesystem, mounts, credentials,
//! capabilities, seccomp, exec).
//!
//! The root filesystem comes from a [`RootfsSource`]: a plain directory
//! (`--rootfs DIR`) or image layers stacked with kernel overlayfs. The image
//! store only has to produce a `RootfsSource::Layers` and an [`ImageConfig`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub mod confined;
pub mod copyup;
pub mod exec;
pub mod exec_io;
pub mod init;
pub mod mounts;
pub mod oci;
pub mod rlimit;
pub mod seccomp;
mod seccomp_table;
pub mod security;
pub mod spec;
pub mod user;

/// Where a container's root filesystem comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RootfsSource {
    /// A directory used as it is (bind-mounted; writes go to it).
    Dir(PathBuf),
    /// Read-only layer directories, lowest first, stacked with overlayfs
    /// over a per-container upper directory.
    Layers { lower: Vec<PathBuf> },
}

/// The parts of an OCI image configuration the runtime uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    /// `KEY=VALUE` entries.
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    /// Empty means `/`.
    pub workdir: String,
    /// Empty means root.
    pub user: String,
    pub stop_signal: Option<String>,
    /// The image's `VOLUME` paths.
    #[serde(default)]
    pub volumes: Vec<String>,
    // --- logs, healthchecks, restart ---
    /// The image's HEALTHCHECK.
    #[serde(default)]
    pub healthcheck: Option<crate::container::policy::HealthConfig>,
    /// The image's labels (for json-file's `labels=` option).
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
}

/// The network a container gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// A new network namespace with only loopback, up.
    None,
    /// The host's network namespace.
    Host,
}

/// Everything the user asked for a container, resolved and validated;
/// stored with the container and turned into an OCI spec by
/// [`spec::build`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerConfig {
    pub rootfs: RootfsSource,
    pub image: ImageConfig,
    /// The image reference shown by `ps` (or the rootfs directory).
    pub image_name: String,
    /// How the container's network namespace is connected (pasta,
    /// slirp4netns, none, host) with its published ports and DNS.
    #[serde(default)]
    pub net: Option<crate::network::NetworkPlan>,
    /// How image layers are stacked: kernel overlay, or fuse-overlayfs
    /// when the kernel refuses overlay in the user namespace.
    #[serde(default)]
    pub storage_driver: crate::config::StorageDriver,
    /// The stored image's ID when the root filesystem is an image's layers.
    #[serde(default)]
    pub image_id: Option<String>,
    /// CMD given on the command line (replaces the image's CMD).
    pub command: Vec<String>,
    /// `--entrypoint`: `Some(vec![])` clears the image's entrypoint.
    pub entrypoint: Option<Vec<String>>,
    /// `-e` and `--env-file` entries, in order, already `KEY=VALUE`.
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub no_new_privileges: bool,
    pub seccomp: bool,
    pub init: bool,
    pub tty: bool,
    pub interactive: bool,
    pub network: Network,
    pub read_only: bool,
    pub remove: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: u32,
    /// `--ulimit NAME=SOFT[:HARD]` entries, checked at create time.
    #[serde(default)]
    pub ulimits: Vec<String>,
    /// `--runtime`: an external OCI runtime's resolved path; `None` is
    /// rctl's own.
    #[serde(default)]
    pub runtime: Option<PathBuf>,
    // --- cgroups ---
    /// The cgroup manager and the limits; `None` in records from before.
    #[serde(default)]
    pub cgroup: Option<crate::cgroup::CgroupPlan>,
    /// `--sdnotify`: who tells a `Type=notify` unit that the container is up.
    #[serde(default)]
    pub sdnotify: crate::units::SdNotify,
    // --- volumes ---
    /// `-v`, `--mount`, `--tmpfs`, `--volumes-from`, the image's volumes,
    /// `--read-only-tmpfs`, `--shm-size`, resolved at create time.
    #[serde(default)]
    pub mounts: crate::volume::plan::MountPlan,
    // --- logs, healthchecks, restart ---
    /// `--log-driver`, `--log-opt`.
    #[serde(default)]
    pub log: crate::container::logconfig::LogConfig,
    /// `--restart`.
    #[serde(default)]
    pub restart: crate::container::policy::RestartPolicy,
    /// The healthcheck run by the monitor (image's or `--health-*`).
    #[serde(default)]
    pub health: Option<crate::container::policy::HealthConfig>,
    #[serde(default)]
    pub health_on_failure: crate::container::policy::HealthOnFailure,
}

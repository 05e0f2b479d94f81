//! `rctl.toml`: the user's configuration file, and the paths it resolves to.
//!
//! Loading reads one file; resolving paths is pure. Unknown keys are errors
//! so that a typo never silently falls back to a default.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::env::Env;

/// Storage drivers rctl knows.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum StorageDriver {
    /// Kernel overlayfs mounted inside the user namespace.
    #[default]
    Overlay,
    /// fuse-overlayfs, for kernels or filesystems that refuse kernel overlay.
    FuseOverlayfs,
    /// Plain copies: slow, always works.
    Vfs,
}

impl StorageDriver {
    pub fn name(self) -> &'static str {
        match self {
            StorageDriver::Overlay => "overlay",
            StorageDriver::FuseOverlayfs => "fuse-overlayfs",
            StorageDriver::Vfs => "vfs",
        }
    }
}

/// Cgroup managers rctl knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupManager {
    Systemd,
    Cgroupfs,
    None,
}

impl CgroupManager {
    pub fn name(self) -> &'static str {
        match self {
            CgroupManager::Systemd => "systemd",
            CgroupManager::Cgroupfs => "cgroupfs",
            CgroupManager::None => "none",
        }
    }
}

/// The `[storage]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Where images, layers and containers live.
    pub root: Option<PathBuf>,
    /// Where state that dies with a reboot lives.
    pub runroot: Option<PathBuf>,
    /// The storage driver; probed when unset.
    pub driver: Option<StorageDriver>,
    // --- system: disk budget ---
    /// Disk budget of this store (`10G`); least recently used unused images
    /// and the build cache are pruned past it (see `budget.rs`).
    pub max_size: Option<String>,
    /// --- reliability ---
    /// The most bytes one layer may unpack to (`"64G"`, `"512M"` or a
    /// number of bytes): a bound on zip-bomb layers. Default 64 GiB.
    #[serde(default, deserialize_with = "de_size")]
    pub max_layer_size: Option<u64>,
}

/// The default of `storage.max_layer_size`.
pub const DEFAULT_MAX_LAYER_SIZE: u64 = 64 << 30;

impl StorageConfig {
    /// `max_layer_size` or its default.
    pub fn max_layer_size(&self) -> u64 {
        self.max_layer_size.unwrap_or(DEFAULT_MAX_LAYER_SIZE)
    }
}

/// A size: bytes, or a number with a K, M, G or T suffix (powers of 1024,
/// optionally followed by `B` or `iB`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 512M or 64G"))?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{text}`: unknown unit (use K, M, G or T)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

fn de_size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bytes(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Bytes(n) => Ok(Some(n)),
        Raw::Text(t) => parse_size(&t).map(Some).map_err(serde::de::Error::custom),
    }
}

/// The `[engine]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// The cgroup manager; detected when unset.
    pub cgroup_manager: Option<CgroupManager>,
    /// Extra directories searched for helper programs before `$PATH`.
    #[serde(default)]
    pub helper_dirs: Vec<PathBuf>,
}

/// The `[registries]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistriesConfig {
    /// Registries tried for a short name (`debian`), in order; more than
    /// one makes a short name ambiguous unless an alias settles it.
    #[serde(default)]
    pub unqualified_search: Vec<String>,
    /// Registries (`host[:port]`) reached over plain HTTP.
    #[serde(default)]
    pub insecure: Vec<String>,
    /// Short name → full reference (`debian = "docker.io/library/debian"`).
    #[serde(default)]
    pub aliases: std::collections::BTreeMap<String, String>,
}

/// The `[containers]` table: defaults for new containers.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainersConfig {
    /// The log driver when `--log-driver` is not given (k8s-file if unset).
    pub log_driver: Option<crate::container::logconfig::LogDriver>,
}

/// The whole file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub storage: StorageConfig,
    #[serde(default)]
    pub engine: EngineConfig,
    #[serde(default)]
    pub registries: RegistriesConfig,
    #[serde(default)]
    pub containers: ContainersConfig,
}

impl Config {
    /// Parse the text of a config file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Config> {
        toml::from_str(text).with_context(|| format!("parse config file `{}`", origin.display()))
    }

    /// Load the config file, or the defaults when it does not exist.
    pub fn load(path: &Path) -> Result<Config> {
        match fs_err::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(e).context("read config file"),
        }
    }
}

/// The default location of the config file.
pub fn config_path(env: &Env) -> PathBuf {
    env.config_file
        .clone()
        .unwrap_or_else(|| env.config_home.join("rctl/rctl.toml"))
}

/// Where the runtime state goes when `XDG_RUNTIME_DIR` is unset.
pub fn fallback_runtime_dir(uid: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/rctl-run-{uid}"))
}

/// The directories one invocation works in, resolved from the environment,
/// the config file and the global flags. Resolving creates nothing.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config_file: PathBuf,
    /// Storage root (images, layers, containers).
    pub root: PathBuf,
    /// Runtime root (pause process, locks, mounts).
    pub runroot: PathBuf,
    /// True when `XDG_RUNTIME_DIR` was missing and the fallback is in use.
    pub runtime_fallback: bool,
}

impl Dirs {
    pub fn resolve(
        env: &Env,
        config: &Config,
        root_flag: Option<&Path>,
        runroot_flag: Option<&Path>,
    ) -> Dirs {
        let root = root_flag
            .map(Path::to_path_buf)
            .or_else(|| config.storage.root.clone())
            .unwrap_or_else(|| env.data_home.join("rctl"));
        let (runroot, runtime_fallback) = match runroot_flag
            .map(Path::to_path_buf)
            .or_else(|| config.storage.runroot.clone())
        {
            Some(p) => (p, false),
            None => match &env.runtime_dir {
                Some(dir) => (dir.join("rctl"), false),
                None => (fallback_runtime_dir(env.uid), true),
            },
        };
        Dirs {
            config_file: config_path(env),
            root,
            runroot,
            runtime_fallback,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("64G"), Ok(64 << 30));
        assert_eq!(parse_size("3MiB"), Ok(3 << 20));
        assert_eq!(parse_size("2mb"), Ok(2 << 20));
        assert!(parse_size("1X").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("99999999999T").is_err());
        let c: StorageConfig = toml::from_str("max_layer_size = \"1M\"").unwrap();
        assert_eq!(c.max_layer_size(), 1 << 20);
        let c: StorageConfig = toml::from_str("max_layer_size = 4096").unwrap();
        assert_eq!(c.max_layer_size(), 4096);
        assert_eq!(
            StorageConfig::default().max_layer_size(),
            DEFAULT_MAX_LAYER_SIZE
        );
        assert!(toml::from_str::<StorageConfig>("max_layer_size = \"lots\"").is_err());
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("", Path::new("x.toml")).unwrap();
        assert!(c.storage.root.is_none());
        assert!(c.engine.cgroup_manager.is_none());
    }

    #[test]
    fn keys_parse() {
        let c = Config::parse(
            "[storage]\nroot = \"/r\"\ndriver = \"fuse-overlayfs\"\n[engine]\ncgroup_manager = \"none\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.storage.root.as_deref(), Some(Path::new("/r")));
        assert_eq!(c.storage.driver, Some(StorageDriver::FuseOverlayfs));
        assert_eq!(c.engine.cgroup_manager, Some(CgroupManager::None));
    }

    #[test]
    fn containers_log_driver() {
        use crate::container::logconfig::LogDriver;
        let c = Config::parse(
            "[containers]
log_driver = \"json-file\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.containers.log_driver, Some(LogDriver::JsonFile));
        assert!(
            Config::parse("[containers]\nlog_driver = \"fax\"\n", Path::new("x.toml")).is_err()
        );
        assert!(
            Config::parse("[containers]\nlogdriver = \"none\"\n", Path::new("x.toml")).is_err()
        );
    }

    #[test]
    fn registries_parse() {
        let c = Config::parse(
            "[registries]\nunqualified_search = [\"docker.io\"]\ninsecure = [\"127.0.0.1:5000\"]\n[registries.aliases]\nbb = \"docker.io/library/busybox\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.registries.unqualified_search, ["docker.io"]);
        assert_eq!(c.registries.insecure, ["127.0.0.1:5000"]);
        assert_eq!(c.registries.aliases["bb"], "docker.io/library/busybox");
        assert!(Config::parse("[registries]\nsearch = []\n", Path::new("x.toml")).is_err());
    }

    #[test]
    fn unknown_key_is_an_error_naming_the_file() {
        let err =
            Config::parse("[storage]\nrot = \"/r\"\n", Path::new("/c/rctl.toml")).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("/c/rctl.toml"), "{text}");
        assert!(text.contains("rot"), "{text}");
    }
}

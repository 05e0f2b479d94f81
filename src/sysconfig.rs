//! The system-wide config file (`/etc/rctl/rctl.toml`, or
//! `RCTL_SYSTEM_CONFIG`), written by the host's admin: read-only shared
//! image stores every user reads layers from, and the per-user disk budget.
//!
//! ```toml
//! [storage]
//! image_stores = ["/srv/rctl-images"]
//! max_size = "10G"
//! ```
//! Unknown keys are errors, as in the user's file. A missing file means
//! no shared store and no budget.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemStorage {
    /// Read-only image stores (rctl store layouts) searched after the
    /// user's own store.
    #[serde(default)]
    pub image_stores: Vec<PathBuf>,
    /// Every user's disk budget (`10G`).
    pub max_size: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemConfig {
    #[serde(default)]
    pub storage: SystemStorage,
}

impl SystemConfig {
    pub fn parse(text: &str, origin: &Path) -> Result<SystemConfig> {
        let c: SystemConfig = toml::from_str(text)
            .with_context(|| format!("parse system config file `{}`", origin.display()))?;
        if let Some(p) = c.storage.image_stores.iter().find(|p| !p.is_absolute()) {
            anyhow::bail!(
                "system config file `{}`: image store `{}` is not an absolute path",
                origin.display(),
                p.display()
            );
        }
        Ok(c)
    }

    /// Load the file, or the defaults when it does not exist.
    pub fn load(path: &Path) -> Result<SystemConfig> {
        match fs_err::read_to_string(path) {
            Ok(text) => SystemConfig::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SystemConfig::default()),
            Err(e) => Err(e).context("read the system config file"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let c = SystemConfig::parse(
            "[storage]\nimage_stores = [\"/srv/img\"]\nmax_size = \"10G\"\n",
            Path::new("/etc/rctl/rctl.toml"),
        )
        .unwrap();
        assert_eq!(c.storage.image_stores, [PathBuf::from("/srv/img")]);
        assert_eq!(c.storage.max_size.as_deref(), Some("10G"));
        let e = SystemConfig::parse("[storage]\nimage_store = \"/x\"\n", Path::new("/e.toml"))
            .unwrap_err();
        assert!(format!("{e:#}").contains("/e.toml"), "{e:#}");
        assert!(
            SystemConfig::parse(
                "[storage]\nimage_stores = [\"rel\"]\n",
                Path::new("/e.toml")
            )
            .is_err()
        );
        assert!(SystemConfig::load(Path::new("/nonexistent/rctl.toml")).is_ok());
    }
}

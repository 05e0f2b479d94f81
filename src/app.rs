//! The resolved form of one invocation: environment, config, directories
//! and helper search path, built before any side effect.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::GlobalArgs;
use crate::config::{Config, Dirs, StorageDriver};
use crate::env::Env;
use crate::helper::HelperPath;
use crate::userns::{self, Session};

pub struct App {
    pub env: Env,
    pub config: Config,
    pub dirs: Dirs,
    pub helpers: HelperPath,
    pub global_driver: Option<StorageDriver>,
    pub global_cgroup_manager: Option<crate::config::CgroupManager>,
}

fn absolute(flag: &str, p: Option<&Path>) -> Result<()> {
    if let Some(p) = p {
        if !p.is_absolute() {
            bail!(
                "{flag} `{}` is not an absolute path\nhint: give the full path, e.g. {flag} \"$PWD/{}\"",
                p.display(),
                p.display()
            );
        }
    }
    Ok(())
}

impl App {
    /// Read the environment and the config file; create nothing.
    pub fn load(global: &GlobalArgs) -> Result<App> {
        absolute("--root", global.root.as_deref())?;
        absolute("--runroot", global.runroot.as_deref())?;
        let env = Env::from_process();
        let config = Config::load(&crate::config::config_path(&env))?;
        let dirs = Dirs::resolve(
            &env,
            &config,
            global.root.as_deref(),
            global.runroot.as_deref(),
        );
        crate::ownership::check(&dirs, env.uid)?;
        crate::events::set_root(&dirs.root);
        let helpers = HelperPath::new(&config.engine.helper_dirs, env.path.as_deref());
        Ok(App {
            env,
            config,
            dirs,
            helpers,
            global_driver: global.storage_driver,
            global_cgroup_manager: global.cgroup_manager,
        })
    }

    /// Join (or create) rctl's user and mount namespace.
    pub fn enter(&self) -> Result<Session> {
        if self.dirs.runtime_fallback {
            let marker = self.dirs.runroot.join("pause.pid");
            if !marker.exists() {
                log::warn!(
                    "XDG_RUNTIME_DIR is not set; using `{}`\nhint: log in through a proper session (e.g. `machinectl shell USER@` or ssh) instead of `su`, or export XDG_RUNTIME_DIR=/run/user/{}",
                    self.dirs.runroot.display(),
                    self.env.uid
                );
            }
        }
        userns::enter(&self.env, &self.dirs, &self.helpers)
    }

    /// The storage driver chosen by flag or config, if any.
    pub fn requested_driver(&self) -> Option<StorageDriver> {
        self.global_driver.or(self.config.storage.driver)
    }
}

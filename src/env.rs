//! The process environment, read once at start-up into one struct.
//!
//! Every environment variable rctl looks at is read here and nowhere else
//! (apart from the ones a user passes through by name: `-e NAME`,
//! `--build-arg NAME`); the README lists them. Nothing in this module touches the filesystem.

use std::ffi::OsString;
use std::path::PathBuf;

/// What rctl takes from its environment.
#[derive(Debug, Clone)]
pub struct Env {
    /// Real uid and gid of the caller.
    pub uid: u32,
    pub gid: u32,
    /// `$HOME` (falls back to the passwd entry's home, then `/`).
    pub home: PathBuf,
    /// `$XDG_CONFIG_HOME`, default `$HOME/.config`.
    pub config_home: PathBuf,
    /// `$XDG_DATA_HOME`, default `$HOME/.local/share`.
    pub data_home: PathBuf,
    /// `$XDG_RUNTIME_DIR` when set to an absolute path.
    pub runtime_dir: Option<PathBuf>,
    /// The caller's login name (from the passwd database, else `$USER`).
    pub user_name: Option<String>,
    /// `$SHELL`, the default command of `rctl unshare`.
    pub shell: Option<OsString>,
    /// `$PATH`, used to find helper programs.
    pub path: Option<OsString>,
    /// `RCTL_SUBUID_FILE` / `RCTL_SUBGID_FILE`: read these instead of
    /// `/etc/subuid` and `/etc/subgid` (for diagnosis and tests; newuidmap
    /// still enforces the real files).
    pub subuid_file: PathBuf,
    pub subgid_file: PathBuf,
    /// `RCTL_CONFIG`: an explicit config file instead of
    /// `$XDG_CONFIG_HOME/rctl/rctl.toml`.
    pub config_file: Option<PathBuf>,
    /// `RCTL_SYSTEM_CONFIG`: the system-wide config file instead of
    /// `/etc/rctl/rctl.toml` (the shared image store, the disk budget).
    pub system_config_file: PathBuf,
    /// `NO_COLOR` is set.
    pub no_color: bool,
    /// `DBUS_SESSION_BUS_ADDRESS`, the user's bus when set.
    pub session_bus: Option<String>,
    /// `REGISTRY_AUTH_FILE`: the registry credentials file to use instead
    /// of `$XDG_RUNTIME_DIR/containers/auth.json` (as Podman).
    pub registry_auth_file: Option<PathBuf>,
}

fn abs_var(name: &str) -> Option<PathBuf> {
    let value = std::env::var_os(name)?;
    let path = PathBuf::from(value);
    path.is_absolute().then_some(path)
}

/// `RCTL_CRASH_AT`: the crash point (see `crate::crashpoint`) at which this
/// process kills itself, for crash-injection tests. Read once, on first use,
/// and inherited by the monitor rctl starts.
pub fn crash_at() -> Option<&'static str> {
    static CRASH_AT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    CRASH_AT
        .get_or_init(|| {
            std::env::var("RCTL_CRASH_AT")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

/// `NOTIFY_SOCKET`: systemd's notification socket when rctl runs as (or
/// under) a `Type=notify` unit's main process; read once, on first use (the
/// monitor reads it without an `App`).
pub fn notify_socket() -> Option<&'static str> {
    static NOTIFY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    NOTIFY
        .get_or_init(|| {
            std::env::var("NOTIFY_SOCKET")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

/// Where the user bus is, as this process's environment says:
/// `DBUS_SESSION_BUS_ADDRESS` and `XDG_RUNTIME_DIR` (for the cgroup code,
/// which also runs in the monitor, without an `App`).
pub fn user_bus_vars() -> (Option<String>, Option<PathBuf>) {
    (
        std::env::var("DBUS_SESSION_BUS_ADDRESS").ok(),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
    )
}

impl Env {
    /// Read the environment of this process.
    pub fn from_process() -> Env {
        let uid = nix::unistd::getuid().as_raw();
        let gid = nix::unistd::getgid().as_raw();
        let passwd = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
            .ok()
            .flatten();
        let home = abs_var("HOME")
            .or_else(|| passwd.as_ref().map(|p| p.dir.clone()))
            .unwrap_or_else(|| PathBuf::from("/"));
        let config_home = abs_var("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"));
        let data_home = abs_var("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
        let user_name = passwd
            .map(|p| p.name)
            .or_else(|| std::env::var("USER").ok());
        Env {
            uid,
            gid,
            home,
            config_home,
            data_home,
            runtime_dir: abs_var("XDG_RUNTIME_DIR"),
            user_name,
            shell: std::env::var_os("SHELL").filter(|s| !s.is_empty()),
            path: std::env::var_os("PATH"),
            subuid_file: abs_var("RCTL_SUBUID_FILE").unwrap_or_else(|| "/etc/subuid".into()),
            subgid_file: abs_var("RCTL_SUBGID_FILE").unwrap_or_else(|| "/etc/subgid".into()),
            config_file: abs_var("RCTL_CONFIG"),
            system_config_file: abs_var("RCTL_SYSTEM_CONFIG")
                .unwrap_or_else(|| "/etc/rctl/rctl.toml".into()),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            session_bus: std::env::var("DBUS_SESSION_BUS_ADDRESS")
                .ok()
                .filter(|s| !s.is_empty()),
            registry_auth_file: abs_var("REGISTRY_AUTH_FILE"),
        }
    }
}

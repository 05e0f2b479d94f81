//! The plan: an OCI runtime spec built by a pure function from a
//! container's configuration, its resolved user and its generated files.
//! Tests check the spec as data; `init` executes it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use oci_spec::runtime::{
    Capability, LinuxBuilder, LinuxCapabilitiesBuilder, LinuxNamespaceBuilder, LinuxNamespaceType,
    Mount, MountBuilder, ProcessBuilder, RootBuilder, Spec, SpecBuilder, UserBuilder,
};

use super::{ContainerConfig, Network, seccomp, user::ResolvedUser};

/// Podman's default capability set.
pub const DEFAULT_CAPS: &[&str] = &[
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Podman's masked paths: made empty (files) or unreadable (directories).
pub const MASKED_PATHS: &[&str] = &[
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/proc/interrupts",
    "/sys/firmware",
    "/sys/fs/selinux",
    "/sys/dev/block",
];

/// Podman's read-only paths.
pub const READONLY_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Host devices bound into the container's `/dev`.
pub const DEVICES: &[&str] = &["null", "zero", "full", "tty", "random", "urandom"];

pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Files rctl generates per container and binds over the image's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFiles {
    pub hosts: PathBuf,
    /// `None` with `--dns none`.
    pub resolv_conf: Option<PathBuf>,
    pub hostname: PathBuf,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpecError {
    #[error("no command given and the image has neither ENTRYPOINT nor CMD")]
    NoCommand,
    #[error("unknown capability `{0}`")]
    UnknownCapability(String),
    #[error("working directory `{0}` is not an absolute path")]
    RelativeWorkdir(String),
    #[error(transparent)]
    Ulimit(#[from] super::rlimit::UlimitError),
    #[error("build the OCI spec: {0}")]
    Oci(String),
}

fn oci<E: std::fmt::Display>(e: E) -> SpecError {
    SpecError::Oci(e.to_string())
}

/// The process arguments with Docker's rules: `--entrypoint` replaces the
/// image's ENTRYPOINT and resets its CMD; a command line replaces CMD.
pub fn process_args(cfg: &ContainerConfig) -> Result<Vec<String>, SpecError> {
    let entrypoint = cfg
        .entrypoint
        .clone()
        .unwrap_or_else(|| cfg.image.entrypoint.clone());
    let cmd = if !cfg.command.is_empty() {
        cfg.command.clone()
    } else if cfg.entrypoint.is_some() {
        Vec::new()
    } else {
        cfg.image.cmd.clone()
    };
    let args: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
    if args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    Ok(args)
}

/// Set `entry` (`KEY=VALUE` or bare `KEY`) in `env`, replacing an earlier
/// value of the same key.
fn set_env(env: &mut Vec<String>, entry: &str) {
    let key = entry.split('=').next().unwrap_or(entry);
    env.retain(|e| e.split('=').next() != Some(key));
    env.push(entry.to_string());
}

/// The environment: defaults, then the image's, then the user's.
pub fn process_env(cfg: &ContainerConfig, hostname: &str, home: &str) -> Vec<String> {
    let mut env = vec![DEFAULT_PATH.to_string(), "container=rctl".to_string()];
    if cfg.tty {
        env.push("TERM=xterm".into());
    }
    for e in &cfg.image.env {
        set_env(&mut env, e);
    }
    set_env(&mut env, &format!("HOSTNAME={hostname}"));
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={home}"));
    }
    for e in &cfg.env {
        set_env(&mut env, e);
    }
    env
}

/// The capability set: Podman's default, `--cap-add`, `--cap-drop`
/// (`ALL` allowed in both), or every capability with `--privileged`.
pub fn capability_set(cfg: &ContainerConfig) -> Result<HashSet<Capability>, SpecError> {
    let parse = |name: &str| {
        let upper = name.to_ascii_uppercase();
        Capability::from_str(upper.trim_start_matches("CAP_"))
            .map_err(|_| SpecError::UnknownCapability(name.to_string()))
    };
    let all = || -> HashSet<Capability> {
        caps::all()
            .into_iter()
            .filter_map(|c| Capability::from_str(c.to_string().trim_start_matches("CAP_")).ok())
            .collect()
    };
    if cfg.privileged {
        return Ok(all());
    }
    let mut set: HashSet<Capability> = DEFAULT_CAPS
        .iter()
        .map(|c| parse(c))
        .collect::<Result<_, _>>()?;
    for c in &cfg.cap_drop {
        if c.eq_ignore_ascii_case("all") {
            set.clear();
        } else {
            set.remove(&parse(c)?);
        }
    }
    for c in &cfg.cap_add {
        if c.eq_ignore_ascii_case("all") {
            set.extend(all());
        } else {
            set.insert(parse(c)?);
        }
    }
    Ok(set)
}

fn mount(dest: &str, typ: &str, source: &str, options: &[&str]) -> Result<Mount, SpecError> {
    MountBuilder::default()
        .destination(dest)
        .typ(typ)
        .source(source)
        .options(options.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .build()
        .map_err(oci)
}

/// The mount list, in the order it is applied.
pub fn mounts(cfg: &ContainerConfig, files: &GeneratedFiles) -> Result<Vec<Mount>, SpecError> {
    let sys_opts: &[&str] = if cfg.privileged {
        &["nosuid", "noexec", "nodev"]
    } else {
        &["nosuid", "noexec", "nodev", "ro"]
    };
    let mut m = vec![
        mount("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"])?,
        mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            &["nosuid", "strictatime", "mode=755", "size=65536k"],
        )?,
        mount(
            "/dev/pts",
            "devpts",
            "devpts",
            &[
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5",
            ],
        )?,
        mount(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            &["nosuid", "noexec", "nodev"],
        )?,
        mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            &[
                "nosuid",
                "noexec",
                "nodev",
                "mode=1777",
                &format!(
                    "size={}",
                    cfg.mounts
                        .shm_size
                        .unwrap_or(crate::volume::plan::DEFAULT_SHM_SIZE)
                ),
            ],
        )?,
        mount("/sys", "sysfs", "sysfs", sys_opts)?,
    ];
    for d in DEVICES {
        let p = format!("/dev/{d}");
        m.push(mount(&p, "bind", &p, &["rbind", "nosuid", "noexec"])?);
    }
    for (dest, src) in [
        ("/etc/hosts", Some(&files.hosts)),
        ("/etc/resolv.conf", files.resolv_conf.as_ref()),
        ("/etc/hostname", Some(&files.hostname)),
    ] {
        // `--dns none`: the image's own resolv.conf stays.
        let Some(src) = src else { continue };
        m.push(mount(
            dest,
            "bind",
            &src.to_string_lossy(),
            &["bind", "nosuid", "nodev"],
        )?);
    }
    // -v, --mount, --tmpfs, volumes, --read-only's tmpfs: after the
    // defaults, so a user's mount may cover one of them.
    m.extend(crate::volume::plan::oci_mounts(&cfg.mounts, cfg.read_only));
    Ok(m)
}

/// The hostname: `--hostname` or the short id.
pub fn hostname(cfg: &ContainerConfig, id: &str) -> String {
    cfg.hostname
        .clone()
        .unwrap_or_else(|| id.chars().take(12).collect())
}

/// Build the OCI runtime spec of a container.
pub fn build(
    cfg: &ContainerConfig,
    id: &str,
    rootfs: &Path,
    user: &ResolvedUser,
    files: &GeneratedFiles,
) -> Result<Spec, SpecError> {
    let host = hostname(cfg, id);
    let cwd = cfg
        .workdir
        .clone()
        .filter(|w| !w.is_empty())
        .or_else(|| Some(cfg.image.workdir.clone()).filter(|w| !w.is_empty()))
        .unwrap_or_else(|| "/".into());
    if !cwd.starts_with('/') {
        return Err(SpecError::RelativeWorkdir(cwd));
    }
    let caps = capability_set(cfg)?;
    // A non-root user gets the bounding set only, as in Podman.
    let effective = if user.uid == 0 {
        caps.clone()
    } else {
        HashSet::new()
    };
    let capabilities = LinuxCapabilitiesBuilder::default()
        .bounding(caps.clone())
        .effective(effective.clone())
        .permitted(effective)
        .inheritable(HashSet::new())
        .ambient(HashSet::new())
        .build()
        .map_err(oci)?;
    let process = ProcessBuilder::default()
        .terminal(cfg.tty)
        .args(process_args(cfg)?)
        .env(process_env(cfg, &host, &user.home))
        .cwd(cwd)
        .user(
            UserBuilder::default()
                .uid(user.uid)
                .gid(user.gid)
                .additional_gids(user.additional_gids.clone())
                .build()
                .map_err(oci)?,
        )
        .capabilities(capabilities)
        .rlimits(
            cfg.ulimits
                .iter()
                .map(|u| super::rlimit::parse(u))
                .collect::<Result<Vec<_>, _>>()?,
        )
        .no_new_privileges(cfg.no_new_privileges)
        .build()
        .map_err(oci)?;
    let mut namespaces = vec![
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::Cgroup,
    ];
    if cfg.network == Network::None {
        namespaces.push(LinuxNamespaceType::Network);
    }
    let namespaces = namespaces
        .into_iter()
        .map(|t| LinuxNamespaceBuilder::default().typ(t).build().map_err(oci))
        .collect::<Result<Vec<_>, _>>()?;
    let mut linux = LinuxBuilder::default()
        .namespaces(namespaces)
        .masked_paths(Vec::<String>::new())
        .readonly_paths(Vec::<String>::new());
    if !cfg.privileged {
        linux = linux
            .masked_paths(
                MASKED_PATHS
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            )
            .readonly_paths(
                READONLY_PATHS
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            );
        if cfg.seccomp {
            linux = linux.seccomp(seccomp::default_profile().map_err(oci)?);
        }
    }
    let mut annotations = std::collections::HashMap::new();
    if cfg.init {
        annotations.insert("io.rctl.init".to_string(), "true".to_string());
    }
    let copy_up = crate::volume::plan::copy_up_destinations(&cfg.mounts);
    if !copy_up.is_empty() {
        annotations.insert(
            crate::volume::plan::COPY_UP_ANNOTATION.to_string(),
            serde_json::to_string(&copy_up).map_err(oci)?,
        );
    }
    SpecBuilder::default()
        .version("1.0.2")
        .root(
            RootBuilder::default()
                .path(rootfs)
                .readonly(cfg.read_only)
                .build()
                .map_err(oci)?,
        )
        .hostname(host)
        .process(process)
        .mounts(mounts(cfg, files)?)
        .linux(linux.build().map_err(oci)?)
        .annotations(annotations)
        .build()
        .map_err(oci)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{ImageConfig, RootfsSource};

    pub fn config() -> ContainerConfig {
        ContainerConfig {
            rootfs: RootfsSource::Dir("/r".into()),
            image: ImageConfig {
                env: vec!["PATH=/img/bin".into(), "A=image".into()],
                cmd: vec!["sh".into()],
                entrypoint: vec![],
                workdir: String::new(),
                user: String::new(),
                stop_signal: None,
                volumes: vec![],
                ..Default::default()
            },
            image_name: "/r".into(),
            image_id: None,
            storage_driver: Default::default(),
            net: None,
            command: vec![],
            entrypoint: None,
            env: vec![],
            workdir: None,
            user: None,
            hostname: None,
            cap_add: vec![],
            cap_drop: vec![],
            privileged: false,
            no_new_privileges: false,
            seccomp: true,
            init: false,
            tty: false,
            interactive: false,
            network: Network::None,
            read_only: false,
            remove: false,
            stop_signal: None,
            stop_timeout: 10,
            ulimits: vec![],
            runtime: None,
            cgroup: None,
            sdnotify: Default::default(),
            mounts: Default::default(),
            log: Default::default(),
            restart: Default::default(),
            health: None,
            health_on_failure: Default::default(),
        }
    }

    fn files() -> GeneratedFiles {
        GeneratedFiles {
            hosts: "/u/hosts".into(),
            resolv_conf: Some("/u/resolv.conf".into()),
            hostname: "/u/hostname".into(),
        }
    }

    fn root() -> ResolvedUser {
        ResolvedUser {
            uid: 0,
            gid: 0,
            additional_gids: vec![],
            home: "/root".into(),
        }
    }

    #[test]
    fn docker_entrypoint_and_cmd_rules() {
        let mut c = config();
        c.image.entrypoint = vec!["/ep".into()];
        c.image.cmd = vec!["a".into()];
        type Case<'a> = (Option<Vec<&'a str>>, Vec<&'a str>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (None, vec![], vec!["/ep", "a"]),
            (None, vec!["b"], vec!["/ep", "b"]),
            (Some(vec!["/x"]), vec![], vec!["/x"]),
            (Some(vec!["/x"]), vec!["b"], vec!["/x", "b"]),
            (Some(vec![]), vec!["b"], vec!["b"]),
        ];
        for (ep, cmd, want) in cases {
            c.entrypoint = ep.map(|v| v.into_iter().map(String::from).collect());
            c.command = cmd.into_iter().map(String::from).collect();
            assert_eq!(process_args(&c).unwrap(), want);
        }
        c.entrypoint = Some(vec![]);
        c.command = vec![];
        assert_eq!(process_args(&c), Err(SpecError::NoCommand));
    }

    #[test]
    fn env_layers_override_in_order() {
        let mut c = config();
        c.env = vec!["A=user".into(), "B=2".into()];
        let env = process_env(&c, "h", "/root");
        assert!(env.contains(&"PATH=/img/bin".to_string()));
        assert!(env.contains(&"A=user".to_string()));
        assert!(!env.contains(&"A=image".to_string()));
        assert!(env.contains(&"HOSTNAME=h".to_string()));
        assert!(env.contains(&"HOME=/root".to_string()));
    }

    #[test]
    fn default_capabilities_are_podmans() {
        let spec = build(&config(), "abc", Path::new("/m"), &root(), &files()).unwrap();
        let caps = spec
            .process()
            .as_ref()
            .unwrap()
            .capabilities()
            .clone()
            .unwrap();
        let mut names: Vec<String> = caps
            .bounding()
            .clone()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        names.sort();
        let mut want: Vec<String> = DEFAULT_CAPS.iter().map(|c| c.to_string()).collect();
        want.sort();
        assert_eq!(names, want);
        assert!(caps.ambient().clone().unwrap().is_empty());
        assert!(caps.inheritable().clone().unwrap().is_empty());
    }

    #[test]
    fn cap_add_drop_and_errors() {
        let mut c = config();
        c.cap_add = vec!["net_raw".into()];
        c.cap_drop = vec!["CAP_CHOWN".into()];
        let set = capability_set(&c).unwrap();
        assert!(set.contains(&Capability::NetRaw));
        assert!(!set.contains(&Capability::Chown));
        c.cap_add = vec!["BOGUS".into()];
        assert_eq!(
            capability_set(&c),
            Err(SpecError::UnknownCapability("BOGUS".into()))
        );
        c.cap_add = vec![];
        c.cap_drop = vec!["all".into()];
        assert!(capability_set(&c).unwrap().is_empty());
    }

    #[test]
    fn namespaces_masks_and_seccomp() {
        let spec = build(
            &config(),
            "abcdef0123456789",
            Path::new("/m"),
            &root(),
            &files(),
        )
        .unwrap();
        assert_eq!(spec.hostname().as_deref(), Some("abcdef012345"));
        let linux = spec.linux().as_ref().unwrap();
        assert_eq!(linux.namespaces().as_ref().unwrap().len(), 6);
        assert!(
            linux
                .masked_paths()
                .as_ref()
                .unwrap()
                .contains(&"/proc/kcore".to_string())
        );
        assert!(linux.seccomp().is_some());
        let mut c = config();
        c.privileged = true;
        let spec = build(&c, "x", Path::new("/m"), &root(), &files()).unwrap();
        let linux = spec.linux().as_ref().unwrap();
        assert!(linux.seccomp().is_none());
        assert!(linux.masked_paths().as_ref().unwrap().is_empty());
        c.privileged = false;
        c.seccomp = false;
        let spec = build(&c, "x", Path::new("/m"), &root(), &files()).unwrap();
        assert!(spec.linux().as_ref().unwrap().seccomp().is_none());
    }

    #[test]
    fn mounts_bind_generated_files() {
        let m = mounts(&config(), &files()).unwrap();
        let hosts = m
            .iter()
            .find(|m| m.destination() == Path::new("/etc/hosts"))
            .unwrap();
        assert_eq!(hosts.source().as_deref(), Some(Path::new("/u/hosts")));
        let sys = m
            .iter()
            .find(|m| m.destination() == Path::new("/sys"))
            .unwrap();
        assert!(sys.options().as_ref().unwrap().contains(&"ro".to_string()));
    }

    #[test]
    fn user_mounts_follow_defaults_and_shm_size() {
        let mut c = config();
        c.mounts = crate::volume::plan::build(
            vec![
                crate::mountspec::parse_volume("/h:/etc/hosts").unwrap(),
                crate::mountspec::parse_volume("/data").unwrap(),
            ],
            vec![],
            &[],
            &|n| PathBuf::from(format!("/v/{n}/_data")),
            &mut || "anon".to_string(),
        )
        .unwrap();
        c.mounts.shm_size = Some(1 << 20);
        let spec = build(&c, "x", Path::new("/m"), &root(), &files()).unwrap();
        let m = spec.mounts().clone().unwrap();
        let hosts: Vec<usize> = m
            .iter()
            .enumerate()
            .filter(|(_, m)| m.destination() == Path::new("/etc/hosts"))
            .map(|(i, _)| i)
            .collect();
        // The generated file first, the user's bind over it.
        assert_eq!(hosts.len(), 2);
        assert_eq!(m[hosts[1]].source().as_deref(), Some(Path::new("/h")));
        let shm = m
            .iter()
            .find(|m| m.destination() == Path::new("/dev/shm"))
            .unwrap();
        assert!(
            shm.options()
                .as_ref()
                .unwrap()
                .contains(&"size=1048576".to_string())
        );
        let ann = spec.annotations().clone().unwrap();
        assert_eq!(
            ann.get(crate::volume::plan::COPY_UP_ANNOTATION)
                .map(String::as_str),
            Some(r#"["/data"]"#)
        );
    }

    #[test]
    fn relative_workdir_is_refused() {
        let mut c = config();
        c.workdir = Some("rel".into());
        assert!(matches!(
            build(&c, "x", Path::new("/m"), &root(), &files()),
            Err(SpecError::RelativeWorkdir(_))
        ));
    }
}

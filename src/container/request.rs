//! Turning what the user typed for `run`/`create` into a validated
//! [`ContainerConfig`]: environment files, `-e KEY` pass-through,
//! `--entrypoint` forms, security options, the root filesystem source.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::container::CreateArgs;
use crate::config::StorageDriver;
use crate::runtime::{ContainerConfig, ImageConfig, Network, RootfsSource};

/// Parse `--entrypoint`: `""` clears, a JSON array is taken as is.
pub fn parse_entrypoint(s: &str) -> Result<Vec<String>> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    if s.trim_start().starts_with('[') {
        return serde_json::from_str(s)
            .with_context(|| format!("parse --entrypoint `{s}` as a JSON array"));
    }
    Ok(vec![s.to_string()])
}

/// Parse an env file: `KEY=VALUE` lines; `#` comments and blanks skipped;
/// a bare `KEY` takes the value from `lookup`.
pub fn parse_env_file(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| env_entry(l, lookup))
        .collect()
}

fn env_entry(e: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if e.contains('=') {
        Some(e.to_string())
    } else {
        lookup(e).map(|v| format!("{e}={v}"))
    }
}

/// Security options understood.
fn apply_security_opts(opts: &[String], cfg: &mut ContainerConfig) -> Result<()> {
    for o in opts {
        match o.as_str() {
            "seccomp=unconfined" | "seccomp:unconfined" => cfg.seccomp = false,
            "no-new-privileges" | "no-new-privileges=true" | "no-new-privileges:true" => {
                cfg.no_new_privileges = true
            }
            "no-new-privileges=false" => cfg.no_new_privileges = false,
            other => bail!(
                "unsupported --security-opt `{other}`\nhint: supported: seccomp=unconfined, no-new-privileges"
            ),
        }
    }
    Ok(())
}

/// The driver that stacks this container's layers: the one asked for
/// (`--storage-driver`, `storage.driver`), else kernel overlay when it
/// mounts in rctl's user namespace (probed once per boot), else
/// fuse-overlayfs, else copies (vfs).
pub fn storage_driver(app: &crate::app::App, rootfs: &RootfsSource) -> Result<StorageDriver> {
    if matches!(rootfs, RootfsSource::Dir(_)) {
        return Ok(StorageDriver::Overlay);
    }
    let driver = match app.requested_driver() {
        Some(d) => d,
        None if crate::probe::overlay(&app.dirs, true)?.works => StorageDriver::Overlay,
        None if app.helpers.find("fuse-overlayfs").is_some() => StorageDriver::FuseOverlayfs,
        None => StorageDriver::Vfs,
    };
    if driver == StorageDriver::Vfs && app.requested_driver().is_none() {
        log::warn!(
            "neither kernel overlay nor fuse-overlayfs works here: copying the image for this container (vfs)\nhint: install `fuse-overlayfs` and make /dev/fuse usable (`chmod 666 /dev/fuse`), or put storage.root on a local filesystem"
        );
    }
    Ok(driver)
}

/// Build the configuration from arguments.
pub fn config(app: &crate::app::App, args: &CreateArgs) -> Result<ContainerConfig> {
    let lookup = |k: &str| std::env::var(k).ok();
    let mut image_id = None;
    let mut exposed: Vec<String> = Vec::new();
    let (rootfs, image, image_name) = if !args.rootfs_layers.is_empty() {
        let mut lower = vec![absolute(Path::new(&args.image))?];
        lower.extend(
            args.rootfs_layers
                .iter()
                .map(|p| absolute(p))
                .collect::<Result<Vec<_>>>()?,
        );
        (
            RootfsSource::Layers { lower },
            ImageConfig::default(),
            args.image.clone(),
        )
    } else if args.rootfs {
        match args.image.strip_suffix(":O") {
            Some(dir) => (
                RootfsSource::Layers {
                    lower: vec![absolute(Path::new(dir))?],
                },
                ImageConfig::default(),
                args.image.clone(),
            ),
            None => (
                RootfsSource::Dir(absolute(Path::new(&args.image))?),
                ImageConfig::default(),
                args.image.clone(),
            ),
        }
    } else {
        let stored = crate::image::resolve::image_for_run(app, &args.image, args.pull)?;
        let (src, img) = crate::image::resolve::runtime_source(&stored, &app.dirs.root);
        let name = stored
            .names
            .first()
            .cloned()
            .unwrap_or_else(|| args.image.clone());
        exposed = stored
            .config
            .config()
            .as_ref()
            .and_then(|c| c.exposed_ports().clone())
            .unwrap_or_default();
        image_id = Some(stored.id);
        (src, img, name)
    };
    let mut env = Vec::new();
    for f in &args.env_file {
        let text = fs_err::read_to_string(f).context("read --env-file")?;
        env.extend(parse_env_file(&text, &lookup));
    }
    env.extend(args.env.iter().filter_map(|e| env_entry(e, &lookup)));
    let facts = crate::network::HostFacts::read(&app.helpers);
    let mut hostname = args.hostname.clone();
    let mut pod_on_host = false;
    let mut net_request = args.net.request();
    if args.net.publish_all {
        let mut explicit = Vec::new();
        for p in &net_request.publish {
            explicit.extend(crate::network::publish::parse_publish(p)?);
        }
        net_request
            .publish
            .extend(crate::network::publish::publish_all(&exposed, &explicit));
    }
    let plan = match &args.pod {
        Some(p) => {
            let pod = crate::pod::for_new_container(app, p)?;
            hostname.get_or_insert_with(|| pod.hostname.clone());
            pod_on_host = pod.net.mode == crate::network::NetworkMode::Host;
            crate::pod::member_plan(&pod, &net_request, &facts)?
        }
        None => crate::network::NetworkPlan::build(&net_request, &facts)?,
    };
    for w in plan.warnings() {
        log::warn!("{w}");
    }
    let mut plan = plan;
    crate::network::user::prepare_member(&app.dirs.root, &mut plan)?;
    let plan = match &plan.mode {
        // Share another container's network namespace: its addresses and
        // name files, found by name now and by id at every start.
        crate::network::NetworkMode::Container { name } => {
            let owner = super::store::Store::new(&app.dirs.root).lookup(name)?;
            let owner_plan = owner.config.net.clone().unwrap_or_else(|| plan.clone());
            crate::pod::joined_plan(
                &owner_plan,
                crate::network::NetworkMode::Container { name: owner.id },
                plan,
            )
        }
        _ => plan,
    };
    let network = match &plan.mode {
        crate::network::NetworkMode::Host => Network::Host,
        crate::network::NetworkMode::Pod { .. } if pod_on_host => Network::Host,
        _ => Network::None,
    };
    let mounts = crate::volume::plan_for(
        &app.dirs.root,
        &crate::volume::MountFlags {
            volume: &args.volume,
            mount: &args.mount,
            tmpfs: &args.tmpfs,
            volumes_from: &args.volumes_from,
            read_only_tmpfs: args.read_only_tmpfs,
            shm_size: args.shm_size.as_deref(),
        },
        &image.volumes,
    )?;
    let storage_driver = storage_driver(app, &rootfs)?;
    let mut cfg = ContainerConfig {
        rootfs,
        image,
        image_name,
        image_id,
        storage_driver,
        net: Some(plan),
        command: args.command.clone(),
        entrypoint: args
            .entrypoint
            .as_deref()
            .map(parse_entrypoint)
            .transpose()?,
        env,
        workdir: args.workdir.clone(),
        user: args.user.clone(),
        hostname,
        cap_add: args.cap_add.clone(),
        cap_drop: args.cap_drop.clone(),
        privileged: args.privileged,
        no_new_privileges: false,
        seccomp: true,
        init: args.init,
        tty: args.tty,
        interactive: args.interactive,
        network,
        read_only: args.read_only,
        remove: args.rm,
        stop_signal: args.stop_signal.clone(),
        stop_timeout: args.stop_timeout,
        ulimits: args.ulimit.clone(),
        runtime: args
            .runtime
            .as_deref()
            .map(|r| crate::runtime::oci::resolve(r, lookup("PATH").as_deref()))
            .transpose()?,
        cgroup: Some(cgroup_plan(app, &args.limits)?),
        sdnotify: args.sdnotify,
        mounts,
        log: Default::default(),
        restart: Default::default(),
        health: None,
        health_on_failure: Default::default(),
    };
    if cfg.runtime.is_some() && cfg.tty {
        bail!(
            "-t is not supported with --runtime yet (the runtime's console socket is not wired)\nhint: drop -t or the --runtime option"
        );
    }
    for u in &cfg.ulimits {
        crate::runtime::rlimit::parse(u)?;
    }
    apply_security_opts(&args.security_opt, &mut cfg)?;
    if let Some(s) = &cfg.stop_signal {
        super::lifecycle::parse_signal(s)?;
    }
    apply_monitor_duties(app, args, &mut cfg)?;
    Ok(cfg)
}

/// The cgroup manager (flag, config, else detected) and the limits,
/// checked against what that manager can enforce here.
pub fn cgroup_plan(
    app: &crate::app::App,
    limits: &crate::cli::container::LimitArgs,
) -> Result<crate::cgroup::CgroupPlan> {
    let version = crate::probe::cgroup_version();
    let manager = app
        .global_cgroup_manager
        .or(app.config.engine.cgroup_manager)
        .unwrap_or_else(|| crate::probe::default_cgroup_manager(&app.env, version));
    let resources = crate::cgroup::Resources::from_flags(
        &limits.flags(),
        &crate::cgroup::Resources::default(),
    )?;
    crate::cgroup::plan(manager, version, resources, limits.pids_limit.is_some())
}

/// `--log-driver`/`--log-opt`, `--restart`, `--health-*`: what the
/// monitor does besides running the container.
fn apply_monitor_duties(
    app: &crate::app::App,
    args: &CreateArgs,
    cfg: &mut ContainerConfig,
) -> Result<()> {
    use super::logconfig::{self, LogDriver};
    use super::policy::{self, HealthFlags, HealthOnFailure, RestartPolicy};
    let driver = args
        .log_driver
        .or(app.config.containers.log_driver)
        .unwrap_or_default();
    let opts = logconfig::parse_opts(&args.log_opt)?;
    let mut env = cfg.image.env.clone();
    env.extend(cfg.env.iter().cloned());
    cfg.log = logconfig::build(driver, opts, &cfg.image.labels, &env)?;
    if driver == LogDriver::Journald {
        crate::monitor::journald::check_socket()?;
    }
    if driver == LogDriver::Passthrough && cfg.tty {
        bail!(
            "--log-driver passthrough does not work with -t\nhint: drop -t, or use another log driver"
        );
    }
    cfg.restart = args
        .restart
        .as_deref()
        .map(RestartPolicy::parse)
        .transpose()?
        .unwrap_or_default();
    if cfg.remove && cfg.restart != RestartPolicy::No {
        bail!(
            "--rm conflicts with --restart {}\nhint: drop one of them",
            cfg.restart.name()
        );
    }
    let flags = HealthFlags {
        cmd: args.health_cmd.clone(),
        interval: args.health_interval.clone(),
        timeout: args.health_timeout.clone(),
        retries: args.health_retries,
        start_period: args.health_start_period.clone(),
        none: args.no_healthcheck,
    };
    cfg.health = policy::health_config(cfg.image.healthcheck.as_ref(), &flags)?;
    cfg.health_on_failure = args.health_on_failure;
    if cfg.health.is_none() && cfg.health_on_failure != HealthOnFailure::None {
        bail!(
            "--health-on-failure needs a healthcheck\nhint: add --health-cmd (the image has no HEALTHCHECK)"
        );
    }
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).with_context(|| format!("resolve `{}`", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrypoint_forms() {
        assert_eq!(parse_entrypoint("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_entrypoint("/bin/sh").unwrap(), vec!["/bin/sh"]);
        assert_eq!(
            parse_entrypoint(r#"["a","b c"]"#).unwrap(),
            vec!["a", "b c"]
        );
        assert!(parse_entrypoint("[bad").is_err());
    }

    #[test]
    fn env_file_lines() {
        let look = |k: &str| (k == "HOSTVAR").then(|| "v".to_string());
        let env = parse_env_file("# c\n\nA=1\n  B=x=y\nHOSTVAR\nMISSING\n", &look);
        assert_eq!(env, vec!["A=1", "B=x=y", "HOSTVAR=v"]);
    }
}

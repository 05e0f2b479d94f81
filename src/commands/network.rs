//! `rctl network create|ls|inspect|rm|prune` (user-defined networks), the
//! hidden `network-infra` holder, and the hidden debug commands that attach
//! a network to an existing namespace (what the runtime does per container).

use std::time::Instant;

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::network::{AttachDebugArgs, DetachDebugArgs, NetworkCommand};
use crate::network::{
    self, HostFacts, NetworkHandle, NetworkPlan,
    host::host_resolv_text,
    hosts_entries, hosts_text, resolv_conf,
    user::{self, NetStore},
};

pub fn run(app: &App, cmd: NetworkCommand) -> Result<()> {
    match cmd {
        NetworkCommand::Create(args) => {
            app.enter()?;
            let n = NetStore::new(&app.dirs.root).create(&args.name, args.subnet.as_deref())?;
            println!("{}", n.name);
            Ok(())
        }
        NetworkCommand::Ls(args) => {
            app.enter()?;
            let nets = NetStore::new(&app.dirs.root).list()?;
            if !args.quiet {
                println!("{:<14}{:<24}{:<10}SUBNET", "NETWORK ID", "NAME", "DRIVER");
            }
            for n in nets {
                if args.quiet {
                    println!("{}", n.name);
                } else {
                    println!(
                        "{:<14}{:<24}{:<10}{}",
                        &n.id[..12],
                        n.name,
                        "bridge",
                        n.cidr()
                    );
                }
            }
            Ok(())
        }
        NetworkCommand::Inspect(args) => {
            app.enter()?;
            let nets = NetStore::new(&app.dirs.root);
            let store = crate::container::store::Store::new(&app.dirs.root);
            let mut out = Vec::new();
            for key in &args.networks {
                let n = nets.load(key)?;
                let members: serde_json::Map<String, serde_json::Value> =
                    user::users(&store, &n.name)?
                        .into_iter()
                        .map(|c| {
                            let plan = c.config.net.as_ref();
                            (
                                c.id.clone(),
                                serde_json::json!({
                                    "name": c.name,
                                    "address": plan.and_then(|p| p.container_address),
                                    "aliases": plan.map(|p| p.aliases.clone()).unwrap_or_default(),
                                }),
                            )
                        })
                        .collect();
                out.push(serde_json::json!({
                    "name": n.name,
                    "id": n.id,
                    "driver": "bridge",
                    "network_interface": n.bridge,
                    "created": crate::container::rfc3339(n.created),
                    "subnets": [{"subnet": n.cidr(), "gateway": n.gateway}],
                    "dns_enabled": false,
                    "containers": members,
                }));
            }
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        NetworkCommand::Rm(args) => {
            app.enter()?;
            super::each(&args.networks, |name| {
                let n = user::remove(app, name, args.force)?;
                println!("{}", n.name);
                Ok(())
            })
        }
        NetworkCommand::Prune => {
            app.enter()?;
            let store = crate::container::store::Store::new(&app.dirs.root);
            for n in NetStore::new(&app.dirs.root).list()? {
                if user::users(&store, &n.name)?.is_empty() {
                    user::remove(app, &n.name, false)?;
                    println!("{}", n.name);
                }
            }
            Ok(())
        }
        NetworkCommand::AttachDebug(args) => attach_debug(app, args),
        NetworkCommand::DetachDebug(args) => detach_debug(args),
    }
}

/// `rctl network-infra` (hidden): the user networks' namespace holder.
pub fn infra(app: &App, args: &crate::cli::network::NetworkInfraArgs) -> Result<()> {
    let report = crate::sys::adopt_inherited_fd(args.report_fd)
        .with_context(|| format!("open the report pipe (fd {})", args.report_fd))?;
    app.enter()?;
    user::infra_main(&app.dirs.root, report, &app.helpers)
}

fn attach_debug(app: &App, args: AttachDebugArgs) -> Result<()> {
    let facts = HostFacts::read(&app.helpers);
    let plan = NetworkPlan::build(&args.net.request(), &facts)?;
    for w in plan.warnings() {
        log::warn!("{w}");
    }
    let _session = app.enter()?;
    let state_dir = app
        .dirs
        .runroot
        .join("net-debug")
        .join(args.pid.to_string());
    let started = Instant::now();
    let handle = network::attach(&plan, args.pid, &app.helpers, &state_dir)
        .with_context(|| format!("attach {} to process {}", plan.mode.name(), args.pid))?;
    let attach_ms = started.elapsed().as_secs_f64() * 1000.0;
    let out = serde_json::json!({
        "handle": handle,
        "attach_ms": attach_ms,
        "resolv_conf": resolv_conf(&plan, &host_resolv_text()),
        "hosts": hosts_text(&hosts_entries(&plan, &args.name, &args.name)),
        "host_address": plan.host_address,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn detach_debug(args: DetachDebugArgs) -> Result<()> {
    let handle: NetworkHandle =
        serde_json::from_str(&args.handle).context("parse the network handle")?;
    handle.stop()?;
    Ok(())
}

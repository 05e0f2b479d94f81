//! `rctl pod create|ls|inspect|start|stop|rm` and the hidden `pod-infra`.

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::pod::{InfraArgs, PodCommand};
use crate::pod::{self, PodSpec};

pub fn run(app: &App, cmd: PodCommand) -> Result<()> {
    app.enter()?;
    match cmd {
        PodCommand::Create(args) => {
            if args.net.publish_all {
                anyhow::bail!(
                    "a pod has no image whose exposed ports -P could publish\nhint: publish ports with -p"
                );
            }
            let labels = args
                .label
                .iter()
                .map(|l| {
                    l.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .with_context(|| format!("invalid --label `{l}`\nhint: use KEY=VALUE"))
                })
                .collect::<Result<Vec<_>>>()?;
            let p = pod::create(
                app,
                PodSpec {
                    name: args.name,
                    net: args.net.request(),
                    hostname: args.hostname,
                    labels,
                },
            )?;
            println!("{}", p.id);
            Ok(())
        }
        PodCommand::Ls(args) => {
            let pods = pod::list(app)?;
            if !args.quiet {
                println!(
                    "{:<14}{:<22}{:<10}{:<20}# OF CONTAINERS",
                    "POD ID", "NAME", "STATUS", "CREATED"
                );
            }
            for p in pods {
                let id = if args.no_trunc { &p.id } else { p.short_id() };
                if args.quiet {
                    println!("{id}");
                    continue;
                }
                let status = pod::status(app, &p)?;
                let n = pod::members(app, &p)?.len();
                let ago = crate::container::now().saturating_sub(p.created);
                println!(
                    "{:<14}{:<22}{:<10}{:<20}{n}",
                    id,
                    p.name,
                    status.name(),
                    format!("{} ago", crate::container::human_duration(ago)),
                );
            }
            Ok(())
        }
        PodCommand::Inspect(args) => {
            let mut out = Vec::new();
            for key in &args.pods {
                let p = pod::lookup(app, key)?;
                let members = pod::members(app, &p)?;
                out.push(serde_json::json!({
                    "Id": p.id,
                    "Name": p.name,
                    "Created": crate::container::rfc3339(p.created),
                    "State": pod::status(app, &p)?.name(),
                    "Hostname": p.hostname,
                    "Labels": p.labels.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                    "InfraPid": p.infra_pid(),
                    "SharedNamespaces": ["net", "ipc", "uts"],
                    "NetworkMode": p.net.mode.name(),
                    "Network": p.net,
                    "Ports": p.state.network.as_ref().map(|n| n.ports.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
                    "NumContainers": members.len(),
                    "Containers": members.iter().map(|c| serde_json::json!({
                        "Id": c.id, "Name": c.name, "State": c.state.status.name(),
                    })).collect::<Vec<_>>(),
                }));
            }
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        PodCommand::Start(args) => super::each(&args.pods, |key| {
            let p = pod::start(app, &pod::lookup(app, key)?)?;
            println!("{}", p.id);
            Ok(())
        }),
        PodCommand::Stop(args) => super::each(&args.pods, |key| {
            let p = pod::stop(app, &pod::lookup(app, key)?, args.timeout)?;
            println!("{}", p.id);
            Ok(())
        }),
        PodCommand::Rm(args) => super::each(&args.pods, |key| {
            let p = pod::lookup(app, key)?;
            pod::remove(app, &p, args.force)?;
            println!("{}", p.id);
            Ok(())
        }),
    }
}

pub fn infra(app: &App, args: &InfraArgs) -> Result<()> {
    let report = crate::sys::adopt_inherited_fd(args.report_fd)
        .with_context(|| format!("open the report pipe (fd {})", args.report_fd))?;
    app.enter()?;
    pod::infra::run(&app.dirs.root, &args.id, report, &app.helpers)
}

//! `rctl inspect`: containers as Podman-shaped JSON.

use anyhow::Result;
use serde_json::json;

use crate::app::App;
use crate::cli::container::InspectArgs;
use crate::container::{Container, Status, lifecycle, rfc3339, store::Store};
use crate::runtime::{RootfsSource, spec};

fn render(store: &Store, c: &Container) -> serde_json::Value {
    let dir = store.dir_of(&c.id);
    let args = spec::process_args(&c.config).unwrap_or_default();
    let (driver, lower) = match &c.config.rootfs {
        RootfsSource::Dir(d) => ("bind", d.display().to_string()),
        RootfsSource::Layers { lower } => (
            "overlay",
            lower
                .iter()
                .rev()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(":"),
        ),
    };
    let t = |v: Option<u128>| {
        v.map(rfc3339)
            .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())
    };
    json!({
        "Id": c.id,
        "Created": rfc3339(c.created),
        "Path": args.first(),
        "Args": args.get(1..).unwrap_or_default(),
        "State": {
            "Status": c.state.status.name(),
            "Running": c.state.status == Status::Running,
            "Pid": c.state.pid.unwrap_or(0),
            "ConmonPid": c.state.monitor_pid.unwrap_or(0),
            "ExitCode": c.state.exit_code.unwrap_or(0),
            "StartedAt": t(c.state.started_at),
            "FinishedAt": t(c.state.finished_at),
        },
        "Image": c.config.image_name,
        "Rootfs": match &c.config.rootfs { RootfsSource::Dir(d) => d.display().to_string(), _ => String::new() },
        "Name": c.name,
        "LogPath": lifecycle::log_path(store, &c.id),
        "OCIConfigPath": lifecycle::spec_path(store, &c.id),
        "GraphDriver": {
            "Name": driver,
            "Data": {
                "LowerDir": lower,
                "UpperDir": dir.join("upper"),
                "MergedDir": dir.join("merged"),
                "WorkDir": dir.join("work"),
            }
        },
        "Config": {
            "Hostname": spec::hostname(&c.config, &c.id),
            "Env": spec::process_env(&c.config, &spec::hostname(&c.config, &c.id), "/root"),
            "Cmd": if c.config.command.is_empty() { c.config.image.cmd.clone() } else { c.config.command.clone() },
            "Entrypoint": c.config.entrypoint.clone().unwrap_or_else(|| c.config.image.entrypoint.clone()),
            "WorkingDir": c.config.workdir.clone().unwrap_or_else(|| if c.config.image.workdir.is_empty() { "/".into() } else { c.config.image.workdir.clone() }),
            "User": c.config.user.clone().unwrap_or_else(|| c.config.image.user.clone()),
            "Tty": c.config.tty,
            "OpenStdin": c.config.interactive,
            "StopSignal": c.config.stop_signal.clone().or_else(|| c.config.image.stop_signal.clone()).unwrap_or_else(|| "SIGTERM".into()),
            "StopTimeout": c.config.stop_timeout,
        },
        "HostConfig": {
            "CapAdd": c.config.cap_add,
            "CapDrop": c.config.cap_drop,
            "Privileged": c.config.privileged,
            "NetworkMode": match c.config.network { crate::runtime::Network::None => "none", crate::runtime::Network::Host => "host" },
            "AutoRemove": c.config.remove,
            "ReadonlyRootfs": c.config.read_only,
            "Init": c.config.init,
            "SecurityOpt": {
                "seccomp": if c.config.seccomp { "default" } else { "unconfined" },
                "no-new-privileges": c.config.no_new_privileges,
            },
        },
    })
}

pub fn run(app: &App, args: &InspectArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut out = Vec::new();
    let mut failed = None;
    for key in &args.containers {
        match store
            .lookup(key)
            .and_then(|c| lifecycle::refresh(&store, &c))
        {
            Ok(c) => out.push(render(&store, &c)),
            Err(e) => {
                eprintln!("{}", crate::error::render(&e));
                failed = Some(e);
            }
        }
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    match failed {
        Some(_) => Err(crate::error::Exit::Status(crate::error::RCTL_ERROR).into()),
        None => Ok(()),
    }
}

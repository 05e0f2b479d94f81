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
    let mut v = json!({
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
            "OOMKilled": c.state.oom_killed,
            "CgroupPath": c.state.cgroup.clone().unwrap_or_default(),
            "StartedAt": t(c.state.started_at),
            "FinishedAt": t(c.state.finished_at),
        },
        "Image": c.config.image_name,
        "Rootfs": match &c.config.rootfs { RootfsSource::Dir(d) => d.display().to_string(), _ => String::new() },
        "Name": c.name,
        "Mounts": crate::volume::inspect_mounts(&c.config.mounts),
        "LogPath": lifecycle::log_file(store, c),
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
            "CgroupManager": c.config.cgroup.as_ref().map_or("none", |p| p.manager.name()),
            "Memory": c.config.cgroup.as_ref().and_then(|p| p.resources.memory).unwrap_or(0),
            "NanoCpus": c.config.cgroup.as_ref().and_then(|p| p.resources.cpu_quota_us).unwrap_or(0) * 1000,
            "PidsLimit": c.config.cgroup.as_ref().and_then(|p| p.resources.pids).map_or(0, |p| if p == u64::MAX { -1 } else { p as i64 }),
            "Runtime": c.config.runtime.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "rctl".into()),
            "SecurityOpt": {
                "seccomp": if c.config.seccomp { "default" } else { "unconfined" },
                "no-new-privileges": c.config.no_new_privileges,
            },
        },
    });
    add_monitor_duties(&mut v, c);
    v
}

/// Logging, health and restart fields (Podman's names).
fn add_monitor_duties(v: &mut serde_json::Value, c: &Container) {
    let ns = |d: std::time::Duration| d.as_nanos() as u64;
    let log = &c.config.log;
    let mut log_opts = serde_json::Map::new();
    if let Some(s) = log.max_size {
        log_opts.insert("max-size".into(), json!(s.to_string()));
        log_opts.insert("max-file".into(), json!(log.max_file.to_string()));
    }
    if let Some(t) = &log.tag {
        log_opts.insert("tag".into(), json!(t));
    }
    v["RestartCount"] = json!(c.state.restart_count);
    v["HostConfig"]["RestartPolicy"] = json!({
        "Name": c.config.restart.name(),
        "MaximumRetryCount": c.config.restart.max_retries(),
    });
    v["HostConfig"]["LogConfig"] = json!({
        "Type": log.driver.name(),
        "Config": log_opts,
        "Path": log.path,
    });
    if let Some(h) = &c.config.health {
        v["Config"]["Healthcheck"] = json!({
            "Test": h.test,
            "Interval": ns(h.interval),
            "Timeout": ns(h.timeout),
            "StartPeriod": ns(h.start_period),
            "Retries": h.retries,
        });
        v["Config"]["HealthcheckOnFailureAction"] = json!(c.config.health_on_failure);
        let state = c.state.health.clone().unwrap_or_default();
        v["State"]["Health"] = json!({
            "Status": state.status,
            "FailingStreak": state.failing_streak,
            "Log": state.log.iter().map(|r| json!({
                "Start": rfc3339(r.start),
                "End": rfc3339(r.end),
                "ExitCode": r.exit_code,
                "Output": r.output,
            })).collect::<Vec<_>>(),
        });
    }
}

/// The value at a dotted path (`.State.Pid`) of `v`.
fn lookup<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(v, |v, key| v.get(key))
}

/// Render `{{.Path}}` and `{{json .Path}}` against one inspected object.
fn render_template(tpl: &str, v: &serde_json::Value) -> Result<String> {
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            anyhow::bail!("unclosed `{{{{` in --format `{tpl}`");
        };
        let expr = after[..close].trim();
        let (json, path) = match expr.strip_prefix("json ") {
            Some(p) => (true, p.trim()),
            None => (false, expr),
        };
        if !path.starts_with('.') {
            anyhow::bail!(
                "unsupported template expression `{expr}`\nhint: use `{{{{.Field.Sub}}}}` or `{{{{json .Field}}}}`"
            );
        }
        let value = lookup(v, path)
            .ok_or_else(|| anyhow::anyhow!("no field `{path}` in the inspected object"))?;
        let text = match value {
            serde_json::Value::String(s) if !json => s.clone(),
            serde_json::Value::Null if !json => "<nil>".into(),
            other => serde_json::to_string(other)?,
        };
        out.push_str(&text);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

pub fn run(app: &App, args: &InspectArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut out = Vec::new();
    let mut failed = None;
    let search = &app.config.registries.unqualified_search;
    for key in &args.containers {
        match store
            .lookup(key)
            .and_then(|c| lifecycle::refresh(&store, &c))
        {
            Ok(c) => out.push(render(&store, &c)),
            // Not a container: an image of that name or ID, as Podman does.
            Err(e) => match crate::store::Store::open(&app.dirs).and_then(|images| {
                let img = images.resolve(key, search)?;
                super::images::inspect_record(&images, &img)
            }) {
                Ok(record) => out.push(record),
                Err(_) => {
                    eprintln!(
                        "{}",
                        crate::error::render(
                            &e.context(format!("no container or image named `{key}`"))
                        )
                    );
                    failed = Some(());
                }
            },
        }
    }
    match &args.format {
        Some(tpl) if tpl != "json" => {
            for v in &out {
                println!("{}", render_template(tpl, v)?);
            }
        }
        _ => println!("{}", serde_json::to_string_pretty(&out)?),
    }
    match failed {
        Some(_) => Err(crate::error::Exit::Status(crate::error::RCTL_ERROR).into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_templates() {
        let v =
            serde_json::json!({"State": {"Pid": 7, "Status": "running"}, "Name": "web", "X": null});
        assert_eq!(
            render_template("{{.State.Pid}} {{ .Name }}", &v).unwrap(),
            "7 web"
        );
        assert_eq!(
            render_template("{{json .State}}", &v).unwrap(),
            r#"{"Pid":7,"Status":"running"}"#
        );
        assert_eq!(render_template("{{.X}}", &v).unwrap(), "<nil>");
        assert!(render_template("{{.Nope}}", &v).is_err());
        assert!(render_template("{{range .}}", &v).is_err());
    }
}

//! `rctl network`: for now only the hidden debug commands that attach a
//! network to an existing namespace (what the runtime does per container).

use std::time::Instant;

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::network::{AttachDebugArgs, DetachDebugArgs, NetworkCommand};
use crate::network::{
    self, HostFacts, NetworkHandle, NetworkPlan, host::host_resolv_text, hosts_entries, hosts_text,
    resolv_conf,
};

pub fn run(app: &App, cmd: NetworkCommand) -> Result<()> {
    match cmd {
        NetworkCommand::AttachDebug(args) => attach_debug(app, args),
        NetworkCommand::DetachDebug(args) => detach_debug(args),
    }
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

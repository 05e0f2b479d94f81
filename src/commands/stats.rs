//! `rctl stats`: running containers' resource use from their cgroups
//! (CPU, memory, pids, block I/O) and network namespaces (net I/O).

use std::time::Duration;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::app::App;
use crate::cgroup::fs::{Sample, cpu_percent, sample};
use crate::cli::container::StatsArgs;
use crate::container::{Container, Status, lifecycle, store::Store};

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    cpu_percent: f64,
    mem_usage: u64,
    /// 0 when unlimited.
    mem_limit: u64,
    mem_percent: f64,
    pids: u64,
    block_input: u64,
    block_output: u64,
    net_input: u64,
    net_output: u64,
}

fn human(b: u64) -> String {
    const U: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1000.0 && i < U.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{b}B")
    } else {
        format!("{v:.3}{}", U[i])
    }
}

fn targets(store: &Store, names: &[String]) -> Result<Vec<Container>> {
    let all: Vec<Container> = if names.is_empty() {
        store.list()?
    } else {
        names
            .iter()
            .map(|n| store.lookup(n))
            .collect::<Result<_>>()?
    };
    let mut running = Vec::new();
    for c in all {
        let c = lifecycle::refresh(store, &c)?;
        if c.state.status != Status::Running {
            if !names.is_empty() {
                bail!("container `{}` is not running", c.name);
            }
            continue;
        }
        if c.state.cgroup.is_none() {
            if !names.is_empty() {
                bail!(
                    "container `{}` has no cgroup (cgroup manager `none`): no stats\nhint: run it with a cgroup manager (`rctl info` shows the default; see `rctl check`)",
                    c.name
                );
            }
            continue;
        }
        running.push(c);
    }
    Ok(running)
}

fn row(c: &Container, a: &Sample, b: &Sample) -> Row {
    let limit = b.mem_limit.unwrap_or(0);
    Row {
        id: c.id.clone(),
        name: c.name.clone(),
        cpu_percent: cpu_percent(a, b),
        mem_usage: b.mem_usage,
        mem_limit: limit,
        mem_percent: if limit > 0 {
            b.mem_usage as f64 * 100.0 / limit as f64
        } else {
            0.0
        },
        pids: b.pids,
        block_input: b.block_read,
        block_output: b.block_write,
        net_input: b.net_rx,
        net_output: b.net_tx,
    }
}

pub fn run(app: &App, args: &StatsArgs) -> Result<()> {
    let json = match args.format.as_str() {
        "json" => true,
        "table" | "" => false,
        other => bail!("unknown --format `{other}`\nhint: use table or json"),
    };
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    loop {
        let cs = targets(&store, &args.containers)?;
        let first: Vec<Option<Sample>> = cs
            .iter()
            .map(|c| sample(c.state.cgroup.as_deref().unwrap_or("/"), c.state.pid).ok())
            .collect();
        // CPU use is measured over one second, as `docker stats` does.
        std::thread::sleep(Duration::from_secs(1));
        let mut rows = Vec::new();
        for (c, a) in cs.iter().zip(first) {
            let Some(a) = a else { continue };
            if let Ok(b) = sample(c.state.cgroup.as_deref().unwrap_or("/"), c.state.pid) {
                rows.push(row(c, &a, &b));
            }
        }
        if json {
            println!("{}", serde_json::to_string_pretty(&rows)?);
        } else {
            println!(
                "{:<12}  {:<20}  {:>7}  {:>22}  {:>6}  {:>5}  {:>21}  {:>21}",
                "ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS", "NET IO", "BLOCK IO"
            );
            for r in &rows {
                let limit = if r.mem_limit == 0 {
                    "-".to_string()
                } else {
                    human(r.mem_limit)
                };
                println!(
                    "{:<12}  {:<20}  {:>6.2}%  {:>22}  {:>5.2}%  {:>5}  {:>21}  {:>21}",
                    &r.id[..12.min(r.id.len())],
                    r.name,
                    r.cpu_percent,
                    format!("{} / {limit}", human(r.mem_usage)),
                    r.mem_percent,
                    r.pids,
                    format!("{} / {}", human(r.net_input), human(r.net_output)),
                    format!("{} / {}", human(r.block_input), human(r.block_output)),
                );
            }
        }
        if args.no_stream {
            return Ok(());
        }
    }
}

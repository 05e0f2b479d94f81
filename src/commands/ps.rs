//! `rctl ps`: list containers as a table, ids, or JSON.

use anyhow::Result;
use serde::Serialize;

use crate::app::App;
use crate::cli::Format;
use crate::cli::container::PsArgs;
use crate::container::{Container, Status, human_duration, lifecycle, now, store::Store};
use crate::runtime::spec;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Row {
    id: String,
    names: Vec<String>,
    image: String,
    command: Vec<String>,
    created: u64,
    created_at: String,
    state: &'static str,
    status: String,
    exit_code: i32,
    exited: bool,
    pid: i32,
    auto_remove: bool,
}

/// Podman's STATUS column.
fn status_text(c: &Container) -> String {
    let t = now();
    match c.state.status {
        Status::Created => "Created".into(),
        Status::Running => format!(
            "Up {}",
            human_duration(t.saturating_sub(c.state.started_at.unwrap_or(t)))
        ),
        Status::Exited => format!(
            "Exited ({}) {} ago",
            c.state.exit_code.unwrap_or(0),
            human_duration(t.saturating_sub(c.state.finished_at.unwrap_or(t)))
        ),
    }
}

fn row(c: &Container) -> Row {
    Row {
        id: c.id.clone(),
        names: vec![c.name.clone()],
        image: c.config.image_name.clone(),
        command: spec::process_args(&c.config).unwrap_or_default(),
        created: (c.created / 1_000_000_000) as u64,
        created_at: crate::container::rfc3339(c.created),
        state: c.state.status.name(),
        status: status_text(c),
        exit_code: c.state.exit_code.unwrap_or(0),
        exited: c.state.status == Status::Exited,
        pid: c.state.pid.unwrap_or(0),
        auto_remove: c.config.remove,
    }
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

pub fn run(app: &App, args: &PsArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut list = Vec::new();
    for c in store.list()? {
        let c = if c.state.status == Status::Running {
            lifecycle::refresh(&store, &c)?
        } else {
            c
        };
        if args.all || c.state.status == Status::Running {
            list.push(c);
        }
    }
    if args.quiet {
        for c in &list {
            println!("{}", if args.no_trunc { &c.id } else { c.short_id() });
        }
        return Ok(());
    }
    if args.format == Format::Json {
        let rows: Vec<Row> = list.iter().map(row).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let mut lines = vec![[
        "CONTAINER ID".to_string(),
        "IMAGE".into(),
        "COMMAND".into(),
        "CREATED".into(),
        "STATUS".into(),
        "NAMES".into(),
    ]];
    for c in &list {
        let r = row(c);
        let cmd = r.command.join(" ");
        lines.push([
            if args.no_trunc {
                c.id.clone()
            } else {
                c.short_id().to_string()
            },
            r.image,
            if args.no_trunc { cmd } else { trunc(&cmd, 20) },
            format!("{} ago", human_duration(now().saturating_sub(c.created))),
            r.status,
            c.name.clone(),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for l in lines {
        let mut out = String::new();
        for (i, cell) in l.iter().enumerate() {
            if i == 5 {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{:<w$}  ", cell, w = widths[i]));
            }
        }
        println!("{}", out.trim_end());
    }
    Ok(())
}

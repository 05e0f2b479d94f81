//! `rctl ps`: list containers as a table, ids, or JSON.

use anyhow::Result;
use serde::Serialize;

use crate::app::App;
use crate::cli::container::PsArgs;
use crate::container::{Container, Status, human_duration, lifecycle, now, query, store::Store};
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
    restarts: u32,
}

/// Podman's STATUS column.
fn status_text(c: &Container) -> String {
    let t = now();
    match c.state.status {
        Status::Created => "Created".into(),
        Status::Running => format!(
            "Up {}{}",
            human_duration(t.saturating_sub(c.state.started_at.unwrap_or(t))),
            c.state
                .health
                .as_ref()
                .map(|h| format!(" ({})", h.status))
                .unwrap_or_default()
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
        restarts: c.state.restart_count,
    }
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

/// Render a Go-style template (`{{.ID}}`, `{{.Names}}`, ...) for a row.
fn render_template(tpl: &str, r: &Row, no_trunc: bool) -> Result<String> {
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            anyhow::bail!("unclosed `{{{{` in --format `{tpl}`");
        };
        let field = after[..close].trim();
        let value = match field {
            ".ID" | ".Id" => {
                if no_trunc {
                    r.id.clone()
                } else {
                    r.id.chars().take(12).collect()
                }
            }
            ".Names" => r.names.join(","),
            ".Image" => r.image.clone(),
            ".Command" => r.command.join(" "),
            ".Status" => r.status.clone(),
            ".State" => r.state.to_string(),
            ".CreatedAt" => r.created_at.clone(),
            ".Created" => r.created.to_string(),
            ".ExitCode" => r.exit_code.to_string(),
            ".Pid" => r.pid.to_string(),
            other => anyhow::bail!(
                "unknown field `{other}` in --format\nhint: fields: .ID .Names .Image .Command .Status .State .CreatedAt .Created .ExitCode .Pid"
            ),
        };
        out.push_str(&value);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out.replace("\\t", "\t").replace("\\n", "\n"))
}

pub fn run(app: &App, args: &PsArgs) -> Result<()> {
    let filters = args
        .filter
        .iter()
        .map(|f| query::parse_filter(f))
        .collect::<Result<Vec<_>>>()?;
    let last = if args.latest { Some(1) } else { args.last };
    if !matches!(args.format.as_str(), "" | "table" | "json") {
        // Check the template before listing anything, even when nothing matches.
        let probe = Row {
            id: String::new(),
            names: Vec::new(),
            image: String::new(),
            command: Vec::new(),
            created: 0,
            created_at: String::new(),
            state: "",
            status: String::new(),
            exit_code: 0,
            exited: false,
            pid: 0,
            auto_remove: false,
            restarts: 0,
        };
        render_template(args.format.trim_start_matches("table "), &probe, false)?;
    }
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let mut list = Vec::new();
    for c in store.list()? {
        let c = if c.state.status == Status::Running {
            match lifecycle::refresh(&store, &c) {
                Ok(c) => c,
                // Removed since it was listed (a concurrent `rm`, or its
                // `--rm` monitor): not an error, just gone.
                Err(_) if !store.dir_of(&c.id).join("container.json").exists() => continue,
                Err(e) => return Err(e),
            }
        } else {
            c
        };
        let all = args.all || last.is_some() || !filters.is_empty();
        if (all || c.state.status == Status::Running) && query::matches(&filters, &c) {
            list.push(c);
        }
    }
    if let Some(n) = last {
        let skip = list.len().saturating_sub(n);
        list.drain(..skip);
    }
    if args.quiet {
        for c in &list {
            println!("{}", if args.no_trunc { &c.id } else { c.short_id() });
        }
        return Ok(());
    }
    match args.format.as_str() {
        "json" => {
            let rows: Vec<Row> = list.iter().map(row).collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
            return Ok(());
        }
        "" | "table" => {}
        tpl => {
            let tpl = tpl.strip_prefix("table ").unwrap_or(tpl);
            for c in &list {
                println!("{}", render_template(tpl, &row(c), args.no_trunc)?);
            }
            return Ok(());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let r = Row {
            id: "0123456789abcdef".into(),
            names: vec!["web".into()],
            image: "img".into(),
            command: vec!["sh".into(), "-c".into()],
            created: 1,
            created_at: "T".into(),
            state: "running",
            status: "Up".into(),
            exit_code: 0,
            exited: false,
            pid: 7,
            auto_remove: false,
            restarts: 0,
        };
        assert_eq!(
            render_template("{{.ID}} {{ .Names }}", &r, false).unwrap(),
            "0123456789ab web"
        );
        assert_eq!(
            render_template("{{.ID}}\\t{{.Pid}}", &r, true).unwrap(),
            "0123456789abcdef\t7"
        );
        assert!(render_template("{{.Nope}}", &r, false).is_err());
        assert!(render_template("{{.ID", &r, false).is_err());
    }
}

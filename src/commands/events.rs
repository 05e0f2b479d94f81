//! `rctl events`: print the per-user event log, then (unless
//! `--stream=false`) follow it as other rctl processes append to it.

use std::time::Duration;

use anyhow::Result;

use super::output;
use crate::app::App;
use crate::cli::events::EventsArgs;
use crate::events::{self, Event, Filter, Follower, Selection};
use crate::format::OutputFormat;
use crate::image::now_secs;

fn render(format: &OutputFormat, e: &Event) -> Result<String> {
    Ok(match format {
        OutputFormat::Json => serde_json::to_string(e)?,
        OutputFormat::Template(t) | OutputFormat::TableTemplate(t, _) => {
            t.render(&serde_json::to_value(e)?)?
        }
        OutputFormat::Table => e.text(),
    })
}

pub fn run(app: &App, args: &EventsArgs) -> Result<()> {
    let now = now_secs();
    let parse = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(|s| events::parse_time(flag, s, now))
            .transpose()
    };
    let sel = Selection {
        filters: args
            .filter
            .iter()
            .map(|f| Filter::parse(f))
            .collect::<Result<_>>()?,
        since: parse("--since", &args.since)?,
        until: parse("--until", &args.until)?,
    };
    let log = events::log_path(&app.dirs.root);
    // Open the current file before reading the rotated one, so an event
    // rotated away in between is read from this handle, not lost.
    let mut follow = Follower::open(&log);
    for e in events::read_rotated(&log) {
        if sel.matches(&e) {
            output::line(render(&args.format, &e)?)?;
        }
    }
    let stream = args.stream && sel.until.is_none_or(|u| u >= now);
    loop {
        if let Some(f) = follow.as_mut() {
            for e in f.read_new()? {
                if sel.matches(&e) {
                    output::line(render(&args.format, &e)?)?;
                }
            }
        }
        if !stream || sel.until.is_some_and(|u| now_secs() > u) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
        match &mut follow {
            // Rotated: finish the old file, then read the new one from its start.
            Some(f) if f.rotated_away(&log) => {
                for e in f.read_new()? {
                    if sel.matches(&e) {
                        output::line(render(&args.format, &e)?)?;
                    }
                }
                follow = Follower::open(&log);
            }
            Some(_) => {}
            None => follow = Follower::open(&log),
        }
    }
}

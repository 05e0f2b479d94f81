//! `rctl events`: print the per-user event log, then (unless
//! `--stream=false`) follow it as other rctl processes append to it.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::output;
use crate::app::App;
use crate::cli::events::EventsArgs;
use crate::events::{self, Event, Filter, Selection};
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

/// An open log file and how far it was read.
struct Follow {
    file: fs_err::File,
    ino: u64,
    partial: Vec<u8>,
}

impl Follow {
    fn open(path: &Path) -> Option<Follow> {
        let file = fs_err::File::open(path).ok()?;
        let ino = file.metadata().ok()?.ino();
        Some(Follow {
            file,
            ino,
            partial: Vec::new(),
        })
    }

    /// The complete lines appended since the last call.
    fn read_new(&mut self) -> Result<Vec<Event>> {
        let mut buf = Vec::new();
        self.file.read_to_end(&mut buf)?;
        self.partial.extend_from_slice(&buf);
        let Some(end) = self.partial.iter().rposition(|b| *b == b'\n') else {
            return Ok(Vec::new());
        };
        let complete: Vec<u8> = self.partial.drain(..=end).collect();
        Ok(events::parse_lines(&String::from_utf8_lossy(&complete)))
    }
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
    let mut follow = Follow::open(&log);
    let rotated = events::rotated_path(&log);
    if let Ok(text) = fs_err::read_to_string(&rotated) {
        for e in events::parse_lines(&text) {
            if sel.matches(&e) {
                output::line(render(&args.format, &e)?)?;
            }
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
        let current = std::fs::metadata(&log).ok().map(|m| m.ino());
        match (&mut follow, current) {
            // Rotated: finish the old file, then read the new one from its start.
            (Some(f), Some(ino)) if f.ino != ino => {
                for e in f.read_new()? {
                    if sel.matches(&e) {
                        output::line(render(&args.format, &e)?)?;
                    }
                }
                follow = Follow::open(&log);
            }
            (None, Some(_)) => follow = Follow::open(&log),
            _ => {}
        }
    }
}

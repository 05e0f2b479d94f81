//! Reading a container's k8s-file log back: `--tail`, `--timestamps`,
//! `--follow` (until the container is no longer running).

use std::io::{Read, Seek, SeekFrom, Write};
use std::time::Duration;

use anyhow::Result;

use super::store::Store;
use super::{Container, Status, lifecycle};
use crate::monitor::log::{Stream, parse};

/// Options of a log read.
pub struct LogOptions {
    pub tail: Option<usize>,
    /// Only records at or after this time.
    pub since: Option<std::time::SystemTime>,
    pub timestamps: bool,
    pub follow: bool,
}

/// Render complete records of `data` to the two outputs; returns how many
/// bytes were consumed (a trailing incomplete line is left).
fn render(
    data: &[u8],
    opts: &LogOptions,
    skip_lines: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> usize {
    let end = data.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    for (i, line) in data[..end].split(|b| *b == b'\n').enumerate() {
        if i < skip_lines || line.is_empty() {
            continue;
        }
        let Some(e) = parse(line) else { continue };
        if let Some(since) = opts.since {
            if humantime::parse_rfc3339_weak(e.time).is_ok_and(|t| t < since) {
                continue;
            }
        }
        let w: &mut dyn Write = match e.stream {
            Stream::Stdout => out,
            Stream::Stderr => err,
        };
        if opts.timestamps {
            let _ = write!(w, "{} ", e.time);
        }
        let _ = w.write_all(e.content);
        if e.full {
            let _ = w.write_all(b"\n");
        }
    }
    end
}

/// Parse `--since`: an RFC 3339 time or a duration before now.
pub fn parse_since(s: &str) -> Result<std::time::SystemTime> {
    if let Ok(t) = humantime::parse_rfc3339_weak(s) {
        return Ok(t);
    }
    match humantime::parse_duration(s) {
        Ok(d) => Ok(std::time::SystemTime::now() - d),
        Err(_) => anyhow::bail!(
            "invalid --since `{s}`\nhint: give a time such as 2026-01-02T15:04:05Z or a duration such as 10m"
        ),
    }
}

/// Print the log of `c`.
pub fn print(store: &Store, c: &Container, opts: &LogOptions) -> Result<()> {
    let path = lifecycle::log_path(store, &c.id);
    let mut file = match fs_err::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !opts.follow => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut data = Vec::new();
    file.read_to_end(&mut data)?;
    let lines = data.iter().filter(|b| **b == b'\n').count();
    let skip = opts.tail.map_or(0, |n| lines.saturating_sub(n));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut pos = render(&data, opts, skip, &mut stdout.lock(), &mut stderr.lock()) as u64;
    if !opts.follow {
        return Ok(());
    }
    loop {
        let running = lifecycle::refresh(store, c)
            .map(|c| c.state.status == Status::Running)
            .unwrap_or(false);
        file.seek(SeekFrom::Start(pos))?;
        let mut more = Vec::new();
        file.read_to_end(&mut more)?;
        pos += render(&more, opts, 0, &mut stdout.lock(), &mut stderr.lock()) as u64;
        let _ = stdout.lock().flush();
        if !running {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

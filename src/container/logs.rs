//! Reading a container's log back (k8s-file or json-file, across rotated
//! files, oldest first): `--tail`, `--since`, `--until`, `--timestamps`,
//! `--follow` (until the container is no longer running, following the
//! live file through rotations).

use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Result, bail};

use super::logconfig::LogDriver;
use super::store::Store;
use super::{Container, Status, lifecycle};
use crate::monitor::jsonlog::OwnedEntry;
use crate::monitor::log::Stream;
use crate::monitor::rotate;

/// Options of a log read.
pub struct LogOptions {
    pub tail: Option<usize>,
    /// Only records at or after this time.
    pub since: Option<SystemTime>,
    /// Only records at or before this time.
    pub until: Option<SystemTime>,
    pub timestamps: bool,
    pub follow: bool,
}

/// Parse one record of a log written by `driver`.
pub fn parse_record(driver: LogDriver, line: &[u8]) -> Option<OwnedEntry> {
    match driver {
        LogDriver::JsonFile => crate::monitor::jsonlog::parse(line),
        _ => crate::monitor::log::parse(line).map(|e| OwnedEntry {
            time: e.time.to_string(),
            stream: e.stream,
            full: e.full,
            content: e.content.to_vec(),
        }),
    }
}

/// The complete records of `data` (a trailing incomplete line is left);
/// returns them and how many bytes they took.
pub fn records(driver: LogDriver, data: &[u8]) -> (Vec<OwnedEntry>, usize) {
    let end = data.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let list = data[..end]
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| parse_record(driver, l))
        .collect();
    (list, end)
}

/// Whether a record's time is within `--since`/`--until`.
fn in_window(e: &OwnedEntry, opts: &LogOptions) -> bool {
    let Ok(t) = humantime::parse_rfc3339_weak(&e.time) else {
        return true;
    };
    opts.since.is_none_or(|s| t >= s) && opts.until.is_none_or(|u| t <= u)
}

fn render(list: &[OwnedEntry], opts: &LogOptions, out: &mut dyn Write, err: &mut dyn Write) {
    for e in list {
        let w: &mut dyn Write = match e.stream {
            Stream::Stdout => &mut *out,
            Stream::Stderr => &mut *err,
        };
        if opts.timestamps {
            let _ = write!(w, "{} ", e.time);
        }
        let _ = w.write_all(&e.content);
        if e.full {
            let _ = w.write_all(b"\n");
        }
    }
}

/// Parse `--since`/`--until` (`flag` names it): an RFC 3339 time or a
/// duration before now.
pub fn parse_time(flag: &str, s: &str) -> Result<SystemTime> {
    if let Ok(t) = humantime::parse_rfc3339_weak(s) {
        return Ok(t);
    }
    match humantime::parse_duration(s) {
        Ok(d) => Ok(SystemTime::now() - d),
        Err(_) => bail!(
            "invalid {flag} `{s}`\nhint: give a time such as 2026-01-02T15:04:05Z or a duration such as 10m"
        ),
    }
}

/// Parse `--since`.
pub fn parse_since(s: &str) -> Result<SystemTime> {
    parse_time("--since", s)
}

fn inode(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.ino())
}

/// Open the log's files newest first (the live one, `.1`, `.2`…) with
/// their inodes, each once: a rotation while opening only moves a file to
/// a later name, so opening in this order may see one twice but misses
/// none.
fn open_newest_first(path: &Path, max_file: u32) -> Vec<(u64, std::fs::File)> {
    let mut out: Vec<(u64, std::fs::File)> = Vec::new();
    for p in rotate::files_oldest_first(path, max_file).iter().rev() {
        let Ok(f) = std::fs::File::open(p) else {
            continue;
        };
        let Ok(m) = f.metadata() else { continue };
        if !out.iter().any(|(i, _)| *i == m.ino()) {
            out.push((m.ino(), f));
        }
    }
    out
}

/// Print the log of `c`.
pub fn print(store: &Store, c: &Container, opts: &LogOptions) -> Result<()> {
    let driver = c.config.log.driver;
    match driver {
        LogDriver::K8sFile | LogDriver::JsonFile => {}
        LogDriver::Journald => bail!(
            "container `{}` logs to the journal (log driver journald)\nhint: read it with `journalctl CONTAINER_ID_FULL={}`",
            c.name,
            c.id
        ),
        other => bail!(
            "container `{}` has no logs: its log driver is `{}`, which keeps nothing\nhint: create the container with --log-driver k8s-file or json-file to read its output later",
            c.name,
            other.name()
        ),
    }
    let path = lifecycle::log_file(store, c);
    let files: Vec<PathBuf> = rotate::files_oldest_first(&path, c.config.log.max_file)
        .into_iter()
        .filter(|p| p.exists())
        .collect();
    let mut all = Vec::new();
    for f in &files[..files.len().saturating_sub(1)] {
        // A rotated file may vanish under a further rotation: skip it.
        if let Ok(data) = fs_err::read(f) {
            all.extend(records(driver, &data).0);
        }
    }
    let mut live = match fs_err::File::open(&path) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let mut pos = 0u64;
    let mut rest = Vec::new();
    if let Some(f) = &mut live {
        f.read_to_end(&mut rest)?;
        let (list, used) = records(driver, &rest);
        all.extend(list);
        pos = used as u64;
    }
    all.retain(|e| in_window(e, opts));
    let skip = opts.tail.map_or(0, |n| all.len().saturating_sub(n));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    render(&all[skip..], opts, &mut stdout.lock(), &mut stderr.lock());
    if !opts.follow {
        return Ok(());
    }
    let mut ino = live
        .as_ref()
        .and_then(|f| f.metadata().ok())
        .map(|m| m.ino());
    loop {
        let running = lifecycle::refresh(store, c)
            .map(|c| c.state.status == Status::Running)
            .unwrap_or(false);
        // Read what the file we hold got, then switch when the live file
        // was rotated (a new inode) or start over when it was truncated.
        let now_ino = inode(&path);
        let rotated = now_ino.is_some() && now_ino != ino;
        // After a rotation the file we hold is complete: read its rest
        // before switching to the new one.
        let mut more = Vec::new();
        if let Some(f) = &mut live {
            if f.metadata().is_ok_and(|m| m.len() < pos) {
                pos = 0;
            }
            f.seek(SeekFrom::Start(pos))?;
            f.read_to_end(&mut more)?;
        }
        let (list, used) = records(driver, &more);
        pos += used as u64;
        let list: Vec<_> = list.into_iter().filter(|e| in_window(e, opts)).collect();
        render(&list, opts, &mut stdout.lock(), &mut stderr.lock());
        let _ = stdout.lock().flush();
        if rotated {
            // Several rotations may have come since the last look: read
            // every file newer than the one we held, then the live one.
            let files = open_newest_first(&path, c.config.log.max_file);
            let held = files.iter().position(|(i, _)| Some(*i) == ino);
            let newer = match held {
                Some(p) => &files[..p],
                // Ours was dropped (the oldest): every file left is newer.
                None => &files[..],
            };
            if newer.is_empty() {
                continue;
            }
            let mut newer: Vec<&(u64, std::fs::File)> = newer.iter().collect();
            newer.reverse();
            if let Some(((i, _), older)) = newer.split_last() {
                for (_, f) in older {
                    let mut data = Vec::new();
                    let _ = (&*f).read_to_end(&mut data);
                    let list: Vec<_> = records(driver, &data)
                        .0
                        .into_iter()
                        .filter(|e| in_window(e, opts))
                        .collect();
                    render(&list, opts, &mut stdout.lock(), &mut stderr.lock());
                }
                ino = Some(*i);
            }
            live = files
                .into_iter()
                .find(|(i, _)| Some(*i) == ino)
                .map(|(_, f)| fs_err::File::from_parts(f, &path));
            pos = 0;
            continue;
        }
        if !running {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_of_both_formats() {
        let k8s = b"2026-01-01T00:00:00Z stdout F one\n2026-01-01T00:00:01Z stderr P tw";
        let (list, used) = records(LogDriver::K8sFile, k8s);
        assert_eq!(list.len(), 1);
        assert_eq!(used, k8s.iter().position(|b| *b == b'\n').unwrap() + 1);
        assert_eq!(list[0].content, b"one");
        let json = b"{\"log\":\"a\\n\",\"stream\":\"stderr\",\"time\":\"2026-01-01T00:00:00Z\"}\n";
        let (list, _) = records(LogDriver::JsonFile, json);
        assert_eq!((list[0].stream, list[0].full), (Stream::Stderr, true));
        let opts = LogOptions {
            tail: None,
            since: Some(parse_since("2026-01-01T00:00:01Z").unwrap()),
            until: None,
            timestamps: false,
            follow: false,
        };
        assert!(!in_window(&list[0], &opts));
        assert!(parse_time("--until", "yesterday-ish").is_err());
    }
}

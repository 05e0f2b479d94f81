//! The per-user event log (`rctl events`): one JSON object per line in
//! `ROOT/events.log`, appended by the commands and monitors that create,
//! start, stop, remove containers or pull, push, tag, untag and remove
//! images.
//!
//! Writers call [`emit`] with one line at each lifecycle point; the log's
//! location is set once per process by [`set_root`] (from `App::load`), so a
//! process that never loaded an `App` (unit tests) writes nothing. Each
//! event is one `write(2)` on an `O_APPEND` descriptor, so concurrent rctl
//! processes never interleave lines. When the file passes [`MAX_SIZE`] it is
//! renamed to `events.log.1` (replacing the older one) under an exclusive
//! lock; readers read `events.log.1` then `events.log`.
//!
//! Matching and time parsing are pure ([`Filter`], [`parse_time`]).

use fs_err::os::unix::fs::OpenOptionsExt;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// The log is rotated when it grows past this many bytes.
pub const MAX_SIZE: u64 = 1 << 20;

static LOG: OnceLock<PathBuf> = OnceLock::new();

/// Where events of the store at `root` go; set once per process.
pub fn set_root(root: &Path) {
    let _ = LOG.set(log_path(root));
}

/// The log file of the store at `root`.
pub fn log_path(root: &Path) -> PathBuf {
    root.join("events.log")
}

/// The rotated (older) log file next to `log`.
pub fn rotated_path(log: &Path) -> PathBuf {
    let mut s = log.as_os_str().to_owned();
    s.push(".1");
    PathBuf::from(s)
}

/// One event, in Podman's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Image", default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Status")]
    pub status: String,
    /// RFC 3339 with nanoseconds.
    #[serde(rename = "Time")]
    pub time: String,
    /// `container` or `image`.
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(
        rename = "Attributes",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub attributes: BTreeMap<String, String>,
    #[serde(rename = "timeNano")]
    pub time_nano: u128,
}

impl Event {
    fn new(kind: &str, status: &str, id: &str) -> Event {
        let nanos = crate::container::now();
        Event {
            id: id.to_string(),
            image: String::new(),
            name: String::new(),
            status: status.to_string(),
            time: crate::container::rfc3339(nanos),
            kind: kind.to_string(),
            attributes: BTreeMap::new(),
            time_nano: nanos,
        }
    }

    /// A container event (`create`, `start`, `stop`, `died`, `remove`).
    pub fn container(status: &str, c: &crate::container::Container) -> Event {
        let mut e = Event::new("container", status, &c.id);
        e.name = c.name.clone();
        e.image = c.config.image_name.clone();
        e
    }

    /// A container's `died` event with its exit code.
    pub fn died(c: &crate::container::Container, code: i32) -> Event {
        let mut e = Event::container("died", c);
        e.attributes
            .insert("containerExitCode".into(), code.to_string());
        e
    }

    /// An image event (`pull`, `push`, `tag`, `untag`, `remove`).
    pub fn image(status: &str, id: &str, name: &str) -> Event {
        let mut e = Event::new("image", status, id);
        e.name = name.to_string();
        e
    }

    /// Seconds since the epoch.
    pub fn secs(&self) -> i64 {
        (self.time_nano / 1_000_000_000) as i64
    }

    /// Podman's text line: `TIME TYPE STATUS ID (image=…, name=…, k=v)`.
    pub fn text(&self) -> String {
        let mut attrs = Vec::new();
        if !self.image.is_empty() {
            attrs.push(format!("image={}", self.image));
        }
        if !self.name.is_empty() {
            attrs.push(format!("name={}", self.name));
        }
        attrs.extend(self.attributes.iter().map(|(k, v)| format!("{k}={v}")));
        format!(
            "{} {} {} {} ({})",
            self.time,
            self.kind,
            self.status,
            self.id,
            attrs.join(", ")
        )
    }
}

/// Emit a container event (one line at each lifecycle point).
pub fn container(status: &str, c: &crate::container::Container) {
    emit(Event::container(status, c));
}

/// Emit a container's `create` event (for `Result::inspect`).
pub fn created(c: &crate::container::Container) {
    container("create", c);
}

/// Emit a `pull` event and give the image ID back.
pub fn pulled(id: String, name: impl std::fmt::Display) -> String {
    image("pull", &id, &name.to_string());
    id
}

/// Emit a container's `died` event.
pub fn died(c: &crate::container::Container, code: i32) {
    emit(Event::died(c, code));
}

/// Emit an image event.
pub fn image(status: &str, id: &str, name: &str) {
    emit(Event::image(status, id, name));
}

/// Append `event` to this process's log, if one is set. Failures are
/// logged, never returned: an event log must not break the operation.
pub fn emit(event: Event) {
    let Some(path) = LOG.get() else {
        return;
    };
    if let Err(e) = append(path, &event, MAX_SIZE) {
        log::warn!("write event log `{}`: {e:#}", path.display());
    }
}

/// Append one event to the log at `path`, rotating it past `cap` bytes.
pub fn append(path: &Path, event: &Event, cap: u64) -> Result<()> {
    let mut line = serde_json::to_vec(event)?;
    line.push(b'\n');
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= cap) {
        rotate(path, cap)?;
    }
    let mut f = fs_err::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(&line)?;
    Ok(())
}

/// Rename a full log to `.1` under an exclusive lock (checked again once
/// locked, so two writers rotate once).
fn rotate(path: &Path, cap: u64) -> Result<()> {
    let mut lock_name = path.as_os_str().to_owned();
    lock_name.push(".lock");
    let lock_file = fs_err::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(PathBuf::from(lock_name))?;
    let _lock = nix::fcntl::Flock::lock(
        lock_file.into_parts().0,
        nix::fcntl::FlockArg::LockExclusive,
    )
    .map_err(|(_, e)| e)?;
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= cap) {
        fs_err::rename(path, rotated_path(path))?;
    }
    Ok(())
}

/// Parse the lines of a log; malformed lines (a torn write after a crash)
/// are skipped.
pub fn parse_lines(text: &str) -> Vec<Event> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// One `--filter KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `container=NAME|ID` (an ID prefix matches).
    Container(String),
    /// `event=STATUS` (`die` means `died`, `rm` means `remove`).
    Status(String),
    /// `image=NAME|ID`.
    Image(String),
    /// `type=container|image`.
    Type(String),
}

/// Podman's and Docker's spellings of one status.
fn canonical_status(s: &str) -> String {
    match s {
        "die" => "died".into(),
        "rm" | "rmi" | "delete" => "remove".into(),
        other => other.to_string(),
    }
}

impl Filter {
    pub fn parse(text: &str) -> Result<Filter> {
        let Some((k, v)) = text.split_once('=') else {
            bail!("filter `{text}` is not KEY=VALUE\nhint: e.g. --filter event=start");
        };
        if v.is_empty() {
            bail!("filter `{text}` has an empty value");
        }
        Ok(match k {
            "container" => Filter::Container(v.into()),
            "event" | "status" => Filter::Status(canonical_status(v)),
            "image" => Filter::Image(v.into()),
            "type" => match v {
                "container" | "image" => Filter::Type(v.into()),
                _ => bail!("filter `{text}`: type is `container` or `image`"),
            },
            _ => bail!("unknown event filter `{k}`\nhint: use container=, event=, image= or type="),
        })
    }

    pub fn matches(&self, e: &Event) -> bool {
        match self {
            Filter::Container(v) => {
                e.kind == "container" && (e.name == *v || (v.len() >= 3 && e.id.starts_with(v)))
            }
            Filter::Status(v) => canonical_status(&e.status) == *v,
            Filter::Image(v) => {
                let names_it = |n: &str| {
                    n == v
                        || n.rsplit_once(':').is_some_and(|(repo, _)| repo == v)
                        || n.ends_with(&format!("/{v}"))
                        || n.ends_with(&format!("/{v}:latest"))
                };
                names_it(&e.image)
                    || (e.kind == "image"
                        && (names_it(&e.name) || (v.len() >= 3 && e.id.starts_with(v))))
            }
            Filter::Type(v) => e.kind == *v,
        }
    }
}

/// Which events to show: filters of different keys must all match, filters
/// of one key any (Podman's rule), inside `[since, until]` (seconds).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub filters: Vec<Filter>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Selection {
    pub fn matches(&self, e: &Event) -> bool {
        let secs = e.secs();
        if self.since.is_some_and(|s| secs < s) || self.until.is_some_and(|u| secs > u) {
            return false;
        }
        let key = |f: &Filter| std::mem::discriminant(f);
        self.filters.iter().all(|f| {
            self.filters
                .iter()
                .filter(|g| key(g) == key(f))
                .any(|g| g.matches(e))
        })
    }
}

/// Parse a `--since`/`--until`/`until=` time: RFC 3339 (`2026-01-02T15:04:05Z`,
/// a date alone), Unix seconds, or a duration before `now` (`10m`, `24h`).
pub fn parse_time(flag: &str, s: &str, now: i64) -> Result<i64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Ok(n);
    }
    if let Ok(time) = humantime::parse_rfc3339_weak(t) {
        return Ok(time
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0));
    }
    if t.len() == 10 {
        if let Some(secs) = crate::image::parse_rfc3339(&format!("{t}T00:00:00Z")) {
            return Ok(secs);
        }
    }
    match humantime::parse_duration(t) {
        Ok(d) => Ok(now - d.as_secs() as i64),
        Err(_) => bail!(
            "invalid {flag} `{s}`\nhint: give a time such as 2026-01-02T15:04:05Z, Unix seconds, or a duration before now such as 10m or 24h"
        ),
    }
}

/// Every event in the log of the store at `root` (the rotated file first).
pub fn read_all(root: &Path) -> Result<Vec<Event>> {
    let log = log_path(root);
    let mut out = Vec::new();
    for p in [rotated_path(&log), log] {
        match fs_err::read_to_string(&p) {
            Ok(text) => out.extend(parse_lines(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// An open event log file and how far it was read (`rctl events` follows
/// the log with it).
pub struct Follower {
    file: fs_err::File,
    ino: u64,
    partial: Vec<u8>,
}

impl Follower {
    pub fn open(path: &Path) -> Option<Follower> {
        let file = fs_err::File::open(path).ok()?;
        let ino = file.metadata().ok()?.ino();
        Some(Follower {
            file,
            ino,
            partial: Vec::new(),
        })
    }

    /// The complete lines appended since the last call.
    pub fn read_new(&mut self) -> Result<Vec<Event>> {
        let mut buf = Vec::new();
        self.file.read_to_end(&mut buf)?;
        self.partial.extend_from_slice(&buf);
        let Some(end) = self.partial.iter().rposition(|b| *b == b'\n') else {
            return Ok(Vec::new());
        };
        let complete: Vec<u8> = self.partial.drain(..=end).collect();
        Ok(parse_lines(&String::from_utf8_lossy(&complete)))
    }

    /// Whether `log` is now another file (rotated since this one was
    /// opened).
    pub fn rotated_away(&self, log: &Path) -> bool {
        std::fs::metadata(log).is_ok_and(|m| m.ino() != self.ino)
    }
}

/// The events of the rotated log file next to `log` (none when absent).
pub fn read_rotated(log: &Path) -> Vec<Event> {
    std::fs::read_to_string(rotated_path(log))
        .map(|t| parse_lines(&t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: &str, status: &str, id: &str, name: &str, secs: i64) -> Event {
        Event {
            id: id.into(),
            image: if kind == "container" {
                "localhost/bb:latest".into()
            } else {
                String::new()
            },
            name: name.into(),
            status: status.into(),
            time: String::new(),
            kind: kind.into(),
            attributes: BTreeMap::new(),
            time_nano: secs as u128 * 1_000_000_000,
        }
    }

    #[test]
    fn filters_of_one_key_are_alternatives_of_different_keys_all_required() {
        let start = ev("container", "start", "abcdef01", "web", 100);
        let died = ev("container", "died", "abcdef01", "web", 200);
        let pull = ev(
            "image",
            "pull",
            "123456",
            "docker.io/library/bb:latest",
            150,
        );
        let sel = Selection {
            filters: vec![
                Filter::parse("event=start").unwrap(),
                Filter::parse("event=die").unwrap(),
                Filter::parse("container=web").unwrap(),
            ],
            ..Default::default()
        };
        assert!(sel.matches(&start) && sel.matches(&died) && !sel.matches(&pull));
        let by_id = Selection {
            filters: vec![Filter::parse("container=abcd").unwrap()],
            ..Default::default()
        };
        assert!(by_id.matches(&start) && !by_id.matches(&pull));
        let images = Selection {
            filters: vec![Filter::parse("type=image").unwrap()],
            ..Default::default()
        };
        assert!(images.matches(&pull) && !images.matches(&start));
        let img = Selection {
            filters: vec![Filter::parse("image=bb").unwrap()],
            ..Default::default()
        };
        assert!(img.matches(&pull) && img.matches(&start));
        let window = Selection {
            since: Some(120),
            until: Some(180),
            ..Default::default()
        };
        assert!(window.matches(&pull) && !window.matches(&start) && !window.matches(&died));
    }

    #[test]
    fn bad_filters_name_the_fix() {
        for bad in ["event", "color=red", "type=volume", "event="] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
        let e = Filter::parse("color=red").unwrap_err().to_string();
        assert!(e.contains("hint:"), "{e}");
    }

    #[test]
    fn times_parse_in_three_forms() {
        assert_eq!(
            parse_time("--since", "1700000000", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(
            parse_time("--since", "2023-11-14T22:13:20Z", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(parse_time("--since", "10m", 1000).unwrap(), 400);
        assert_eq!(parse_time("--until", "24h", 100_000).unwrap(), 13_600);
        assert_eq!(parse_time("--since", "1970-01-02", 0).unwrap(), 86_400);
        let e = parse_time("--since", "yesterday", 0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--since") && e.contains("hint:"), "{e}");
    }

    #[test]
    fn log_rotates_past_its_cap_and_torn_lines_are_skipped() {
        let dir = std::env::temp_dir().join(format!("rctl-events-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let log = log_path(&dir);
        let e = ev("image", "pull", "1234", "x", 1);
        let len = serde_json::to_vec(&e).unwrap().len() as u64 + 1;
        for _ in 0..3 {
            append(&log, &e, 2 * len).unwrap();
        }
        // Two lines filled the cap; the third rotated them away.
        assert_eq!(
            parse_lines(&std::fs::read_to_string(&log).unwrap()).len(),
            1
        );
        assert_eq!(
            parse_lines(&std::fs::read_to_string(rotated_path(&log)).unwrap()).len(),
            2
        );
        std::fs::write(&log, b"{\"ID\":\"torn").unwrap();
        assert_eq!(read_all(&dir).unwrap().len(), 2);
        assert!(
            e.text().contains("image pull 1234 (name=x)"),
            "{}",
            e.text()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The container's log: output split into lines (long ones into partial
//! records) and handed to the log driver: the k8s-file format Podman uses
//! (`TIMESTAMP STREAM F|P CONTENT` per line, `P` marking a partial line),
//! Docker's json-file lines (`jsonlog`), both in a rotating file
//! (`rotate`), or the journal (`journald`); `none` and `passthrough`
//! keep nothing.

use anyhow::Result;

use super::journald::Journal;
use super::rotate::RotatingFile;
use crate::container::Container;
use crate::container::logconfig::{LogConfig, LogDriver};

/// Which output a chunk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// Longest partial line kept before it is written as `P`.
const MAX_PARTIAL: usize = 16 * 1024;

/// Where records go.
enum Sink {
    K8sFile(RotatingFile),
    JsonFile(RotatingFile, String),
    Journald(Journal),
    Discard,
}

impl Sink {
    fn emit(&mut self, time: &str, stream: Stream, full: bool, content: &[u8]) {
        match self {
            Sink::K8sFile(f) => f.write(&record(time, stream, full, content)),
            Sink::JsonFile(f, attrs) => {
                f.write(&super::jsonlog::record(time, stream, full, content, attrs))
            }
            Sink::Journald(j) => j.send(stream, full, content),
            Sink::Discard => {}
        }
    }

    /// Write out what the file drivers queued.
    fn sync(&mut self) {
        if let Sink::K8sFile(f) | Sink::JsonFile(f, _) = self {
            f.sync();
        }
    }
}

/// The log driver's sink and the partial line of each stream.
pub struct LogWriter {
    sink: Sink,
    partial: [Vec<u8>; 2],
}

/// Format one record.
pub fn record(time: &str, stream: Stream, full: bool, content: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(content.len() + 48);
    v.extend_from_slice(time.as_bytes());
    v.push(b' ');
    v.extend_from_slice(stream.name().as_bytes());
    v.extend_from_slice(if full { b" F " } else { b" P " });
    v.extend_from_slice(content);
    v.push(b'\n');
    v
}

impl LogWriter {
    /// Open the sink of container `c`'s log driver; `path` is its log
    /// file (for the file drivers).
    pub fn open(cfg: &LogConfig, path: &std::path::Path, c: &Container) -> Result<LogWriter> {
        let file = || RotatingFile::open(path, cfg.max_size, cfg.max_file);
        let sink = match cfg.driver {
            LogDriver::K8sFile => Sink::K8sFile(file()?),
            LogDriver::JsonFile => Sink::JsonFile(file()?, super::jsonlog::attrs(&cfg.attrs)),
            LogDriver::Journald => Sink::Journald(Journal::open(c, cfg.tag.as_deref())?),
            LogDriver::None | LogDriver::Passthrough => Sink::Discard,
        };
        Ok(LogWriter {
            sink,
            partial: [Vec::new(), Vec::new()],
        })
    }

    /// Log a chunk of output.
    pub fn write(&mut self, stream: Stream, data: &[u8]) {
        if matches!(self.sink, Sink::Discard) {
            return;
        }
        let time = crate::container::rfc3339(crate::container::now());
        let idx = stream as usize;
        let mut rest = data;
        while let Some(nl) = rest.iter().position(|b| *b == b'\n') {
            let mut line = std::mem::take(&mut self.partial[idx]);
            line.extend_from_slice(&rest[..nl]);
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            self.sink.emit(&time, stream, true, line);
            rest = &rest[nl + 1..];
        }
        self.partial[idx].extend_from_slice(rest);
        if self.partial[idx].len() >= MAX_PARTIAL {
            let line = std::mem::take(&mut self.partial[idx]);
            self.sink.emit(&time, stream, false, &line);
        }
        self.sink.sync();
    }

    /// Write out any partial lines (at the end of the container).
    pub fn flush(&mut self) {
        let time = crate::container::rfc3339(crate::container::now());
        for (idx, stream) in [Stream::Stdout, Stream::Stderr].into_iter().enumerate() {
            if !self.partial[idx].is_empty() {
                let line = std::mem::take(&mut self.partial[idx]);
                self.sink.emit(&time, stream, false, &line);
            }
        }
        self.sink.sync();
    }
}

/// One parsed log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub time: &'a str,
    pub stream: Stream,
    pub full: bool,
    pub content: &'a [u8],
}

/// Parse one line of a k8s-file log (without its newline).
pub fn parse(line: &[u8]) -> Option<Entry<'_>> {
    let mut parts = line.splitn(4, |b| *b == b' ');
    let time = std::str::from_utf8(parts.next()?).ok()?;
    let stream = match parts.next()? {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        _ => return None,
    };
    let full = parts.next()? == b"F";
    Some(Entry {
        time,
        stream,
        full,
        content: parts.next().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let r = record("T", Stream::Stderr, false, b"a b");
        assert_eq!(r, b"T stderr P a b\n");
        let e = parse(&r[..r.len() - 1]).unwrap();
        assert_eq!(
            (e.time, e.stream, e.full, e.content),
            ("T", Stream::Stderr, false, &b"a b"[..])
        );
        assert_eq!(parse(b"T stdout F ").unwrap().content, b"");
        assert!(parse(b"garbage").is_none());
    }
}

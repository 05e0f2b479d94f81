//! Docker's json-file log format: one JSON object per line,
//! `{"log":"LINE\n","stream":"stdout","attrs":{…},"time":"RFC3339NANO"}`;
//! a partial line is a `log` without its trailing newline.

use std::collections::BTreeMap;

use super::log::Stream;

/// The `,"attrs":{…}` part written into every record (empty for none).
pub fn attrs(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return String::new();
    }
    format!(
        ",\"attrs\":{}",
        serde_json::to_string(map).unwrap_or_else(|_| "{}".into())
    )
}

/// Format one record; `attrs` comes from [`attrs`].
pub fn record(time: &str, stream: Stream, full: bool, content: &[u8], attrs: &str) -> Vec<u8> {
    let mut log = String::from_utf8_lossy(content).into_owned();
    if full {
        log.push('\n');
    }
    let log = serde_json::to_string(&log).unwrap_or_else(|_| "\"\"".into());
    format!(
        "{{\"log\":{log},\"stream\":\"{}\"{attrs},\"time\":\"{time}\"}}\n",
        stream.name()
    )
    .into_bytes()
}

/// One record read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedEntry {
    pub time: String,
    pub stream: Stream,
    pub full: bool,
    pub content: Vec<u8>,
}

#[derive(serde::Deserialize)]
struct Line {
    log: String,
    stream: String,
    time: String,
}

/// Parse one line (without its newline).
pub fn parse(line: &[u8]) -> Option<OwnedEntry> {
    let l: Line = serde_json::from_slice(line).ok()?;
    let stream = match l.stream.as_str() {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        _ => return None,
    };
    let (full, content) = match l.log.strip_suffix('\n') {
        Some(c) => (true, c.as_bytes().to_vec()),
        None => (false, l.log.into_bytes()),
    };
    Some(OwnedEntry {
        time: l.time,
        stream,
        full,
        content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_line_format() {
        let a = attrs(&BTreeMap::from([("app".to_string(), "web".to_string())]));
        let r = record(
            "2026-01-02T03:04:05.000000006Z",
            Stream::Stderr,
            true,
            b"say \"hi\"\t",
            &a,
        );
        assert_eq!(
            String::from_utf8(r.clone()).unwrap(),
            "{\"log\":\"say \\\"hi\\\"\\t\\n\",\"stream\":\"stderr\",\"attrs\":{\"app\":\"web\"},\"time\":\"2026-01-02T03:04:05.000000006Z\"}\n"
        );
        let e = parse(&r[..r.len() - 1]).unwrap();
        assert_eq!((e.stream, e.full), (Stream::Stderr, true));
        assert_eq!(e.content, b"say \"hi\"\t");
        let p = record("T", Stream::Stdout, false, b"part", "");
        assert_eq!(
            p,
            b"{\"log\":\"part\",\"stream\":\"stdout\",\"time\":\"T\"}\n"
        );
        assert!(!parse(&p[..p.len() - 1]).unwrap().full);
        assert!(parse(b"{}").is_none());
    }
}

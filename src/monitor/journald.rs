//! The journald log driver: each line is sent as one datagram in the
//! journal's native protocol to `/run/systemd/journal/socket` —
//! `KEY=VALUE\n` fields, or `KEY\n` + 64-bit little-endian length +
//! bytes + `\n` for a value with a newline in it. Lines are at most 16 KiB
//! (longer ones are split into partial records), well under the datagram
//! limit, so the memfd way for huge entries is not needed.

use std::os::unix::net::UnixDatagram;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::log::Stream;
use crate::container::Container;

/// Where journald listens.
pub const SOCKET: &str = "/run/systemd/journal/socket";

/// Fail when there is no journal to log to (checked at create time).
pub fn check_socket() -> Result<()> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata(SOCKET) {
        Ok(m) if m.file_type().is_socket() => Ok(()),
        _ => bail!(
            "the journald log driver needs the journal socket `{SOCKET}`, which does not exist here\nhint: use --log-driver k8s-file or json-file (or run under systemd-journald)"
        ),
    }
}

/// Append one field.
pub fn field(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    out.extend_from_slice(key.as_bytes());
    if value.contains(&b'\n') {
        out.push(b'\n');
        out.extend_from_slice(&(value.len() as u64).to_le_bytes());
    } else {
        out.push(b'=');
    }
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// The fields every entry of a container carries.
pub fn common_fields(c: &Container, tag: Option<&str>) -> Vec<u8> {
    let mut v = Vec::new();
    field(&mut v, "CONTAINER_ID", c.short_id().as_bytes());
    field(&mut v, "CONTAINER_ID_FULL", c.id.as_bytes());
    field(&mut v, "CONTAINER_NAME", c.name.as_bytes());
    if let Some(t) = tag {
        field(&mut v, "CONTAINER_TAG", t.as_bytes());
    }
    field(
        &mut v,
        "SYSLOG_IDENTIFIER",
        tag.unwrap_or(c.name.as_str()).as_bytes(),
    );
    v
}

/// One entry: the common fields, the priority (info for stdout, error
/// for stderr) and the message.
pub fn entry(common: &[u8], stream: Stream, full: bool, message: &[u8]) -> Vec<u8> {
    let mut v = common.to_vec();
    field(
        &mut v,
        "PRIORITY",
        match stream {
            Stream::Stdout => b"6",
            Stream::Stderr => b"3",
        },
    );
    if !full {
        field(&mut v, "CONTAINER_PARTIAL_MESSAGE", b"true");
    }
    field(&mut v, "MESSAGE", message);
    v
}

/// A connection to the journal for one container.
pub struct Journal {
    sock: UnixDatagram,
    common: Vec<u8>,
}

impl Journal {
    pub fn open(c: &Container, tag: Option<&str>) -> Result<Journal> {
        check_socket()?;
        Journal::connect_to(Path::new(SOCKET), common_fields(c, tag))
    }

    pub fn connect_to(path: &Path, common: Vec<u8>) -> Result<Journal> {
        let sock = UnixDatagram::unbound().context("create a datagram socket")?;
        sock.connect(path)
            .with_context(|| format!("connect to the journal at `{}`", path.display()))?;
        Ok(Journal { sock, common })
    }

    pub fn send(&mut self, stream: Stream, full: bool, message: &[u8]) {
        // Like journald's own clients, drop an entry rather than block the
        // container's output when the journal is gone or full.
        let _ = self.sock.send(&entry(&self.common, stream, full, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode the native protocol back into (key, value) pairs.
    fn decode(mut b: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        while !b.is_empty() {
            let nl = b.iter().position(|x| *x == b'\n').unwrap();
            let line = &b[..nl];
            if let Some(eq) = line.iter().position(|x| *x == b'=') {
                out.push((
                    String::from_utf8(line[..eq].to_vec()).unwrap(),
                    line[eq + 1..].to_vec(),
                ));
                b = &b[nl + 1..];
            } else {
                let key = String::from_utf8(line.to_vec()).unwrap();
                let len = u64::from_le_bytes(b[nl + 1..nl + 9].try_into().unwrap()) as usize;
                let value = b[nl + 9..nl + 9 + len].to_vec();
                assert_eq!(b[nl + 9 + len], b'\n');
                out.push((key, value));
                b = &b[nl + 10 + len..];
            }
        }
        out
    }

    #[test]
    fn wire_encoding() {
        let mut v = Vec::new();
        field(&mut v, "MESSAGE", b"hello");
        assert_eq!(v, b"MESSAGE=hello\n");
        let mut v = Vec::new();
        field(&mut v, "MESSAGE", b"a\nb");
        assert_eq!(v, b"MESSAGE\n\x03\0\0\0\0\0\0\0a\nb\n");
        let e = entry(b"CONTAINER_NAME=web\n", Stream::Stderr, false, b"x\ny");
        assert_eq!(
            decode(&e),
            vec![
                ("CONTAINER_NAME".into(), b"web".to_vec()),
                ("PRIORITY".into(), b"3".to_vec()),
                ("CONTAINER_PARTIAL_MESSAGE".into(), b"true".to_vec()),
                ("MESSAGE".into(), b"x\ny".to_vec()),
            ]
        );
    }

    #[test]
    fn sends_datagrams_to_a_listening_socket() {
        let dir = std::env::temp_dir().join(format!("rctl-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("socket");
        let server = UnixDatagram::bind(&path).unwrap();
        let mut j = Journal::connect_to(&path, b"CONTAINER_ID=abc\n".to_vec()).unwrap();
        j.send(Stream::Stdout, true, b"line one");
        let mut buf = vec![0u8; 4096];
        let n = server.recv(&mut buf).unwrap();
        let fields = decode(&buf[..n]);
        assert!(fields.contains(&("MESSAGE".into(), b"line one".to_vec())));
        assert!(fields.contains(&("PRIORITY".into(), b"6".to_vec())));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

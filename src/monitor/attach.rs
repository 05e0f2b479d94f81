//! The attach socket: a unix socket per running container on which the
//! monitor streams the container's output to any number of `rctl attach`
//! clients (framed: stream byte, little-endian u32 length, data) and from
//! which it takes their input for the container's terminal or stdin pipe.

use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use super::log::Stream;

/// One frame of output.
pub fn frame(stream: Stream, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(data.len() + 5);
    v.push(match stream {
        Stream::Stdout => 1,
        Stream::Stderr => 2,
    });
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(data);
    v
}

/// Take the complete frames off the front of `buf`.
pub fn parse_frames(buf: &mut Vec<u8>) -> Vec<(Stream, Vec<u8>)> {
    let mut out = Vec::new();
    loop {
        if buf.len() < 5 {
            return out;
        }
        let len = u32::from_le_bytes([buf[1], buf[2], buf[3], buf[4]]) as usize;
        if buf.len() < 5 + len {
            return out;
        }
        let stream = if buf[0] == 2 {
            Stream::Stderr
        } else {
            Stream::Stdout
        };
        out.push((stream, buf[5..5 + len].to_vec()));
        buf.drain(..5 + len);
    }
}

/// The listening socket and its clients.
pub struct AttachServer {
    listener: UnixListener,
    clients: Vec<UnixStream>,
    path: PathBuf,
}

impl AttachServer {
    /// Listen at `path` (replacing a stale socket), owner-only.
    pub fn bind(path: &Path) -> Result<AttachServer> {
        use std::os::unix::fs::PermissionsExt;
        if let Some(dir) = path.parent() {
            crate::ondisk::create_private_dir(dir)?;
        }
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path)
            .with_context(|| format!("listen on attach socket `{}`", path.display()))?;
        listener
            .set_nonblocking(true)
            .context("make the attach socket non-blocking")?;
        fs_err::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        Ok(AttachServer {
            listener,
            clients: Vec::new(),
            path: path.to_path_buf(),
        })
    }

    pub fn listener_fd(&self) -> BorrowedFd<'_> {
        self.listener.as_fd()
    }

    pub fn client_fds(&self) -> Vec<BorrowedFd<'_>> {
        self.clients.iter().map(|c| c.as_fd()).collect()
    }

    /// Accept every pending client.
    pub fn accept(&mut self) {
        while let Ok((s, _)) = self.listener.accept() {
            let _ = s.set_nonblocking(false);
            // A client that stops reading is dropped rather than
            // stalling the container's output.
            let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = s.set_read_timeout(Some(Duration::from_millis(1)));
            self.clients.push(s);
        }
    }

    /// Send output to every client, dropping those that fail.
    pub fn broadcast(&mut self, stream: Stream, data: &[u8]) {
        if self.clients.is_empty() {
            return;
        }
        let f = frame(stream, data);
        self.clients.retain_mut(|c| c.write_all(&f).is_ok());
    }

    /// Read input from client `i`; `None` when it left (it is dropped).
    pub fn read_client(&mut self, i: usize, buf: &mut [u8]) -> Option<usize> {
        match self.clients.get_mut(i)?.read(buf) {
            Ok(0) | Err(_) => {
                self.clients.remove(i);
                None
            }
            Ok(n) => Some(n),
        }
    }
}

impl Drop for AttachServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_in_pieces() {
        let mut all = frame(Stream::Stdout, b"hello");
        all.extend(frame(Stream::Stderr, b""));
        all.extend(frame(Stream::Stderr, b"x"));
        let mut buf = all[..7].to_vec();
        assert!(parse_frames(&mut buf).is_empty());
        buf.extend_from_slice(&all[7..]);
        let got = parse_frames(&mut buf);
        assert_eq!(
            got,
            vec![
                (Stream::Stdout, b"hello".to_vec()),
                (Stream::Stderr, vec![]),
                (Stream::Stderr, b"x".to_vec())
            ]
        );
        assert!(buf.is_empty());
    }
}

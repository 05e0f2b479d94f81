//! `attach`: connect to a running container's monitor, show its output,
//! send it input, and end with its exit code.

use std::io::Write;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::net::UnixStream;
use std::path::Path;

use anyhow::{Context, Result, bail};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::store::Store;
use super::{Container, Status, lifecycle};
use crate::monitor::attach::parse_frames;
use crate::monitor::log::Stream;

/// Attach until the container's output ends; return its exit code.
pub fn attach(store: &Store, runroot: &Path, c: &Container) -> Result<u8> {
    let c = lifecycle::refresh(store, c)?;
    if c.state.status != Status::Running {
        bail!(
            "container `{}` is not running\nhint: start it with `rctl start -a {0}`",
            c.name
        );
    }
    let path = lifecycle::attach_socket_path(runroot, &c.id);
    let sock = UnixStream::connect(&path)
        .with_context(|| format!("connect to the attach socket `{}`", path.display()))?;
    let _raw = if c.config.tty {
        crate::terminal::RawMode::enter()
    } else {
        None
    };
    let mut stdin_open = c.config.interactive;
    let mut pending = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    loop {
        let stdin = std::io::stdin();
        let mut fds = vec![PollFd::new(sock.as_fd(), PollFlags::POLLIN)];
        if stdin_open {
            fds.push(PollFd::new(stdin.as_fd(), PollFlags::POLLIN));
        }
        match poll(&mut fds, PollTimeout::NONE) {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e).context("wait for the container"),
            Ok(_) => {}
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        if ready[0] {
            match nix::unistd::read(sock.as_raw_fd(), &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    pending.extend_from_slice(&buf[..n]);
                    for (stream, data) in parse_frames(&mut pending) {
                        let _ = match stream {
                            Stream::Stdout => stdout
                                .lock()
                                .write_all(&data)
                                .and_then(|()| stdout.lock().flush()),
                            Stream::Stderr => stderr.lock().write_all(&data),
                        };
                    }
                }
            }
        }
        if stdin_open && ready.get(1) == Some(&true) {
            match nix::unistd::read(std::io::stdin().as_raw_fd(), &mut buf) {
                Ok(0) | Err(_) => stdin_open = false,
                Ok(n) => {
                    let _ = (&sock).write_all(&buf[..n]);
                }
            }
        }
    }
    let done = lifecycle::wait_exited(store, &c, Some(std::time::Duration::from_secs(10)))?;
    Ok(done
        .and_then(|c| c.state.exit_code)
        .map_or(crate::error::RCTL_ERROR, |c| c as u8))
}

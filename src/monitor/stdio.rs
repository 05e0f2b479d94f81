//! The container's standard streams as the monitor sets them up: a
//! terminal (`-t`), or pipes for stdout and stderr and either the caller's
//! stdin (`-i` while attached) or `/dev/null`.

use std::os::fd::{AsFd, OwnedFd};

use crate::sys;
use anyhow::{Context, Result};
use nix::fcntl::OFlag;

/// The container's ends (`child`) and the monitor's ends.
pub struct Stdio {
    /// What becomes the container's fds 0, 1, 2.
    pub child: [OwnedFd; 3],
    /// Terminal master (with `-t`, once received): output of both
    /// streams, input.
    pub master: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
    /// The write end of the container's stdin pipe (`-i`): the attached
    /// caller's input and attach clients feed it.
    pub stdin: Option<OwnedFd>,
}

fn dup(fd: impl AsFd) -> Result<OwnedFd> {
    fd.as_fd()
        .try_clone_to_owned()
        .context("duplicate a descriptor")
}

/// Set up the streams; with `passthrough` (the log driver) the container
/// writes to the monitor's own stdout and stderr (the attached caller's).
pub fn setup(tty: bool, interactive: bool, attached: bool, passthrough: bool) -> Result<Stdio> {
    // The caller's own stdin never enters the container (a terminal fd
    // there would allow TIOCSTI input injection into the caller's
    // session): with -i the container reads a pipe the monitor feeds.
    let _ = attached;
    if tty {
        // The container opens its terminal itself (in its own devpts) and
        // sends the master back; until then its stdio is /dev/null.
        let null = sys::dev_null()?;
        return Ok(Stdio {
            child: [dup(&null)?, dup(&null)?, null],
            master: None,
            stdout: None,
            stderr: None,
            stdin: None,
        });
    }
    let ((out_r, out_w), (err_r, err_w)) = if passthrough {
        (
            (None, dup(std::io::stdout())?),
            (None, dup(std::io::stderr())?),
        )
    } else {
        let (r1, w1) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create a pipe")?;
        let (r2, w2) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create a pipe")?;
        ((Some(r1), w1), (Some(r2), w2))
    };
    let (stdin, stdin_w) = if interactive {
        let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create a pipe")?;
        (r, Some(w))
    } else {
        (sys::dev_null()?, None)
    };
    Ok(Stdio {
        child: [stdin, out_w, err_w],
        master: None,
        stdout: out_r,
        stderr: err_r,
        stdin: stdin_w,
    })
}

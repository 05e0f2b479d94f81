//! The container's standard streams as the monitor sets them up: a
//! terminal (`-t`), or pipes for stdout and stderr and either the caller's
//! stdin (`-i` while attached) or `/dev/null`.

use std::os::fd::{AsFd, OwnedFd};

use anyhow::{Context, Result};
use nix::fcntl::OFlag;

/// The container's ends (`child`) and the monitor's ends.
pub struct Stdio {
    /// What becomes the container's fds 0, 1, 2.
    pub child: [OwnedFd; 3],
    /// Terminal master (with `-t`): output of both streams, input.
    pub master: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
}

fn dup(fd: impl AsFd) -> Result<OwnedFd> {
    fd.as_fd()
        .try_clone_to_owned()
        .context("duplicate a descriptor")
}

fn dev_null() -> Result<OwnedFd> {
    Ok(fs_err::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")?
        .into_parts()
        .0
        .into())
}

/// Set up the streams.
pub fn setup(tty: bool, stdin_from_caller: bool) -> Result<Stdio> {
    if tty {
        let pty = nix::pty::openpty(None, None).context("open a terminal for the container")?;
        nix::fcntl::fcntl(
            std::os::fd::AsRawFd::as_raw_fd(&pty.master),
            nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
        )?;
        let s = pty.slave;
        return Ok(Stdio {
            child: [dup(&s)?, dup(&s)?, s],
            master: Some(pty.master),
            stdout: None,
            stderr: None,
        });
    }
    let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create a pipe")?;
    let (err_r, err_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create a pipe")?;
    let stdin = if stdin_from_caller {
        dup(std::io::stdin())?
    } else {
        dev_null()?
    };
    Ok(Stdio {
        child: [stdin, out_w, err_w],
        master: None,
        stdout: Some(out_r),
        stderr: Some(err_r),
    })
}

//! The standard streams of a process run by `exec`: never the caller's own
//! descriptors (a terminal there would let the container inject input into
//! the caller's session with TIOCSTI), but pipes or a terminal opened in the
//! container's devpts, copied to and from the caller by rctl.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use anyhow::{Context, Result};
use nix::fcntl::OFlag;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::sys;

/// How the exec'd process is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecIo {
    /// /dev/null; rctl returns at once.
    Detached,
    /// Pipes for stdout and stderr, and for stdin with `-i`.
    Pipes { stdin: bool },
    /// A terminal (`-t`), fed from the caller's stdin with `-i`.
    Terminal { stdin: bool },
}

/// The child's ends.
pub enum ChildSide {
    Null,
    Fds([OwnedFd; 3]),
    Console(OwnedFd),
}

/// rctl's ends.
pub struct ParentSide {
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    console: Option<OwnedFd>,
    forward_stdin: bool,
}

/// Make both sides before the fork.
pub fn prepare(io: ExecIo) -> Result<(ChildSide, ParentSide)> {
    let mut parent = ParentSide {
        stdin: None,
        stdout: None,
        stderr: None,
        console: None,
        forward_stdin: false,
    };
    let child = match io {
        ExecIo::Detached => ChildSide::Null,
        ExecIo::Pipes { stdin } => {
            let (out_r, out_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
            let (err_r, err_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
            let child_in = if stdin {
                let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
                parent.stdin = Some(w);
                parent.forward_stdin = true;
                r
            } else {
                crate::sys::dev_null()?
            };
            parent.stdout = Some(out_r);
            parent.stderr = Some(err_r);
            ChildSide::Fds([child_in, out_w, err_w])
        }
        ExecIo::Terminal { stdin } => {
            use nix::sys::socket::{AddressFamily, SockFlag, SockType, socketpair};
            let (ours, theirs) = socketpair(
                AddressFamily::Unix,
                SockType::Stream,
                None,
                SockFlag::SOCK_CLOEXEC,
            )
            .context("create the terminal socket")?;
            parent.console = Some(ours);
            parent.forward_stdin = stdin;
            ChildSide::Console(theirs)
        }
    };
    Ok((child, parent))
}

/// In the forked child, inside the container: connect the streams.
pub fn child_setup(side: ChildSide) -> Result<()> {
    match side {
        ChildSide::Null => {
            let n = crate::sys::dev_null()?;
            for fd in 0..3 {
                nix::unistd::dup2(n.as_raw_fd(), fd)?;
            }
            nix::unistd::setsid()?;
        }
        ChildSide::Fds(fds) => {
            for (i, fd) in fds.iter().enumerate() {
                nix::unistd::dup2(fd.as_raw_fd(), i as i32)?;
            }
        }
        ChildSide::Console(sock) => {
            nix::unistd::setsid().context("start a session")?;
            super::init::open_console(&sock)?;
        }
    }
    Ok(())
}

/// In rctl, after the child exec'd: copy until its output ends.
pub fn pump(mut side: ParentSide) {
    let master = side
        .console
        .take()
        .and_then(|s| sys::recv_fd(s.as_fd()).ok().flatten());
    let _raw = if master.is_some() && side.forward_stdin {
        crate::terminal::RawMode::enter()
    } else {
        None
    };
    // (fd, to stderr?)
    let mut sources: Vec<(OwnedFd, bool)> = Vec::new();
    if let Some(m) = &master {
        if let Ok(d) = m.try_clone() {
            sources.push((d, false));
        }
    }
    sources.extend(side.stdout.take().map(|f| (f, false)));
    sources.extend(side.stderr.take().map(|f| (f, true)));
    let mut stdin_open = side.forward_stdin;
    let mut buf = vec![0u8; 32 * 1024];
    while !sources.is_empty() {
        let stdin = std::io::stdin();
        let mut fds: Vec<PollFd> = sources
            .iter()
            .map(|(f, _)| PollFd::new(f.as_fd(), PollFlags::POLLIN))
            .collect();
        if stdin_open {
            fds.push(PollFd::new(stdin.as_fd(), PollFlags::POLLIN));
        }
        match poll(&mut fds, PollTimeout::NONE) {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return,
            Ok(_) => {}
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        let mut closed = Vec::new();
        for (i, (fd, err)) in sources.iter().enumerate() {
            if !ready[i] {
                continue;
            }
            match nix::unistd::read(fd.as_raw_fd(), &mut buf) {
                Ok(0) | Err(nix::errno::Errno::EIO) => closed.push(i),
                Ok(n) => {
                    let _ = if *err {
                        crate::sys::write_all_fd(std::io::stderr().as_fd(), &buf[..n])
                    } else {
                        crate::sys::write_all_fd(std::io::stdout().as_fd(), &buf[..n])
                    };
                }
                Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
                Err(_) => closed.push(i),
            }
        }
        let n_sources = sources.len();
        for i in closed.into_iter().rev() {
            sources.remove(i);
        }
        if stdin_open && ready.get(n_sources) == Some(&true) {
            match nix::unistd::read(std::io::stdin().as_raw_fd(), &mut buf) {
                Ok(0) | Err(_) => {
                    stdin_open = false;
                    side.stdin = None;
                }
                Ok(n) => {
                    if let Some(t) = master.as_ref().or(side.stdin.as_ref()) {
                        let _ = crate::sys::write_all_fd(t.as_fd(), &buf[..n]);
                    }
                }
            }
        }
    }
}

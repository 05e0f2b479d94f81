//! The caller's terminal while attached to a container with `-t`: raw mode
//! (keys go to the container's terminal unprocessed), restored on drop.

use std::os::fd::AsFd;

use nix::sys::termios::{self, SetArg, Termios};

/// Restores the terminal's previous mode when dropped.
pub struct RawMode {
    saved: Termios,
}

impl RawMode {
    /// Put stdin's terminal in raw mode; `None` when stdin is no terminal.
    pub fn enter() -> Option<RawMode> {
        let stdin = std::io::stdin();
        let saved = termios::tcgetattr(stdin.as_fd()).ok()?;
        let mut raw = saved.clone();
        termios::cfmakeraw(&mut raw);
        termios::tcsetattr(stdin.as_fd(), SetArg::TCSANOW, &raw).ok()?;
        Some(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &self.saved);
    }
}

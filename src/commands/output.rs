//! Command output on stdout. A reader that goes away (`rctl images | head
//! -1`) ends the command quietly with status 141, as a process killed by
//! SIGPIPE would, instead of a panic.

use std::fmt::Display;
use std::io::Write;

use anyhow::Result;

use crate::error::Exit;

/// Write `text` and a newline to stdout.
pub fn line(text: impl Display) -> Result<()> {
    match writeln!(std::io::stdout().lock(), "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Exit::Status(141).into()),
        Err(e) => Err(anyhow::Error::new(e).context("write to stdout")),
    }
}

//! Errors that carry their own exit code.
//!
//! rctl exits 125 for its own errors (the default for any error), 126 when
//! a command cannot be invoked, 127 when it is not found, and passes a
//! container's or command's own status through otherwise.

/// An error (or a plain status) that decides the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum Exit {
    /// Exit with this code, printing the message (if any).
    #[error("{message}")]
    WithMessage { code: u8, message: String },
    /// Exit with this code and print nothing: the status of a command or
    /// container passed through.
    #[error("exit status {0}")]
    Status(u8),
}

pub const RCTL_ERROR: u8 = 125;
pub const CANNOT_INVOKE: u8 = 126;
pub const NOT_FOUND: u8 = 127;

/// The exit code for an error chain: the first `Exit` in it, else 125.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Exit>())
        .map(|e| match e {
            Exit::WithMessage { code, .. } | Exit::Status(code) => *code,
        })
        .unwrap_or(RCTL_ERROR)
}

/// Whether the error is a silent status pass-through.
pub fn is_silent(err: &anyhow::Error) -> bool {
    matches!(err.downcast_ref::<Exit>(), Some(Exit::Status(_)))
}

const DISK_FULL_HINT: &str = "hint: the filesystem named above is full (ENOSPC): free space on it (`rctl rm`, `rctl rmi`, `rctl image prune`) or move the store (`--root`, or `root` in the [storage] table of rctl.toml); what was being written was dropped";

/// Whether a cause in the chain is a full filesystem or an exhausted quota.
pub fn disk_full(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ) {
                return true;
            }
        }
        let text = cause.to_string();
        text.contains("No space left on device")
            || text.contains("database or disk is full")
            || text.contains("Disk quota exceeded")
    })
}

/// Render an error chain for people: causes joined by `: `, and any
/// `hint:` lines gathered at the end on their own lines.
pub fn render(err: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    let mut hints = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("").trim_end().to_string();
        for line in lines {
            if !line.trim().is_empty() {
                hints.push(line.to_string());
            }
        }
        // Skip a cause whose text the previous part already contains.
        if !first.is_empty() && !parts.last().is_some_and(|p: &String| p.ends_with(&first)) {
            parts.push(first);
        }
    }
    if disk_full(err) {
        hints.push(DISK_FULL_HINT.to_string());
    }
    let mut out = format!("Error: {}", parts.join(": "));
    for h in hints {
        out.push('\n');
        out.push_str(&h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn chain_and_hints_render_once() {
        let err = Err::<(), _>(anyhow::anyhow!("bad thing\nhint: do x"))
            .context("outer step")
            .unwrap_err();
        assert_eq!(render(&err), "Error: outer step: bad thing\nhint: do x");
        assert_eq!(exit_code(&err), 125);
    }

    #[test]
    fn a_full_disk_gets_its_hint() {
        let io = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let err = anyhow::Error::new(io).context("write `/store/layers/x`");
        let text = render(&err);
        assert!(
            text.starts_with("Error: write `/store/layers/x`: No space left"),
            "{text}"
        );
        assert!(
            text.contains("hint: the filesystem named above is full (ENOSPC)"),
            "{text}"
        );
        assert!(!render(&anyhow::anyhow!("other")).contains("ENOSPC"));
    }

    #[test]
    fn exit_code_found_in_chain() {
        let err = anyhow::Error::new(Exit::WithMessage {
            code: 127,
            message: "nope".into(),
        })
        .context("run x");
        assert_eq!(exit_code(&err), 127);
        assert!(!is_silent(&err));
        assert!(is_silent(&anyhow::Error::new(Exit::Status(3))));
    }
}

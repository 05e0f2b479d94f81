//! Replacing rctl with a user's command, with Podman's exit codes for a
//! command that cannot be found (127) or invoked (126).

use std::ffi::OsString;
use std::os::unix::process::CommandExt;

use crate::error::{CANNOT_INVOKE, Exit, NOT_FOUND};

/// `exec` the command; returns only on failure, with the error to exit with.
pub fn exec(argv: &[OsString]) -> anyhow::Error {
    let Some((program, args)) = argv.split_first() else {
        return Exit::WithMessage {
            code: NOT_FOUND,
            message: "no command given".into(),
        }
        .into();
    };
    let err = std::process::Command::new(program).args(args).exec();
    let name = program.to_string_lossy();
    let (code, message) = match err.kind() {
        std::io::ErrorKind::NotFound => (
            NOT_FOUND,
            format!("`{name}`: executable file not found in $PATH"),
        ),
        std::io::ErrorKind::PermissionDenied => {
            (CANNOT_INVOKE, format!("`{name}`: permission denied"))
        }
        _ => (CANNOT_INVOKE, format!("`{name}`: cannot be run: {err}")),
    };
    Exit::WithMessage { code, message }.into()
}

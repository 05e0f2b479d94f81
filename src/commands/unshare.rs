//! `rctl unshare`: a command or shell inside rctl's namespaces.

use anyhow::Result;

use crate::app::App;
use crate::cli::UnshareArgs;

pub fn run(app: &App, args: UnshareArgs) -> Result<()> {
    let session = app.enter()?;
    let argv = if args.command.is_empty() {
        vec![app.env.shell.clone().unwrap_or_else(|| "/bin/sh".into())]
    } else {
        args.command
    };
    let _ = session;
    Err(crate::process::exec(&argv))
}

//! `rctl exec`: run a command in a running container.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::ExecArgs;
use crate::container::exec::{self, ExecRequest};
use crate::container::store::Store;
use crate::error::Exit;
use crate::runtime::exec::Outcome;

pub fn run(app: &App, args: &ExecArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    let req = ExecRequest {
        command: args.command.clone(),
        env: args.env.clone(),
        user: args.user.clone(),
        workdir: args.workdir.clone(),
        detach: args.detach,
        interactive: args.interactive,
        tty: args.tty,
    };
    match exec::run(&store, &c, req)? {
        Outcome::Exited(0) | Outcome::Started => Ok(()),
        Outcome::Exited(code) => Err(Exit::Status(code).into()),
        Outcome::Failed(f) => Err(Exit::WithMessage {
            code: f.code,
            message: format!("exec in container `{}`: {}", c.name, f.message),
        }
        .into()),
    }
}

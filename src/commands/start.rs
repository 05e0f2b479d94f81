//! `rctl start`: start created or exited containers.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::StartArgs;
use crate::container::lifecycle::{self, Attach, Started};
use crate::container::store::Store;
use crate::error::Exit;

pub fn run(app: &App, args: &StartArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    if args.attach && args.containers.len() > 1 {
        anyhow::bail!("`start -a` takes one container");
    }
    super::each(&args.containers, |key| {
        let mut c = store.lookup(key)?;
        crate::monitor::restart::reset_for_user_start(&store, &c.id)?;
        if args.interactive {
            c.config.interactive = true;
        }
        let attach = if args.attach {
            Attach::ALL
        } else {
            Attach::Detached
        };
        match lifecycle::start(app, &store, &c, attach)? {
            Started::Running { .. } => println!("{key}"),
            Started::Exited { code: 0 } => {}
            Started::Exited { code } => return Err(Exit::Status(code).into()),
        }
        Ok(())
    })
}

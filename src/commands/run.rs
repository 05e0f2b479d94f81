//! `rctl run`: create a container and start it, attached or detached.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::RunArgs;
use crate::container::lifecycle::{self, Attach, Started};
use crate::container::{request, store::Store};
use crate::error::Exit;

pub fn run(app: &App, args: &RunArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let cfg = request::config(app, &args.create)?;
    if args.detach && cfg.log.driver == crate::container::logconfig::LogDriver::Passthrough {
        anyhow::bail!(
            "--log-driver passthrough needs an attached run (its output goes to this terminal)\nhint: drop -d, or use another log driver"
        );
    }
    let c = lifecycle::create(&store, args.create.name.as_deref(), cfg)?;
    if let Some(image) = &c.config.image_id {
        if let Err(e) = crate::image::resolve::record_use(&app.dirs.root, image, &c.id) {
            let _ = store.remove(&c.id);
            return Err(e);
        }
    }
    let attach = if args.detach {
        Attach::Detached
    } else if args.attach.is_empty() {
        Attach::ALL
    } else {
        Attach::Attached {
            stdout: args.attach.iter().any(|s| s == "stdout"),
            stderr: args.attach.iter().any(|s| s == "stderr"),
        }
    };
    match lifecycle::start(app, &store, &c, attach)? {
        Started::Running { .. } => {
            println!("{}", c.id);
            Ok(())
        }
        Started::Exited { code: 0 } => Ok(()),
        Started::Exited { code } => Err(Exit::Status(code).into()),
    }
}

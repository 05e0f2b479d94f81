//! `rctl run`: create a container and start it, attached or detached.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::RunArgs;
use crate::container::lifecycle::{self, Attach, Started};
use crate::container::{request, store::Store};
use crate::crashpoint::crashpoint;
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
    crashpoint("run.created");
    if let Some(image) = &c.config.image_id {
        if let Err(e) = crate::image::resolve::record_use(&app.dirs.root, image, &c.id) {
            let _ = store.remove(&c.id);
            return Err(e);
        }
    }
    crashpoint("run.use-recorded");
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
    let started = lifecycle::start(app, &store, &c, attach).inspect_err(|_| {
        // The start failed before the monitor ran the container: a `--rm`
        // container goes (the monitor removes it when it got that far), any
        // other stays, created, as Podman leaves it.
        if c.config.remove {
            if store.load(&c.id).is_ok() {
                let _ = lifecycle::remove(&store, &c, true);
            }
        } else {
            let _ = lifecycle::finish_creating(&store, &c.id);
        }
    })?;
    match started {
        Started::Running { .. } => {
            println!("{}", c.id);
            Ok(())
        }
        Started::Exited { code: 0 } => Ok(()),
        Started::Exited { code } => Err(Exit::Status(code).into()),
    }
}

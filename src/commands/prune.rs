//! `rctl container prune`: remove every container that is not running.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::PruneArgs;
use crate::container::{Status, lifecycle, store::Store};

pub fn run(app: &App, _args: &PruneArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    for c in store.list()? {
        let c = lifecycle::refresh(&store, &c)?;
        if c.state.status != Status::Running {
            match lifecycle::remove(&store, &c, false) {
                Ok(()) => println!("{}", c.id),
                Err(e) => eprintln!("{}", crate::error::render(&e)),
            }
        }
    }
    Ok(())
}

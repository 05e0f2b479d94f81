//! `rctl kill`: send a signal to containers.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::KillArgs;
use crate::container::{lifecycle, store::Store};

pub fn run(app: &App, args: &KillArgs) -> Result<()> {
    let sig = lifecycle::parse_signal(&args.signal)?;
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    super::each(&args.containers, |key| {
        let c = store.lookup(key)?;
        lifecycle::kill(&store, &c, sig)?;
        println!("{key}");
        Ok(())
    })
}

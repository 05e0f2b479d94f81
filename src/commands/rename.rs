//! `rctl rename`: give a container a new name.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::RenameArgs;
use crate::container::store::Store;

pub fn run(app: &App, args: &RenameArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    store.rename(&c.id, &args.name)
}

//! `rctl attach`: follow a running container's output (and feed its input).

use anyhow::Result;

use crate::app::App;
use crate::cli::container::AttachArgs;
use crate::container::{attach, store::Store};
use crate::error::Exit;

pub fn run(app: &App, args: &AttachArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    match attach::attach(&store, &app.dirs.runroot, &c)? {
        0 => Ok(()),
        code => Err(Exit::Status(code).into()),
    }
}

//! `rctl wait`: wait for containers to exit; print their exit codes.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::WaitArgs;
use crate::container::{lifecycle, store::Store};

pub fn run(app: &App, args: &WaitArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    super::each(&args.containers, |key| {
        let c = store.lookup(key)?;
        let done = lifecycle::wait_exited(&store, &c, None)?;
        let code = done.and_then(|c| c.state.exit_code).unwrap_or(-1);
        println!("{code}");
        Ok(())
    })
}

//! `rctl wait`: wait for containers to exit; print their exit codes.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::WaitArgs;
use crate::container::{lifecycle, store::Store};

pub fn run(app: &App, args: &WaitArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    super::each(&args.containers, |key| {
        // A `--rm` container may be gone before or while we wait: its
        // exit code is kept a while after removal.
        let c = match store.lookup(key) {
            Ok(c) => c,
            Err(e) => {
                let code = store.removed_exit_code(key).ok_or(e)?;
                println!("{code}");
                return Ok(());
            }
        };
        let code = match lifecycle::wait_exited(&store, &c, None) {
            Ok(done) => done.and_then(|c| c.state.exit_code).unwrap_or(-1),
            Err(e) => store.removed_exit_code(&c.id).ok_or(e)?,
        };
        println!("{code}");
        Ok(())
    })
}

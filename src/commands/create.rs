//! `rctl create`: make a container without starting it.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::CreateArgs;
use crate::container::{lifecycle, request, store::Store};
use crate::crashpoint::crashpoint;

pub fn run(app: &App, args: &CreateArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let cfg = request::config(app, args)?;
    let c = lifecycle::create(&store, args.name.as_deref(), cfg)?;
    crashpoint("create.before-record-use");
    if let Some(image) = &c.config.image_id {
        if let Err(e) = crate::image::resolve::record_use(&app.dirs.root, image, &c.id) {
            let _ = store.remove(&c.id);
            return Err(e);
        }
    }
    crashpoint("create.use-recorded");
    lifecycle::finish_creating(&store, &c.id)?;
    println!("{}", c.id);
    Ok(())
}

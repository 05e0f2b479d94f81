//! `rctl import`: a root filesystem tarball to an image.

use anyhow::Result;

use crate::app::App;
use crate::cli::image::ImportArgs;
use crate::store::{Input, Store};

pub fn run(app: &App, args: &ImportArgs) -> Result<()> {
    let name = match &args.name {
        None => None,
        Some(n) => Some(match Input::parse(n)? {
            Input::Qualified(r) => r,
            short => short.local_candidates(&[]).remove(0),
        }),
    };
    let _session = app.enter()?;
    let mut store = Store::open(&app.dirs)?;
    let source = crate::image::import::open_source(&args.source)?;
    let id = crate::image::import::import(
        &mut store,
        source,
        name.as_ref(),
        &args.change,
        args.message.as_deref(),
    )
    .map_err(|e| e.context(format!("import `{}`", args.source.display())))?;
    println!("{id}");
    Ok(())
}

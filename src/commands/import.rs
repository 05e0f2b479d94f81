//! `rctl import`, `rctl save`, `rctl load`: images from and to files.

use anyhow::Result;

use super::output;
use crate::app::App;
use crate::cli::image::{ArchiveFormat, ImportArgs, LoadArgs, SaveArgs};
use crate::image::archive::{self, Format, Output};
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
    let mut store =
        Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    let source = crate::image::import::open_source(&args.source)?;
    let id = crate::image::import::import(
        &mut store,
        source,
        name.as_ref(),
        &args.change,
        args.message.as_deref(),
    )
    .map_err(|e| e.context(format!("import `{}`", args.source.display())))?;
    crate::budget::enforce(app, &id);
    output::line(id)?;
    Ok(())
}

pub fn save(app: &App, args: &SaveArgs) -> Result<()> {
    let _session = app.enter()?;
    let store = Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    let search = &app.config.registries.unqualified_search;
    let images = args
        .images
        .iter()
        .map(|n| store.resolve(n, search))
        .collect::<Result<Vec<_>>>()?;
    let format = match args.format {
        ArchiveFormat::OciArchive => Format::OciArchive,
        ArchiveFormat::DockerArchive => Format::DockerArchive,
    };
    let out = Output::open(args.output.as_deref())?;
    archive::save(&store, &images, format, out).map_err(|e| e.context("save images"))
}

pub fn load(app: &App, args: &LoadArgs) -> Result<()> {
    let _session = app.enter()?;
    let mut store =
        Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    let source = crate::image::import::open_source(
        args.input.as_deref().unwrap_or(std::path::Path::new("-")),
    )?;
    let scratch = store.pending_layer("load")?;
    let loaded =
        archive::load(&mut store, source, &scratch.diff()).map_err(|e| e.context("load images"))?;
    for (id, names) in loaded {
        if args.quiet || names.is_empty() {
            output::line(id)?;
        } else {
            output::line(format!("Loaded image: {}", names.join(", ")))?;
        }
    }
    Ok(())
}

//! `rctl commit`: a new image from a container's changes.

use anyhow::{Context, Result, bail};

use super::output;
use super::rmi::tag_reference;
use crate::app::App;
use crate::cli::container::CommitArgs;
use crate::container::store::Store as Containers;
use crate::image::commit::{CommitOptions, commit};
use crate::store::Store;

pub fn run(app: &App, args: &CommitArgs) -> Result<()> {
    let name = args.image.as_deref().map(tag_reference).transpose()?;
    if let Some(r) = name.as_ref().filter(|r| r.digest.is_some()) {
        bail!("cannot name an image with a digest (`{r}`)\nhint: give NAME[:TAG]");
    }
    let _session = app.enter()?;
    let containers = Containers::new(&app.dirs.root);
    let c = containers.lookup(&args.container)?;
    let Some(image_id) = &c.config.image_id else {
        bail!(
            "container `{}` runs on a root directory (--rootfs), not an image: there are no changes to commit\nhint: use `rctl export {}` and `rctl import` instead",
            c.name,
            c.name
        );
    };
    let mut store = Store::open(&app.dirs)?;
    let base = store
        .image(image_id)
        .with_context(|| format!("find the image of container `{}`", c.name))?;
    let opts = CommitOptions {
        name: name.as_ref(),
        changes: &args.change,
        message: args.message.as_deref(),
        author: args.author.as_deref(),
    };
    let id = commit(&mut store, &base, &c, &containers.dir_of(&c.id), &opts)
        .map_err(|e| e.context(format!("commit container `{}`", c.name)))?;
    crate::budget::enforce(app, &id);
    output::line(id)
}

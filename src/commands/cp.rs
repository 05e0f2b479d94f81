//! `rctl cp`: copy between a container and the host.

use std::path::Path;

use anyhow::{Result, bail};

use crate::app::App;
use crate::cli::container::{CpArgs, split_container_path};
use crate::container::{copy, store::Store};

pub fn run(app: &App, args: &CpArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    match (
        split_container_path(&args.src),
        split_container_path(&args.dest),
    ) {
        (Some((c, path)), None) => {
            let c = store.lookup(c)?;
            let root = copy::open_root(&store, &c)?;
            copy::copy_out(&root, Path::new(path), Path::new(&args.dest))
        }
        (None, Some((c, path))) => {
            let c = store.lookup(c)?;
            let root = copy::open_root(&store, &c)?;
            copy::copy_in(&root, Path::new(&args.src), Path::new(path))
        }
        (Some(_), Some(_)) => {
            bail!("copying between two containers is not supported\nhint: copy to the host first")
        }
        (None, None) => bail!("one of SRC and DEST must be `CONTAINER:PATH`"),
    }
}

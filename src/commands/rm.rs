//! `rctl rm`: remove containers.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::RmArgs;
use crate::container::{lifecycle, store::Store};

pub fn run(app: &App, args: &RmArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let targets = if args.all {
        store.list()?.into_iter().map(|c| c.id).collect()
    } else {
        if args.containers.is_empty() {
            anyhow::bail!("give at least one container, or --all");
        }
        args.containers.clone()
    };
    super::each(&targets, |key| {
        let c = store.lookup(key)?;
        lifecycle::remove(&store, &c, args.force)?;
        if args.volumes {
            crate::volume::remove_anonymous(store.root(), &c.config, &store.list()?);
        }
        println!("{}", c.id);
        Ok(())
    })
}

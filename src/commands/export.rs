//! `rctl export`: a container's filesystem as tar, to stdout or `-o FILE`.

use anyhow::{Result, bail};

use crate::app::App;
use crate::cli::container::ExportArgs;
use crate::container::{export, store::Store};

pub fn run(app: &App, args: &ExportArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    match &args.output {
        Some(path) => export::export_to_file(&store, &c, path),
        None => {
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                bail!(
                    "refusing to write a tar archive to a terminal\nhint: redirect stdout or use -o FILE"
                );
            }
            export::export(&store, &c, &mut std::io::stdout().lock())
        }
    }
}

//! `rctl logs`: print a container's output.

use anyhow::Result;

use crate::app::App;
use crate::cli::container::LogsArgs;
use crate::container::logs::{self, LogOptions};
use crate::container::store::Store;

pub fn run(app: &App, args: &LogsArgs) -> Result<()> {
    let since = args.since.as_deref().map(logs::parse_since).transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| logs::parse_time("--until", s))
        .transpose()?;
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    logs::print(
        &store,
        &c,
        &LogOptions {
            tail: args.tail,
            since,
            until,
            timestamps: args.timestamps,
            follow: args.follow,
        },
    )
}

//! `rctl update`: change a container's resource limits (applied at once
//! when it runs, kept for its next start).

use anyhow::{Result, bail};

use crate::app::App;
use crate::cli::container::UpdateArgs;
use crate::container::{Status, lifecycle, store::Store};

pub fn run(app: &App, args: &UpdateArgs) -> Result<()> {
    app.enter()?;
    let store = Store::new(&app.dirs.root);
    let c = store.lookup(&args.container)?;
    let c = lifecycle::refresh(&store, &c)?;
    let Some(plan) = &c.config.cgroup else {
        bail!(
            "container `{}` was created without a cgroup plan\nhint: recreate it with the limits",
            c.name
        );
    };
    let changed = crate::cgroup::Resources::from_flags(&args.limits.flags(), &plan.resources)?;
    if changed == plan.resources {
        bail!("no limit to change\nhint: give one of --memory, --cpus, --pids-limit, …");
    }
    // Check what the manager can enforce, as at create time.
    let version = crate::probe::cgroup_version();
    let new_plan = crate::cgroup::plan(plan.manager, version, changed, true)?;
    if c.state.status == Status::Running {
        if let Some(cg) = &c.state.cgroup {
            crate::cgroup::update(&new_plan, cg, &c.id)?;
        }
    }
    store.update(&c.id, |c| c.config.cgroup = Some(new_plan.clone()))?;
    println!("{}", c.id);
    Ok(())
}

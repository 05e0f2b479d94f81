//! Crash injection for tests: with `RCTL_CRASH_AT=NAME` in the environment
//! (read once by [`crate::env::crash_at`]), the process kills itself with
//! SIGKILL when it reaches the step [`crashpoint`]`(NAME)`. Without the
//! variable a crash point costs one load and one comparison.
//!
//! `tests/crash.rs` runs commands with each point set and checks that the
//! store is consistent afterwards (`rctl system check`). Every name used
//! in the code is listed in [`POINTS`].

/// Every crash point, by the command that reaches it first.
pub const POINTS: &[&str] = &[
    // pull / load / import / commit (image store)
    "pull.manifest-fetched",
    "pull.layer-extracted",
    "pull.layers-synced",
    "store.layer-renamed",
    "store.layer-recorded",
    "store.image-tx-open",
    "pull.image-committed",
    // create / run
    "container.tmp-written",
    "container.renamed",
    "create.before-record-use",
    "create.use-recorded",
    "run.created",
    "run.use-recorded",
    "start.spec-written",
    "start.monitor-spawned",
    "monitor.forked",
    "monitor.running",
    "monitor.exit-recorded",
    // rm / rmi
    "rm.killed",
    "container.rm-renamed",
    "container.rm-deleted",
    "rmi.tx-moved",
    "rmi.committed",
    // cp into a stopped container
    "cp.root-mounted",
    // import / commit
    "import.layer-committed",
    "commit.layer-committed",
    // build (a RUN step's container, its layer, the cache, the image)
    "build.step-created",
    "build.step-ran",
    "build.layer-committed",
    "build.cache-written",
    "build.before-commit",
    "build.committed",
    // volumes
    "volume.tmp-written",
    "volume.rm-renamed",
    "volume.rm-deleted",
    "volume.created-for-container",
];

/// Kill this process with SIGKILL when `name` is the crash point asked for.
#[inline]
pub fn crashpoint(name: &str) {
    if let Some(target) = crate::env::crash_at() {
        debug_assert!(POINTS.contains(&name), "unlisted crash point `{name}`");
        if target == name {
            crash(name);
        }
    }
}

#[cold]
fn crash(name: &str) {
    log::debug!("crash point `{name}` reached: killing this process");
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
    // SIGKILL cannot be caught; this is never reached.
    std::process::abort();
}

#[cfg(test)]
mod tests {
    use super::POINTS;

    #[test]
    fn points_are_unique_and_named_by_step() {
        let mut seen = std::collections::HashSet::new();
        for p in POINTS {
            assert!(seen.insert(*p), "duplicate crash point {p}");
            let (scope, step) = p.split_once('.').expect("scope.step");
            assert!(!scope.is_empty() && !step.is_empty(), "{p}");
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b"-.".contains(&b)),
                "{p}"
            );
        }
        assert!(POINTS.len() >= 20);
    }
}

//! Container networking: the plan built from `--network`, `-p`, `--dns*`
//! and `--add-host` (pure), the helpers' argument lists (pure), the files
//! `/etc/resolv.conf` and `/etc/hosts` (pure), and `attach`, which starts
//! pasta or slirp4netns for a container's network namespace.
//!
//! The runtime calls, from inside rctl's user namespace:
//! `NetworkPlan::build` (at create), `attach` (once the container's first
//! process exists), `resolv_conf`/`hosts_entries` (to write the files) and
//! `NetworkHandle::stop` (after the container exits).

pub mod attach;
pub mod host;
pub mod mode;
pub mod names;
pub mod pasta;
pub mod ping;
pub mod plan;
pub mod publish;
pub mod slirp;
pub mod user;

pub use attach::{AttachError, HelperProcess, NetworkHandle, attach};
pub use mode::NetworkMode;
pub use names::{hosts_entries, hosts_text, resolv_conf};
pub use plan::{HostFacts, NetworkPlan, NetworkRequest, PlanError};

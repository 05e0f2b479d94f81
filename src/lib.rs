//! rctl: rootless, daemonless, per-user containers.
//!
//! The binary (`src/main.rs`) is thin glue: parse, dispatch, print the
//! error chain once, pick the exit code. The modules below own one concern
//! each; `docs/architecture.md` maps them.

pub mod app;
pub mod budget;
pub mod build;
pub mod cgroup;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod container;
pub mod crashpoint;
pub mod diskuse;
pub mod env;
pub mod error;
pub mod events;
pub mod format;
pub mod fsck;
pub mod helper;
pub mod idmap;
pub mod image;
pub mod kube;
pub mod logging;
pub mod monitor;
pub mod mountspec;
pub mod network;
pub mod ondisk;
pub mod ownership;
pub mod pod;
pub mod probe;
pub mod process;
pub mod registry;
pub mod runtime;
pub mod store;
pub mod sys;
pub mod sysconfig;
pub mod terminal;
pub mod units;
pub mod userns;
pub mod volume;

//! `rctl build`'s pure front half: the Containerfile/Dockerfile parser,
//! variable substitution with Docker's ARG/ENV scoping, the stage planner,
//! the `.containerignore`/`.dockerignore` matcher and the layer cache key.
//! No I/O and no execution: the build executor takes these plans and runs
//! them (see `docs/architecture.md`, "Build front end").
//!
//! The flow for the executor:
//! 1. [`parse`] the file (or [`parse_bytes`]),
//! 2. [`plan`] it with the build args and `--target`,
//! 3. for each [`PlannedStage`], make a [`Scope`] from its base image's
//!    environment and [`Scope::resolve`] each step in order, which expands
//!    variables and gives the environment for RUN,
//!    and apply it to the stage's [`StageConfig`],
//! 4. compute a [`cache_key`] per filesystem-changing step,
//! 5. send only files that [`IgnoreMatcher::is_ignored`] lets through.

mod cache;
mod config;
mod error;
mod expand;
mod flags;
mod ignore;
mod instruction;
mod lexer;
mod parser;
mod plan;
mod scope;
mod words;

pub use cache::{CopiedFile, cache_key};
pub use config::{HealthConfig, StageConfig, default_shell};
pub use error::{Error, ErrorKind, Location};
pub use expand::{ExpandError, Vars, expand_keep_quotes, expand_word};
pub use ignore::IgnoreMatcher;
pub use instruction::*;
pub use parser::{parse, parse_bytes};
pub use plan::{Base, BuildPlan, CopyFrom, PlanOptions, PlannedStage, Step, plan};
pub use scope::{Resolved, Scope};

#[cfg(test)]
mod example_tests;
#[cfg(test)]
mod fuzz_tests;

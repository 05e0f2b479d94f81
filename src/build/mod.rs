//! `rctl build`'s pure front half: the Containerfile/Dockerfile parser,
//! variable substitution with Docker's ARG/ENV scoping, the stage planner,
//! each instruction's effect on the image config, the
//! `.containerignore`/`.dockerignore` matcher and the layer cache key.
//! No I/O and no execution: the build executor takes these plans and runs
//! them (see `docs/architecture.md`, "Build front end").
//!
//! The flow for the executor:
//! 1. [`parse`] the file (or [`parse_bytes`]);
//! 2. [`plan`] it with the build args and `--target`;
//! 3. for each [`PlannedStage`], start a [`StageConfig`] from the base
//!    image's config and a [`Scope`] from [`BuildPlan::scope`] with its
//!    environment; [`Scope::resolve`] each step in order (variables
//!    substituted, RUN's environment) and [`StageConfig::apply`] the result;
//! 4. compute a [`cache_key`] per filesystem-changing step from the parent
//!    layer, [`Resolved::cache_text`] and the copied files' checksums;
//! 5. send only the files [`IgnoreMatcher::is_ignored`] lets through.
//!
//! A base image's ONBUILD triggers are Containerfile lines: [`parse`] them
//! and resolve them first in the new stage.

mod cache;
mod cache_mount;
mod config;
mod error;
pub mod exec;
mod expand;
mod flags;
mod ignore;
mod image_config;
mod instruction;
pub(crate) mod layer_cache;
mod lexer;
mod parser;
mod plan;
mod scope;
mod sources;
mod step;
mod transfer;
mod words;

pub use cache::{CopiedFile, cache_key};
pub use config::{HealthConfig, StageConfig, default_shell};
pub use error::{Error, ErrorKind, Location};
pub use expand::{ExpandError, NoVars, Vars, expand_keep_quotes, expand_word};
pub use ignore::IgnoreMatcher;
pub use instruction::*;
pub use parser::{parse, parse_bytes};
pub use plan::{Base, BuildPlan, CopyFrom, PlanOptions, PlannedStage, Step, plan};
pub use scope::{Resolved, Scope};
pub use step::{BUILD_OWNER, STEP_IMAGE_NAME, build_owner};

#[cfg(test)]
mod example_tests;
#[cfg(test)]
mod fuzz_tests;

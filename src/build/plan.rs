//! The stage planner: from a parsed [`Containerfile`], the build args and
//! `--target`, the stages to build in order, each with its base (scratch,
//! an image, or an earlier stage) and its steps, `COPY --from` and
//! `RUN --mount=from=` resolved to stages or images. Stages the target does
//! not need are skipped, as BuildKit (and buildah's default
//! `--skip-unused-stages`) do. Pure.

use std::collections::BTreeMap;

use super::error::{Error, ErrorKind};
use super::instruction::*;
use super::scope::{PREDEFINED_ARGS, Scope};

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// `--build-arg NAME=VALUE`.
    pub build_args: BTreeMap<String, String>,
    /// `--target STAGE`; the last stage when `None`.
    pub target: Option<String>,
    /// Args Docker defines without an ARG line (`TARGETPLATFORM`,
    /// `TARGETOS`, `TARGETARCH`, `BUILDPLATFORM`, ...): usable in FROM
    /// lines, and in a stage after `ARG NAME`. A build arg overrides them.
    pub automatic_args: BTreeMap<String, String>,
}

/// The stages to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildPlan {
    pub file: String,
    pub escape: char,
    pub build_args: BTreeMap<String, String>,
    /// Values of the ARGs declared before the first FROM.
    pub global_args: BTreeMap<String, String>,
    /// The needed stages in file order; the last one is the target.
    pub stages: Vec<PlannedStage>,
    /// Build args no ARG declares (Docker warns about these).
    pub unused_build_args: Vec<String>,
    /// Notes for the user (stderr), e.g. a `--from` that looks like a typo.
    pub warnings: Vec<String>,
}

/// One stage: `FROM ... [AS name]` and the instructions under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStage {
    /// The stage's position among all stages of the file (`--from=N`).
    pub index: usize,
    /// The `AS` name, lower-cased.
    pub name: Option<String>,
    pub base: Base,
    /// `--platform`, expanded.
    pub platform: Option<String>,
    /// The FROM line itself.
    pub from: Located,
    pub steps: Vec<Step>,
    /// Indexes of the stages this one needs (base, `--from`, mounts).
    pub depends_on: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An image reference, global ARGs expanded.
    Image(String),
    /// An earlier stage, by index.
    Stage(usize),
}

/// Where `COPY --from=` or `RUN --mount=from=` takes files from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFrom {
    Stage(usize),
    Image(String),
}

/// One instruction of a stage, with what the planner knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub at: Located,
    /// RUN, COPY, ADD, WORKDIR make a layer; the rest change the config.
    pub changes_filesystem: bool,
    /// `COPY --from=`, resolved.
    pub copy_from: Option<CopyFrom>,
    /// `RUN --mount=...,from=`, resolved, in mount order (`None` for
    /// mounts without `from`).
    pub mount_from: Vec<Option<CopyFrom>>,
}

impl BuildPlan {
    /// The stage that is the result of the build.
    pub fn target(&self) -> &PlannedStage {
        &self.stages[self.stages.len() - 1]
    }

    /// A planned stage by its index in the file.
    pub fn stage(&self, index: usize) -> Option<&PlannedStage> {
        self.stages.iter().find(|s| s.index == index)
    }

    /// The variable scope at the start of `stage`, given its base image's
    /// environment (for a stage base: that stage's final `Scope::env()`).
    pub fn scope(&self, base_env: &[(String, String)]) -> Scope {
        Scope::stage(
            &self.file,
            self.escape,
            &self.build_args,
            &self.global_args,
            base_env,
        )
    }

    /// Number of steps over all planned stages (for "step N/M").
    pub fn step_count(&self) -> usize {
        self.stages.iter().map(|s| s.steps.len() + 1).sum()
    }
}

struct Draft {
    name: Option<String>,
    from: Located,
    body: Vec<Located>,
}

/// Plan the build of `file`.
pub fn plan(file: &Containerfile, options: &PlanOptions) -> Result<BuildPlan, Error> {
    let at = |l: &Located, kind: ErrorKind| Error::at(&file.file, l.line, l.column, kind);
    let escape = file.directives.escape;
    let mut global = Scope::global(&file.file, escape, &options.build_args);
    for (name, value) in &options.automatic_args {
        let value = options.build_args.get(name).unwrap_or(value);
        global.declare(name, value);
    }
    let mut declared: Vec<String> = options.automatic_args.keys().cloned().collect();
    let mut drafts: Vec<Draft> = Vec::new();
    for l in &file.instructions {
        match (&l.instruction, drafts.last_mut()) {
            (Instruction::From(f), _) => drafts.push(Draft {
                name: f.alias.clone(),
                from: l.clone(),
                body: Vec::new(),
            }),
            (Instruction::Arg(decls), None) => {
                declared.extend(decls.iter().map(|d| d.name.clone()));
                global.resolve(l)?;
            }
            (_, None) => return Err(at(l, ErrorKind::BeforeFrom(l.instruction.keyword()))),
            (_, Some(d)) => d.body.push(l.clone()),
        }
    }
    if drafts.is_empty() {
        return Err(Error::at(&file.file, 1, 1, ErrorKind::NoFrom));
    }
    let global_args = global.arg_values();
    for (i, d) in drafts.iter().enumerate() {
        if let Some(name) = &d.name {
            if let Some(first) = drafts[..i].iter().find(|p| p.name.as_ref() == Some(name)) {
                return Err(at(
                    &d.from,
                    ErrorKind::DuplicateStage {
                        name: name.clone(),
                        first_line: first.from.line,
                    },
                ));
            }
        }
    }
    let mut warnings = Vec::new();
    let names: Vec<Option<String>> = drafts.iter().map(|d| d.name.clone()).collect();
    let mut stages: Vec<PlannedStage> = Vec::new();
    // Static envs of stages, for `--from=$VAR` in later stages.
    let mut static_envs: Vec<Vec<(String, String)>> = Vec::new();
    for (index, d) in drafts.iter().enumerate() {
        let Instruction::From(f) = &d.from.instruction else {
            unreachable!("a draft starts with FROM");
        };
        let expand = |w: &str| global.expand(w).map_err(|e| at(&d.from, e.into()));
        let image = expand(&f.image)?;
        let platform = f.platform.as_deref().map(expand).transpose()?;
        let lower = image.to_ascii_lowercase();
        let base = if lower == "scratch" {
            Base::Scratch
        } else if d.name.as_deref() == Some(lower.as_str()) {
            // `FROM node AS node`: the image, as classic Docker reads it.
            Base::Image(image)
        } else {
            match resolve_stage(&lower, index, &names, &drafts) {
                Lookup::Earlier(i) => Base::Stage(i),
                Lookup::Later(line) => {
                    return Err(at(
                        &d.from,
                        ErrorKind::ForwardReference { name: lower, line },
                    ));
                }
                Lookup::Itself | Lookup::None => Base::Image(image),
            }
        };
        let mut depends_on = Vec::new();
        let base_env = match base {
            Base::Stage(i) => {
                depends_on.push(i);
                static_envs[i].clone()
            }
            _ => Vec::new(),
        };
        let mut scope = Scope::stage(
            &file.file,
            escape,
            &options.build_args,
            &global_args,
            &base_env,
        );
        let mut steps = Vec::new();
        for l in &d.body {
            let mut resolve_from = |value: &str| -> Result<CopyFrom, Error> {
                let value = scope.expand(value).map_err(|e| at(l, e.into()))?;
                from_reference(&value, index, &names, &drafts, &mut warnings).map_err(|k| at(l, k))
            };
            let copy_from = match &l.instruction {
                Instruction::Copy(c) => c.from.as_deref().map(&mut resolve_from).transpose()?,
                _ => None,
            };
            let mount_from = match &l.instruction {
                Instruction::Run(r) => r
                    .mounts
                    .iter()
                    .map(|m| m.from.as_deref().map(&mut resolve_from).transpose())
                    .collect::<Result<Vec<_>, _>>()?,
                _ => Vec::new(),
            };
            for from in copy_from.iter().chain(mount_from.iter().flatten()) {
                if let CopyFrom::Stage(i) = from {
                    if !depends_on.contains(i) {
                        depends_on.push(*i);
                    }
                }
            }
            if let Instruction::Arg(decls) = &l.instruction {
                declared.extend(decls.iter().map(|d| d.name.clone()));
            }
            // Track ARG and ENV statically; the executor resolves again
            // with the real base environment and reports errors then.
            let _ = scope.resolve(l);
            steps.push(Step {
                at: l.clone(),
                changes_filesystem: l.instruction.changes_filesystem(),
                copy_from,
                mount_from,
            });
        }
        static_envs.push(scope.env().to_vec());
        stages.push(PlannedStage {
            index,
            name: d.name.clone(),
            base,
            platform,
            from: d.from.clone(),
            steps,
            depends_on,
        });
    }
    let target = match &options.target {
        None => stages.len() - 1,
        Some(t) => {
            let t = t.to_ascii_lowercase();
            stages
                .iter()
                .position(|s| s.name.as_deref() == Some(t.as_str()))
                .ok_or_else(|| Error {
                    location: None,
                    kind: ErrorKind::TargetNotFound {
                        name: t.clone(),
                        known: stages.iter().filter_map(|s| s.name.clone()).collect(),
                    },
                })?
        }
    };
    // Keep the stages the target needs; dependencies are always earlier.
    let mut needed = vec![false; stages.len()];
    needed[target] = true;
    for i in (0..=target).rev() {
        if needed[i] {
            for &dep in &stages[i].depends_on {
                needed[dep] = true;
            }
        }
    }
    let stages: Vec<PlannedStage> = stages
        .into_iter()
        .zip(needed)
        .filter_map(|(s, keep)| keep.then_some(s))
        .collect();
    let unused_build_args = options
        .build_args
        .keys()
        .filter(|k| !declared.contains(k) && !PREDEFINED_ARGS.contains(&k.as_str()))
        .cloned()
        .collect();
    Ok(BuildPlan {
        file: file.file.clone(),
        escape,
        build_args: options.build_args.clone(),
        global_args,
        stages,
        unused_build_args,
        warnings,
    })
}

enum Lookup {
    Earlier(usize),
    Itself,
    Later(usize),
    None,
}

fn resolve_stage(name: &str, current: usize, names: &[Option<String>], drafts: &[Draft]) -> Lookup {
    match names.iter().position(|n| n.as_deref() == Some(name)) {
        Some(i) if i < current => Lookup::Earlier(i),
        Some(i) if i == current => Lookup::Itself,
        Some(i) => Lookup::Later(drafts[i].from.line),
        None => Lookup::None,
    }
}

/// `--from=VALUE`: a stage index, a stage name, or an image.
fn from_reference(
    value: &str,
    current: usize,
    names: &[Option<String>],
    drafts: &[Draft],
    warnings: &mut Vec<String>,
) -> Result<CopyFrom, ErrorKind> {
    if let Ok(index) = value.parse::<usize>() {
        if index >= current {
            return Err(ErrorKind::StageIndex { index, current });
        }
        return Ok(CopyFrom::Stage(index));
    }
    let lower = value.to_ascii_lowercase();
    match resolve_stage(&lower, current, names, drafts) {
        Lookup::Earlier(i) => Ok(CopyFrom::Stage(i)),
        Lookup::Itself => Err(ErrorKind::SelfReference(lower)),
        Lookup::Later(line) => Err(ErrorKind::ForwardReference { name: lower, line }),
        Lookup::None => {
            if let Some(near) = names.iter().flatten().find(|n| {
                super::parser::edit_distance(n, &lower) <= 2 && !value.contains(['/', ':', '@'])
            }) {
                warnings.push(format!(
                    "--from={value} names no stage and is taken as an image (did you mean stage `{near}`?)"
                ));
            }
            Ok(CopyFrom::Image(value.to_string()))
        }
    }
}

#[cfg(test)]
mod tests;

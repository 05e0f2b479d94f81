//! The parsed Containerfile as data: one [`Instruction`] per logical line,
//! with its place in the file. Values are as written (before variable
//! substitution); [`super::scope::Scope`] expands them.

use std::time::Duration;

pub use super::lexer::{Directives, Heredoc};

/// A parsed Containerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containerfile {
    /// The name used in messages (`Containerfile`, `-` for stdin, a path).
    pub file: String,
    pub directives: Directives,
    pub instructions: Vec<Located>,
}

/// An instruction and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based line and column of the keyword.
    pub line: usize,
    pub column: usize,
    /// The last line of the instruction, heredoc bodies included.
    pub end_line: usize,
    /// The instruction's text, continuation lines joined.
    pub text: String,
    pub instruction: Instruction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    From(FromSpec),
    Run(Run),
    Cmd(Command),
    Entrypoint(Command),
    Copy(CopySpec),
    Add(CopySpec),
    Env(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Workdir(String),
    User(String),
    Expose(Vec<String>),
    Label(Vec<KeyValue>),
    Volume(Vec<String>),
    Healthcheck(Healthcheck),
    StopSignal(String),
    Shell(Vec<String>),
    Onbuild(Box<Onbuild>),
    /// Deprecated. Recorded as the `maintainer` label (see
    /// [`Instruction::maintainer_label`]); Docker also sets the Author field.
    Maintainer(String),
}

impl Instruction {
    /// The keyword, upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            Instruction::From(_) => "FROM",
            Instruction::Run(_) => "RUN",
            Instruction::Cmd(_) => "CMD",
            Instruction::Entrypoint(_) => "ENTRYPOINT",
            Instruction::Copy(_) => "COPY",
            Instruction::Add(_) => "ADD",
            Instruction::Env(_) => "ENV",
            Instruction::Arg(_) => "ARG",
            Instruction::Workdir(_) => "WORKDIR",
            Instruction::User(_) => "USER",
            Instruction::Expose(_) => "EXPOSE",
            Instruction::Label(_) => "LABEL",
            Instruction::Volume(_) => "VOLUME",
            Instruction::Healthcheck(_) => "HEALTHCHECK",
            Instruction::StopSignal(_) => "STOPSIGNAL",
            Instruction::Shell(_) => "SHELL",
            Instruction::Onbuild(_) => "ONBUILD",
            Instruction::Maintainer(_) => "MAINTAINER",
        }
    }

    /// Whether the instruction changes the filesystem (and so makes a
    /// layer): RUN, COPY, ADD, and WORKDIR (which creates the directory).
    /// All others change only the image config.
    pub fn changes_filesystem(&self) -> bool {
        matches!(
            self,
            Instruction::Run(_)
                | Instruction::Copy(_)
                | Instruction::Add(_)
                | Instruction::Workdir(_)
        )
    }

    /// MAINTAINER as the label it is recorded as.
    pub fn maintainer_label(&self) -> Option<KeyValue> {
        match self {
            Instruction::Maintainer(name) => Some(KeyValue {
                key: "maintainer".into(),
                value: name.clone(),
            }),
            _ => None,
        }
    }
}

/// `FROM [--platform=P] IMAGE [AS NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromSpec {
    /// An image reference, `scratch`, or an earlier stage's name.
    pub image: String,
    /// The stage name, lower-cased.
    pub alias: Option<String>,
    pub platform: Option<String>,
}

/// Exec form (a JSON array) or shell form (the text as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Exec(Vec<String>),
    Shell(String),
}

/// `RUN [--mount=...] [--network=...] [--security=...] COMMAND`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub command: Command,
    /// Heredocs opened on the line, in order (`RUN <<EOF`, `RUN python3 <<EOF`).
    pub heredocs: Vec<Heredoc>,
    pub mounts: Vec<Mount>,
    pub network: Option<Network>,
    pub security: Option<Security>,
}

impl Run {
    /// `RUN <<EOF` alone: the heredoc body is the script to run.
    pub fn script(&self) -> Option<&Heredoc> {
        match (&self.command, self.heredocs.as_slice()) {
            (Command::Shell(s), [doc]) if super::lexer::heredoc_word(s.trim()).is_some() => {
                Some(doc)
            }
            _ => None,
        }
    }

    /// The text a shell-form RUN hands to the SHELL, as BuildKit does:
    /// the heredoc body alone for `RUN <<EOF`, else the command line
    /// followed by each heredoc's body and terminator, so the shell reads
    /// them itself. `None` for the exec form. (A script body that starts
    /// with `#!` is run as a file in BuildKit; the executor handles that.)
    pub fn shell_text(&self) -> Option<String> {
        let Command::Shell(line) = &self.command else {
            return None;
        };
        if let Some(doc) = self.script() {
            return Some(doc.content.clone());
        }
        let mut text = line.clone();
        for doc in &self.heredocs {
            text.push('\n');
            text.push_str(&doc.content);
            text.push_str(&doc.name);
        }
        Some(text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Default,
    None,
    Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Sandbox,
    Insecure,
}

/// `RUN --mount=type=...,target=...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    pub kind: MountKind,
    pub target: Option<String>,
    pub source: Option<String>,
    /// A stage or image to take the source from.
    pub from: Option<String>,
    /// Cache id (defaults to the target in BuildKit).
    pub id: Option<String>,
    pub sharing: Option<Sharing>,
    pub readonly: bool,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub required: bool,
    pub size: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MountKind {
    #[default]
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    Shared,
    Private,
    Locked,
}

/// COPY and ADD. ADD-only fields (`checksum`, `keep_git_dir`) stay unset
/// for COPY.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopySpec {
    pub sources: Vec<Source>,
    pub dest: String,
    pub from: Option<String>,
    pub chown: Option<String>,
    /// Octal mode as written (`0755`).
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
    /// ADD: `--checksum=sha256:...` for a URL source.
    pub checksum: Option<String>,
    /// ADD: `--keep-git-dir` for a git source.
    pub keep_git_dir: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Path(String),
    Heredoc(Heredoc),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// `ARG NAME[=DEFAULT]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disable any inherited check.
    None,
    Check(Check),
}

/// `HEALTHCHECK [OPTIONS] CMD command`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub command: Command,
    pub interval: Option<Duration>,
    pub timeout: Option<Duration>,
    pub start_period: Option<Duration>,
    pub start_interval: Option<Duration>,
    pub retries: Option<u32>,
}

impl Check {
    /// The image config's `Healthcheck.Test`: `["CMD", ...]` or
    /// `["CMD-SHELL", "..."]`.
    pub fn test(&self) -> Vec<String> {
        match &self.command {
            Command::Exec(args) => std::iter::once("CMD".to_string())
                .chain(args.iter().cloned())
                .collect(),
            Command::Shell(s) => vec!["CMD-SHELL".into(), s.clone()],
        }
    }
}

/// `ONBUILD INSTRUCTION`: the trigger's text (stored in the image config)
/// and its parsed form (checked now, run when the image is used as a base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onbuild {
    pub text: String,
    pub instruction: Instruction,
}

//! Errors of the Containerfile front end: where (file, line, column) and
//! what, with a `hint:` line when there is an obvious fix.

use std::fmt;

/// A place in a Containerfile. Lines and columns are 1-based; columns count
/// characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// An error in a Containerfile, an ignore file or a build plan.
///
/// Displayed as `FILE:LINE:COLUMN: message`, followed by `hint: ...` on its
/// own line when there is one (`crate::error::render` gathers hint lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// `None` for errors about the request rather than the file (`--target`).
    pub location: Option<Location>,
    pub kind: ErrorKind,
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}", self.kind)?;
        if let Some(hint) = self.kind.hint() {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl Error {
    pub fn at(file: &str, line: usize, column: usize, kind: ErrorKind) -> Error {
        Error {
            location: Some(Location {
                file: file.to_string(),
                line,
                column,
            }),
            kind,
        }
    }

    /// `(line, column)` of the error, if it has a place.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.location.as_ref().map(|l| (l.line, l.column))
    }
}

/// What went wrong. Messages are lowercase and name the object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    #[error("the file is not valid UTF-8")]
    NotUtf8,
    #[error("no instructions in the file")]
    Empty,
    #[error("invalid escape character `{0}` in the escape directive")]
    InvalidEscape(String),
    #[error("the `{0}` parser directive is given twice")]
    DuplicateDirective(String),
    #[error("unknown instruction `{name}`")]
    UnknownInstruction {
        name: String,
        suggestion: Option<&'static str>,
        /// The previous line looks like a command that this one continues.
        after_run: bool,
    },
    #[error("heredoc `{0}` is not terminated")]
    UnterminatedHeredoc(String),
    #[error("{instruction} {expected}")]
    Arguments {
        instruction: &'static str,
        expected: &'static str,
    },
    #[error("unknown flag `--{flag}` for {instruction}")]
    UnknownFlag {
        instruction: &'static str,
        flag: String,
    },
    #[error("flag `--{flag}` is given twice")]
    DuplicateFlag { flag: String },
    #[error("invalid value for `--{flag}`: {message}")]
    FlagValue { flag: String, message: String },
    #[error("{0}")]
    Syntax(String),
    #[error("invalid stage name `{0}`")]
    InvalidStageName(String),
    #[error("SHELL needs its arguments as a JSON array")]
    ShellNotJson,
    #[error("{0} is not allowed as an ONBUILD trigger")]
    OnbuildTrigger(&'static str),
    #[error("invalid variable substitution: {0}")]
    Expand(#[from] super::expand::ExpandError),
    #[error("{0} before the first FROM")]
    BeforeFrom(&'static str),
    #[error("no FROM instruction")]
    NoFrom,
    #[error("duplicate stage name `{name}` (first used on line {first_line})")]
    DuplicateStage { name: String, first_line: usize },
    #[error("target stage `{name}` not found")]
    TargetNotFound { name: String, known: Vec<String> },
    #[error("stage `{name}` is defined later, on line {line}")]
    ForwardReference { name: String, line: usize },
    #[error("stage `{0}` refers to itself")]
    SelfReference(String),
    #[error("stage index {index} does not name an earlier stage (this is stage {current})")]
    StageIndex { index: usize, current: usize },
    #[error("invalid port `{0}` in EXPOSE")]
    InvalidPort(String),
    #[error("{instruction} source `{path}` is outside the build context")]
    OutsideContext {
        instruction: &'static str,
        path: String,
    },
    #[error("invalid pattern `{pattern}`: {message}")]
    IgnorePattern { pattern: String, message: String },
}

impl ErrorKind {
    /// A short suggestion for the user, shown on its own `hint:` line.
    pub fn hint(&self) -> Option<String> {
        match self {
            ErrorKind::InvalidEscape(_) => Some("use `# escape=\\` or `# escape=``".into()),
            ErrorKind::UnknownInstruction {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            ErrorKind::UnknownInstruction { after_run: true, .. } => Some(
                "if this line continues the one before, end that line with the escape character (`\\`)"
                    .into(),
            ),
            ErrorKind::UnterminatedHeredoc(name) => Some(format!(
                "end the heredoc with a line holding only `{name}`"
            )),
            ErrorKind::ShellNotJson => Some("write it as SHELL [\"/bin/sh\", \"-c\"]".into()),
            ErrorKind::BeforeFrom(_) => {
                Some("start the file with FROM; only ARG may come before it".into())
            }
            ErrorKind::NoFrom => Some("add a FROM line, e.g. `FROM scratch`".into()),
            ErrorKind::TargetNotFound { known, .. } if !known.is_empty() => {
                Some(format!("stages in this file: {}", known.join(", ")))
            }
            ErrorKind::ForwardReference { .. } => {
                Some("a stage can only use stages above it; move that stage up".into())
            }
            ErrorKind::InvalidStageName(_) => Some(
                "a stage name starts with a letter and holds only letters, digits, `-`, `_` and `.`"
                    .into(),
            ),
            ErrorKind::Expand(e) => e.hint(),
            ErrorKind::OutsideContext { .. } => Some(
                "only files inside the context directory can be copied; build from a directory that holds them"
                    .into(),
            ),
            _ => None,
        }
    }
}

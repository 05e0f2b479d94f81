//! ARG and ENV scoping, and the substitution of each instruction in it.
//!
//! Docker's rules: ARGs before the first FROM are global and usable only in
//! FROM lines, unless a stage declares them again (`ARG NAME` without a
//! default then takes the global value). Each stage starts with no ARGs
//! and its base image's environment. `--build-arg` overrides an ARG's
//! default; an ENV (the base image's too) wins over an ARG of the same
//! name. An instruction's values are all expanded with the scope as it was
//! before the instruction (`ENV a=1 b=$a` sees the old `a`). ARG values
//! are in the environment of RUN but not in the image.
//!
//! Expanded instructions: ADD, ARG, COPY, ENV, EXPOSE, FROM, LABEL,
//! STOPSIGNAL, USER, VOLUME, WORKDIR, and RUN's `--mount` options. Not
//! expanded: RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK (the shell expands
//! them at run time) and ONBUILD (expanded when triggered).

use std::collections::BTreeMap;

use super::error::{Error, ErrorKind};
use super::expand::{Vars, expand_keep_quotes, expand_word};
use super::instruction::*;

/// Build args that need no ARG line and reach RUN's environment (Docker's
/// predefined proxy args).
pub const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The variables visible at one point of a stage (or before the first
/// FROM, for the global scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    file: String,
    escape: char,
    /// The image environment: the base image's, then ENV lines. Unique keys.
    env: Vec<(String, String)>,
    /// ARGs declared in this scope, in order. `None`: declared, no value.
    args: Vec<(String, Option<String>)>,
    build_args: BTreeMap<String, String>,
    /// The global ARGs' values, for `ARG NAME` re-declarations.
    global: BTreeMap<String, String>,
}

/// An instruction after substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub instruction: Instruction,
    /// For RUN: the environment of the command (ENV, then ARG values and
    /// predefined proxy args that ENV does not override). Empty otherwise.
    pub run_env: Vec<(String, String)>,
    /// The text for the image history (`RUN |1 V=2 make`, `COPY a /b`).
    pub history: String,
}

impl Resolved {
    /// The text the cache key hashes: the history line and every value of
    /// the resolved instruction, heredoc bodies and mounts included.
    pub fn cache_text(&self) -> String {
        format!("{}\n{:?}", self.history, self.instruction)
    }
}

struct Lookup<'a>(&'a Scope);

impl Vars for Lookup<'_> {
    fn var(&self, name: &str) -> Option<&str> {
        self.0.lookup(name)
    }
}

impl Scope {
    /// The scope before the first FROM.
    pub fn global(file: &str, escape: char, build_args: &BTreeMap<String, String>) -> Scope {
        Scope {
            file: file.to_string(),
            escape,
            env: Vec::new(),
            args: Vec::new(),
            build_args: build_args.clone(),
            global: BTreeMap::new(),
        }
    }

    /// The scope at the start of a stage, given its base image's
    /// environment (`KEY=VALUE` pairs, or an earlier stage's final `env()`).
    pub fn stage(
        file: &str,
        escape: char,
        build_args: &BTreeMap<String, String>,
        global: &BTreeMap<String, String>,
        base_env: &[(String, String)],
    ) -> Scope {
        let mut scope = Scope::global(file, escape, build_args);
        scope.global = global.clone();
        for (k, v) in base_env {
            scope.set_env(k.clone(), v.clone());
        }
        scope
    }

    /// Declare an ARG with a value, as if by `ARG NAME=VALUE` (for the
    /// automatic platform args).
    pub fn declare(&mut self, name: &str, value: &str) {
        self.args.retain(|(k, _)| k != name);
        self.args.push((name.to_string(), Some(value.to_string())));
    }

    /// A variable's value: ENV first, then ARG.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        if let Some((_, v)) = self.env.iter().find(|(k, _)| k == name) {
            return Some(v);
        }
        self.args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// The image environment (base image's and ENV lines), in order.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// Values of the ARGs declared in this scope (those with a value).
    pub fn arg_values(&self) -> BTreeMap<String, String> {
        self.args
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .collect()
    }

    /// The environment for RUN: ENV, plus ARG values and predefined proxy
    /// build args whose names ENV does not set.
    pub fn run_env(&self) -> Vec<(String, String)> {
        let mut out = self.env.clone();
        let mut extra: Vec<(String, String)> = Vec::new();
        for (k, v) in self.arg_values() {
            extra.push((k, v));
        }
        for name in PREDEFINED_ARGS {
            if let Some(v) = self.build_args.get(*name) {
                if !extra.iter().any(|(k, _)| k == name) {
                    extra.push((name.to_string(), v.clone()));
                }
            }
        }
        for (k, v) in extra {
            if !out.iter().any(|(ek, _)| *ek == k) {
                out.push((k, v));
            }
        }
        out
    }

    fn set_env(&mut self, key: String, value: String) {
        match self.env.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.env.push((key, value)),
        }
    }

    /// Expand one word in this scope.
    pub fn expand(&self, word: &str) -> Result<String, super::expand::ExpandError> {
        expand_word(word, self.escape, &Lookup(self))
    }

    /// Substitute variables in an instruction and apply its effect on the
    /// scope (ARG and ENV). Errors name the instruction's line and column.
    pub fn resolve(&mut self, at: &Located) -> Result<Resolved, Error> {
        let err = |kind: ErrorKind| Error::at(&self.file, at.line, at.column, kind);
        let x = |w: &str| self.expand(w).map_err(|e| err(e.into()));
        let xo = |w: &Option<String>| w.as_deref().map(x).transpose();
        let keyword = at.instruction.keyword();
        let mut history = at.text.clone();
        let mut run_env = Vec::new();
        let instruction = match &at.instruction {
            Instruction::From(f) => Instruction::From(FromSpec {
                image: x(&f.image)?,
                alias: f.alias.clone(),
                platform: xo(&f.platform)?,
            }),
            Instruction::Arg(decls) => {
                let mut resolved = Vec::new();
                for d in decls {
                    let name = x(&d.name)?;
                    let default = xo(&d.default)?;
                    let value = self
                        .build_args
                        .get(&name)
                        .cloned()
                        .or_else(|| default.clone())
                        .or_else(|| self.global.get(&name).cloned());
                    resolved.push((ArgDecl { name, default }, value));
                }
                for (d, value) in &resolved {
                    self.args.retain(|(k, _)| *k != d.name);
                    self.args.push((d.name.clone(), value.clone()));
                }
                Instruction::Arg(resolved.into_iter().map(|(d, _)| d).collect())
            }
            Instruction::Env(pairs) => {
                let pairs = self.pairs(pairs, &err)?;
                for p in &pairs {
                    self.set_env(p.key.clone(), p.value.clone());
                }
                history = format!("ENV {}", render_pairs(&pairs));
                Instruction::Env(pairs)
            }
            Instruction::Label(pairs) => {
                let pairs = self.pairs(pairs, &err)?;
                history = format!("LABEL {}", render_pairs(&pairs));
                Instruction::Label(pairs)
            }
            Instruction::Workdir(v) => {
                let v = x(v)?;
                history = format!("WORKDIR {v}");
                Instruction::Workdir(v)
            }
            Instruction::User(v) => {
                let v = x(v)?;
                history = format!("USER {v}");
                Instruction::User(v)
            }
            Instruction::StopSignal(v) => {
                let v = x(v)?;
                history = format!("STOPSIGNAL {v}");
                Instruction::StopSignal(v)
            }
            Instruction::Volume(list) => {
                let list: Vec<String> = list.iter().map(|v| x(v)).collect::<Result<_, _>>()?;
                let shown: Vec<String> = list.iter().map(|v| quote_if_needed(v)).collect();
                history = format!("VOLUME {}", shown.join(" "));
                Instruction::Volume(list)
            }
            Instruction::Expose(list) => {
                let mut ports = Vec::new();
                for p in list {
                    let port = x(p)?;
                    for one in port.split_whitespace() {
                        if !valid_port(one) {
                            return Err(err(ErrorKind::InvalidPort(one.to_string())));
                        }
                        ports.push(one.to_string());
                    }
                }
                history = format!("EXPOSE {}", ports.join(" "));
                Instruction::Expose(ports)
            }
            Instruction::Copy(c) | Instruction::Add(c) => {
                let mut sources = Vec::new();
                for s in &c.sources {
                    sources.push(match s {
                        Source::Path(p) => {
                            let p = x(p)?;
                            if c.from.is_none() && escapes_context(&p) {
                                return Err(err(ErrorKind::OutsideContext {
                                    instruction: keyword,
                                    path: p,
                                }));
                            }
                            Source::Path(p)
                        }
                        Source::Heredoc(doc) if doc.expand => {
                            let mut doc = doc.clone();
                            doc.content =
                                expand_keep_quotes(&doc.content, self.escape, &Lookup(self))
                                    .map_err(|e| err(e.into()))?;
                            Source::Heredoc(doc)
                        }
                        Source::Heredoc(doc) => Source::Heredoc(doc.clone()),
                    });
                }
                let copy = CopySpec {
                    sources,
                    dest: x(&c.dest)?,
                    from: xo(&c.from)?,
                    chown: xo(&c.chown)?,
                    chmod: xo(&c.chmod)?,
                    checksum: xo(&c.checksum)?,
                    exclude: c.exclude.iter().map(|e| x(e)).collect::<Result<_, _>>()?,
                    ..c.clone()
                };
                if let Some(mode) = &copy.chmod {
                    super::flags::chmod(mode).map_err(err)?;
                }
                if let Some(sum) = &copy.checksum {
                    super::flags::checksum(sum).map_err(err)?;
                }
                history = render_copy(keyword, &copy);
                if keyword == "COPY" {
                    Instruction::Copy(copy)
                } else {
                    Instruction::Add(copy)
                }
            }
            Instruction::Run(run) => {
                let mut run = run.clone();
                for m in &mut run.mounts {
                    m.target = xo(&m.target)?;
                    m.source = xo(&m.source)?;
                    m.from = xo(&m.from)?;
                    m.id = xo(&m.id)?;
                }
                run_env = self.run_env();
                let args = self.arg_values();
                if !args.is_empty() {
                    let list: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let body = at.text.trim_start()[keyword.len()..].trim_start();
                    history = format!("RUN |{} {} {}", list.len(), list.join(" "), body);
                }
                Instruction::Run(run)
            }
            other => other.clone(),
        };
        Ok(Resolved {
            instruction,
            run_env,
            history,
        })
    }

    fn pairs(
        &self,
        pairs: &[KeyValue],
        err: &dyn Fn(ErrorKind) -> Error,
    ) -> Result<Vec<KeyValue>, Error> {
        pairs
            .iter()
            .map(|p| {
                Ok(KeyValue {
                    key: self.expand(&p.key).map_err(|e| err(e.into()))?,
                    value: self.expand(&p.value).map_err(|e| err(e.into()))?,
                })
            })
            .collect()
    }
}

/// Whether a context source path leaves the context root once cleaned
/// (`../x`, `a/../../x`). URLs and git sources are not context paths.
pub(crate) fn escapes_context(path: &str) -> bool {
    if path.contains("://") || path.starts_with("git@") {
        return false;
    }
    // A rooted path is relative to the context root, where `..` stays at
    // the root (Go's `path.Clean("/../x")` is `/x`).
    let rooted = path.starts_with('/');
    let mut depth: i64 = 0;
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if rooted && depth == 0 => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

/// `80`, `80/tcp`, `8000-8010/udp`.
fn valid_port(p: &str) -> bool {
    let (range, proto) = match p.split_once('/') {
        Some((r, proto)) => (r, Some(proto.to_ascii_lowercase())),
        None => (p, None),
    };
    let number = |s: &str| {
        !s.is_empty()
            && s.len() <= 5
            && s.chars().all(|c| c.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    let range_ok = match range.split_once('-') {
        Some((a, b)) => number(a) && number(b),
        None => number(range),
    };
    range_ok && proto.is_none_or(|p| matches!(p.as_str(), "tcp" | "udp" | "sctp"))
}

fn quote_if_needed(v: &str) -> String {
    if v.is_empty() || v.contains(|c: char| c.is_whitespace() || c == '"' || c == '\\') {
        format!("{v:?}")
    } else {
        v.to_string()
    }
}

fn render_pairs(pairs: &[KeyValue]) -> String {
    pairs
        .iter()
        .map(|p| format!("{}={}", p.key, quote_if_needed(&p.value)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_copy(keyword: &str, c: &CopySpec) -> String {
    let mut out = keyword.to_string();
    for (name, v) in [
        ("from", &c.from),
        ("chown", &c.chown),
        ("chmod", &c.chmod),
        ("checksum", &c.checksum),
    ] {
        if let Some(v) = v {
            out.push_str(&format!(" --{name}={v}"));
        }
    }
    if c.link {
        out.push_str(" --link");
    }
    for s in &c.sources {
        match s {
            Source::Path(p) => out.push_str(&format!(" {}", quote_if_needed(p))),
            Source::Heredoc(d) => out.push_str(&format!(" <<{}", d.name)),
        }
    }
    out.push_str(&format!(" {}", quote_if_needed(&c.dest)));
    out
}

#[cfg(test)]
mod tests;

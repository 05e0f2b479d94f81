//! Containerfile text to [`Containerfile`]: each logical line from the
//! lexer becomes an [`Instruction`], with BuildKit's argument rules (JSON
//! exec form with fallback to shell form, `KEY=value` words, flags).
//! Pure; errors carry file, line and column.

use super::error::{Error, ErrorKind};
use super::flags::{self, Checked, Kind};
use super::instruction::*;
use super::lexer::{self, LogicalLine};
pub(crate) use super::words::{command, edit_distance, floor_boundary, json_array, suggest, words};

pub(crate) const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "ENTRYPOINT",
    "COPY",
    "ADD",
    "ENV",
    "ARG",
    "WORKDIR",
    "USER",
    "EXPOSE",
    "LABEL",
    "VOLUME",
    "HEALTHCHECK",
    "STOPSIGNAL",
    "SHELL",
    "ONBUILD",
    "MAINTAINER",
];

/// Parse a Containerfile. `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Containerfile, Error> {
    let lexed = lexer::lex(file, text)?;
    let mut instructions = Vec::with_capacity(lexed.lines.len());
    let mut prev_run = false;
    for line in &lexed.lines {
        let ctx = Ctx {
            file,
            escape: lexed.directives.escape,
            line,
            prev_run,
        };
        let instruction = ctx.instruction(0)?;
        prev_run = matches!(instruction, Instruction::Run(_));
        instructions.push(Located {
            line: line.line(),
            column: line.column(),
            end_line: line.last_line,
            text: line.text.clone(),
            instruction,
        });
    }
    if instructions.is_empty() {
        return Err(Error::at(file, 1, 1, ErrorKind::Empty));
    }
    Ok(Containerfile {
        file: file.to_string(),
        directives: lexed.directives,
        instructions,
    })
}

/// Fuzzing entry: parse arbitrary bytes (never panics).
pub fn parse_bytes(data: &[u8]) -> Result<Containerfile, Error> {
    match std::str::from_utf8(data) {
        Ok(text) => parse("Containerfile", text),
        Err(e) => {
            let before = &data[..e.valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            Err(Error::at("Containerfile", line, column, ErrorKind::NotUtf8))
        }
    }
}

struct Ctx<'a> {
    file: &'a str,
    escape: char,
    line: &'a LogicalLine,
    prev_run: bool,
}

type Res<T> = Result<T, Error>;

impl Ctx<'_> {
    /// An error at a byte offset into the logical line's text.
    fn err(&self, offset: usize, kind: ErrorKind) -> Error {
        let text = &self.line.text;
        let offset = offset.min(text.len());
        let chars = text[..floor_boundary(text, offset)].chars().count();
        let (line, column) = self.line.position(chars);
        Error::at(self.file, line, column, kind)
    }

    fn args(&self, at: usize, instruction: &'static str, expected: &'static str) -> Error {
        self.err(
            at,
            ErrorKind::Arguments {
                instruction,
                expected,
            },
        )
    }

    /// Parse the instruction starting at byte `start` of the text.
    fn instruction(&self, start: usize) -> Res<Instruction> {
        let text = &self.line.text;
        let head = &text[start..];
        let word_len = head.find(char::is_whitespace).unwrap_or(head.len());
        let word = &head[..word_len];
        let upper = word.to_ascii_uppercase();
        let Some(keyword) = KEYWORDS.iter().copied().find(|k| *k == upper) else {
            return Err(self.err(
                start,
                ErrorKind::UnknownInstruction {
                    name: word.to_string(),
                    suggestion: suggest(&upper),
                    after_run: self.prev_run,
                },
            ));
        };
        let (flag_list, args_at) = flags::extract(text, start + word_len);
        let rest = text[args_at..].trim_end();
        let allowed: &[(&str, Kind)] = match keyword {
            "FROM" => &[("platform", Kind::Value)],
            "RUN" => &[
                ("mount", Kind::Multi),
                ("network", Kind::Value),
                ("security", Kind::Value),
            ],
            "COPY" => &[
                ("from", Kind::Value),
                ("chown", Kind::Value),
                ("chmod", Kind::Value),
                ("link", Kind::Bool),
                ("parents", Kind::Bool),
                ("exclude", Kind::Multi),
            ],
            "ADD" => &[
                ("chown", Kind::Value),
                ("chmod", Kind::Value),
                ("link", Kind::Bool),
                ("checksum", Kind::Value),
                ("keep-git-dir", Kind::Bool),
                ("exclude", Kind::Multi),
            ],
            "HEALTHCHECK" => &[
                ("interval", Kind::Value),
                ("timeout", Kind::Value),
                ("start-period", Kind::Value),
                ("start-interval", Kind::Value),
                ("retries", Kind::Value),
            ],
            _ => &[],
        };
        let f = Checked::check(keyword, flag_list, allowed).map_err(|(o, k)| self.err(o, k))?;
        if matches!(
            keyword,
            "RUN" | "CMD" | "ENTRYPOINT" | "COPY" | "ADD" | "VOLUME" | "SHELL"
        ) {
            self.strings_only(rest, args_at)?;
        }
        let need = |what: &'static str| -> Res<()> {
            if rest.is_empty() {
                Err(self.args(args_at, keyword, what))
            } else {
                Ok(())
            }
        };
        Ok(match keyword {
            "FROM" => {
                need("needs an image (`FROM IMAGE [AS NAME]`)")?;
                Instruction::From(self.from(rest, args_at, f.string("platform"))?)
            }
            "RUN" => {
                need("needs a command")?;
                let run = self.run(rest, &f)?;
                if run.command == Command::Exec(Vec::new()) {
                    return Err(self.args(args_at, keyword, "needs a command"));
                }
                Instruction::Run(run)
            }
            "CMD" => Instruction::Cmd(command(rest)),
            "ENTRYPOINT" => Instruction::Entrypoint(command(rest)),
            "COPY" | "ADD" => {
                let copy = self.copy(keyword, rest, args_at, &f)?;
                if keyword == "COPY" {
                    Instruction::Copy(copy)
                } else {
                    Instruction::Add(copy)
                }
            }
            "ENV" => Instruction::Env(self.name_values(keyword, rest, args_at)?),
            "LABEL" => Instruction::Label(self.name_values(keyword, rest, args_at)?),
            "ARG" => Instruction::Arg(self.arg(rest, args_at)?),
            "WORKDIR" => {
                need("needs a directory")?;
                Instruction::Workdir(rest.to_string())
            }
            "USER" => {
                need("needs a user (`USER NAME[:GROUP]`)")?;
                Instruction::User(rest.to_string())
            }
            "STOPSIGNAL" => {
                need("needs a signal")?;
                Instruction::StopSignal(rest.to_string())
            }
            "MAINTAINER" => {
                need("needs a name")?;
                Instruction::Maintainer(rest.to_string())
            }
            "EXPOSE" => {
                need("needs at least one port")?;
                Instruction::Expose(rest.split_whitespace().map(str::to_string).collect())
            }
            "VOLUME" => {
                need("needs at least one path")?;
                let list = json_array(rest)
                    .unwrap_or_else(|| rest.split_whitespace().map(str::to_string).collect());
                if list.is_empty() || list.iter().any(|v| v.trim().is_empty()) {
                    return Err(self.args(args_at, keyword, "paths cannot be empty"));
                }
                Instruction::Volume(list)
            }
            "SHELL" => match json_array(rest) {
                Some(list) if !list.is_empty() => Instruction::Shell(list),
                _ => return Err(self.err(args_at, ErrorKind::ShellNotJson)),
            },
            "HEALTHCHECK" => Instruction::Healthcheck(self.healthcheck(rest, args_at, &f)?),
            _ => {
                need("needs an instruction")?;
                let inner = rest.split_whitespace().next().unwrap_or("");
                match inner.to_ascii_uppercase().as_str() {
                    "ONBUILD" => {
                        return Err(self.err(args_at, ErrorKind::OnbuildTrigger("ONBUILD")));
                    }
                    "FROM" => return Err(self.err(args_at, ErrorKind::OnbuildTrigger("FROM"))),
                    "MAINTAINER" => {
                        return Err(self.err(args_at, ErrorKind::OnbuildTrigger("MAINTAINER")));
                    }
                    _ => {}
                }
                Instruction::Onbuild(Box::new(Onbuild {
                    text: rest.to_string(),
                    instruction: self.instruction(args_at)?,
                }))
            }
        })
    }

    /// A JSON array with anything but strings in it is an error (Docker:
    /// "arrays must be comprised of strings only"), not the shell form.
    fn strings_only(&self, text: &str, at: usize) -> Res<()> {
        let text = text.trim();
        if !text.starts_with('[') {
            return Ok(());
        }
        match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(values) if values.iter().any(|v| !v.is_string()) => Err(self.err(
                at,
                ErrorKind::Syntax("a JSON array here must hold only strings".into()),
            )),
            _ => Ok(()),
        }
    }

    fn from(&self, rest: &str, at: usize, platform: Option<String>) -> Res<FromSpec> {
        let words: Vec<&str> = rest.split_whitespace().collect();
        let alias = match words.as_slice() {
            [_] => None,
            [_, as_word, name] if as_word.eq_ignore_ascii_case("as") => {
                let name = name.to_ascii_lowercase();
                let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
                if !valid {
                    let off = at + rest.rfind(words[2]).unwrap_or(0);
                    return Err(self.err(off, ErrorKind::InvalidStageName(words[2].to_string())));
                }
                Some(name)
            }
            _ => {
                return Err(self.args(at, "FROM", "takes an image and an optional `AS NAME`"));
            }
        };
        Ok(FromSpec {
            image: words[0].to_string(),
            alias,
            platform,
        })
    }

    fn run(&self, rest: &str, f: &Checked) -> Res<Run> {
        let mut mounts = Vec::new();
        for flag in f.all("mount") {
            let value = flag.value.as_deref().unwrap_or("");
            mounts.push(flags::mount(value).map_err(|k| self.err(flag.offset, k))?);
        }
        let network = match f.value("network") {
            None => None,
            Some(flag) => Some(match flag.value.as_deref().unwrap_or("") {
                "default" => Network::Default,
                "none" => Network::None,
                "host" => Network::Host,
                other => {
                    return Err(self.err(
                        flag.offset,
                        ErrorKind::FlagValue {
                            flag: "network".into(),
                            message: format!("`{other}` is not one of default, none, host"),
                        },
                    ));
                }
            }),
        };
        let security = match f.value("security") {
            None => None,
            Some(flag) => Some(match flag.value.as_deref().unwrap_or("") {
                "sandbox" => Security::Sandbox,
                "insecure" => Security::Insecure,
                other => {
                    return Err(self.err(
                        flag.offset,
                        ErrorKind::FlagValue {
                            flag: "security".into(),
                            message: format!("`{other}` is not one of sandbox, insecure"),
                        },
                    ));
                }
            }),
        };
        Ok(Run {
            command: command(rest),
            heredocs: self.line.heredocs.clone(),
            mounts,
            network,
            security,
        })
    }

    fn copy(&self, keyword: &'static str, rest: &str, at: usize, f: &Checked) -> Res<CopySpec> {
        let mut words = json_array(rest)
            .unwrap_or_else(|| rest.split_whitespace().map(str::to_string).collect());
        if words.len() < 2 {
            return Err(self.args(at, keyword, "needs at least one source and a destination"));
        }
        let dest = words.pop().unwrap_or_default();
        let sources = words
            .into_iter()
            .map(|w| {
                match lexer::heredoc_word(&w)
                    .and_then(|h| self.line.heredocs.iter().find(|d| d.name == h.name))
                {
                    Some(doc) => Source::Heredoc(doc.clone()),
                    None => Source::Path(w),
                }
            })
            .collect();
        if let Some(flag) = f.value("chmod") {
            flags::chmod(flag.value.as_deref().unwrap_or(""))
                .map_err(|k| self.err(flag.offset, k))?;
        }
        if let Some(flag) = f.value("checksum") {
            flags::checksum(flag.value.as_deref().unwrap_or(""))
                .map_err(|k| self.err(flag.offset, k))?;
        }
        Ok(CopySpec {
            sources,
            dest,
            from: f.string("from"),
            chown: f.string("chown"),
            chmod: f.string("chmod"),
            link: f.bool("link"),
            parents: f.bool("parents"),
            exclude: f.all("exclude").filter_map(|x| x.value.clone()).collect(),
            checksum: f.string("checksum"),
            keep_git_dir: f.bool("keep-git-dir"),
        })
    }

    /// ENV and LABEL: `KEY VALUE` (old form: the rest of the line is the
    /// value) or `KEY=VALUE ...` (quotes kept for substitution to remove).
    fn name_values(&self, keyword: &'static str, rest: &str, at: usize) -> Res<Vec<KeyValue>> {
        let words = words(rest, self.escape);
        let Some(first) = words.first() else {
            return Err(self.args(at, keyword, "needs at least one `KEY=VALUE`"));
        };
        if !first.contains('=') {
            let Some((key, value)) = rest.split_once(char::is_whitespace) else {
                return Err(self.args(at, keyword, "needs a value (`KEY=VALUE` or `KEY VALUE`)"));
            };
            return Ok(vec![KeyValue {
                key: key.to_string(),
                value: value.trim_start().to_string(),
            }]);
        }
        let mut out = Vec::new();
        for word in words {
            let Some((key, value)) = word.split_once('=') else {
                return Err(self.err(
                    at,
                    ErrorKind::Syntax(format!("{keyword}: no `=` in `{word}` (write KEY=VALUE)")),
                ));
            };
            if key.is_empty() {
                return Err(self.args(at, keyword, "names cannot be empty"));
            }
            out.push(KeyValue {
                key: key.to_string(),
                value: value.to_string(),
            });
        }
        Ok(out)
    }

    fn arg(&self, rest: &str, at: usize) -> Res<Vec<ArgDecl>> {
        let words = words(rest, self.escape);
        if words.is_empty() {
            return Err(self.args(at, "ARG", "needs a name (`ARG NAME[=DEFAULT]`)"));
        }
        let mut out = Vec::new();
        for word in words {
            let (name, default) = match word.split_once('=') {
                Some((n, d)) => (n.to_string(), Some(d.to_string())),
                None => (word, None),
            };
            if name.is_empty() {
                return Err(self.args(at, "ARG", "names cannot be empty"));
            }
            out.push(ArgDecl { name, default });
        }
        Ok(out)
    }

    fn healthcheck(&self, rest: &str, at: usize, f: &Checked) -> Res<Healthcheck> {
        let (kind, after) = match rest.split_once(char::is_whitespace) {
            Some((k, a)) => (k, a.trim_start()),
            None => (rest, ""),
        };
        match kind.to_ascii_uppercase().as_str() {
            "NONE" => {
                if !after.is_empty() || !f.is_empty() {
                    return Err(self.args(at, "HEALTHCHECK", "NONE takes no arguments"));
                }
                Ok(Healthcheck::None)
            }
            "" => Err(self.args(at, "HEALTHCHECK", "needs CMD or NONE")),
            "CMD" => {
                if after.is_empty() {
                    return Err(self.args(at, "HEALTHCHECK", "CMD needs a command"));
                }
                let after_at = at + rest.len() - after.len();
                self.strings_only(after, after_at)?;
                let dur = |name: &str| -> Res<Option<std::time::Duration>> {
                    let Some(flag) = f.value(name) else {
                        return Ok(None);
                    };
                    let value = flag.value.as_deref().unwrap_or("");
                    let d = flags::duration(value).map_err(|m| {
                        self.err(
                            flag.offset,
                            ErrorKind::FlagValue {
                                flag: name.into(),
                                message: m,
                            },
                        )
                    })?;
                    if !d.is_zero() && d < std::time::Duration::from_millis(1) {
                        return Err(self.err(
                            flag.offset,
                            ErrorKind::FlagValue {
                                flag: name.into(),
                                message: "cannot be less than 1ms".into(),
                            },
                        ));
                    }
                    Ok(Some(d))
                };
                let retries = match f.value("retries") {
                    None => None,
                    Some(flag) => {
                        let v = flag.value.as_deref().unwrap_or("");
                        Some(v.parse::<u32>().map_err(|_| {
                            self.err(
                                flag.offset,
                                ErrorKind::FlagValue {
                                    flag: "retries".into(),
                                    message: format!("`{v}` is not a count of 0 or more"),
                                },
                            )
                        })?)
                    }
                };
                Ok(Healthcheck::Check(Check {
                    command: command(after),
                    interval: dur("interval")?,
                    timeout: dur("timeout")?,
                    start_period: dur("start-period")?,
                    start_interval: dur("start-interval")?,
                    retries,
                }))
            }
            _ => Err(self.err(
                at,
                ErrorKind::Syntax(format!(
                    "HEALTHCHECK: unknown type `{kind}` (use CMD or NONE)"
                )),
            )),
        }
    }
}

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod tests;

//! Instruction flags (`--from=`, `--chown=`, `--mount=...`, `--interval=`):
//! extraction from the start of the arguments, checking against what each
//! instruction accepts, and the values that have their own syntax (mounts,
//! Go durations, octal modes, checksums).

use std::time::Duration;

use super::error::ErrorKind;
use super::instruction::{Mount, MountKind, Sharing};

/// A flag as written. `offset` is a byte offset into the instruction text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub offset: usize,
}

/// Take the leading `--flag[=value]` words of `text[start..]`. Quotes in
/// a flag word are removed. Returns the flags and the byte offset where the
/// arguments begin.
pub(crate) fn extract(text: &str, start: usize) -> (Vec<Flag>, usize) {
    let mut flags = Vec::new();
    let mut pos = start;
    loop {
        let rest = &text[pos..];
        let skipped = rest.len() - rest.trim_start().len();
        let word_start = pos + skipped;
        if !text[word_start..].starts_with("--") {
            return (flags, word_start);
        }
        let (word, end) = flag_word(text, word_start);
        pos = end;
        if word == "--" {
            let rest = &text[pos..];
            return (flags, pos + (rest.len() - rest.trim_start().len()));
        }
        let body = &word[2..];
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        flags.push(Flag {
            name: name.to_ascii_lowercase(),
            value,
            offset: word_start,
        });
    }
}

/// One word from `start` to unquoted whitespace, quotes removed.
fn flag_word(text: &str, start: usize) -> (String, usize) {
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut iter = text[start..].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c.is_whitespace() => return (word, start + i),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '\\' => {
                if let Some((_, n)) = iter.next() {
                    word.push(n);
                }
            }
            None => word.push(c),
        }
    }
    (word, text.len())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--name=value`, at most once.
    Value,
    /// `--name` or `--name=true|false`.
    Bool,
    /// `--name=value`, any number of times.
    Multi,
}

/// Flags checked against an instruction's allowed set.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    flags: Vec<Flag>,
}

/// A flag error and the byte offset of the flag.
pub(crate) type FlagError = (usize, ErrorKind);

impl Checked {
    pub fn check(
        instruction: &'static str,
        flags: Vec<Flag>,
        allowed: &[(&str, Kind)],
    ) -> Result<Checked, FlagError> {
        for (i, flag) in flags.iter().enumerate() {
            let Some((_, kind)) = allowed.iter().find(|(n, _)| *n == flag.name) else {
                return Err((
                    flag.offset,
                    ErrorKind::UnknownFlag {
                        instruction,
                        flag: flag.name.clone(),
                    },
                ));
            };
            match kind {
                Kind::Value | Kind::Multi if flag.value.is_none() => {
                    return Err((
                        flag.offset,
                        ErrorKind::FlagValue {
                            flag: flag.name.clone(),
                            message: "a value is needed (`--name=value`)".into(),
                        },
                    ));
                }
                Kind::Bool => {
                    let v = flag.value.as_deref().unwrap_or("true");
                    if v != "true" && v != "false" {
                        return Err((
                            flag.offset,
                            ErrorKind::FlagValue {
                                flag: flag.name.clone(),
                                message: format!("expected true or false, not `{v}`"),
                            },
                        ));
                    }
                }
                _ => {}
            }
            if *kind != Kind::Multi && flags[..i].iter().any(|f| f.name == flag.name) {
                return Err((
                    flag.offset,
                    ErrorKind::DuplicateFlag {
                        flag: flag.name.clone(),
                    },
                ));
            }
        }
        Ok(Checked { flags })
    }

    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    pub fn value(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.value(name).and_then(|f| f.value.clone())
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &Flag> {
        self.flags.iter().filter(move |f| f.name == name)
    }

    pub fn bool(&self, name: &str) -> bool {
        self.value(name)
            .is_some_and(|f| f.value.as_deref() != Some("false"))
    }
}

fn value_error(flag: &str, message: impl Into<String>) -> ErrorKind {
    ErrorKind::FlagValue {
        flag: flag.into(),
        message: message.into(),
    }
}

/// `--mount=type=cache,target=/root/.cache,sharing=locked,...`.
pub(crate) fn mount(value: &str) -> Result<Mount, ErrorKind> {
    let mut m = Mount::default();
    for field in value.split(',').filter(|f| !f.is_empty()) {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim().to_string())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        let need = |v: Option<String>| {
            v.ok_or_else(|| value_error("mount", format!("`{key}` needs a value")))
        };
        let number = |v: Option<String>, radix: u32| -> Result<u32, ErrorKind> {
            let v = need(v)?;
            u32::from_str_radix(&v, radix)
                .map_err(|_| value_error("mount", format!("`{key}={v}` is not a number")))
        };
        let boolean = |v: Option<String>| -> Result<bool, ErrorKind> {
            match v.as_deref() {
                None | Some("true") => Ok(true),
                Some("false") => Ok(false),
                Some(other) => Err(value_error(
                    "mount",
                    format!("`{key}={other}`: expected true or false"),
                )),
            }
        };
        match key.as_str() {
            "type" => {
                m.kind = match need(val)?.as_str() {
                    "bind" => MountKind::Bind,
                    "cache" => MountKind::Cache,
                    "tmpfs" => MountKind::Tmpfs,
                    "secret" => MountKind::Secret,
                    "ssh" => MountKind::Ssh,
                    other => {
                        return Err(value_error(
                            "mount",
                            format!("unknown type `{other}` (bind, cache, tmpfs, secret, ssh)"),
                        ));
                    }
                }
            }
            "target" | "dst" | "destination" => m.target = Some(need(val)?),
            "source" | "src" => m.source = Some(need(val)?),
            "from" => m.from = Some(need(val)?),
            "id" => m.id = Some(need(val)?),
            "sharing" => {
                m.sharing = Some(match need(val)?.as_str() {
                    "shared" => Sharing::Shared,
                    "private" => Sharing::Private,
                    "locked" => Sharing::Locked,
                    other => {
                        return Err(value_error(
                            "mount",
                            format!("unknown sharing `{other}` (shared, private, locked)"),
                        ));
                    }
                })
            }
            "ro" | "readonly" => m.readonly = boolean(val)?,
            "rw" | "readwrite" => m.readonly = !boolean(val)?,
            "required" => m.required = boolean(val)?,
            "mode" => m.mode = Some(number(val, 8)?),
            "uid" => m.uid = Some(number(val, 10)?),
            "gid" => m.gid = Some(number(val, 10)?),
            "size" => m.size = Some(need(val)?),
            other => return Err(value_error("mount", format!("unknown option `{other}`"))),
        }
    }
    if m.target.is_none()
        && matches!(
            m.kind,
            MountKind::Bind | MountKind::Cache | MountKind::Tmpfs
        )
    {
        return Err(value_error("mount", "`target=` is needed"));
    }
    Ok(m)
}

/// A Go duration (`30s`, `1m30s`, `1.5h`, `500ms`, `0`).
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    if text.is_empty() {
        return Err("empty duration".into());
    }
    let bad = || format!("`{text}` is not a duration such as 30s, 1m30s or 500ms");
    let mut nanos: f64 = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let number: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(bad()),
        };
        nanos += number * scale;
        rest = &rest[unit_len..];
    }
    if !nanos.is_finite() || nanos > 1e18 {
        return Err(bad());
    }
    Ok(Duration::from_nanos(nanos as u64))
}

/// `--chmod`: an octal mode up to 07777 (when no variable is in it).
pub(crate) fn chmod(value: &str) -> Result<(), ErrorKind> {
    if value.contains('$') {
        return Ok(());
    }
    match u32::from_str_radix(value, 8) {
        Ok(m) if m <= 0o7777 => Ok(()),
        _ => Err(value_error(
            "chmod",
            format!("`{value}` is not an octal mode such as 0755"),
        )),
    }
}

/// `--checksum=ALGO:HEX` for ADD.
pub(crate) fn checksum(value: &str) -> Result<(), ErrorKind> {
    if value.contains('$') {
        return Ok(());
    }
    let ok = match value.split_once(':') {
        Some((algo, hex)) => {
            let len = match algo {
                "sha256" => 64,
                "sha384" => 96,
                "sha512" => 128,
                _ => 0,
            };
            len > 0 && hex.len() == len && hex.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(value_error(
            "checksum",
            format!("`{value}` is not a digest such as sha256:<64 hex digits>"),
        ))
    }
}

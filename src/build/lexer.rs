//! Physical lines to logical lines: parser directives at the top (`#
//! escape=`, `# syntax=`, `# check=`), comments, line continuations with
//! the escape character, and heredoc bodies after `RUN`/`COPY`/`ADD`.
//! Follows BuildKit's rules.

use super::error::{Error, ErrorKind};

/// Parser directives from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// `\` (default) or `` ` ``.
    pub escape: char,
    /// The `# syntax=` frontend image, recorded but not used by rctl.
    pub syntax: Option<String>,
    /// The `# check=` lint settings, recorded only.
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            escape: '\\',
            syntax: None,
            check: None,
        }
    }
}

/// A here-document attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, without quotes.
    pub name: String,
    /// The body, each line ending in `\n`; leading tabs removed for `<<-`.
    pub content: String,
    /// False when the delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no
    /// variable expansion in the body.
    pub expand: bool,
    /// `<<-`: leading tabs were stripped.
    pub chomp: bool,
    /// A file descriptor written before `<<` (`3<<EOF`).
    pub fd: Option<u32>,
}

/// One instruction's text, continuation lines joined, with a map back to
/// physical positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    pub text: String,
    /// Physical line of the last text line (before heredoc bodies).
    pub end_line: usize,
    /// Last physical line, heredoc terminators included.
    pub last_line: usize,
    pub heredocs: Vec<Heredoc>,
    /// `(char offset in text, line, column)` at the start of each piece.
    segments: Vec<(usize, usize, usize)>,
}

impl LogicalLine {
    /// The physical `(line, column)` of a char offset into `text`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut found = self.segments[0];
        for seg in &self.segments {
            if seg.0 <= offset {
                found = *seg;
            }
        }
        (found.1, found.2 + (offset - found.0))
    }

    pub fn line(&self) -> usize {
        self.segments[0].1
    }

    pub fn column(&self) -> usize {
        self.segments[0].2
    }
}

/// The lexed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexed {
    pub directives: Directives,
    pub lines: Vec<LogicalLine>,
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// `# name=value` at the top of the file.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('#')?.trim_start_matches([' ', '\t']);
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (name, after) = rest.split_at(name_len);
    let value = after.trim_start_matches([' ', '\t']).strip_prefix('=')?;
    let value = value.trim_matches([' ', '\t']);
    if value.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.to_string()))
}

/// Strip a trailing escape character (and the spaces after it): `Some`
/// with the rest when the line continues.
fn continuation(line: &str, escape: char) -> Option<&str> {
    line.trim_end_matches([' ', '\t']).strip_suffix(escape)
}

/// Split text into physical lines without their `\n` or `\r\n`.
fn physical_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
}

pub(crate) fn lex(file: &str, text: &str) -> Result<Lexed, Error> {
    let lines = physical_lines(text);
    let mut directives = Directives::default();
    let mut seen: Vec<String> = Vec::new();
    let mut i = 0;
    // Directives: only a leading run of `# known=value` lines.
    while i < lines.len() {
        let Some((name, value)) = directive(lines[i]) else {
            break;
        };
        if !matches!(name.as_str(), "escape" | "syntax" | "check") {
            break;
        }
        if seen.contains(&name) {
            return Err(Error::at(
                file,
                i + 1,
                1,
                ErrorKind::DuplicateDirective(name),
            ));
        }
        match name.as_str() {
            "escape" => {
                directives.escape = match value.as_str() {
                    "\\" => '\\',
                    "`" => '`',
                    _ => {
                        let col = lines[i].find('=').map_or(1, |p| p + 2);
                        return Err(Error::at(file, i + 1, col, ErrorKind::InvalidEscape(value)));
                    }
                }
            }
            "syntax" => directives.syntax = Some(value),
            _ => directives.check = Some(value),
        }
        seen.push(name);
        i += 1;
    }
    let escape = directives.escape;
    let mut out = Vec::new();
    while i < lines.len() {
        let raw = lines[i];
        if is_blank(raw) || is_comment(raw) {
            i += 1;
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let first = &raw[indent..];
        let mut segments = vec![(0, i + 1, raw[..indent].chars().count() + 1)];
        let mut end_line = i + 1;
        i += 1;
        let mut text = String::new();
        match continuation(first, escape) {
            None => text.push_str(first),
            Some(part) => {
                text.push_str(part);
                // Join lines until one does not end in the escape character.
                // Comment and blank lines inside are dropped.
                while i < lines.len() {
                    let next = lines[i];
                    i += 1;
                    if is_comment(next) || is_blank(next) {
                        continue;
                    }
                    segments.push((text.chars().count(), i, 1));
                    end_line = i;
                    match continuation(next, escape) {
                        Some(part) => text.push_str(part),
                        None => {
                            text.push_str(next);
                            break;
                        }
                    }
                }
            }
        }
        let trimmed_len = text.trim_end().len();
        text.truncate(trimmed_len);
        let mut logical = LogicalLine {
            heredocs: heredoc_heads(&text),
            text,
            end_line,
            last_line: end_line,
            segments,
        };
        for index in 0..logical.heredocs.len() {
            let chomp = logical.heredocs[index].chomp;
            let name = logical.heredocs[index].name.clone();
            let mut content = String::new();
            let mut terminated = false;
            while i < lines.len() {
                let line = lines[i];
                i += 1;
                let candidate = if chomp {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if candidate == name {
                    terminated = true;
                    break;
                }
                content.push_str(candidate);
                content.push('\n');
            }
            if !terminated {
                let offset = logical
                    .text
                    .find("<<")
                    .map_or(0, |b| logical.text[..b].chars().count());
                let (line, column) = logical.position(offset);
                return Err(Error::at(
                    file,
                    line,
                    column,
                    ErrorKind::UnterminatedHeredoc(name),
                ));
            }
            logical.heredocs[index].content = content;
        }
        logical.last_line = i.max(end_line);
        out.push(logical);
    }
    Ok(Lexed {
        directives,
        lines: out,
    })
}

/// The heredocs an instruction line opens, in order. Only `RUN`, `COPY`
/// and `ADD` take heredocs. Words are split as a shell would (quotes kept),
/// and a word of the form `[fd]<<[-]NAME` opens a heredoc.
fn heredoc_heads(text: &str) -> Vec<Heredoc> {
    let mut words = text.split_whitespace();
    let Some(keyword) = words.next() else {
        return Vec::new();
    };
    if !["run", "copy", "add"].contains(&keyword.to_ascii_lowercase().as_str()) {
        return Vec::new();
    }
    let rest = text.trim_start()[keyword.len()..].trim_start();
    shell_words(rest)
        .iter()
        .filter_map(|w| heredoc_word(w))
        .collect()
}

/// Parse `[fd]<<[-]NAME`, `<<"NAME"`, `<<'NAME'`.
pub(crate) fn heredoc_word(word: &str) -> Option<Heredoc> {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name: String = super::expand::expand_word(rest, '\\', &super::expand::NoVars).ok()?;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    Some(Heredoc {
        expand: name == rest,
        name,
        content: String::new(),
        chomp,
        fd: if digits > 0 {
            word[..digits].parse().ok()
        } else {
            None
        },
    })
}

/// Split on unquoted whitespace, keeping quotes and backslashes as written.
pub(crate) fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                word.push(c);
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                in_word = true;
                word.push(c);
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == '\\' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests;

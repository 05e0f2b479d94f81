//! Variable substitution in Docker's way (BuildKit's `shell.Lex`): `$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`,
//! `${VAR+alt}`, `${VAR:?message}`, `${VAR?message}`, the pattern forms of
//! Dockerfile syntax 1.7 (`${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}`,
//! `${VAR%%pat}`, `${VAR/pat/repl}`, `${VAR//pat/repl}`), the escape
//! character, and single and double quotes, which are removed from the
//! result.
//!
//! Pure: the caller gives the variables through [`Vars`].

use std::collections::{BTreeMap, HashMap};

/// Where expansion looks variables up.
pub trait Vars {
    fn var(&self, name: &str) -> Option<&str>;
}

impl Vars for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Vars for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// No variables at all.
pub struct NoVars;

impl Vars for NoVars {
    fn var(&self, _: &str) -> Option<&str> {
        None
    }
}

impl Vars for Vec<(String, String)> {
    /// The last pair with the name wins, as in an environment list.
    fn var(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A substitution that cannot be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("missing closing single quote")]
    UnterminatedSingleQuote,
    #[error("missing closing double quote")]
    UnterminatedDoubleQuote,
    #[error("missing `}}` in `${{...}}`")]
    MissingBrace,
    #[error("bad substitution `{0}`")]
    BadSubstitution(String),
    #[error("unsupported modifier `{modifier}` in `${{{name}...}}`")]
    UnsupportedModifier { name: String, modifier: char },
    #[error("{name}: {message}")]
    Required { name: String, message: String },
}

impl ExpandError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ExpandError::UnsupportedModifier { .. } => Some(
                "supported forms: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?message}, ${VAR#pat}, ${VAR%pat}, ${VAR/pat/repl}"
                    .into(),
            ),
            ExpandError::UnterminatedSingleQuote | ExpandError::UnterminatedDoubleQuote => Some(
                "escape a literal quote with the escape character, e.g. `\\\"`".into(),
            ),
            _ => None,
        }
    }
}

/// Expand one word: substitutions done, quotes and escapes removed,
/// whitespace kept.
pub fn expand_word(word: &str, escape: char, vars: &dyn Vars) -> Result<String, ExpandError> {
    let mut lexer = Lexer::new(word, escape, vars, false);
    lexer.process(None)
}

/// Expand variables but keep quotes and escapes as written (for heredoc
/// bodies of `COPY <<EOF`, as BuildKit does).
pub fn expand_keep_quotes(
    text: &str,
    escape: char,
    vars: &dyn Vars,
) -> Result<String, ExpandError> {
    let mut lexer = Lexer::new(text, escape, vars, true);
    lexer.process(None)
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    vars: &'a dyn Vars,
    raw: bool,
}

impl<'a> Lexer<'a> {
    fn new(text: &str, escape: char, vars: &'a dyn Vars, raw: bool) -> Self {
        Lexer {
            chars: text.chars().collect(),
            pos: 0,
            escape,
            vars,
            raw,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Process until `stop` (consumed) or the end.
    fn process(&mut self, stop: Option<char>) -> Result<String, ExpandError> {
        let stops: &[char] = match &stop {
            Some(c) => std::slice::from_ref(c),
            None => &[],
        };
        self.process_until(stops).map(|(text, _)| text)
    }

    /// Process until one of `stops` (consumed, and returned) or the end.
    /// With stops, reaching the end is a missing `}`.
    fn process_until(&mut self, stops: &[char]) -> Result<(String, Option<char>), ExpandError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if stops.contains(&c) {
                self.pos += 1;
                return Ok((out, Some(c)));
            }
            match c {
                '\'' if !self.raw => out.push_str(&self.single_quoted()?),
                '"' if !self.raw => out.push_str(&self.double_quoted()?),
                '$' => out.push_str(&self.dollar()?),
                _ => {
                    self.pos += 1;
                    if c == self.escape {
                        let Some(next) = self.next() else { break };
                        if self.raw {
                            out.push(c);
                        }
                        out.push(next);
                    } else {
                        out.push(c);
                    }
                }
            }
        }
        if !stops.is_empty() {
            return Err(ExpandError::MissingBrace);
        }
        Ok((out, None))
    }

    fn single_quoted(&mut self) -> Result<String, ExpandError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.next() {
                None => return Err(ExpandError::UnterminatedSingleQuote),
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, ExpandError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(ExpandError::UnterminatedDoubleQuote),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(c) => {
                    self.pos += 1;
                    if c == self.escape {
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.pos += 1;
                                out.push(n);
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// A name after `$`: letters, digits and `_`; or a run of digits; or
    /// one special parameter character.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.pos += 1;
                }
                return name;
            }
            if name.is_empty() && "@*#?-$!".contains(c) {
                self.pos += 1;
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn dollar(&mut self) -> Result<String, ExpandError> {
        let start = self.pos;
        self.pos += 1; // `$`
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(self.vars.var(&name).unwrap_or("").to_string());
        }
        self.pos += 1; // `{`
        match self.peek() {
            None => return Err(ExpandError::MissingBrace),
            Some('{' | '}' | ':') => {
                let end = (self.pos + 1).min(self.chars.len());
                return Err(ExpandError::BadSubstitution(
                    self.chars[start..end].iter().collect(),
                ));
            }
            Some(_) => {}
        }
        let name = self.name();
        let value = self.vars.var(&name).map(str::to_string);
        let Some(c) = self.next() else {
            return Err(ExpandError::MissingBrace);
        };
        let (colon, modifier) = match c {
            '}' => return Ok(value.unwrap_or_default()),
            ':' => match self.next() {
                Some(m @ ('-' | '+' | '?')) => (true, m),
                Some(m) => return Err(ExpandError::UnsupportedModifier { name, modifier: m }),
                None => return Err(ExpandError::MissingBrace),
            },
            '-' | '+' | '?' => (false, c),
            '#' | '%' => return self.trim_pattern(value.unwrap_or_default(), c),
            '/' => return self.replace_pattern(value.unwrap_or_default()),
            other => {
                return Err(ExpandError::UnsupportedModifier {
                    name,
                    modifier: other,
                });
            }
        };
        let word = self.process(Some('}'))?;
        // With a colon an empty value counts as unset.
        let set = match &value {
            Some(v) => !(colon && v.is_empty()),
            None => false,
        };
        Ok(match modifier {
            '-' => {
                if set {
                    value.unwrap_or_default()
                } else {
                    word
                }
            }
            '+' => {
                if set {
                    word
                } else {
                    String::new()
                }
            }
            _ => {
                if set {
                    value.unwrap_or_default()
                } else {
                    let message = if word.is_empty() {
                        "is not allowed to be unset".to_string()
                    } else {
                        word
                    };
                    return Err(ExpandError::Required { name, message });
                }
            }
        })
    }
}

impl Lexer<'_> {
    /// `${V#pat}`, `${V##pat}` (shortest, longest prefix removed) and
    /// `${V%pat}`, `${V%%pat}` (suffix), `pat` a shell pattern.
    fn trim_pattern(&mut self, value: String, kind: char) -> Result<String, ExpandError> {
        let longest = self.peek() == Some(kind);
        if longest {
            self.pos += 1;
        }
        let pattern = glob(&self.process(Some('}'))?);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut cuts: Vec<usize> = (0..=n).collect();
        if longest {
            cuts.reverse();
        }
        for cut in cuts {
            let (hit, rest) = if kind == '#' {
                (glob_match(&pattern, &chars[..cut]), &chars[cut..])
            } else {
                (glob_match(&pattern, &chars[n - cut..]), &chars[..n - cut])
            };
            if hit {
                return Ok(rest.iter().collect());
            }
        }
        Ok(value)
    }

    /// `${V/pat/repl}` (first match) and `${V//pat/repl}` (every match);
    /// the longest match at the leftmost place is replaced, as in bash.
    fn replace_pattern(&mut self, value: String) -> Result<String, ExpandError> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let (pattern, stop) = self.process_until(&['/', '}'])?;
        let replacement = if stop == Some('/') {
            self.process(Some('}'))?
        } else {
            String::new()
        };
        let pattern = glob(&pattern);
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        let mut replaced = false;
        while i <= chars.len() {
            let found = if replaced && !all {
                None
            } else {
                (i..=chars.len())
                    .rev()
                    .find(|&end| end > i && glob_match(&pattern, &chars[i..end]))
            };
            match found {
                Some(end) => {
                    out.push_str(&replacement);
                    replaced = true;
                    i = end;
                }
                None => {
                    if let Some(c) = chars.get(i) {
                        out.push(*c);
                    }
                    i += 1;
                }
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Glob {
    Char(char),
    Any,
    One,
    Class(bool, Vec<(char, char)>),
}

/// A shell pattern: `*`, `?`, `[...]` (`[!...]` or `[^...]` negated), `\x`.
fn glob(pattern: &str) -> Vec<Glob> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' => out.push(Glob::Any),
            '?' => out.push(Glob::One),
            '\\' if i < chars.len() => {
                out.push(Glob::Char(chars[i]));
                i += 1;
            }
            '[' => {
                let mut j = i;
                let negated = matches!(chars.get(j), Some('!' | '^'));
                if negated {
                    j += 1;
                }
                let mut items = Vec::new();
                let mut closed = false;
                let mut first = true;
                while j < chars.len() {
                    let c = chars[j];
                    if c == ']' && !first {
                        closed = true;
                        j += 1;
                        break;
                    }
                    first = false;
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&e| e != ']')
                    {
                        items.push((c, chars[j + 2]));
                        j += 3;
                    } else {
                        items.push((c, c));
                        j += 1;
                    }
                }
                if closed {
                    out.push(Glob::Class(negated, items));
                    i = j;
                } else {
                    out.push(Glob::Char('['));
                }
            }
            c => out.push(Glob::Char(c)),
        }
    }
    out
}

/// Whether the pattern matches all of `text`.
fn glob_match(pattern: &[Glob], text: &[char]) -> bool {
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for token in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            if !reach[j] {
                continue;
            }
            match token {
                Glob::Any => {
                    for slot in next.iter_mut().skip(j) {
                        *slot = true;
                    }
                }
                Glob::One => {
                    if j < text.len() {
                        next[j + 1] = true;
                    }
                }
                Glob::Char(c) => {
                    if text.get(j) == Some(c) {
                        next[j + 1] = true;
                    }
                }
                Glob::Class(negated, items) => {
                    if let Some(c) = text.get(j) {
                        let inside = items.iter().any(|(lo, hi)| lo <= c && c <= hi);
                        if inside != *negated {
                            next[j + 1] = true;
                        }
                    }
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

#[cfg(test)]
mod tests;

//! `.containerignore` / `.dockerignore`: Go-style patterns as Docker's
//! `patternmatcher` reads them. `*` and `?` stay within one path segment,
//! `**` spans any number of segments (also none), `[...]` is a character
//! class (`[^...]` negated), `\` escapes, a leading `!` re-includes, the
//! last matching pattern wins, and a pattern that matches a parent
//! directory matches everything below it. Patterns are relative to the
//! context root (a leading `/` is dropped) and cleaned like `filepath.Clean`.
//! Pure: the caller reads the file and walks the context.

use super::error::{Error, ErrorKind};

/// The patterns of one ignore file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IgnoreMatcher {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    text: String,
    exclusion: bool,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    Question,
    /// `**/` or `**` inside a pattern: `(.*/)?`.
    AnyDirs,
    /// `**` at the end: anything.
    Rest,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

impl IgnoreMatcher {
    /// Read an ignore file. `file` names it in errors. Blank lines and lines
    /// starting with `#` are skipped.
    pub fn parse(file: &str, text: &str) -> Result<IgnoreMatcher, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            if raw.starts_with('#') {
                continue;
            }
            let mut line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let exclusion = line.starts_with('!');
            if exclusion {
                line = line[1..].trim();
            }
            let mut cleaned = clean(line);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            let tokens = compile(&cleaned).map_err(|message| {
                Error::at(
                    file,
                    n + 1,
                    1,
                    ErrorKind::IgnorePattern {
                        pattern: raw.trim().to_string(),
                        message,
                    },
                )
            })?;
            patterns.push(Pattern {
                text: cleaned,
                exclusion,
                tokens,
            });
        }
        Ok(IgnoreMatcher { patterns })
    }

    /// The ignore files to look for, first found wins: one beside the
    /// Containerfile named after it (`app.Containerfile.containerignore`,
    /// then `.dockerignore`, as BuildKit does for `Dockerfile.dockerignore`),
    /// then `.containerignore` and `.dockerignore` at the context root (as
    /// Podman does). Paths are as given: the Containerfile's path, then
    /// names relative to the context root.
    pub fn candidates(containerfile: &str) -> Vec<String> {
        vec![
            format!("{containerfile}.containerignore"),
            format!("{containerfile}.dockerignore"),
            ".containerignore".into(),
            ".dockerignore".into(),
        ]
    }

    /// Whether the context-relative path (with `/` separators) is left out
    /// of the build context.
    pub fn is_ignored(&self, rel_path: &str) -> bool {
        let path = clean(rel_path);
        let path = path.trim_start_matches('/');
        let parents: Vec<&str> = match path.rfind('/') {
            Some(end) => path[..end].split('/').collect(),
            None => Vec::new(),
        };
        let mut matched = false;
        for p in &self.patterns {
            // An exclusion only matters once matched; an inclusion only
            // while not matched.
            if p.exclusion != matched {
                continue;
            }
            let mut hit = matches(&p.tokens, path);
            if !hit {
                for i in 1..=parents.len() {
                    if matches(&p.tokens, &parents[..i].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// Whether any pattern is an exclusion (`!`): then an ignored directory
    /// must still be walked, since something below it may be included.
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// The cleaned patterns, `!` kept, for messages and cache keys.
    pub fn patterns(&self) -> Vec<String> {
        self.patterns
            .iter()
            .map(|p| format!("{}{}", if p.exclusion { "!" } else { "" }, p.text))
            .collect()
    }
}

/// Go's `filepath.Clean` for `/`-separated paths.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn compile(pattern: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i >= chars.len() {
                    Token::Rest
                } else {
                    Token::AnyDirs
                });
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Question),
            '\\' => match chars.get(i) {
                Some(&n) => {
                    i += 1;
                    tokens.push(Token::Char(n));
                }
                None => tokens.push(Token::Char('\\')),
            },
            '[' => {
                let (token, next) = class(&chars, i)?;
                tokens.push(token);
                i = next;
            }
            c => tokens.push(Token::Char(c)),
        }
    }
    Ok(tokens)
}

/// A character class starting after `[`; returns it and the index after `]`.
fn class(chars: &[char], mut i: usize) -> Result<(Token, usize), String> {
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated character class `[`".into());
        };
        i += 1;
        if c == ']' && !first {
            break;
        }
        first = false;
        let lo = if c == '\\' {
            let &n = chars.get(i).ok_or("unterminated character class `[`")?;
            i += 1;
            n
        } else {
            c
        };
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let mut hi = chars[i + 1];
            i += 2;
            if hi == '\\' {
                hi = *chars.get(i).ok_or("unterminated character class `[`")?;
                i += 1;
            }
            if hi < lo {
                return Err(format!("invalid range `{lo}-{hi}`"));
            }
            items.push((lo, hi));
        } else {
            items.push((lo, lo));
        }
    }
    Ok((Token::Class { negated, items }, i))
}

/// Whether the tokens match the whole of `text`.
fn matches(tokens: &[Token], text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    // reach[j]: the tokens so far can match chars[..j].
    let mut reach = vec![false; chars.len() + 1];
    reach[0] = true;
    for token in tokens {
        let mut next = vec![false; chars.len() + 1];
        for j in 0..=chars.len() {
            if !reach[j] {
                continue;
            }
            match token {
                Token::Char(c) => {
                    if chars.get(j) == Some(c) {
                        next[j + 1] = true;
                    }
                }
                Token::Question => {
                    if chars.get(j).is_some_and(|c| *c != '/') {
                        next[j + 1] = true;
                    }
                }
                Token::Class { negated, items } => {
                    if let Some(c) = chars.get(j) {
                        let inside = items.iter().any(|(lo, hi)| lo <= c && c <= hi);
                        if inside != *negated {
                            next[j + 1] = true;
                        }
                    }
                }
                Token::Star => {
                    next[j] = true;
                    let mut k = j;
                    while k < chars.len() && chars[k] != '/' {
                        k += 1;
                        next[k] = true;
                    }
                }
                Token::Rest => {
                    for slot in next.iter_mut().skip(j) {
                        *slot = true;
                    }
                }
                Token::AnyDirs => {
                    // Nothing, or anything ending in `/`.
                    next[j] = true;
                    for k in j..chars.len() {
                        if chars[k] == '/' {
                            next[k + 1] = true;
                        }
                    }
                }
            }
        }
        reach = next;
    }
    reach[chars.len()]
}

#[cfg(test)]
mod tests;

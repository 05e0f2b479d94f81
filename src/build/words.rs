//! Word-level syntax shared by the instruction parsers: BuildKit's
//! quote-aware word splitting, JSON arrays (exec form), and the nearest
//! instruction name for a typo.

use super::instruction::Command;
use super::parser::KEYWORDS;

/// The largest char boundary at or below `i`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Exec form when the text is a JSON array of strings, else shell form.
pub(crate) fn command(rest: &str) -> Command {
    match json_array(rest) {
        Some(list) => Command::Exec(list),
        None => Command::Shell(rest.to_string()),
    }
}

/// A JSON array of strings, or `None` (Docker then takes the shell form).
pub(crate) fn json_array(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if !text.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(text).ok()
}

/// BuildKit's `parseWords`: split on unquoted whitespace; quotes and
/// escapes stay in the words (substitution removes them later).
pub(crate) fn words(text: &str, escape: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            None if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            None => {
                started = true;
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    word.push(c);
                } else if c == escape {
                    if let Some(n) = chars.next() {
                        word.push(c);
                        word.push(n);
                    }
                } else {
                    word.push(c);
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                    word.push(c);
                } else if c == escape && q != '\'' {
                    word.push(c);
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                } else {
                    word.push(c);
                }
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// The closest instruction name within two edits, for a hint.
pub(crate) fn suggest(word: &str) -> Option<&'static str> {
    KEYWORDS
        .iter()
        .copied()
        .map(|k| (edit_distance(word, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

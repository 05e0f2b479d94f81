//! Go `text/template` for `--format`, the subset Podman users type:
//! `{{.Field.Sub}}`, `{{.}}`, `{{json .X}}`, `{{range .L}}…{{end}}`,
//! `{{if .X}}…{{else}}…{{end}}`, `{{index .M "k"}}`, `{{join .L ","}}`,
//! `{{upper .X}}`, `{{lower .X}}`, `{{len .X}}`, `{{printf "%s-%d" .A .B}}`,
//! and `{{- … -}}` trimming. Data is a `serde_json::Value`; rendering is pure.

use serde_json::Value;

/// A template that failed to parse or render.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("template `{template}`: {reason}")]
pub struct TemplateError {
    pub template: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// `.A.B` (empty path is `.`).
    Field(Vec<String>),
    /// A literal: string, number, `true`, `false` or `nil`.
    Lit(Value),
    /// `$` (the root value).
    Root(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    /// A pipeline: function name (or none) and its arguments.
    Action(Option<String>, Vec<Arg>),
    Range(Vec<Arg>, Vec<Node>, Vec<Node>),
    If(Option<String>, Vec<Arg>, Vec<Node>, Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    nodes: Vec<Node>,
}

enum Token {
    Text(String),
    Action(String),
}

fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("unclosed action: missing `}}`")?;
        let mut inner = &after[..end];
        if let Some(stripped) = inner
            .strip_prefix('-')
            .filter(|s| s.starts_with(char::is_whitespace))
        {
            text = text.trim_end().to_string();
            inner = stripped;
        }
        let mut trim_next = false;
        if let Some(stripped) = inner
            .strip_suffix('-')
            .filter(|s| s.ends_with(char::is_whitespace))
        {
            trim_next = true;
            inner = stripped;
        }
        if !text.is_empty() {
            out.push(Token::Text(text));
        }
        out.push(Token::Action(inner.trim().to_string()));
        rest = &after[end + 2..];
        if trim_next {
            rest = rest.trim_start();
        }
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest.to_string()));
    }
    Ok(out)
}

fn split_words(action: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = action.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut s = String::from("\"");
            loop {
                match chars.next() {
                    None => return Err("unterminated string".into()),
                    Some('\\') => match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(o) => s.push(o),
                        None => return Err("unterminated string".into()),
                    },
                    Some('"') => break,
                    Some(o) => s.push(o),
                }
            }
            words.push(s);
        } else {
            let mut w = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                w.push(c);
                chars.next();
            }
            words.push(w);
        }
    }
    Ok(words)
}

fn parse_arg(word: &str) -> Result<Arg, String> {
    if let Some(s) = word.strip_prefix('"') {
        return Ok(Arg::Lit(Value::String(s.to_string())));
    }
    match word {
        "true" => return Ok(Arg::Lit(Value::Bool(true))),
        "false" => return Ok(Arg::Lit(Value::Bool(false))),
        "nil" => return Ok(Arg::Lit(Value::Null)),
        _ => {}
    }
    let path = |p: &str| -> Vec<String> {
        p.split('.')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    if let Some(p) = word.strip_prefix('$') {
        return Ok(Arg::Root(path(p)));
    }
    if word.starts_with('.') {
        return Ok(Arg::Field(path(word)));
    }
    match word.parse::<i64>() {
        Ok(i) => Ok(Arg::Lit(Value::from(i))),
        Err(_) => word
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(|n| Arg::Lit(Value::Number(n)))
            .ok_or_else(|| format!("unknown word `{word}`")),
    }
}

const FUNCTIONS: &[&str] = &[
    "json", "index", "join", "upper", "lower", "len", "printf", "not", "eq", "ne", "title",
    "truncate",
];

/// Parse `WORDS` into a function (if the first word names one) and args.
fn parse_pipeline(words: &[String]) -> Result<(Option<String>, Vec<Arg>), String> {
    match words.first() {
        None => Err("empty action".into()),
        Some(f) if FUNCTIONS.contains(&f.as_str()) => Ok((
            Some(f.clone()),
            words[1..]
                .iter()
                .map(|w| parse_arg(w))
                .collect::<Result<_, _>>()?,
        )),
        Some(f)
            if !f.starts_with(['.', '"', '$'])
                && !["true", "false", "nil"].contains(&f.as_str())
                && f.parse::<f64>().is_err() =>
        {
            Err(format!("function `{f}` not defined"))
        }
        Some(_) => Ok((
            None,
            words
                .iter()
                .map(|w| parse_arg(w))
                .collect::<Result<_, _>>()?,
        )),
    }
}

/// Parse nodes until `{{end}}`/`{{else}}` (returned as the terminator).
fn parse_nodes(
    tokens: &mut std::iter::Peekable<std::vec::IntoIter<Token>>,
    nested: bool,
) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while let Some(tok) = tokens.next() {
        match tok {
            Token::Text(t) => nodes.push(Node::Text(t)),
            Token::Action(a) => {
                let words = split_words(&a)?;
                match words.first().map(String::as_str) {
                    Some("end") | Some("else") if nested => {
                        return Ok((nodes, Some(words[0].clone())));
                    }
                    Some("end") | Some("else") => {
                        return Err(format!("unexpected `{{{{{}}}}}`", words[0]));
                    }
                    Some("range") | Some("if") => {
                        let (func, args) = parse_pipeline(&words[1..])?;
                        let (body, term) = parse_nodes(tokens, true)?;
                        let else_body = match term.as_deref() {
                            Some("else") => {
                                let (e, t2) = parse_nodes(tokens, true)?;
                                if t2.as_deref() != Some("end") {
                                    return Err(format!(
                                        "missing `{{{{end}}}}` for `{}`",
                                        words[0]
                                    ));
                                }
                                e
                            }
                            Some("end") => Vec::new(),
                            _ => return Err(format!("missing `{{{{end}}}}` for `{}`", words[0])),
                        };
                        if words[0] == "range" {
                            if func.is_some() {
                                return Err("range takes a field".into());
                            }
                            nodes.push(Node::Range(args, body, else_body));
                        } else {
                            nodes.push(Node::If(func, args, body, else_body));
                        }
                    }
                    _ => {
                        let (func, args) = parse_pipeline(&words)?;
                        nodes.push(Node::Action(func, args));
                    }
                }
            }
        }
    }
    if nested {
        return Err("missing `{{end}}`".into());
    }
    Ok((nodes, None))
}

impl Template {
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let err = |reason: String| TemplateError {
            template: source.to_string(),
            reason,
        };
        let tokens = tokenize(source).map_err(err)?;
        let (nodes, _) = parse_nodes(&mut tokens.into_iter().peekable(), false).map_err(err)?;
        Ok(Template {
            source: source.to_string(),
            nodes,
        })
    }

    /// Render against `data`.
    pub fn render(&self, data: &Value) -> Result<String, TemplateError> {
        let mut out = String::new();
        render_nodes(&self.nodes, data, data, &mut out).map_err(|reason| TemplateError {
            template: self.source.clone(),
            reason,
        })?;
        Ok(out)
    }
}

fn lookup<'a>(value: &'a Value, path: &[String]) -> Result<&'a Value, String> {
    let mut v = value;
    for key in path {
        v = match v {
            Value::Object(m) => m.get(key).ok_or_else(|| {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                format!(
                    "can't evaluate field {key} (fields: {})",
                    keys.iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?,
            Value::Null => return Ok(&Value::Null),
            _ => return Err(format!("can't evaluate field {key} in a non-object")),
        };
    }
    Ok(v)
}

fn eval_arg(arg: &Arg, dot: &Value, root: &Value) -> Result<Value, String> {
    match arg {
        Arg::Field(p) => lookup(dot, p).cloned(),
        Arg::Root(p) => lookup(root, p).cloned(),
        Arg::Lit(v) => Ok(v.clone()),
    }
}

/// Go's default formatting of a value.
pub fn display(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(display).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", display(&m[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

fn printf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('q') => out.push_str(&format!("{:?}", it.next().map(display).unwrap_or_default())),
            Some(_) => out.push_str(
                &it.next()
                    .map(display)
                    .unwrap_or_else(|| "%!v(MISSING)".into()),
            ),
            None => out.push('%'),
        }
    }
    out
}

fn call(func: Option<&str>, args: &[Arg], dot: &Value, root: &Value) -> Result<Value, String> {
    let vals: Vec<Value> = args
        .iter()
        .map(|a| eval_arg(a, dot, root))
        .collect::<Result<_, _>>()?;
    let one = || {
        vals.first()
            .cloned()
            .ok_or_else(|| format!("{} needs an argument", func.unwrap_or("")))
    };
    Ok(match func {
        None => match vals.as_slice() {
            [v] => v.clone(),
            _ => return Err("too many values in one action".into()),
        },
        Some("json") => Value::String(serde_json::to_string(&one()?).unwrap_or_default()),
        Some("upper") => Value::String(display(&one()?).to_uppercase()),
        Some("lower") => Value::String(display(&one()?).to_lowercase()),
        Some("title") => {
            let s = display(&one()?);
            let mut c = s.chars();
            Value::String(
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default(),
            )
        }
        Some("len") => Value::from(match one()? {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.len(),
            other => return Err(format!("len of {}", display(&other))),
        }),
        Some("not") => Value::Bool(!truthy(&one()?)),
        Some("eq") | Some("ne") => {
            let [a, b] = vals.as_slice() else {
                return Err("eq/ne take two arguments".into());
            };
            let same = a == b || display(a) == display(b);
            Value::Bool(if func == Some("eq") { same } else { !same })
        }
        Some("index") => {
            let (first, keys) = vals.split_first().ok_or("index needs arguments")?;
            let mut v = first.clone();
            for k in keys {
                v = match (&v, k) {
                    (Value::Object(m), key) => m.get(&display(key)).cloned().unwrap_or(Value::Null),
                    (Value::Array(a), Value::Number(n)) => n
                        .as_u64()
                        .and_then(|i| a.get(i as usize))
                        .cloned()
                        .ok_or("index out of range")?,
                    _ => return Err("cannot index this value".into()),
                };
            }
            v
        }
        Some("join") => {
            let [list, sep] = vals.as_slice() else {
                return Err("join takes a list and a separator".into());
            };
            let items = match list {
                Value::Array(a) => a.iter().map(display).collect::<Vec<_>>(),
                Value::Null => Vec::new(),
                other => vec![display(other)],
            };
            Value::String(items.join(&display(sep)))
        }
        Some("truncate") => {
            let [s, n] = vals.as_slice() else {
                return Err("truncate takes a string and a length".into());
            };
            let n = n.as_u64().unwrap_or(0) as usize;
            Value::String(display(s).chars().take(n).collect())
        }
        Some("printf") => {
            let (f, rest) = vals.split_first().ok_or("printf needs a format")?;
            Value::String(printf(&display(f), rest))
        }
        Some(other) => return Err(format!("function `{other}` not defined")),
    })
}

fn render_nodes(nodes: &[Node], dot: &Value, root: &Value, out: &mut String) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Action(f, args) => out.push_str(&display(&call(f.as_deref(), args, dot, root)?)),
            Node::If(f, args, body, else_body) => {
                let branch = if truthy(&call(f.as_deref(), args, dot, root)?) {
                    body
                } else {
                    else_body
                };
                render_nodes(branch, dot, root, out)?;
            }
            Node::Range(args, body, else_body) => {
                let list = call(None, args, dot, root)?;
                let items: Vec<Value> = match list {
                    Value::Array(a) => a,
                    Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
                    Value::Null => Vec::new(),
                    other => return Err(format!("range can't iterate over {}", display(&other))),
                };
                if items.is_empty() {
                    render_nodes(else_body, dot, root, out)?;
                }
                for item in &items {
                    render_nodes(body, item, root, out)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(t: &str, v: Value) -> String {
        Template::parse(t).unwrap().render(&v).unwrap()
    }

    #[test]
    fn fields_and_nesting() {
        let v = json!({"ID": "abc", "State": {"Status": "running"}, "N": 3, "B": true});
        assert_eq!(
            r("{{.ID}} {{.State.Status}} {{.N}} {{.B}}", v.clone()),
            "abc running 3 true"
        );
        assert_eq!(r("{{ .ID }}", v), "abc");
    }

    #[test]
    fn functions() {
        let v = json!({"Names": ["a", "b"], "L": {"k": "v"}, "S": "Hi"});
        assert_eq!(r("{{join .Names \",\"}}", v.clone()), "a,b");
        assert_eq!(r("{{index .L \"k\"}}", v.clone()), "v");
        assert_eq!(
            r("{{upper .S}}{{lower .S}}{{len .Names}}", v.clone()),
            "HIhi2"
        );
        assert_eq!(r("{{json .Names}}", v.clone()), "[\"a\",\"b\"]");
        assert_eq!(
            r("{{printf \"%s=%v%%\" .S .Names}}", v.clone()),
            "Hi=[a b]%"
        );
        assert_eq!(r("{{json .}}", json!({"a": 1})), "{\"a\":1}");
    }

    #[test]
    fn range_if_else_and_trim() {
        let v = json!({"Ports": [{"P": 80}, {"P": 443}], "E": [], "On": false});
        assert_eq!(r("{{range .Ports}}{{.P}};{{end}}", v.clone()), "80;443;");
        assert_eq!(r("{{range .E}}x{{else}}none{{end}}", v.clone()), "none");
        assert_eq!(r("{{if .On}}yes{{else}}no{{end}}", v.clone()), "no");
        assert_eq!(r("{{if not .On}}yes{{end}}", v.clone()), "yes");
        assert_eq!(r("{{if eq .On false}}f{{end}}", v.clone()), "f");
        assert_eq!(r("a  {{- \"b\" -}}  c", v.clone()), "abc");
        assert_eq!(r("{{range .Ports}}{{$.On}}{{end}}", v), "falsefalse");
    }

    #[test]
    fn errors_name_the_problem() {
        for (t, want) in [
            ("{{.ID", "unclosed"),
            ("{{range .X}}", "missing `{{end}}`"),
            ("{{end}}", "unexpected"),
            ("{{bogus .X}}", "not defined"),
            ("{{\"x}}", "unterminated"),
        ] {
            let e = Template::parse(t).unwrap_err();
            assert!(e.reason.contains(want), "{t}: {e}");
            assert!(e.to_string().contains(t));
        }
        let e = Template::parse("{{.Nope}}")
            .unwrap()
            .render(&json!({"ID": 1}))
            .unwrap_err();
        assert!(
            e.reason.contains("can't evaluate field Nope") && e.reason.contains("ID"),
            "{e}"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "{{",
            "}}",
            "{{}}",
            "{{-}}",
            "{{ - }}",
            "{{range}}{{end}}",
            "{{if}}{{end}}",
            "{{index}}",
            "{{printf}}",
            "{{join .A}}",
            "%",
            "{{printf \"%\"}}",
        ] {
            if let Ok(tpl) = Template::parse(t) {
                let _ = tpl.render(&json!({"A": [1]}));
            }
        }
    }
}

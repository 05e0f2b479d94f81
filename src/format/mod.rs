//! Output of record lists (`ps`, `images`, `volume ls`, `inspect`, ...):
//! the default table, `--format json`, Go templates, and `table TEMPLATE`.
//! Pure: records come in as JSON values, text goes out.

pub mod template;

use serde_json::Value;

pub use template::{Template, TemplateError};

/// What `--format` asked for.
#[derive(Debug, Clone)]
pub enum OutputFormat {
    /// The command's own table.
    Table,
    /// A JSON array (or object, for a single inspected record).
    Json,
    /// A Go template applied to each record, one line per record.
    Template(Template),
    /// `table TEMPLATE`: a header row from the field names, then aligned rows.
    TableTemplate(Template, String),
}

/// Parse a `--format` value (for clap's `value_parser`).
pub fn parse_format(s: &str) -> Result<OutputFormat, String> {
    let s_trim = s.trim();
    match s_trim {
        "" | "table" | "human" => Ok(OutputFormat::Table),
        "json" | "{{json .}}" => Ok(OutputFormat::Json),
        _ => {
            if let Some(rest) = s_trim.strip_prefix("table ") {
                let t = Template::parse(&unescape(rest)).map_err(|e| e.to_string())?;
                Ok(OutputFormat::TableTemplate(t, rest.to_string()))
            } else {
                Template::parse(&unescape(s))
                    .map(OutputFormat::Template)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// `\t` and `\n` typed literally on a command line mean tab and newline.
fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

/// The header of a `table` template: each `{{.Field}}` becomes the field's
/// name in upper case with spaces before inner capitals (`CreatedAt` →
/// `CREATED AT`), or the caller's header for that field.
pub fn table_header(source: &str, headers: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = unescape(source);
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let inner = rest[start + 2..start + end].trim().trim_matches('-').trim();
        let field = inner
            .split_whitespace()
            .find(|w| w.starts_with('.'))
            .unwrap_or(inner)
            .trim_start_matches('.');
        let head = headers
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, h)| h.to_string())
            .unwrap_or_else(|| split_caps(field).to_uppercase());
        out.push_str(&head);
        rest = rest[start + end + 2..].to_string();
    }
    out.push_str(&rest);
    out
}

fn split_caps(field: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = field.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if i > 0 && c.is_uppercase() && (chars[i - 1].is_lowercase() || next_lower) {
            out.push(' ');
        }
        out.push(c);
    }
    out.replace('.', " ")
}

/// Align tab-separated lines into columns two spaces apart (as Go's
/// tabwriter does for Podman's tables).
pub fn align(lines: &[String]) -> String {
    let rows: Vec<Vec<&str>> = lines.iter().map(|l| l.split('\t').collect()).collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Render one record (`info`, `version`, `inspect` of one object): the
/// command's own text for `Table`, pretty JSON, or the template.
pub fn render_one(
    format: &OutputFormat,
    record: &Value,
    own: impl FnOnce() -> String,
) -> Result<String, TemplateError> {
    match format {
        OutputFormat::Table => Ok(own()),
        OutputFormat::Json => Ok(serde_json::to_string_pretty(record).unwrap_or_default() + "\n"),
        OutputFormat::Template(t) => Ok(t.render(record)? + "\n"),
        OutputFormat::TableTemplate(..) => {
            render_list(format, std::slice::from_ref(record), "", &[])
        }
    }
}

/// Render records for a list command. `default` is the template of the
/// command's own table (used for `OutputFormat::Table`), `headers` names
/// the columns of fields whose header is not their upper-cased name.
pub fn render_list(
    format: &OutputFormat,
    records: &[Value],
    default: &str,
    headers: &[(&str, &str)],
) -> Result<String, TemplateError> {
    match format {
        OutputFormat::Json => Ok(serde_json::to_string_pretty(records).unwrap_or_default() + "\n"),
        OutputFormat::Template(t) => {
            let mut out = String::new();
            for r in records {
                out.push_str(&t.render(r)?);
                out.push('\n');
            }
            Ok(out)
        }
        OutputFormat::Table => {
            let t = Template::parse(default)?;
            table(&t, default, records, headers)
        }
        OutputFormat::TableTemplate(t, source) => table(t, source, records, headers),
    }
}

fn table(
    t: &Template,
    source: &str,
    records: &[Value],
    headers: &[(&str, &str)],
) -> Result<String, TemplateError> {
    let mut lines = vec![table_header(source, headers)];
    for r in records {
        lines.push(t.render(r)?);
    }
    Ok(align(&lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_values() {
        assert!(matches!(parse_format("json"), Ok(OutputFormat::Json)));
        assert!(matches!(parse_format(""), Ok(OutputFormat::Table)));
        assert!(matches!(
            parse_format("{{.ID}}"),
            Ok(OutputFormat::Template(_))
        ));
        assert!(matches!(
            parse_format("table {{.ID}}"),
            Ok(OutputFormat::TableTemplate(..))
        ));
        assert!(parse_format("{{.ID").is_err());
    }

    #[test]
    fn table_has_header_and_aligned_columns() {
        let recs = vec![
            json!({"ID": "a1", "Names": "web", "CreatedAt": "now"}),
            json!({"ID": "b22222", "Names": "db", "CreatedAt": "then"}),
        ];
        let out = render_list(
            &parse_format("table {{.ID}}\\t{{.Names}}\\t{{.CreatedAt}}").unwrap(),
            &recs,
            "",
            &[("ID", "CONTAINER ID")],
        )
        .unwrap();
        assert_eq!(
            out,
            "CONTAINER ID  NAMES  CREATED AT\na1            web    now\nb22222        db     then\n"
        );
    }

    #[test]
    fn template_lines_and_json() {
        let recs = vec![json!({"ID": "a"}), json!({"ID": "b"})];
        assert_eq!(
            render_list(&parse_format("{{.ID}}").unwrap(), &recs, "", &[]).unwrap(),
            "a\nb\n"
        );
        let j = render_list(&OutputFormat::Json, &recs, "", &[]).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&j).unwrap(), json!(recs));
    }
}

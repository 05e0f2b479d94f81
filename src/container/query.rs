//! Selecting containers for listings: `--filter KEY=VALUE` as Podman
//! understands `status`, `name`, `id` and `exited`.

use anyhow::{Result, bail};

use super::{Container, Status};

/// One parsed filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Status(String),
    Name(String),
    Id(String),
    Exited(i32),
}

/// Parse `KEY=VALUE`.
pub fn parse_filter(s: &str) -> Result<Filter> {
    let Some((k, v)) = s.split_once('=') else {
        bail!("filter `{s}` is not KEY=VALUE\nhint: e.g. --filter status=running");
    };
    Ok(match k {
        "status" => {
            if !["created", "running", "exited"].contains(&v) {
                bail!("unknown status `{v}` in filter\nhint: use created, running or exited");
            }
            Filter::Status(v.to_string())
        }
        "name" => Filter::Name(v.to_string()),
        "id" => Filter::Id(v.to_string()),
        "exited" => match v.parse() {
            Ok(n) => Filter::Exited(n),
            Err(_) => bail!("filter `exited={v}` needs a number"),
        },
        other => bail!("unsupported filter `{other}`\nhint: supported: status, name, id, exited"),
    })
}

fn one(f: &Filter, c: &Container) -> bool {
    match f {
        Filter::Status(s) => c.state.status.name() == s,
        Filter::Name(n) => c.name.contains(n.as_str()),
        Filter::Id(i) => c.id.starts_with(i.as_str()),
        Filter::Exited(code) => {
            c.state.status == Status::Exited && c.state.exit_code == Some(*code)
        }
    }
}

/// Podman's rule: filters of the same key are alternatives, different
/// keys must all hold.
pub fn matches(filters: &[Filter], c: &Container) -> bool {
    let key = |f: &Filter| std::mem::discriminant(f);
    filters.iter().all(|f| {
        filters
            .iter()
            .filter(|g| key(g) == key(f))
            .any(|g| one(g, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_and_forms() {
        assert_eq!(
            parse_filter("status=running").unwrap(),
            Filter::Status("running".into())
        );
        assert!(parse_filter("status=sleepy").is_err());
        assert!(parse_filter("label=a").is_err());
        assert!(parse_filter("noequals").is_err());
        assert_eq!(parse_filter("exited=3").unwrap(), Filter::Exited(3));
    }
}

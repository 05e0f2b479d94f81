//! `rctl images`, `rctl image inspect`, `rctl history`: render store records.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::output;
use crate::app::App;
use crate::cli::image::{HistoryArgs, ImagesArgs, InspectArgs};
use crate::format::{OutputFormat, render_list};
use crate::image::{now_secs, parse_rfc3339};
use crate::store::{Image, Store};

/// `1.2 MB`, SI units as Podman prints them.
pub fn human_size(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        let n = format!("{v:.2}");
        format!(
            "{} {}",
            n.trim_end_matches('0').trim_end_matches('.'),
            units[i]
        )
    }
}

/// `3 days ago`.
pub fn ago(secs: Option<i64>) -> String {
    let Some(t) = secs else {
        return "unknown".into();
    };
    let d = (now_secs() - t).max(0);
    let (n, unit) = match d {
        0..60 => (d, "second"),
        60..3600 => (d / 60, "minute"),
        3600..86_400 => (d / 3600, "hour"),
        86_400..2_592_000 => (d / 86_400, "day"),
        2_592_000..31_536_000 => (d / 2_592_000, "month"),
        _ => (d / 31_536_000, "year"),
    };
    if d < 2 {
        return "Less than a second ago".into();
    }
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

fn created_secs(img: &Image) -> Option<i64> {
    img.created.as_deref().and_then(parse_rfc3339)
}

/// `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| glob(tail, &text[head.len() + i..]))
        }
    }
}

fn keep(img: &Image, filters: &[String]) -> Result<bool> {
    for f in filters {
        let (k, v) = f
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("filter `{f}` is not KEY=VALUE"))?;
        let ok = match k {
            "dangling" => match v {
                "true" => img.names.is_empty(),
                "false" => !img.names.is_empty(),
                _ => bail!("filter `{f}`: dangling is true or false"),
            },
            "reference" => img.names.iter().any(|n| {
                glob(v, n)
                    || n.split_once('/').is_some_and(|(_, rest)| glob(v, rest))
                    || n.rsplit_once(':').is_some_and(|(repo, _)| glob(v, repo))
            }),
            _ => bail!("unknown filter `{k}`\nhint: use dangling=true|false or reference=PATTERN"),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn split_name(name: &str) -> (String, String) {
    if let Some((repo, digest)) = name.split_once('@') {
        return (repo.to_string(), format!("@{digest}"));
    }
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[slash..].rfind(':') {
        Some(i) => (
            name[..slash + i].to_string(),
            name[slash + i + 1..].to_string(),
        ),
        None => (name.to_string(), "<none>".into()),
    }
}

pub fn list(app: &App, args: &ImagesArgs) -> Result<()> {
    let _session = app.enter()?;
    let store = Store::open(&app.dirs)?;
    let mut images = Vec::new();
    for img in store.images()? {
        if keep(&img, &args.filter)? {
            images.push(img);
        }
    }
    // --- system: images of the shared read-only stores ---
    let mut read_only = std::collections::BTreeSet::new();
    for img in crate::image::shared::images(app)? {
        if keep(&img, &args.filter)? && !images.iter().any(|i| i.id == img.id) {
            read_only.insert(img.id.clone());
            images.push(img);
        }
    }
    if args.quiet {
        for img in &images {
            output::line(if args.no_trunc {
                &img.id
            } else {
                img.short_id()
            })?;
        }
        return Ok(());
    }
    if matches!(
        args.format,
        OutputFormat::Template(_) | OutputFormat::TableTemplate(..)
    ) {
        // One record per name, with Podman's template fields.
        let mut records = Vec::new();
        for img in &images {
            let names = if img.names.is_empty() {
                vec!["<none>:<none>".to_string()]
            } else {
                img.names.clone()
            };
            for n in names {
                let (repo, tag) = split_name(&n);
                records.push(json!({
                    "ID": if args.no_trunc { img.id.as_str() } else { img.short_id() },
                    "Id": img.id,
                    "Repository": repo,
                    "Tag": tag,
                    "Digest": img.manifest_digest,
                    "CreatedSince": ago(created_secs(img)),
                    "CreatedAt": img.created,
                    "Size": human_size(img.size),
                    "Names": img.names,
                    "ReadOnly": read_only.contains(&img.id),
                }));
            }
        }
        print!(
            "{}",
            render_list(&args.format, &records, "", &[("ID", "IMAGE ID")])?
        );
        return Ok(());
    }
    if matches!(args.format, OutputFormat::Json) {
        let out: Vec<Value> = images
            .iter()
            .map(|img| {
                json!({
                    "Id": img.id,
                    "Names": img.names,
                    "RepoTags": img.names.iter().filter(|n| !n.contains('@')).collect::<Vec<_>>(),
                    "Digest": img.manifest_digest,
                    "Created": created_secs(img),
                    "CreatedAt": img.created,
                    "Size": img.size,
                    "Dangling": img.names.is_empty(),
                    "Containers": store.users(&img.id).map(|u| u.len()).unwrap_or(0),
                    "ReadOnly": read_only.contains(&img.id),
                })
            })
            .collect();
        output::line(serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    let mut rows = vec![{
        let mut h = vec!["REPOSITORY", "TAG"];
        if args.digests {
            h.push("DIGEST");
        }
        h.extend(["IMAGE ID", "CREATED", "SIZE"]);
        if !read_only.is_empty() {
            h.push("R/O");
        }
        h.into_iter().map(String::from).collect::<Vec<_>>()
    }];
    for img in &images {
        let names = if img.names.is_empty() {
            vec!["<none>:<none>".to_string()]
        } else {
            img.names.clone()
        };
        for n in names {
            let (repo, tag) = split_name(&n);
            let mut row = vec![repo, tag];
            if args.digests {
                row.push(img.manifest_digest.clone());
            }
            row.push(if args.no_trunc {
                img.id.clone()
            } else {
                img.short_id().to_string()
            });
            row.push(ago(created_secs(img)));
            row.push(human_size(img.size));
            if !read_only.is_empty() {
                row.push(read_only.contains(&img.id).to_string());
            }
            rows.push(row);
        }
    }
    print_table(&rows)?;
    Ok(())
}

/// Left-aligned columns separated by two spaces.
pub fn print_table(rows: &[Vec<String>]) -> Result<()> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i + 1 == r.len() {
                    s.clone()
                } else {
                    format!("{s:<w$}", w = widths[i])
                }
            })
            .collect();
        output::line(line.join("  ").trim_end())?;
    }
    Ok(())
}

/// The `image inspect` record of one image.
pub fn inspect_record(store: &Store, img: &Image) -> Result<Value> {
    let config: Value = serde_json::from_slice(&img.config_raw)?;
    let dirs: Vec<String> = img
        .layer_dirs()
        .iter()
        .rev()
        .map(|d| d.display().to_string())
        .collect();
    let (upper, lower) = match dirs.split_first() {
        Some((u, l)) => (u.clone(), l.join(":")),
        None => (String::new(), String::new()),
    };
    let repo_digests: Vec<String> = img
        .names
        .iter()
        .map(|n| split_name(n).0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|r| format!("{r}@{}", img.manifest_digest))
        .collect();
    Ok(json!({
        "Id": img.id,
        "Digest": img.manifest_digest,
        "RepoTags": img.names.iter().filter(|n| !n.contains('@')).collect::<Vec<_>>(),
        "RepoDigests": repo_digests,
        "Created": img.created,
        "Config": config.get("config").cloned().unwrap_or(json!({})),
        "Architecture": config.get("architecture"),
        "Os": config.get("os"),
        "Size": img.size,
        "Labels": config.pointer("/config/Labels").cloned().unwrap_or(Value::Null),
        "RootFS": {
            "Type": "layers",
            "Layers": img.layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>(),
        },
        "GraphDriver": {
            "Name": "overlay",
            "Data": { "LowerDir": lower, "UpperDir": upper },
        },
        "History": config.get("history").cloned().unwrap_or(json!([])),
        "Containers": store.users(&img.id)?,
    }))
}

pub fn inspect(app: &App, args: &InspectArgs) -> Result<()> {
    let _session = app.enter()?;
    let store = Store::open(&app.dirs)?;
    let mut out = Vec::new();
    let mut failed = false;
    for name in &args.images {
        match crate::image::shared::resolve_or_shared(app, &store, name) {
            Ok(img) => out.push(inspect_record(&store, &img)?),
            Err(e) => {
                eprintln!("{}", crate::error::render(&e));
                failed = true;
            }
        }
    }
    output::line(serde_json::to_string_pretty(&out)?)?;
    if failed {
        // Each failure was reported above; exit 125 without repeating it.
        return Err(crate::error::Exit::Status(crate::error::RCTL_ERROR).into());
    }
    Ok(())
}

pub fn history(app: &App, args: &HistoryArgs) -> Result<()> {
    let _session = app.enter()?;
    let store = Store::open(&app.dirs)?;
    let img = crate::image::shared::resolve_or_shared(app, &store, &args.image)?;
    let config: Value = serde_json::from_slice(&img.config_raw)?;
    let history = config["history"].as_array().cloned().unwrap_or_default();
    if !matches!(args.format, OutputFormat::Table) {
        print!("{}", render_list(&args.format, &history, "", &[])?);
        return Ok(());
    }
    let mut rows = vec![vec![
        "CREATED".to_string(),
        "CREATED BY".into(),
        "COMMENT".into(),
    ]];
    for h in history.iter().rev() {
        let created = h["created"].as_str().and_then(parse_rfc3339);
        let by: String = h["created_by"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        rows.push(vec![
            ago(created),
            by,
            h["comment"].as_str().unwrap_or("").to_string(),
        ]);
    }
    print_table(&rows)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_names_render() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1_500_000), "1.5 MB");
        assert_eq!(
            split_name("localhost/a:1"),
            ("localhost/a".into(), "1".into())
        );
        assert_eq!(
            split_name("127.0.0.1:5000/a"),
            ("127.0.0.1:5000/a".into(), "<none>".into())
        );
        assert!(glob("*box*", "localhost/busybox:latest"));
        assert!(!glob("x*", "localhost/busybox"));
    }
}

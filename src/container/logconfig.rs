//! How a container's output is logged: the driver (`--log-driver`) and its
//! options (`--log-opt`), parsed and checked at create time (pure).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// Log drivers rctl knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum LogDriver {
    /// Podman's `TIMESTAMP STREAM F|P LINE` file (the default).
    #[default]
    K8sFile,
    /// Docker's JSON lines (`{"log":…,"stream":…,"time":…}`).
    JsonFile,
    /// The systemd journal, over its native socket.
    Journald,
    /// Nothing is kept.
    None,
    /// The container writes to the caller's stdout/stderr directly
    /// (attached runs only); nothing is kept.
    Passthrough,
}

impl LogDriver {
    pub fn name(self) -> &'static str {
        match self {
            LogDriver::K8sFile => "k8s-file",
            LogDriver::JsonFile => "json-file",
            LogDriver::Journald => "journald",
            LogDriver::None => "none",
            LogDriver::Passthrough => "passthrough",
        }
    }

    /// Whether the log is a file rctl writes and `logs` reads.
    pub fn is_file(self) -> bool {
        matches!(self, LogDriver::K8sFile | LogDriver::JsonFile)
    }
}

/// The log configuration stored with a container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    pub driver: LogDriver,
    /// Rotate the file once it would grow past this many bytes.
    pub max_size: Option<u64>,
    /// Files kept in all (the live one and rotated ones), at least 1.
    pub max_file: u32,
    /// `path=`: the log file instead of `ROOT/containers/ID/ctr.log`.
    pub path: Option<PathBuf>,
    /// `tag=`: the journal's SYSLOG_IDENTIFIER, json-file's `tag` attribute.
    pub tag: Option<String>,
    /// Extra attributes on every json-file record (`labels=`, `env=`),
    /// resolved at create time.
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
}

/// `--log-opt` as typed, before labels and env names are resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOpts {
    pub max_size: Option<u64>,
    pub max_file: Option<u32>,
    pub path: Option<PathBuf>,
    pub tag: Option<String>,
    pub labels: Vec<String>,
    pub env: Vec<String>,
}

/// Parse a size such as `10m`, `512k`, `1g`, `1000` (bytes; 1k = 1024).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').unwrap_or(&t);
    let (num, mult) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1u64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    let v = (n * mult as f64) as u64;
    (v > 0).then_some(v)
}

/// Parse the `--log-opt` values: `KEY=VALUE` pairs, several per flag
/// separated by commas; a piece without `=` continues the list value of
/// the key before it (`labels=a,b`).
pub fn parse_opts(opts: &[String]) -> Result<LogOpts> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for o in opts {
        for piece in o.split(',') {
            match piece.split_once('=') {
                Some((k, v)) => pairs.push((k.trim().to_string(), v.to_string())),
                None => match pairs.last_mut() {
                    Some((k, v)) if (k == "labels" || k == "env") && !piece.is_empty() => {
                        v.push(',');
                        v.push_str(piece);
                    }
                    _ => bail!(
                        "invalid --log-opt `{o}`: `{piece}` is not KEY=VALUE\nhint: e.g. --log-opt max-size=10m,max-file=3"
                    ),
                },
            }
        }
    }
    let mut out = LogOpts::default();
    for (k, v) in pairs {
        let list = || {
            v.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        match k.as_str() {
            "max-size" => {
                out.max_size = Some(parse_size(&v).ok_or_else(|| {
                    anyhow::anyhow!(
                        "invalid --log-opt max-size `{v}`\nhint: give a positive size such as 512k, 10m or 1g"
                    )
                })?)
            }
            "max-file" => {
                out.max_file = Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    anyhow::anyhow!(
                        "invalid --log-opt max-file `{v}`\nhint: give a whole number of files, at least 1"
                    )
                })?)
            }
            "path" => {
                let p = PathBuf::from(&v);
                if !p.is_absolute() {
                    bail!(
                        "invalid --log-opt path `{v}`: not an absolute path\nhint: give the full path of the log file"
                    );
                }
                out.path = Some(p);
            }
            "tag" => out.tag = Some(v),
            "labels" => out.labels = list(),
            "env" => out.env = list(),
            other => bail!(
                "unknown --log-opt `{other}`\nhint: known options: max-size, max-file, path, tag, labels, env"
            ),
        }
    }
    Ok(out)
}

/// Build the stored configuration: check the options against the driver
/// and resolve `labels`/`env` from the container's labels and environment.
pub fn build(
    driver: LogDriver,
    opts: LogOpts,
    labels: &BTreeMap<String, String>,
    env: &[String],
) -> Result<LogConfig> {
    let file_only = [
        ("max-size", opts.max_size.is_some()),
        ("max-file", opts.max_file.is_some()),
        ("path", opts.path.is_some()),
    ];
    if !driver.is_file() {
        if let Some((name, _)) = file_only.iter().find(|(_, set)| *set) {
            bail!(
                "--log-opt {name} does not apply to the {} log driver\nhint: use it with --log-driver k8s-file or json-file",
                driver.name()
            );
        }
    }
    if opts.max_file.is_some_and(|n| n > 1) && opts.max_size.is_none() {
        bail!("--log-opt max-file needs max-size\nhint: e.g. --log-opt max-size=10m,max-file=3");
    }
    let mut attrs = BTreeMap::new();
    if !opts.labels.is_empty() || !opts.env.is_empty() {
        if driver != LogDriver::JsonFile {
            bail!(
                "--log-opt labels/env apply to the json-file log driver only\nhint: add --log-driver json-file"
            );
        }
        for l in &opts.labels {
            if let Some(v) = labels.get(l) {
                attrs.insert(l.clone(), v.clone());
            }
        }
        for name in &opts.env {
            if let Some(v) = env
                .iter()
                .rev()
                .find_map(|e| e.strip_prefix(name.as_str())?.strip_prefix('='))
            {
                attrs.insert(name.clone(), v.to_string());
            }
        }
    }
    if let Some(t) = &opts.tag {
        if driver == LogDriver::JsonFile {
            attrs.insert("tag".into(), t.clone());
        }
    }
    Ok(LogConfig {
        driver,
        max_size: opts.max_size,
        max_file: opts.max_file.unwrap_or(1),
        path: opts.path,
        tag: opts.tag,
        attrs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10m"), Some(10 << 20));
        assert_eq!(parse_size("512K"), Some(512 << 10));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("1mb"), Some(1 << 20));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("-1m"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn options() {
        let o = parse_opts(&["max-size=1m,max-file=3".into(), "labels=a,b".into()]).unwrap();
        assert_eq!(o.max_size, Some(1 << 20));
        assert_eq!(o.max_file, Some(3));
        assert_eq!(o.labels, vec!["a", "b"]);
        let o = parse_opts(&["env=A,B,tag=web".into()]).unwrap();
        assert_eq!(o.env, vec!["A", "B"]);
        assert_eq!(o.tag.as_deref(), Some("web"));
        for bad in [
            "max-size=big",
            "max-file=0",
            "colour=red",
            "path=rel/x",
            "nokey",
        ] {
            assert!(parse_opts(&[bad.into()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn build_checks_driver() {
        let labels = BTreeMap::from([("app".to_string(), "web".to_string())]);
        let env = vec!["A=1".to_string(), "A=2".to_string(), "AB=3".to_string()];
        let opts = parse_opts(&["labels=app,none".into(), "env=A".into()]).unwrap();
        let c = build(LogDriver::JsonFile, opts.clone(), &labels, &env).unwrap();
        assert_eq!(c.attrs.get("app").map(String::as_str), Some("web"));
        assert_eq!(c.attrs.get("A").map(String::as_str), Some("2"));
        assert_eq!(c.attrs.len(), 2);
        assert!(build(LogDriver::K8sFile, opts, &labels, &env).is_err());
        let rot = parse_opts(&["max-size=1m".into()]).unwrap();
        assert!(build(LogDriver::None, rot.clone(), &labels, &env).is_err());
        assert!(build(LogDriver::Journald, rot.clone(), &labels, &env).is_err());
        assert_eq!(
            build(LogDriver::K8sFile, rot, &labels, &env)
                .unwrap()
                .max_file,
            1
        );
        let no_size = parse_opts(&["max-file=3".into()]).unwrap();
        assert!(build(LogDriver::K8sFile, no_size, &labels, &env).is_err());
    }
}

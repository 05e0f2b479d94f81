//! Registry credentials: the `auth.json` file shared with Podman and Docker
//! (`{"auths": {"HOST": {"auth": base64("user:password")}}}`), and the
//! `WWW-Authenticate` challenges of the distribution spec.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::env::Env;

/// A user name and password for one registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Credentials {
    /// The value of an `Authorization: Basic` header.
    pub fn basic_header(&self) -> String {
        format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", self.username, self.password))
        )
    }
}

/// The file `rctl login` writes: `REGISTRY_AUTH_FILE`, else
/// `$XDG_RUNTIME_DIR/containers/auth.json` (Podman's default).
pub fn write_path(env: &Env) -> PathBuf {
    if let Some(p) = &env.registry_auth_file {
        return p.clone();
    }
    match &env.runtime_dir {
        Some(d) => d.join("containers/auth.json"),
        None => env.config_home.join("containers/auth.json"),
    }
}

/// The files credentials are read from, in order.
pub fn read_paths(env: &Env) -> Vec<PathBuf> {
    let mut out = vec![write_path(env)];
    if env.registry_auth_file.is_none() {
        out.push(env.config_home.join("containers/auth.json"));
        out.push(env.home.join(".docker/config.json"));
    }
    out
}

fn read_json(path: &Path) -> Result<Map<String, Value>> {
    match fs_err::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(Map::new()),
        Ok(text) => match serde_json::from_str(&text)
            .with_context(|| format!("parse credentials file `{}`", path.display()))?
        {
            Value::Object(m) => Ok(m),
            _ => anyhow::bail!("credentials file `{}` is not a JSON object", path.display()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Map::new()),
        Err(e) => Err(e.into()),
    }
}

fn decode(entry: &Value) -> Option<Credentials> {
    let auth = entry.get("auth")?.as_str()?;
    let raw = STANDARD.decode(auth.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (u, p) = text.split_once(':')?;
    Some(Credentials {
        username: u.to_string(),
        password: p.to_string(),
    })
}

/// The stored credentials for `registry`, if any file has them.
pub fn lookup(env: &Env, registry: &str) -> Result<Option<Credentials>> {
    let keys = [
        registry.to_string(),
        format!("https://{registry}"),
        format!("http://{registry}"),
    ];
    let docker_keys: &[&str] = if registry == "docker.io" {
        &["https://index.docker.io/v1/", "index.docker.io"]
    } else {
        &[]
    };
    for path in read_paths(env) {
        let file = read_json(&path)?;
        let Some(Value::Object(auths)) = file.get("auths") else {
            continue;
        };
        for k in keys
            .iter()
            .map(String::as_str)
            .chain(docker_keys.iter().copied())
        {
            if let Some(c) = auths.get(k).and_then(decode) {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

/// Store (or with `None`, remove) the credentials for `registry` in the
/// write file, keeping every other key; the file is written 0600.
/// Returns whether an entry existed before.
pub fn store(env: &Env, registry: &str, creds: Option<&Credentials>) -> Result<bool> {
    let path = write_path(env);
    let mut file = read_json(&path)?;
    let auths = file
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(auths) = auths else {
        anyhow::bail!("`auths` in `{}` is not an object", path.display());
    };
    let existed = auths.remove(registry).is_some();
    if let Some(c) = creds {
        let mut entry = Map::new();
        entry.insert(
            "auth".into(),
            Value::String(STANDARD.encode(format!("{}:{}", c.username, c.password))),
        );
        auths.insert(registry.to_string(), Value::Object(entry));
    }
    if let Some(dir) = path.parent() {
        crate::ondisk::create_private_dir(dir)?;
    }
    let text = serde_json::to_vec_pretty(&Value::Object(file))?;
    crate::ondisk::write_atomic(&path, &text)?;
    Ok(existed)
}

/// Read a password from standard input (one line, newline removed).
pub fn read_password_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("read the password from stdin")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// A parsed `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parse `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params = std::collections::BTreeMap::new();
    let mut s = rest.trim();
    while !s.is_empty() {
        let (key, after) = s.split_once('=')?;
        let after = after.trim_start();
        let (value, tail) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"')?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        params.insert(key.trim().to_ascii_lowercase(), value);
        s = tail.trim_start().trim_start_matches(',').trim_start();
    }
    Some(Challenge::Bearer {
        realm: params.remove("realm")?,
        service: params.remove("service"),
        scope: params.remove("scope"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_parse() {
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into()),
                scope: Some("repository:a/b:pull".into()),
            })
        );
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(parse_challenge("Negotiate"), None);
    }

    #[test]
    fn credentials_decode() {
        let v = serde_json::json!({"auth": STANDARD.encode("me:p:w")});
        assert_eq!(
            decode(&v),
            Some(Credentials {
                username: "me".into(),
                password: "p:w".into()
            })
        );
    }
}

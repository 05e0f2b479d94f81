//! A client for the OCI distribution API, on `ureq` (blocking HTTP with
//! rustls): anonymous, bearer-token and basic auth, manifests, blobs
//! streamed to the caller, uploads. Used only after rctl has entered its
//! user namespace; parallel downloads use plain threads started then.
// ureq 2's error type is large; it is matched once per request, never stored.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod manifest;

use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

use crate::store::{Digest, Reference};
use auth::{Challenge, Credentials};

/// The longest manifest or config rctl reads into memory.
pub const MAX_DOCUMENT: u64 = 8 << 20;

/// A client for one repository of one registry.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    registry: String,
    repository: String,
    creds: Option<Credentials>,
    authorization: Mutex<Option<String>>,
    actions: &'static str,
}

/// What the registry answered with an error status.
#[derive(Debug, thiserror::Error)]
#[error("{what}: registry answered {status}{}", detail_part(.detail))]
pub struct StatusError {
    pub what: String,
    pub status: u16,
    pub detail: String,
}

fn detail_part(d: &str) -> String {
    if d.is_empty() {
        String::new()
    } else {
        format!(" ({d})")
    }
}

/// The API host of a registry name (Docker Hub's differs from its name).
pub fn api_host(registry: &str) -> &str {
    if registry == "docker.io" {
        "registry-1.docker.io"
    } else {
        registry
    }
}

fn error_detail(resp: ureq::Response) -> String {
    let mut body = String::new();
    let _ = resp.into_reader().take(4096).read_to_string(&mut body);
    match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(v) => v["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .filter_map(|e| {
                        Some(format!(
                            "{}: {}",
                            e["code"].as_str()?,
                            e["message"].as_str().unwrap_or("")
                        ))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        Err(_) => body.trim().chars().take(200).collect(),
    }
}

impl Client {
    /// A client for `reference`'s repository. `insecure` means plain HTTP.
    pub fn new(
        reference: &Reference,
        insecure: bool,
        creds: Option<Credentials>,
        push: bool,
    ) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(30))
            .timeout_read(Duration::from_secs(300))
            .user_agent(concat!("rctl/", env!("CARGO_PKG_VERSION")))
            .build();
        let scheme = if insecure { "http" } else { "https" };
        Client {
            agent,
            base: format!("{scheme}://{}", api_host(&reference.registry)),
            registry: reference.registry.clone(),
            repository: reference.repository.clone(),
            creds,
            authorization: Mutex::new(None),
            actions: if push { "pull,push" } else { "pull" },
        }
    }

    /// `BASE/v2/REPO/` + `tail`, or an absolute URL the registry gave.
    pub fn url(&self, tail: &str) -> String {
        if tail.starts_with("http://") || tail.starts_with("https://") {
            tail.to_string()
        } else if let Some(path) = tail.strip_prefix('/') {
            format!("{}/{path}", self.base)
        } else {
            format!("{}/v2/{}/{tail}", self.base, self.repository)
        }
    }

    /// Send a request built by `make`, answering one auth challenge and
    /// retrying transient failures (connection errors, 429, 5xx) thrice.
    pub fn send(
        &self,
        what: &str,
        make: &dyn Fn(&ureq::Agent) -> ureq::Request,
        body: &dyn Fn(ureq::Request) -> std::result::Result<ureq::Response, ureq::Error>,
    ) -> Result<ureq::Response> {
        let mut authed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = make(&self.agent);
            if let Some(a) = self.authorization.lock().expect("auth lock").clone() {
                req = req.set("Authorization", &a);
            }
            match body(req) {
                Ok(resp) => return Ok(resp),
                Err(ureq::Error::Status(401, resp)) if !authed => {
                    authed = true;
                    let header = resp.header("www-authenticate").unwrap_or("").to_string();
                    self.authenticate(&header)
                        .with_context(|| format!("{what}: authenticate to `{}`", self.registry))?;
                }
                Err(ureq::Error::Status(code, resp))
                    if (code == 429 || code >= 500) && attempt < 3 =>
                {
                    log::debug!("{what}: status {code}, retrying");
                    drop(resp);
                    std::thread::sleep(Duration::from_millis(300 * attempt));
                }
                Err(ureq::Error::Status(code, resp)) => {
                    let detail = error_detail(resp);
                    let err = StatusError {
                        what: what.to_string(),
                        status: code,
                        detail,
                    };
                    return Err(match code {
                        401 | 403 => anyhow::Error::new(err).context(format!(
                            "access to `{}/{}` denied\nhint: run `rctl login {}` with an account that may {} it",
                            self.registry, self.repository, self.registry, self.actions
                        )),
                        _ => err.into(),
                    });
                }
                Err(ureq::Error::Transport(t)) if attempt < 3 => {
                    log::debug!("{what}: {t}, retrying");
                    std::thread::sleep(Duration::from_millis(300 * attempt));
                }
                Err(ureq::Error::Transport(t)) => {
                    return Err(anyhow!("{what}: {t}")).context(format!(
                        "reach registry `{}` at {}\nhint: check the address; for a registry without TLS use --tls-verify=false or list it under `registries.insecure` in rctl.toml",
                        self.registry, self.base
                    ));
                }
            }
        }
    }

    /// GET `tail` with optional `Accept`.
    pub fn get(&self, what: &str, tail: &str, accept: Option<&str>) -> Result<ureq::Response> {
        let url = self.url(tail);
        let accept = accept.map(str::to_string);
        self.send(
            what,
            &|agent| {
                let r = agent.get(&url);
                match &accept {
                    Some(a) => r.set("Accept", a),
                    None => r,
                }
            },
            &|req| req.call(),
        )
    }

    fn authenticate(&self, header: &str) -> Result<()> {
        match auth::parse_challenge(header) {
            Some(Challenge::Basic) => {
                let creds = self.creds.as_ref().ok_or_else(|| {
                    anyhow!(
                        "the registry wants a user name and password\nhint: run `rctl login {}`",
                        self.registry
                    )
                })?;
                *self.authorization.lock().expect("auth lock") = Some(creds.basic_header());
                Ok(())
            }
            Some(Challenge::Bearer { realm, service, .. }) => {
                let scope = format!("repository:{}:{}", self.repository, self.actions);
                let mut req = self.agent.get(&realm).query("scope", &scope);
                if let Some(s) = &service {
                    req = req.query("service", s);
                }
                if let Some(c) = &self.creds {
                    req = req.set("Authorization", &c.basic_header());
                }
                let resp = req.call().map_err(|e| match e {
                    ureq::Error::Status(code, resp) => anyhow!(
                        "token service `{realm}` answered {code} ({})",
                        error_detail(resp)
                    ),
                    ureq::Error::Transport(t) => anyhow!("reach token service `{realm}`: {t}"),
                })?;
                let v: serde_json::Value =
                    serde_json::from_reader(resp.into_reader().take(MAX_DOCUMENT))
                        .with_context(|| format!("read the token from `{realm}`"))?;
                let token = v["token"]
                    .as_str()
                    .or_else(|| v["access_token"].as_str())
                    .ok_or_else(|| anyhow!("token service `{realm}` returned no token"))?;
                *self.authorization.lock().expect("auth lock") = Some(format!("Bearer {token}"));
                Ok(())
            }
            None => {
                bail!("the registry asked for authentication it does not describe (`{header}`)")
            }
        }
    }

    /// Fetch a manifest by tag or digest: the body (at most
    /// [`MAX_DOCUMENT`]) and its Content-Type.
    pub fn manifest(&self, reference: &str) -> Result<(Vec<u8>, Option<String>)> {
        let resp = self.get(
            &format!(
                "fetch manifest `{}/{}:{reference}`",
                self.registry, self.repository
            )
            .replace(":sha256:", "@sha256:"),
            &format!("manifests/{reference}"),
            Some(&manifest::accept()),
        )?;
        let ctype = resp.header("content-type").map(str::to_string);
        let mut body = Vec::new();
        resp.into_reader()
            .take(MAX_DOCUMENT + 1)
            .read_to_end(&mut body)
            .context("read the manifest")?;
        if body.len() as u64 > MAX_DOCUMENT {
            bail!("manifest `{reference}` is larger than {MAX_DOCUMENT} bytes");
        }
        Ok((body, ctype))
    }

    /// Stream a blob (the caller verifies its digest while reading).
    pub fn blob(&self, digest: &Digest) -> Result<Box<dyn Read + Send + Sync + 'static>> {
        let resp = self.get(
            &format!("fetch blob {digest}"),
            &format!("blobs/{digest}"),
            None,
        )?;
        Ok(resp.into_reader())
    }

    /// Fetch a small blob whole and check its digest.
    pub fn small_blob(&self, digest: &Digest) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        self.blob(digest)?
            .take(MAX_DOCUMENT + 1)
            .read_to_end(&mut body)
            .with_context(|| format!("read blob {digest}"))?;
        if body.len() as u64 > MAX_DOCUMENT {
            bail!("blob {digest} is larger than {MAX_DOCUMENT} bytes");
        }
        let got = Digest::of(&body);
        if &got != digest {
            bail!("blob {digest} does not match its digest (got {got})");
        }
        Ok(body)
    }

    /// Check the credentials against `/v2/` (for `rctl login`).
    pub fn ping(&self) -> Result<()> {
        self.get(&format!("log in to `{}`", self.registry), "/v2/", None)?;
        Ok(())
    }

    pub fn registry(&self) -> &str {
        &self.registry
    }
}

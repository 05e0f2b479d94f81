//! Image references: `[REGISTRY/]PATH[:TAG][@sha256:DIGEST]`, parsed
//! without I/O, and short names resolved through the configured search
//! registries and aliases.

use std::fmt;

use super::digest::Digest;

/// A fully qualified reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `docker.io`, `quay.io`, `127.0.0.1:5000`, `localhost`, ...
    pub registry: String,
    /// `library/debian`, `org/app`, ...
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

/// What the user typed, before short-name resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Qualified(Reference),
    /// A name without a registry: `debian`, `org/app:1`.
    Short {
        path: String,
        tag: Option<String>,
        digest: Option<Digest>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("invalid image name `{0}`: {1}")]
    Invalid(String, &'static str),
    #[error(
        "short name `{0}` does not say which registry to use and no search registry is configured\nhint: use a full name such as `docker.io/library/{0}`, or set `registries.unqualified_search` in rctl.toml"
    )]
    NoSearchRegistry(String),
    #[error(
        "short name `{name}` is ambiguous: it could be any of {}\nhint: use one of these full names, or add an alias under `[registries.aliases]` in rctl.toml",
        .candidates.join(", ")
    )]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}

fn valid_component(c: &str) -> bool {
    // [a-z0-9]+([._-][a-z0-9]+)*  (allowing `__` as the spec does)
    !c.is_empty()
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && c.as_bytes()[0].is_ascii_alphanumeric()
        && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
}

fn valid_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && (t.as_bytes()[0].is_ascii_alphanumeric() || t.as_bytes()[0] == b'_')
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

fn looks_like_registry(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

impl Input {
    /// Parse a reference as typed.
    pub fn parse(text: &str) -> Result<Input, ReferenceError> {
        let bad = |why| ReferenceError::Invalid(text.to_string(), why);
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (
                r,
                Some(Digest::parse(d).map_err(|_| bad("the digest is not sha256:<64 hex>"))?),
            ),
            None => (text, None),
        };
        // A tag follows the last `:` after the last `/`.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(rest[slash + i + 1..].to_string())),
            None => (rest, None),
        };
        if let Some(t) = &tag {
            if !valid_tag(t) {
                return Err(bad("the tag must be letters, digits, `_`, `.` or `-`"));
            }
        }
        if name.is_empty() {
            return Err(bad("the name is empty"));
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, path)) if looks_like_registry(first) => (Some(first), path),
            _ => (None, name),
        };
        if let Some(r) = registry {
            if r.is_empty()
                || !r
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            {
                return Err(bad("the registry host is not valid"));
            }
        }
        if !path.split('/').all(valid_component) {
            return Err(bad(
                "path components must be lowercase letters and digits, separated by `.`, `_` or `-`",
            ));
        }
        Ok(match registry {
            Some(r) => {
                let mut repository = path.to_string();
                if r == "docker.io" && !repository.contains('/') {
                    repository = format!("library/{repository}");
                }
                Input::Qualified(Reference {
                    registry: r.to_string(),
                    repository,
                    tag,
                    digest,
                })
            }
            None => Input::Short {
                path: path.to_string(),
                tag,
                digest,
            },
        })
    }

    /// The candidate full references, in order, for a local lookup:
    /// `localhost/` first, then each search registry.
    pub fn local_candidates(&self, search: &[String]) -> Vec<Reference> {
        match self {
            Input::Qualified(r) => vec![r.clone()],
            Input::Short { path, tag, digest } => std::iter::once("localhost")
                .chain(search.iter().map(String::as_str))
                .map(|reg| Input::qualify(reg, path, tag, digest))
                .collect(),
        }
    }

    fn qualify(
        registry: &str,
        path: &str,
        tag: &Option<String>,
        digest: &Option<Digest>,
    ) -> Reference {
        let repository = if registry == "docker.io" && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        Reference {
            registry: registry.to_string(),
            repository,
            tag: tag.clone(),
            digest: digest.clone(),
        }
    }

    /// The one reference to pull: aliases first, then a single search
    /// registry; several are ambiguous.
    pub fn for_pull(
        &self,
        search: &[String],
        aliases: &std::collections::BTreeMap<String, String>,
    ) -> Result<Reference, ReferenceError> {
        match self {
            Input::Qualified(r) => Ok(r.clone()),
            Input::Short { path, tag, digest } => {
                if let Some(target) = aliases.get(path) {
                    if let Input::Qualified(mut r) = Input::parse(target)? {
                        if tag.is_some() || digest.is_some() {
                            r.tag = tag.clone();
                            r.digest = digest.clone();
                        }
                        return Ok(r);
                    }
                    return Err(ReferenceError::Invalid(
                        target.clone(),
                        "an alias must name a registry",
                    ));
                }
                match search {
                    [] => Err(ReferenceError::NoSearchRegistry(path.clone())),
                    [one] => Ok(Input::qualify(one, path, tag, digest)),
                    many => Err(ReferenceError::Ambiguous {
                        name: path.clone(),
                        candidates: many
                            .iter()
                            .map(|r| Input::qualify(r, path, &None, &None).name())
                            .collect(),
                    }),
                }
            }
        }
    }
}

impl Reference {
    /// `registry/repository` without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The tag, `latest` when none and no digest was given.
    pub fn tag_or_latest(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The name under which the store records this reference:
    /// `name:tag`, or `name@digest` when only a digest was given.
    pub fn store_name(&self) -> String {
        match (self.tag_or_latest(), &self.digest) {
            (Some(t), _) => format!("{}:{t}", self.name()),
            (None, Some(d)) => format!("{}@{d}", self.name()),
            (None, None) => unreachable!("tag_or_latest covers this"),
        }
    }

    /// The manifest reference to ask the registry for.
    pub fn manifest_ref(&self) -> String {
        match (&self.digest, self.tag_or_latest()) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.to_string(),
            (None, None) => "latest".into(),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Reference {
        match Input::parse(s).unwrap() {
            Input::Qualified(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn qualified_references_parse() {
        let r = q("127.0.0.1:5000/a/b:1.0");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str()),
            ("127.0.0.1:5000", "a/b")
        );
        assert_eq!(r.tag.as_deref(), Some("1.0"));
        assert_eq!(q("docker.io/debian").repository, "library/debian");
        assert_eq!(q("localhost/x").store_name(), "localhost/x:latest");
        let d = format!("sha256:{}", "b".repeat(64));
        let r = q(&format!("quay.io/x/y@{d}"));
        assert_eq!(r.store_name(), format!("quay.io/x/y@{d}"));
        assert_eq!(r.manifest_ref(), d);
    }

    #[test]
    fn bad_references_are_rejected() {
        for bad in [
            "",
            "UPPER/case",
            "a//b",
            "x:",
            "x:bad tag",
            "reg.io/../x",
            "x@sha256:123",
            "reg.io/-x",
        ] {
            assert!(Input::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_names_resolve_through_search_registries() {
        let i = Input::parse("busybox").unwrap();
        let none = Default::default();
        assert!(matches!(
            i.for_pull(&[], &none),
            Err(ReferenceError::NoSearchRegistry(_))
        ));
        let one = vec!["docker.io".to_string()];
        assert_eq!(
            i.for_pull(&one, &none).unwrap().store_name(),
            "docker.io/library/busybox:latest"
        );
        let two = vec!["a.io".to_string(), "b.io".to_string()];
        let err = i.for_pull(&two, &none).unwrap_err().to_string();
        assert!(
            err.contains("a.io/busybox") && err.contains("b.io/busybox"),
            "{err}"
        );
        let mut aliases = std::collections::BTreeMap::new();
        aliases.insert("busybox".to_string(), "b.io/lib/busybox".to_string());
        assert_eq!(
            i.for_pull(&two, &aliases).unwrap().name(),
            "b.io/lib/busybox"
        );
        let c = i.local_candidates(&one);
        assert_eq!(c[0].store_name(), "localhost/busybox:latest");
    }
}

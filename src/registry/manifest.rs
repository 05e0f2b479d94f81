//! Manifests as registries serve them: OCI image manifests and indexes,
//! Docker schema 2 manifests and manifest lists. Parsing is strict: a
//! document that could be read as both a manifest and an index, a media
//! type that disagrees with the content, or a malformed digest is refused.

use serde::Deserialize;

use crate::store::Digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// The `Accept` header for manifest requests.
pub fn accept() -> String {
    [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST].join(", ")
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("manifest is not valid JSON: {0}")]
    Json(String),
    #[error("ambiguous manifest: it has both `manifests` and `layers`/`config`")]
    Ambiguous,
    #[error("manifest media type `{0}` is not supported (schema 1 and foreign types are not)")]
    Unsupported(String),
    #[error("manifest says media type `{declared}` but its content is {found}")]
    MediaTypeMismatch {
        declared: String,
        found: &'static str,
    },
    #[error(transparent)]
    Digest(#[from] crate::store::digest::MalformedDigest),
    #[error("manifest lacks `{0}`")]
    Missing(&'static str),
    #[error("negative size in a descriptor")]
    Size,
}

#[derive(Debug, Clone, Deserialize)]
struct RawDescriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    size: i64,
    platform: Option<Platform>,
}

/// A platform of an index entry.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Platform {
    pub architecture: String,
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "schemaVersion")]
    schema_version: Option<u32>,
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
    config: Option<RawDescriptor>,
    layers: Option<Vec<RawDescriptor>>,
    manifests: Option<Vec<RawDescriptor>>,
}

/// A checked descriptor.
#[derive(Debug, Clone)]
pub struct Descriptor {
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    pub platform: Option<Platform>,
}

impl TryFrom<RawDescriptor> for Descriptor {
    type Error = ManifestError;
    fn try_from(r: RawDescriptor) -> Result<Self, ManifestError> {
        Ok(Descriptor {
            digest: Digest::parse(&r.digest)?,
            size: u64::try_from(r.size).map_err(|_| ManifestError::Size)?,
            media_type: r.media_type,
            platform: r.platform,
        })
    }
}

/// A parsed manifest document.
#[derive(Debug, Clone)]
pub enum Manifest {
    Image {
        media_type: String,
        config: Descriptor,
        layers: Vec<Descriptor>,
    },
    Index {
        media_type: String,
        manifests: Vec<Descriptor>,
    },
}

impl Manifest {
    /// Parse `body`; `content_type` is the HTTP header, if any.
    pub fn parse(body: &[u8], content_type: Option<&str>) -> Result<Manifest, ManifestError> {
        let raw: Raw =
            serde_json::from_slice(body).map_err(|e| ManifestError::Json(e.to_string()))?;
        if raw.schema_version.is_some_and(|v| v != 2) {
            return Err(ManifestError::Unsupported(format!(
                "schemaVersion {}",
                raw.schema_version.unwrap_or(0)
            )));
        }
        let is_index = raw.manifests.is_some();
        if is_index && (raw.layers.is_some() || raw.config.is_some()) {
            return Err(ManifestError::Ambiguous);
        }
        let declared = raw
            .media_type
            .clone()
            .or_else(|| {
                content_type
                    .map(|c| c.split(';').next().unwrap_or("").trim().to_string())
                    .filter(|c| c.starts_with("application/vnd."))
            })
            .unwrap_or_else(|| if is_index { OCI_INDEX } else { OCI_MANIFEST }.to_string());
        let declared_index = match declared.as_str() {
            OCI_INDEX | DOCKER_LIST => true,
            OCI_MANIFEST | DOCKER_MANIFEST => false,
            other => return Err(ManifestError::Unsupported(other.to_string())),
        };
        if declared_index != is_index {
            return Err(ManifestError::MediaTypeMismatch {
                declared,
                found: if is_index {
                    "an index"
                } else {
                    "an image manifest"
                },
            });
        }
        if is_index {
            let manifests = raw
                .manifests
                .unwrap_or_default()
                .into_iter()
                .map(Descriptor::try_from)
                .collect::<Result<_, _>>()?;
            Ok(Manifest::Index {
                media_type: declared,
                manifests,
            })
        } else {
            let config = raw
                .config
                .ok_or(ManifestError::Missing("config"))?
                .try_into()?;
            let layers = raw
                .layers
                .ok_or(ManifestError::Missing("layers"))?
                .into_iter()
                .map(Descriptor::try_from)
                .collect::<Result<_, _>>()?;
            Ok(Manifest::Image {
                media_type: declared,
                config,
                layers,
            })
        }
    }
}

/// The platform to pull: `--platform os/arch[/variant]` or `--arch`, else
/// this host's.
pub fn wanted_platform(platform: Option<&str>, arch: Option<&str>) -> Result<Platform, String> {
    if let Some(p) = platform {
        let parts: Vec<&str> = p.split('/').collect();
        return match parts.as_slice() {
            [os, arch] => Ok(Platform {
                os: os.to_string(),
                architecture: arch.to_string(),
                variant: None,
            }),
            [os, arch, variant] => Ok(Platform {
                os: os.to_string(),
                architecture: arch.to_string(),
                variant: Some(variant.to_string()),
            }),
            _ => Err(format!("platform `{p}` is not OS/ARCH[/VARIANT]")),
        };
    }
    let host = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        "arm" => "arm",
        other => other,
    };
    Ok(Platform {
        os: "linux".into(),
        architecture: arch.unwrap_or(host).to_string(),
        variant: None,
    })
}

/// The index entry for `want` (a variant, when given, must match).
pub fn select<'a>(manifests: &'a [Descriptor], want: &Platform) -> Option<&'a Descriptor> {
    manifests.iter().find(|d| {
        d.platform.as_ref().is_some_and(|p| {
            p.os == want.os
                && p.architecture == want.architecture
                && (want.variant.is_none() || p.variant == want.variant)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    #[test]
    fn image_manifest_parses() {
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}","config":{{"mediaType":"x","digest":"{}","size":3}},"layers":[{{"mediaType":"y","digest":"{}","size":5}}]}}"#,
            d('a'),
            d('b')
        );
        match Manifest::parse(body.as_bytes(), None).unwrap() {
            Manifest::Image { layers, .. } => assert_eq!(layers[0].size, 5),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ambiguous_and_malformed_manifests_are_refused() {
        let both = format!(
            r#"{{"schemaVersion":2,"manifests":[],"layers":[],"config":{{"digest":"{}","size":1}}}}"#,
            d('a')
        );
        assert!(matches!(
            Manifest::parse(both.as_bytes(), None),
            Err(ManifestError::Ambiguous)
        ));
        let mismatch =
            format!(r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","manifests":[]}}"#);
        assert!(matches!(
            Manifest::parse(mismatch.as_bytes(), None),
            Err(ManifestError::MediaTypeMismatch { .. })
        ));
        let bad_digest =
            r#"{"schemaVersion":2,"config":{"digest":"sha256:abc","size":1},"layers":[]}"#;
        assert!(matches!(
            Manifest::parse(bad_digest.as_bytes(), None),
            Err(ManifestError::Digest(_))
        ));
    }

    #[test]
    fn platform_selection() {
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[
              {{"digest":"{}","size":1,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}},
              {{"digest":"{}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#,
            d('a'),
            d('b')
        );
        let Manifest::Index { manifests, .. } = Manifest::parse(body.as_bytes(), None).unwrap()
        else {
            panic!()
        };
        let amd = wanted_platform(None, Some("amd64")).unwrap();
        assert_eq!(select(&manifests, &amd).unwrap().digest.as_str(), d('b'));
        let arm = wanted_platform(Some("linux/arm64/v8"), None).unwrap();
        assert_eq!(select(&manifests, &arm).unwrap().digest.as_str(), d('a'));
        assert!(
            select(
                &manifests,
                &wanted_platform(Some("linux/s390x"), None).unwrap()
            )
            .is_none()
        );
    }
}

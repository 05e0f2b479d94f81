//! COPY and ADD destinations (Docker's rules: into a directory when the
//! destination ends with `/`, exists as one, or there are several sources;
//! ADD extracts local archives) and ADD's URL downloads with `--checksum`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::sources::{self, Attrs, Dest, Found};
use super::{CopySpec, Source};

/// A scratch directory removed when dropped (downloads of ADD URL).
pub(super) struct RemoveDir(pub(super) PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn is_url_text(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

pub(super) fn is_url(s: &Source) -> bool {
    matches!(s, Source::Path(p) if is_url_text(p))
}

pub(super) fn file_sha(path: &Path) -> Result<String> {
    use sha2::{Digest as _, Sha256};
    let mut h = Sha256::new();
    let mut f = fs_err::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

/// Fetch `url` into `dir`, checking `--checksum` when given.
pub(super) fn download(url: &str, checksum: Option<&str>, dir: &Path) -> Result<PathBuf> {
    let name = url
        .split(['?', '#'])
        .next()
        .and_then(|u| u.rsplit('/').next())
        .filter(|n| !n.is_empty())
        .unwrap_or("download");
    let path = dir.join(name);
    let resp = ureq::get(url)
        .call()
        .with_context(|| format!("ADD: download `{url}`"))?;
    let mut out = fs_err::File::create(&path)?;
    std::io::copy(&mut resp.into_reader(), &mut out)
        .with_context(|| format!("ADD: download `{url}`"))?;
    drop(out);
    if let Some(want) = checksum {
        let got = file_sha(&path)?;
        if got != want {
            bail!("ADD: `{url}` has checksum {got}, not {want} as --checksum says");
        }
    }
    Ok(path)
}

/// Docker's COPY destination rules, applied to the found sources.
#[allow(clippy::too_many_arguments)]
pub(super) fn copy_into(
    d: &Dest<'_>,
    spec: &CopySpec,
    workdir: &str,
    found: &[Found],
    heredocs: &[(String, String)],
    urls: &[(String, PathBuf)],
    is_add: bool,
    attrs: Attrs,
) -> Result<()> {
    let dest_text = if spec.dest.starts_with('/') {
        spec.dest.clone()
    } else {
        format!(
            "{}/{}",
            if workdir.is_empty() { "/" } else { workdir },
            spec.dest
        )
    };
    let dest = PathBuf::from(&dest_text);
    let count = found.len() + heredocs.len() + urls.len();
    let into_dir = dest_text.ends_with('/') || spec.dest == "." || count > 1 || d.is_dir(&dest);
    if count > 1 && !(dest_text.ends_with('/') || d.is_dir(&dest)) {
        bail!(
            "{}: with several sources the destination `{}` must be a directory and end with `/`",
            if is_add { "ADD" } else { "COPY" },
            spec.dest
        );
    }
    let target = |name: &str| {
        if into_dir {
            dest.join(name)
        } else {
            dest.clone()
        }
    };
    for f in found {
        let name = Path::new(&f.rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if f.is_dir {
            d.copy(f, &dest, attrs)?;
        } else if is_add && sources::is_archive(&f.path(Path::new(""))) {
            let input = std::io::BufReader::new(fs_err::File::open(f.path(Path::new("")))?);
            d.extract(input, &dest, attrs.owner)?;
        } else {
            d.copy(f, &target(&name), attrs)?;
        }
    }
    for (name, content) in heredocs {
        let mode = attrs.mode.unwrap_or(0o644);
        d.file(
            &target(name),
            &mut content.as_bytes(),
            mode,
            attrs.owner.unwrap_or((0, 0)),
        )?;
    }
    for (_, path) in urls {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut f = fs_err::File::open(path)?;
        d.file(
            &target(&name),
            &mut f,
            attrs.mode.unwrap_or(0o600),
            attrs.owner.unwrap_or((0, 0)),
        )?;
    }
    Ok(())
}

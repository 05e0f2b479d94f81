//! `-v/--volume`, `--mount` and `--tmpfs` values, parsed into mount
//! requests (pure). Resolving a request (creating a volume, checking that a
//! bind source exists, confining the target to the rootfs) happens later.

use std::path::PathBuf;

/// Where a mount's content comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum MountSource {
    /// A host path.
    Bind { source: PathBuf },
    /// A named volume, or an anonymous one (`name: None`).
    Volume { name: Option<String> },
    /// A fresh tmpfs.
    Tmpfs {
        size: Option<String>,
        mode: Option<u32>,
    },
}

/// How a bind mount propagates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Propagation {
    Private,
    Rprivate,
    Shared,
    Rshared,
    Slave,
    Rslave,
}

/// SELinux relabelling asked for with `z`/`Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relabel {
    Shared,
    Private,
}

/// One mount a container asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MountRequest {
    pub source: MountSource,
    /// Absolute path inside the container.
    pub destination: PathBuf,
    pub readonly: bool,
    /// `U`: chown the source to the container's user.
    pub chown: bool,
    pub relabel: Option<Relabel>,
    pub propagation: Option<Propagation>,
    /// `nosuid`, `nodev`, `noexec` (and their opposites unset them).
    pub nosuid: bool,
    pub nodev: bool,
    pub noexec: bool,
    /// Non-recursive bind (`bind` rather than the default `rbind`).
    pub non_recursive: bool,
    /// `volume-nocopy`/`nocopy`: do not populate a new volume from the image.
    pub nocopy: bool,
}

impl MountRequest {
    fn new(source: MountSource, destination: PathBuf) -> MountRequest {
        MountRequest {
            source,
            destination,
            readonly: false,
            chown: false,
            relabel: None,
            propagation: None,
            nosuid: false,
            nodev: false,
            noexec: false,
            non_recursive: false,
            nocopy: false,
        }
    }
}

/// A mount value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid {flag} `{value}`: {reason}{}", hint_line(.hint))]
pub struct MountSpecError {
    pub flag: &'static str,
    pub value: String,
    pub reason: String,
    pub hint: Option<String>,
}

fn hint_line(h: &Option<String>) -> String {
    h.as_ref()
        .map(|h| format!("\nhint: {h}"))
        .unwrap_or_default()
}

/// Whether `name` is a valid volume name (Podman's rule).
pub fn valid_volume_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn destination(s: &str) -> Result<PathBuf, (String, Option<String>)> {
    if s.is_empty() {
        return Err(("no container path".into(), None));
    }
    if !s.starts_with('/') {
        return Err((
            format!("container path `{s}` is not absolute"),
            Some(format!("write it as `/{s}`")),
        ));
    }
    let p = PathBuf::from(s);
    if p.components()
        .all(|c| matches!(c, std::path::Component::RootDir))
    {
        return Err((
            "cannot mount over the container's `/`".into(),
            Some("mount a sub-directory such as `/data`".into()),
        ));
    }
    if p.components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err((format!("container path `{s}` contains `..`"), None));
    }
    Ok(p)
}

/// Apply one option word shared by `-v` and `--tmpfs`.
fn apply_option(m: &mut MountRequest, opt: &str, seen_rw: &mut Option<bool>) -> Result<(), String> {
    let mut set_rw = |ro: bool| -> Result<(), String> {
        if seen_rw.is_some_and(|prev| prev != ro) {
            return Err("both `ro` and `rw` given".into());
        }
        *seen_rw = Some(ro);
        Ok(())
    };
    match opt {
        "ro" | "readonly" => {
            set_rw(true)?;
            m.readonly = true;
        }
        "rw" => {
            set_rw(false)?;
            m.readonly = false;
        }
        "z" => m.relabel = Some(Relabel::Shared),
        "Z" => m.relabel = Some(Relabel::Private),
        "U" => m.chown = true,
        "nosuid" => m.nosuid = true,
        "suid" => m.nosuid = false,
        "nodev" => m.nodev = true,
        "dev" => m.nodev = false,
        "noexec" => m.noexec = true,
        "exec" => m.noexec = false,
        "bind" => m.non_recursive = true,
        "rbind" => m.non_recursive = false,
        "nocopy" => m.nocopy = true,
        "copy" => m.nocopy = false,
        "private" => m.propagation = Some(Propagation::Private),
        "rprivate" => m.propagation = Some(Propagation::Rprivate),
        "shared" => m.propagation = Some(Propagation::Shared),
        "rshared" => m.propagation = Some(Propagation::Rshared),
        "slave" => m.propagation = Some(Propagation::Slave),
        "rslave" => m.propagation = Some(Propagation::Rslave),
        other => return Err(format!("unknown option `{other}`")),
    }
    Ok(())
}

fn options_valid(opts: &str) -> bool {
    let mut probe = MountRequest::new(MountSource::Volume { name: None }, PathBuf::from("/"));
    let mut seen = None;
    opts.split(',')
        .all(|o| apply_option(&mut probe, o, &mut seen).is_ok())
}

/// Parse `-v [SRC:]DST[:OPTS]`.
pub fn parse_volume(value: &str) -> Result<MountRequest, MountSpecError> {
    let err = |(reason, hint): (String, Option<String>)| MountSpecError {
        flag: "--volume",
        value: value.to_string(),
        reason,
        hint,
    };
    let parts: Vec<&str> = value.split(':').collect();
    // Two parts are `DST:OPTIONS` when the second part is a valid option
    // list (Podman's rule), else `SRC:DST`.
    let (src, dst, opts) = match parts.as_slice() {
        [dst] => (None, *dst, None),
        [a, b] if options_valid(b) => (None, *a, Some(*b)),
        [a, b] => (Some(*a), *b, None),
        [a, b, c] => (Some(*a), *b, Some(*c)),
        _ => {
            return Err(err((
                "too many `:`".into(),
                Some("use SOURCE:DESTINATION[:OPTIONS]".into()),
            )));
        }
    };
    let destination = destination(dst).map_err(err)?;
    let source = match src {
        None => MountSource::Volume { name: None },
        Some("") => return Err(err(("empty source".into(), None))),
        Some(s) if s.starts_with('/') => MountSource::Bind {
            source: PathBuf::from(s),
        },
        Some(s) if s.starts_with('.') || s.starts_with('~') || s.contains('/') => {
            return Err(err((
                format!("bind source `{s}` is not an absolute path"),
                Some(format!(
                    "give the full path, e.g. `-v \"$PWD/{}:{}\"`",
                    s.trim_start_matches("./"),
                    dst
                )),
            )));
        }
        Some(name) if valid_volume_name(name) => MountSource::Volume {
            name: Some(name.to_string()),
        },
        Some(name) => {
            return Err(err((
                format!("`{name}` is neither an absolute path nor a valid volume name"),
                Some("volume names start with a letter or digit and contain only letters, digits, `_`, `.` and `-`".into()),
            )));
        }
    };
    let mut m = MountRequest::new(source, destination);
    let mut seen = None;
    for opt in opts.unwrap_or("").split(',').filter(|o| !o.is_empty()) {
        apply_option(&mut m, opt, &mut seen).map_err(|r| err((r, None)))?;
    }
    Ok(m)
}

/// Parse `--tmpfs DST[:OPTS]` (options: the mount flags above plus
/// `size=`, `mode=`). As in Podman, such a tmpfs is `noexec` unless
/// `exec` is given.
pub fn parse_tmpfs(value: &str) -> Result<MountRequest, MountSpecError> {
    let err = |(reason, hint): (String, Option<String>)| MountSpecError {
        flag: "--tmpfs",
        value: value.to_string(),
        reason,
        hint,
    };
    let (dst, opts) = value.split_once(':').unwrap_or((value, ""));
    let destination = destination(dst).map_err(err)?;
    let mut m = MountRequest::new(
        MountSource::Tmpfs {
            size: None,
            mode: None,
        },
        destination,
    );
    m.noexec = true;
    let mut seen = None;
    for opt in opts.split(',').filter(|o| !o.is_empty()) {
        tmpfs_option(&mut m, opt, &mut seen).map_err(|r| err((r, None)))?;
    }
    Ok(m)
}

fn tmpfs_option(m: &mut MountRequest, opt: &str, seen: &mut Option<bool>) -> Result<(), String> {
    let MountSource::Tmpfs { size, mode } = &mut m.source else {
        unreachable!("tmpfs request")
    };
    if let Some(v) = opt
        .strip_prefix("size=")
        .or_else(|| opt.strip_prefix("tmpfs-size="))
    {
        if v.is_empty()
            || !v
                .trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G', '%'])
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            return Err(format!("tmpfs size `{v}` is not a size like 64m"));
        }
        *size = Some(v.to_string());
        return Ok(());
    }
    if let Some(v) = opt
        .strip_prefix("mode=")
        .or_else(|| opt.strip_prefix("tmpfs-mode="))
    {
        *mode = Some(
            u32::from_str_radix(v, 8)
                .ok()
                .filter(|m| *m <= 0o7777)
                .ok_or_else(|| format!("tmpfs mode `{v}` is not an octal mode"))?,
        );
        return Ok(());
    }
    apply_option(m, opt, seen)
}

/// Parse `--mount type=bind|volume|tmpfs,src=…,dst=…,…`.
pub fn parse_mount(value: &str) -> Result<MountRequest, MountSpecError> {
    let err = |reason: String, hint: Option<String>| MountSpecError {
        flag: "--mount",
        value: value.to_string(),
        reason,
        hint,
    };
    let mut kind = None;
    let mut src = None;
    let mut dst = None;
    let mut rest = Vec::new();
    for field in value.split(',').filter(|f| !f.is_empty()) {
        let (k, v) = field
            .split_once('=')
            .map(|(k, v)| (k, Some(v)))
            .unwrap_or((field, None));
        match (k, v) {
            ("type", Some(v)) => kind = Some(v.to_string()),
            ("source" | "src", Some(v)) => src = Some(v.to_string()),
            ("destination" | "dst" | "target", Some(v)) => dst = Some(v.to_string()),
            _ => rest.push((k, v)),
        }
    }
    let kind = kind.ok_or_else(|| {
        err(
            "no `type=`".into(),
            Some("add type=bind, type=volume or type=tmpfs".into()),
        )
    })?;
    let dst = dst.ok_or_else(|| {
        err(
            "no `target=`".into(),
            Some("add target=/path/in/container".into()),
        )
    })?;
    let destination = destination(&dst).map_err(|(r, h)| err(r, h))?;
    let source = match kind.as_str() {
        "bind" => {
            let s = src.ok_or_else(|| err("a bind mount needs `source=`".into(), None))?;
            if !s.starts_with('/') {
                return Err(err(
                    format!("bind source `{s}` is not an absolute path"),
                    Some("give the full host path".into()),
                ));
            }
            MountSource::Bind {
                source: PathBuf::from(s),
            }
        }
        "volume" => match src {
            None => MountSource::Volume { name: None },
            Some(n) if valid_volume_name(&n) => MountSource::Volume { name: Some(n) },
            Some(n) => return Err(err(format!("`{n}` is not a valid volume name"), None)),
        },
        "tmpfs" => {
            if src.is_some() {
                return Err(err("a tmpfs mount takes no `source=`".into(), None));
            }
            MountSource::Tmpfs {
                size: None,
                mode: None,
            }
        }
        other => {
            return Err(err(
                format!("unknown mount type `{other}`"),
                Some("use bind, volume or tmpfs".into()),
            ));
        }
    };
    let mut m = MountRequest::new(source, destination);
    let mut seen = None;
    for (k, v) in rest {
        let r = match (k, v) {
            ("readonly" | "ro", None | Some("true") | Some("1")) => {
                apply_option(&mut m, "ro", &mut seen)
            }
            ("readonly" | "ro", Some("false") | Some("0")) => apply_option(&mut m, "rw", &mut seen),
            ("bind-propagation", Some(p)) => apply_option(&mut m, p, &mut seen),
            ("relabel", Some("shared")) => apply_option(&mut m, "z", &mut seen),
            ("relabel", Some("private")) => apply_option(&mut m, "Z", &mut seen),
            ("bind-nonrecursive", None | Some("true")) => apply_option(&mut m, "bind", &mut seen),
            ("volume-nocopy", None | Some("true")) => apply_option(&mut m, "nocopy", &mut seen),
            ("U" | "chown", None | Some("true")) => apply_option(&mut m, "U", &mut seen),
            ("tmpfs-size" | "tmpfs-mode", Some(v))
                if matches!(m.source, MountSource::Tmpfs { .. }) =>
            {
                tmpfs_option(&mut m, &format!("{k}={v}"), &mut seen)
            }
            (opt, None) => apply_option(&mut m, opt, &mut seen),
            (k, Some(v)) => Err(format!("unknown option `{k}={v}`")),
        };
        r.map_err(|reason| err(reason, None))?;
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_forms() {
        let m = parse_volume("/host:/ctr:ro,Z").unwrap();
        assert_eq!(
            m.source,
            MountSource::Bind {
                source: "/host".into()
            }
        );
        assert_eq!(m.destination, PathBuf::from("/ctr"));
        assert!(m.readonly);
        assert_eq!(m.relabel, Some(Relabel::Private));
        let m = parse_volume("data:/var/lib/data").unwrap();
        assert_eq!(
            m.source,
            MountSource::Volume {
                name: Some("data".into())
            }
        );
        let m = parse_volume("/anon").unwrap();
        assert_eq!(m.source, MountSource::Volume { name: None });
        let m = parse_volume("/anon:ro").unwrap();
        assert_eq!(
            (m.source, m.readonly),
            (MountSource::Volume { name: None }, true)
        );
        let m = parse_volume("/h:/c:U,nosuid,rslave").unwrap();
        assert!(m.chown && m.nosuid);
        assert_eq!(m.propagation, Some(Propagation::Rslave));
    }

    #[test]
    fn volume_errors_name_the_fix() {
        for (v, want) in [
            ("./rel:/c", "not an absolute path"),
            ("rel/dir:/c", "not an absolute path"),
            ("/h:/", "container's `/`"),
            ("/h:c", "not absolute"),
            ("/h:/c:bogus", "unknown option"),
            ("/h:/c:ro,rw", "both `ro` and `rw`"),
            ("-bad:/c", "valid volume name"),
            ("a:b:c:d", "too many"),
            ("/h:/c/../x", "`..`"),
            (":/c", "empty source"),
        ] {
            let e = parse_volume(v).unwrap_err();
            assert!(e.reason.contains(want), "{v}: {e}");
            assert!(e.to_string().contains(v));
        }
        assert!(
            parse_volume("./rel:/c")
                .unwrap_err()
                .to_string()
                .contains("hint: give the full path")
        );
    }

    #[test]
    fn mount_forms() {
        let m =
            parse_mount("type=bind,source=/a,target=/b,readonly,bind-propagation=rshared").unwrap();
        assert_eq!(
            m.source,
            MountSource::Bind {
                source: "/a".into()
            }
        );
        assert!(m.readonly);
        assert_eq!(m.propagation, Some(Propagation::Rshared));
        let m = parse_mount("type=volume,src=v1,dst=/d,volume-nocopy").unwrap();
        assert_eq!(
            m.source,
            MountSource::Volume {
                name: Some("v1".into())
            }
        );
        assert!(m.nocopy);
        let m = parse_mount("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1777").unwrap();
        assert_eq!(
            m.source,
            MountSource::Tmpfs {
                size: Some("64m".into()),
                mode: Some(0o1777)
            }
        );
        assert!(
            !parse_mount("type=bind,src=/a,dst=/b,ro=false")
                .unwrap()
                .readonly
        );
    }

    #[test]
    fn mount_errors() {
        for (v, want) in [
            ("src=/a,dst=/b", "no `type=`"),
            ("type=bind,src=/a", "no `target=`"),
            ("type=bind,dst=/b", "needs `source=`"),
            ("type=bind,src=rel,dst=/b", "not an absolute path"),
            ("type=nfs,dst=/b", "unknown mount type"),
            ("type=tmpfs,src=/x,dst=/b", "takes no `source=`"),
            ("type=bind,src=/a,dst=/b,color=red", "unknown option"),
            ("type=tmpfs,dst=/b,tmpfs-mode=99999", "octal"),
        ] {
            let e = parse_mount(v).unwrap_err();
            assert!(e.reason.contains(want), "{v}: {e}");
        }
    }

    #[test]
    fn tmpfs_forms() {
        let m = parse_tmpfs("/run:rw,size=64m,mode=755,noexec").unwrap();
        assert_eq!(
            m.source,
            MountSource::Tmpfs {
                size: Some("64m".into()),
                mode: Some(0o755)
            }
        );
        assert!(m.noexec);
        assert!(parse_tmpfs("/t").unwrap().noexec);
        assert!(!parse_tmpfs("/t:exec").unwrap().noexec);
        assert!(!parse_mount("type=tmpfs,dst=/t").unwrap().noexec);
        assert!(parse_tmpfs("run").is_err());
        assert!(parse_tmpfs("/run:size=lots").is_err());
    }
}

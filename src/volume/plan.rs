//! A container's mount plan (pure): the parsed `-v`/`--mount`/`--tmpfs`
//! requests, `--volumes-from` and the image's `VOLUME`s merged into one
//! list with host sources, and that list as OCI spec mounts (with the
//! `--read-only` tmpfs mounts and the `/dev/shm` size).

use std::path::{Component, Path, PathBuf};

use oci_spec::runtime::{Mount, MountBuilder};
use serde::{Deserialize, Serialize};

use crate::mountspec::{MountRequest, MountSource, Propagation};

/// The annotation that lists the destinations of volume mounts to be
/// populated from the image on first use (read by rctl's runtime).
pub const COPY_UP_ANNOTATION: &str = "io.rctl.volume-copyup";

/// Default `/dev/shm` size (Podman's 64 MiB).
pub const DEFAULT_SHM_SIZE: u64 = 64 << 20;

/// Paths `--read-only` covers with a tmpfs (unless `--read-only-tmpfs=false`)
/// and their modes.
pub const READ_ONLY_TMPFS: &[(&str, &str)] =
    &[("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755")];

/// One mount of a container, its source resolved to a host path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMount {
    /// What was asked; a volume here always has a name (anonymous ones get
    /// a generated one).
    pub request: MountRequest,
    /// The host path bound: the bind source or the volume's `_data`;
    /// `None` for tmpfs.
    pub source: Option<PathBuf>,
}

/// Everything about a container's mounts, stored in its config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPlan {
    pub mounts: Vec<PlannedMount>,
    /// The anonymous volumes this container created (and owns).
    #[serde(default)]
    pub anonymous: Vec<String>,
    /// Named volumes created for this container because they did not exist
    /// (removed again when the create fails).
    #[serde(default, skip_serializing)]
    pub created: Vec<String>,
    /// With `--read-only`: tmpfs on `/tmp`, `/var/tmp`, `/run`.
    #[serde(default)]
    pub read_only_tmpfs: bool,
    /// `--shm-size` in bytes.
    #[serde(default)]
    pub shm_size: Option<u64>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error(
        "two mounts on `{0}` in the container\nhint: give each container path only once across -v, --mount, --tmpfs"
    )]
    Duplicate(String),
    #[error("the image's VOLUME `{0}` is not a usable path")]
    BadImageVolume(String),
    #[error("invalid --shm-size `{0}`\nhint: give a positive size such as 64m (units b, k, m, g)")]
    ShmSize(String),
}

/// Parse a size like `64m`, `1g`, `4096` (bytes), `512k`.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let (num, mult) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        None => (t.as_str(), 1u64),
        Some((i, _)) => {
            let mult = match &t[i..] {
                "b" => 1,
                "k" | "kb" | "kib" => 1 << 10,
                "m" | "mb" | "mib" => 1 << 20,
                "g" | "gb" | "gib" => 1 << 30,
                _ => return None,
            };
            (&t[..i], mult)
        }
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
}

/// `--shm-size`, checked.
pub fn shm_size(s: Option<&str>) -> Result<Option<u64>, PlanError> {
    s.map(|s| parse_size(s).ok_or_else(|| PlanError::ShmSize(s.to_string())))
        .transpose()
}

/// An image VOLUME path made absolute and clean (`data` → `/data`); `..`
/// and `/` are refused.
fn image_volume_path(v: &str) -> Result<PathBuf, PlanError> {
    let p = Path::new("/").join(v);
    let clean: PathBuf = p
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if clean
        .components()
        .any(|c| matches!(c, Component::ParentDir))
        || clean.components().all(|c| matches!(c, Component::RootDir))
    {
        return Err(PlanError::BadImageVolume(v.to_string()));
    }
    Ok(clean)
}

/// Merge the requests into a plan. `requests` come from `-v`, `--mount`,
/// `--tmpfs` (in that order); `from` are the mounts taken with
/// `--volumes-from`; `image_volumes` the image's `VOLUME` paths. A user's
/// mount wins over `--volumes-from` and the image on the same path.
/// `volume_data` gives a volume's host directory, `anonymous_name` a new
/// anonymous volume's name.
pub fn build(
    requests: Vec<MountRequest>,
    from: Vec<PlannedMount>,
    image_volumes: &[String],
    volume_data: &dyn Fn(&str) -> PathBuf,
    anonymous_name: &mut dyn FnMut() -> String,
) -> Result<MountPlan, PlanError> {
    let mut plan = MountPlan::default();
    let taken = |plan: &MountPlan, d: &Path| plan.mounts.iter().any(|m| m.request.destination == d);
    for mut r in requests {
        if taken(&plan, &r.destination) {
            return Err(PlanError::Duplicate(r.destination.display().to_string()));
        }
        let source = match &mut r.source {
            MountSource::Bind { source } => Some(source.clone()),
            MountSource::Volume { name } => {
                let n = match name {
                    Some(n) => n.clone(),
                    None => {
                        let n = anonymous_name();
                        plan.anonymous.push(n.clone());
                        *name = Some(n.clone());
                        n
                    }
                };
                Some(volume_data(&n))
            }
            MountSource::Tmpfs { .. } => None,
        };
        plan.mounts.push(PlannedMount { request: r, source });
    }
    for m in from {
        if !taken(&plan, &m.request.destination) {
            plan.mounts.push(m);
        }
    }
    for v in image_volumes {
        let dest = image_volume_path(v)?;
        if taken(&plan, &dest) {
            continue;
        }
        let n = anonymous_name();
        plan.anonymous.push(n.clone());
        let mut r = crate::mountspec::parse_volume(&dest.to_string_lossy())
            .map_err(|_| PlanError::BadImageVolume(v.clone()))?;
        r.source = MountSource::Volume {
            name: Some(n.clone()),
        };
        plan.mounts.push(PlannedMount {
            request: r,
            source: Some(volume_data(&n)),
        });
    }
    Ok(plan)
}

/// The mounts taken from another container with `--volumes-from CTR[:ro|rw]`
/// (binds and volumes; tmpfs are the other container's own).
pub fn volumes_from(other: &MountPlan, mode: Option<bool>) -> Vec<PlannedMount> {
    other
        .mounts
        .iter()
        .filter(|m| !matches!(m.request.source, MountSource::Tmpfs { .. }))
        .cloned()
        .map(|mut m| {
            if let Some(ro) = mode {
                m.request.readonly = ro;
            }
            m
        })
        .collect()
}

/// Split `CTR[:ro|rw]`.
pub fn parse_volumes_from(s: &str) -> Result<(&str, Option<bool>), String> {
    match s.rsplit_once(':') {
        None => Ok((s, None)),
        Some((c, "ro")) => Ok((c, Some(true))),
        Some((c, "rw")) => Ok((c, Some(false))),
        Some((_, o)) => Err(format!(
            "invalid --volumes-from `{s}`: unknown option `{o}`\nhint: use CONTAINER, CONTAINER:ro or CONTAINER:rw"
        )),
    }
}

fn propagation(p: Propagation) -> &'static str {
    match p {
        Propagation::Private => "private",
        Propagation::Rprivate => "rprivate",
        Propagation::Shared => "shared",
        Propagation::Rshared => "rshared",
        Propagation::Slave => "slave",
        Propagation::Rslave => "rslave",
    }
}

fn oci_mount(dest: &Path, typ: &str, source: &Path, options: Vec<String>) -> Mount {
    MountBuilder::default()
        .destination(dest)
        .typ(typ)
        .source(source)
        .options(options)
        .build()
        .expect("every field of the mount is set")
}

/// The plan's mounts as OCI spec mounts, after the defaults: the user's
/// mounts, then (with `read_only`) tmpfs on the paths no mount covers.
pub fn oci_mounts(plan: &MountPlan, read_only: bool) -> Vec<Mount> {
    let mut out = Vec::new();
    if read_only && plan.read_only_tmpfs {
        for (dest, mode) in READ_ONLY_TMPFS {
            if plan
                .mounts
                .iter()
                .any(|m| m.request.destination == Path::new(dest))
            {
                continue;
            }
            out.push(oci_mount(
                Path::new(dest),
                "tmpfs",
                Path::new("tmpfs"),
                ["rw", "nosuid", "nodev", &format!("mode={mode}")]
                    .map(String::from)
                    .to_vec(),
            ));
        }
    }
    // Parents before children (`/a` before `/a/b`), else in order given.
    let mut sorted: Vec<&PlannedMount> = plan.mounts.iter().collect();
    sorted.sort_by_key(|m| m.request.destination.components().count());
    for m in sorted {
        let r = &m.request;
        let mut opts = Vec::new();
        let flags = |opts: &mut Vec<String>| {
            for (on, name) in [
                (r.nosuid, "nosuid"),
                (r.nodev, "nodev"),
                (r.noexec, "noexec"),
            ] {
                if on {
                    opts.push(name.to_string());
                }
            }
        };
        match (&r.source, &m.source) {
            (MountSource::Tmpfs { size, mode }, _) => {
                opts.extend(["nosuid", "nodev"].map(String::from));
                if r.noexec {
                    opts.push("noexec".into());
                }
                if r.readonly {
                    opts.push("ro".into());
                }
                if let Some(s) = size {
                    opts.push(format!("size={s}"));
                }
                opts.push(format!("mode={:o}", mode.unwrap_or(0o1777)));
                out.push(oci_mount(&r.destination, "tmpfs", Path::new("tmpfs"), opts));
            }
            (_, Some(source)) => {
                opts.push(if r.non_recursive { "bind" } else { "rbind" }.into());
                if r.readonly {
                    opts.push("ro".into());
                }
                flags(&mut opts);
                if let Some(p) = r.propagation {
                    opts.push(propagation(p).into());
                }
                out.push(oci_mount(&r.destination, "bind", source, opts));
            }
            (_, None) => {}
        }
    }
    out
}

/// The destinations of volume mounts to populate from the image.
pub fn copy_up_destinations(plan: &MountPlan) -> Vec<String> {
    plan.mounts
        .iter()
        .filter(|m| matches!(m.request.source, MountSource::Volume { .. }) && !m.request.nocopy)
        .map(|m| m.request.destination.to_string_lossy().into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mountspec::{parse_mount, parse_tmpfs, parse_volume};

    fn data(n: &str) -> PathBuf {
        PathBuf::from(format!("/v/{n}/_data"))
    }

    fn counter() -> impl FnMut() -> String {
        let mut i = 0;
        move || {
            i += 1;
            format!("anon{i}")
        }
    }

    #[test]
    fn requests_resolve_sources() {
        let reqs = vec![
            parse_volume("/h:/b:ro").unwrap(),
            parse_volume("named:/n").unwrap(),
            parse_volume("/a").unwrap(),
            parse_tmpfs("/t:size=1m").unwrap(),
        ];
        let plan = build(
            reqs,
            vec![],
            &["/img".into(), "/a".into()],
            &data,
            &mut counter(),
        )
        .unwrap();
        let src: Vec<Option<PathBuf>> = plan.mounts.iter().map(|m| m.source.clone()).collect();
        assert_eq!(
            src,
            vec![
                Some("/h".into()),
                Some(data("named")),
                Some(data("anon1")),
                None,
                Some(data("anon2")),
            ]
        );
        // The image's `/a` is covered by the user's mount: one anonymous
        // volume for `-v /a`, one for `/img`.
        assert_eq!(plan.anonymous, ["anon1", "anon2"]);
        assert_eq!(plan.mounts[4].request.destination, Path::new("/img"));
        assert_eq!(copy_up_destinations(&plan), ["/n", "/a", "/img"]);
    }

    #[test]
    fn duplicates_and_bad_image_volumes() {
        let reqs = vec![
            parse_volume("/h:/d").unwrap(),
            parse_mount("type=tmpfs,dst=/d").unwrap(),
        ];
        assert_eq!(
            build(reqs, vec![], &[], &data, &mut counter()),
            Err(PlanError::Duplicate("/d".into()))
        );
        for bad in ["/", "../x", "/a/../../b"] {
            assert!(build(vec![], vec![], &[bad.into()], &data, &mut counter()).is_err());
        }
        let plan = build(vec![], vec![], &["rel".into()], &data, &mut counter()).unwrap();
        assert_eq!(plan.mounts[0].request.destination, Path::new("/rel"));
    }

    #[test]
    fn volumes_from_keeps_binds_and_volumes() {
        let other = build(
            vec![
                parse_volume("/h:/b").unwrap(),
                parse_volume("v:/v:ro").unwrap(),
                parse_tmpfs("/t").unwrap(),
            ],
            vec![],
            &[],
            &data,
            &mut counter(),
        )
        .unwrap();
        let taken = volumes_from(&other, None);
        assert_eq!(taken.len(), 2);
        assert!(taken[1].request.readonly);
        assert!(
            volumes_from(&other, Some(true))
                .iter()
                .all(|m| m.request.readonly)
        );
        // A user's mount on the same path wins; the other container's
        // anonymous volumes stay its own.
        let plan = build(
            vec![parse_volume("/mine:/b").unwrap()],
            taken,
            &[],
            &data,
            &mut counter(),
        )
        .unwrap();
        assert_eq!(plan.mounts[0].source, Some("/mine".into()));
        assert_eq!(plan.mounts.len(), 2);
        assert!(plan.anonymous.is_empty());
        assert_eq!(parse_volumes_from("c:ro").unwrap(), ("c", Some(true)));
        assert_eq!(parse_volumes_from("c").unwrap(), ("c", None));
        assert!(parse_volumes_from("c:x").is_err());
    }

    #[test]
    fn oci_mounts_and_read_only_tmpfs() {
        let mut plan = build(
            vec![
                parse_volume("/h:/b:ro,nosuid,rslave").unwrap(),
                parse_tmpfs("/tmp:size=1m,mode=700").unwrap(),
            ],
            vec![],
            &[],
            &data,
            &mut counter(),
        )
        .unwrap();
        plan.read_only_tmpfs = true;
        let m = oci_mounts(&plan, true);
        let dests: Vec<&Path> = m.iter().map(|m| m.destination().as_path()).collect();
        // `/tmp` is the user's tmpfs, not the read-only default.
        assert_eq!(
            dests,
            [
                Path::new("/var/tmp"),
                Path::new("/run"),
                Path::new("/b"),
                Path::new("/tmp")
            ]
        );
        let b = &m[2];
        assert_eq!(b.typ().as_deref(), Some("bind"));
        assert_eq!(
            b.options().clone().unwrap(),
            ["rbind", "ro", "nosuid", "rslave"]
        );
        assert_eq!(
            m[3].options().clone().unwrap(),
            ["nosuid", "nodev", "noexec", "size=1m", "mode=700"]
        );
        assert_eq!(oci_mounts(&plan, false).len(), 2);
        plan.read_only_tmpfs = false;
        assert_eq!(oci_mounts(&plan, true).len(), 2);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64m"), Some(64 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("512kb"), Some(512 << 10));
        for bad in ["", "0", "m", "1x", "-1", "1.5g"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert!(
            shm_size(Some("lots"))
                .unwrap_err()
                .to_string()
                .contains("hint:")
        );
    }
}

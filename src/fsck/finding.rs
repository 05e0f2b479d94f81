//! What `rctl system check` finds and what a repair does, as data, plus
//! the pure parsing of the leftover names interrupted commands leave.

use std::path::PathBuf;

use serde::Serialize;

/// The kinds of damage the check knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The image database failed SQLite's own check.
    Database,
    /// `layers/.tmp-*`: an extraction whose process died.
    HalfPulledLayer,
    /// `layers/.rm-*`: a layer removal whose process died.
    HalfRemovedLayer,
    /// A layer directory the database does not know.
    LayerWithoutRecord,
    /// A layer record whose directory is missing.
    RecordWithoutLayer,
    /// A layer record whose `l/` link is missing.
    MissingLink,
    /// An `l/` link no layer record names.
    DanglingLink,
    /// An image that lists a layer the store does not have.
    BrokenImage,
    /// The database says a container uses an image, but there is no such container.
    StaleImageUse,
    /// A container uses an image the database does not know it uses.
    UnrecordedImageUse,
    /// `containers/.tmp-*`: a create whose process died.
    HalfCreatedContainer,
    /// `containers/.rm-*`: a removal whose process died.
    HalfRemovedContainer,
    /// A container directory without a readable record.
    DamagedContainer,
    /// A temporary file of a process that died.
    TempFile,
    /// A container whose `create`/`run` died before it was done.
    InterruptedCreate,
    /// A `--rm` container that ended, or never started, and was not removed.
    LeftoverRmContainer,
    /// A container recorded as running whose monitor is gone.
    MonitorDied,
    /// A network helper still running for a container that is not.
    LeakedHelper,
    /// An attach socket of a container that is not running.
    StaleSocket,
    /// A mount under the store that no running container needs.
    OrphanMount,
    /// A build's step container whose build died.
    LeftoverBuildContainer,
    /// `build-cache/squash-<pid>` or a temporary file of a build that died.
    BuildLeftover,
    /// `volumes/.tmp-*`: a volume create whose process died.
    HalfCreatedVolume,
    /// `volumes/.rm-*`: a volume removal whose process died.
    HalfRemovedVolume,
}

impl Kind {
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// What `--repair` does about a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing rctl can do safely; the text says what the user can.
    Manual(String),
    RemovePath(PathBuf),
    /// Put a layer directory moved aside by a rolled-back `rmi` back.
    RestoreLayer {
        from: PathBuf,
        to: PathBuf,
    },
    /// Drop a layer record and the images that need it.
    DropLayerRecord {
        diff_id: String,
    },
    CreateLink {
        link: String,
        hex: String,
    },
    DropImage {
        id: String,
    },
    DropImageUse {
        image: String,
        container: String,
    },
    AddImageUse {
        image: String,
        container: String,
    },
    RemoveContainer {
        id: String,
    },
    /// Record the exit; kill the init first when it still runs (pid, start time).
    MarkExited {
        id: String,
        kill: Option<(i32, u64)>,
    },
    StopHelper {
        id: String,
    },
    Unmount(PathBuf),
}

impl Action {
    /// What the repair does, for people.
    pub fn describe(&self) -> String {
        match self {
            Action::Manual(t) => t.clone(),
            Action::RemovePath(p) => format!("remove `{}`", p.display()),
            Action::RestoreLayer { to, .. } => format!("move it back to `{}`", to.display()),
            Action::DropLayerRecord { .. } => {
                "drop the record and the images that need the layer".into()
            }
            Action::CreateLink { link, .. } => format!("create the link l/{link}"),
            Action::DropImage { .. } => "remove the image".into(),
            Action::DropImageUse { .. } => "forget the use".into(),
            Action::AddImageUse { .. } => "record the use".into(),
            Action::RemoveContainer { .. } => "remove the container".into(),
            Action::MarkExited { kill: Some(_), .. } => {
                "kill its processes and mark it exited".into()
            }
            Action::MarkExited { .. } => "mark it exited".into(),
            Action::StopHelper { .. } => "stop the helper".into(),
            Action::Unmount(p) => format!("unmount `{}`", p.display()),
        }
    }
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// The object: a path relative to the store, an image or container id.
    pub object: String,
    pub problem: String,
    #[serde(skip)]
    pub action: Action,
    /// What `--repair` does (or did).
    pub repair: String,
    pub repaired: bool,
    /// Why a repair failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Finding {
    pub fn new(
        kind: Kind,
        object: impl Into<String>,
        problem: impl Into<String>,
        action: Action,
    ) -> Finding {
        Finding {
            kind,
            object: object.into(),
            problem: problem.into(),
            repair: action.describe(),
            action,
            repaired: false,
            error: None,
        }
    }
}

/// A leftover directory of the image store: `.tmp-<hex16>-<pid>-<n>` (an
/// extraction) or `.rm-<hex>-<pid>-<n>` (a removal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub removal: bool,
    /// The layer's hex digest (or its start, or a word such as `imported`).
    pub hex: String,
    pub pid: u32,
}

/// Parse a leftover name of `layers/`; `None` for any other name.
pub fn parse_leftover(name: &str) -> Option<Leftover> {
    let (removal, rest) = match name.strip_prefix(".tmp-") {
        Some(r) => (false, r),
        None => (true, name.strip_prefix(".rm-")?),
    };
    let mut parts = rest.split('-');
    let hex = parts.next()?.to_string();
    let pid = parts.next()?.parse().ok()?;
    Some(Leftover { removal, hex, pid })
}

/// The pid of a squash directory of the build cache, `squash-<pid>`.
pub fn squash_dir_pid(name: &str) -> Option<u32> {
    name.strip_prefix("squash-")?.parse().ok()
}

/// The pid in a temporary file name that ends in `-<pid>` or `-<pid>.tar`
/// (`.container.json.tmp-<pid>`, `commit-<pid>.tar`); `None` for other names.
pub fn temp_file_pid(name: &str) -> Option<u32> {
    let stem = name.strip_suffix(".tar").unwrap_or(name);
    let is_temp = (name.starts_with('.') && stem.contains(".tmp-"))
        || (name.starts_with("commit-") && name.ends_with(".tar"));
    if !is_temp {
        return None;
    }
    stem.rsplit('-').next()?.parse().ok()
}

/// Whether `name` is a full id or layer digest: 64 lowercase hex digits.
pub fn is_full_hex(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Mount points from `/proc/self/mountinfo` text (octal escapes decoded).
pub fn mount_points(mountinfo: &str) -> Vec<PathBuf> {
    mountinfo
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|p| PathBuf::from(unescape_octal(p)))
        .collect()
}

fn unescape_octal(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        let hex = "a".repeat(64);
        assert_eq!(
            parse_leftover(&format!(".rm-{hex}-42-0")),
            Some(Leftover {
                removal: true,
                hex: hex.clone(),
                pid: 42
            })
        );
        assert_eq!(
            parse_leftover(".tmp-0123456789abcdef-7-3"),
            Some(Leftover {
                removal: false,
                hex: "0123456789abcdef".into(),
                pid: 7
            })
        );
        assert_eq!(parse_leftover(".tmp-imported-9-0").map(|l| l.pid), Some(9));
        assert_eq!(parse_leftover(&hex), None);
        assert_eq!(parse_leftover(".tmp-x"), None);
        assert_eq!(parse_leftover(".tmp-x-notapid-1"), None);
    }

    #[test]
    fn temp_files() {
        assert_eq!(temp_file_pid(".container.json.tmp-1234"), Some(1234));
        assert_eq!(temp_file_pid("commit-99.tar"), Some(99));
        assert_eq!(temp_file_pid("container.json"), None);
        assert_eq!(temp_file_pid("ctr.log"), None);
        assert_eq!(temp_file_pid(".x.tmp-abc"), None);
        assert_eq!(squash_dir_pid("squash-42"), Some(42));
        assert_eq!(squash_dir_pid("squash-"), None);
        assert_eq!(squash_dir_pid("mounts"), None);
        assert_eq!(
            temp_file_pid(&format!(".{}.json.tmp-7", "ab".repeat(32))),
            Some(7)
        );
    }

    #[test]
    fn hex_names() {
        assert!(is_full_hex(&"0f".repeat(32)));
        assert!(!is_full_hex(&"0F".repeat(32)));
        assert!(!is_full_hex("abc"));
    }

    #[test]
    fn mountinfo_points() {
        let text = "36 35 98:0 / /mnt/a\\040b rw,noatime master:1 - ext3 /dev/root rw\n\
                    37 35 0:5 / /home/u/.local/share/rctl/containers/x/merged rw - overlay overlay rw\n";
        assert_eq!(
            mount_points(text),
            [
                PathBuf::from("/mnt/a b"),
                PathBuf::from("/home/u/.local/share/rctl/containers/x/merged")
            ]
        );
    }

    #[test]
    fn every_action_is_described() {
        let a = Action::MarkExited {
            id: "x".into(),
            kill: Some((1, 2)),
        };
        assert!(a.describe().contains("kill"));
        let f = Finding::new(Kind::OrphanMount, "m", "p", Action::Unmount("/m".into()));
        assert_eq!(f.kind.name(), "orphan-mount");
        assert_eq!(f.repair, "unmount `/m`");
    }
}

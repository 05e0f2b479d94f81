//! Subordinate id ranges (`/etc/subuid`, `/etc/subgid`) and the id maps
//! rctl builds from them. Pure: parsing takes text, planning takes ranges.

use std::fmt;
use std::path::{Path, PathBuf};

/// One line of an `/etc/subuid`-style file that names the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubidRange {
    pub start: u32,
    pub count: u32,
    /// 1-based line number, for messages.
    pub line: usize,
}

/// One line of a `uid_map`/`gid_map`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IdMapEntry {
    pub container_id: u32,
    pub host_id: u32,
    pub size: u32,
}

/// Errors in a subordinate id file or in the ranges it gives.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubidError {
    #[error("`{file}` line {line}: {reason}")]
    Malformed {
        file: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("`{file}` line {line}: range {start}-{end} includes the user's own id {own}")]
    OverlapsOwnId {
        file: PathBuf,
        line: usize,
        start: u32,
        end: u64,
        own: u32,
    },
    #[error("`{file}` lines {first} and {second}: ranges overlap")]
    RangesOverlap {
        file: PathBuf,
        first: usize,
        second: usize,
    },
}

/// Parse the ranges of `user` (matched by name or by numeric id) from the
/// text of a subordinate id file. Any malformed line is an error, so that a
/// broken file is noticed rather than half-used.
pub fn parse_subid(
    text: &str,
    file: &Path,
    user_name: Option<&str>,
    user_id: u32,
) -> Result<Vec<SubidRange>, SubidError> {
    let mut ranges = Vec::new();
    let id_text = user_id.to_string();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let malformed = |reason: &str| SubidError::Malformed {
            file: file.to_path_buf(),
            line,
            reason: reason.to_string(),
        };
        let fields: Vec<&str> = content.split(':').collect();
        if fields.len() != 3 {
            return Err(malformed("expected `NAME:START:COUNT`"));
        }
        let owner = fields[0].trim();
        if owner.is_empty() {
            return Err(malformed("empty user name"));
        }
        let start: u32 = fields[1]
            .trim()
            .parse()
            .map_err(|_| malformed("START is not a number"))?;
        let count: u32 = fields[2]
            .trim()
            .parse()
            .map_err(|_| malformed("COUNT is not a number"))?;
        if count == 0 {
            return Err(malformed("COUNT is zero"));
        }
        if u64::from(start) + u64::from(count) > u64::from(u32::MAX) {
            return Err(malformed("range runs past the largest id"));
        }
        if owner == id_text || Some(owner) == user_name {
            ranges.push(SubidRange { start, count, line });
        }
    }
    Ok(ranges)
}

/// The id map for a user with these subordinate ranges: container id 0 is
/// the user's own id, and ids from 1 on are the ranges in file order.
/// An empty range list gives the single-id map `0 own 1`.
pub fn plan_map(
    own: u32,
    ranges: &[SubidRange],
    file: &Path,
) -> Result<Vec<IdMapEntry>, SubidError> {
    for range in ranges {
        let end = u64::from(range.start) + u64::from(range.count);
        if (u64::from(range.start)..end).contains(&u64::from(own)) {
            return Err(SubidError::OverlapsOwnId {
                file: file.to_path_buf(),
                line: range.line,
                start: range.start,
                end: end - 1,
                own,
            });
        }
    }
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            let a_end = u64::from(a.start) + u64::from(a.count);
            let b_end = u64::from(b.start) + u64::from(b.count);
            if u64::from(a.start) < b_end && u64::from(b.start) < a_end {
                return Err(SubidError::RangesOverlap {
                    file: file.to_path_buf(),
                    first: a.line,
                    second: b.line,
                });
            }
        }
    }
    let mut map = vec![IdMapEntry {
        container_id: 0,
        host_id: own,
        size: 1,
    }];
    let mut next: u64 = 1;
    for range in ranges {
        // The kernel accepts at most 340 lines; ids past u32::MAX cannot map.
        let room = u64::from(u32::MAX) - next;
        if room == 0 || map.len() >= 340 {
            break;
        }
        let size = u64::from(range.count).min(room) as u32;
        map.push(IdMapEntry {
            container_id: next as u32,
            host_id: range.start,
            size,
        });
        next += u64::from(size);
    }
    Ok(map)
}

/// Parse the text of `/proc/PID/uid_map` (or gid_map).
pub fn parse_proc_map(text: &str) -> Vec<IdMapEntry> {
    text.lines()
        .filter_map(|line| {
            let mut it = line.split_whitespace().map(|f| f.parse::<u32>());
            match (it.next(), it.next(), it.next()) {
                (Some(Ok(container_id)), Some(Ok(host_id)), Some(Ok(size))) => Some(IdMapEntry {
                    container_id,
                    host_id,
                    size,
                }),
                _ => None,
            }
        })
        .collect()
}

/// Whether a map is the initial namespace's identity map.
pub fn is_identity(map: &[IdMapEntry]) -> bool {
    matches!(
        map,
        [IdMapEntry {
            container_id: 0,
            host_id: 0,
            size: u32::MAX
        }]
    )
}

/// The arguments `newuidmap`/`newgidmap` take after the pid.
pub fn helper_args(map: &[IdMapEntry]) -> Vec<String> {
    map.iter()
        .flat_map(|e| {
            [
                e.container_id.to_string(),
                e.host_id.to_string(),
                e.size.to_string(),
            ]
        })
        .collect()
}

/// The text written to a `uid_map`/`gid_map` file.
pub fn map_text(map: &[IdMapEntry]) -> String {
    map.iter()
        .map(|e| format!("{} {} {}\n", e.container_id, e.host_id, e.size))
        .collect()
}

impl fmt::Display for IdMapEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.container_id, self.host_id, self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> &'static Path {
        Path::new("/etc/subuid")
    }

    #[test]
    fn parse_by_name_and_by_id_with_comments() {
        let text = "# comment\n\nalice:100000:65536\nbob:200000:65536\n1000:300000:10\n";
        let r = parse_subid(text, f(), Some("alice"), 1000).unwrap();
        assert_eq!(
            r,
            vec![
                SubidRange {
                    start: 100000,
                    count: 65536,
                    line: 3
                },
                SubidRange {
                    start: 300000,
                    count: 10,
                    line: 5
                },
            ]
        );
        assert!(
            parse_subid(text, f(), Some("carol"), 1002)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        for (text, line) in [
            ("alice:1:2\nbroken\n", 2),
            ("alice:x:2\n", 1),
            ("a:1:2\n\nalice:1:zero\n", 3),
            ("alice:1:0\n", 1),
            (":1:2\n", 1),
            ("alice:4294967295:2\n", 1),
            ("alice:1:2:3\n", 1),
        ] {
            match parse_subid(text, f(), Some("alice"), 1000) {
                Err(SubidError::Malformed { line: l, file, .. }) => {
                    assert_eq!(l, line, "{text:?}");
                    assert_eq!(file, f());
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn plan_maps_root_to_user_then_ranges() {
        let ranges = [
            SubidRange {
                start: 100000,
                count: 65536,
                line: 1,
            },
            SubidRange {
                start: 300000,
                count: 10,
                line: 2,
            },
        ];
        let map = plan_map(1000, &ranges, f()).unwrap();
        assert_eq!(
            map_text(&map),
            "0 1000 1\n1 100000 65536\n65537 300000 10\n"
        );
        assert_eq!(helper_args(&map[..1]), ["0", "1000", "1"]);
    }

    #[test]
    fn no_ranges_gives_single_map() {
        assert_eq!(map_text(&plan_map(1000, &[], f()).unwrap()), "0 1000 1\n");
    }

    #[test]
    fn range_over_own_id_is_refused() {
        let ranges = [SubidRange {
            start: 900,
            count: 200,
            line: 4,
        }];
        let err = plan_map(1000, &ranges, f()).unwrap_err();
        assert!(matches!(err, SubidError::OverlapsOwnId { line: 4, .. }));
        assert!(err.to_string().contains("line 4"));
    }

    #[test]
    fn overlapping_ranges_are_refused() {
        let ranges = [
            SubidRange {
                start: 100,
                count: 50,
                line: 1,
            },
            SubidRange {
                start: 120,
                count: 50,
                line: 2,
            },
        ];
        assert!(matches!(
            plan_map(1000, &ranges, f()),
            Err(SubidError::RangesOverlap {
                first: 1,
                second: 2,
                ..
            })
        ));
    }

    #[test]
    fn proc_map_round_trip_and_identity() {
        let m =
            parse_proc_map("         0       1000          1\n         1     100000      65536\n");
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].host_id, 100000);
        assert!(!is_identity(&m));
        assert!(is_identity(&parse_proc_map("0 0 4294967295\n")));
    }
}

//! `--user` and the image's USER: `uid[:gid]` or names, resolved through
//! the container's own `/etc/passwd` and `/etc/group` (read confined to the
//! root filesystem by the caller; parsing here is pure).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    pub uid: u32,
    pub gid: u32,
    pub additional_gids: Vec<u32>,
    pub home: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UserError {
    #[error("user `{0}` not found in the container's /etc/passwd")]
    NoUser(String),
    #[error("group `{0}` not found in the container's /etc/group")]
    NoGroup(String),
}

struct Passwd<'a> {
    name: &'a str,
    uid: u32,
    gid: u32,
    home: &'a str,
}

fn passwd_entries(text: &str) -> impl Iterator<Item = Passwd<'_>> {
    text.lines().filter_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 6).then(|| {
            Some(Passwd {
                name: f[0],
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: f[5],
            })
        })?
    })
}

/// `(name, gid, members)` of each group line.
fn group_entries(text: &str) -> impl Iterator<Item = (&str, u32, Vec<&str>)> {
    text.lines().filter_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 4).then(|| {
            Some((
                f[0],
                f[2].parse().ok()?,
                f[3].split(',').filter(|m| !m.is_empty()).collect(),
            ))
        })?
    })
}

/// Resolve `spec` (`""`, `uid`, `name`, `uid:gid`, `name:group`) against
/// the container's passwd and group texts.
pub fn resolve(spec: &str, passwd: &str, group: &str) -> Result<ResolvedUser, UserError> {
    let (u, g) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let u = if u.is_empty() { "0" } else { u };
    let entry = match u.parse::<u32>() {
        Ok(uid) => passwd_entries(passwd).find(|p| p.uid == uid).map_or(
            Passwd {
                name: "",
                uid,
                gid: if uid == 0 { 0 } else { uid },
                home: "/",
            },
            |p| p,
        ),
        Err(_) => passwd_entries(passwd)
            .find(|p| p.name == u)
            .ok_or_else(|| UserError::NoUser(u.to_string()))?,
    };
    let gid = match g {
        None => entry.gid,
        Some(g) => match g.parse::<u32>() {
            Ok(gid) => gid,
            Err(_) => group_entries(group)
                .find(|(n, _, _)| *n == g)
                .map(|(_, gid, _)| gid)
                .ok_or_else(|| UserError::NoGroup(g.to_string()))?,
        },
    };
    let additional_gids = if entry.name.is_empty() || g.is_some() {
        Vec::new()
    } else {
        group_entries(group)
            .filter(|(_, gid, members)| *gid != entry.gid && members.contains(&entry.name))
            .map(|(_, gid, _)| gid)
            .collect()
    };
    let home = if entry.uid == 0 && entry.name.is_empty() {
        "/root".to_string()
    } else {
        entry.home.to_string()
    };
    Ok(ResolvedUser {
        uid: entry.uid,
        gid,
        additional_gids,
        home,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n";
    const GROUP: &str = "root:x:0:\nalice:x:1000:\nwheel:x:10:alice\n";

    #[test]
    fn resolves_names_and_numbers() {
        let cases = [
            ("", (0, 0, vec![], "/root")),
            ("alice", (1000, 1000, vec![10], "/home/alice")),
            ("1000", (1000, 1000, vec![10], "/home/alice")),
            ("alice:wheel", (1000, 10, vec![], "/home/alice")),
            ("4242", (4242, 4242, vec![], "/")),
            ("4242:7", (4242, 7, vec![], "/")),
        ];
        for (spec, (uid, gid, extra, home)) in cases {
            let r = resolve(spec, PASSWD, GROUP).unwrap();
            assert_eq!(
                (r.uid, r.gid, r.additional_gids, r.home.as_str()),
                (uid, gid, extra, home),
                "{spec}"
            );
        }
    }

    #[test]
    fn unknown_names_are_errors() {
        assert_eq!(
            resolve("bob", PASSWD, GROUP),
            Err(UserError::NoUser("bob".into()))
        );
        assert_eq!(
            resolve("alice:nogroup", PASSWD, GROUP),
            Err(UserError::NoGroup("nogroup".into()))
        );
    }
}

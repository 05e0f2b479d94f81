//! `rctl system df|prune|reset|migrate`, `rctl events` and the disk budget
//! (`storage.max_size`), end to end as the unprivileged test user.

mod common;

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{TestEnv, stderr, stdout};
use serde_json::Value;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// `rctl ARGS` with `input` on stdin.
fn with_stdin(t: &TestEnv, args: &[&str], input: &str) -> std::process::Output {
    let mut child = t
        .rctl_cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn events(t: &TestEnv, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["events", "--stream=false", "--format", "json"];
    args.extend_from_slice(extra);
    t.ok(&args)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn df(t: &TestEnv) -> Vec<Value> {
    serde_json::from_str(&t.ok(&["system", "df", "--format", "json"])).unwrap()
}

fn row<'a>(rows: &'a [Value], kind: &str) -> &'a Value {
    rows.iter().find(|r| r["Type"] == kind).unwrap()
}

fn ps_names(t: &TestEnv) -> Vec<String> {
    t.ok(&["ps", "-a", "--format", "{{.Names}}"])
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn events_are_logged_filtered_and_streamed() {
    let Some(t) = TestEnv::new("sys_events") else {
        return;
    };
    t.import_busybox("localhost/bb", &["CMD [\"true\"]"]);
    let out = t.rctl(&[
        "run",
        "--rm",
        "--name",
        "once",
        "localhost/bb",
        "sh",
        "-c",
        "exit 3",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    t.ok(&["tag", "localhost/bb", "localhost/other:1"]);
    t.ok(&["untag", "localhost/bb", "localhost/other:1"]);

    let all = events(&t, &["--filter", "container=once"]);
    let statuses: Vec<&str> = all.iter().map(|e| e["Status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["create", "start", "died", "remove"], "{all:?}");
    assert_eq!(all[2]["Attributes"]["containerExitCode"], "3");
    assert_eq!(all[0]["Image"], "localhost/bb:latest");
    // Docker's spelling of a status works as a filter; two event= filters are alternatives.
    let died = events(&t, &["--filter", "event=die", "--filter", "event=start"]);
    assert_eq!(died.len(), 2, "{died:?}");
    let images = events(&t, &["--filter", "type=image"]);
    let statuses: Vec<&str> = images
        .iter()
        .map(|e| e["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["tag", "untag"], "{images:?}");
    assert!(events(&t, &["--since", "2099-01-01T00:00:00Z"]).is_empty());
    assert!(events(&t, &["--until", "2000-01-01T00:00:00Z"]).is_empty());
    assert_eq!(events(&t, &["--since", "1h"]).len(), all.len() + 2);
    let text = t.ok(&["events", "--stream=false", "--filter", "event=died"]);
    assert!(
        text.contains("container died") && text.contains("name=once"),
        "{text}"
    );
    for bad in [
        vec!["events", "--stream=false", "--filter", "colour=red"],
        vec!["events", "--stream=false", "--since", "yesterday"],
    ] {
        let out = t.rctl(&bad);
        assert_eq!(code(&out), 125, "{bad:?}");
        assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
    }

    // Streaming (the default): a follower sees an event appended after it started.
    let mut follower = t
        .rctl_cmd(&["events", "--filter", "event=start", "--format", "{{.Name}}"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = follower.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let _ = tx.send(line.unwrap_or_default());
        }
    });
    // The old start event comes first, then the new one.
    assert_eq!(rx.recv_timeout(Duration::from_secs(60)).unwrap(), "once");
    t.ok(&["run", "--rm", "--name", "later", "localhost/bb"]);
    let next = rx.recv_timeout(Duration::from_secs(60));
    let _ = follower.kill();
    let _ = follower.wait();
    assert_eq!(next.unwrap(), "later");
}

#[test]
fn df_prune_and_the_disk_budget() {
    let Some(t) = TestEnv::new("sys_df") else {
        return;
    };
    t.import_busybox("localhost/bb", &["CMD [\"true\"]"]);
    t.ok(&["volume", "create", "data"]);
    t.ok(&[
        "run",
        "--rm",
        "-v",
        "data:/data",
        "localhost/bb",
        "sh",
        "-c",
        "head -c 100000 /dev/zero > /data/f",
    ]);
    t.ok(&["create", "--name", "stopped", "localhost/bb"]);
    t.ok(&["run", "-d", "--name", "up", "localhost/bb", "sleep", "1000"]);
    let rows = df(&t);
    let images = row(&rows, "Images");
    assert_eq!(
        (images["Total"].as_u64(), images["Active"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(images["RawSize"].as_u64().unwrap() > 500_000, "{images}");
    assert_eq!(images["RawReclaimable"], 0);
    let containers = row(&rows, "Containers");
    assert_eq!(
        (containers["Total"].as_u64(), containers["Active"].as_u64()),
        (Some(2), Some(1))
    );
    let volumes = row(&rows, "Local Volumes");
    assert_eq!(
        (volumes["Total"].as_u64(), volumes["Active"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(
        volumes["RawReclaimable"].as_u64().unwrap() >= 100_000,
        "{volumes}"
    );
    let verbose = t.ok(&["system", "df", "-v"]);
    assert!(
        verbose.contains("localhost/bb:latest") && verbose.contains("stopped"),
        "{verbose}"
    );

    // No answer, no change; the until filter spares what is younger.
    let out = with_stdin(&t, &["system", "prune"], "n\n");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("WARNING!"), "{}", stderr(&out));
    assert_eq!(ps_names(&t).len(), 2);
    t.ok(&["system", "prune", "-f", "--filter", "until=1h"]);
    assert_eq!(ps_names(&t).len(), 2);
    let out = t.rctl(&["system", "prune", "-f", "--filter", "label=x"]);
    assert_eq!(code(&out), 125);
    let out = with_stdin(&t, &["system", "prune"], "y\n");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Deleted Containers"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ps_names(&t), ["up"]);
    // The running container's image stays even with -a.
    t.ok(&["system", "prune", "-a", "-f"]);
    assert_eq!(t.ok(&["images", "-q"]).lines().count(), 1);
    t.ok(&["rm", "-f", "up"]);
    let out = t.ok(&["system", "prune", "-a", "-f"]);
    assert!(out.contains("Deleted Images"), "{out}");
    assert_eq!(t.ok(&["images", "-q"]), "");
    assert_eq!(row(&df(&t), "Images")["RawSize"], 0);
    // Volumes only with --volumes.
    assert_eq!(t.ok(&["volume", "ls", "-q"]).trim(), "data");
    let out = t.ok(&["system", "prune", "-f", "--volumes"]);
    assert!(out.contains("Deleted Volumes\ndata\n"), "{out}");
    assert_eq!(t.ok(&["volume", "ls", "-q"]), "");

    // Budget: a second, different image pushes the store past max_size; the
    // least recently used unused image goes, the new one stays.
    t.import_busybox("localhost/old", &[]);
    let root2 = t.busybox_rootfs("rootfs2");
    std::fs::write(root2.join("bin/extra"), vec![7u8; 300_000]).unwrap();
    let tar2 = t.dir.join("rootfs2.tar");
    assert!(
        Command::new("tar")
            .arg("-C")
            .arg(&root2)
            .arg("-cf")
            .arg(&tar2)
            .arg(".")
            .status()
            .unwrap()
            .success()
    );
    t.chown_tree(&tar2);
    let used = row(&df(&t), "Images")["RawSize"].as_u64().unwrap();
    t.write_file(
        "home/.config/rctl/rctl.toml",
        &format!("[storage]\nmax_size = \"{}\"\n", used + 100_000),
    );
    let out = t.rctl(&["import", tar2.to_str().unwrap(), "localhost/new"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("removed least recently used image(s)")
            && stderr(&out).contains("localhost/old"),
        "{}",
        stderr(&out)
    );
    let names = t.ok(&["images", "--format", "{{.Repository}}"]);
    assert_eq!(names.trim(), "localhost/new");
    assert!(
        t.ok(&["system", "df"])
            .contains("Budget (storage.max_size)")
    );
    t.write_file(
        "home/.config/rctl/rctl.toml",
        "[storage]\nmax_size = \"lots\"\n",
    );
    let out = t.rctl(&["system", "df"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("max_size"), "{}", stderr(&out));
}

#[test]
fn migrate_restarts_the_namespace_and_reset_removes_everything() {
    let Some(mut t) = TestEnv::new("sys_reset") else {
        return;
    };
    t.import_busybox("localhost/bb", &[]);
    t.ok(&["run", "-d", "--name", "up", "localhost/bb", "sleep", "1000"]);
    let pause = TestEnv::pause_pid_of(&t.runroot()).expect("a pause process");
    // The subordinate ranges change (to a part of the real ones, which
    // newuidmap accepts): migrate stops everything and says how.
    let mut smaller = Vec::new();
    for (file, var) in [
        ("/etc/subuid", "RCTL_SUBUID_FILE"),
        ("/etc/subgid", "RCTL_SUBGID_FILE"),
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        let (start, _) = common::subid_ranges(&text, &t.user)[0];
        let path = t.write_file(var, &format!("{}:{start}:1000\n", t.user.name));
        t.extra_env.push((var.into(), path.display().to_string()));
        smaller.push(start);
    }
    let out = t.ok(&["system", "migrate"]);
    assert!(
        out.contains("stopped container up")
            && out.contains("stopped the pause process")
            && out.contains("will be"),
        "{out}"
    );
    assert_eq!(TestEnv::pause_pid_of(&t.runroot()), None);
    // The next command makes a new namespace with the new map; the
    // container survived, stopped.
    let map = common::map_triples(&t.ok(&["unshare", "cat", "/proc/self/uid_map"]));
    assert!(map.contains(&(1, smaller[0], 1000)), "{map:?}");
    let status = t.ok(&["ps", "-a", "--format", "{{.Status}}"]);
    assert!(status.starts_with("Exited"), "{status}");
    let again = TestEnv::pause_pid_of(&t.runroot()).expect("a new pause process");
    assert_ne!(again, pause);
    t.extra_env.clear();
    let out = t.ok(&["system", "migrate"]);
    assert!(!out.contains("stopped container"), "{out}");
    t.ok(&["start", "up"]);

    // Reset: "no" keeps everything; -f removes containers, store and runroot.
    let out = with_stdin(&t, &["system", "reset"], "no\n");
    assert_eq!(code(&out), 0);
    assert!(t.data_root().join("images.db").exists());
    let out = t.ok(&["system", "reset", "-f"]);
    assert!(out.contains("removed container up"), "{out}");
    assert!(!t.data_root().exists());
    assert!(!t.runroot().exists());
    assert_eq!(t.ok(&["images", "-q"]), "");
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    // A storage root that is not rctl's is never deleted.
    let foreign = t.write_file("foreign/keep.txt", "mine");
    t.chown_tree(foreign.parent().unwrap());
    let dir = foreign.parent().unwrap().to_str().unwrap().to_string();
    let out = t.rctl(&["--root", &dir, "system", "reset", "-f"]);
    assert_eq!(code(&out), 125);
    assert!(
        stderr(&out).contains("does not look like"),
        "{}",
        stderr(&out)
    );
    assert!(foreign.exists());
}

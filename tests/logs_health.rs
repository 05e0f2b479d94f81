//! What the monitor does besides running the container: log drivers with
//! real rotation and `logs` across rotated files, healthchecks, restart
//! policies. Real runtime, real binary, unprivileged user.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn inspect(t: &TestEnv, name: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", name])).unwrap();
    v[0].clone()
}

/// Poll `inspect NAME` until `done` holds (a generous deadline: this only
/// bounds a hang, it measures nothing).
fn wait_for(t: &TestEnv, name: &str, what: &str, done: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let v = inspect(t, name);
        if done(&v) {
            return;
        }
        assert!(Instant::now() < deadline, "{name}: never {what}: {v:#}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn log_files(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("ctr.log"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn rotation_keeps_max_file_files_and_logs_reads_across_them() {
    let Some(t) = TestEnv::new("log_rotation") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    // 300 000 lines of 100 bytes: 30 MB of output.
    let script = "yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123 | head -n 300000; for i in 1 2 3 4 5 6; do echo last-$i; done";
    let id = t.ok(&[
        "run",
        "-d",
        "--name",
        "big",
        "--log-opt",
        "max-size=1m,max-file=3",
        "--rootfs",
        rs,
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(t.ok(&["wait", "big"]).trim(), "0");
    let files = log_files(&t.data_root().join("containers").join(id.trim()));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["ctr.log", "ctr.log.1", "ctr.log.2"], "{files:?}");
    for (n, len) in &files {
        assert!(*len <= 1 << 20, "{n} has {len} bytes");
    }
    // The rotated files are full (rotation happened at ~1 MB, not earlier).
    assert!(
        files[1].1 > 1_000_000 && files[2].1 > 1_000_000,
        "{files:?}"
    );
    assert_eq!(
        t.ok(&["logs", "--tail", "5", "big"]),
        "last-2\nlast-3\nlast-4\nlast-5\nlast-6\n"
    );
    // `logs` reads the three files, oldest first: every record once.
    let all = t.ok(&["logs", "big"]);
    let records: usize = files
        .iter()
        .map(|(n, _)| {
            let p = t.data_root().join("containers").join(id.trim()).join(n);
            std::fs::read(p)
                .unwrap()
                .iter()
                .filter(|b| **b == b'\n')
                .count()
        })
        .sum();
    assert_eq!(all.lines().count(), records);
    assert!(records > 20_000, "{records}");
    assert!(all.ends_with("last-6\n"));
    // --until before the container ran: nothing; -t prefixes the time.
    assert_eq!(
        t.ok(&["logs", "--until", "2000-01-01T00:00:00Z", "big"]),
        ""
    );
    let stamped = t.ok(&["logs", "-t", "--tail", "1", "big"]);
    assert!(
        stamped.starts_with("20") && stamped.trim_end().ends_with("Z last-6"),
        "{stamped}"
    );
    assert_eq!(
        inspect(&t, "big")["HostConfig"]["LogConfig"]["Config"]["max-file"],
        "3"
    );

    // `logs -f` follows the live file through rotations: every line, in
    // order, exactly once (enough files kept that none is dropped).
    let id = t.ok(&[
        "run",
        "-d",
        "--name",
        "follow",
        "--log-opt",
        "max-size=8k",
        "--log-opt",
        "max-file=50",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "sleep 1; i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done",
    ]);
    let followed = t.ok(&["logs", "-f", "follow"]);
    let want: Vec<String> = (0..3000).map(|i| format!("line-{i}")).collect();
    let got: Vec<&str> = followed.lines().collect();
    let first_wrong = got.iter().zip(&want).position(|(g, w)| g != w);
    assert!(
        got.len() == want.len() && first_wrong.is_none(),
        "{} lines followed, first difference at {first_wrong:?}",
        got.len()
    );
    let files = log_files(&t.data_root().join("containers").join(id.trim()));
    assert!(files.len() > 5, "{files:?}");
    t.ok(&["rm", "big", "follow"]);
}

#[test]
fn json_file_none_passthrough_and_bad_values() {
    let Some(t) = TestEnv::new("log_drivers") else {
        return;
    };
    t.import_busybox("labelled", &["LABEL app=shop"]);
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let path = t.dir.join("logs/json.log");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    t.chown_tree(path.parent().unwrap());
    let path_opt = format!("path={}", path.display());
    let out = t.rctl(&[
        "run",
        "--name",
        "j",
        "--log-driver",
        "json-file",
        "--log-opt",
        &path_opt,
        "--log-opt",
        "env=APP,tag=web",
        "--log-opt",
        "labels=app,missing",
        "-e",
        "APP=prod",
        "labelled",
        "sh",
        "-c",
        "echo 'say \"hi\"'; echo oops >&2",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "say \"hi\"\n");
    // Docker's json-file lines, at the path asked for.
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    let out_line = lines.iter().find(|l| l["stream"] == "stdout").unwrap();
    assert_eq!(out_line["log"], "say \"hi\"\n");
    assert_eq!(out_line["attrs"]["APP"], "prod");
    // labels= from the image's labels; a label it lacks is left out.
    assert_eq!(out_line["attrs"]["app"], "shop");
    assert_eq!(out_line["attrs"].as_object().unwrap().len(), 3);
    assert_eq!(out_line["attrs"]["tag"], "web");
    let time = out_line["time"].as_str().unwrap();
    assert!(time.ends_with('Z') && time.contains('T'), "{time}");
    assert!(text.starts_with("{\"log\":"), "{text}");
    let err_line = lines.iter().find(|l| l["stream"] == "stderr").unwrap();
    assert_eq!(err_line["log"], "oops\n");
    // `logs` reads it back, each stream to its own.
    let out = t.rctl(&["logs", "j"]);
    assert_eq!(stdout(&out), "say \"hi\"\n");
    assert_eq!(stderr(&out), "oops\n");
    assert_eq!(
        inspect(&t, "j")["LogPath"].as_str().unwrap(),
        path.to_str().unwrap()
    );

    // none keeps nothing and `logs` says so.
    t.ok(&[
        "run",
        "--name",
        "quiet",
        "--log-driver",
        "none",
        "--rootfs",
        rs,
        "echo",
        "hi",
    ]);
    let out = t.rctl(&["logs", "quiet"]);
    assert_eq!(code(&out), 125);
    assert!(
        stderr(&out).contains("log driver is `none`"),
        "{}",
        stderr(&out)
    );

    // passthrough: the container writes to our stdout itself.
    let out = t.rctl(&[
        "run",
        "--name",
        "pass",
        "--log-driver",
        "passthrough",
        "--rootfs",
        rs,
        "echo",
        "direct",
    ]);
    assert_eq!(stdout(&out), "direct\n", "{}", stderr(&out));
    assert_eq!(code(&t.rctl(&["logs", "pass"])), 125);

    // Bad values: exit 125, a message naming the value, nothing created.
    let before = t.ok(&["ps", "-aq"]);
    for (args, needle) in [
        (vec!["--log-opt", "max-size=huge"], "max-size"),
        (vec!["--log-opt", "colour=red"], "colour"),
        (vec!["--log-opt", "max-file=3"], "max-size"),
        (
            vec!["--log-driver", "none", "--log-opt", "max-size=1m"],
            "none",
        ),
        (vec!["--log-driver", "carrier-pigeon"], "carrier-pigeon"),
        (vec!["--restart", "sometimes"], "sometimes"),
        (vec!["--restart", "on-failure:x"], "on-failure:x"),
        (vec!["--rm", "--restart", "always"], "--rm"),
        (vec!["--health-interval", "1s"], "--health-cmd"),
        (
            vec!["--health-cmd", "true", "--health-timeout", "soon"],
            "soon",
        ),
        (vec!["-d", "--log-driver", "passthrough"], "passthrough"),
    ] {
        let mut a = vec!["run"];
        a.extend(args.iter().copied());
        a.extend(["--rootfs", rs, "true"]);
        let out = t.rctl(&a);
        assert_eq!(code(&out), 125, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(t.ok(&["ps", "-aq"]), before);

    // journald: the native socket, or a clear error where there is none.
    let journal = Path::new("/run/systemd/journal/socket").exists();
    let out = t.rctl(&[
        "run",
        "--name",
        "jd",
        "--log-driver",
        "journald",
        "--rootfs",
        rs,
        "echo",
        "to the journal",
    ]);
    if journal {
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let logs = t.rctl(&["logs", "jd"]);
        assert!(stderr(&logs).contains("journalctl"), "{}", stderr(&logs));
    } else {
        assert_eq!(code(&out), 125);
        assert!(
            stderr(&out).contains("/run/systemd/journal/socket"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn restart_policies_and_stop() {
    let Some(t) = TestEnv::new("restart_policy") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    // on-failure:3: the first run and three restarts, then it stays down.
    let out = t.rctl(&[
        "run",
        "--name",
        "fail",
        "--restart",
        "on-failure:3",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "echo run; exit 1",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // The fourth run has logged (so it started), then it has exited.
    wait_for(&t, "fail", "restarted three times", |v| {
        v["RestartCount"] == 3 && v["State"]["Status"] == "exited" && v["State"]["ConmonPid"] == 0
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let runs = t.ok(&["logs", "fail"]).lines().count();
        let v = inspect(&t, "fail");
        if runs == 4 && v["State"]["Status"] == "exited" {
            break;
        }
        assert!(Instant::now() < deadline, "{runs} runs: {v:#}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Well past the next back-off (800 ms): no fourth restart.
    std::thread::sleep(Duration::from_secs(2));
    let v = inspect(&t, "fail");
    assert_eq!(v["RestartCount"], 3);
    assert_eq!(v["State"]["ExitCode"], 1);
    assert_eq!(v["HostConfig"]["RestartPolicy"]["Name"], "on-failure");
    assert_eq!(v["HostConfig"]["RestartPolicy"]["MaximumRetryCount"], 3);
    // Each run logged.
    assert_eq!(t.ok(&["logs", "fail"]), "run\n".repeat(4));

    // always: restarts after a clean exit; `stop` ends it for good.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "always",
        "--restart",
        "always",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "sleep 0.3",
    ]);
    wait_for(&t, "always", "restarted", |v| {
        v["RestartCount"].as_u64() >= Some(2)
    });
    t.ok(&["stop", "-t", "1", "always"]);
    let count = inspect(&t, "always")["RestartCount"].clone();
    std::thread::sleep(Duration::from_secs(2));
    let v = inspect(&t, "always");
    assert_eq!(v["State"]["Status"], "exited", "{v:#}");
    assert_eq!(v["RestartCount"], count);
    // `start` applies the policy again, from a count of zero.
    t.ok(&["start", "always"]);
    wait_for(&t, "always", "restarted after start", |v| {
        v["RestartCount"].as_u64() >= Some(1)
    });
    t.ok(&["stop", "-t", "1", "always"]);
    t.ok(&["rm", "fail", "always"]);
}

#[test]
fn healthchecks_turn_unhealthy_and_restart() {
    let Some(t) = TestEnv::new("healthcheck") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    // A check that always fails: unhealthy after two runs.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "sick",
        "--health-cmd",
        "echo checking; exit 3",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        "--rootfs",
        rs,
        "sleep",
        "600",
    ]);
    // A check that passes until /tmp/ok is removed; then the monitor
    // restarts the container (which creates /tmp/ok again).
    t.ok(&[
        "run",
        "-d",
        "--name",
        "flaky",
        "--health-cmd",
        "test -e /tmp/ok",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        "--health-on-failure",
        "restart",
        "--rootfs",
        rs,
        "sh",
        "-c",
        "touch /tmp/ok; exec sleep 600",
    ]);
    wait_for(&t, "sick", "unhealthy", |v| {
        v["State"]["Health"]["Status"] == "unhealthy"
    });
    let v = inspect(&t, "sick");
    let h = &v["State"]["Health"];
    assert!(h["FailingStreak"].as_u64() >= Some(2), "{h:#}");
    let last = h["Log"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["ExitCode"], 3);
    assert_eq!(last["Output"], "checking\n");
    assert_eq!(v["Config"]["Healthcheck"]["Retries"], 2);
    assert_eq!(v["State"]["Status"], "running", "no action asked for");
    let out = t.rctl(&["healthcheck", "run", "sick"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "unhealthy\n");
    let ps = t.ok(&["ps", "--filter", "name=sick", "--format", "{{.Status}}"]);
    assert!(ps.trim().ends_with("(unhealthy)"), "{ps}");

    // The healthy one, checked by hand too.
    let out = t.rctl(&["healthcheck", "run", "flaky"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "healthy\n");
    let ps = t.ok(&["ps", "--filter", "name=flaky", "--format", "{{.Status}}"]);
    assert!(ps.trim().ends_with("(healthy)"), "{ps}");
    t.ok(&["exec", "flaky", "rm", "/tmp/ok"]);
    wait_for(&t, "flaky", "restarted by its healthcheck", |v| {
        v["RestartCount"] == 1 && v["State"]["Status"] == "running"
    });
    let v = inspect(&t, "flaky");
    let log = v["State"]["Health"]["Log"].as_array().unwrap().clone();
    assert!(log.iter().any(|r| r["ExitCode"] == 1), "{log:?}");
    assert!(log.len() <= 5);
    wait_for(&t, "flaky", "healthy again", |v| {
        v["State"]["Health"]["Status"] == "healthy"
    });

    // `stop` ends the container for good, whatever its restart policy.
    t.ok(&[
        "run",
        "-d",
        "--name",
        "halt",
        "--restart",
        "always",
        "--health-cmd",
        "false",
        "--health-interval",
        "1s",
        "--health-retries",
        "1",
        "--health-on-failure",
        "stop",
        "--stop-timeout",
        "1",
        "--rootfs",
        rs,
        "sleep",
        "600",
    ]);
    wait_for(&t, "halt", "stopped by its healthcheck", |v| {
        v["State"]["Status"] == "exited"
    });
    std::thread::sleep(Duration::from_secs(2));
    let v = inspect(&t, "halt");
    assert_eq!(v["State"]["Status"], "exited", "{v:#}");
    assert_eq!(v["RestartCount"], 0);
    assert_eq!(v["State"]["Health"]["Status"], "unhealthy");

    // No healthcheck: a clear error.
    t.ok(&[
        "run", "-d", "--name", "plain", "--rootfs", rs, "sleep", "600",
    ]);
    let out = t.rctl(&["healthcheck", "run", "plain"]);
    assert_eq!(code(&out), 125);
    assert!(stderr(&out).contains("no healthcheck"), "{}", stderr(&out));
    t.ok(&["rm", "-f", "sick", "flaky", "plain", "halt"]);
}

//! Crash injection: every command step named in `src/crashpoint.rs` is hit
//! with `RCTL_CRASH_AT` (rctl, or its monitor, SIGKILLs itself there). After
//! each crash `rctl system check` must find nothing, or `--repair` must fix
//! everything it found; no name may stay reserved by a container `ps -a`
//! does not show; the same command must then succeed (or have completed);
//! and what was complete before (an image, a container) must be intact.

mod common;

use std::collections::HashSet;
use std::os::unix::process::ExitStatusExt;
use std::process::Output;

use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::{TestEnv, stderr, stdout};

/// What a crashed command should leave once the store is settled.
#[derive(Clone, Copy, PartialEq)]
enum After {
    /// Running the command again succeeds.
    Retry,
    /// The command had done its work; the check is this command's success.
    Done(&'static [&'static str]),
}

/// Whether the process that crashed is the command itself (SIGKILL seen)
/// or the monitor it started (the command's own status varies).
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Command,
    Monitor,
}

struct Case {
    point: &'static str,
    /// Commands run before (their failures are ignored: clean-up).
    setup: &'static [&'static [&'static str]],
    command: &'static [&'static str],
    who: Who,
    after: After,
    /// A finding kind the check must report (the crash left that damage).
    expect: Option<&'static str>,
}

const PULL: &[&str] = &["pull", "--tls-verify=false", "REG/crash/img:1"];
const RMI_PULLED: &[&str] = &["rmi", "-f", "REG/crash/img:1"];
const CREATE: &[&str] = &[
    "create",
    "--name",
    "cr",
    "--network",
    "none",
    "localhost/busybox",
    "true",
];
const RM_CR: &[&str] = &["rm", "-f", "cr"];
const RUN_D: &[&str] = &[
    "run",
    "-d",
    "--name",
    "rd",
    "--network",
    "none",
    "localhost/busybox",
    "sleep",
    "1000",
];
const RM_RD: &[&str] = &["rm", "-f", "rd"];
const IMPORT: &[&str] = &["import", "TAR", "localhost/imp"];
const RMI_IMP: &[&str] = &["rmi", "-f", "localhost/imp"];
const PRUNE: &[&str] = &["image", "prune", "-f"];
/// A build whose one RUN step makes a layer (`--no-cache`: every case
/// reaches the step).
const BUILD: &[&str] = &["build", "--no-cache", "-t", "localhost/built", "CTX"];
const VOL_RM: &[&str] = &["volume", "rm", "-f", "cv"];
const VOL_CREATE: &[&str] = &["volume", "create", "cv"];

fn cases() -> Vec<Case> {
    let pull = |point, expect| Case {
        point,
        setup: &[RMI_PULLED],
        command: PULL,
        who: Who::Command,
        after: After::Retry,
        expect,
    };
    let create = |point, expect| Case {
        point,
        setup: &[RM_CR],
        command: CREATE,
        who: Who::Command,
        after: After::Retry,
        expect,
    };
    let run_d = |point, who, expect| Case {
        point,
        setup: &[RM_RD],
        command: RUN_D,
        who,
        after: After::Retry,
        expect,
    };
    let build = |point, expect| Case {
        point,
        setup: &[],
        command: BUILD,
        who: Who::Command,
        after: After::Retry,
        expect,
    };
    vec![
        build("build.step-created", Some("leftover-build-container")),
        build("build.step-ran", Some("leftover-build-container")),
        build("build.layer-committed", Some("leftover-build-container")),
        build("build.cache-written", None),
        build("build.before-commit", None),
        build("build.committed", None),
        Case {
            point: "volume.tmp-written",
            setup: &[VOL_RM],
            command: VOL_CREATE,
            who: Who::Command,
            after: After::Retry,
            expect: Some("half-created-volume"),
        },
        Case {
            point: "volume.rm-renamed",
            setup: &[VOL_RM, VOL_CREATE],
            command: &["volume", "rm", "cv"],
            who: Who::Command,
            after: After::Done(&[]),
            expect: Some("half-removed-volume"),
        },
        Case {
            point: "volume.rm-deleted",
            setup: &[VOL_RM, VOL_CREATE],
            command: &["volume", "rm", "cv"],
            who: Who::Command,
            after: After::Done(&[]),
            expect: None,
        },
        Case {
            point: "volume.created-for-container",
            setup: &[&["rm", "-f", "-v", "vc"]],
            // An anonymous volume: the repair removes it with the record.
            command: &[
                "create",
                "--name",
                "vc",
                "--network",
                "none",
                "-v",
                "/data",
                "localhost/busybox",
                "true",
            ],
            who: Who::Command,
            after: After::Retry,
            expect: Some("interrupted-create"),
        },
        pull("pull.manifest-fetched", None),
        pull("pull.layer-extracted", Some("half-pulled-layer")),
        pull("pull.layers-synced", Some("half-pulled-layer")),
        pull("store.layer-renamed", Some("layer-without-record")),
        pull("store.layer-recorded", None),
        pull("store.image-tx-open", None),
        pull("pull.image-committed", None),
        Case {
            point: "import.layer-committed",
            setup: &[RMI_IMP],
            command: IMPORT,
            who: Who::Command,
            after: After::Retry,
            expect: None,
        },
        create("container.tmp-written", Some("half-created-container")),
        create("container.renamed", Some("interrupted-create")),
        create("create.before-record-use", Some("interrupted-create")),
        create("create.use-recorded", Some("interrupted-create")),
        run_d("run.created", Who::Command, Some("interrupted-create")),
        run_d("run.use-recorded", Who::Command, Some("interrupted-create")),
        run_d(
            "start.spec-written",
            Who::Command,
            Some("interrupted-create"),
        ),
        // rctl dies, its monitor starts the container all the same.
        run_d("start.monitor-spawned", Who::Command, None),
        run_d("monitor.forked", Who::Monitor, None),
        run_d("monitor.running", Who::Monitor, Some("monitor-died")),
        // The same with a network helper (pasta), which the repair stops.
        Case {
            point: "monitor.running",
            setup: &[RM_RD],
            command: &[
                "run",
                "-d",
                "--name",
                "rd",
                "localhost/busybox",
                "sleep",
                "1000",
            ],
            who: Who::Monitor,
            after: After::Retry,
            expect: Some("monitor-died"),
        },
        Case {
            point: "monitor.exit-recorded",
            setup: &[],
            command: &[
                "run",
                "--rm",
                "--name",
                "rr",
                "--network",
                "none",
                "localhost/busybox",
                "true",
            ],
            who: Who::Monitor,
            after: After::Retry,
            expect: Some("leftover-rm-container"),
        },
        Case {
            point: "container.rm-renamed",
            setup: &[RM_CR, CREATE],
            command: &["rm", "cr"],
            who: Who::Command,
            after: After::Done(&["cr"]),
            expect: Some("half-removed-container"),
        },
        Case {
            point: "container.rm-deleted",
            setup: &[RM_CR, CREATE],
            command: &["rm", "cr"],
            who: Who::Command,
            after: After::Done(&["cr"]),
            expect: Some("stale-image-use"),
        },
        Case {
            point: "rm.killed",
            setup: &[RM_RD, RUN_D],
            command: &["rm", "-f", "rd"],
            who: Who::Command,
            after: After::Retry,
            expect: None,
        },
        Case {
            point: "rmi.tx-moved",
            setup: &[RMI_IMP, PRUNE, IMPORT],
            command: &["rmi", "localhost/imp"],
            who: Who::Command,
            after: After::Retry,
            expect: Some("half-removed-layer"),
        },
        Case {
            point: "rmi.committed",
            setup: &[RMI_IMP, PRUNE, IMPORT],
            command: &["rmi", "localhost/imp"],
            who: Who::Command,
            after: After::Done(&[]),
            expect: Some("half-removed-layer"),
        },
        Case {
            point: "cp.root-mounted",
            setup: &[RM_CR, CREATE],
            command: &["cp", "TAR", "cr:/copied.tar"],
            who: Who::Command,
            after: After::Retry,
            expect: Some("orphan-mount"),
        },
        Case {
            point: "commit.layer-committed",
            setup: &[
                &["rm", "-f", "cm"],
                &[
                    "run",
                    "--name",
                    "cm",
                    "--network",
                    "none",
                    "localhost/busybox",
                    "sh",
                    "-c",
                    "echo committed > /f",
                ],
            ],
            command: &["commit", "cm", "localhost/committed"],
            who: Who::Command,
            after: After::Retry,
            expect: Some("temp-file"),
        },
    ]
}

fn subst(args: &[&str], reg: &str, tar: &str, ctx: &str) -> Vec<String> {
    args.iter()
        .map(|a| {
            a.replace("REG", reg)
                .replace("TAR", tar)
                .replace("CTX", ctx)
        })
        .collect()
}

fn rctl(t: &TestEnv, args: &[String], crash_at: Option<&str>) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = t.rctl_cmd(&refs);
    if let Some(p) = crash_at {
        cmd.env("RCTL_CRASH_AT", p);
    }
    cmd.output().expect("spawn rctl")
}

/// `system check --format json`: exit code and finding kinds.
fn check(t: &TestEnv, repair: bool) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["system", "check", "--format", "json"];
    if repair {
        args.push("--repair");
    }
    let out = t.rctl(&args);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "system check failed: {}",
        stderr(&out)
    );
    let v: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("check output: {e}: {}", stdout(&out)));
    (code, v)
}

/// Settle the store after a crash; the kinds of damage found.
fn settle(t: &TestEnv, point: &str) -> Vec<String> {
    let (code, found) = check(t, false);
    assert_eq!(
        code == 0,
        found.is_empty(),
        "{point}: exit code {code} for {found:?}"
    );
    if code == 1 {
        let (rcode, repaired) = check(t, true);
        assert_eq!(rcode, 0, "{point}: --repair left problems: {repaired:?}");
        assert!(
            repaired.iter().all(|f| f["repaired"] == true),
            "{point}: {repaired:?}"
        );
    }
    let (code, left) = check(t, false);
    assert_eq!(
        (code, left.len()),
        (0, 0),
        "{point}: after repair: {left:?}"
    );
    found
        .iter()
        .map(|f| f["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Every container directory is a container `ps -a` shows.
fn no_ghosts(t: &TestEnv, point: &str) {
    let listed: HashSet<String> = t
        .ok(&["ps", "-a", "--no-trunc", "--format", "{{.ID}}"])
        .lines()
        .map(str::to_string)
        .collect();
    let dir = t.data_root().join("containers");
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // `.exits`: the kept exit codes of removed `--rm` containers.
        if name == ".lock" || name == ".exits" {
            continue;
        }
        assert!(
            listed.contains(&name),
            "{point}: `{name}` in {} is not a listed container ({listed:?})",
            dir.display()
        );
    }
}

/// pasta or slirp4netns processes of this test (their command lines name
/// a file under the test's directory, in the container's directory) that run.
fn helpers_of(t: &TestEnv) -> Vec<String> {
    // With the slash: not a directory of another test named alike.
    let dir = format!("{}/", t.dir.display());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if !matches!(
            comm.trim(),
            "pasta" | "pasta.avx2" | "passt" | "passt.avx2" | "slirp4netns"
        ) {
            continue;
        }
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        let zombie = stat
            .rsplit(')')
            .next()
            .is_some_and(|r| r.trim_start().starts_with('Z'));
        let cmdline = std::fs::read(e.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if !zombie && cmdline.contains(&dir) {
            out.push(cmdline);
        }
    }
    out
}

fn names(t: &TestEnv) -> Vec<String> {
    t.ok(&["ps", "-a", "--format", "{{.Names}}"])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_crash_point_leaves_a_consistent_store() {
    let Some(t) = common::images::env_with_registry("crash") else {
        return;
    };
    // The image pulled: a busybox layer and a small data layer.
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let bb = tar_of(&[
        Entry::Dir("bin", 0o755),
        Entry::File("bin/busybox", 0o755, registry::busybox().unwrap()),
        Entry::Symlink("bin/sh", "busybox"),
        Entry::Symlink("bin/cat", "busybox"),
    ]);
    let data = tar_of(&[
        Entry::Dir("data", 0o755),
        Entry::File("data/marker", 0o644, b"pulled intact\n".to_vec()),
    ]);
    let built = layout.image(
        &[(bb, Compression::Gzip), (data, Compression::None)],
        "amd64",
        &["/bin/sh"],
    );
    layout.tag_image(&built, "1");
    reg.push(&layout.dir, "1", "crash/img:1", None);
    let host = reg.host();
    // The tarball imported.
    let tar = t.dir.join("imp.tar");
    std::fs::write(
        &tar,
        tar_of(&[Entry::File("imported", 0o644, b"imported\n".to_vec())]),
    )
    .unwrap();
    t.chown_tree(&tar);
    let tar = tar.to_str().unwrap().to_string();
    // The build context.
    t.write_file(
        "ctx/Containerfile",
        "FROM localhost/busybox\nRUN echo built > /built\n",
    );
    let ctx = t.dir.join("ctx").display().to_string();

    // Completed objects that no crash may damage.
    t.import_busybox("localhost/busybox", &[]);
    t.ok(&[
        "create",
        "--name",
        "keeper",
        "--network",
        "none",
        "localhost/busybox",
        "cat",
        "/etc/passwd",
    ]);
    // An image built and a volume written before any crash.
    t.write_file(
        "keepctx/Containerfile",
        "FROM localhost/busybox\nRUN echo kept > /kept\n",
    );
    let keepctx = t.dir.join("keepctx").display().to_string();
    t.ok(&["build", "-t", "localhost/builtkeep", &keepctx]);
    t.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        "keepvol:/v",
        "localhost/busybox",
        "sh",
        "-c",
        "echo in-volume > /v/f",
    ]);

    let cases = cases();
    let points: HashSet<&str> = cases.iter().map(|c| c.point).collect();
    assert!(points.len() >= 20, "{} distinct points", points.len());
    for p in rctl::crashpoint::POINTS {
        assert!(points.contains(p), "crash point `{p}` has no case");
    }
    for case in &cases {
        let p = case.point;
        for s in case.setup {
            let _ = rctl(&t, &subst(s, &host, &tar, &ctx), None);
        }
        let before = names(&t);
        let volumes_before = t.ok(&["volume", "ls", "-q"]);
        let args = subst(case.command, &host, &tar, &ctx);
        let out = rctl(&t, &args, Some(p));
        if case.who == Who::Command {
            assert_eq!(
                out.status.signal(),
                Some(9),
                "{p}: rctl {args:?} was not killed at its crash point: {} {}",
                out.status,
                stderr(&out)
            );
        }
        // A killed monitor's container may need a moment to be seen as such.
        let kinds = settle(&t, p);
        eprintln!("crash at {p}: found {kinds:?}");
        if let Some(k) = case.expect {
            assert!(
                kinds.iter().any(|x| x == k),
                "{p}: expected `{k}` in {kinds:?}"
            );
        }
        no_ghosts(&t, p);
        if p == "volume.created-for-container" {
            assert_eq!(t.ok(&["volume", "ls", "-q"]), volumes_before, "{p}");
        }
        let running = t.ok(&["ps", "-q", "--no-trunc"]);
        let leaked: Vec<String> = helpers_of(&t)
            .into_iter()
            .filter(|h| !running.lines().any(|id| h.contains(id)))
            .collect();
        assert!(leaked.is_empty(), "{p}: network helpers left: {leaked:?}");
        match case.after {
            After::Retry => {
                // A container the crashed command completed is a real one:
                // remove it (which must work) before the command runs again.
                for n in names(&t) {
                    if !before.contains(&n) {
                        t.ok(&["rm", "-f", &n]);
                    }
                }
                let again = rctl(&t, &args, None);
                assert!(
                    again.status.success(),
                    "{p}: retry of {args:?} failed: {}",
                    stderr(&again)
                );
            }
            After::Done(gone) => {
                let now = names(&t);
                for g in gone {
                    assert!(!now.iter().any(|n| n == g), "{p}: `{g}` still listed");
                }
            }
        }
        let (code, left) = check(&t, false);
        assert_eq!((code, left.len()), (0, 0), "{p}: after the retry: {left:?}");
        // What was complete before is intact.
        assert!(
            t.ok(&["start", "-a", "keeper"]).contains("root:x:0:0"),
            "{p}: keeper"
        );
        if p.starts_with("pull.") || p.starts_with("store.") {
            let img = format!("{host}/crash/img:1");
            assert_eq!(
                t.ok(&[
                    "run",
                    "--rm",
                    "--network",
                    "none",
                    &img,
                    "cat",
                    "/data/marker"
                ]),
                "pulled intact\n",
                "{p}"
            );
        }
        if p == "commit.layer-committed" {
            assert_eq!(
                t.ok(&[
                    "run",
                    "--rm",
                    "--network",
                    "none",
                    "localhost/committed",
                    "cat",
                    "/f"
                ]),
                "committed\n"
            );
        }
        if p.starts_with("build.") || p.starts_with("volume.") {
            let kept = |image: &str, cmd: &str| {
                t.ok(&[
                    "run",
                    "--rm",
                    "--network",
                    "none",
                    "-v",
                    "keepvol:/v",
                    image,
                    "sh",
                    "-c",
                    cmd,
                ])
            };
            assert_eq!(
                kept("localhost/builtkeep", "cat /kept /v/f"),
                "kept\nin-volume\n",
                "{p}"
            );
            if p.starts_with("build.") {
                assert_eq!(kept("localhost/built", "cat /built"), "built\n", "{p}");
            }
            if p.starts_with("volume.rm-") {
                let vols = t.ok(&["volume", "ls", "-q"]);
                assert!(!vols.lines().any(|v| v == "cv"), "{p}: {vols}");
            }
        }
        if p == "rmi.tx-moved" {
            // The removal was rolled back, then done by the retry.
            assert!(!t.ok(&["images"]).contains("localhost/imp"), "{p}");
        }
    }
    t.ok(&["rm", "-f", "-v", "cm", "vc"]);
}

/// `system check` finds nothing on a healthy store that uses every kind of
/// object: named and anonymous volumes, a pod with a member, a user
/// network, a built image and its cache, a removed `--rm` container's kept
/// exit code, the events log, `--restart` containers (running and done).
#[test]
fn a_healthy_store_with_every_feature_has_no_findings() {
    let Some(t) = TestEnv::new("healthy_store") else {
        return;
    };
    t.import_busybox("localhost/busybox", &[]);
    t.write_file(
        "ctx/Containerfile",
        "FROM localhost/busybox\nRUN echo b > /b\nCOPY Containerfile /cf\n",
    );
    let ctx = t.dir.join("ctx").display().to_string();
    t.ok(&["build", "-t", "localhost/healthy", &ctx]);
    t.ok(&["volume", "create", "named"]);
    t.ok(&["network", "create", "hnet"]);
    t.ok(&["pod", "create", "--name", "hp"]);
    t.ok(&[
        "run",
        "-d",
        "--name",
        "member",
        "--pod",
        "hp",
        "localhost/busybox",
        "sleep",
        "1000",
    ]);
    t.ok(&[
        "run",
        "-d",
        "--name",
        "onnet",
        "--network",
        "hnet",
        "-v",
        "named:/n",
        "-v",
        "/anon",
        "localhost/healthy",
        "sleep",
        "1000",
    ]);
    let gone = t.rctl(&[
        "run",
        "--rm",
        "--name",
        "gone",
        "--network",
        "none",
        "localhost/busybox",
        "sh",
        "-c",
        "exit 3",
    ]);
    assert_eq!(gone.status.code(), Some(3), "{}", stderr(&gone));
    let exits = t.data_root().join("containers/.exits");
    assert!(
        std::fs::read_dir(&exits).unwrap().next().is_some(),
        "no kept exit code in {}",
        exits.display()
    );
    t.ok(&[
        "run",
        "-d",
        "--name",
        "always",
        "--restart",
        "always",
        "--network",
        "none",
        "localhost/busybox",
        "sleep",
        "1000",
    ]);
    let done = t.rctl(&[
        "run",
        "--name",
        "done",
        "--restart",
        "on-failure:1",
        "--network",
        "none",
        "localhost/healthy",
        "cat",
        "/b",
    ]);
    assert_eq!(stdout(&done), "b\n", "{}", stderr(&done));
    t.ok(&["volume", "create", "spare"]);
    assert!(t.data_root().join("events.log").is_file());
    let (code, found) = check(&t, false);
    assert_eq!((code, found.len()), (0, 0), "findings: {found:#?}");
    // The same once everything has stopped.
    t.ok(&["stop", "-t", "0", "always", "onnet", "member"]);
    let (code, found) = check(&t, false);
    assert_eq!((code, found.len()), (0, 0), "after stop: {found:#?}");
    t.ok(&["rm", "-f", "always", "onnet", "member", "done"]);
    t.ok(&["pod", "rm", "-f", "hp"]);
    t.ok(&["network", "rm", "hnet"]);
}

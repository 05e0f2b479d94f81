//! Mounts and volumes end to end: named volumes that outlive containers,
//! bind mounts owned by the host user, tmpfs, `--volumes-from`,
//! `--read-only`, image `VOLUME`s populated from the image, the volume
//! commands, bad input refused with nothing created, and mount targets
//! behind symlinks kept inside the root filesystem. Real binary,
//! unprivileged user.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{TestEnv, stderr, stdout};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A directory on the host owned by the test user (mode 0755).
fn host_dir(t: &TestEnv, rel: &str) -> PathBuf {
    let d = t.dir.join(rel);
    std::fs::create_dir_all(&d).unwrap();
    t.chown_tree(&d);
    d
}

fn mountpoint(t: &TestEnv, name: &str) -> PathBuf {
    PathBuf::from(
        t.ok(&["volume", "inspect", "--format", "{{.Mountpoint}}", name])
            .trim(),
    )
}

fn volume_names(t: &TestEnv) -> Vec<String> {
    t.ok(&["volume", "ls", "-q"])
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn named_volume_outlives_its_container_and_binds_keep_host_ownership() {
    let Some(t) = TestEnv::new("vol_named") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let rs = r.to_str().unwrap();
    let h = host_dir(&t, "hostdir");
    let hs = h.to_str().unwrap();
    let u = host_dir(&t, "chowned");
    let us = u.to_str().unwrap();

    assert_eq!(
        t.ok(&["volume", "create", "--label", "team=web", "data"])
            .trim(),
        "data"
    );
    let dup = t.rctl(&["volume", "create", "data"]);
    assert_eq!(code(&dup), 125);
    assert!(stderr(&dup).contains("already exists"), "{}", stderr(&dup));

    // One container: a named volume, a bind mount, a read-only bind, a
    // tmpfs, --mount syntax and a larger /dev/shm.
    let script = "echo hello > /data/f && echo from-ctr > /h/out && \
                  ! touch /ro/x 2>/dev/null && \
                  cat /m/f && grep -q ' /scratch tmpfs ' /proc/mounts && \
                  grep ' /dev/shm ' /proc/mounts";
    let out = t.rctl(&[
        "run",
        "--name",
        "writer",
        "--rootfs",
        rs,
        "-v",
        "data:/data",
        "-v",
        &format!("{hs}:/h"),
        "-v",
        &format!("{hs}:/ro:ro"),
        "--mount",
        "type=volume,src=data,dst=/m",
        "--tmpfs",
        "/scratch:size=1m",
        "--shm-size",
        "2m",
        "sh",
        "-c",
        script,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("hello\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("size=2048k"), "{}", stdout(&out));
    // Container root's writes belong to the host user.
    let meta = std::fs::metadata(h.join("out")).unwrap();
    assert_eq!(meta.uid(), t.user.uid);
    assert_eq!(
        std::fs::read_to_string(h.join("out")).unwrap(),
        "from-ctr\n"
    );
    assert!(!h.join("x").exists());

    // In use: `volume rm` refuses (exit 125) and keeps the volume.
    let busy = t.rctl(&["volume", "rm", "data"]);
    assert_eq!(code(&busy), 125);
    assert!(stderr(&busy).contains("writer"), "{}", stderr(&busy));
    assert_eq!(volume_names(&t), ["data"]);
    let dangling = t.ok(&["volume", "ls", "-q", "--filter", "dangling=true"]);
    assert_eq!(dangling, "");

    // The first container goes; a second one reads the volume, and
    // --volumes-from CTR:ro shares it read-only.
    t.ok(&["rm", "writer"]);
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "--rootfs",
            rs,
            "-v",
            "data:/data",
            "cat",
            "/data/f"
        ]),
        "hello\n"
    );
    t.ok(&[
        "create",
        "--name",
        "holder",
        "--rootfs",
        rs,
        "-v",
        "data:/data",
        "true",
    ]);
    let out = t.rctl(&[
        "run",
        "--rm",
        "--rootfs",
        rs,
        "--volumes-from",
        "holder:ro",
        "sh",
        "-c",
        "cat /data/f; touch /data/new",
    ]);
    assert_ne!(code(&out), 0);
    assert_eq!(stdout(&out), "hello\n");
    assert!(!mountpoint(&t, "data").join("new").exists());

    // `U`: the source is given to the container's user, who can then write.
    let out = t.rctl(&[
        "run",
        "--rm",
        "--rootfs",
        rs,
        "-u",
        "1000",
        "-v",
        &format!("{us}:/u:U"),
        "touch",
        "/u/mine",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_ne!(std::fs::metadata(&u).unwrap().uid(), t.user.uid);

    // ls: table, JSON, filters.
    let table = t.ok(&["volume", "ls"]);
    assert!(table.starts_with("DRIVER"), "{table}");
    assert!(table.contains("local") && table.contains("data"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&t.ok(&["volume", "ls", "--format", "json"])).unwrap();
    assert_eq!(json[0]["Name"], "data");
    assert_eq!(json[0]["Labels"]["team"], "web");
    assert_eq!(
        t.ok(&["volume", "ls", "-q", "--filter", "label=team=web"]),
        "data\n"
    );
    assert_eq!(
        t.ok(&["volume", "ls", "-q", "--filter", "label=team=db"]),
        ""
    );
    assert_eq!(
        t.ok(&["volume", "ls", "-q", "--filter", "name=at"]),
        "data\n"
    );
    let bad = t.rctl(&["volume", "ls", "--filter", "color=red"]);
    assert_eq!(code(&bad), 125);

    // rm -v takes a container's anonymous volume along; a named one stays.
    t.ok(&[
        "create",
        "--name",
        "anon",
        "--rootfs",
        rs,
        "-v",
        "/scratch",
        "-v",
        "data:/data",
        "true",
    ]);
    let names = volume_names(&t);
    assert_eq!(names.len(), 2, "{names:?}");
    let anon = names.iter().find(|n| *n != "data").unwrap().clone();
    assert_eq!(anon.len(), 64);
    let inspect: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "anon"])).unwrap();
    let mounts = inspect[0]["Mounts"].as_array().unwrap().clone();
    assert!(
        mounts
            .iter()
            .any(|m| m["Name"] == anon.as_str() && m["Destination"] == "/scratch"),
        "{mounts:?}"
    );
    t.ok(&["rm", "-v", "anon"]);
    assert_eq!(volume_names(&t), ["data"]);

    // -f removes the volume with the container that uses it; prune takes
    // what no container uses.
    t.ok(&["volume", "rm", "-f", "data"]);
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    assert!(volume_names(&t).is_empty());
    t.ok(&["volume", "create", "spare"]);
    assert_eq!(t.ok(&["volume", "prune", "-f"]), "spare\n");
    assert!(volume_names(&t).is_empty());
    let missing = t.rctl(&["volume", "inspect", "spare"]);
    assert_eq!(code(&missing), 125);
    assert!(stderr(&missing).contains("no volume named `spare`"));
}

#[test]
fn read_only_root_keeps_tmp_writable() {
    let Some(t) = TestEnv::new("vol_readonly") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let out = t.run_in(
        &r,
        &[
            "--read-only",
            "sh",
            "-c",
            "touch /etc/x 2>/dev/null && exit 10; \
             touch /tmp/a /var/tmp/b /run/c || exit 11; \
             echo ok",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
    assert!(!r.join("etc/x").exists());
    assert!(!r.join("tmp/a").exists(), "/tmp is a tmpfs, not the rootfs");
    // Without the tmpfs, /tmp is read-only too.
    let out = t.run_in(
        &r,
        &["--read-only", "--read-only-tmpfs=false", "touch", "/tmp/a"],
    );
    assert_ne!(code(&out), 0);
    assert!(!r.join("tmp/a").exists());
}

#[test]
fn bad_mount_input_is_refused_and_creates_nothing() {
    let Some(t) = TestEnv::new("vol_bad") else {
        return;
    };
    let r = t.busybox_rootfs("rootfs");
    let h = host_dir(&t, "hostdir");
    let hs = h.to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["-v".into(), "/nonexistent-src:/x".into()],
            "`/nonexistent-src` does not exist",
        ),
        (
            vec![
                "--mount".into(),
                "type=bind,src=/nonexistent-src,dst=/x".into(),
            ],
            "does not exist",
        ),
        (vec!["-v".into(), "./rel:/x".into()], "not an absolute path"),
        (
            vec!["-v".into(), "rel/dir:/x".into()],
            "not an absolute path",
        ),
        (
            vec!["--mount".into(), "type=bind,src=rel,dst=/x".into()],
            "not an absolute path",
        ),
        (vec!["-v".into(), format!("{hs}:/")], "container's `/`"),
        (vec!["-v".into(), "newvol:/".into()], "container's `/`"),
        (vec!["--tmpfs".into(), "/".into()], "container's `/`"),
        (
            // A valid named volume with a bad bind: the volume is not made.
            vec![
                "-v".into(),
                "newvol:/data".into(),
                "-v".into(),
                "/nonexistent-src:/x".into(),
            ],
            "does not exist",
        ),
        (
            vec![
                "-v".into(),
                format!("{hs}:/d"),
                "--tmpfs".into(),
                "/d".into(),
            ],
            "two mounts on `/d`",
        ),
        (vec!["--shm-size".into(), "lots".into()], "--shm-size"),
        (vec!["--volumes-from".into(), "nosuch".into()], "nosuch"),
    ];
    for (flags, want) in &cases {
        for verb in ["run", "create"] {
            let mut args: Vec<&str> = vec![verb, "--rootfs", r.to_str().unwrap()];
            args.extend(flags.iter().map(String::as_str));
            args.push("true");
            let out = t.rctl(&args);
            assert_eq!(code(&out), 125, "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
        }
    }
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    assert!(volume_names(&t).is_empty());
    assert!(!Path::new("/nonexistent-src").exists());
    assert_eq!(std::fs::read_dir(&h).unwrap().count(), 0);
    assert!(!r.join("x").exists() && !r.join("data").exists());
}

#[test]
fn image_volume_is_populated_and_symlinked_targets_stay_inside() {
    let Some(t) = TestEnv::new("vol_image") else {
        return;
    };
    // A host directory the image's symlinks point at, with a secret.
    let outside = host_dir(&t, "outside");
    std::fs::write(outside.join("secret"), "host secret\n").unwrap();
    t.chown_tree(&outside);
    let rootfs = t.busybox_rootfs("rootfs");
    std::fs::create_dir_all(rootfs.join("data/sub")).unwrap();
    std::fs::write(rootfs.join("data/seed"), "from image\n").unwrap();
    std::fs::write(rootfs.join("data/sub/deep"), "deep\n").unwrap();
    std::os::unix::fs::symlink(&outside, rootfs.join("escape")).unwrap();
    std::os::unix::fs::symlink(&outside, rootfs.join("leak")).unwrap();
    t.chown_tree(&rootfs);
    t.import_busybox("localhost/volimg", &["VOLUME /data /leak"]);

    // VOLUME /data: an anonymous volume filled from the image.
    let out = t.rctl(&[
        "run",
        "--name",
        "v1",
        "localhost/volimg",
        "sh",
        "-c",
        "cat /data/seed /data/sub/deep && echo added > /data/added && ls /leak",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "from image\ndeep\n");
    let inspect: serde_json::Value = serde_json::from_str(&t.ok(&["inspect", "v1"])).unwrap();
    let mounts = inspect[0]["Mounts"].as_array().unwrap().clone();
    assert_eq!(mounts.len(), 2, "{mounts:?}");
    let data = mounts.iter().find(|m| m["Destination"] == "/data").unwrap();
    assert_eq!(data["Type"], "volume");
    assert_eq!(data["Anonymous"], true);
    let src = PathBuf::from(data["Source"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(src.join("added")).unwrap(),
        "added\n"
    );
    assert_eq!(
        std::fs::read_to_string(src.join("seed")).unwrap(),
        "from image\n"
    );
    // VOLUME /leak is a symlink to a host directory in the image: it is
    // resolved inside the root, so nothing of the host's was copied.
    let leak = mounts.iter().find(|m| m["Destination"] == "/leak").unwrap();
    let leak_src = PathBuf::from(leak["Source"].as_str().unwrap());
    assert_eq!(std::fs::read_dir(&leak_src).unwrap().count(), 0);
    t.ok(&["rm", "-v", "v1"]);
    assert!(volume_names(&t).is_empty());
    assert!(!src.exists());

    // A mount target behind a symlink pointing outside the root
    // (CVE-2021-30465 / CVE-2024-9676 class): it lands inside the root.
    let out = t.rctl(&[
        "run",
        "--rm",
        "-v",
        "esc:/escape/sub",
        "localhost/volimg",
        "sh",
        "-c",
        "echo inside > /escape/sub/f; ls /escape",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "sub\n", "the host's directory is not visible");
    assert!(
        !outside.join("sub").exists(),
        "a target was made on the host"
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(mountpoint(&t, "esc").join("f")).unwrap(),
        "inside\n"
    );
    // `--rm` removed the anonymous volumes of /data and /leak; the named
    // one stays.
    assert_eq!(volume_names(&t), ["esc"]);
}

/// The mounts are plain OCI: runc, handed the same spec, gives the same
/// volume, bind, tmpfs and read-only behaviour.
#[test]
fn mounts_run_the_same_under_runc() {
    let Some(t) = TestEnv::new("vol_runc") else {
        return;
    };
    if !["/usr/sbin/runc", "/usr/bin/runc", "/sbin/runc"]
        .iter()
        .any(|p| Path::new(p).exists())
    {
        common::missing("runc (Debian package `runc`)");
        return;
    }
    let r = t.busybox_rootfs("rootfs");
    std::fs::create_dir_all(r.join("data")).unwrap();
    std::fs::write(r.join("data/seed"), "seed\n").unwrap();
    t.chown_tree(&r);
    let h = host_dir(&t, "hostdir");
    let script = "cat /data/seed && echo v > /data/f && echo b > /h/f && \
                  touch /tmp/ok /scratch/ok && ! touch /etc/x 2>/dev/null && echo done";
    for runtime in [None, Some("runc")] {
        let volume = format!("{}:/data", runtime.unwrap_or("own"));
        let mut args = vec!["--network", "none"];
        if let Some(rt) = runtime {
            args.extend(["--runtime", rt]);
        }
        let bind = format!("{}:/h", h.display());
        args.extend([
            "--read-only",
            "-v",
            &volume,
            "-v",
            &bind,
            "--tmpfs",
            "/scratch",
            "sh",
            "-c",
            script,
        ]);
        let out = t.run_in(&r, &args);
        assert_eq!(code(&out), 0, "{runtime:?}: {}", stderr(&out));
        // The new named volume was filled from the root filesystem.
        assert_eq!(stdout(&out), "seed\ndone\n", "{runtime:?}");
        assert_eq!(std::fs::metadata(h.join("f")).unwrap().uid(), t.user.uid);
        std::fs::remove_file(h.join("f")).unwrap();
    }
    for name in ["own", "runc"] {
        let data = mountpoint(&t, name);
        assert_eq!(std::fs::read_to_string(data.join("f")).unwrap(), "v\n");
        assert_eq!(
            std::fs::read_to_string(data.join("seed")).unwrap(),
            "seed\n"
        );
    }
}

//! `rctl build` end to end as an unprivileged user, on an imported busybox
//! base: multi-stage builds, ARG/ENV substitution, USER/WORKDIR, COPY
//! --chown/--chmod, ADD of a tar, ignore files with exceptions, whiteouts
//! from `RUN rm`, heredocs, the config fields, history, running the built
//! image; the layer cache (full reuse and a partial rebuild); bad input.

mod common;

use common::{TestEnv, stderr, stdout};

fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    t.import_busybox("localhost/busybox", &["CMD [\"/bin/sh\"]"]);
    Some(t)
}

/// Write `files` (relative path, content) under `ctx` in the test dir.
fn context(t: &TestEnv, ctx: &str, files: &[(&str, &str)]) -> String {
    for (p, c) in files {
        t.write_file(&format!("{ctx}/{p}"), c);
    }
    t.dir.join(ctx).display().to_string()
}

fn build(t: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut a = vec!["build"];
    a.extend_from_slice(args);
    t.rctl(&a)
}

fn inspect(t: &TestEnv, image: &str) -> serde_json::Value {
    let out = t.ok(&["image", "inspect", image]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0].clone()
}

const MAIN: &str = r#"# a multi-stage build
ARG BASE=localhost/busybox
FROM $BASE AS builder
ARG GREETING=hello
ENV OUT=/out
RUN mkdir -p $OUT && echo "$GREETING from builder" > $OUT/msg
RUN <<EOF
echo heredoc-run > /out/heredoc
EOF

FROM ${BASE}
ARG GREETING
ENV APP_HOME=/srv/app PATH_EXTRA=${GREETING:-none}
WORKDIR $APP_HOME
COPY --from=builder /out/ ./from-builder/
COPY --chown=alice:wheel --chmod=0640 conf.txt /etc/app.conf
COPY dir/ ./dir/
ADD files.tar /opt/unpacked/
COPY <<EOF /etc/motd
welcome ${GREETING}
EOF
RUN rm /bin/vi && ln -s /etc/motd /srv/app/motd-link && chown alice /home/alice
USER alice
RUN id -u > /home/alice/uid && pwd > /home/alice/pwd
EXPOSE 8080 53/udp
LABEL org.example.k=v
VOLUME /data
HEALTHCHECK --interval=5s --retries=2 CMD ["true"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /etc/motd"]
"#;

#[test]
fn multi_stage_build_gives_the_expected_tree_and_config() {
    let Some(t) = env("build_main") else { return };
    let ctx = context(
        &t,
        "ctx",
        &[
            ("Containerfile", MAIN),
            ("conf.txt", "conf\n"),
            ("dir/keep.txt", "keep\n"),
            ("dir/skip.log", "skip\n"),
            ("dir/important.log", "important\n"),
            (".dockerignore", "dir/*.log\n!dir/important.log\n"),
        ],
    );
    // A symlink in the context is copied as a symlink, not followed.
    std::os::unix::fs::symlink("/etc/shadow", t.dir.join("ctx/dir/link")).unwrap();
    // A tar for ADD to extract.
    let tar_src = t.dir.join("tarsrc");
    std::fs::create_dir_all(tar_src.join("sub")).unwrap();
    std::fs::write(tar_src.join("sub/in-tar.txt"), "from tar\n").unwrap();
    let ok = std::process::Command::new("tar")
        .args(["-C", tar_src.to_str().unwrap(), "-cf"])
        .arg(t.dir.join("ctx/files.tar"))
        .arg("sub")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    t.chown_tree(&t.dir.join("ctx"));

    let out = build(
        &t,
        &[
            "-t",
            "localhost/app:1",
            "-t",
            "localhost/app:latest",
            "--build-arg",
            "GREETING=hi",
            &ctx,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert_eq!(id.len(), 64, "stdout is the image ID only: {id:?}");
    let err = stderr(&out);
    assert!(err.contains("STEP 1/"), "{err}");
    assert!(err.contains("RUN rm /bin/vi"), "{err}");

    // The tree, seen from a container of the built image.
    let script = r#"
        cat /srv/app/from-builder/msg /srv/app/from-builder/heredoc
        stat -c '%a %U %G' /etc/app.conf
        cat /etc/app.conf
        ls /srv/app/dir | tr '\n' ' '; echo
        readlink /srv/app/dir/link
        cat /opt/unpacked/sub/in-tar.txt
        cat /etc/motd
        test -e /bin/vi && echo vi-present || echo vi-gone
        readlink /srv/app/motd-link
        cat /home/alice/uid /home/alice/pwd
        echo "$APP_HOME $PATH_EXTRA $OUT"
        id -un; pwd
    "#;
    let got = t.ok(&[
        "run",
        "--rm",
        "--entrypoint",
        "/bin/sh",
        "localhost/app:1",
        "-c",
        script,
    ]);
    assert_eq!(
        got,
        "hi from builder\nheredoc-run\n640 alice wheel\nconf\nimportant.log keep.txt link \n/etc/shadow\nfrom tar\nwelcome hi\nvi-gone\n/etc/motd\n1000\n/srv/app\n/srv/app hi \nalice\n/srv/app\n"
    );
    // The image's own entrypoint and cmd run.
    assert_eq!(t.ok(&["run", "--rm", "localhost/app:1"]), "welcome hi\n");

    // Config fields.
    let img = inspect(&t, "localhost/app:latest");
    let cfg = &img["Config"];
    assert_eq!(
        cfg["Entrypoint"],
        serde_json::json!(["/bin/sh", "-c"]),
        "{img}"
    );
    assert_eq!(cfg["Cmd"], serde_json::json!(["cat /etc/motd"]));
    assert_eq!(cfg["WorkingDir"], "/srv/app");
    assert_eq!(cfg["User"], "alice");
    assert_eq!(cfg["StopSignal"], "SIGTERM");
    assert_eq!(cfg["Labels"]["org.example.k"], "v");
    assert!(cfg["ExposedPorts"].get("8080/tcp").is_some());
    assert!(cfg["ExposedPorts"].get("53/udp").is_some());
    assert!(cfg["Volumes"].get("/data").is_some());
    assert_eq!(
        cfg["Healthcheck"]["Test"],
        serde_json::json!(["CMD", "true"])
    );
    assert_eq!(cfg["Healthcheck"]["Retries"], 2);
    let env: Vec<String> = serde_json::from_value(cfg["Env"].clone()).unwrap();
    assert!(env.contains(&"APP_HOME=/srv/app".to_string()), "{env:?}");
    assert!(
        !env.iter().any(|e| e.starts_with("OUT=")),
        "builder ENV stays in the builder: {env:?}"
    );

    // History: one entry per instruction, on top of the base's.
    let hist = t.ok(&["history", "localhost/app:1"]);
    assert!(hist.contains("rm /bin/vi"), "{hist}");
    assert!(hist.contains("COPY dir/ ./dir/"), "{hist}");
    assert!(hist.contains("USER alice"), "{hist}");
}

#[test]
fn unchanged_rebuild_reuses_every_layer_and_a_changed_file_rebuilds_from_its_step() {
    let Some(t) = env("build_cache") else { return };
    let file = "FROM localhost/busybox\nRUN echo one > /one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy-of-a\nCOPY b.txt /b.txt\nRUN echo $RANDOM$RANDOM > /random\nRUN --mount=type=cache,target=/var/cache/b echo x >> /var/cache/b/log && wc -l < /var/cache/b/log > /cache-count\nCMD [\"cat\", \"/copy-of-a\"]\n";
    let ctx = context(
        &t,
        "ctx",
        &[
            ("Containerfile", file),
            ("a.txt", "a1\n"),
            ("b.txt", "b1\n"),
        ],
    );
    let first = build(&t, &["-t", "localhost/c", &ctx]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        !stderr(&first).contains("Using cache"),
        "{}",
        stderr(&first)
    );
    let id1 = stdout(&first).trim().to_string();
    let random1 = t.ok(&["run", "--rm", "localhost/c", "cat", "/random"]);

    // Unchanged: every filesystem step is a cache hit; the same image.
    let second = build(&t, &["-t", "localhost/c", &ctx]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        stderr(&second).matches("--> Using cache").count(),
        6,
        "{}",
        stderr(&second)
    );
    assert_eq!(stdout(&second).trim(), id1);

    // a.txt changes: the steps before it are reused, it and all after rerun.
    t.write_file("ctx/a.txt", "a2\n");
    let third = build(&t, &["-t", "localhost/c", &ctx]);
    assert!(third.status.success(), "{}", stderr(&third));
    let err = stderr(&third);
    assert_eq!(err.matches("--> Using cache").count(), 1, "{err}");
    let hit = err.find("--> Using cache").unwrap();
    assert!(hit < err.find("COPY a.txt").unwrap(), "{err}");
    assert_ne!(stdout(&third).trim(), id1);
    assert_eq!(t.ok(&["run", "--rm", "localhost/c"]), "a2\n");
    assert_ne!(
        t.ok(&["run", "--rm", "localhost/c", "cat", "/random"]),
        random1
    );

    // --no-cache reruns everything; --iidfile gets the ID.
    let iid = t.dir.join("iid");
    std::fs::File::create(&iid).unwrap();
    t.chown_tree(&iid);
    let fourth = build(
        &t,
        &["--no-cache", "--iidfile", iid.to_str().unwrap(), &ctx],
    );
    assert!(fourth.status.success(), "{}", stderr(&fourth));
    assert!(!stderr(&fourth).contains("Using cache"));
    assert_eq!(
        std::fs::read_to_string(&iid).unwrap(),
        format!("sha256:{}", stdout(&fourth).trim())
    );
    // The cache mount kept its contents over the three runs of its step,
    // and is not in the image.
    let id4 = stdout(&fourth).trim().to_string();
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            &id4,
            "sh",
            "-c",
            "cat /cache-count; test -e /var/cache && echo leaked || echo clean"
        ]),
        "3\nclean\n"
    );
}

#[test]
fn squash_gives_one_new_layer_with_the_deletions() {
    let Some(t) = env("build_squash") else { return };
    let file = "FROM localhost/busybox\nRUN echo a > /a && echo x > /x\nRUN rm /x /bin/vi\nENV E=1\nRUN echo b > /b\n";
    let ctx = context(&t, "ctx", &[("Containerfile", file)]);
    for (flag, name) in [
        ("--squash", "localhost/sq"),
        ("--layers=false", "localhost/nl"),
    ] {
        let out = build(&t, &[flag, "-t", name, &ctx]);
        assert!(out.status.success(), "{}", stderr(&out));
        let img = inspect(&t, name);
        let layers = img["RootFS"]["Layers"].as_array().unwrap().len();
        assert_eq!(layers, 2, "{flag}: base + one: {img}");
        assert_eq!(
            t.ok(&[
                "run",
                "--rm",
                name,
                "sh",
                "-c",
                "cat /a /b; test -e /x || echo no-x; test -e /bin/vi || echo no-vi"
            ]),
            "a\nb\nno-x\nno-vi\n",
            "{flag}"
        );
    }
    // --target stops at a stage; --label adds to the config.
    let two = context(
        &t,
        "two",
        &[(
            "Containerfile",
            "FROM localhost/busybox AS first\nRUN echo 1 > /first\nFROM localhost/busybox\nRUN echo 2 > /second\n",
        )],
    );
    t.ok(&[
        "build",
        "--target",
        "first",
        "--label",
        "who=me",
        "-t",
        "localhost/first",
        &two,
    ]);
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "localhost/first",
            "sh",
            "-c",
            "cat /first; test -e /second || echo no-second"
        ]),
        "1\nno-second\n"
    );
    assert_eq!(
        inspect(&t, "localhost/first")["Config"]["Labels"]["who"],
        "me"
    );
    let out = build(&t, &["--target", "nosuch", &two]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));

    // A heredoc script with `#!` runs with that interpreter, and the
    // script file is not left in the image.
    let awk = context(
        &t,
        "awk",
        &[(
            "Containerfile",
            "FROM localhost/busybox\nRUN <<EOT\n#!/bin/awk -f\nBEGIN { print \"from awk\" > \"/by-awk\" }\nEOT\n",
        )],
    );
    t.ok(&["build", "-t", "localhost/awk", &awk]);
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "localhost/awk",
            "sh",
            "-c",
            "cat /by-awk; ls -a / | grep -c rctl-run || true"
        ]),
        "from awk\n0\n"
    );

    // RUN --mount=type=bind (from the context) and type=tmpfs: seen by the
    // command, not in the image; the bound files are part of the cache key.
    let bind = context(
        &t,
        "bind",
        &[
            (
                "Containerfile",
                "FROM localhost/busybox\nRUN --mount=type=bind,source=src,target=/src --mount=type=tmpfs,target=/scratch cat /src/a > /got && echo t > /scratch/x && ls /scratch > /scratch-list\n",
            ),
            ("src/a", "bound-1\n"),
        ],
    );
    let check = |want: &str| {
        t.ok(&["build", "-t", "localhost/bind", &bind]);
        assert_eq!(
            t.ok(&[
                "run",
                "--rm",
                "localhost/bind",
                "sh",
                "-c",
                "cat /got /scratch-list; test -e /src || test -e /scratch || echo gone"
            ]),
            format!("{want}x\ngone\n")
        );
    };
    check("bound-1\n");
    t.write_file("bind/src/a", "bound-2\n");
    check("bound-2\n");

    // `-`: the Containerfile on stdin, no context (COPY then refused).
    let stdin_build = |text: &str| {
        use std::io::Write;
        let mut child = t
            .rctl_cmd(&["build", "-t", "localhost/stdin", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = stdin_build("FROM localhost/busybox\nRUN echo s > /s\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        t.ok(&["run", "--rm", "localhost/stdin", "cat", "/s"]),
        "s\n"
    );
    let out = stdin_build("FROM localhost/busybox\nCOPY x /x\n");
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("needs a build context"),
        "{}",
        stderr(&out)
    );

    // ONBUILD triggers are recorded, run in a build FROM the image, and
    // not inherited further.
    let onb = context(
        &t,
        "onb",
        &[(
            "Containerfile",
            "FROM localhost/busybox\nONBUILD RUN echo triggered > /trig\n",
        )],
    );
    t.ok(&["build", "-t", "localhost/onb", &onb]);
    assert_eq!(
        inspect(&t, "localhost/onb")["Config"]["OnBuild"],
        serde_json::json!(["RUN echo triggered > /trig"])
    );
    let child = context(
        &t,
        "child",
        &[("Containerfile", "FROM localhost/onb\nENV C=1\n")],
    );
    t.ok(&["build", "-t", "localhost/child", &child]);
    assert_eq!(
        t.ok(&["run", "--rm", "localhost/child", "cat", "/trig"]),
        "triggered\n"
    );
    assert!(
        inspect(&t, "localhost/child")["Config"]
            .get("OnBuild")
            .is_none_or(|v| v.is_null())
    );
}

#[test]
fn bad_input_is_refused_and_tags_nothing() {
    let Some(t) = env("build_bad") else { return };
    let cases: &[(&str, &str, &str)] = &[
        (
            "syntax",
            "FROM localhost/busybox\nRUN [\"unterminated\nCOPY\n",
            "Containerfile:3",
        ),
        (
            "unknown",
            "FROM localhost/busybox\nFROBNICATE x\n",
            "FROBNICATE",
        ),
        (
            "stage",
            "FROM localhost/busybox\nCOPY --from=nosuchstage /x /x\n",
            "nosuchstage",
        ),
        (
            "missing",
            "FROM localhost/busybox\nCOPY nothere.txt /x\n",
            "nothere.txt",
        ),
        (
            "outside",
            "FROM localhost/busybox\nCOPY ../secret /x\n",
            "outside the build context",
        ),
        (
            "ignored",
            "FROM localhost/busybox\nCOPY hidden.txt /x\n",
            ".dockerignore",
        ),
    ];
    for (name, file, needle) in cases {
        let ctx = context(
            &t,
            name,
            &[
                ("Containerfile", file),
                ("hidden.txt", "h"),
                (".dockerignore", "hidden.txt\n"),
            ],
        );
        let out = build(&t, &["-t", &format!("localhost/bad-{name}"), &ctx]);
        assert_eq!(out.status.code(), Some(125), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{name}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{name}");
    }
    t.write_file("secret", "s");
    // A symlink in the context that points out of it resolves inside the
    // context (so: not found), never to the host's file.
    let ctx = context(
        &t,
        "link",
        &[(
            "Containerfile",
            "FROM localhost/busybox\nCOPY link-out /x\n",
        )],
    );
    std::os::unix::fs::symlink("/etc/passwd", t.dir.join("link/link-out")).unwrap();
    let out = build(&t, &["-t", "localhost/bad-link", &ctx]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("link-out"), "{}", stderr(&out));
    // A failing RUN: its status and step are reported, nothing is tagged.
    let ctx = context(
        &t,
        "run",
        &[(
            "Containerfile",
            "FROM localhost/busybox\nRUN echo ok\nRUN exit 3\n",
        )],
    );
    let out = build(&t, &["-t", "localhost/bad-run", &ctx]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("step 3/3"), "{}", stderr(&out));
    assert!(stderr(&out).contains(":3:"), "{}", stderr(&out));
    let images = t.ok(&["images", "--format", "{{.Repository}}"]);
    assert!(!images.contains("bad-"), "{images}");
    // No step containers are left behind.
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");
}

/// A tree as (path → "type mode uid:gid content-or-target").
fn tree(root: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let what = if m.file_type().is_symlink() {
                format!("link {}", std::fs::read_link(&p).unwrap().display())
            } else if m.is_dir() {
                stack.push(p.clone());
                "dir".to_string()
            } else {
                let data = std::fs::read(&p).unwrap();
                format!("file {}", common::registry::sha256_hex(&data))
            };
            let mode = if m.file_type().is_symlink() {
                0
            } else {
                m.mode() & 0o7777
            };
            out.insert(rel, format!("{what} {mode:o} {}:{}", m.uid(), m.gid()));
        }
    }
    out
}

const CONFORMANCE: &str = r#"ARG BASE=localhost/busybox
FROM $BASE AS build
ARG V=1
RUN mkdir -p /out && echo "v=$V" > /out/v && ln -s v /out/v-link
FROM $BASE
ARG V
ENV A=1 B="two words" C=${V:-unset}
WORKDIR /srv/app
COPY --from=build /out/ ./out/
COPY --chown=1000:1000 --chmod=0640 f.txt sub/
COPY dir/ ./dir/
ADD files.tar /opt/
RUN rm /bin/vi && echo made > made && mkdir -p /var/empty
USER 1000:1000
WORKDIR /home/work
EXPOSE 8080/tcp 53/udp
LABEL k=v other="x y"
VOLUME /data
HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD ["true"]
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hi"]
"#;

/// The same Containerfile (no heredocs: Debian's buildah 1.28 predates
/// them) built by `buildah bud` (as root, vfs storage in
/// a private root, chroot isolation, docker format so HEALTHCHECK is kept, the base from an oci-archive that
/// `rctl save` wrote) gives the same tree and config fields.
#[test]
fn conformance_with_buildah() {
    if std::process::Command::new("buildah")
        .arg("--version")
        .output()
        .is_err()
    {
        common::missing("buildah (contrib/setup-host.sh installs it)");
        return;
    }
    let Some(t) = env("build_conf") else { return };
    if !nix_is_root() {
        common::missing("root (buildah runs as root here, rctl as the test user)");
        return;
    }
    let ctx = context(
        &t,
        "ctx",
        &[
            ("Containerfile", CONFORMANCE),
            ("f.txt", "f\n"),
            ("dir/a.txt", "a\n"),
            ("dir/b.log", "b\n"),
            ("dir/keep.log", "k\n"),
            (".dockerignore", "dir/*.log\n!dir/keep.log\n"),
        ],
    );
    let tar_src = t.dir.join("tarsrc");
    std::fs::create_dir_all(tar_src.join("t")).unwrap();
    std::fs::write(tar_src.join("t/in.txt"), "in tar\n").unwrap();
    assert!(
        std::process::Command::new("tar")
            .args([
                "--owner=0",
                "--group=0",
                "-C",
                tar_src.to_str().unwrap(),
                "-cf"
            ])
            .arg(t.dir.join("ctx/files.tar"))
            .arg("t")
            .status()
            .unwrap()
            .success()
    );
    t.chown_tree(&t.dir.join("ctx"));
    let base = t.dir.join("base.tar");
    t.ok(&[
        "save",
        "--format",
        "oci-archive",
        "-o",
        base.to_str().unwrap(),
        "localhost/busybox",
    ]);

    // rctl
    let out = build(&t, &["-t", "localhost/conf", "--build-arg", "V=7", &ctx]);
    assert!(out.status.success(), "{}", stderr(&out));
    t.ok(&["create", "--name", "conf", "localhost/conf"]);
    let exported = t.dir.join("rctl.tar");
    t.ok(&["export", "-o", exported.to_str().unwrap(), "conf"]);
    let rctl_root = t.dir.join("rctl-tree");
    std::fs::create_dir_all(&rctl_root).unwrap();
    assert!(
        std::process::Command::new("tar")
            .args(["--numeric-owner", "-xpf"])
            .arg(&exported)
            .arg("-C")
            .arg(&rctl_root)
            .status()
            .unwrap()
            .success()
    );
    let rctl_cfg = inspect(&t, "localhost/conf")["Config"].clone();

    // buildah
    let b = t.dir.join("buildah");
    let buildah = |args: &[&str]| {
        let out = std::process::Command::new("buildah")
            .arg("--root")
            .arg(b.join("root"))
            .arg("--runroot")
            .arg(b.join("runroot"))
            .args(["--storage-driver", "vfs"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "buildah {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let base_arg = format!("BASE=oci-archive:{}", base.display());
    buildah(&[
        "bud",
        "--format",
        "docker",
        "--isolation",
        "chroot",
        "--build-arg",
        &base_arg,
        "--build-arg",
        "V=7",
        "-t",
        "conf",
        &ctx,
    ]);
    let ctr = buildah(&["from", "conf"]).trim().to_string();
    let mnt = buildah(&["mount", &ctr]).trim().to_string();
    let inspected: serde_json::Value =
        serde_json::from_str(&buildah(&["inspect", "--type", "image", "conf"])).unwrap();
    let mut bud_cfg = inspected["Docker"]["config"].clone();
    // buildah stamps its version as a label.
    if let Some(l) = bud_cfg["Labels"].as_object_mut() {
        l.remove("io.buildah.version");
    }
    let bud_tree = tree(std::path::Path::new(&mnt));
    let _ = buildah(&["umount", &ctr]);
    let _ = buildah(&["rm", &ctr]);
    let _ = buildah(&["rmi", "-a", "-f"]);

    let mut rctl_tree = tree(&rctl_root);
    // buildah 1.28 leaves the mount points of its RUN containers in the
    // image (empty /etc/hosts, /proc, /dev...); rctl removes those it
    // created, as BuildKit does. They are not part of the comparison.
    let mut bud_tree = bud_tree;
    for p in [
        "dev",
        "proc",
        "sys",
        "run",
        "etc/hosts",
        "etc/hostname",
        "etc/resolv.conf",
    ] {
        bud_tree.remove(p);
        rctl_tree.remove(p);
    }
    let keys: std::collections::BTreeSet<_> = rctl_tree.keys().chain(bud_tree.keys()).collect();
    let diffs: Vec<String> = keys
        .into_iter()
        .filter(|k| rctl_tree.get(*k) != bud_tree.get(*k))
        .map(|k| {
            format!(
                "{k}: rctl {:?} buildah {:?}",
                rctl_tree.get(k),
                bud_tree.get(k)
            )
        })
        .collect();
    assert!(diffs.is_empty(), "trees differ:\n{}", diffs.join("\n"));
    for field in [
        "Env",
        "Cmd",
        "Entrypoint",
        "WorkingDir",
        "User",
        "ExposedPorts",
        "Labels",
        "Volumes",
        "Healthcheck",
        "StopSignal",
    ] {
        assert_eq!(rctl_cfg[field], bud_cfg[field], "config field {field}");
    }
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
}

/// Serve `body` over HTTP on 127.0.0.1 for `requests` requests; returns
/// the port.
fn serve(body: &'static str, requests: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut s = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn add_from_a_url_with_checksum_and_copy_from_an_image() {
    let Some(t) = env("build_url") else { return };
    let body = "downloaded\n";
    let sum = common::registry::sha256_hex(body.as_bytes());
    let port = serve(body, 2);
    let good = format!(
        "FROM localhost/busybox\nADD --checksum=sha256:{sum} http://127.0.0.1:{port}/dir/file.txt /dl/\nCOPY --from=localhost/busybox /etc/passwd /from-image/passwd\n"
    );
    let ctx = context(&t, "good", &[("Containerfile", &good)]);
    t.ok(&["build", "-t", "localhost/url", &ctx]);
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "localhost/url",
            "sh",
            "-c",
            "cat /dl/file.txt; stat -c %a /dl/file.txt; head -1 /from-image/passwd"
        ]),
        "downloaded\n600\nroot:x:0:0:root:/root:/bin/sh\n"
    );
    // The built image pushes to a real registry and comes back whole.
    if common::registry::tools().is_ok() {
        let reg = common::registry::Registry::start(&t.dir.join("registry"), None);
        let dest = format!("{}/test/url:1", reg.host());
        t.ok(&["push", "--tls-verify=false", "localhost/url", &dest]);
        t.ok(&["rmi", "localhost/url"]);
        t.ok(&["pull", "--tls-verify=false", &dest]);
        assert_eq!(
            t.ok(&["run", "--rm", &dest, "cat", "/dl/file.txt"]),
            "downloaded\n"
        );
    } else {
        common::missing("the registry tools (contrib/setup-host.sh)");
    }
    let bad = format!(
        "FROM localhost/busybox\nADD --checksum=sha256:{} http://127.0.0.1:{port}/file.txt /dl/\n",
        "0".repeat(64)
    );
    let ctx = context(&t, "bad", &[("Containerfile", &bad)]);
    let out = build(&t, &["-t", "localhost/url-bad", &ctx]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("checksum"), "{}", stderr(&out));
    // Downloads are scratch files: none is left in the store.
    let left: Vec<_> = std::fs::read_dir(t.data_root().join("build-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dl-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

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
    assert_eq!(cfg["Entrypoint"], serde_json::json!(["/bin/sh", "-c"]), "{img}");
    assert_eq!(cfg["Cmd"], serde_json::json!(["cat /etc/motd"]));
    assert_eq!(cfg["WorkingDir"], "/srv/app");
    assert_eq!(cfg["User"], "alice");
    assert_eq!(cfg["StopSignal"], "SIGTERM");
    assert_eq!(cfg["Labels"]["org.example.k"], "v");
    assert!(cfg["ExposedPorts"].get("8080/tcp").is_some());
    assert!(cfg["ExposedPorts"].get("53/udp").is_some());
    assert!(cfg["Volumes"].get("/data").is_some());
    assert_eq!(cfg["Healthcheck"]["Test"], serde_json::json!(["CMD", "true"]));
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
    let file = "FROM localhost/busybox\nRUN echo one > /one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy-of-a\nCOPY b.txt /b.txt\nRUN echo $RANDOM$RANDOM > /random\nCMD [\"cat\", \"/copy-of-a\"]\n";
    let ctx = context(&t, "ctx", &[("Containerfile", file), ("a.txt", "a1\n"), ("b.txt", "b1\n")]);
    let first = build(&t, &["-t", "localhost/c", &ctx]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!stderr(&first).contains("Using cache"), "{}", stderr(&first));
    let id1 = stdout(&first).trim().to_string();
    let random1 = t.ok(&["run", "--rm", "localhost/c", "cat", "/random"]);

    // Unchanged: every filesystem step is a cache hit; the same image.
    let second = build(&t, &["-t", "localhost/c", &ctx]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stderr(&second).matches("--> Using cache").count(), 5, "{}", stderr(&second));
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
    assert_ne!(t.ok(&["run", "--rm", "localhost/c", "cat", "/random"]), random1);

    // --no-cache reruns everything; --iidfile gets the ID.
    let iid = t.dir.join("iid");
    std::fs::File::create(&iid).unwrap();
    t.chown_tree(&iid);
    let fourth = build(&t, &["--no-cache", "--iidfile", iid.to_str().unwrap(), &ctx]);
    assert!(fourth.status.success(), "{}", stderr(&fourth));
    assert!(!stderr(&fourth).contains("Using cache"));
    assert_eq!(
        std::fs::read_to_string(&iid).unwrap(),
        format!("sha256:{}", stdout(&fourth).trim())
    );
}

#[test]
fn bad_input_is_refused_and_tags_nothing() {
    let Some(t) = env("build_bad") else { return };
    let cases: &[(&str, &str, &str)] = &[
        ("syntax", "FROM localhost/busybox\nRUN [\"unterminated\nCOPY\n", "Containerfile:3"),
        ("unknown", "FROM localhost/busybox\nFROBNICATE x\n", "FROBNICATE"),
        ("stage", "FROM localhost/busybox\nCOPY --from=nosuchstage /x /x\n", "nosuchstage"),
        ("missing", "FROM localhost/busybox\nCOPY nothere.txt /x\n", "nothere.txt"),
        ("outside", "FROM localhost/busybox\nCOPY ../secret /x\n", "outside the build context"),
        ("ignored", "FROM localhost/busybox\nCOPY hidden.txt /x\n", ".dockerignore"),
    ];
    for (name, file, needle) in cases {
        let ctx = context(
            &t,
            name,
            &[("Containerfile", file), ("hidden.txt", "h"), (".dockerignore", "hidden.txt\n")],
        );
        let out = build(&t, &["-t", &format!("localhost/bad-{name}"), &ctx]);
        assert_eq!(out.status.code(), Some(125), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{name}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{name}");
    }
    t.write_file("secret", "s");
    // A failing RUN: its status and step are reported, nothing is tagged.
    let ctx = context(&t, "run", &[("Containerfile", "FROM localhost/busybox\nRUN echo ok\nRUN exit 3\n")]);
    let out = build(&t, &["-t", "localhost/bad-run", &ctx]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("step 3/3"), "{}", stderr(&out));
    assert!(stderr(&out).contains(":3:"), "{}", stderr(&out));
    let images = t.ok(&["images", "--format", "{{.Repository}}"]);
    assert!(!images.contains("bad-"), "{images}");
    // No step containers are left behind.
    assert_eq!(t.ok(&["ps", "-a", "-q"]), "");
}

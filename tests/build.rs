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

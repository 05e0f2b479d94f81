//! Table tests for instruction parsing, one group per instruction, and the
//! errors with their line:column.

use std::time::Duration;

use super::*;

fn one(src: &str) -> Instruction {
    let file = parse("Containerfile", src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    assert_eq!(file.instructions.len(), 1, "{src:?}");
    file.instructions.into_iter().next().unwrap().instruction
}

fn s(v: &str) -> String {
    v.to_string()
}

fn kv(k: &str, v: &str) -> KeyValue {
    KeyValue {
        key: s(k),
        value: s(v),
    }
}

fn exec(args: &[&str]) -> Command {
    Command::Exec(args.iter().map(|a| s(a)).collect())
}

#[test]
fn from_forms() {
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("FROM alpine", "alpine", None, None),
        ("from alpine:3.20", "alpine:3.20", None, None),
        ("FROM scratch", "scratch", None, None),
        ("FROM golang AS build", "golang", Some("build"), None),
        (
            "FROM golang as Build-1.x",
            "golang",
            Some("build-1.x"),
            None,
        ),
        ("FROM $BASE", "$BASE", None, None),
        (
            "FROM ${IMG:-busybox} AS b_2",
            "${IMG:-busybox}",
            Some("b_2"),
            None,
        ),
        (
            "FROM --platform=linux/amd64 debian AS d",
            "debian",
            Some("d"),
            Some("linux/amd64"),
        ),
        (
            "FROM --platform=$BUILDPLATFORM debian",
            "debian",
            None,
            Some("$BUILDPLATFORM"),
        ),
        (
            "FROM reg.io/a/b@sha256:abc",
            "reg.io/a/b@sha256:abc",
            None,
            None,
        ),
    ];
    for (src, image, alias, platform) in cases {
        assert_eq!(
            one(src),
            Instruction::From(FromSpec {
                image: s(image),
                alias: alias.map(s),
                platform: platform.map(s),
            }),
            "{src:?}"
        );
    }
}

#[test]
fn run_cmd_entrypoint_forms() {
    let cases: &[(&str, Instruction)] = &[
        (
            "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
            Instruction::Cmd(exec(&["nginx", "-g", "daemon off;"])),
        ),
        (
            "CMD echo hi",
            Instruction::Cmd(Command::Shell(s("echo hi"))),
        ),
        ("CMD []", Instruction::Cmd(exec(&[]))),
        ("CMD", Instruction::Cmd(Command::Shell(s("")))),
        (
            "ENTRYPOINT [\"/bin/sh\",\"-c\"]",
            Instruction::Entrypoint(exec(&["/bin/sh", "-c"])),
        ),
        // Not valid JSON: the shell form, as Docker does.
        (
            "ENTRYPOINT ['single', 'quotes']",
            Instruction::Entrypoint(Command::Shell(s("['single', 'quotes']"))),
        ),
        ("CMD [\"a\"", Instruction::Cmd(Command::Shell(s("[\"a\"")))),
        (
            "CMD [\"unicode \\u00e9\"]",
            Instruction::Cmd(exec(&["unicode \u{e9}"])),
        ),
        (
            "CMD   [ \"spaced\" ]   ",
            Instruction::Cmd(exec(&["spaced"])),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(&one(src), want, "{src:?}");
    }
}

fn run(src: &str) -> Run {
    match one(src) {
        Instruction::Run(r) => r,
        other => panic!("{src:?}: {other:?}"),
    }
}

#[test]
fn run_forms_and_flags() {
    let r = run("RUN apt-get update && apt-get install -y x");
    assert_eq!(
        r.command,
        Command::Shell(s("apt-get update && apt-get install -y x"))
    );
    assert!(r.mounts.is_empty() && r.network.is_none() && r.security.is_none());

    let r = run("RUN [\"/bin/echo\", \"$HOME\"]");
    assert_eq!(r.command, exec(&["/bin/echo", "$HOME"]));

    let r = run("RUN --mount=type=cache,target=/root/.cache,sharing=locked,id=pip pip install x");
    assert_eq!(r.command, Command::Shell(s("pip install x")));
    assert_eq!(
        r.mounts,
        vec![Mount {
            kind: MountKind::Cache,
            target: Some(s("/root/.cache")),
            id: Some(s("pip")),
            sharing: Some(Sharing::Locked),
            ..Mount::default()
        }]
    );

    let r = run(
        "RUN --mount=type=bind,from=build,source=/out,target=/in,ro --mount=type=tmpfs,dst=/tmp \\\n    --network=none --security=insecure make",
    );
    assert_eq!(r.mounts.len(), 2);
    assert_eq!(r.mounts[0].kind, MountKind::Bind);
    assert_eq!(r.mounts[0].from.as_deref(), Some("build"));
    assert_eq!(r.mounts[0].source.as_deref(), Some("/out"));
    assert!(r.mounts[0].readonly);
    assert_eq!(r.mounts[1].kind, MountKind::Tmpfs);
    assert_eq!(r.mounts[1].target.as_deref(), Some("/tmp"));
    assert_eq!(r.network, Some(Network::None));
    assert_eq!(r.security, Some(Security::Insecure));
    assert_eq!(r.command, Command::Shell(s("make")));

    let r = run("RUN --mount=target=/src,mode=0755,uid=1000,gid=1000 ls");
    assert_eq!(r.mounts[0].kind, MountKind::Bind);
    assert_eq!(r.mounts[0].mode, Some(0o755));
    assert_eq!((r.mounts[0].uid, r.mounts[0].gid), (Some(1000), Some(1000)));

    let r = run("RUN --mount=type=secret,id=tok,required cat /run/secrets/tok");
    assert_eq!(r.mounts[0].kind, MountKind::Secret);
    assert!(r.mounts[0].required);
    assert_eq!(r.mounts[0].target, None);

    // `--` ends the flags.
    let r = run("RUN -- --not-a-flag");
    assert_eq!(r.command, Command::Shell(s("--not-a-flag")));
    // Quotes in a flag word are removed.
    let r = run("RUN --mount=type=cache,target=\"/a b\" x");
    assert_eq!(r.mounts[0].target.as_deref(), Some("/a b"));
}

#[test]
fn run_heredocs() {
    let r = run("RUN <<EOF\napk add x\nEOF");
    assert_eq!(r.command, Command::Shell(s("<<EOF")));
    assert_eq!(r.script().map(|h| h.content.as_str()), Some("apk add x\n"));

    let r = run("RUN python3 <<'PY'\nprint('$x')\nPY");
    assert!(r.script().is_none());
    assert_eq!(r.heredocs.len(), 1);
    assert!(!r.heredocs[0].expand);

    let file = parse(
        "f",
        "FROM a\nRUN <<-EOT bash\n\tset -e\n\techo $A\n\tEOT\nCMD x",
    )
    .unwrap();
    let Instruction::Run(r) = &file.instructions[1].instruction else {
        panic!()
    };
    assert_eq!(r.heredocs[0].content, "set -e\necho $A\n");
    assert_eq!(file.instructions[1].end_line, 5);
    assert_eq!(file.instructions[2].line, 6);
}

#[test]
fn run_shell_text() {
    let cases: &[(&str, Option<&str>)] = &[
        ("RUN make all", Some("make all")),
        ("RUN [\"make\"]", None),
        ("RUN <<EOF\nset -e\nmake\nEOF", Some("set -e\nmake\n")),
        (
            "RUN python3 <<PY > /out\nprint(1)\nPY",
            Some("python3 <<PY > /out\nprint(1)\nPY"),
        ),
        (
            "RUN <<A cat && <<-B cat\na\nA\n\tb\n\tB",
            Some("<<A cat && <<-B cat\na\nA\nb\nB"),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(run(src).shell_text().as_deref(), *want, "{src:?}");
    }
}

fn copy(src: &str) -> CopySpec {
    match one(src) {
        Instruction::Copy(c) | Instruction::Add(c) => c,
        other => panic!("{src:?}: {other:?}"),
    }
}

fn paths(c: &CopySpec) -> Vec<&str> {
    c.sources
        .iter()
        .map(|x| match x {
            Source::Path(p) => p.as_str(),
            Source::Heredoc(h) => h.name.as_str(),
        })
        .collect()
}

#[test]
fn copy_and_add() {
    let c = copy("COPY a b /dest/");
    assert_eq!((paths(&c), c.dest.as_str()), (vec!["a", "b"], "/dest/"));

    let c = copy("COPY [\"with space\", \"/d\"]");
    assert_eq!((paths(&c), c.dest.as_str()), (vec!["with space"], "/d"));

    let c = copy("COPY --from=build --chown=app:app --chmod=0640 --link /out/bin /usr/local/bin/");
    assert_eq!(c.from.as_deref(), Some("build"));
    assert_eq!(c.chown.as_deref(), Some("app:app"));
    assert_eq!(c.chmod.as_deref(), Some("0640"));
    assert!(c.link);
    assert_eq!(paths(&c), ["/out/bin"]);

    let c = copy("COPY --link=false --parents --exclude=*.md --exclude=tmp . /app");
    assert!(!c.link && c.parents);
    assert_eq!(c.exclude, ["*.md", "tmp"]);

    let c = copy("COPY --chmod=$MODE x /x");
    assert_eq!(c.chmod.as_deref(), Some("$MODE"));

    let c = copy("COPY <<EOF /etc/motd\nhello $USER\nEOF");
    assert_eq!(c.dest, "/etc/motd");
    match &c.sources[0] {
        Source::Heredoc(h) => assert_eq!((h.content.as_str(), h.expand), ("hello $USER\n", true)),
        other => panic!("{other:?}"),
    }

    let c = copy("COPY <<A <<\"B\" ./\na\nA\nb\nB");
    assert_eq!(paths(&c), ["A", "B"]);
    assert!(matches!(&c.sources[1], Source::Heredoc(h) if !h.expand));

    let sum = format!("sha256:{}", "ab".repeat(32));
    let c = copy(&format!(
        "ADD --checksum={sum} https://example.org/x.tgz /x.tgz"
    ));
    assert_eq!(c.checksum.as_deref(), Some(sum.as_str()));
    assert!(matches!(one("ADD x.tar /"), Instruction::Add(_)));
    assert!(copy("ADD --keep-git-dir=true git@h:r.git /src").keep_git_dir);
}

#[test]
fn env_label_forms() {
    let cases: &[(&str, Vec<KeyValue>)] = &[
        ("ENV A 1", vec![kv("A", "1")]),
        ("ENV A  one two  three", vec![kv("A", "one two  three")]),
        ("ENV A \"quoted value\"", vec![kv("A", "\"quoted value\"")]),
        ("ENV A=1", vec![kv("A", "1")]),
        ("ENV A=1 B=2", vec![kv("A", "1"), kv("B", "2")]),
        (
            "ENV A=\"v 2\" B='x y' C=a\\ b",
            vec![kv("A", "\"v 2\""), kv("B", "'x y'"), kv("C", "a\\ b")],
        ),
        ("ENV A=", vec![kv("A", "")]),
        ("ENV A=b=c", vec![kv("A", "b=c")]),
        ("ENV A=1 \\\n    B=2", vec![kv("A", "1"), kv("B", "2")]),
    ];
    for (src, want) in cases {
        assert_eq!(one(src), Instruction::Env(want.clone()), "{src:?}");
        let label = src.replacen("ENV", "LABEL", 1);
        assert_eq!(one(&label), Instruction::Label(want.clone()), "{label:?}");
    }
    assert_eq!(
        one("LABEL \"com.example.vendor\"=\"ACME\" version=1.0"),
        Instruction::Label(vec![
            kv("\"com.example.vendor\"", "\"ACME\""),
            kv("version", "1.0")
        ])
    );
    assert_eq!(
        one("MAINTAINER Jane <jane@example.org>"),
        Instruction::Maintainer(s("Jane <jane@example.org>"))
    );
    assert_eq!(
        one("MAINTAINER x").maintainer_label(),
        Some(kv("maintainer", "x"))
    );
}

#[test]
fn arg_forms() {
    let decl = |n: &str, d: Option<&str>| ArgDecl {
        name: s(n),
        default: d.map(s),
    };
    let cases: &[(&str, Vec<ArgDecl>)] = &[
        ("ARG V", vec![decl("V", None)]),
        ("ARG V=1", vec![decl("V", Some("1"))]),
        ("ARG V=", vec![decl("V", Some(""))]),
        (
            "ARG A=1 B C=\"x y\"",
            vec![
                decl("A", Some("1")),
                decl("B", None),
                decl("C", Some("\"x y\"")),
            ],
        ),
        ("arg V=${X:-d}", vec![decl("V", Some("${X:-d}"))]),
    ];
    for (src, want) in cases {
        assert_eq!(one(src), Instruction::Arg(want.clone()), "{src:?}");
    }
}

#[test]
fn simple_value_instructions() {
    let cases: &[(&str, Instruction)] = &[
        ("WORKDIR /app", Instruction::Workdir(s("/app"))),
        ("WORKDIR /my dir", Instruction::Workdir(s("/my dir"))),
        ("USER app:app", Instruction::User(s("app:app"))),
        ("USER ${UID}", Instruction::User(s("${UID}"))),
        ("STOPSIGNAL SIGTERM", Instruction::StopSignal(s("SIGTERM"))),
        (
            "EXPOSE 80 443/tcp 53/udp",
            Instruction::Expose(vec![s("80"), s("443/tcp"), s("53/udp")]),
        ),
        ("VOLUME /data", Instruction::Volume(vec![s("/data")])),
        ("VOLUME /a /b", Instruction::Volume(vec![s("/a"), s("/b")])),
        (
            "VOLUME [\"/a b\", \"/c\"]",
            Instruction::Volume(vec![s("/a b"), s("/c")]),
        ),
        (
            "SHELL [\"powershell\", \"-command\"]",
            Instruction::Shell(vec![s("powershell"), s("-command")]),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(&one(src), want, "{src:?}");
    }
}

#[test]
fn healthcheck_forms() {
    assert_eq!(
        one("HEALTHCHECK NONE"),
        Instruction::Healthcheck(Healthcheck::None)
    );
    let Instruction::Healthcheck(Healthcheck::Check(c)) = one(
        "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1",
    ) else {
        panic!()
    };
    assert_eq!(c.interval, Some(Duration::from_secs(300)));
    assert_eq!(c.timeout, Some(Duration::from_secs(3)));
    assert_eq!(c.start_period, Some(Duration::from_secs(90)));
    assert_eq!(c.start_interval, Some(Duration::from_millis(500)));
    assert_eq!(c.retries, Some(3));
    assert_eq!(
        c.test(),
        ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
    );

    let Instruction::Healthcheck(Healthcheck::Check(c)) =
        one("HEALTHCHECK cmd [\"/bin/check\", \"--fast\"]")
    else {
        panic!()
    };
    assert_eq!(c.test(), ["CMD", "/bin/check", "--fast"]);
    assert_eq!((c.interval, c.retries), (None, None));

    let Instruction::Healthcheck(Healthcheck::Check(c)) =
        one("HEALTHCHECK --interval=0 --timeout=1.5s CMD true")
    else {
        panic!()
    };
    assert_eq!(c.interval, Some(Duration::ZERO));
    assert_eq!(c.timeout, Some(Duration::from_millis(1500)));
}

#[test]
fn onbuild() {
    let Instruction::Onbuild(o) = one("ONBUILD RUN make install") else {
        panic!()
    };
    assert_eq!(o.text, "RUN make install");
    assert_eq!(
        o.instruction,
        Instruction::Run(Run {
            command: Command::Shell(s("make install")),
            heredocs: vec![],
            mounts: vec![],
            network: None,
            security: None,
        })
    );
    let Instruction::Onbuild(o) = one("onbuild COPY --chown=1:1 . /app") else {
        panic!()
    };
    assert!(matches!(o.instruction, Instruction::Copy(ref c) if c.chown.as_deref() == Some("1:1")));
    let Instruction::Onbuild(o) = one("ONBUILD ENV A=$B") else {
        panic!()
    };
    assert_eq!(o.instruction, Instruction::Env(vec![kv("A", "$B")]));
}

#[test]
fn keywords_are_case_insensitive_and_file_is_kept() {
    let file = parse("dir/Dockerfile", "# syntax=x\nfRoM a\nrun b\nCoPy a b").unwrap();
    assert_eq!(file.file, "dir/Dockerfile");
    assert_eq!(file.directives.syntax.as_deref(), Some("x"));
    let kw: Vec<&str> = file
        .instructions
        .iter()
        .map(|l| l.instruction.keyword())
        .collect();
    assert_eq!(kw, ["FROM", "RUN", "COPY"]);
    let places: Vec<(usize, usize)> = file
        .instructions
        .iter()
        .map(|l| (l.line, l.column))
        .collect();
    assert_eq!(places, [(2, 1), (3, 1), (4, 1)]);
    assert_eq!(file.instructions[2].text, "CoPy a b");
}

#[test]
fn backtick_escape_file() {
    let file = parse(
        "f",
        "# escape=`\nFROM windows\nRUN dir C:\\ `\n  && echo ok\nENV P=C:\\x Q=a` b",
    )
    .unwrap();
    assert_eq!(
        file.instructions[1].instruction,
        Instruction::Run(Run {
            command: Command::Shell(s("dir C:\\   && echo ok")),
            heredocs: vec![],
            mounts: vec![],
            network: None,
            security: None,
        })
    );
    assert_eq!(
        file.instructions[2].instruction,
        Instruction::Env(vec![kv("P", "C:\\x"), kv("Q", "a` b")])
    );
}

#[test]
fn words_split_like_buildkit() {
    let cases: &[(&str, &[&str])] = &[
        ("a b", &["a", "b"]),
        ("a=\"b c\" d", &["a=\"b c\"", "d"]),
        ("a='b \\' c", &["a='b \\'", "c"]),
        ("a\\ b c", &["a\\ b", "c"]),
        ("a=\"x\\\"y\" z", &["a=\"x\\\"y\"", "z"]),
        ("  ", &[]),
        ("a=\"\"", &["a=\"\""]),
    ];
    for (text, want) in cases {
        assert_eq!(words(text, '\\'), *want, "{text:?}");
    }
}

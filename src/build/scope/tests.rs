//! Table tests for ARG/ENV scoping and per-instruction substitution.

use super::*;
use crate::build::parse;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Resolve every instruction of `src` (no FROM needed) in a stage scope;
/// returns the resolved list and the final scope.
fn run_stage(
    src: &str,
    build_args: &[(&str, &str)],
    global: &[(&str, &str)],
    base_env: &[(&str, &str)],
) -> (Vec<Resolved>, Scope) {
    let file = parse("Containerfile", src).unwrap();
    let mut scope = Scope::stage(
        "Containerfile",
        file.directives.escape,
        &map(build_args),
        &map(global),
        &pairs(base_env),
    );
    let resolved = file
        .instructions
        .iter()
        .map(|l| scope.resolve(l).unwrap_or_else(|e| panic!("{src:?}: {e}")))
        .collect();
    (resolved, scope)
}

/// The value of `$NAME` after the instructions of `src`.
fn value_after(src: &str, build_args: &[(&str, &str)], global: &[(&str, &str)]) -> String {
    let src = format!("{src}\nLABEL probe=\"$NAME\"");
    let (resolved, _) = run_stage(&src, build_args, global, &[("PATH", "/bin")]);
    match &resolved.last().unwrap().instruction {
        Instruction::Label(kv) => kv[0].value.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn scoping_rules() {
    type Pairs<'a> = &'a [(&'a str, &'a str)];
    let cases: &[(&str, Pairs, Pairs, &str)] = &[
        // ARG default.
        ("ARG NAME=dflt", &[], &[], "dflt"),
        // --build-arg overrides the default.
        ("ARG NAME=dflt", &[("NAME", "cli")], &[], "cli"),
        // Declared without default and without build arg: empty.
        ("ARG NAME", &[], &[], ""),
        // Build args reach only declared ARGs.
        ("ENV X=1", &[("NAME", "cli")], &[], ""),
        // ENV wins over ARG of the same name, whichever comes first.
        ("ARG NAME=a\nENV NAME=env", &[("NAME", "cli")], &[], "env"),
        ("ENV NAME=env\nARG NAME=a", &[("NAME", "cli")], &[], "env"),
        // A global ARG is not visible in a stage...
        ("ENV X=1", &[], &[("NAME", "global")], ""),
        // ...unless declared again, which takes the global value.
        ("ARG NAME", &[], &[("NAME", "global")], "global"),
        // A stage default beats the global value; a build arg beats both.
        ("ARG NAME=stage", &[], &[("NAME", "global")], "stage"),
        (
            "ARG NAME=stage",
            &[("NAME", "cli")],
            &[("NAME", "global")],
            "cli",
        ),
        // Defaults expand earlier ARGs and ENVs.
        ("ARG A=1\nARG NAME=${A}x", &[], &[], "1x"),
        ("ENV A=e\nARG NAME=$A-$PATH", &[], &[], "e-/bin"),
        // One instruction sees the scope from before it.
        (
            "ENV NAME=old\nENV NAME=new X=$NAME\nENV NAME=$X",
            &[],
            &[],
            "old",
        ),
        (
            "ARG NAME=old\nARG NAME=new X=$NAME\nARG NAME=$X",
            &[],
            &[],
            "old",
        ),
        // Re-declaring an ARG replaces its value.
        ("ARG NAME=1\nARG NAME=2", &[], &[], "2"),
        // Base image env is visible.
        ("ENV NAME=$PATH:/sbin", &[], &[], "/bin:/sbin"),
        // Quotes are removed by substitution, as Docker does.
        ("ENV NAME=\"a b\"", &[], &[], "a b"),
        ("ENV NAME 'single $PATH'", &[], &[], "single $PATH"),
        ("ENV NAME a\\ b", &[], &[], "a b"),
        ("ENV NAME=\\$PATH", &[], &[], "$PATH"),
        (
            "ARG V=x\nENV NAME=${V:+set}-${U:-unset}",
            &[],
            &[],
            "set-unset",
        ),
    ];
    for (src, build_args, global, want) in cases {
        assert_eq!(
            value_after(src, build_args, global),
            *want,
            "{src:?} args {build_args:?} global {global:?}"
        );
    }
}

#[test]
fn env_and_run_env() {
    let (_, scope) = run_stage(
        "ARG V=1\nENV A=x B=\"y z\"\nENV PATH=/usr/bin:$PATH",
        &[("HTTP_PROXY", "http://p"), ("UNDECLARED", "u")],
        &[],
        &[("PATH", "/bin"), ("HOME", "/root")],
    );
    assert_eq!(
        scope.env(),
        pairs(&[
            ("PATH", "/usr/bin:/bin"),
            ("HOME", "/root"),
            ("A", "x"),
            ("B", "y z")
        ])
        .as_slice()
    );
    let run_env = scope.run_env();
    assert!(run_env.contains(&("V".into(), "1".into())));
    assert!(run_env.contains(&("HTTP_PROXY".into(), "http://p".into())));
    assert!(!run_env.iter().any(|(k, _)| k == "UNDECLARED"));
    // The ARG is not in the image's env.
    assert!(!scope.env().iter().any(|(k, _)| k == "V"));
    assert_eq!(scope.arg_values(), map(&[("V", "1")]));
}

#[test]
fn arg_shadowed_by_env_in_run_env() {
    let (_, scope) = run_stage("ENV V=env\nARG V=arg", &[], &[], &[]);
    let vs: Vec<_> = scope
        .run_env()
        .into_iter()
        .filter(|(k, _)| k == "V")
        .collect();
    assert_eq!(vs, pairs(&[("V", "env")]));
}

#[test]
fn which_instructions_expand() {
    let src = "ARG D=/data P=8080 U=app S=SIGINT M=0644 F=build\n\
               WORKDIR $D/work\n\
               USER ${U}:${U}\n\
               VOLUME [\"$D\", \"/x\"]\n\
               VOLUME $D/v /y\n\
               EXPOSE $P ${P}/udp\n\
               STOPSIGNAL $S\n\
               LABEL dir=$D\n\
               COPY --from=$F --chown=$U --chmod=$M $D/a /dst/$U/\n\
               ADD <<EOF $D/h\nhome=$D '$U'\nEOF\n\
               COPY <<'EOF' /q\nraw $D\nEOF\n\
               RUN --mount=type=cache,target=$D/cache echo $D\n\
               CMD echo $D\n\
               ENTRYPOINT [\"$D\"]\n\
               HEALTHCHECK CMD test -d $D\n\
               ONBUILD RUN echo $D\n\
               SHELL [\"/bin/sh\", \"-c\", \"$D\"]";
    let (r, _) = run_stage(src, &[], &[], &[]);
    let got: Vec<&Instruction> = r.iter().map(|x| &x.instruction).collect();
    assert_eq!(*got[1], Instruction::Workdir("/data/work".into()));
    assert_eq!(*got[2], Instruction::User("app:app".into()));
    assert_eq!(
        *got[3],
        Instruction::Volume(vec!["/data".into(), "/x".into()])
    );
    assert_eq!(
        *got[4],
        Instruction::Volume(vec!["/data/v".into(), "/y".into()])
    );
    assert_eq!(
        *got[5],
        Instruction::Expose(vec!["8080".into(), "8080/udp".into()])
    );
    assert_eq!(*got[6], Instruction::StopSignal("SIGINT".into()));
    let Instruction::Copy(c) = got[8] else {
        panic!()
    };
    assert_eq!(c.from.as_deref(), Some("build"));
    assert_eq!(c.chown.as_deref(), Some("app"));
    assert_eq!(c.chmod.as_deref(), Some("0644"));
    assert!(matches!(&c.sources[0], Source::Path(p) if p == "/data/a"));
    assert_eq!(c.dest, "/dst/app/");
    let Instruction::Add(a) = got[9] else {
        panic!()
    };
    assert!(matches!(&a.sources[0], Source::Heredoc(h) if h.content == "home=/data 'app'\n"));
    assert_eq!(a.dest, "/data/h");
    let Instruction::Copy(q) = got[10] else {
        panic!()
    };
    assert!(matches!(&q.sources[0], Source::Heredoc(h) if h.content == "raw $D\n"));
    let Instruction::Run(run) = got[11] else {
        panic!()
    };
    assert_eq!(run.mounts[0].target.as_deref(), Some("/data/cache"));
    assert_eq!(run.command, Command::Shell("echo $D".into()));
    assert_eq!(*got[12], Instruction::Cmd(Command::Shell("echo $D".into())));
    assert_eq!(
        *got[13],
        Instruction::Entrypoint(Command::Exec(vec!["$D".into()]))
    );
    assert!(
        matches!(got[14], Instruction::Healthcheck(Healthcheck::Check(c)) if c.command == Command::Shell("test -d $D".into()))
    );
    assert!(matches!(got[15], Instruction::Onbuild(o) if o.text == "RUN echo $D"));
    assert!(matches!(got[16], Instruction::Shell(v) if v[2] == "$D"));
}

#[test]
fn quoted_copy_source_is_split_like_docker() {
    // `COPY "a b" /d` splits on whitespace before substitution, so the
    // first word has an unmatched quote: an error, as in Docker.
    let file = parse("f", "COPY \"a b\" /d").unwrap();
    let mut scope = Scope::global("f", '\\', &BTreeMap::new());
    let e = scope.resolve(&file.instructions[0]).unwrap_err();
    assert_eq!(e.line_column(), Some((1, 1)));
    assert_eq!(
        e.kind,
        ErrorKind::Expand(super::super::expand::ExpandError::UnterminatedDoubleQuote)
    );
}

#[test]
fn history_lines() {
    let (r, _) = run_stage(
        "ARG B=2 A=1\nRUN make   all\nENV X=\"a b\" Y=c\nCOPY --chown=$A src/ /dst\nLABEL v=$B\nCMD x\n\
         WORKDIR /w$A\nUSER u$B\nSTOPSIGNAL SIG$B\nEXPOSE $A 2/udp\nVOLUME [\"/a b\", \"/c$A\"]",
        &[],
        &[],
        &[],
    );
    let h: Vec<&str> = r.iter().map(|x| x.history.as_str()).collect();
    assert_eq!(
        h,
        [
            "ARG B=2 A=1",
            "RUN |2 A=1 B=2 make   all",
            "ENV X=\"a b\" Y=c",
            "COPY --chown=1 src/ /dst",
            "LABEL v=2",
            "CMD x",
            "WORKDIR /w1",
            "USER u2",
            "STOPSIGNAL SIG2",
            "EXPOSE 1 2/udp",
            "VOLUME \"/a b\" /c1",
        ]
    );
    let (r, _) = run_stage("RUN make", &[], &[], &[]);
    assert_eq!(r[0].history, "RUN make");
    assert!(r[0].cache_text().starts_with("RUN make\n"));
}

#[test]
fn cache_text_changes_with_args() {
    let text = |v: &str| {
        let (r, _) = run_stage("ARG V\nRUN make", &[("V", v)], &[], &[]);
        r[1].cache_text()
    };
    assert_ne!(text("1"), text("2"));
    let heredoc = |body: &str| {
        let (r, _) = run_stage(&format!("RUN <<EOF\n{body}\nEOF"), &[], &[], &[]);
        r[0].cache_text()
    };
    assert_ne!(heredoc("a"), heredoc("b"));
}

#[test]
fn errors_name_the_instruction() {
    let cases: &[(&str, (usize, usize), ErrorKind)] = &[
        (
            "FROM a\n  EXPOSE 80/tcpx",
            (2, 3),
            ErrorKind::InvalidPort("80/tcpx".into()),
        ),
        (
            "EXPOSE 70000",
            (1, 1),
            ErrorKind::InvalidPort("70000".into()),
        ),
        ("EXPOSE http", (1, 1), ErrorKind::InvalidPort("http".into())),
        (
            "ARG M=abc\nCOPY --chmod=$M a b",
            (2, 1),
            ErrorKind::FlagValue {
                flag: "chmod".into(),
                message: "`abc` is not an octal mode such as 0755".into(),
            },
        ),
        (
            "\n\nWORKDIR ${D:?set D}",
            (3, 1),
            ErrorKind::Expand(crate::build::ExpandError::Required {
                name: "D".into(),
                message: "set D".into(),
            }),
        ),
        (
            "ARG SUM=sha256:abc\nADD --checksum=$SUM https://h/x /x",
            (2, 1),
            ErrorKind::FlagValue {
                flag: "checksum".into(),
                message: "`sha256:abc` is not a digest such as sha256:<64 hex digits>".into(),
            },
        ),
        (
            "COPY ok ../secret /d",
            (1, 1),
            ErrorKind::OutsideContext {
                instruction: "COPY",
                path: "../secret".into(),
            },
        ),
        (
            "ARG UP=..\nADD a/b/../../$UP/x /d",
            (2, 1),
            ErrorKind::OutsideContext {
                instruction: "ADD",
                path: "a/b/../../../x".into(),
            },
        ),
        (
            "USER ${U",
            (1, 1),
            ErrorKind::Expand(crate::build::ExpandError::MissingBrace),
        ),
    ];
    for (src, place, kind) in cases {
        let file = parse("f", src).unwrap();
        let mut scope = Scope::global("f", '\\', &BTreeMap::new());
        let mut result = Ok(());
        for l in &file.instructions {
            if let Err(e) = scope.resolve(l) {
                result = Err(e);
                break;
            }
        }
        let e = result.expect_err(src);
        assert_eq!((e.line_column(), &e.kind), (Some(*place), kind), "{src:?}");
    }
}

#[test]
fn ports() {
    for p in [
        "80",
        "80/tcp",
        "53/UDP",
        "9/sctp",
        "8000-8010",
        "8000-8010/udp",
        "65535",
    ] {
        assert!(valid_port(p), "{p}");
    }
    for p in ["", "x", "80/", "80/icmp", "-1", "1-", "65536", "80/tcp/udp"] {
        assert!(!valid_port(p), "{p}");
    }
}

#[test]
fn backtick_escape_in_substitution() {
    let (r, scope) = run_stage("# escape=`\nENV P=C:\\dir Q=a`$B", &[], &[], &[]);
    assert_eq!(r.len(), 1);
    assert_eq!(
        scope.env(),
        pairs(&[("P", "C:\\dir"), ("Q", "a$B")]).as_slice()
    );
}

#[test]
fn context_escapes() {
    for p in ["../x", "..", "a/../../x", "./../x"] {
        assert!(escapes_context(p), "{p}");
    }
    for p in [
        "x",
        ".",
        "a/../x",
        "/x",
        "a/b/../../c",
        "https://h/../x",
        "git@h:r/../x",
        "*/..",
    ] {
        assert!(!escapes_context(p), "{p}");
    }
    // With --from the path is inside that stage or image, not the context.
    let (r, _) = run_stage("FROM a AS b\nCOPY --from=b ../x /y", &[], &[], &[]);
    assert_eq!(r.len(), 2);
}

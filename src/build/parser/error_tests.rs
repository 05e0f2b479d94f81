//! Table tests for parse errors: each with its line:column and message.

use std::time::Duration;

use super::*;

fn err(src: &str) -> (usize, usize, ErrorKind) {
    let e = parse("Containerfile", src).expect_err(src);
    let (l, c) = e.line_column().unwrap();
    (l, c, e.kind)
}

fn s(v: &str) -> String {
    v.to_string()
}

fn args(instruction: &'static str, expected: &'static str) -> ErrorKind {
    ErrorKind::Arguments {
        instruction,
        expected,
    }
}

#[test]
fn errors_with_line_and_column() {
    let flag_value = |flag: &str, message: &str| ErrorKind::FlagValue {
        flag: s(flag),
        message: s(message),
    };
    let cases: Vec<(&str, (usize, usize, ErrorKind))> = vec![
        ("", (1, 1, ErrorKind::Empty)),
        ("# only a comment\n\n", (1, 1, ErrorKind::Empty)),
        (
            "FROM a\nFORM b",
            (
                2,
                1,
                ErrorKind::UnknownInstruction {
                    name: s("FORM"),
                    suggestion: Some("FROM"),
                    after_run: false,
                },
            ),
        ),
        (
            "FROM a\nRUN apt-get update\n  apt-get install x",
            (
                3,
                3,
                ErrorKind::UnknownInstruction {
                    name: s("apt-get"),
                    suggestion: None,
                    after_run: true,
                },
            ),
        ),
        (
            "FROM",
            (
                1,
                5,
                args("FROM", "needs an image (`FROM IMAGE [AS NAME]`)"),
            ),
        ),
        (
            "FROM a b",
            (
                1,
                6,
                args("FROM", "takes an image and an optional `AS NAME`"),
            ),
        ),
        (
            "FROM a AS",
            (
                1,
                6,
                args("FROM", "takes an image and an optional `AS NAME`"),
            ),
        ),
        (
            "FROM a AS 1x",
            (1, 11, ErrorKind::InvalidStageName(s("1x"))),
        ),
        (
            "FROM a AS b/c",
            (1, 11, ErrorKind::InvalidStageName(s("b/c"))),
        ),
        ("FROM a\nRUN", (2, 4, args("RUN", "needs a command"))),
        ("RUN [ ]", (1, 5, args("RUN", "needs a command"))),
        (
            "COPY a",
            (
                1,
                6,
                args("COPY", "needs at least one source and a destination"),
            ),
        ),
        (
            "ADD [\"a\"]",
            (
                1,
                5,
                args("ADD", "needs at least one source and a destination"),
            ),
        ),
        ("ENV", (1, 4, args("ENV", "needs at least one `KEY=VALUE`"))),
        (
            "ENV A",
            (
                1,
                5,
                args("ENV", "needs a value (`KEY=VALUE` or `KEY VALUE`)"),
            ),
        ),
        (
            "ENV A=1 B",
            (
                1,
                5,
                ErrorKind::Syntax(s("ENV: no `=` in `B` (write KEY=VALUE)")),
            ),
        ),
        ("LABEL =x", (1, 7, args("LABEL", "names cannot be empty"))),
        (
            "ARG",
            (1, 4, args("ARG", "needs a name (`ARG NAME[=DEFAULT]`)")),
        ),
        ("ARG =1", (1, 5, args("ARG", "names cannot be empty"))),
        ("WORKDIR", (1, 8, args("WORKDIR", "needs a directory"))),
        (
            "USER",
            (1, 5, args("USER", "needs a user (`USER NAME[:GROUP]`)")),
        ),
        ("EXPOSE", (1, 7, args("EXPOSE", "needs at least one port"))),
        (
            "VOLUME [\"\"]",
            (1, 8, args("VOLUME", "paths cannot be empty")),
        ),
        ("STOPSIGNAL", (1, 11, args("STOPSIGNAL", "needs a signal"))),
        ("MAINTAINER", (1, 11, args("MAINTAINER", "needs a name"))),
        ("SHELL /bin/sh -c", (1, 7, ErrorKind::ShellNotJson)),
        (
            "HEALTHCHECK",
            (1, 12, args("HEALTHCHECK", "needs CMD or NONE")),
        ),
        (
            "CMD [\"a\", 1]",
            (
                1,
                5,
                ErrorKind::Syntax(s("a JSON array here must hold only strings")),
            ),
        ),
        (
            "RUN [null]",
            (
                1,
                5,
                ErrorKind::Syntax(s("a JSON array here must hold only strings")),
            ),
        ),
        (
            "VOLUME [1]",
            (
                1,
                8,
                ErrorKind::Syntax(s("a JSON array here must hold only strings")),
            ),
        ),
        (
            "HEALTHCHECK --retries=1 CMD [true]",
            (
                1,
                29,
                ErrorKind::Syntax(s("a JSON array here must hold only strings")),
            ),
        ),
        ("SHELL []", (1, 7, ErrorKind::ShellNotJson)),
        (
            "ONBUILD ONBUILD RUN x",
            (1, 9, ErrorKind::OnbuildTrigger("ONBUILD")),
        ),
        ("ONBUILD FROM x", (1, 9, ErrorKind::OnbuildTrigger("FROM"))),
        (
            "ONBUILD MAINTAINER x",
            (1, 9, ErrorKind::OnbuildTrigger("MAINTAINER")),
        ),
        (
            "ONBUILD RUNN x",
            (
                1,
                9,
                ErrorKind::UnknownInstruction {
                    name: s("RUNN"),
                    suggestion: Some("RUN"),
                    after_run: false,
                },
            ),
        ),
        (
            "HEALTHCHECK NONE x",
            (1, 13, args("HEALTHCHECK", "NONE takes no arguments")),
        ),
        (
            "HEALTHCHECK --retries=1 NONE",
            (1, 25, args("HEALTHCHECK", "NONE takes no arguments")),
        ),
        (
            "HEALTHCHECK CMD",
            (1, 13, args("HEALTHCHECK", "CMD needs a command")),
        ),
        (
            "HEALTHCHECK RUN x",
            (
                1,
                13,
                ErrorKind::Syntax(s("HEALTHCHECK: unknown type `RUN` (use CMD or NONE)")),
            ),
        ),
        (
            "HEALTHCHECK --interval=5 CMD x",
            (
                1,
                13,
                flag_value(
                    "interval",
                    "`5` is not a duration such as 30s, 1m30s or 500ms",
                ),
            ),
        ),
        (
            "HEALTHCHECK --timeout=10us CMD x",
            (1, 13, flag_value("timeout", "cannot be less than 1ms")),
        ),
        (
            "HEALTHCHECK --retries=-1 CMD x",
            (
                1,
                13,
                flag_value("retries", "`-1` is not a count of 0 or more"),
            ),
        ),
        (
            "COPY --form=a b c",
            (
                1,
                6,
                ErrorKind::UnknownFlag {
                    instruction: "COPY",
                    flag: s("form"),
                },
            ),
        ),
        (
            "ADD --from=a b c",
            (
                1,
                5,
                ErrorKind::UnknownFlag {
                    instruction: "ADD",
                    flag: s("from"),
                },
            ),
        ),
        (
            "WORKDIR --x /a",
            (
                1,
                9,
                ErrorKind::UnknownFlag {
                    instruction: "WORKDIR",
                    flag: s("x"),
                },
            ),
        ),
        (
            "COPY --from=a --from=b c d",
            (1, 15, ErrorKind::DuplicateFlag { flag: s("from") }),
        ),
        (
            "COPY --from c d",
            (
                1,
                6,
                flag_value("from", "a value is needed (`--name=value`)"),
            ),
        ),
        (
            "COPY --link=yes c d",
            (
                1,
                6,
                flag_value("link", "expected true or false, not `yes`"),
            ),
        ),
        (
            "COPY --chmod=999 c d",
            (
                1,
                6,
                flag_value("chmod", "`999` is not an octal mode such as 0755"),
            ),
        ),
        (
            "COPY --chmod=u+x c d",
            (
                1,
                6,
                flag_value("chmod", "`u+x` is not an octal mode such as 0755"),
            ),
        ),
        (
            "ADD --checksum=md5:00 http://x/y /y",
            (
                1,
                5,
                flag_value(
                    "checksum",
                    "`md5:00` is not a digest such as sha256:<64 hex digits>",
                ),
            ),
        ),
        (
            "RUN --mount=type=cache x",
            (1, 5, flag_value("mount", "`target=` is needed")),
        ),
        (
            "RUN --mount=type=nfs,target=/x x",
            (
                1,
                5,
                flag_value(
                    "mount",
                    "unknown type `nfs` (bind, cache, tmpfs, secret, ssh)",
                ),
            ),
        ),
        (
            "RUN --mount=type=cache,target=/x,sharing=all x",
            (
                1,
                5,
                flag_value("mount", "unknown sharing `all` (shared, private, locked)"),
            ),
        ),
        (
            "RUN --mount=target=/x,bogus=1 x",
            (1, 5, flag_value("mount", "unknown option `bogus`")),
        ),
        (
            "RUN --mount=target=/x,uid=me x",
            (1, 5, flag_value("mount", "`uid=me` is not a number")),
        ),
        (
            "RUN --network=bridge x",
            (
                1,
                5,
                flag_value("network", "`bridge` is not one of default, none, host"),
            ),
        ),
        (
            "RUN --security=x y",
            (
                1,
                5,
                flag_value("security", "`x` is not one of sandbox, insecure"),
            ),
        ),
        // Errors point into continuation lines.
        (
            "FROM a\nCOPY \\\n  --chown=1 \\\n  --chmod=8 a b",
            (
                4,
                3,
                flag_value("chmod", "`8` is not an octal mode such as 0755"),
            ),
        ),
        (
            "  EXPOSE",
            (1, 9, args("EXPOSE", "needs at least one port")),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(err(src), want, "{src:?}");
    }
}

#[test]
fn error_display_names_file_line_column_and_hint() {
    let e = parse("app/Containerfile", "FROM a\nRUNN x").unwrap_err();
    assert_eq!(
        e.to_string(),
        "app/Containerfile:2:1: unknown instruction `RUNN`\nhint: did you mean `RUN`?"
    );
    let e = parse("f", "RUN <<EOF\nx").unwrap_err();
    assert_eq!(
        e.to_string(),
        "f:1:5: heredoc `EOF` is not terminated\nhint: end the heredoc with a line holding only `EOF`"
    );
    let e = parse("f", "# escape=x\nFROM a").unwrap_err();
    assert_eq!(
        e.to_string(),
        "f:1:10: invalid escape character `x` in the escape directive\nhint: use `# escape=\\` or `# escape=``"
    );
    let rendered = crate::error::render(&anyhow::Error::new(e).context("parse `f`"));
    assert!(
        rendered.starts_with("Error: parse `f`: f:1:10: invalid escape"),
        "{rendered}"
    );
    assert!(
        rendered.ends_with("\nhint: use `# escape=\\` or `# escape=``"),
        "{rendered}"
    );
}

#[test]
fn parse_bytes_reports_invalid_utf8_position() {
    let e = parse_bytes(b"FROM a\nRUN \xff").unwrap_err();
    assert_eq!(
        (e.line_column(), e.kind),
        (Some((2, 5)), ErrorKind::NotUtf8)
    );
    assert!(parse_bytes(b"FROM a").is_ok());
}

#[test]
fn durations() {
    let ok: &[(&str, Duration)] = &[
        ("0", Duration::ZERO),
        ("1ns", Duration::from_nanos(1)),
        ("2us", Duration::from_micros(2)),
        ("3µs", Duration::from_micros(3)),
        ("4ms", Duration::from_millis(4)),
        ("5s", Duration::from_secs(5)),
        ("6m", Duration::from_secs(360)),
        ("1h2m3s", Duration::from_secs(3723)),
        ("1.5s", Duration::from_millis(1500)),
    ];
    for (text, want) in ok {
        assert_eq!(flags::duration(text), Ok(*want), "{text:?}");
    }
    for bad in ["", "s", "5", "5x", "1.2.3s", "-1s", "9999999999h"] {
        assert!(flags::duration(bad).is_err(), "{bad:?}");
    }
}

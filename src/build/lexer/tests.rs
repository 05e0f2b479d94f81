//! Table tests for logical lines, directives and heredocs.

use super::*;

/// name, content, expand, chomp, fd
type Doc<'a> = (&'a str, &'a str, bool, bool, Option<u32>);

fn texts(src: &str) -> Vec<String> {
    lex("Containerfile", src)
        .unwrap()
        .lines
        .into_iter()
        .map(|l| l.text)
        .collect()
}

fn lex_err(src: &str) -> (usize, usize, ErrorKind) {
    let e = lex("Containerfile", src).unwrap_err();
    let (line, column) = e.line_column().unwrap();
    (line, column, e.kind)
}

#[test]
fn logical_lines() {
    let cases: &[(&str, &[&str])] = &[
        ("FROM a\nRUN b\n", &["FROM a", "RUN b"]),
        ("FROM a\r\nRUN b\r\n", &["FROM a", "RUN b"]),
        ("\u{feff}FROM a", &["FROM a"]),
        ("  FROM a  \n\n\n", &["FROM a"]),
        (
            "# c\nFROM a\n  # indented comment\nRUN b",
            &["FROM a", "RUN b"],
        ),
        ("RUN a \\\n  b", &["RUN a   b"]),
        ("RUN a\\\nb", &["RUN ab"]),
        ("RUN a \\   \n b", &["RUN a  b"]),
        ("RUN a \\\n# comment\n b", &["RUN a  b"]),
        ("RUN a \\\n\n b", &["RUN a  b"]),
        ("RUN a \\\n  \t\n b", &["RUN a  b"]),
        ("RUN a \\\n b \\\n c", &["RUN a  b  c"]),
        ("RUN a \\", &["RUN a"]),
        ("RUN a \\\n", &["RUN a"]),
        ("RUN echo \\\\\nRUN x", &["RUN echo \\RUN x"]),
        ("RUN a # not a comment", &["RUN a # not a comment"]),
        ("RUN a\n#x \\\nRUN b", &["RUN a", "RUN b"]),
    ];
    for (src, want) in cases {
        assert_eq!(texts(src), *want, "source {src:?}");
    }
}

#[test]
fn directives() {
    let cases: &[(&str, char, Option<&str>, &[&str])] = &[
        ("FROM a", '\\', None, &["FROM a"]),
        ("# escape=`\nRUN a `\n b", '`', None, &["RUN a  b"]),
        ("#escape=`\nRUN a `\n b", '`', None, &["RUN a  b"]),
        ("# ESCAPE = `\nRUN a `\n b", '`', None, &["RUN a  b"]),
        ("# escape=\\\nRUN a \\\n b", '\\', None, &["RUN a  b"]),
        (
            "# syntax=docker/dockerfile:1\n# escape=`\nFROM a",
            '`',
            Some("docker/dockerfile:1"),
            &["FROM a"],
        ),
        // A blank line ends the directives: later ones are comments.
        ("\n# escape=`\nRUN a `\n b", '\\', None, &["RUN a `", "b"]),
        // So does an ordinary comment, or an unknown directive.
        ("# hello\n# escape=`\nFROM a", '\\', None, &["FROM a"]),
        ("# foo=bar\n# escape=`\nFROM a", '\\', None, &["FROM a"]),
        // And an instruction.
        (
            "FROM a\n# escape=`\nRUN b",
            '\\',
            None,
            &["FROM a", "RUN b"],
        ),
        // With backtick escape, a backslash is an ordinary character.
        (
            "# escape=`\nRUN dir C:\\\nRUN x",
            '`',
            None,
            &["RUN dir C:\\", "RUN x"],
        ),
    ];
    for (src, escape, syntax, want) in cases {
        let lexed = lex("f", src).unwrap();
        assert_eq!(lexed.directives.escape, *escape, "{src:?}");
        assert_eq!(lexed.directives.syntax.as_deref(), *syntax, "{src:?}");
        let got: Vec<&str> = lexed.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(got, *want, "{src:?}");
    }
}

#[test]
fn directive_errors() {
    assert_eq!(
        lex_err("# escape=x\nFROM a"),
        (1, 10, ErrorKind::InvalidEscape("x".into()))
    );
    assert_eq!(
        lex_err("# escape=`\n# escape=\\\nFROM a"),
        (2, 1, ErrorKind::DuplicateDirective("escape".into()))
    );
    assert_eq!(
        lex_err("# syntax=a\n# SYNTAX=b\nFROM a"),
        (2, 1, ErrorKind::DuplicateDirective("syntax".into()))
    );
}

#[test]
fn positions_map_back_through_continuations() {
    let lexed = lex("f", "FROM a\n  RUN one \\\n    two \\\nthree").unwrap();
    let run = &lexed.lines[1];
    assert_eq!((run.line(), run.column()), (2, 3));
    assert_eq!(run.text, "RUN one     two three");
    assert_eq!(run.position(0), (2, 3));
    assert_eq!(run.position(4), (2, 7));
    // "    two " starts at char 8 of the text, on line 3 column 1.
    assert_eq!(run.position(12), (3, 5));
    assert_eq!(run.position(16), (4, 1));
    assert_eq!(run.end_line, 4);
}

#[test]
fn heredocs() {
    let src = "FROM a\nRUN <<EOF\necho hi\n  indented\nEOF\nRUN b";
    let lexed = lex("f", src).unwrap();
    assert_eq!(lexed.lines.len(), 3);
    let run = &lexed.lines[1];
    assert_eq!(run.text, "RUN <<EOF");
    assert_eq!(run.last_line, 5);
    assert_eq!(
        run.heredocs,
        vec![Heredoc {
            name: "EOF".into(),
            content: "echo hi\n  indented\n".into(),
            expand: true,
            chomp: false,
            fd: None,
        }]
    );
    assert_eq!(lexed.lines[2].text, "RUN b");
}

#[test]
fn heredoc_variants() {
    let cases: &[(&str, &[Doc])] = &[
        // Tab stripping with <<-, also on the terminator.
        (
            "RUN <<-EOT\n\techo a\n\t\techo b\n\tEOT",
            &[("EOT", "echo a\necho b\n", true, true, None)],
        ),
        // Without -, tabs stay and an indented terminator is content.
        (
            "RUN <<EOT\n\techo a\n\tEOT\nEOT",
            &[("EOT", "\techo a\n\tEOT\n", true, false, None)],
        ),
        // Quoted delimiters turn expansion off.
        (
            "RUN <<\"EOF\"\n$A\nEOF",
            &[("EOF", "$A\n", false, false, None)],
        ),
        (
            "RUN <<'EOF'\n$A\nEOF",
            &[("EOF", "$A\n", false, false, None)],
        ),
        // Two heredocs on one line, bodies in order.
        (
            "RUN <<A cat > /a && 3<<B cat > /b\none\nA\ntwo\nB",
            &[
                ("A", "one\n", true, false, None),
                ("B", "two\n", true, false, Some(3)),
            ],
        ),
        (
            "COPY <<EOF /etc/x\nhello\nEOF",
            &[("EOF", "hello\n", true, false, None)],
        ),
        (
            "ADD <<EOF /etc/x\nhello\nEOF",
            &[("EOF", "hello\n", true, false, None)],
        ),
        (
            "RUN python3 <<EOF\nprint(1)\nEOF",
            &[("EOF", "print(1)\n", true, false, None)],
        ),
        // An empty body.
        ("RUN <<EOF\nEOF", &[("EOF", "", true, false, None)]),
        // CRLF bodies become LF.
        (
            "RUN <<EOF\r\na\r\nEOF\r\n",
            &[("EOF", "a\n", true, false, None)],
        ),
        // Heredoc after a continuation.
        (
            "RUN --mount=type=cache,target=/c \\\n  <<EOF\nx\nEOF",
            &[("EOF", "x\n", true, false, None)],
        ),
    ];
    for (src, want) in cases {
        let lexed = lex("f", src).unwrap();
        let got: Vec<Doc> = lexed.lines[0]
            .heredocs
            .iter()
            .map(|h| (h.name.as_str(), h.content.as_str(), h.expand, h.chomp, h.fd))
            .collect();
        assert_eq!(got, *want, "{src:?}");
        assert_eq!(lexed.lines.len(), 1, "{src:?}");
    }
}

#[test]
fn not_heredocs() {
    let cases = [
        "RUN echo '<<EOF'\nRUN x",
        "RUN echo \"<<EOF\"\nRUN x",
        "RUN cat<<EOF\nRUN x",
        "RUN echo $((1 << 2))\nRUN x",
        "ENV A=<<EOF\nRUN x",
        "CMD <<EOF\nRUN x",
    ];
    for src in cases {
        let lexed = lex("f", src).unwrap();
        assert!(lexed.lines[0].heredocs.is_empty(), "{src:?}");
        assert_eq!(lexed.lines.len(), 2, "{src:?}");
    }
}

#[test]
fn heredoc_body_is_not_parsed() {
    let src = "FROM a\nCOPY <<EOF /start\n#!/bin/sh\nFROM not-a-stage\n\nRUN nope \\\nEOF\nCMD x";
    assert_eq!(texts(src), ["FROM a", "COPY <<EOF /start", "CMD x"]);
}

#[test]
fn unterminated_heredoc() {
    assert_eq!(
        lex_err("FROM a\nRUN echo \\\n  <<EOF\nbody"),
        (3, 3, ErrorKind::UnterminatedHeredoc("EOF".into()))
    );
    assert_eq!(
        lex_err("RUN <<A <<B\na\nA\nb"),
        (1, 5, ErrorKind::UnterminatedHeredoc("B".into()))
    );
}

#[test]
fn heredoc_word_forms() {
    type Want<'a> = Option<(&'a str, bool, bool)>;
    let cases: &[(&str, Want)] = &[
        ("<<EOF", Some(("EOF", true, false))),
        ("<<-EOF", Some(("EOF", true, true))),
        ("<<'EOF'", Some(("EOF", false, false))),
        ("<<-\"E O\"", None),
        ("<<\"EOF\"", Some(("EOF", false, false))),
        ("<<E\\OF", Some(("EOF", false, false))),
        ("<<", None),
        ("<<<EOF", None),
        ("x<<EOF", None),
        ("<<-", None),
    ];
    for (word, want) in cases {
        let got = heredoc_word(word).map(|h| (h.name, h.expand, h.chomp));
        let want = want.map(|(n, e, c)| (n.to_string(), e, c));
        assert_eq!(got, want, "{word:?}");
    }
}

#[test]
fn shell_word_splitting() {
    assert_eq!(
        shell_words("a 'b c' \"d \\\" e\" f\\ g"),
        ["a", "'b c'", "\"d \\\" e\"", "f\\ g"]
    );
    assert!(shell_words("   ").is_empty());
}

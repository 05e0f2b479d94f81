//! Table tests for `.containerignore`/`.dockerignore` matching.

use super::*;

fn m(text: &str) -> IgnoreMatcher {
    IgnoreMatcher::parse(".dockerignore", text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

#[test]
fn patterns_match_like_docker() {
    // (ignore file, path, ignored?)
    let cases: &[(&str, &str, bool)] = &[
        ("*.md", "README.md", true),
        ("*.md", "docs/a.md", false),
        ("*.md", "README.mdx", false),
        ("**/*.md", "a.md", true),
        ("**/*.md", "docs/a.md", true),
        ("**/*.md", "x/y/z.md", true),
        ("**/*.md", "x/y/z.txt", false),
        ("docs", "docs", true),
        ("docs", "docs/a", true),
        ("docs", "docs/x/y", true),
        ("docs", "documents", false),
        ("docs", "src/docs", false),
        ("docs/", "docs/a", true),
        ("/docs", "docs/a", true),
        ("./docs", "docs/a", true),
        ("src/../docs", "docs/a", true),
        ("docs", "./docs/a", true),
        ("file?.txt", "file1.txt", true),
        ("file?.txt", "file10.txt", false),
        ("file?.txt", "file/.txt", false),
        ("[a-c].txt", "b.txt", true),
        ("[a-c].txt", "d.txt", false),
        ("[^a].txt", "b.txt", true),
        ("[^a].txt", "a.txt", false),
        ("[]x].txt", "].txt", true),
        ("[ab\\]].txt", "].txt", true),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        ("a]b", "a]b", true),
        ("**", "anything/at/all", true),
        ("**", "x", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/xb", false),
        ("a/**", "a/x", true),
        ("a/**", "a/x/y", true),
        ("a/**", "a", false),
        ("a**b", "ab", true),
        ("a**b", "ax/b", true),
        ("a**b", "axb", false),
        ("*/temp*", "dir/temporary", true),
        ("*/temp*", "dir/sub/temporary", false),
        ("*/*/temp*", "dir/sub/temp", true),
        ("temp?", "tempa", true),
        ("*", "x/y/z", true),
        ("  spaced  ", "spaced", true),
        ("#comment", "#comment", false),
        ("# comment\n\n   \n", "anything", false),
        (" #not-a-comment", "#not-a-comment", true),
        ("\u{feff}bom", "bom", true),
        ("*.go\r\n", "a.go", true),
        // Exceptions: the last match wins.
        ("*.md\n!README.md", "README.md", false),
        ("*.md\n!README.md", "CHANGES.md", true),
        ("*.md\n!README.md\nREADME.md", "README.md", true),
        ("docs\n!docs/keep.md", "docs/keep.md", false),
        ("docs\n!docs/keep.md", "docs/other.md", true),
        (
            "node_modules\n!node_modules/keep",
            "node_modules/keep/x.js",
            false,
        ),
        (
            "node_modules\n!node_modules/keep",
            "node_modules/drop/x.js",
            true,
        ),
        ("!foo", "foo", false),
        ("! foo\nfoo", "foo", true),
        ("**\n!src\n!Containerfile", "src/main.rs", false),
        ("**\n!src\n!Containerfile", "Containerfile", false),
        ("**\n!src\n!Containerfile", "target/x", true),
        ("*\n!*.rs\nsecret.rs", "secret.rs", true),
        ("*\n!*.rs\nsecret.rs", "main.rs", false),
    ];
    for (file, path, want) in cases {
        assert_eq!(
            m(file).is_ignored(path),
            *want,
            "patterns {file:?} path {path:?}"
        );
    }
}

#[test]
fn empty_file_ignores_nothing() {
    assert!(!m("").is_ignored("a"));
    assert!(!IgnoreMatcher::default().is_ignored("a"));
}

#[test]
fn patterns_are_cleaned_and_exceptions_known() {
    let matcher = m("./a/b/\n!/c/../d\n*.log");
    assert_eq!(matcher.patterns(), ["a/b", "!d", "*.log"]);
    assert!(matcher.has_exclusions());
    assert!(!m("x").has_exclusions());
}

#[test]
fn bad_patterns_name_their_line() {
    let cases: &[(&str, usize, &str, &str)] = &[
        ("ok\n[abc", 2, "[abc", "unterminated character class `[`"),
        ("[z-a]", 1, "[z-a]", "invalid range `z-a`"),
        ("\n\n!x[", 3, "!x[", "unterminated character class `[`"),
    ];
    for (text, line, pattern, message) in cases {
        let e = IgnoreMatcher::parse(".containerignore", text).unwrap_err();
        assert_eq!(e.line_column(), Some((*line, 1)), "{text:?}");
        assert_eq!(
            e.kind,
            ErrorKind::IgnorePattern {
                pattern: pattern.to_string(),
                message: message.to_string()
            }
        );
        assert!(
            e.to_string()
                .starts_with(&format!(".containerignore:{line}:1: invalid pattern"))
        );
    }
}

#[test]
fn clean_like_go() {
    let cases = [
        ("", "."),
        (".", "."),
        ("a/./b", "a/b"),
        ("a//b/", "a/b"),
        ("a/../..", ".."),
        ("../a", "../a"),
        ("/../a", "/a"),
        ("/", "/"),
    ];
    for (input, want) in cases {
        assert_eq!(clean(input), want, "{input:?}");
    }
}

#[test]
fn candidate_files_in_order() {
    assert_eq!(
        IgnoreMatcher::candidates("ci/app.Containerfile"),
        [
            "ci/app.Containerfile.containerignore",
            "ci/app.Containerfile.dockerignore",
            ".containerignore",
            ".dockerignore"
        ]
    );
}

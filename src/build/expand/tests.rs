//! Table tests for variable substitution.

use super::*;

fn vars() -> BTreeMap<String, String> {
    [
        ("A", "apple"),
        ("B", "two words"),
        ("EMPTY", ""),
        ("PATH", "/usr/bin"),
        ("_u1", "under"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[test]
fn expands_like_docker() {
    let cases: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("$A", "apple"),
        ("${A}", "apple"),
        ("x${A}y", "xappley"),
        ("$A/b", "apple/b"),
        ("$UNSET", ""),
        ("${UNSET}", ""),
        ("$_u1", "under"),
        ("$A$A", "appleapple"),
        ("$", "$"),
        ("a$", "a$"),
        ("$/x", "$/x"),
        ("${A:-d}", "apple"),
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${A-d}", "apple"),
        ("${A:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:+alt}", ""),
        ("${UNSET:-$A}", "apple"),
        ("${UNSET:-${A}x}", "applex"),
        ("${UNSET:-'q }'}", "q }"),
        ("${UNSET:-}", ""),
        ("${A:?must}", "apple"),
        ("${PATH}:/sbin", "/usr/bin:/sbin"),
        ("\\$A", "$A"),
        ("\\${A}", "${A}"),
        ("a\\ b", "a b"),
        ("C:\\path", "C:path"),
        ("end\\", "end"),
        ("'$A'", "$A"),
        ("'a b'", "a b"),
        ("\"$A\"", "apple"),
        ("\"$B\"", "two words"),
        ("\"a\\\"b\"", "a\"b"),
        ("\"a\\$b\"", "a$b"),
        ("\"a\\nb\"", "a\\nb"),
        ("\"'x'\"", "'x'"),
        ("'\"x\"'", "\"x\""),
        ("a b  c", "a b  c"),
        ("$1", ""),
        ("${10}", ""),
    ];
    let v = vars();
    for (input, want) in cases {
        assert_eq!(
            expand_word(input, '\\', &v).as_deref(),
            Ok(*want),
            "input {input:?}"
        );
    }
}

#[test]
fn backtick_escape() {
    let v = vars();
    let cases: &[(&str, &str)] = &[
        ("C:\\path", "C:\\path"),
        ("`$A", "$A"),
        ("a` b", "a b"),
        ("\"`\"\"", "\""),
        ("$A", "apple"),
    ];
    for (input, want) in cases {
        assert_eq!(
            expand_word(input, '`', &v).as_deref(),
            Ok(*want),
            "{input:?}"
        );
    }
}

#[test]
fn errors() {
    let v = vars();
    let cases: &[(&str, ExpandError)] = &[
        ("'abc", ExpandError::UnterminatedSingleQuote),
        ("\"abc", ExpandError::UnterminatedDoubleQuote),
        ("${A", ExpandError::MissingBrace),
        ("${", ExpandError::MissingBrace),
        ("${A:-x", ExpandError::MissingBrace),
        ("${}", ExpandError::BadSubstitution("${}".into())),
        ("${:-x}", ExpandError::BadSubstitution("${:".into())),
        (
            "${A:x}",
            ExpandError::UnsupportedModifier {
                name: "A".into(),
                modifier: 'x',
            },
        ),
        (
            "${A:=x}",
            ExpandError::UnsupportedModifier {
                name: "A".into(),
                modifier: '=',
            },
        ),
        ("${A#x", ExpandError::MissingBrace),
        ("${A/x", ExpandError::MissingBrace),
        (
            "${UNSET:?need it}",
            ExpandError::Required {
                name: "UNSET".into(),
                message: "need it".into(),
            },
        ),
        (
            "${EMPTY:?}",
            ExpandError::Required {
                name: "EMPTY".into(),
                message: "is not allowed to be unset".into(),
            },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            expand_word(input, '\\', &v).as_ref(),
            Err(want),
            "{input:?}"
        );
    }
    // Without the colon, an empty value is set.
    assert_eq!(expand_word("${EMPTY?x}", '\\', &v).as_deref(), Ok(""));
}

#[test]
fn keep_quotes_mode_leaves_quotes_and_escapes() {
    let v = vars();
    let cases: &[(&str, &str)] = &[
        ("echo '$A' \"$A\"\n", "echo 'apple' \"apple\"\n"),
        ("a\\$A", "a\\$A"),
        ("${UNSET:-x}", "x"),
    ];
    for (input, want) in cases {
        assert_eq!(
            expand_keep_quotes(input, '\\', &v).as_deref(),
            Ok(*want),
            "{input:?}"
        );
    }
}

#[test]
fn pair_list_lookup_last_wins() {
    let list = vec![
        ("X".to_string(), "1".to_string()),
        ("X".to_string(), "2".to_string()),
    ];
    assert_eq!(expand_word("$X", '\\', &list).unwrap(), "2");
}

#[test]
fn pattern_forms() {
    let v: BTreeMap<String, String> = [
        ("P", "linux/arm64/v8"),
        ("F", "archive.tar.gz"),
        ("S", "a-b-c"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let cases: &[(&str, &str)] = &[
        ("${P#linux/}", "arm64/v8"),
        ("${P#*/}", "arm64/v8"),
        ("${P##*/}", "v8"),
        ("${P%/*}", "linux/arm64"),
        ("${P%%/*}", "linux"),
        ("${P#nomatch}", "linux/arm64/v8"),
        ("${F%.*}", "archive.tar"),
        ("${F%%.*}", "archive"),
        ("${F#a?c}", "hive.tar.gz"),
        ("${F#[a-c]r}", "chive.tar.gz"),
        ("${F#[!x]r}", "chive.tar.gz"),
        ("${S/-/_}", "a_b-c"),
        ("${S//-/_}", "a_b_c"),
        ("${S//-}", "abc"),
        ("${S/b*/X}", "a-X"),
        ("${S//[ab]/.}", ".-.-c"),
        ("${UNSET#x}", ""),
        ("${UNSET//a/b}", ""),
        ("${P#$UNSET}", "linux/arm64/v8"),
        ("${P##'linux'/}", "arm64/v8"),
        ("x${F%.gz}y", "xarchive.tary"),
    ];
    for (input, want) in cases {
        assert_eq!(
            expand_word(input, '\\', &v).as_deref(),
            Ok(*want),
            "{input:?}"
        );
    }
}

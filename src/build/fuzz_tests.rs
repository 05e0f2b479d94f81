//! Property tests: arbitrary input never panics the parser, the planner,
//! substitution or the ignore matcher, and what parses is well placed.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

/// Pieces that make Containerfile-like text, so the generator reaches deep
/// paths (continuations, heredocs, flags, substitutions) often.
const PIECES: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    "VOLUME ",
    "EXPOSE ",
    "WORKDIR ",
    "USER ",
    "CMD ",
    "ENTRYPOINT ",
    "STOPSIGNAL ",
    "MAINTAINER ",
    "AS ",
    "scratch",
    "a",
    "b",
    "stage",
    "0",
    "1",
    "80/tcp",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\\",
    "\\\n",
    "`",
    "`\n",
    "# escape=`\n",
    "# syntax=x\n",
    "#",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "\nEOF\n",
    "\n\tEOF\n",
    "EOF",
    "\"",
    "'",
    "$",
    "${",
    "}",
    ":-",
    ":+",
    ":?",
    "-",
    "+",
    "=",
    "A=1",
    "[",
    "]",
    "[\"a\", \"b\"]",
    ",",
    "--from=",
    "--chown=",
    "--chmod=",
    "--mount=type=cache,target=/c",
    "--mount=",
    "--platform=",
    "--link",
    "--interval=",
    "--retries=",
    "NONE",
    "CMD",
    "5s",
    "é",
    "\u{feff}",
    "/",
    "..",
    "*",
    "**",
    "?",
    "!",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

fn exercise(file: &Containerfile) {
    let mut last = 0;
    for l in &file.instructions {
        assert!(l.line >= 1 && l.column >= 1);
        assert!(l.line > last, "instructions in order");
        assert!(l.end_line >= l.line);
        last = l.end_line;
    }
    for target in [None, Some("stage".to_string()), Some("a".to_string())] {
        let options = PlanOptions {
            build_args: BTreeMap::from([("A".to_string(), "x".to_string())]),
            target,
            ..PlanOptions::default()
        };
        if let Ok(plan) = plan(file, &options) {
            assert!(!plan.stages.is_empty());
            for stage in &plan.stages {
                let mut scope = plan.scope(&[]);
                for step in &stage.steps {
                    let _ = scope.resolve(&step.at);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_bytes_never_panics(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(file) = parse_bytes(&data) {
            exercise(&file);
        }
    }

    #[test]
    fn containerfile_like_text_never_panics(src in text()) {
        let lines = src.split('\n').count();
        match parse("Containerfile", &src) {
            Ok(file) => exercise(&file),
            Err(e) => {
                let (line, column) = e.line_column().expect("parse errors have a place");
                prop_assert!(line >= 1 && line <= lines.max(1), "line {line} of {lines}: {e}");
                prop_assert!(column >= 1);
            }
        }
    }

    #[test]
    fn substitution_never_panics(word in text()) {
        let vars = BTreeMap::from([("a".to_string(), "1".to_string())]);
        let _ = expand_word(&word, '\\', &vars);
        let _ = expand_word(&word, '`', &vars);
        let _ = expand_keep_quotes(&word, '\\', &vars);
    }

    #[test]
    fn ignore_matcher_never_panics(patterns in text(), path in text()) {
        if let Ok(m) = IgnoreMatcher::parse(".dockerignore", &patterns) {
            let _ = m.is_ignored(&path);
        }
    }

    #[test]
    fn plain_files_round_trip(names in proptest::collection::vec("[a-z]{1,8}", 1..5)) {
        // A generated multi-stage file always plans, one stage per FROM.
        let mut src = String::new();
        for (i, n) in names.iter().enumerate() {
            src.push_str(&format!("FROM img{i} AS s{i}{n}\nRUN echo {n}\n"));
        }
        let file = parse("Containerfile", &src).unwrap();
        prop_assert_eq!(file.instructions.len(), names.len() * 2);
        let p = plan(&file, &PlanOptions::default()).unwrap();
        prop_assert_eq!(p.stages.len(), 1);
    }
}

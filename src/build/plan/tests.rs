//! Table tests for the stage planner.

use super::*;
use crate::build::parse;

fn planned(
    src: &str,
    build_args: &[(&str, &str)],
    target: Option<&str>,
) -> Result<BuildPlan, Error> {
    let file = parse("Containerfile", src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    plan(
        &file,
        &PlanOptions {
            build_args: build_args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            target: target.map(str::to_string),
            ..PlanOptions::default()
        },
    )
}

fn ok(src: &str) -> BuildPlan {
    planned(src, &[], None).unwrap_or_else(|e| panic!("{src:?}: {e}"))
}

fn plan_err(src: &str) -> (Place, ErrorKind) {
    let e = planned(src, &[], None).expect_err(src);
    (e.line_column(), e.kind)
}

type Args<'a> = &'a [(&'a str, &'a str)];
type Place = Option<(usize, usize)>;

fn image(s: &str) -> Base {
    Base::Image(s.to_string())
}

#[test]
fn single_stage() {
    let p = ok("FROM alpine\nWORKDIR /app\nCOPY . .\nRUN make\nENV A=1\nCMD [\"app\"]\nUSER app");
    assert_eq!(p.stages.len(), 1);
    let s = p.target();
    assert_eq!(
        (s.index, s.name.as_deref(), &s.base),
        (0, None, &image("alpine"))
    );
    let fs: Vec<(&str, bool)> = s
        .steps
        .iter()
        .map(|st| (st.at.instruction.keyword(), st.changes_filesystem))
        .collect();
    assert_eq!(
        fs,
        [
            ("WORKDIR", true),
            ("COPY", true),
            ("RUN", true),
            ("ENV", false),
            ("CMD", false),
            ("USER", false)
        ]
    );
    assert_eq!(p.step_count(), 7);
    assert_eq!(s.from.line, 1);
}

#[test]
fn bases() {
    let cases: &[(&str, Args, Base)] = &[
        ("FROM scratch", &[], Base::Scratch),
        ("FROM SCRATCH", &[], Base::Scratch),
        ("ARG V=3.20\nFROM alpine:$V", &[], image("alpine:3.20")),
        (
            "ARG V=3.20\nFROM alpine:$V",
            &[("V", "3.21")],
            image("alpine:3.21"),
        ),
        ("ARG V\nFROM alpine:${V:-edge}", &[], image("alpine:edge")),
        (
            "ARG R=reg.io\nARG I=$R/app\nFROM $I",
            &[],
            image("reg.io/app"),
        ),
        // A build arg reaches FROM only through a declared ARG.
        ("FROM alpine:${V:-x}", &[("V", "y")], image("alpine:x")),
        ("FROM golang AS build\nFROM build", &[], Base::Stage(0)),
        ("FROM golang AS build\nFROM Build", &[], Base::Stage(0)),
        (
            "ARG S=build\nFROM golang AS build\nFROM $S",
            &[],
            Base::Stage(0),
        ),
        // `FROM node AS node` names the image.
        ("FROM node AS node", &[], image("node")),
    ];
    for (src, args, want) in cases {
        let p = planned(src, args, None).unwrap_or_else(|e| panic!("{src:?}: {e}"));
        assert_eq!(&p.target().base, want, "{src:?}");
    }
}

#[test]
fn platform_and_global_args() {
    let p = planned(
        "ARG BUILDPLATFORM=linux/amd64\nARG UNUSED\nFROM --platform=$BUILDPLATFORM alpine",
        &[],
        None,
    )
    .unwrap();
    assert_eq!(p.target().platform.as_deref(), Some("linux/amd64"));
    assert_eq!(
        p.global_args,
        [("BUILDPLATFORM".to_string(), "linux/amd64".to_string())].into()
    );
}

#[test]
fn copy_from_resolution() {
    let src = "FROM golang AS build\nRUN go build\n\
               FROM alpine AS tools\n\
               FROM debian\n\
               ARG SRC=build\n\
               COPY --from=build /out /a\n\
               COPY --from=0 /out /b\n\
               COPY --from=$SRC /out /c\n\
               COPY --from=busybox:1.36 /bin/busybox /d\n\
               COPY --from=TOOLS /t /e\n\
               RUN --mount=type=bind,from=tools,target=/t --mount=type=cache,target=/c true\n\
               COPY local /f";
    let p = ok(src);
    let target = p.target();
    let froms: Vec<Option<CopyFrom>> = target.steps.iter().map(|s| s.copy_from.clone()).collect();
    assert_eq!(
        froms,
        [
            None,
            Some(CopyFrom::Stage(0)),
            Some(CopyFrom::Stage(0)),
            Some(CopyFrom::Stage(0)),
            Some(CopyFrom::Image("busybox:1.36".into())),
            Some(CopyFrom::Stage(1)),
            None,
            None
        ]
    );
    assert_eq!(target.steps[6].mount_from, [Some(CopyFrom::Stage(1)), None]);
    assert_eq!(target.depends_on, [0, 1]);
    let kept: Vec<usize> = p.stages.iter().map(|s| s.index).collect();
    assert_eq!(kept, [0, 1, 2]);
}

#[test]
fn from_variable_uses_inherited_env() {
    let p = ok("FROM a AS one\nENV SRC=one\nFROM b AS two\nFROM one\nCOPY --from=$SRC x y");
    assert_eq!(p.target().steps[0].copy_from, Some(CopyFrom::Stage(0)));
    assert_eq!(p.target().base, Base::Stage(0));
}

#[test]
fn unused_stages_are_skipped() {
    let src = "FROM a AS base\nFROM b AS unused\nRUN slow\nFROM base AS dev\nFROM c AS final\nCOPY --from=base / /";
    let names = |p: &BuildPlan| -> Vec<String> {
        p.stages
            .iter()
            .map(|s| s.name.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(names(&ok(src)), ["base", "final"]);
    let p = planned(src, &[], Some("dev")).unwrap();
    assert_eq!(names(&p), ["base", "dev"]);
    let p = planned(src, &[], Some("UNUSED")).unwrap();
    assert_eq!(names(&p), ["unused"]);
    assert_eq!(p.target().index, 1);
    assert_eq!(p.stage(1).map(|s| s.steps.len()), Some(1));
    assert!(p.stage(0).is_none());
}

#[test]
fn target_not_found() {
    let e = planned("FROM a AS build\nFROM b AS test", &[], Some("prod")).unwrap_err();
    assert_eq!(e.location, None);
    assert_eq!(
        e.to_string(),
        "target stage `prod` not found\nhint: stages in this file: build, test"
    );
    let e = planned("FROM a", &[], Some("x")).unwrap_err();
    assert_eq!(e.to_string(), "target stage `x` not found");
}

#[test]
fn errors() {
    let cases: Vec<(&str, (Place, ErrorKind))> = vec![
        (
            "ARG A\n  RUN x\nFROM a",
            (Some((2, 3)), ErrorKind::BeforeFrom("RUN")),
        ),
        (
            "ENV A=1\nFROM a",
            (Some((1, 1)), ErrorKind::BeforeFrom("ENV")),
        ),
        ("ARG A=1", (Some((1, 1)), ErrorKind::NoFrom)),
        (
            "FROM a AS x\nFROM b AS X",
            (
                Some((2, 1)),
                ErrorKind::DuplicateStage {
                    name: "x".into(),
                    first_line: 1,
                },
            ),
        ),
        (
            "FROM a AS one\nFROM later\nFROM c AS later",
            (
                Some((2, 1)),
                ErrorKind::ForwardReference {
                    name: "later".into(),
                    line: 3,
                },
            ),
        ),
        (
            "FROM a AS one\nCOPY --from=two x y\nFROM c AS two",
            (
                Some((2, 1)),
                ErrorKind::ForwardReference {
                    name: "two".into(),
                    line: 3,
                },
            ),
        ),
        (
            "FROM a AS one\nFROM b AS two\nCOPY --from=two x y",
            (Some((3, 1)), ErrorKind::SelfReference("two".into())),
        ),
        (
            "FROM a\nCOPY --from=0 x y",
            (
                Some((2, 1)),
                ErrorKind::StageIndex {
                    index: 0,
                    current: 0,
                },
            ),
        ),
        (
            "FROM a\nFROM b\n\n  COPY --from=2 x y",
            (
                Some((4, 3)),
                ErrorKind::StageIndex {
                    index: 2,
                    current: 1,
                },
            ),
        ),
        (
            "FROM a AS x\nRUN --mount=from=x,target=/m true",
            (Some((2, 1)), ErrorKind::SelfReference("x".into())),
        ),
        (
            "ARG V\nFROM a:${V:?give_V}",
            (
                Some((2, 1)),
                ErrorKind::Expand(crate::build::ExpandError::Required {
                    name: "V".into(),
                    message: "give_V".into(),
                }),
            ),
        ),
        (
            "FROM a\nCOPY --from=${X x y",
            (
                Some((2, 1)),
                ErrorKind::Expand(crate::build::ExpandError::MissingBrace),
            ),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(plan_err(src), want, "{src:?}");
    }
}

#[test]
fn error_messages_carry_hints() {
    let e = planned("RUN x\nFROM a", &[], None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Containerfile:1:1: RUN before the first FROM\nhint: start the file with FROM; only ARG may come before it"
    );
    let e = planned("FROM a AS b\nFROM c\nFROM d AS c", &[], None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Containerfile:2:1: stage `c` is defined later, on line 3\nhint: a stage can only use stages above it; move that stage up"
    );
}

#[test]
fn build_args_bookkeeping() {
    let p = planned(
        "ARG G\nFROM a\nARG S\nFROM b AS skipped\nARG T",
        &[
            ("G", "1"),
            ("S", "2"),
            ("T", "3"),
            ("NOPE", "4"),
            ("HTTP_PROXY", "p"),
        ],
        Some("skipped"),
    )
    .unwrap();
    // ARGs of skipped stages still count as declared, as in Docker.
    assert_eq!(p.unused_build_args, ["NOPE"]);
}

#[test]
fn typo_in_from_warns() {
    let p = ok("FROM a AS builder\nFROM b\nCOPY --from=biulder x y\nCOPY --from=alpine x y");
    assert_eq!(
        p.target().steps[0].copy_from,
        Some(CopyFrom::Image("biulder".into()))
    );
    assert_eq!(
        p.warnings,
        ["--from=biulder names no stage and is taken as an image (did you mean stage `builder`?)"]
    );
}

#[test]
fn executor_scope_from_plan() {
    let p = planned("ARG V=1\nFROM a\nARG V\nENV E=$V-x\nRUN echo", &[], None).unwrap();
    let stage = p.target();
    let mut scope = p.scope(&[("PATH".into(), "/bin".into())]);
    let mut last = None;
    for step in &stage.steps {
        last = Some(scope.resolve(&step.at).unwrap());
    }
    assert_eq!(
        scope.env(),
        [
            ("PATH".to_string(), "/bin".to_string()),
            ("E".into(), "1-x".into())
        ]
        .as_slice()
    );
    assert_eq!(last.unwrap().history, "RUN |1 V=1 echo");
}

#[test]
fn automatic_platform_args() {
    let file = parse(
        "Containerfile",
        "FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETARCH\nENV ARCH=$TARGETARCH\nFROM alpine:$TARGETOS\nENV ARCH=x$TARGETARCH",
    )
    .unwrap();
    let options = PlanOptions {
        automatic_args: BTreeMap::from([
            ("BUILDPLATFORM".to_string(), "linux/amd64".to_string()),
            ("TARGETARCH".to_string(), "arm64".to_string()),
            ("TARGETOS".to_string(), "linux".to_string()),
        ]),
        build_args: BTreeMap::from([("TARGETOS".to_string(), "3.20".to_string())]),
        target: Some("build".into()),
    };
    let p = plan(&file, &options).unwrap();
    assert_eq!(p.target().platform.as_deref(), Some("linux/amd64"));
    assert!(p.unused_build_args.is_empty());
    let mut scope = p.scope(&[]);
    for step in &p.target().steps {
        scope.resolve(&step.at).unwrap();
    }
    assert_eq!(
        scope.env(),
        [("ARCH".to_string(), "arm64".to_string())].as_slice()
    );
    // Without `ARG TARGETARCH` a stage does not see it; FROM does, and a
    // build arg overrides an automatic arg.
    let p = plan(
        &file,
        &PlanOptions {
            target: None,
            ..options
        },
    )
    .unwrap();
    assert_eq!(p.target().base, image("alpine:3.20"));
    let mut scope = p.scope(&[]);
    for step in &p.target().steps {
        scope.resolve(&step.at).unwrap();
    }
    assert_eq!(
        scope.env(),
        [("ARCH".to_string(), "x".to_string())].as_slice()
    );
}

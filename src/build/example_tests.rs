//! End to end over the pure front half, the way the executor will drive it:
//! parse, plan, resolve each step in its stage's scope, apply the config,
//! key the cache.

use std::collections::BTreeMap;

use super::*;

const FILE: &str = r#"# syntax=docker/dockerfile:1
# A realistic multi-stage file.
ARG GO_VERSION=1.22
ARG APP=server

FROM golang:${GO_VERSION} AS build
ARG APP
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod \
    go mod download
COPY . .
RUN <<EOF
set -e
go build -o /out/$APP ./cmd/$APP
EOF

FROM alpine:3.20 AS test
RUN echo never built

FROM alpine:3.20
ARG APP
ENV APP=${APP} \
    HOME=/home/app
RUN addgroup -S app && adduser -S -G app app
COPY --from=build --chown=app:app --chmod=0755 /out/$APP /usr/local/bin/$APP
COPY <<-CONF /etc/$APP.conf
	listen = :8080
	name = ${APP}
	CONF
USER app
WORKDIR $HOME
EXPOSE 8080
HEALTHCHECK --interval=10s CMD wget -qO- http://localhost:8080/health || exit 1
ENTRYPOINT ["/bin/sh", "-c", "exec $APP"]
"#;

struct Built {
    keys: Vec<String>,
    history: Vec<String>,
    config: StageConfig,
    plan: BuildPlan,
}

/// Walk the plan like the executor: parent ids stand in for layers.
fn build(build_args: &[(&str, &str)]) -> Built {
    let file = parse("Containerfile", FILE).unwrap();
    let plan = plan(
        &file,
        &PlanOptions {
            build_args: build_args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..PlanOptions::default()
        },
    )
    .unwrap();
    let mut keys = Vec::new();
    let mut history = Vec::new();
    let mut finals: BTreeMap<usize, StageConfig> = BTreeMap::new();
    let mut config = StageConfig::default();
    for stage in &plan.stages {
        let base = match &stage.base {
            Base::Stage(i) => finals[i].clone(),
            _ => StageConfig {
                env: vec![("PATH".into(), "/usr/bin:/bin".into())],
                ..StageConfig::default()
            },
        };
        config = StageConfig::inherit(&base);
        let mut scope = plan.scope(&config.env);
        let mut parent = format!("{:?}", stage.base);
        for step in &stage.steps {
            let r = scope.resolve(&step.at).unwrap();
            config.apply(&r.instruction);
            history.push(r.history.clone());
            if step.changes_filesystem {
                let files = match &r.instruction {
                    Instruction::Copy(_) => vec![CopiedFile {
                        path: "go.mod".into(),
                        checksum: "sha256:1".into(),
                    }],
                    _ => Vec::new(),
                };
                parent = cache_key(&parent, &r.cache_text(), &files);
                keys.push(parent.clone());
            }
        }
        finals.insert(stage.index, config.clone());
    }
    Built {
        keys,
        history,
        config,
        plan,
    }
}

#[test]
fn plans_and_resolves_a_realistic_file() {
    let b = build(&[]);
    let p = &b.plan;
    assert_eq!(p.stages.len(), 2, "the `test` stage is not needed");
    assert_eq!(p.stages[0].base, Base::Image("golang:1.22".into()));
    assert_eq!(p.stages[1].base, Base::Image("alpine:3.20".into()));
    assert_eq!(p.stages[1].index, 2);
    assert_eq!(p.stages[1].steps[3].copy_from, Some(CopyFrom::Stage(0)));
    assert_eq!(p.step_count(), 6 + 1 + 10 + 1);
    assert!(p.unused_build_args.is_empty() && p.warnings.is_empty());

    let c = &b.config;
    assert_eq!(
        c.env,
        [
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
            ("APP".into(), "server".into()),
            ("HOME".into(), "/home/app".into())
        ]
    );
    assert_eq!(c.user, "app");
    assert_eq!(c.working_dir, "/home/app");
    assert_eq!(c.exposed_ports.iter().collect::<Vec<_>>(), ["8080/tcp"]);
    assert_eq!(
        c.entrypoint.as_deref(),
        Some(&["/bin/sh".to_string(), "-c".into(), "exec $APP".into()][..])
    );
    assert_eq!(
        c.healthcheck.as_ref().map(|h| h.interval),
        Some(std::time::Duration::from_secs(10))
    );

    assert!(
        b.history.contains(
            &"COPY --from=build --chown=app:app --chmod=0755 /out/server /usr/local/bin/server"
                .to_string()
        )
    );
    assert!(b.history.contains(&"RUN |1 APP=server <<EOF".to_string()));
    assert!(
        b.history
            .contains(&"COPY <<CONF /etc/server.conf".to_string())
    );

    // The heredoc's tabs are stripped and its variables substituted.
    let file = parse("Containerfile", FILE).unwrap();
    let p2 = plan(&file, &PlanOptions::default()).unwrap();
    let mut scope = p2.scope(&[]);
    let mut conf = None;
    for step in &p2.target().steps {
        if let Instruction::Copy(c) = scope.resolve(&step.at).unwrap().instruction {
            if let Some(Source::Heredoc(h)) = c.sources.first() {
                conf = Some(h.content.clone());
            }
        }
    }
    assert_eq!(conf.as_deref(), Some("listen = :8080\nname = server\n"));
}

#[test]
fn cache_keys_are_stable_and_follow_build_args() {
    let a = build(&[]);
    let again = build(&[]);
    assert_eq!(a.keys, again.keys, "an unchanged rebuild hits every key");
    let other = build(&[("APP", "worker")]);
    // WORKDIR and the first COPY do not depend on APP...
    assert_eq!(a.keys[..2], other.keys[..2]);
    // ...but every RUN after `ARG APP` has APP in its environment, so from
    // the first RUN on, all keys change (as in Docker).
    for i in 2..a.keys.len() {
        assert_ne!(a.keys[i], other.keys[i], "step {i}");
    }
    let go = build(&[("GO_VERSION", "1.23")]);
    assert_ne!(a.keys[0], go.keys[0], "a new base changes everything");
}

#[test]
fn ignore_file_for_the_same_context() {
    let m = IgnoreMatcher::parse(
        ".containerignore",
        "# build outputs\n/out\n**/*.test\n.git\n*.md\n!README.md\n",
    )
    .unwrap();
    let ignored: Vec<&str> = [
        "out/server",
        "cmd/server/main.go",
        "cmd/server/x.test",
        ".git/HEAD",
        "CHANGES.md",
        "README.md",
        "docs/guide.md",
    ]
    .into_iter()
    .filter(|p| m.is_ignored(p))
    .collect();
    assert_eq!(
        ignored,
        ["out/server", "cmd/server/x.test", ".git/HEAD", "CHANGES.md"]
    );
}

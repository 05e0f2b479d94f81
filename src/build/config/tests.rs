//! Tests for the config effect of each instruction.

use super::*;
use crate::build::{PlanOptions, parse, plan};

fn s(v: &str) -> String {
    v.to_string()
}

fn v(list: &[&str]) -> Vec<String> {
    list.iter().map(|x| s(x)).collect()
}

/// Build the config of the target stage of `src` from `base`.
fn config_of(src: &str, base: &StageConfig) -> StageConfig {
    let file = parse("Containerfile", src).unwrap();
    let p = plan(&file, &PlanOptions::default()).unwrap();
    let mut config = StageConfig::inherit(base);
    let mut scope = p.scope(&config.env);
    for step in &p.target().steps {
        let r = scope.resolve(&step.at).unwrap();
        config.apply(&r.instruction);
    }
    assert_eq!(config.env, scope.env());
    config
}

#[test]
fn a_full_stage() {
    let c = config_of(
        "FROM a\n\
         ARG PORT=8080\n\
         ENV APP=/srv/app PATH=/usr/local/bin:$PATH\n\
         WORKDIR $APP\n\
         WORKDIR data\n\
         USER app:app\n\
         EXPOSE $PORT 53/UDP 9000-9002\n\
         LABEL org.opencontainers.image.title=\"My app\" v=1\n\
         LABEL v=2\n\
         VOLUME /data [\"/cache\"]\n\
         VOLUME [\"/cache\", \"/logs\"]\n\
         HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost:$PORT/\n\
         STOPSIGNAL SIGQUIT\n\
         ONBUILD COPY . /src\n\
         MAINTAINER Jane\n\
         ENTRYPOINT [\"/entry\"]\n\
         CMD [\"serve\"]",
        &StageConfig {
            env: vec![(s("PATH"), s("/bin"))],
            ..StageConfig::default()
        },
    );
    assert_eq!(
        c.env,
        [
            (s("PATH"), s("/usr/local/bin:/bin")),
            (s("APP"), s("/srv/app"))
        ]
    );
    assert_eq!(c.working_dir, "/srv/app/data");
    assert_eq!(c.user, "app:app");
    assert_eq!(
        c.exposed_ports.iter().cloned().collect::<Vec<_>>(),
        v(&["53/udp", "8080/tcp", "9000/tcp", "9001/tcp", "9002/tcp"])
    );
    assert_eq!(
        c.labels
            .get("org.opencontainers.image.title")
            .map(String::as_str),
        Some("My app")
    );
    assert_eq!(c.labels.get("v").map(String::as_str), Some("2"));
    assert_eq!(c.labels.get("maintainer").map(String::as_str), Some("Jane"));
    assert_eq!(c.author.as_deref(), Some("Jane"));
    // `VOLUME /data ["/cache"]` is not JSON as a whole: two words, whose
    // quotes substitution removes (as Docker does).
    assert_eq!(
        c.volumes.iter().cloned().collect::<Vec<_>>(),
        v(&["/cache", "/data", "/logs", "[/cache]"])
    );
    let h = c.healthcheck.unwrap();
    // HEALTHCHECK is not substituted: the shell sees $PORT at run time.
    assert_eq!(h.test, v(&["CMD-SHELL", "curl -f http://localhost:$PORT/"]));
    assert_eq!(
        (h.interval, h.retries, h.timeout),
        (Duration::from_secs(30), 3, Duration::ZERO)
    );
    assert_eq!(c.stop_signal.as_deref(), Some("SIGQUIT"));
    assert_eq!(c.on_build, v(&["COPY . /src"]));
    assert_eq!(c.entrypoint, Some(v(&["/entry"])));
    assert_eq!(c.cmd, Some(v(&["serve"])));
}

#[test]
fn shell_form_uses_shell() {
    let c = config_of(
        "FROM a\nCMD echo hi\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nENTRYPOINT exec app",
        &StageConfig::default(),
    );
    assert_eq!(c.cmd, Some(v(&["/bin/sh", "-c", "echo hi"])));
    assert_eq!(
        c.entrypoint,
        Some(v(&["/bin/bash", "-eo", "pipefail", "-c", "exec app"]))
    );
    assert_eq!(c.shell, v(&["/bin/bash", "-eo", "pipefail", "-c"]));
    assert_eq!(
        c.argv(&Command::Shell(s("make"))),
        v(&["/bin/bash", "-eo", "pipefail", "-c", "make"])
    );
    assert_eq!(c.argv(&Command::Exec(v(&["make", "x"]))), v(&["make", "x"]));
}

#[test]
fn entrypoint_clears_inherited_cmd_only() {
    let base = StageConfig {
        cmd: Some(v(&["base-cmd"])),
        cmd_set: true,
        ..StageConfig::default()
    };
    let c = config_of("FROM a\nENTRYPOINT [\"e\"]", &base);
    assert_eq!((c.cmd, c.entrypoint), (None, Some(v(&["e"]))));
    let c = config_of("FROM a\nCMD [\"c\"]\nENTRYPOINT [\"e\"]", &base);
    assert_eq!(c.cmd, Some(v(&["c"])));
    let c = config_of("FROM a\nUSER x", &base);
    assert_eq!(c.cmd, Some(v(&["base-cmd"])));
}

#[test]
fn healthcheck_none_and_replace() {
    let c = config_of(
        "FROM a\nHEALTHCHECK --timeout=5s CMD [\"/check\"]\nHEALTHCHECK CMD true",
        &StageConfig::default(),
    );
    let h = c.healthcheck.unwrap();
    assert_eq!(h.test, v(&["CMD-SHELL", "true"]));
    assert_eq!(h.timeout, Duration::ZERO);
    let c = config_of("FROM a\nHEALTHCHECK NONE", &StageConfig::default());
    assert_eq!(c.healthcheck.unwrap().test, v(&["NONE"]));
}

#[test]
fn workdir_joins() {
    let cases = [
        ("", "/a", "/a"),
        ("", "a", "/a"),
        ("/x", "a/b", "/x/a/b"),
        ("/x/y", "../z", "/x/z"),
        ("/x", "./", "/x"),
        ("/x", "/abs/", "/abs/"),
        ("/", "..", "/"),
    ];
    for (current, dir, want) in cases {
        assert_eq!(workdir(current, dir), want, "{current:?} + {dir:?}");
    }
}

#[test]
fn ports() {
    let cases: &[(&str, &[&str])] = &[
        ("80", &["80/tcp"]),
        ("80/UDP", &["80/udp"]),
        ("1-3/sctp", &["1/sctp", "2/sctp", "3/sctp"]),
    ];
    for (spec, want) in cases {
        assert_eq!(expand_port(spec), v(want), "{spec}");
    }
}

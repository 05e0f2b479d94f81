//! The `rctl create` arguments of a planned container (pure). `kube play`
//! creates containers through the same flag parser as `rctl create`, so
//! a Pod means exactly what the equivalent command line means.
//!
//! Flags that other parts of rctl provide (`-v`, `--memory`, `--cpus`,
//! `--restart`) are used only when `rctl create` has them: a Pod that
//! needs a missing `-v`, `--memory` or `--cpus` is refused, naming the
//! field, rather than run without it; a missing `--restart` is a warning.

use std::path::Path;

use super::play::{ContainerPlan, MountSource, PodPlan};

/// The `rctl create` arguments (without `rctl create`) of `c`, a member
/// of the rctl pod `pod.name` (which owns the network namespace, the
/// published ports and the hostname). `has_flag(long)` says whether `rctl create` knows `--long`; `pod_dir` is
/// where the pod's emptyDir directories live. Returns the arguments and
/// warnings.
pub fn create_args(
    pod: &PodPlan,
    c: &ContainerPlan,
    pod_dir: &Path,
    has_flag: &dyn Fn(&str) -> bool,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let need = |flag: &str, field: &str| -> Result<(), String> {
        if has_flag(flag) {
            Ok(())
        } else {
            Err(format!(
                "pod `{}`, container `{}`: {field} needs `rctl create --{flag}`, which this rctl does not have\nhint: remove {field} from the YAML",
                pod.name, c.name
            ))
        }
    };
    let mut a: Vec<String> = vec!["--name".into(), c.name.clone()];
    let push = |a: &mut Vec<String>, flag: &str, value: &str| {
        a.push(flag.to_string());
        a.push(value.to_string());
    };
    push(&mut a, "--pod", &pod.name);
    if !c.pull.is_empty() {
        push(&mut a, "--pull", &c.pull);
    }
    for e in &c.env {
        push(&mut a, "--env", e);
    }
    if let Some(w) = &c.workdir {
        push(&mut a, "--workdir", w);
    }
    if let Some(u) = &c.user {
        push(&mut a, "--user", u);
    }
    for cap in &c.cap_add {
        push(&mut a, "--cap-add", cap);
    }
    for cap in &c.cap_drop {
        push(&mut a, "--cap-drop", cap);
    }
    if c.privileged {
        a.push("--privileged".into());
    }
    if c.read_only {
        a.push("--read-only".into());
    }
    if c.no_new_privileges {
        push(&mut a, "--security-opt", "no-new-privileges");
    }
    if c.tty {
        a.push("--tty".into());
    }
    if c.interactive {
        a.push("--interactive".into());
    }
    if let Some(ep) = &c.entrypoint {
        let json = serde_json::to_string(ep).map_err(|e| e.to_string())?;
        push(&mut a, "--entrypoint", &json);
    }
    for m in &c.mounts {
        need("volume", "volumeMounts")?;
        let source = match &m.source {
            MountSource::Host(p) | MountSource::Named(p) => p.clone(),
            MountSource::EmptyDir(v) => pod_dir.join(v).to_string_lossy().into_owned(),
        };
        let ro = if m.read_only { ":ro" } else { "" };
        push(&mut a, "--volume", &format!("{source}:{}{ro}", m.target));
    }
    if let Some(m) = c.memory {
        need("memory", "resources.limits.memory")?;
        push(&mut a, "--memory", &m.to_string());
    }
    if let Some(cpus) = &c.cpus {
        need("cpus", "resources.limits.cpu")?;
        push(&mut a, "--cpus", cpus);
    }
    if has_flag("restart") {
        push(&mut a, "--restart", &pod.restart);
    } else if pod.restart != "no" {
        warnings.push(format!(
            "pod `{}`: restartPolicy is not applied (this rctl has no --restart): containers are not restarted",
            pod.name
        ));
    }
    a.push("--".into());
    a.push(c.image.clone());
    a.extend(c.args.iter().cloned());
    Ok((a, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::play::{PlanMount, parse, plan};

    fn web() -> PodPlan {
        let text = r#"
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  restartPolicy: Never
  hostname: box
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - name: server
    image: localhost/busybox
    command: [httpd, -f]
    args: [-p, "80"]
    env: [{name: A, value: "1 2"}]
    ports: [{containerPort: 80, hostPort: 8080}]
    securityContext: {runAsUser: 5, readOnlyRootFilesystem: true}
  - name: client
    image: localhost/busybox
    args: [sleep, "9"]
"#;
        plan(&parse(text).unwrap().0[0]).unwrap()
    }

    #[test]
    fn containers_join_the_pod_with_their_own_settings() {
        let p = web();
        let all = |_: &str| true;
        let (a, w) = create_args(&p, &p.containers[0], Path::new("/d"), &all).unwrap();
        assert!(w.is_empty());
        assert_eq!(
            a,
            [
                "--name",
                "web-server",
                "--pod",
                "web",
                "--pull",
                "missing",
                "--env",
                "A=1 2",
                "--user",
                "5",
                "--read-only",
                "--entrypoint",
                r#"["httpd","-f"]"#,
                "--restart",
                "no",
                "--",
                "localhost/busybox",
                "-p",
                "80"
            ]
        );
        let (a, _) = create_args(&p, &p.containers[1], Path::new("/d"), &all).unwrap();
        assert_eq!(
            a,
            [
                "--name",
                "web-client",
                "--pod",
                "web",
                "--pull",
                "missing",
                "--restart",
                "no",
                "--",
                "localhost/busybox",
                "sleep",
                "9"
            ]
        );
    }

    #[test]
    fn a_missing_flag_refuses_the_field_and_restart_only_warns() {
        let mut p = web();
        p.restart = "always".into();
        p.containers[0].mounts.push(PlanMount {
            source: MountSource::EmptyDir("shared".into()),
            target: "/s".into(),
            read_only: true,
        });
        let none = |_: &str| false;
        let err = create_args(&p, &p.containers[0], Path::new("/d"), &none).unwrap_err();
        assert!(
            err.contains("volumeMounts") && err.contains("--volume"),
            "{err}"
        );
        let (_, w) = create_args(&p, &p.containers[1], Path::new("/d"), &none).unwrap();
        assert!(w[0].contains("restartPolicy"), "{w:?}");
        let only_volume = |f: &str| f == "volume";
        let (a, _) = create_args(&p, &p.containers[0], Path::new("/d/pod"), &only_volume).unwrap();
        assert!(
            a.windows(2)
                .any(|w| w == ["--volume", "/d/pod/shared:/s:ro"]),
            "{a:?}"
        );
        p.containers[0].memory = Some(1 << 20);
        let err = create_args(&p, &p.containers[0], Path::new("/d"), &only_volume).unwrap_err();
        assert!(err.contains("resources.limits.memory"), "{err}");
    }
}

//! `kube play` planning (pure): YAML text → checked Pods → a [`PodPlan`]
//! of rctl objects to create. Kubernetes semantics are kept: `command`
//! replaces the image's ENTRYPOINT (and its CMD), `args` replaces CMD,
//! `hostPort` publishes a port, `emptyDir` is a directory the pod's
//! containers share, `hostPath` a bind mount, a claim a named volume. A
//! Deployment runs its template once (replicas: 1); more is refused.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{Deployment, ObjectMeta, Pod, PodSpec, TypeMeta, Volume};

/// Why a YAML file cannot be played. Every message names the object.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlayError {
    #[error("line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> PlayError {
    PlayError::Invalid(msg.into())
}

fn yaml_error(e: serde_norway::Error) -> PlayError {
    match e.location() {
        Some(loc) => PlayError::Syntax {
            line: loc.line(),
            column: loc.column(),
            // The location leads the message; once is enough.
            message: e.to_string().replacen(
                &format!(" at line {} column {}", loc.line(), loc.column()),
                "",
                1,
            ),
        },
        None => invalid(e.to_string()),
    }
}

/// A pod to run: from a Pod, or a Deployment's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// `Pod` or `Deployment`.
    pub kind: String,
    /// The rctl pod's name.
    pub name: String,
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

/// The `nth` document of `text` as `T`, noting the fields `T` ignores.
fn typed_doc<T: serde::de::DeserializeOwned>(
    text: &str,
    nth: usize,
    warnings: &mut Vec<String>,
) -> Result<T, PlayError> {
    let doc = serde_norway::Deserializer::from_str(text)
        .nth(nth)
        .ok_or_else(|| invalid("the YAML document vanished while reading it"))?;
    let mut ignored = Vec::new();
    let value = serde_ignored::deserialize(doc, |path| ignored.push(path.to_string()))
        .map_err(yaml_error)?;
    for path in ignored {
        warnings.push(format!("ignoring `{path}`: rctl does not support it"));
    }
    Ok(value)
}

/// Parse every document of a YAML file. Pods and Deployments become
/// workloads; other kinds are skipped with a warning.
pub fn parse(text: &str) -> Result<(Vec<Workload>, Vec<String>), PlayError> {
    let mut warnings = Vec::new();
    let mut out = Vec::new();
    let mut kinds = Vec::new();
    for doc in serde_norway::Deserializer::from_str(text) {
        let value = serde_norway::Value::deserialize(doc).map_err(yaml_error)?;
        kinds.push(match value {
            serde_norway::Value::Null => None,
            v => Some(
                TypeMeta::deserialize(v)
                    .map_err(|e| invalid(format!("read apiVersion and kind: {e}")))?,
            ),
        });
    }
    for (i, kind) in kinds.into_iter().enumerate() {
        let Some(tm) = kind else { continue };
        match (tm.api_version.as_str(), tm.kind.as_str()) {
            ("v1", "Pod") => {
                let pod: Pod = typed_doc(text, i, &mut warnings)?;
                let name = pod.metadata.name.clone().ok_or_else(|| {
                    invalid(format!(
                        "document {}: the Pod has no metadata.name\nhint: add `metadata: {{name: NAME}}`",
                        i + 1
                    ))
                })?;
                out.push(Workload {
                    kind: "Pod".into(),
                    name,
                    metadata: pod.metadata,
                    spec: pod.spec,
                });
            }
            ("apps/v1", "Deployment") => {
                let d: Deployment = typed_doc(text, i, &mut warnings)?;
                let name = d.metadata.name.clone().ok_or_else(|| {
                    invalid(format!(
                        "document {}: the Deployment has no metadata.name\nhint: add `metadata: {{name: NAME}}`",
                        i + 1
                    ))
                })?;
                let replicas = d.spec.replicas.unwrap_or(1);
                if replicas != 1 {
                    return Err(invalid(format!(
                        "Deployment `{name}` asks for {replicas} replicas: rctl runs one copy of a pod on this machine\nhint: set `replicas: 1` (or leave it out)"
                    )));
                }
                out.push(Workload {
                    kind: "Deployment".into(),
                    name: format!("{name}-pod"),
                    metadata: d.spec.template.metadata,
                    spec: d.spec.template.spec,
                });
            }
            (api, kind) if kind.is_empty() || api.is_empty() => {
                return Err(invalid(format!(
                    "document {} has no apiVersion or kind\nhint: a Pod starts with `apiVersion: v1` and `kind: Pod`",
                    i + 1
                )));
            }
            (api, kind) => warnings.push(format!(
                "skipping document {} ({api} {kind}): rctl plays only v1 Pods and apps/v1 Deployments",
                i + 1
            )),
        }
    }
    if out.is_empty() {
        return Err(invalid(
            "no Pod or Deployment in the file\nhint: the file needs a document with `apiVersion: v1` and `kind: Pod`",
        ));
    }
    let mut names: Vec<&str> = out.iter().map(|w| w.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(invalid(format!(
            "two pods in the file are named `{}`",
            w[0]
        )));
    }
    Ok((out, warnings))
}

/// Where a container mount's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    /// A host path (`hostPath`).
    Host(String),
    /// The pod's directory for this `emptyDir` volume.
    EmptyDir(String),
    /// A named volume (`persistentVolumeClaim`).
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMount {
    pub source: MountSource,
    pub target: String,
    pub read_only: bool,
}

/// A `hostPath` that must be checked or created before the containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPathCheck {
    pub path: String,
    /// The `type` of the hostPath (empty: no check).
    pub kind: String,
}

/// One container to create, as `rctl create` flags would give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerPlan {
    /// `POD-CONTAINER`, as Podman names them.
    pub name: String,
    pub image: String,
    /// `--pull` value: `missing`, `always` or `never`.
    pub pull: String,
    /// `command`: replaces ENTRYPOINT (and resets CMD).
    pub entrypoint: Option<Vec<String>>,
    /// `args`: replaces CMD.
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub read_only: bool,
    pub no_new_privileges: bool,
    pub mounts: Vec<PlanMount>,
    /// Bytes.
    pub memory: Option<u64>,
    /// CPUs as `--cpus` takes them (`0.5`).
    pub cpus: Option<String>,
    pub tty: bool,
    pub interactive: bool,
}

/// A pod to create with its containers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodPlan {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `-p` values for the pod's shared network namespace.
    pub publish: Vec<String>,
    pub hostname: Option<String>,
    pub host_network: bool,
    /// Docker restart policy name for every container (`no`, `always`, `on-failure`).
    pub restart: String,
    /// `emptyDir` volumes: a fresh directory each, shared by the pod.
    pub empty_dirs: Vec<String>,
    pub host_paths: Vec<HostPathCheck>,
    pub containers: Vec<ContainerPlan>,
}

/// A Kubernetes quantity in bytes (`128Mi`, `1G`, `500000`).
pub fn parse_memory(q: &str) -> Option<u64> {
    let q = q.trim();
    let split = q.find(|c: char| !c.is_ascii_digit()).unwrap_or(q.len());
    let (num, unit) = q.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit {
        "" => 1,
        "k" => 1000,
        "M" => 1000_u64.pow(2),
        "G" => 1000_u64.pow(3),
        "T" => 1000_u64.pow(4),
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// A Kubernetes CPU quantity (`500m`, `2`, `0.5`) as `--cpus` takes it.
pub fn parse_cpus(q: &str) -> Option<String> {
    let q = q.trim();
    let cpus = match q.strip_suffix('m') {
        Some(m) => m.parse::<u64>().ok()? as f64 / 1000.0,
        None => q.parse::<f64>().ok()?,
    };
    (cpus.is_finite() && cpus > 0.0).then(|| format!("{cpus}"))
}

/// A name that works as an rctl pod and container name.
fn check_name(what: &str, name: &str) -> Result<(), PlayError> {
    if crate::container::store::valid_name(name) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} name `{name}` is not usable: use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
        )))
    }
}

fn volume_source(pod: &str, v: &Volume, plan: &mut PodPlan) -> Result<MountSource, PlayError> {
    let sources = [
        v.host_path.is_some(),
        v.empty_dir.is_some(),
        v.persistent_volume_claim.is_some(),
    ];
    match sources.iter().filter(|s| **s).count() {
        1 => {}
        0 => {
            return Err(invalid(format!(
                "pod `{pod}`: volume `{}` has no source rctl supports\nhint: use hostPath, emptyDir or persistentVolumeClaim",
                v.name
            )));
        }
        _ => {
            return Err(invalid(format!(
                "pod `{pod}`: volume `{}` has more than one source",
                v.name
            )));
        }
    }
    if let Some(h) = &v.host_path {
        if !h.path.starts_with('/') {
            return Err(invalid(format!(
                "pod `{pod}`: hostPath `{}` of volume `{}` is not absolute",
                h.path, v.name
            )));
        }
        let kind = h.kind.clone().unwrap_or_default();
        const KINDS: &[&str] = &[
            "",
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ];
        if !KINDS.contains(&kind.as_str()) {
            return Err(invalid(format!(
                "pod `{pod}`: volume `{}` has an unknown hostPath type `{kind}`\nhint: use one of {}",
                v.name,
                KINDS[1..].join(", ")
            )));
        }
        plan.host_paths.push(HostPathCheck {
            path: h.path.clone(),
            kind,
        });
        return Ok(MountSource::Host(h.path.clone()));
    }
    if v.empty_dir.is_some() {
        check_name("emptyDir volume", &v.name)?;
        plan.empty_dirs.push(v.name.clone());
        return Ok(MountSource::EmptyDir(v.name.clone()));
    }
    let claim = &v
        .persistent_volume_claim
        .as_ref()
        .map(|c| c.claim_name.clone());
    let claim = claim.clone().unwrap_or_default();
    check_name("persistentVolumeClaim", &claim)?;
    Ok(MountSource::Named(claim))
}

fn publish_spec(host_ip: Option<&str>, host: u16, ctr: u16, proto: &str) -> String {
    let ip = match host_ip {
        Some(ip) if ip.contains(':') => format!("[{ip}]:"),
        Some(ip) if !ip.is_empty() => format!("{ip}:"),
        _ => String::new(),
    };
    format!("{ip}{host}:{ctr}/{proto}")
}

/// Turn one workload into the pod and containers rctl creates.
pub fn plan(w: &Workload) -> Result<PodPlan, PlayError> {
    let pod = w.name.as_str();
    check_name("pod", pod)?;
    let mut plan = PodPlan {
        name: pod.to_string(),
        labels: w.metadata.labels.clone(),
        hostname: w.spec.hostname.clone(),
        host_network: w.spec.host_network,
        ..PodPlan::default()
    };
    plan.restart = match w.spec.restart_policy.as_deref() {
        None | Some("Always") => "always",
        Some("OnFailure") => "on-failure",
        Some("Never") => "no",
        Some(other) => {
            return Err(invalid(format!(
                "pod `{pod}`: unknown restartPolicy `{other}`\nhint: use Always, OnFailure or Never"
            )));
        }
    }
    .into();
    let mut volumes = BTreeMap::new();
    for v in &w.spec.volumes {
        let src = volume_source(pod, v, &mut plan)?;
        if volumes.insert(v.name.clone(), src).is_some() {
            return Err(invalid(format!(
                "pod `{pod}`: two volumes are named `{}`",
                v.name
            )));
        }
    }
    if w.spec.containers.is_empty() {
        return Err(invalid(format!("pod `{pod}` has no containers")));
    }
    let mut names: Vec<&str> = Vec::new();
    let mut host_ports = Vec::new();
    for c in &w.spec.containers {
        let what = format!("pod `{pod}`, container `{}`", c.name);
        if c.name.is_empty() {
            return Err(invalid(format!("pod `{pod}`: a container has no name")));
        }
        if names.contains(&c.name.as_str()) {
            return Err(invalid(format!("{what}: the name is used twice")));
        }
        names.push(&c.name);
        let name = format!("{pod}-{}", c.name);
        check_name("container", &name)?;
        let image = c
            .image
            .clone()
            .filter(|i| !i.is_empty())
            .ok_or_else(|| invalid(format!("{what} has no image")))?;
        let pull = match c.image_pull_policy.as_deref() {
            None | Some("IfNotPresent") => "missing",
            Some("Always") => "always",
            Some("Never") => "never",
            Some(other) => {
                return Err(invalid(format!(
                    "{what}: unknown imagePullPolicy `{other}`\nhint: use Always, IfNotPresent or Never"
                )));
            }
        };
        let mut cp = ContainerPlan {
            name,
            image,
            pull: pull.into(),
            entrypoint: (!c.command.is_empty()).then(|| c.command.clone()),
            args: c.args.clone(),
            env: c
                .env
                .iter()
                .map(|e| format!("{}={}", e.name, e.value))
                .collect(),
            workdir: c.working_dir.clone(),
            tty: c.tty,
            interactive: c.stdin,
            ..ContainerPlan::default()
        };
        for e in &c.env {
            if e.value_from.is_some() {
                return Err(invalid(format!(
                    "{what}: environment variable `{}` uses valueFrom, which rctl does not support\nhint: give it a literal `value`",
                    e.name
                )));
            }
            if e.name.is_empty() || e.name.contains('=') {
                return Err(invalid(format!(
                    "{what}: environment variable name `{}` is not valid",
                    e.name
                )));
            }
        }
        for p in &c.ports {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            let proto = match proto {
                "TCP" => "tcp",
                "UDP" => "udp",
                other => {
                    return Err(invalid(format!(
                        "{what}: port {} uses protocol `{other}`; rctl publishes TCP and UDP",
                        p.container_port
                    )));
                }
            };
            if p.container_port == 0 {
                return Err(invalid(format!("{what}: containerPort 0 is not a port")));
            }
            if let Some(h) = p.host_port.filter(|h| *h != 0) {
                if host_ports.contains(&(h, proto)) {
                    return Err(invalid(format!(
                        "{what}: hostPort {h}/{proto} is published twice in the pod"
                    )));
                }
                host_ports.push((h, proto));
                plan.publish.push(publish_spec(
                    p.host_ip.as_deref(),
                    h,
                    p.container_port,
                    proto,
                ));
            }
        }
        for m in &c.volume_mounts {
            let src = volumes.get(&m.name).ok_or_else(|| {
                invalid(format!(
                    "{what}: volumeMount `{}` names no volume of the pod\nhint: declare it under spec.volumes",
                    m.name
                ))
            })?;
            if m.sub_path.as_deref().is_some_and(|s| !s.is_empty()) {
                return Err(invalid(format!(
                    "{what}: volumeMount `{}` uses subPath, which rctl does not support",
                    m.name
                )));
            }
            if !m.mount_path.starts_with('/') {
                return Err(invalid(format!(
                    "{what}: mountPath `{}` is not absolute",
                    m.mount_path
                )));
            }
            cp.mounts.push(PlanMount {
                source: src.clone(),
                target: m.mount_path.clone(),
                read_only: m.read_only,
            });
        }
        if let Some(r) = &c.resources {
            for (k, v) in &r.limits {
                match k.as_str() {
                    "memory" => {
                        cp.memory = Some(parse_memory(v).ok_or_else(|| {
                            invalid(format!(
                                "{what}: memory limit `{v}` is not a quantity (e.g. 256Mi)"
                            ))
                        })?)
                    }
                    "cpu" => {
                        cp.cpus = Some(parse_cpus(v).ok_or_else(|| {
                            invalid(format!(
                                "{what}: cpu limit `{v}` is not a quantity (e.g. 500m)"
                            ))
                        })?)
                    }
                    other => {
                        return Err(invalid(format!(
                            "{what}: resource limit `{other}` is not supported\nhint: rctl applies memory and cpu limits"
                        )));
                    }
                }
            }
        }
        if let Some(sc) = &c.security_context {
            cp.privileged = sc.privileged.unwrap_or(false);
            cp.read_only = sc.read_only_root_filesystem.unwrap_or(false);
            cp.no_new_privileges = sc.allow_privilege_escalation == Some(false);
            cp.user = match (sc.run_as_user, sc.run_as_group) {
                (Some(u), Some(g)) => Some(format!("{u}:{g}")),
                (Some(u), None) => Some(u.to_string()),
                (None, Some(_)) => {
                    return Err(invalid(format!(
                        "{what}: runAsGroup needs runAsUser in rctl"
                    )));
                }
                (None, None) => None,
            };
            if let Some(caps) = &sc.capabilities {
                cp.cap_add = caps.add.clone();
                cp.cap_drop = caps.drop.clone();
            }
        }
        plan.containers.push(cp);
    }
    if plan.host_network && !plan.publish.is_empty() {
        return Err(invalid(format!(
            "pod `{pod}` uses hostNetwork and hostPort: with the host's network there is nothing to publish\nhint: drop the hostPort entries"
        )));
    }
    Ok(plan)
}

#[cfg(test)]
#[path = "play_tests.rs"]
mod tests;

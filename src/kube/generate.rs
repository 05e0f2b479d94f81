//! `kube generate`: container records → one Pod (pure). A [`Source`] is the
//! part of a container that Kubernetes can express; [`pod`] turns sources
//! into a Pod that a cluster accepts (names made DNS-1123 labels, one port
//! entry per published port, bind mounts as `hostPath`, named volumes as
//! `persistentVolumeClaim`, limits as `resources.limits`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::model::{
    Capabilities, ClaimSource, Container, ContainerPort, EmptyDirSource, EnvVar, HostPathSource,
    ObjectMeta, Pod, PodSpec, Resources, SecurityContext, Volume, VolumeMount,
};
use crate::network::publish::{PortMapping, Protocol};

/// A mount of a container as Kubernetes can express it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceMount {
    /// A host path bind-mounted at `target`.
    Bind {
        source: String,
        target: String,
        read_only: bool,
    },
    /// A named volume at `target`.
    Volume {
        name: String,
        target: String,
        read_only: bool,
    },
    /// A tmpfs at `target` (`emptyDir` in memory).
    Tmpfs { target: String },
    /// Scratch space that lives as long as the container, such as an
    /// anonymous volume (`emptyDir` on disk).
    Scratch { target: String },
}

/// What `kube generate` needs of one container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Source {
    pub name: String,
    pub image: String,
    /// `--entrypoint`: `Some(vec![])` clears the image's.
    pub entrypoint: Option<Vec<String>>,
    /// The command line given after the image (replaces CMD).
    pub command: Vec<String>,
    /// `KEY=VALUE` entries the user set.
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub ports: Vec<PortMapping>,
    pub mounts: Vec<SourceMount>,
    /// Memory limit in bytes.
    pub memory: Option<u64>,
    /// CPU limit in thousandths of a CPU.
    pub cpu_millis: Option<u64>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub read_only: bool,
    pub no_new_privileges: bool,
    /// Docker restart policy name (`no`, `always`, `on-failure`, `unless-stopped`).
    pub restart: Option<String>,
    pub tty: bool,
    pub interactive: bool,
    /// `--network host`.
    pub host_network: bool,
}

impl Source {
    /// The parts of a stored container that Kubernetes can express.
    pub fn from_container(c: &crate::container::Container) -> Source {
        let cfg = &c.config;
        Source {
            name: c.name.clone(),
            image: cfg.image_name.clone(),
            entrypoint: cfg.entrypoint.clone(),
            command: cfg.command.clone(),
            env: cfg.env.clone(),
            workdir: cfg.workdir.clone(),
            user: cfg.user.clone(),
            hostname: cfg.hostname.clone(),
            ports: cfg
                .net
                .as_ref()
                .map(|n| n.ports.clone())
                .unwrap_or_default(),
            mounts: cfg
                .mounts
                .mounts
                .iter()
                .map(|m| {
                    let target = m.request.destination.to_string_lossy().into_owned();
                    let read_only = m.request.readonly;
                    match &m.request.source {
                        crate::mountspec::MountSource::Bind { source } => SourceMount::Bind {
                            source: source.to_string_lossy().into_owned(),
                            target,
                            read_only,
                        },
                        crate::mountspec::MountSource::Volume { name: Some(name) }
                            if !cfg.mounts.anonymous.contains(name) =>
                        {
                            SourceMount::Volume {
                                name: name.clone(),
                                target,
                                read_only,
                            }
                        }
                        crate::mountspec::MountSource::Volume { .. } => {
                            SourceMount::Scratch { target }
                        }
                        crate::mountspec::MountSource::Tmpfs { .. } => {
                            SourceMount::Tmpfs { target }
                        }
                    }
                })
                .collect(),
            memory: cfg.cgroup.as_ref().and_then(|c| c.resources.memory),
            cpu_millis: cfg
                .cgroup
                .as_ref()
                .and_then(|c| c.resources.cpu_quota_us)
                .map(|us| us / 1000),
            cap_add: cfg.cap_add.clone(),
            cap_drop: cfg.cap_drop.clone(),
            privileged: cfg.privileged,
            read_only: cfg.read_only,
            no_new_privileges: cfg.no_new_privileges,
            restart: Some(cfg.restart.name().to_string()),
            tty: cfg.tty,
            interactive: cfg.interactive,
            host_network: cfg.network == crate::runtime::Network::Host,
        }
    }
}

/// A name as a DNS-1123 label (what Kubernetes wants for pod, container
/// and volume names): lowercase letters, digits and `-`, at most 63
/// characters, starting and ending with a letter or digit.
pub fn dns_label(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(63).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// A label not yet in `taken` (adds `-2`, `-3`, ...), recorded there.
fn unique(base: String, taken: &mut Vec<String>) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        let suffix = format!("-{n}");
        let keep = 63 - suffix.len();
        name = format!(
            "{}{suffix}",
            base.chars()
                .take(keep)
                .collect::<String>()
                .trim_end_matches('-')
        );
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// A capability as Kubernetes names it (no `CAP_` prefix).
fn kube_cap(cap: &str) -> String {
    let up = cap.to_ascii_uppercase();
    up.strip_prefix("CAP_").map(str::to_string).unwrap_or(up)
}

/// `--user` as numeric ids, when it is numeric.
fn numeric_user(user: &str) -> Option<(i64, Option<i64>)> {
    match user.split_once(':') {
        Some((u, g)) => Some((u.parse().ok()?, Some(g.parse().ok()?))),
        None => Some((user.parse().ok()?, None)),
    }
}

/// A memory size in bytes as a Kubernetes quantity (`512Mi`, or bytes).
pub fn memory_quantity(bytes: u64) -> String {
    for (unit, size) in [("Gi", 1u64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= size && bytes % size == 0 {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// A CPU limit in thousandths as a Kubernetes quantity (`2`, `500m`).
pub fn cpu_quantity(millis: u64) -> String {
    if millis % 1000 == 0 {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

fn ports(mappings: &[PortMapping]) -> Vec<ContainerPort> {
    let mut out = Vec::new();
    for m in mappings {
        for i in 0..m.range.max(1) {
            out.push(ContainerPort {
                name: None,
                container_port: m.container_port + i,
                host_port: (m.host_port != 0).then(|| m.host_port + i),
                host_ip: m
                    .host_ip
                    .filter(|ip| !ip.is_unspecified())
                    .map(|ip: IpAddr| ip.to_string()),
                protocol: Some(
                    match m.protocol {
                        Protocol::Tcp => "TCP",
                        Protocol::Udp => "UDP",
                        Protocol::Sctp => "SCTP",
                    }
                    .into(),
                ),
            });
        }
    }
    out
}

fn security(s: &Source, warnings: &mut Vec<String>) -> Option<SecurityContext> {
    let mut sc = SecurityContext::default();
    if s.privileged {
        sc.privileged = Some(true);
    }
    if s.read_only {
        sc.read_only_root_filesystem = Some(true);
    }
    if s.no_new_privileges {
        sc.allow_privilege_escalation = Some(false);
    }
    if !s.cap_add.is_empty() || !s.cap_drop.is_empty() {
        sc.capabilities = Some(Capabilities {
            add: s.cap_add.iter().map(|c| kube_cap(c)).collect(),
            drop: s.cap_drop.iter().map(|c| kube_cap(c)).collect(),
        });
    }
    if let Some(user) = &s.user {
        match numeric_user(user) {
            Some((u, g)) => {
                sc.run_as_user = Some(u);
                sc.run_as_group = g;
            }
            None => warnings.push(format!(
                "container `{}`: user `{user}` is a name; Kubernetes takes numeric ids only (runAsUser), so it is left out",
                s.name
            )),
        }
    }
    (sc != SecurityContext::default()).then_some(sc)
}

fn restart_policy(sources: &[Source]) -> &'static str {
    match sources.first().and_then(|s| s.restart.as_deref()) {
        Some("always") | Some("unless-stopped") => "Always",
        Some(p) if p.starts_with("on-failure") => "OnFailure",
        _ => "Never",
    }
}

/// One Pod named `pod_name` with a container per source. Returns the Pod
/// and warnings about what Kubernetes cannot express.
pub fn pod(pod_name: &str, sources: &[Source]) -> (Pod, Vec<String>) {
    let mut warnings = Vec::new();
    let mut volumes: Vec<Volume> = Vec::new();
    let mut volume_names = Vec::new();
    let mut container_names = Vec::new();
    let mut containers = Vec::new();
    for s in sources {
        let (command, args) = match &s.entrypoint {
            Some(ep) if !ep.is_empty() => (ep.clone(), s.command.clone()),
            // A cleared ENTRYPOINT: Kubernetes cannot clear it, so the
            // command line becomes the whole command.
            Some(_) => (s.command.clone(), Vec::new()),
            None => (Vec::new(), s.command.clone()),
        };
        let env = s
            .env
            .iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => EnvVar {
                    name: k.into(),
                    value: v.into(),
                    value_from: None,
                },
                None => EnvVar {
                    name: e.clone(),
                    ..EnvVar::default()
                },
            })
            .collect();
        let mut volume_mounts = Vec::new();
        for m in &s.mounts {
            let (source, target, read_only) = match m {
                SourceMount::Bind {
                    source,
                    target,
                    read_only,
                } => (
                    Volume {
                        host_path: Some(HostPathSource {
                            path: source.clone(),
                            kind: None,
                        }),
                        ..Volume::default()
                    },
                    target,
                    *read_only,
                ),
                SourceMount::Volume {
                    name,
                    target,
                    read_only,
                } => (
                    Volume {
                        persistent_volume_claim: Some(ClaimSource {
                            claim_name: dns_label(name),
                            read_only: false,
                        }),
                        ..Volume::default()
                    },
                    target,
                    *read_only,
                ),
                SourceMount::Tmpfs { target } => (
                    Volume {
                        empty_dir: Some(EmptyDirSource {
                            medium: Some("Memory".into()),
                            size_limit: None,
                        }),
                        ..Volume::default()
                    },
                    target,
                    false,
                ),
                SourceMount::Scratch { target } => (
                    Volume {
                        empty_dir: Some(EmptyDirSource::default()),
                        ..Volume::default()
                    },
                    target,
                    false,
                ),
            };
            // The same host path or claim in two containers is one volume.
            let existing = volumes.iter().find(|v| {
                source.empty_dir.is_none()
                    && v.host_path == source.host_path
                    && v.persistent_volume_claim == source.persistent_volume_claim
            });
            let name = match existing {
                Some(v) => v.name.clone(),
                None => {
                    let base = match (&source.host_path, &source.persistent_volume_claim) {
                        (Some(h), _) => dns_label(&h.path),
                        (_, Some(c)) => c.claim_name.clone(),
                        _ => dns_label(&format!("{}-{target}", s.name)),
                    };
                    let name = unique(base, &mut volume_names);
                    volumes.push(Volume {
                        name: name.clone(),
                        ..source
                    });
                    name
                }
            };
            volume_mounts.push(VolumeMount {
                name,
                mount_path: target.clone(),
                read_only,
                sub_path: None,
            });
        }
        let mut limits = BTreeMap::new();
        if let Some(m) = s.memory {
            limits.insert("memory".to_string(), memory_quantity(m));
        }
        if let Some(c) = s.cpu_millis {
            limits.insert("cpu".to_string(), cpu_quantity(c));
        }
        containers.push(Container {
            name: unique(dns_label(&s.name), &mut container_names),
            image: Some(s.image.clone()),
            image_pull_policy: None,
            command,
            args,
            working_dir: s.workdir.clone(),
            env,
            ports: ports(&s.ports),
            volume_mounts,
            resources: (!limits.is_empty()).then(|| Resources {
                limits,
                requests: BTreeMap::new(),
            }),
            security_context: security(s, &mut warnings),
            stdin: s.interactive,
            tty: s.tty,
        });
    }
    let name = dns_label(pod_name);
    let pod = Pod {
        api_version: "v1".into(),
        kind: "Pod".into(),
        metadata: ObjectMeta {
            name: Some(name.clone()),
            labels: BTreeMap::from([("app".to_string(), name)]),
            annotations: BTreeMap::new(),
        },
        spec: PodSpec {
            containers,
            volumes,
            restart_policy: Some(restart_policy(sources).into()),
            hostname: sources
                .first()
                .and_then(|s| s.hostname.as_deref())
                .map(dns_label),
            host_network: sources.first().is_some_and(|s| s.host_network),
        },
    };
    (pod, warnings)
}

/// The Pod as YAML, with a header naming its maker.
pub fn to_yaml(pod: &Pod) -> Result<String, serde_norway::Error> {
    Ok(format!(
        "# Generated by rctl {}\n{}",
        env!("CARGO_PKG_VERSION"),
        serde_norway::to_string(pod)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> Source {
        Source {
            name: "Web_1".into(),
            image: "localhost/busybox:latest".into(),
            command: vec!["httpd".into(), "-f".into()],
            env: vec!["A=1".into(), "B=x=y".into()],
            workdir: Some("/www".into()),
            user: Some("1000:100".into()),
            ports: vec![PortMapping {
                host_ip: Some("127.0.0.1".parse().unwrap()),
                host_port: 8080,
                container_port: 80,
                range: 2,
                protocol: Protocol::Tcp,
            }],
            mounts: vec![
                SourceMount::Bind {
                    source: "/srv/www".into(),
                    target: "/www".into(),
                    read_only: true,
                },
                SourceMount::Volume {
                    name: "data_vol".into(),
                    target: "/data".into(),
                    read_only: false,
                },
            ],
            memory: Some(256 << 20),
            cpu_millis: Some(1500),
            cap_add: vec!["CAP_NET_ADMIN".into()],
            cap_drop: vec!["all".into()],
            read_only: true,
            restart: Some("on-failure:3".into()),
            ..Source::default()
        }
    }

    #[test]
    fn a_container_becomes_a_pod() {
        let (pod, warnings) = pod("Web_1-pod", &[web()]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(pod.metadata.name.as_deref(), Some("web-1-pod"));
        assert_eq!(pod.spec.restart_policy.as_deref(), Some("OnFailure"));
        let c = &pod.spec.containers[0];
        assert_eq!(c.name, "web-1");
        assert!(c.command.is_empty());
        assert_eq!(c.args, ["httpd", "-f"]);
        assert_eq!(c.env[1].name, "B");
        assert_eq!(c.env[1].value, "x=y");
        assert_eq!(c.ports.len(), 2);
        assert_eq!(c.ports[1].container_port, 81);
        assert_eq!(c.ports[1].host_port, Some(8081));
        assert_eq!(c.ports[0].host_ip.as_deref(), Some("127.0.0.1"));
        let r = c.resources.as_ref().unwrap();
        assert_eq!(r.limits["memory"], "256Mi");
        assert_eq!(r.limits["cpu"], "1500m");
        let sc = c.security_context.as_ref().unwrap();
        assert_eq!((sc.run_as_user, sc.run_as_group), (Some(1000), Some(100)));
        assert_eq!(sc.read_only_root_filesystem, Some(true));
        let caps = sc.capabilities.as_ref().unwrap();
        assert_eq!(
            (caps.add.as_slice(), caps.drop.as_slice()),
            (&["NET_ADMIN".to_string()][..], &["ALL".to_string()][..])
        );
        assert_eq!(pod.spec.volumes.len(), 2);
        assert_eq!(
            pod.spec.volumes[0].host_path.as_ref().unwrap().path,
            "/srv/www"
        );
        assert_eq!(
            pod.spec.volumes[1]
                .persistent_volume_claim
                .as_ref()
                .unwrap()
                .claim_name,
            "data-vol"
        );
        assert_eq!(c.volume_mounts[0].name, pod.spec.volumes[0].name);
        assert!(c.volume_mounts[0].read_only);
    }

    #[test]
    fn entrypoint_forms_map_to_command_and_args() {
        let mut s = web();
        s.entrypoint = Some(vec!["/bin/sh".into(), "-c".into()]);
        s.command = vec!["echo hi".into()];
        let (p, _) = pod("p", std::slice::from_ref(&s));
        assert_eq!(p.spec.containers[0].command, ["/bin/sh", "-c"]);
        assert_eq!(p.spec.containers[0].args, ["echo hi"]);
        s.entrypoint = Some(vec![]);
        s.command = vec!["true".into()];
        let (p, _) = pod("p", &[s]);
        assert_eq!(p.spec.containers[0].command, ["true"]);
        assert!(p.spec.containers[0].args.is_empty());
    }

    #[test]
    fn two_containers_share_one_host_path_volume_and_get_unique_names() {
        let mut a = web();
        a.name = "web".into();
        let mut b = web();
        b.name = "WEB".into();
        b.user = Some("alice".into());
        let (p, warnings) = pod("pair", &[a, b]);
        assert_eq!(p.spec.containers[0].name, "web");
        assert_eq!(p.spec.containers[1].name, "web-2");
        assert_eq!(p.spec.volumes.len(), 2, "{:?}", p.spec.volumes);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("alice"), "{warnings:?}");
    }

    #[test]
    fn tmpfs_and_scratch_mounts_are_empty_dirs_of_their_own() {
        let mut s = web();
        s.name = "w".into();
        s.mounts = vec![
            SourceMount::Tmpfs {
                target: "/run/x".into(),
            },
            SourceMount::Scratch {
                target: "/cache".into(),
            },
        ];
        let (p, _) = pod("p", &[s.clone(), s]);
        // One emptyDir per container and mount: nothing is shared.
        assert_eq!(p.spec.volumes.len(), 4, "{:?}", p.spec.volumes);
        assert_eq!(p.spec.volumes[0].name, "w-run-x");
        assert_eq!(p.spec.volumes[2].name, "w-run-x-2");
        let medium = |i: usize| p.spec.volumes[i].empty_dir.as_ref().unwrap().medium.clone();
        assert_eq!(medium(0).as_deref(), Some("Memory"));
        assert_eq!(medium(1), None);
        assert_eq!(p.spec.containers[1].volume_mounts[1].name, "w-cache-2");
    }

    #[test]
    fn host_network_is_the_pods() {
        let mut s = web();
        assert!(!pod("p", std::slice::from_ref(&s)).0.spec.host_network);
        s.host_network = true;
        assert!(pod("p", &[s]).0.spec.host_network);
    }

    #[test]
    fn quantities_and_labels() {
        assert_eq!(memory_quantity(1 << 30), "1Gi");
        assert_eq!(memory_quantity(1000), "1000");
        assert_eq!(cpu_quantity(2000), "2");
        assert_eq!(cpu_quantity(250), "250m");
        assert_eq!(dns_label("/srv/www data"), "srv-www-data");
        assert_eq!(dns_label("__"), "x");
        assert_eq!(dns_label(&"a".repeat(80)).len(), 63);
    }

    #[test]
    fn yaml_round_trips_and_leaves_empty_fields_out() {
        let (p, _) = pod("p", &[web()]);
        let text = to_yaml(&p).unwrap();
        assert!(text.starts_with("# Generated by rctl"), "{text}");
        assert!(text.contains("containerPort: 80"), "{text}");
        assert!(text.contains("hostIP: 127.0.0.1"), "{text}");
        assert!(!text.contains("hostNetwork"), "{text}");
        assert!(!text.contains("stdin"), "{text}");
        let back: Pod = serde_norway::from_str(&text).unwrap();
        assert_eq!(back, p);
    }
}

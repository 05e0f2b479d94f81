use super::*;

const POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  restartPolicy: Never
  volumes:
  - name: shared
    emptyDir: {}
  - name: site
    hostPath: {path: /srv/site, type: Directory}
  - name: data
    persistentVolumeClaim: {claimName: webdata}
  containers:
  - name: server
    image: localhost/busybox
    command: ["httpd", "-f"]
    args: ["-p", "8080"]
    env:
    - {name: GREETING, value: "hi there"}
    ports:
    - {containerPort: 8080, hostPort: 18080, hostIP: 127.0.0.1}
    - {containerPort: 53, hostPort: 1053, protocol: UDP}
    - {containerPort: 9000}
    volumeMounts:
    - {name: shared, mountPath: /shared}
    - {name: site, mountPath: /www, readOnly: true}
    resources:
      limits: {memory: 64Mi, cpu: 500m}
    securityContext:
      runAsUser: 1000
      runAsGroup: 1000
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities: {add: [NET_ADMIN], drop: [ALL]}
    livenessProbe: {exec: {command: [true]}}
  - name: client
    image: localhost/busybox
    imagePullPolicy: Never
    args: ["sleep", "1000"]
    volumeMounts:
    - {name: shared, mountPath: /shared}
    - {name: data, mountPath: /data}
"#;

#[test]
fn a_pod_becomes_a_plan() {
    let (w, warnings) = parse(POD).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("livenessProbe"), "{warnings:?}");
    let p = plan(&w[0]).unwrap();
    assert_eq!(p.name, "web");
    assert_eq!(p.restart, "no");
    assert_eq!(p.publish, ["127.0.0.1:18080:8080/tcp", "1053:53/udp"]);
    assert_eq!(p.empty_dirs, ["shared"]);
    assert_eq!(p.host_paths[0].kind, "Directory");
    let s = &p.containers[0];
    assert_eq!(s.name, "web-server");
    assert_eq!(
        s.entrypoint.as_deref(),
        Some(&["httpd".to_string(), "-f".into()][..])
    );
    assert_eq!(s.args, ["-p", "8080"]);
    assert_eq!(s.env, ["GREETING=hi there"]);
    assert_eq!(s.memory, Some(64 << 20));
    assert_eq!(s.cpus.as_deref(), Some("0.5"));
    assert_eq!(s.user.as_deref(), Some("1000:1000"));
    assert!(s.read_only && s.no_new_privileges && !s.privileged);
    assert_eq!(
        (s.cap_add.as_slice(), s.cap_drop.as_slice()),
        (&["NET_ADMIN".to_string()][..], &["ALL".to_string()][..])
    );
    assert_eq!(s.mounts[0].source, MountSource::EmptyDir("shared".into()));
    assert_eq!(s.mounts[1].source, MountSource::Host("/srv/site".into()));
    assert!(s.mounts[1].read_only);
    assert_eq!(s.pull, "missing");
    let c = &p.containers[1];
    assert_eq!(c.pull, "never");
    // args only: the image's ENTRYPOINT stays.
    assert_eq!(c.entrypoint, None);
    assert_eq!(c.args, ["sleep", "1000"]);
    assert_eq!(c.mounts[1].source, MountSource::Named("webdata".into()));
}

#[test]
fn restart_policy_defaults_to_always() {
    let (w, _) = parse(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: i}]\n",
    )
    .unwrap();
    assert_eq!(plan(&w[0]).unwrap().restart, "always");
}

#[test]
fn a_deployment_with_one_replica_runs_its_template() {
    let text = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: main, image: localhost/busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
"#;
    let (w, warnings) = parse(text).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].name, "api-pod");
    assert!(
        warnings.iter().any(|w| w.contains("Service")),
        "{warnings:?}"
    );
    let p = plan(&w[0]).unwrap();
    assert_eq!(p.containers[0].name, "api-pod-main");
    assert_eq!(p.labels["app"], "api");
}

#[test]
fn more_replicas_are_refused() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers: [{name: a, image: i}]\n";
    let err = parse(text).unwrap_err().to_string();
    assert!(err.contains("3 replicas") && err.contains("api"), "{err}");
}

#[test]
fn bad_yaml_names_the_line() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: [unclosed\n";
    match parse(text).unwrap_err() {
        PlayError::Syntax { line, .. } => assert!(line >= 7, "line {line}"),
        other => panic!("{other:?}"),
    }
    // A type error carries its line too.
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: i\n    ports:\n    - containerPort: eighty\n";
    match parse(text).unwrap_err() {
        PlayError::Syntax { line, message, .. } => {
            assert_eq!(line, 9, "{message}");
            assert!(message.contains("containerPort"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_files_are_refused_with_the_reason() {
    let cases: &[(&str, &str)] = &[
        ("kind: Pod\n", "no apiVersion"),
        ("apiVersion: v1\nkind: Service\n", "no Pod or Deployment"),
        (
            "apiVersion: v1\nkind: Pod\nspec: {containers: []}\n",
            "no metadata.name",
        ),
        ("", "no Pod or Deployment"),
    ];
    for (text, want) in cases {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text:?}: {err}");
    }
    let plans: &[(&str, &str)] = &[
        ("containers: []", "has no containers"),
        ("containers: [{name: a}]", "has no image"),
        (
            "containers: [{name: a, image: i}, {name: a, image: i}]",
            "used twice",
        ),
        (
            "containers: [{name: a, image: i, volumeMounts: [{name: v, mountPath: /v}]}]",
            "names no volume",
        ),
        (
            "containers: [{name: a, image: i, ports: [{containerPort: 1, protocol: SCTP}]}]",
            "SCTP",
        ),
        (
            "containers: [{name: a, image: i, resources: {limits: {memory: lots}}}]",
            "not a quantity",
        ),
        (
            "containers: [{name: a, image: i}]\n  restartPolicy: Sometimes",
            "restartPolicy",
        ),
        (
            "containers: [{name: a, image: i}]\n  volumes: [{name: v}]",
            "no source",
        ),
        (
            "containers: [{name: a, image: i}]\n  volumes: [{name: v, hostPath: {path: rel}}]",
            "not absolute",
        ),
        (
            "containers: [{name: a, image: i, ports: [{containerPort: 1, hostPort: 5}]}, {name: b, image: i, ports: [{containerPort: 2, hostPort: 5}]}]",
            "published twice",
        ),
    ];
    for (spec, want) in plans {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  {spec}\n");
        let (w, _) = parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let err = plan(&w[0]).unwrap_err().to_string();
        assert!(err.contains(want), "{spec}: {err}");
    }
}

#[test]
fn quantities() {
    assert_eq!(parse_memory("128Mi"), Some(128 << 20));
    assert_eq!(parse_memory("1G"), Some(1_000_000_000));
    assert_eq!(parse_memory("4096"), Some(4096));
    assert_eq!(parse_memory("1.5Gi"), None);
    assert_eq!(parse_cpus("250m").as_deref(), Some("0.25"));
    assert_eq!(parse_cpus("2").as_deref(), Some("2"));
    assert_eq!(parse_cpus("0").as_deref(), None);
    assert_eq!(
        publish_spec(Some("::1"), 80, 8080, "tcp"),
        "[::1]:80:8080/tcp"
    );
}

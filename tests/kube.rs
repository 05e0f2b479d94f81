//! `rctl kube generate|play|down` with the real binary as the test user:
//! generated YAML checked against the Kubernetes OpenAPI schemas
//! (`kubernetes-validate`, installed by contrib/setup-host.sh), a played
//! pod's env, command/args and hostPort seen from the host, `kube down`
//! leaving nothing, and bad YAML refused before anything exists.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::net::free_port;
use common::{TestEnv, stderr, stdout};

const VALIDATOR: &str = "/opt/rctl-kube-validate/bin/kubernetes-validate";

fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    for (tool, pkg) in [
        ("/usr/bin/pasta", "passt"),
        ("/bin/busybox", "busybox-static"),
    ] {
        if !Path::new(tool).exists() {
            return common::missing(&format!("`{tool}` is missing (package {pkg})"));
        }
    }
    t.import_busybox("localhost/busybox", &[]);
    Some(t)
}

/// Run the schema validator on a file; true when it accepts it.
fn validates(path: &Path) -> (bool, String) {
    let out = Command::new(VALIDATOR)
        .args(["--strict", "--no-warn"])
        .arg(path)
        .output()
        .expect("run kubernetes-validate");
    (
        out.status.success(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

/// Poll `f` until it returns Some, for at most 20 s.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn http_get(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
        .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    body.contains("200 OK").then_some(body)
}

#[test]
fn generate_writes_yaml_that_the_kubernetes_schema_accepts() {
    let Some(t) = env("kube_generate") else {
        return;
    };
    if !Path::new(VALIDATOR).exists() {
        common::missing(&format!(
            "`{VALIDATOR}` is missing (contrib/setup-host.sh installs kubernetes-validate)"
        ));
        return;
    }
    let port = free_port().to_string();
    t.ok(&[
        "create",
        "--name",
        "web_1",
        "-e",
        "GREETING=hi there",
        "-p",
        &format!("127.0.0.1:{port}:80"),
        "-p",
        "5353:53/udp",
        "--entrypoint",
        r#"["/bin/sh","-c"]"#,
        "--user",
        "1000:1000",
        "--cap-add",
        "NET_ADMIN",
        "--cap-drop",
        "CAP_MKNOD",
        "--read-only",
        "--workdir",
        "/tmp",
        "localhost/busybox",
        "httpd -f -p 80",
    ]);
    let yaml = t.ok(&["kube", "generate", "web_1"]);
    for want in [
        "name: web-1-pod",
        "- name: web-1",
        "image: localhost/busybox",
        "- /bin/sh",
        "- httpd -f -p 80",
        "value: hi there",
        &format!("hostPort: {port}"),
        "hostIP: 127.0.0.1",
        "protocol: UDP",
        "runAsUser: 1000",
        "readOnlyRootFilesystem: true",
        "- NET_ADMIN",
        "- MKNOD",
        "workingDir: /tmp",
        "restartPolicy: Never",
    ] {
        assert!(yaml.contains(want), "`{want}` missing in:\n{yaml}");
    }
    // -f writes the same YAML to a file the validator reads.
    let file = t.dir.join("home/pod.yaml");
    t.ok(&["kube", "generate", "-f", file.to_str().unwrap(), "web_1"]);
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, yaml);
    let (ok, report) = validates(&file);
    assert!(ok, "the schema refused generated YAML: {report}\n{yaml}");
    // The validator is not a rubber stamp: a wrong type and an unknown
    // field are both refused.
    let broken = t.write_file(
        "broken-type.yaml",
        &yaml.replace("containerPort: 80", "containerPort: eighty"),
    );
    let (ok, report) = validates(&broken);
    assert!(!ok, "a string containerPort passed: {report}");
    let broken = t.write_file(
        "broken-field.yaml",
        &yaml.replace("workingDir:", "workDir:"),
    );
    let (ok, report) = validates(&broken);
    assert!(!ok, "an unknown field passed: {report}");

    // A pod: its members, its name and its published ports.
    t.ok(&[
        "pod",
        "create",
        "--name",
        "pair",
        "-p",
        "127.0.0.1:18081:81",
    ]);
    t.ok(&[
        "create",
        "--pod",
        "pair",
        "--name",
        "a",
        "localhost/busybox",
        "true",
    ]);
    t.ok(&[
        "create",
        "--pod",
        "pair",
        "--name",
        "b",
        "localhost/busybox",
        "true",
    ]);
    let yaml = t.ok(&["kube", "generate", "pair"]);
    for want in [
        "name: pair\n",
        "- name: a\n",
        "- name: b\n",
        "hostPort: 18081",
        "hostname: pair",
    ] {
        assert!(yaml.contains(want), "`{want}` missing in:\n{yaml}");
    }
    let (ok, report) = validates(&t.write_file("pair.yaml", &yaml));
    assert!(ok, "the schema refused a generated pod: {report}\n{yaml}");

    let out = t.rctl(&["kube", "generate", "nosuch"]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
}

#[test]
fn play_applies_command_args_env_and_host_port_and_down_removes_it() {
    let Some(t) = env("kube_play") else { return };
    t.import_busybox(
        "localhost/epbox",
        &[r#"ENTRYPOINT ["/bin/echo","ep"]"#, r#"CMD ["cmd"]"#],
    );
    // A failure after the pod and its first container exist takes both
    // back: nothing is left.
    let broken = t.write_file(
        "home/broken.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: a, image: localhost/busybox, args: [sleep, \"9\"]}\n  - {name: b, image: localhost/nosuch, imagePullPolicy: Never}\n",
    );
    let out = t.rctl(&["kube", "play", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("localhost/nosuch"),
        "{}",
        stderr(&out)
    );
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    assert_eq!(t.ok(&["pod", "ls", "-q"]), "");

    let port = free_port();
    let yaml = format!(
        r#"# one served pod and three that show Kubernetes' command/args rules
apiVersion: v1
kind: Pod
metadata: {{name: web}}
spec:
  containers:
  - name: server
    image: localhost/busybox
    command: ["sh", "-c"]
    args: ['mkdir -p /www && echo "$GREETING from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www']
    env:
    - {{name: GREETING, value: hello-kube}}
    ports:
    - {{containerPort: 8080, hostPort: {port}, hostIP: 127.0.0.1}}
    livenessProbe: {{httpGet: {{path: /, port: 8080}}}}
  - name: client
    image: localhost/busybox
    args: [sh, -c, 'until wget -q -O - http://127.0.0.1:8080/index.html; do sleep 0.1; done; exec sleep 1000']
---
apiVersion: v1
kind: Pod
metadata: {{name: args-only}}
spec:
  restartPolicy: Never
  containers: [{{name: c, image: localhost/epbox, args: [x, y]}}]
---
apiVersion: v1
kind: Pod
metadata: {{name: command-only}}
spec:
  restartPolicy: Never
  containers: [{{name: c, image: localhost/epbox, command: [echo, cmd-only]}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: defaults}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: d}}}}
  template:
    metadata: {{labels: {{app: d}}}}
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: localhost/epbox}}]
"#
    );
    let file = t.write_file("home/web.yaml", &yaml);
    let file = file.to_str().unwrap();
    let out = t.rctl(&["kube", "play", file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Pod:\nweb\n"), "{}", stdout(&out));
    // The unsupported probe is named, not silently dropped.
    assert!(stderr(&out).contains("livenessProbe"), "{}", stderr(&out));

    // hostPort: reachable from the host; env and command/args applied.
    let body = eventually("the pod's httpd", || http_get(port));
    assert!(body.contains("hello-kube from web\n"), "{body}");
    // The second container reaches the first over the pod's loopback.
    let fetched = eventually("the client's fetch", || {
        let logs = t.ok(&["logs", "web-client"]);
        (!logs.is_empty()).then_some(logs)
    });
    assert_eq!(fetched, "hello-kube from web\n");

    // command replaces ENTRYPOINT and CMD; args replaces CMD only.
    for (name, want) in [
        ("args-only-c", "ep x y\n"),
        ("command-only-c", "cmd-only\n"),
        ("defaults-pod-c", "ep cmd\n"),
    ] {
        t.ok(&["wait", name]);
        assert_eq!(t.ok(&["logs", name]), want, "{name}");
    }
    let names = t.ok(&["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(names.lines().count(), 5, "{names}");
    assert_eq!(
        t.ok(&["pod", "ls", "-q"]).lines().count(),
        4,
        "one rctl pod per Pod and Deployment"
    );

    // Playing it again is refused while it exists, and changes nothing.
    let out = t.rctl(&["kube", "play", file]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("kube down"), "{}", stderr(&out));
    assert_eq!(t.ok(&["ps", "-a", "--format", "{{.Names}}"]), names);

    let removed = t.ok(&["kube", "down", file]);
    assert_eq!(removed.lines().count(), 5, "{removed}");
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    assert_eq!(t.ok(&["pod", "ls", "-q"]), "");
    // The published port went with the pod.
    eventually("the host port to be free", || {
        TcpListener::bind(("127.0.0.1", port)).ok()
    });
    let out = t.rctl(&["kube", "down", file]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
}

#[test]
fn bad_yaml_is_refused_with_its_line_and_nothing_is_created() {
    let Some(t) = TestEnv::new("kube_bad") else {
        return;
    };
    let cases = [
        (
            "syntax.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: [unclosed\n",
            "line ",
        ),
        (
            "type.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: i\n    ports: [{containerPort: eighty}]\n",
            "line 8",
        ),
        (
            "replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: a, image: i}]\n",
            "2 replicas",
        ),
        (
            "mount.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: i, volumeMounts: [{name: nope, mountPath: /x}]}]\n",
            "nope",
        ),
    ];
    for (name, text, want) in cases {
        let file = t.write_file(name, text);
        let out = t.rctl(&["kube", "play", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(125), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(want), "{name}: {err}");
        assert!(err.contains(name), "{name}: the file is not named: {err}");
    }
    // `-` reads the YAML from standard input.
    let mut child = t
        .rctl_cmd(&["kube", "play", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: [\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`<stdin>`: line 5"),
        "{}",
        stderr(&out)
    );
    let out = t.rctl(&["kube", "play", "/nonexistent/pod.yaml"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("/nonexistent/pod.yaml"));
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    assert!(!t.data_root().join("kube").exists());
}

/// emptyDir, hostPath and persistentVolumeClaim need `rctl create -v`
/// (the volumes work). With it, they mount; without it, the play is
/// refused naming the field and leaves nothing.
#[test]
fn play_mounts_empty_dir_host_path_and_claim_volumes() {
    let Some(t) = env("kube_volumes") else { return };
    let site = t.dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("f"), "site-file\n").unwrap();
    t.chown_tree(&site);
    let made = t.dir.join("made");
    let yaml = format!(
        r#"apiVersion: v1
kind: Pod
metadata: {{name: vol}}
spec:
  restartPolicy: Never
  volumes:
  - {{name: shared, emptyDir: {{}}}}
  - {{name: site, hostPath: {{path: {site}, type: Directory}}}}
  - {{name: made, hostPath: {{path: {made}, type: DirectoryOrCreate}}}}
  - {{name: data, persistentVolumeClaim: {{claimName: voldata}}}}
  containers:
  - name: a
    image: localhost/busybox
    args: [sh, -c, 'echo from-a > /shared/x; cat /site/f; touch /site/g || echo ro-ok; echo m > /made/m; echo kept > /data/k']
    volumeMounts:
    - {{name: shared, mountPath: /shared}}
    - {{name: site, mountPath: /site, readOnly: true}}
    - {{name: made, mountPath: /made}}
    - {{name: data, mountPath: /data}}
  - name: b
    image: localhost/busybox
    args: [sh, -c, 'until cat /shared/x 2>/dev/null; do sleep 0.1; done']
    volumeMounts: [{{name: shared, mountPath: /shared}}]
"#,
        site = site.display(),
        made = made.display()
    );
    let file = t.write_file("home/vol.yaml", &yaml);
    let file = file.to_str().unwrap();
    let has_volumes = t.ok(&["create", "--help"]).contains("--volume <");
    let out = t.rctl(&["kube", "play", file]);
    if !has_volumes {
        assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
        assert!(stderr(&out).contains("volumeMounts"), "{}", stderr(&out));
        assert_eq!(t.ok(&["ps", "-aq"]), "");
        assert_eq!(t.ok(&["pod", "ls", "-q"]), "");
        assert!(!made.exists());
        return;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    t.ok(&["wait", "vol-a", "vol-b"]);
    assert_eq!(t.ok(&["logs", "vol-a"]), "site-file\nro-ok\n");
    assert_eq!(t.ok(&["logs", "vol-b"]), "from-a\n");
    assert_eq!(std::fs::read_to_string(made.join("m")).unwrap(), "m\n");
    assert!(!site.join("g").exists());
    assert!(t.data_root().join("kube/vol/shared/x").exists());
    t.ok(&["kube", "down", file]);
    assert_eq!(t.ok(&["ps", "-aq"]), "");
    // The emptyDir went with the pod; the claim's volume outlives it.
    assert!(!t.data_root().join("kube/vol").exists());
    assert!(t.ok(&["volume", "ls"]).contains("voldata"));
}

//! `rctl commit`: a container's changes become a new image on top of its
//! image — new files, deletions (whiteouts) and replaced directories
//! (opaque) survive, `--change` applies, the base image stays as it was.
//! rctl runs as an unprivileged user.

mod common;

use common::{TestEnv, stderr, stdout};
use serde_json::Value;

fn env(name: &str) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    if !["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .any(|p| std::path::Path::new(p).exists())
    {
        return common::missing("`/bin/busybox` is missing (package busybox-static)");
    }
    Some(t)
}

fn inspect(t: &TestEnv, image: &str) -> Value {
    let v: Value = serde_json::from_str(&t.ok(&["image", "inspect", image])).unwrap();
    v[0].clone()
}

#[test]
fn commit_keeps_new_deleted_and_replaced_files() {
    let Some(t) = env("commit_changes") else {
        return;
    };
    t.import_busybox("localhost/busybox", &["CMD [\"/bin/sh\"]", "ENV A=1"]);
    let base = inspect(&t, "localhost/busybox");
    t.ok(&[
        "run",
        "--name",
        "c1",
        "-e",
        "B=2",
        "busybox",
        "sh",
        "-c",
        "echo hello > /new && ln -s /new /link && ln /new /hard && rm /etc/group \
         && rm -rf /home && mkdir /home && echo fresh > /home/only",
    ]);
    let id = t.ok(&[
        "commit",
        "--change",
        r#"CMD ["cat","/new"]"#,
        "-m",
        "add new",
        "-a",
        "tester",
        "c1",
        "snap",
    ]);
    let id = id.trim();
    assert_eq!(id.len(), 64, "{id}");

    // The new image: its CMD, the file, the whiteout, the opaque dir.
    assert_eq!(t.ok(&["run", "--rm", "localhost/snap"]), "hello\n");
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "snap",
            "sh",
            "-c",
            "cat /link /hard; test -e /etc/group || echo gone; ls /home; echo $A$B",
        ]),
        "hello\nhello\ngone\nonly\n12\n"
    );

    let img = inspect(&t, id);
    assert_eq!(img["RepoTags"][0], "localhost/snap:latest", "{img}");
    let layers = img["RootFS"]["Layers"].as_array().unwrap();
    assert_eq!(
        layers.len(),
        base["RootFS"]["Layers"].as_array().unwrap().len() + 1
    );
    let history = img["History"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["created_by"], "rctl commit", "{img}");
    assert_eq!(last["comment"], "add new");
    assert_eq!(img["Config"]["Cmd"], serde_json::json!(["cat", "/new"]));

    // The base image is unchanged.
    assert_eq!(inspect(&t, "localhost/busybox"), {
        let mut b = base.clone();
        b["Containers"] = inspect(&t, "localhost/busybox")["Containers"].clone();
        b
    });
    assert_eq!(
        t.ok(&[
            "run",
            "--rm",
            "busybox",
            "sh",
            "-c",
            "test -e /new || echo no-new; test -e /etc/group && echo group; ls /home",
        ]),
        "no-new\ngroup\nalice\n"
    );
}

#[test]
fn commit_refuses_bad_input_and_stores_nothing() {
    let Some(t) = env("commit_bad_input") else {
        return;
    };
    t.import_busybox("localhost/busybox", &[]);
    t.ok(&["run", "--name", "c1", "busybox", "sh", "-c", "echo x > /x"]);
    let before = t.ok(&["images", "-q"]);

    let out = t.rctl(&["commit", "nosuch", "x"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("no container with name or id `nosuch`"),
        "{}",
        stderr(&out)
    );

    let out = t.rctl(&["commit", "--change", "FROB x", "c1", "x"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        stderr(&out).contains("unknown instruction"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    let out = t.rctl(&["commit", "--change", "ENV novalue", "c1", "x"]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert_eq!(t.ok(&["images", "-q"]), before);

    // A --rootfs container has no image to build on.
    let root = t.busybox_rootfs("rootfs2");
    t.ok(&[
        "create",
        "--name",
        "r1",
        "--rootfs",
        root.to_str().unwrap(),
        "true",
    ]);
    let out = t.rctl(&["commit", "r1", "x"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("--rootfs"), "{}", stderr(&out));
    assert_eq!(t.ok(&["images", "-q"]), before);
}

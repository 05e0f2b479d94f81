//! Moving images: push (skopeo as the oracle), save/load in both archive
//! formats, and bearer-token registries. rctl runs as an unprivileged user.

mod common;

use common::images::{env_with_registry, inspect, layer_dirs, rich_layers, skopeo};
use common::registry::{self, Compression, Entry, Layout, Registry, tar_of};
use common::stderr;

#[test]
fn push_round_trips_with_skopeo_as_the_oracle() {
    let Some(t) = env_with_registry("push_roundtrip") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(&rich_layers(), "amd64", &["/bin/sh"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/rich:v1", None);
    let source = format!("{}/test/rich:v1", reg.host());
    t.ok(&["pull", "--tls-verify=false", &source]);

    // Pulled then pushed elsewhere: the same manifest, byte for byte.
    let copy = format!("{}/test/copy:v2", reg.host());
    t.ok(&["push", "--tls-verify=false", &source, &copy]);
    let raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{copy}"),
    ]);
    let src_raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{source}"),
    ]);
    assert_eq!(raw, src_raw);
    assert_eq!(
        format!("sha256:{}", registry::sha256_hex(&raw)),
        inspect(&t, &source)["Digest"].as_str().unwrap()
    );

    // Imported then pushed: skopeo copies it back and sees our config and layer.
    let tarball = t.dir.join("root.tar.gz");
    std::fs::write(
        &tarball,
        registry::gzip(&tar_of(&[Entry::File("hello", 0o644, b"hi".to_vec())])),
    )
    .unwrap();
    std::os::unix::fs::chown(&tarball, Some(t.user.uid), Some(t.user.gid)).unwrap();
    t.ok(&[
        "import",
        "--change",
        "CMD [\"/hello\"]",
        tarball.to_str().unwrap(),
        "hello",
    ]);
    let dest = format!("{}/test/hello:1", reg.host());
    t.ok(&["push", "--tls-verify=false", "hello", &dest]);
    let back = t.dir.join("back");
    skopeo(&[
        "copy",
        "--quiet",
        "--src-tls-verify=false",
        &format!("docker://{dest}"),
        &format!("oci:{}:1", back.display()),
    ]);
    let config = skopeo(&["inspect", "--config", &format!("oci:{}:1", back.display())]);
    let config: serde_json::Value = serde_json::from_slice(&config).unwrap();
    assert_eq!(config["config"]["Cmd"], serde_json::json!(["/hello"]));
    let ours = inspect(&t, "hello");
    assert_eq!(config["rootfs"]["diff_ids"], ours["RootFS"]["Layers"]);
    let pushed = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{dest}"),
    ]);
    assert_eq!(
        format!("sha256:{}", registry::sha256_hex(&pushed)),
        ours["Digest"].as_str().unwrap()
    );
    // Pushing again finds every blob in place.
    t.ok(&["push", "--tls-verify=false", "hello", &dest]);
}

#[test]
fn save_and_load_both_archive_formats_with_skopeo_as_the_oracle() {
    let Some(t) = env_with_registry("save_load") else {
        return;
    };
    let reg = Registry::start(&t.dir.join("registry"), None);
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(&rich_layers(), "amd64", &["/bin/sh"]);
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/rich:v1", None);
    let image = format!("{}/test/rich:v1", reg.host());
    let id = t.ok(&["pull", "--tls-verify=false", &image]);
    let id = id.trim();

    let oci = t.dir.join("rich-oci.tar");
    let docker = t.dir.join("rich-docker.tar");
    t.ok(&[
        "save",
        "--format",
        "oci-archive",
        "-o",
        oci.to_str().unwrap(),
        &image,
    ]);
    t.ok(&["save", "-o", docker.to_str().unwrap(), &image]);
    for archive in [
        format!("oci-archive:{}", oci.display()),
        format!("docker-archive:{}", docker.display()),
    ] {
        let config = skopeo(&["inspect", "--config", &archive]);
        let config: serde_json::Value = serde_json::from_slice(&config).unwrap();
        assert_eq!(
            config["rootfs"]["diff_ids"],
            serde_json::json!(built.diff_ids),
            "{archive}"
        );
    }

    for archive in [&oci, &docker] {
        t.ok(&["rmi", &image]);
        assert_eq!(t.ok(&["images", "-q"]), "");
        let out = t.ok(&["load", "-i", archive.to_str().unwrap()]);
        assert!(out.contains(&image), "{out}");
        assert_eq!(t.ok(&["images", "-q", "--no-trunc"]).trim(), id);
        let dirs = layer_dirs(&t, &image);
        assert_eq!(
            std::fs::read(dirs[2].join("etc/hostname")).unwrap(),
            b"top\n"
        );
    }

    // An archive written by another tool loads too.
    // (Docker archives cannot carry zstd layers: a gzip-only image.)
    let gz_layout = Layout::new(&t.dir.join("gz-layout"));
    let gz = gz_layout.image(
        &[
            (
                tar_of(&[Entry::File("one", 0o644, b"1".to_vec())]),
                Compression::Gzip,
            ),
            (
                tar_of(&[Entry::File("two", 0o644, b"2".to_vec())]),
                Compression::None,
            ),
        ],
        "amd64",
        &["/one"],
    );
    gz_layout.tag_image(&gz, "v1");
    let foreign = t.dir.join("foreign.tar");
    skopeo(&[
        "copy",
        "--quiet",
        &format!("oci:{}:v1", gz_layout.dir.display()),
        &format!("docker-archive:{}:example.org/foreign:1", foreign.display()),
    ]);
    std::os::unix::fs::chown(&foreign, Some(t.user.uid), Some(t.user.gid)).unwrap();
    t.ok(&["load", "-i", foreign.to_str().unwrap()]);
    let v = inspect(&t, "example.org/foreign:1");
    assert_eq!(v["RootFS"]["Layers"], serde_json::json!(gz.diff_ids));
    // Not an archive: a clear error, nothing stored.
    let junk = t.write_file("junk.tar", "not a tar");
    let out = t.rctl(&["load", "-i", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("load images"), "{}", stderr(&out));
}

#[test]
fn bearer_token_auth_with_and_without_credentials() {
    let Some(t) = env_with_registry("bearer") else {
        return;
    };
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(
        &[(
            tar_of(&[Entry::File("tok", 0o644, b"en".to_vec())]),
            Compression::Gzip,
        )],
        "amd64",
        &["/tok"],
    );
    layout.tag_image(&built, "v1");
    // Anonymous token.
    let anon = registry::TokenRegistry::serve(&layout.dir, None);
    let id = t.ok(&[
        "pull",
        "--tls-verify=false",
        &format!("127.0.0.1:{}/x:v1", anon.port),
    ]);
    assert_eq!(
        id.trim(),
        built.config_digest.strip_prefix("sha256:").unwrap()
    );
    assert!(
        anon.token_requests
            .load(std::sync::atomic::Ordering::SeqCst)
            >= 1
    );
    // A token service that wants the stored basic credentials.
    let private = registry::TokenRegistry::serve(&layout.dir, Some("bob:pw"));
    let host = format!("127.0.0.1:{}", private.port);
    let out = t.rctl(&["pull", "--tls-verify=false", &format!("{host}/x:v1")]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("token service"), "{}", stderr(&out));
    t.ok(&[
        "login",
        "--tls-verify=false",
        "-u",
        "bob",
        "-p",
        "pw",
        &host,
    ]);
    t.ok(&["pull", "--tls-verify=false", &format!("{host}/x:v1")]);
}

#[test]
fn tls_verify_false_accepts_a_self_signed_https_registry() {
    let Some(t) = env_with_registry("https_insecure") else {
        return;
    };
    if !std::path::Path::new("/usr/bin/openssl").exists() {
        let _ = common::missing("`/usr/bin/openssl` is missing (package openssl)");
        return;
    }
    let reg = Registry::start_with(&t.dir.join("registry"), None, true);
    let layout = Layout::new(&t.dir.join("layout"));
    let built = layout.image(
        &[(
            tar_of(&[Entry::File("s", 0o644, b"tls".to_vec())]),
            Compression::Gzip,
        )],
        "amd64",
        &["/s"],
    );
    layout.tag_image(&built, "v1");
    reg.push(&layout.dir, "v1", "test/tls:v1", None);
    let image = format!("{}/test/tls:v1", reg.host());
    // Verified TLS refuses the self-signed certificate and says what to do.
    let out = t.rctl(&["pull", &image]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert!(err.contains("--tls-verify=false"), "{err}");
    // Not verified: HTTPS is still used (the registry speaks nothing else).
    let id = t.ok(&["pull", "--tls-verify=false", &image]);
    assert_eq!(
        id.trim(),
        built.config_digest.strip_prefix("sha256:").unwrap()
    );
    t.ok(&["rmi", &image]);
    // Verified against a CA from certs.d, as Podman reads it.
    let ca = std::fs::read_to_string(reg.dir.join("ca.pem")).unwrap();
    t.write_file(
        &format!("home/.config/containers/certs.d/{}/ca.crt", reg.host()),
        &ca,
    );
    let again = t.ok(&["pull", &image]);
    assert_eq!(again, id);
}

//! Quadlet-style declarative files (`~/.config/containers/systemd/*.container`)
//! turned into systemd user units, as Podman's Quadlet does. rctl runs as
//! the systemd user generator when invoked as `rctl-systemd-generator`
//! (a link to rctl in a `user-generators` directory), or by hand with
//! `rctl generate quadlet OUTDIR`.
//!
//! Parsing and unit text are pure; reading the directory and writing the
//! units is [`generate_dir`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::generate::{UnitSpec, unit_text};

/// An INI-style unit file: sections in order, each with its `Key=Value`
/// entries in order (keys may repeat).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitFile {
    pub sections: Vec<(String, Vec<(String, String)>)>,
}

impl UnitFile {
    /// Parse systemd's syntax: `[Section]`, `Key=Value`, `#`/`;`
    /// comments, a trailing `\` continues the line.
    pub fn parse(text: &str) -> Result<UnitFile> {
        let mut f = UnitFile::default();
        let mut pending = String::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if pending.is_empty()
                && (line.is_empty() || line.starts_with('#') || line.starts_with(';'))
            {
                continue;
            }
            if let Some(cont) = line.strip_suffix('\\') {
                pending.push_str(cont);
                pending.push(' ');
                continue;
            }
            pending.push_str(line);
            let full = std::mem::take(&mut pending);
            if let Some(name) = full.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                f.sections.push((name.to_string(), Vec::new()));
                continue;
            }
            let Some((k, v)) = full.split_once('=') else {
                bail!(
                    "line {}: `{full}` is neither `[Section]` nor `Key=Value`",
                    n + 1
                );
            };
            let Some((_, entries)) = f.sections.last_mut() else {
                bail!("line {}: `{full}` comes before any `[Section]`", n + 1);
            };
            entries.push((k.trim().to_string(), v.trim().to_string()));
        }
        Ok(f)
    }

    pub fn section(&self, name: &str) -> impl Iterator<Item = &(String, String)> {
        self.sections
            .iter()
            .filter(move |(n, _)| n == name)
            .flat_map(|(_, e)| e.iter())
    }

    /// Every entry of a section as `Key=Value` lines.
    pub fn lines(&self, name: &str) -> Vec<String> {
        self.section(name)
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }
}

/// Split a value into words as systemd does (whitespace; `"…"` and `'…'`
/// quote, `\` escapes inside double quotes).
pub fn split_words(s: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        None => bail!("unterminated quote in `{s}`"),
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => cur.extend(chars.next()),
                        Some(x) => cur.push(x),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// The `[Container]` keys understood, mapped to `rctl run` flags.
const KEYS: &[&str] = &[
    "Image",
    "Rootfs",
    "ContainerName",
    "Exec",
    "Environment",
    "PublishPort",
    "Network",
    "User",
    "WorkingDir",
    "HostName",
    "AddCapability",
    "DropCapability",
    "ReadOnly",
    "RunInit",
    "Ulimit",
    "Memory",
    "PidsLimit",
    "StopTimeout",
    "Notify",
    "PodmanArgs",
];

/// The unit for `NAME.container` (source `path`, rctl at `exe`).
pub fn container_unit(name: &str, path: &Path, f: &UnitFile, exe: &str) -> Result<String> {
    let ctx = |msg: String| anyhow::anyhow!("{}: {msg}", path.display());
    let mut image = None;
    let mut rootfs = None;
    let mut cname = format!("systemd-{name}");
    let mut exec = Vec::new();
    let mut flags: Vec<String> = Vec::new();
    let mut stop_timeout = 10u32;
    for (k, v) in f.section("Container") {
        match k.as_str() {
            "Image" => image = Some(v.clone()),
            "Rootfs" => rootfs = Some(v.clone()),
            "ContainerName" => cname = v.clone(),
            "Exec" => exec = split_words(v).map_err(|e| ctx(format!("Exec: {e}")))?,
            "Environment" => {
                for w in split_words(v).map_err(|e| ctx(format!("Environment: {e}")))? {
                    flags.push("-e".into());
                    flags.push(w);
                }
            }
            "PublishPort" => flags.push(format!("--publish={v}")),
            "Network" => flags.push(format!("--network={v}")),
            "User" => flags.push(format!("--user={v}")),
            "WorkingDir" => flags.push(format!("--workdir={v}")),
            "HostName" => flags.push(format!("--hostname={v}")),
            "AddCapability" => flags.extend(v.split_whitespace().map(|c| format!("--cap-add={c}"))),
            "DropCapability" => {
                flags.extend(v.split_whitespace().map(|c| format!("--cap-drop={c}")))
            }
            "ReadOnly" if is_true(v) => flags.push("--read-only".into()),
            "RunInit" if is_true(v) => flags.push("--init".into()),
            "ReadOnly" | "RunInit" => {}
            "Ulimit" => flags.push(format!("--ulimit={v}")),
            "Memory" => flags.push(format!("--memory={v}")),
            "PidsLimit" => flags.push(format!("--pids-limit={v}")),
            "StopTimeout" => {
                stop_timeout = v
                    .parse()
                    .map_err(|_| ctx(format!("StopTimeout `{v}` is not a number of seconds")))?;
                flags.push(format!("--stop-timeout={v}"));
            }
            "Notify" if is_true(v) => flags.push("--sdnotify=container".into()),
            "Notify" => {}
            "PodmanArgs" => {
                flags.extend(split_words(v).map_err(|e| ctx(format!("PodmanArgs: {e}")))?)
            }
            other => {
                return Err(ctx(format!(
                    "unsupported key `{other}` in [Container]\nhint: rctl understands {}",
                    KEYS.join(", ")
                )));
            }
        }
    }
    let mut run = vec!["-d".to_string(), "--name".into(), cname.clone()];
    if !flags.iter().any(|f| f.starts_with("--sdnotify")) {
        run.push("--sdnotify=conmon".into());
    }
    run.extend(flags);
    match (image, rootfs) {
        (Some(i), None) => run.push(i),
        (None, Some(r)) => {
            run.push("--rootfs".into());
            run.push(r);
        }
        (Some(_), Some(_)) => return Err(ctx("give Image= or Rootfs=, not both".into())),
        (None, None) => return Err(ctx("[Container] needs Image= (or Rootfs=)".into())),
    }
    run.extend(exec);
    let mut unit_extra = vec![format!("SourcePath={}", path.display())];
    let mut description = format!("rctl container {cname} ({name}.container)");
    for (k, v) in f.section("Unit") {
        if k == "Description" {
            description = v.clone();
        } else {
            unit_extra.push(format!("{k}={v}"));
        }
    }
    let mut restart = "no".to_string();
    let mut service_extra = Vec::new();
    for (k, v) in f.section("Service") {
        if k == "Restart" {
            restart = v.clone();
        } else {
            service_extra.push(format!("{k}={v}"));
        }
    }
    let spec = UnitSpec {
        description,
        exe: exe.to_string(),
        container: cname,
        run: Some(run),
        restart,
        stop_timeout,
        unit_extra,
        service_extra,
        install: f.lines("Install"),
        header: format!(
            "# Generated by rctl from {}; edit that file, not this one.\n",
            path.display()
        ),
    };
    // Without [Install] lines a Quadlet unit is not enabled anywhere.
    let text = unit_text(&spec);
    Ok(if spec.install.is_empty() {
        text.replace("\n[Install]\nWantedBy=default.target\n", "\n")
    } else {
        text
    })
}

fn is_true(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "yes" | "true" | "1" | "on")
}

/// The default directory of Quadlet files for a user.
pub fn default_dir(config_home: &Path) -> PathBuf {
    config_home.join("containers/systemd")
}

/// One generated unit: its file name and text, or why a source was skipped.
#[derive(Debug)]
pub enum Outcome {
    Unit { name: String, text: String },
    Skipped { source: PathBuf, reason: String },
}

/// Turn every Quadlet file of `dir` into a unit. `.volume` and
/// `.network` files are reported as skipped: rctl has no named volumes
/// or networks to create yet.
pub fn generate_dir(dir: &Path, exe: &str) -> Result<Vec<Outcome>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e).with_context(|| format!("read `{}`", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(stem) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("container") => {
                let text = fs_err::read_to_string(&path)?;
                let unit = UnitFile::parse(&text)
                    .with_context(|| format!("parse `{}`", path.display()))
                    .and_then(|f| container_unit(&stem, &path, &f, exe));
                match unit {
                    Ok(text) => out.push(Outcome::Unit {
                        name: format!("{stem}.service"),
                        text,
                    }),
                    Err(e) => out.push(Outcome::Skipped {
                        source: path,
                        reason: format!("{e:#}"),
                    }),
                }
            }
            Some(kind @ ("volume" | "network" | "pod" | "kube")) => out.push(Outcome::Skipped {
                source: path.clone(),
                reason: format!("`.{kind}` files are not supported by rctl yet"),
            }),
            _ => {}
        }
    }
    Ok(out)
}

/// Generate every unit of `dir` into `out` (or print them with
/// `dryrun`), with `WantedBy=` links as `systemctl enable` would make. A
/// file that cannot be turned into a unit is reported on stderr and makes
/// the result an error after the others were written.
pub fn write_units(dir: &Path, out: Option<&Path>, dryrun: bool, exe: &str) -> Result<()> {
    let mut failed = 0;
    for o in generate_dir(dir, exe)? {
        match o {
            Outcome::Unit { name, text } => {
                if dryrun {
                    println!("---{name}---\n{text}");
                    continue;
                }
                let Some(out) = out else { continue };
                fs_err::create_dir_all(out)?;
                crate::ondisk::write_atomic(&out.join(&name), text.as_bytes())?;
                let parsed = UnitFile::parse(&text)?;
                for (k, v) in parsed.section("Install") {
                    if k != "WantedBy" && k != "RequiredBy" {
                        continue;
                    }
                    let suffix = if k == "WantedBy" { "wants" } else { "requires" };
                    for target in v.split_whitespace() {
                        let wants = out.join(format!("{target}.{suffix}"));
                        fs_err::create_dir_all(&wants)?;
                        let link = wants.join(&name);
                        let _ = std::fs::remove_file(&link);
                        std::os::unix::fs::symlink(format!("../{name}"), &link)
                            .with_context(|| format!("link `{}`", link.display()))?;
                    }
                }
            }
            Outcome::Skipped { source, reason } => {
                failed += 1;
                eprintln!("rctl: skipped `{}`: {reason}", source.display());
            }
        }
    }
    if failed > 0 {
        bail!("{failed} Quadlet file(s) could not be turned into units (see above)");
    }
    Ok(())
}

/// The name rctl answers to as a systemd generator.
pub const GENERATOR_NAME: &str = "rctl-systemd-generator";

/// When rctl was invoked as [`GENERATOR_NAME`] (`argv[0]`), run as a
/// systemd user generator: units from the user's Quadlet directory into
/// the first argument (the generator's normal-priority output directory).
pub fn generator_main(argv: &[std::ffi::OsString]) -> Option<i32> {
    let name = Path::new(argv.first()?).file_name()?;
    if name != GENERATOR_NAME {
        return None;
    }
    let Some(out) = argv.get(1) else {
        eprintln!("{GENERATOR_NAME}: usage: {GENERATOR_NAME} NORMAL-DIR [EARLY-DIR LATE-DIR]");
        return Some(2);
    };
    let env = crate::env::Env::from_process();
    let dir = default_dir(&env.config_home);
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "rctl".into());
    match write_units(&dir, Some(Path::new(out)), false, &exe) {
        Ok(()) => Some(0),
        Err(e) => {
            eprintln!("{GENERATOR_NAME}: {e:#}");
            // Units that could be written are kept; systemd logs this.
            Some(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_sections_comments_and_continuations() {
        let f = UnitFile::parse(
            "# c\n[Unit]\nDescription=Web\n\n[Container]\nImage=busybox\nExec=sh -c \\\n  'echo hi'\n; x\nEnvironment=A=1 \"B=two words\"\n",
        )
        .unwrap();
        assert_eq!(f.lines("Unit"), vec!["Description=Web"]);
        let c: Vec<_> = f.section("Container").cloned().collect();
        assert_eq!(c[1], ("Exec".into(), "sh -c  'echo hi'".into()));
        assert!(UnitFile::parse("Key=before section\n").is_err());
        assert!(UnitFile::parse("[A]\nnot a pair\n").is_err());
    }

    #[test]
    fn words_split_like_systemd() {
        assert_eq!(
            split_words(r#"sh -c 'echo "x y"' "a \"b\"""#).unwrap(),
            vec!["sh", "-c", "echo \"x y\"", "a \"b\""]
        );
        assert!(split_words("'open").is_err());
        assert_eq!(split_words("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn container_file_becomes_a_notify_unit() {
        let f = UnitFile::parse(
            "[Unit]\nDescription=Web app\n[Container]\nRootfs=/srv/root\nContainerName=web\nExec=httpd -f -p 8080\nEnvironment=A=1\nMemory=64m\nPublishPort=8080:8080\n[Service]\nRestart=on-failure\nRestartSec=1\n[Install]\nWantedBy=default.target\n",
        )
        .unwrap();
        let t = container_unit("web", Path::new("/q/web.container"), &f, "/bin/rctl").unwrap();
        assert!(t.contains("Description=Web app\n"), "{t}");
        assert!(t.contains("SourcePath=/q/web.container\n"), "{t}");
        assert!(
            t.contains("ExecStart=/bin/rctl run -d --name web --sdnotify=conmon -e A=1 --memory=64m --publish=8080:8080 --rootfs /srv/root httpd -f -p 8080\n"),
            "{t}"
        );
        assert!(
            t.contains("Restart=on-failure\n") && t.contains("RestartSec=1\n"),
            "{t}"
        );
        assert!(t.contains("Type=notify\n"), "{t}");
        assert!(t.contains("[Install]\nWantedBy=default.target\n"), "{t}");
    }

    #[test]
    fn the_shipped_example_is_a_valid_container_file() {
        let f = UnitFile::parse(include_str!("../../contrib/systemd/web.container")).unwrap();
        let t = container_unit("web", Path::new("/q/web.container"), &f, "rctl").unwrap();
        assert!(
            t.contains(" --memory=128m --pids-limit=100 localhost/busybox httpd -f -p 8080\n"),
            "{t}"
        );
        assert!(t.contains("[Install]\nWantedBy=default.target\n"), "{t}");
    }

    #[test]
    fn bad_container_files_name_the_problem() {
        let f = UnitFile::parse("[Container]\nImage=a\nVolume=/x:/y\n").unwrap();
        let e = container_unit("a", Path::new("/q/a.container"), &f, "rctl").unwrap_err();
        assert!(e.to_string().contains("unsupported key `Volume`"), "{e}");
        let f = UnitFile::parse("[Container]\nExec=true\n").unwrap();
        let e = container_unit("a", Path::new("/q/a.container"), &f, "rctl").unwrap_err();
        assert!(e.to_string().contains("needs Image="), "{e}");
        let f = UnitFile::parse("[Container]\nImage=a\n").unwrap();
        let t = container_unit("a", Path::new("/q/a.container"), &f, "rctl").unwrap();
        assert!(t.contains("--name systemd-a "), "{t}");
        assert!(t.contains("Restart=no\n"), "{t}");
        assert!(!t.contains("[Install]"), "{t}");
    }
}

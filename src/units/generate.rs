//! `rctl generate systemd`: a user unit for a container, as text (pure).
//!
//! Without `--new` the unit starts and stops the existing container; with
//! `--new` it creates the container at start (`rctl run` with the flags
//! rebuilt from the container's record) and removes it at stop. Both are
//! `Type=notify`: the monitor tells systemd when the container is up and
//! is the unit's main process (`--sdnotify conmon`, or `container` for a
//! container made with it: the container then says when it is ready).

use crate::cgroup::Resources;
use crate::cgroup::limits::UNLIMITED;
use crate::container::Container;
use crate::runtime::RootfsSource;

/// Quote one word for a unit file's `Exec*=` line (systemd's rules:
/// `%` and `$` are special, quotes and backslashes escaped).
pub fn quote(word: &str) -> String {
    let escaped = word.replace('%', "%%").replace('$', "$$");
    let plain = !escaped.is_empty()
        && escaped
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%$".contains(c));
    if plain {
        escaped
    } else {
        format!(
            "\"{}\"",
            escaped
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        )
    }
}

/// An `Exec*=` command line.
pub fn exec_line(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// The limit flags that give these limits back.
pub fn limit_flags(r: &Resources) -> Vec<String> {
    let mut f = Vec::new();
    if let Some(m) = r.memory {
        f.push(format!("--memory={m}"));
        match r.swap {
            Some(UNLIMITED) => f.push("--memory-swap=-1".into()),
            Some(s) => f.push(format!("--memory-swap={}", m.saturating_add(s))),
            None => {}
        }
    }
    if let Some(l) = r.memory_low {
        f.push(format!("--memory-reservation={l}"));
    }
    if let Some(q) = r.cpu_quota_us {
        f.push(format!("--cpus={}", q as f64 / 1_000_000.0));
    }
    if let Some(w) = r.cpu_weight {
        f.push(format!("--cpu-weight={w}"));
    }
    if let Some(c) = &r.cpuset_cpus {
        f.push(format!("--cpuset-cpus={c}"));
    }
    match r.pids {
        Some(UNLIMITED) => f.push("--pids-limit=-1".into()),
        Some(crate::cgroup::DEFAULT_PIDS_LIMIT) | None => {}
        Some(p) => f.push(format!("--pids-limit={p}")),
    }
    if let Some(w) = r.io_weight {
        f.push(format!("--blkio-weight={}", 10 + (w - 1) * 990 / 9999));
    }
    f
}

/// The `--sdnotify` of a `--new` unit: the container's own READY=1 when
/// it was made to send one, else the monitor's (`ignore` would leave a
/// `Type=notify` unit starting forever).
fn sdnotify_flag(mode: super::SdNotify) -> &'static str {
    match mode {
        super::SdNotify::Container => "--sdnotify=container",
        super::SdNotify::Conmon | super::SdNotify::Ignore => "--sdnotify=conmon",
    }
}

/// `rctl run` arguments (after `run`) that recreate container `c` under
/// `name`, detached and reporting to systemd.
pub fn run_args(c: &Container, name: &str) -> Vec<String> {
    let cfg = &c.config;
    let mut a = vec![
        "-d".to_string(),
        "--name".into(),
        name.to_string(),
        sdnotify_flag(cfg.sdnotify).into(),
    ];
    for e in &cfg.env {
        a.push("-e".into());
        a.push(e.clone());
    }
    let mut opt = |flag: &str, v: &Option<String>| {
        if let Some(v) = v {
            a.push(format!("--{flag}={v}"));
        }
    };
    opt("workdir", &cfg.workdir);
    opt("user", &cfg.user);
    opt("hostname", &cfg.hostname);
    opt("stop-signal", &cfg.stop_signal);
    for c in &cfg.cap_add {
        a.push(format!("--cap-add={c}"));
    }
    for c in &cfg.cap_drop {
        a.push(format!("--cap-drop={c}"));
    }
    for u in &cfg.ulimits {
        a.push(format!("--ulimit={u}"));
    }
    for (flag, on) in [
        ("--privileged", cfg.privileged),
        ("--init", cfg.init),
        ("--read-only", cfg.read_only),
    ] {
        if on {
            a.push(flag.into());
        }
    }
    if cfg.stop_timeout != 10 {
        a.push(format!("--stop-timeout={}", cfg.stop_timeout));
    }
    if let Some(plan) = &cfg.net {
        use crate::network::NetworkMode;
        let mode = match &plan.mode {
            NetworkMode::None => Some("none"),
            NetworkMode::Host => Some("host"),
            NetworkMode::Slirp4netns(_) => Some("slirp4netns"),
            _ => None,
        };
        if let Some(m) = mode {
            a.push(format!("--network={m}"));
        }
        for p in &plan.ports {
            let ip = p.host_ip.map(|i| format!("{i}:")).unwrap_or_default();
            let host = if p.host_port == 0 {
                String::new()
            } else {
                p.host_port.to_string()
            };
            a.push(format!(
                "--publish={ip}{host}:{}/{}",
                p.container_port,
                p.protocol.name()
            ));
        }
    }
    if let Some(plan) = &cfg.cgroup {
        a.extend(limit_flags(&plan.resources));
    }
    if let Some(ep) = &cfg.entrypoint {
        a.push(format!(
            "--entrypoint={}",
            serde_json::to_string(ep).unwrap_or_default()
        ));
    }
    match &cfg.rootfs {
        RootfsSource::Dir(d) if cfg.image_id.is_none() => {
            a.push("--rootfs".into());
            a.push(d.display().to_string());
        }
        RootfsSource::Layers { lower } if cfg.image_id.is_none() && lower.len() == 1 => {
            a.push("--rootfs".into());
            a.push(format!("{}:O", lower[0].display()));
        }
        _ => a.push(cfg.image_name.clone()),
    }
    a.extend(cfg.command.iter().cloned());
    a
}

/// What a unit is made from.
#[derive(Debug, Clone)]
pub struct UnitSpec {
    /// The unit's description line.
    pub description: String,
    /// The rctl binary the unit runs.
    pub exe: String,
    /// The container's name (what the Exec lines address).
    pub container: String,
    /// `Some(run arguments)` for a `--new` unit.
    pub run: Option<Vec<String>>,
    pub restart: String,
    pub stop_timeout: u32,
    /// Extra lines: `[Unit]`, `[Service]` and `[Install]` additions.
    pub unit_extra: Vec<String>,
    pub service_extra: Vec<String>,
    pub install: Vec<String>,
    /// A header comment (where the unit came from).
    pub header: String,
}

/// The unit file's text.
pub fn unit_text(s: &UnitSpec) -> String {
    let rctl = |args: &[&str]| {
        let mut w = vec![s.exe.clone()];
        w.extend(args.iter().map(|a| a.to_string()));
        exec_line(&w)
    };
    let timeout = s.stop_timeout.to_string();
    let mut u = String::new();
    u.push_str(&s.header);
    u.push_str("[Unit]\n");
    u.push_str(&format!("Description={}\n", s.description));
    u.push_str("Wants=network-online.target\nAfter=network-online.target\n");
    for l in &s.unit_extra {
        u.push_str(l);
        u.push('\n');
    }
    u.push_str("\n[Service]\n");
    u.push_str(&format!("Restart={}\n", s.restart));
    u.push_str(&format!("TimeoutStopSec={}\n", s.stop_timeout + 60));
    match &s.run {
        Some(args) => {
            u.push_str(&format!(
                "ExecStartPre=-{}\n",
                rctl(&["rm", "-f", &s.container])
            ));
            let mut w = vec![s.exe.clone(), "run".into()];
            w.extend(args.iter().cloned());
            u.push_str(&format!("ExecStart={}\n", exec_line(&w)));
            u.push_str(&format!(
                "ExecStop={}\n",
                rctl(&["stop", "-t", &timeout, &s.container])
            ));
            u.push_str(&format!(
                "ExecStopPost=-{}\n",
                rctl(&["rm", "-f", &s.container])
            ));
        }
        None => {
            u.push_str(&format!("ExecStart={}\n", rctl(&["start", &s.container])));
            u.push_str(&format!(
                "ExecStop={}\n",
                rctl(&["stop", "-t", &timeout, &s.container])
            ));
        }
    }
    // The monitor sends READY=1 and becomes the main process.
    u.push_str("Type=notify\nNotifyAccess=all\nKillMode=mixed\n");
    for l in &s.service_extra {
        u.push_str(l);
        u.push('\n');
    }
    u.push_str("\n[Install]\n");
    if s.install.is_empty() {
        u.push_str("WantedBy=default.target\n");
    }
    for l in &s.install {
        u.push_str(l);
        u.push('\n');
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_systemd() {
        assert_eq!(quote("/usr/bin/rctl"), "/usr/bin/rctl");
        assert_eq!(quote("a b"), "\"a b\"");
        assert_eq!(quote("50%"), "50%%");
        assert_eq!(quote("$HOME"), "$$HOME");
        assert_eq!(quote("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn limits_round_trip_to_flags() {
        let r = Resources {
            memory: Some(64 << 20),
            swap: Some(64 << 20),
            cpu_quota_us: Some(500_000),
            pids: Some(20),
            ..Default::default()
        };
        let f = limit_flags(&r);
        assert_eq!(
            f,
            vec![
                format!("--memory={}", 64u64 << 20),
                format!("--memory-swap={}", 128u64 << 20),
                "--cpus=0.5".to_string(),
                "--pids-limit=20".to_string()
            ]
        );
        let flags = crate::cgroup::LimitFlags {
            memory: Some(&f[0][9..]),
            memory_swap: Some(&f[1][14..]),
            cpus: Some(&f[2][7..]),
            pids_limit: Some(20),
            ..Default::default()
        };
        assert_eq!(
            Resources::from_flags(&flags, &Resources::default()).unwrap(),
            r
        );
    }

    #[test]
    fn a_new_unit_keeps_a_container_that_notifies_itself() {
        use crate::units::SdNotify;
        assert_eq!(sdnotify_flag(SdNotify::Container), "--sdnotify=container");
        assert_eq!(sdnotify_flag(SdNotify::Conmon), "--sdnotify=conmon");
        assert_eq!(sdnotify_flag(SdNotify::Ignore), "--sdnotify=conmon");
    }

    #[test]
    fn new_unit_runs_and_removes_the_container() {
        let s = UnitSpec {
            description: "rctl container web".into(),
            exe: "/usr/bin/rctl".into(),
            container: "web".into(),
            run: Some(vec![
                "-d".into(),
                "--name".into(),
                "web".into(),
                "img".into(),
                "sh".into(),
                "-c".into(),
                "echo $X 100%".into(),
            ]),
            restart: "on-failure".into(),
            stop_timeout: 10,
            unit_extra: vec![],
            service_extra: vec!["RestartSec=1".into()],
            install: vec![],
            header: "# test\n".into(),
        };
        let t = unit_text(&s);
        assert!(
            t.starts_with("# test\n[Unit]\nDescription=rctl container web\n"),
            "{t}"
        );
        assert!(
            t.contains("\nExecStartPre=-/usr/bin/rctl rm -f web\n"),
            "{t}"
        );
        assert!(
            t.contains(
                "\nExecStart=/usr/bin/rctl run -d --name web img sh -c \"echo $$X 100%%\"\n"
            ),
            "{t}"
        );
        assert!(
            t.contains("\nExecStop=/usr/bin/rctl stop -t 10 web\n"),
            "{t}"
        );
        assert!(
            t.contains("\nExecStopPost=-/usr/bin/rctl rm -f web\n"),
            "{t}"
        );
        assert!(t.contains("\nType=notify\nNotifyAccess=all\n"), "{t}");
        assert!(t.contains("\nRestart=on-failure\n"), "{t}");
        assert!(t.contains("\nRestartSec=1\n"), "{t}");
        assert!(t.ends_with("[Install]\nWantedBy=default.target\n"), "{t}");
        let existing = unit_text(&UnitSpec { run: None, ..s });
        assert!(
            existing.contains("\nExecStart=/usr/bin/rctl start web\n"),
            "{existing}"
        );
        assert!(!existing.contains("rm -f"), "{existing}");
    }
}

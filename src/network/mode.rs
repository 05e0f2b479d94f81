//! `--network` values: which network a container gets and the options of
//! its helper (`pasta:OPTS`, `slirp4netns:KEY=VALUE,...`). Pure parsing.

use std::net::Ipv4Addr;

/// The address pasta answers DNS queries on inside the container
/// (`--dns-forward`); it forwards them to the host's first resolver.
/// Podman 5 uses the same link-local address.
pub const PASTA_DNS_FORWARD: Ipv4Addr = Ipv4Addr::new(169, 254, 1, 1);

/// slirp4netns's default network (`--cidr`).
pub const SLIRP_DEFAULT_CIDR: (Ipv4Addr, u8) = (Ipv4Addr::new(10, 0, 2, 0), 24);

/// How a container is connected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", tag = "mode")]
pub enum NetworkMode {
    /// Own network namespace connected by pasta.
    Pasta(PastaOptions),
    /// Own network namespace connected by slirp4netns.
    Slirp4netns(SlirpOptions),
    /// Own network namespace with only `lo`.
    None,
    /// The user's own network namespace (no isolation).
    Host,
    /// Another container's network namespace.
    Container { name: String },
    /// A user-defined network (one shared per-user namespace).
    Named { name: String },
    /// The network of pod `id` (its infra's namespace; set by `--pod`,
    /// never parsed from `--network`).
    Pod { id: String },
}

/// Extra pasta arguments from `--network pasta:ARG,ARG,...` (Podman's form),
/// passed through after rctl's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PastaOptions {
    pub extra_args: Vec<String>,
}

impl PastaOptions {
    /// Whether the user gave an option (long or short spelling) themselves.
    pub fn has(&self, long: &str, short: Option<&str>) -> bool {
        self.extra_args.iter().any(|a| {
            a == long
                || a.strip_prefix(long).is_some_and(|r| r.starts_with('='))
                || short.is_some_and(|s| a == s)
        })
    }

    /// With `--no-map-gw` the gateway address is the real gateway, so the
    /// host's loopback is not reachable from the container.
    pub fn maps_gateway_to_host(&self) -> bool {
        !self.has("--no-map-gw", None)
    }
}

/// `--network slirp4netns:...` options (Podman's names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlirpOptions {
    /// `allow_host_loopback=true`: 10.0.2.2 reaches the host's 127.0.0.1.
    pub allow_host_loopback: bool,
    /// `enable_ipv6=true`.
    pub enable_ipv6: bool,
    /// `mtu=N` (default 65520).
    pub mtu: u32,
    /// `cidr=A.B.C.D/N` (default 10.0.2.0/24).
    pub cidr: (Ipv4Addr, u8),
}

impl Default for SlirpOptions {
    fn default() -> Self {
        SlirpOptions {
            allow_host_loopback: false,
            enable_ipv6: false,
            mtu: 65520,
            cidr: SLIRP_DEFAULT_CIDR,
        }
    }
}

impl SlirpOptions {
    fn nth(&self, n: u32) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.cidr.0) + n)
    }
    /// The host as seen from the container (`.2`).
    pub fn gateway(&self) -> Ipv4Addr {
        self.nth(2)
    }
    /// slirp4netns's built-in DNS forwarder (`.3`).
    pub fn dns(&self) -> Ipv4Addr {
        self.nth(3)
    }
    /// The container's address (`.100`).
    pub fn guest(&self) -> Ipv4Addr {
        self.nth(100)
    }
}

/// A `--network` value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "invalid network `{value}`: {reason}\nhint: use pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME or a network name"
)]
pub struct ModeError {
    pub value: String,
    pub reason: String,
}

/// The default mode: pasta when it is installed, slirp4netns otherwise.
pub fn default_mode(pasta_installed: bool) -> NetworkMode {
    if pasta_installed {
        NetworkMode::Pasta(PastaOptions::default())
    } else {
        NetworkMode::Slirp4netns(SlirpOptions::default())
    }
}

fn bool_opt(v: &str) -> Result<bool, String> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("`{v}` is not true or false")),
    }
}

fn parse_cidr(v: &str) -> Result<(Ipv4Addr, u8), String> {
    let (ip, len) = v
        .split_once('/')
        .ok_or_else(|| format!("cidr `{v}` has no /PREFIX"))?;
    let ip: Ipv4Addr = ip
        .parse()
        .map_err(|_| format!("cidr `{v}`: `{ip}` is not an IPv4 address"))?;
    let len: u8 = len
        .parse()
        .ok()
        .filter(|l| (1..=24).contains(l))
        .ok_or_else(|| format!("cidr `{v}`: prefix must be 1-24"))?;
    let mask = u32::MAX << (32 - len);
    if u32::from(ip) & !mask != 0 {
        return Err(format!("cidr `{v}` has host bits set"));
    }
    Ok((ip, len))
}

fn parse_slirp(opts: &str) -> Result<SlirpOptions, String> {
    let mut o = SlirpOptions::default();
    for kv in opts.split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("option `{kv}` is not KEY=VALUE"))?;
        match k {
            "allow_host_loopback" => o.allow_host_loopback = bool_opt(v)?,
            "enable_ipv6" => o.enable_ipv6 = bool_opt(v)?,
            "mtu" => {
                o.mtu = v
                    .parse()
                    .ok()
                    .filter(|m| (68..=65521).contains(m))
                    .ok_or_else(|| format!("mtu `{v}` is not in 68-65521"))?
            }
            "cidr" => o.cidr = parse_cidr(v)?,
            "port_handler" if v == "slirp4netns" => {}
            "port_handler" => {
                return Err(format!(
                    "port_handler `{v}` is not supported (only slirp4netns)"
                ));
            }
            other => return Err(format!("unknown slirp4netns option `{other}`")),
        }
    }
    Ok(o)
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Parse one `--network` value. `None` for the default (`private`, as in
/// Podman), to be decided by [`default_mode`].
pub fn parse_mode(value: &str) -> Result<Option<NetworkMode>, ModeError> {
    let err = |reason: String| ModeError {
        value: value.to_string(),
        reason,
    };
    let (kind, opts) = match value.split_once(':') {
        Some((k, o)) => (k, Some(o)),
        None => (value, None),
    };
    let no_opts = |m: NetworkMode| match opts {
        Some(_) => Err(err(format!("`{kind}` takes no options"))),
        None => Ok(Some(m)),
    };
    match kind {
        "" => Err(err("empty network".into())),
        "private" | "default" => no_opts(NetworkMode::None).map(|_| None),
        "none" => no_opts(NetworkMode::None),
        "host" => no_opts(NetworkMode::Host),
        "pasta" => Ok(Some(NetworkMode::Pasta(PastaOptions {
            extra_args: opts
                .map(|o| {
                    o.split(',')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
        }))),
        "slirp4netns" => Ok(Some(NetworkMode::Slirp4netns(
            parse_slirp(opts.unwrap_or("")).map_err(err)?,
        ))),
        "container" => match opts {
            Some(name) if valid_name(name) => Ok(Some(NetworkMode::Container {
                name: name.to_string(),
            })),
            Some(name) => Err(err(format!("`{name}` is not a container name or id"))),
            None => Err(err("container: needs a container name".into())),
        },
        "bridge" => Err(err(
            "`bridge` needs root; rootless containers use pasta or slirp4netns".into(),
        )),
        name if opts.is_none() && valid_name(name) => Ok(Some(NetworkMode::Named {
            name: name.to_string(),
        })),
        _ => Err(err("unknown network mode".into())),
    }
}

impl NetworkMode {
    /// Podman's name for the mode (`pasta`, `slirp4netns`, `none`, ...).
    pub fn name(&self) -> String {
        match self {
            NetworkMode::Pasta(_) => "pasta".into(),
            NetworkMode::Slirp4netns(_) => "slirp4netns".into(),
            NetworkMode::None => "none".into(),
            NetworkMode::Host => "host".into(),
            NetworkMode::Container { name } => format!("container:{name}"),
            NetworkMode::Named { name } => name.clone(),
            NetworkMode::Pod { .. } => "pod".into(),
        }
    }

    /// Whether the container gets a network namespace of its own that a
    /// helper connects (the modes `attach` starts something for).
    pub fn has_helper(&self) -> bool {
        matches!(self, NetworkMode::Pasta(_) | NetworkMode::Slirp4netns(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(parse_mode("private").unwrap(), None);
        assert_eq!(parse_mode("none").unwrap(), Some(NetworkMode::None));
        assert_eq!(parse_mode("host").unwrap(), Some(NetworkMode::Host));
        assert_eq!(
            parse_mode("pasta").unwrap(),
            Some(NetworkMode::Pasta(PastaOptions::default()))
        );
        assert_eq!(
            parse_mode("pasta:--no-map-gw,-T,8080").unwrap(),
            Some(NetworkMode::Pasta(PastaOptions {
                extra_args: vec!["--no-map-gw".into(), "-T".into(), "8080".into()]
            }))
        );
        let Some(NetworkMode::Slirp4netns(o)) =
            parse_mode("slirp4netns:allow_host_loopback=true,mtu=1500,cidr=10.9.0.0/24").unwrap()
        else {
            panic!()
        };
        assert!(o.allow_host_loopback);
        assert_eq!(o.mtu, 1500);
        assert_eq!(o.gateway(), Ipv4Addr::new(10, 9, 0, 2));
        assert_eq!(o.dns(), Ipv4Addr::new(10, 9, 0, 3));
        assert_eq!(o.guest(), Ipv4Addr::new(10, 9, 0, 100));
        assert_eq!(
            parse_mode("container:web").unwrap(),
            Some(NetworkMode::Container { name: "web".into() })
        );
        assert_eq!(
            parse_mode("mynet").unwrap(),
            Some(NetworkMode::Named {
                name: "mynet".into()
            })
        );
        assert_eq!(default_mode(false).name(), "slirp4netns");
        assert_eq!(default_mode(true).name(), "pasta");
    }

    #[test]
    fn mode_errors() {
        for (v, want) in [
            ("", "empty"),
            ("none:x", "takes no options"),
            ("container:", "not a container name"),
            ("container", "needs a container name"),
            ("slirp4netns:mtu=10", "mtu"),
            ("slirp4netns:allow_host_loopback=yes", "true or false"),
            ("slirp4netns:cidr=10.0.2.1/24", "host bits"),
            ("slirp4netns:cidr=10.0.2.0", "no /PREFIX"),
            ("slirp4netns:foo=1", "unknown slirp4netns option"),
            ("slirp4netns:port_handler=rootlesskit", "not supported"),
            ("bridge", "needs root"),
            ("we ird", "unknown network mode"),
            ("foo:bar", "unknown network mode"),
        ] {
            let e = parse_mode(v).unwrap_err();
            assert!(e.reason.contains(want), "{v}: {e}");
            assert!(e.to_string().contains("hint:"), "{v}");
        }
    }

    #[test]
    fn pasta_option_lookup() {
        let o = PastaOptions {
            extra_args: vec!["--dns-forward=10.0.0.1".into(), "-T".into()],
        };
        assert!(o.has("--dns-forward", None));
        assert!(o.has("--tcp-ns", Some("-T")));
        assert!(!o.has("--udp-ns", Some("-U")));
        assert!(o.maps_gateway_to_host());
    }
}

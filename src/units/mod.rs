//! systemd user units: `--sdnotify` (telling a `Type=notify` unit that a
//! container is up), unit files generated for a container
//! (`generate systemd`), and Quadlet-style declarative files turned into
//! units (`generate quadlet`, also run as a systemd generator).

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

pub mod generate;
pub mod notify_proxy;
pub mod quadlet;

/// `--sdnotify`: who sends READY=1 to a `Type=notify` unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum SdNotify {
    /// The monitor, once the container runs (and MAINPID is the monitor).
    #[default]
    Conmon,
    /// The container's own process (NOTIFY_SOCKET names a socket the
    /// monitor mounts in and relays from; the monitor is MAINPID).
    Container,
    /// Nobody.
    Ignore,
}

/// Send a notification (`READY=1\nMAINPID=…`) to `socket`
/// (`NOTIFY_SOCKET`: a path, or `@name` for an abstract socket).
pub fn notify(socket: &str, message: &str) -> Result<()> {
    use std::os::unix::net::{SocketAddr, UnixDatagram};
    let sock = UnixDatagram::unbound().context("create a datagram socket")?;
    let addr = match socket.strip_prefix('@') {
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            SocketAddr::from_abstract_name(name.as_bytes())
        }
        None => SocketAddr::from_pathname(Path::new(socket)),
    }
    .with_context(|| format!("NOTIFY_SOCKET `{socket}`"))?;
    sock.send_to_addr(message.as_bytes(), &addr)
        .with_context(|| format!("notify systemd on `{socket}`"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_reaches_a_datagram_socket() {
        let dir = std::env::temp_dir().join(format!("rctl-notify-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notify");
        let rx = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        notify(path.to_str().unwrap(), "READY=1\nMAINPID=7").unwrap();
        let mut buf = [0u8; 64];
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1\nMAINPID=7");
        assert!(notify(dir.join("missing").to_str().unwrap(), "READY=1").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Shared pieces of the networking tests: a test env with the network
//! helpers checked, free host ports, and an HTTP GET that waits for a
//! server to come up.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use super::TestEnv;

/// A test env whose user can run `tools` (`(path, Debian package)`) and
/// open `/dev/net/tun`, with `localhost/busybox` imported; or a skip (a
/// failure in CI).
pub fn env_with(name: &str, tools: &[(&str, &str)]) -> Option<TestEnv> {
    let t = TestEnv::new(name)?;
    for (tool, pkg) in tools {
        if !std::path::Path::new(tool).exists() {
            return super::missing(&format!("`{tool}` is missing (package {pkg})"));
        }
    }
    let tun = std::fs::metadata("/dev/net/tun")
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o006 == 0o006);
    if !tun.unwrap_or(false) {
        return super::missing("/dev/net/tun is not usable by users (chmod 666 /dev/net/tun)");
    }
    t.import_busybox("localhost/busybox", &[]);
    Some(t)
}

/// A free port on 127.0.0.1 (bound to port 0 first, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET /index.html from 127.0.0.1:port, retrying while the server starts.
pub fn fetch(port: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let attempt = (|| -> std::io::Result<String> {
            let mut s = TcpStream::connect(("127.0.0.1", port))?;
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            s.write_all(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")?;
            let mut body = String::new();
            s.read_to_string(&mut body)?;
            Ok(body)
        })();
        match attempt {
            Ok(body) if body.contains("200 OK") => return body,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            other => panic!("no answer on 127.0.0.1:{port}: {other:?}"),
        }
    }
}

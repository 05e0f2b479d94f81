//! Published ports of a container on a user-defined network: the monitor
//! forwards them itself. Its listening sockets are made in the user's own
//! network namespace (before the monitor moves into the container's), and
//! every connection to the container is made after the move, so it is a
//! plain connect to `127.0.0.1:CTRPORT` inside the container's namespace:
//! no `setns` per connection, no helper process, no thread. The sockets
//! join the monitor's one `poll` loop (`pump`): each accepted client is a
//! pair of non-blocking sockets with one pending buffer per direction; a
//! side is only read while the other side's buffer is empty (so a slow
//! reader applies back-pressure instead of growing memory), half-closes
//! are passed on with `shutdown(Write)`.
//!
//! Why not tokio (as the issue suggests): the monitor is deliberately one
//! thread and one `poll` loop with a small resident set (see the monitor's
//! module doc); a runtime would add threads and megabytes to every
//! container for a few sockets. UDP: one socket in the container's
//! namespace per client address (a "flow", dropped after 60 s without
//! traffic) connected to the container's port; replies go back from the
//! host port. Limits: no sctp; the container sees every client as
//! 127.0.0.1 (the client's address is not kept; pasta keeps it for its
//! own modes).

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::poll::{PollFd, PollFlags};

use crate::network::publish::{PortMapping, Protocol};

const BUF: usize = 64 * 1024;

/// Data read from one side, not yet written to the other.
#[derive(Default)]
struct Half {
    buf: Vec<u8>,
    off: usize,
    eof: bool,
}

impl Half {
    fn pending(&self) -> bool {
        self.off < self.buf.len()
    }
}

struct Pair {
    client: TcpStream,
    inner: TcpStream,
    /// client → container
    up: Half,
    /// container → client
    down: Half,
    dead: bool,
}

/// How long a UDP flow without traffic keeps its socket.
const UDP_IDLE: Duration = Duration::from_secs(60);

/// One client of a published UDP port: a socket in the container's
/// namespace connected to the container's port.
struct Flow {
    client: SocketAddr,
    inner: UdpSocket,
    last: Instant,
}

struct UdpPort {
    host: UdpSocket,
    ctr_port: u16,
    flows: Vec<Flow>,
}

/// The listeners of one container's published ports and its connections.
pub struct Forwarder {
    listeners: Vec<(TcpListener, u16)>,
    pairs: Vec<Pair>,
    udp: Vec<UdpPort>,
    /// The mappings with every host port chosen, for `rctl port`.
    pub ports: Vec<PortMapping>,
}

impl Forwarder {
    /// Bind every published port (call it in the user's own network
    /// namespace). A port in use is an error naming it.
    pub fn bind(ports: &[PortMapping]) -> Result<Forwarder> {
        if let Some(m) = ports.iter().find(|m| m.protocol == Protocol::Sctp) {
            anyhow::bail!(
                "sctp ports cannot be published for a container on a user-defined network (`{m}`)\nhint: publish tcp or udp ports"
            );
        }
        let ports = crate::network::attach::reserve_host_ports(ports)?;
        let mut listeners = Vec::new();
        let mut udp = Vec::new();
        for m in &ports {
            for i in 0..m.range {
                let addr = SocketAddr::new(
                    m.host_ip.unwrap_or(Ipv4Addr::UNSPECIFIED.into()),
                    m.host_port + i,
                );
                let what = || format!("bind host port {addr} for `{m}`");
                if m.protocol == Protocol::Udp {
                    let s = UdpSocket::bind(addr).with_context(what)?;
                    s.set_nonblocking(true)?;
                    udp.push(UdpPort {
                        host: s,
                        ctr_port: m.container_port + i,
                        flows: Vec::new(),
                    });
                } else {
                    let l = TcpListener::bind(addr).with_context(what)?;
                    l.set_nonblocking(true)?;
                    listeners.push((l, m.container_port + i));
                }
            }
        }
        Ok(Forwarder {
            listeners,
            pairs: Vec::new(),
            udp,
            ports,
        })
    }

    /// What to poll: every listener, then two entries per connection
    /// (client, container side).
    pub fn poll_fds(&self) -> Vec<PollFd<'_>> {
        let mut v: Vec<PollFd<'_>> = self
            .listeners
            .iter()
            .map(|(l, _)| PollFd::new(l.as_fd(), PollFlags::POLLIN))
            .collect();
        for p in &self.pairs {
            let want = |from: &Half, to: &Half| {
                let mut f = PollFlags::empty();
                if !from.pending() && !from.eof {
                    f |= PollFlags::POLLIN;
                }
                if to.pending() {
                    f |= PollFlags::POLLOUT;
                }
                f
            };
            v.push(PollFd::new(p.client.as_fd(), want(&p.up, &p.down)));
            v.push(PollFd::new(p.inner.as_fd(), want(&p.down, &p.up)));
        }
        for u in &self.udp {
            v.push(PollFd::new(u.host.as_fd(), PollFlags::POLLIN));
            for f in &u.flows {
                v.push(PollFd::new(f.inner.as_fd(), PollFlags::POLLIN));
            }
        }
        v
    }

    /// Act on the events of the entries `poll_fds` gave (same order).
    pub fn service(&mut self, events: &[PollFlags]) {
        let n = self.listeners.len();
        let event = |i: usize| events.get(i).is_some_and(|e| !e.is_empty());
        // UDP entries come after the listeners and the pairs (as polled).
        let mut at = n + 2 * self.pairs.len();
        for u in &mut self.udp {
            let host_ready = event(at);
            at += 1;
            for f in &mut u.flows {
                if event(at) {
                    f.relay_back(&u.host);
                }
                at += 1;
            }
            if host_ready {
                u.receive();
            }
            u.flows.retain(|f| f.last.elapsed() < UDP_IDLE);
        }
        for (i, p) in self.pairs.iter_mut().enumerate() {
            let (c, s) = (
                events.get(n + 2 * i).copied().unwrap_or(PollFlags::empty()),
                events
                    .get(n + 2 * i + 1)
                    .copied()
                    .unwrap_or(PollFlags::empty()),
            );
            if !c.is_empty() || !s.is_empty() {
                p.step();
            }
        }
        self.pairs.retain(|p| !p.dead);
        for i in 0..n {
            if events.get(i).is_some_and(|e| !e.is_empty()) {
                self.accept(i);
            }
        }
    }

    fn accept(&mut self, i: usize) {
        let port = self.listeners[i].1;
        while let Ok((client, _)) = self.listeners[i].0.accept() {
            let target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            let Ok(inner) = TcpStream::connect_timeout(&target, Duration::from_secs(2)) else {
                continue;
            };
            let ok = client.set_nonblocking(true).is_ok()
                && inner.set_nonblocking(true).is_ok()
                && client.set_nodelay(true).is_ok()
                && inner.set_nodelay(true).is_ok();
            if ok {
                self.pairs.push(Pair {
                    client,
                    inner,
                    up: Half::default(),
                    down: Half::default(),
                    dead: false,
                });
            }
        }
    }
}

/// Read what `from` has (when `half` is drained), write what is pending.
fn pump_half(from: &mut TcpStream, to: &mut TcpStream, half: &mut Half) -> std::io::Result<()> {
    loop {
        while half.pending() {
            match to.write(&half.buf[half.off..]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(k) => half.off += k,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if half.eof {
            return Ok(());
        }
        half.buf.resize(BUF, 0);
        half.off = 0;
        match from.read(&mut half.buf) {
            Ok(0) => {
                half.buf.clear();
                half.eof = true;
                let _ = to.shutdown(Shutdown::Write);
                return Ok(());
            }
            Ok(k) => half.buf.truncate(k),
            Err(e) => {
                half.buf.clear();
                return match e.kind() {
                    ErrorKind::WouldBlock | ErrorKind::Interrupted => Ok(()),
                    _ => Err(e),
                };
            }
        }
    }
}

impl UdpPort {
    /// Datagrams from clients: each goes to the client's flow (made on
    /// first use, in the container's namespace).
    fn receive(&mut self) {
        let mut buf = vec![0u8; 65536];
        while let Ok((n, client)) = self.host.recv_from(&mut buf) {
            if !self.flows.iter().any(|f| f.client == client) {
                let made = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|s| {
                    s.connect((Ipv4Addr::LOCALHOST, self.ctr_port))?;
                    s.set_nonblocking(true)?;
                    Ok(s)
                });
                match made {
                    Ok(inner) => self.flows.push(Flow {
                        client,
                        inner,
                        last: Instant::now(),
                    }),
                    Err(_) => continue,
                }
            }
            if let Some(f) = self.flows.iter_mut().find(|f| f.client == client) {
                let _ = f.inner.send(&buf[..n]);
                f.last = Instant::now();
            }
        }
    }
}

impl Flow {
    /// Replies from the container, back to the client from the host port.
    fn relay_back(&mut self, host: &UdpSocket) {
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = self.inner.recv(&mut buf) {
            let _ = host.send_to(&buf[..n], self.client);
            self.last = Instant::now();
        }
    }
}

impl Pair {
    fn step(&mut self) {
        let up = pump_half(&mut self.client, &mut self.inner, &mut self.up);
        let down = pump_half(&mut self.inner, &mut self.client, &mut self.down);
        let done = self.up.eof && self.down.eof && !self.up.pending() && !self.down.pending();
        if up.is_err() || down.is_err() || done {
            self.dead = true;
        }
    }
}

//! A minimal, blocking, thread-free D-Bus client for the few calls rctl
//! makes to the user's systemd (`StartTransientUnit`, `SetUnitProperties`).
//!
//! Authentication is `EXTERNAL` *without* an initial uid: the bus takes the
//! uid from the socket's peer credentials. That is what makes the call work
//! from inside rctl's user namespace, where our own uid reads as 0 while
//! the bus sees the real host uid (shared/DESIGN.md, the EXTERNAL-auth
//! pitfall). No thread is ever started, so the monitor may call it before
//! it forks.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::limits::PropValue;

/// The user bus socket: `DBUS_SESSION_BUS_ADDRESS` (`unix:path=`), else
/// `$XDG_RUNTIME_DIR/bus`.
pub fn user_bus_path(session_bus: Option<&str>, runtime_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(addr) = session_bus {
        for part in addr.split(';') {
            if let Some(rest) = part.strip_prefix("unix:") {
                for kv in rest.split(',') {
                    if let Some(p) = kv.strip_prefix("path=") {
                        return Some(PathBuf::from(p));
                    }
                }
            }
        }
    }
    runtime_dir.map(|d| d.join("bus"))
}

/// A D-Bus value this client sends.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Str(&'a str),
    Bool(bool),
    /// `a(sv)`: unit properties.
    Props(&'a [(&'a str, PropValue)]),
    /// `a(sa(sv))`: auxiliary units (always empty here).
    NoAux,
    /// `au`: process ids.
    Pids(&'a [u32]),
}

impl Arg<'_> {
    fn signature(&self) -> &'static str {
        match self {
            Arg::Str(_) => "s",
            Arg::Bool(_) => "b",
            Arg::Props(_) => "a(sv)",
            Arg::NoAux => "a(sa(sv))",
            Arg::Pids(_) => "au",
        }
    }
}

/// Marshals values in little-endian D-Bus wire format; offsets are from
/// the start of the buffer (which starts 8-aligned in the message).
#[derive(Default)]
struct Enc {
    b: Vec<u8>,
}

impl Enc {
    fn pad(&mut self, align: usize) {
        while self.b.len() % align != 0 {
            self.b.push(0);
        }
    }
    fn u8(&mut self, v: u8) {
        self.b.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.pad(4);
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.pad(8);
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.b.extend_from_slice(s.as_bytes());
        self.b.push(0);
    }
    fn sig(&mut self, s: &str) {
        self.u8(s.len() as u8);
        self.b.extend_from_slice(s.as_bytes());
        self.b.push(0);
    }
    /// An array: `elem_align` is the alignment of its element type.
    fn array(&mut self, elem_align: usize, body: impl FnOnce(&mut Enc)) {
        self.pad(4);
        let at = self.b.len();
        self.b.extend_from_slice(&[0; 4]);
        self.pad(elem_align);
        let start = self.b.len();
        body(self);
        let len = (self.b.len() - start) as u32;
        self.b[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }
    fn variant(&mut self, v: &PropValue) {
        match v {
            PropValue::U64(n) => {
                self.sig("t");
                self.u64(*n);
            }
            PropValue::Bool(x) => {
                self.sig("b");
                self.u32(u32::from(*x));
            }
            PropValue::Str(s) => {
                self.sig("s");
                self.str(s);
            }
            PropValue::Bytes(bytes) => {
                self.sig("ay");
                self.array(1, |e| e.b.extend_from_slice(bytes));
            }
            PropValue::Pids(pids) => {
                self.sig("au");
                self.array(4, |e| pids.iter().for_each(|p| e.u32(*p)));
            }
        }
    }
    fn arg(&mut self, a: &Arg) {
        match a {
            Arg::Str(s) => self.str(s),
            Arg::Bool(x) => self.u32(u32::from(*x)),
            Arg::Props(props) => self.array(8, |e| {
                for (name, value) in props.iter() {
                    e.pad(8);
                    e.str(name);
                    e.variant(value);
                }
            }),
            Arg::NoAux => self.array(8, |_| {}),
            Arg::Pids(pids) => self.array(4, |e| pids.iter().for_each(|p| e.u32(*p))),
        }
    }
}

/// A method call's bytes: header, padding, body.
pub fn method_call(
    serial: u32,
    dest: &str,
    path: &str,
    iface: &str,
    member: &str,
    args: &[Arg],
) -> Vec<u8> {
    let mut body = Enc::default();
    let mut signature = String::new();
    for a in args {
        body.arg(a);
        signature.push_str(a.signature());
    }
    let mut h = Enc::default();
    h.u8(b'l');
    h.u8(1); // METHOD_CALL
    h.u8(0);
    h.u8(1);
    h.u32(body.b.len() as u32);
    h.u32(serial);
    let field = |h: &mut Enc, code: u8, sig: &str, value: &str| {
        h.pad(8);
        h.u8(code);
        h.sig(sig);
        match sig {
            "g" => h.sig(value),
            _ => h.str(value),
        }
    };
    h.array(8, |h| {
        field(h, 1, "o", path);
        field(h, 2, "s", iface);
        field(h, 3, "s", member);
        field(h, 6, "s", dest);
        if !signature.is_empty() {
            field(h, 8, "g", &signature);
        }
    });
    h.pad(8);
    h.b.extend_from_slice(&body.b);
    h.b
}

/// What came back for a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub reply_serial: Option<u32>,
    /// `Some(name)` for an error reply.
    pub error: Option<String>,
    /// The first string of the body (an error's message), if any.
    pub first_string: Option<String>,
    pub msg_type: u8,
}

fn align(n: usize, a: usize) -> usize {
    n.div_ceil(a) * a
}

fn rd_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Parse a message's header fields and the leading string of its body.
/// `msg` is the whole message (little-endian only, as every bus sends to
/// a little-endian client in practice; a big-endian one is refused).
pub fn parse_message(msg: &[u8]) -> Result<Reply> {
    if msg.len() < 16 || msg[0] != b'l' {
        bail!("unsupported D-Bus message (not little-endian)");
    }
    let msg_type = msg[1];
    let fields_len = rd_u32(msg, 12).context("short D-Bus header")? as usize;
    let fields_end = 16 + fields_len;
    let body_at = align(fields_end, 8);
    let mut reply = Reply {
        reply_serial: None,
        error: None,
        first_string: None,
        msg_type,
    };
    let mut at = 16;
    let mut body_sig = String::new();
    while at < fields_end {
        at = align(at, 8);
        if at >= fields_end {
            break;
        }
        let code = msg[at];
        let slen = *msg.get(at + 1).context("bad header field")? as usize;
        let sig = std::str::from_utf8(msg.get(at + 2..at + 2 + slen).context("bad field")?)?;
        at += 3 + slen;
        match sig {
            "s" | "o" => {
                at = align(at, 4);
                let n = rd_u32(msg, at).context("bad string")? as usize;
                let s = String::from_utf8_lossy(msg.get(at + 4..at + 4 + n).context("bad str")?)
                    .into_owned();
                at += 5 + n;
                if code == 4 {
                    reply.error = Some(s);
                }
            }
            "u" => {
                at = align(at, 4);
                let v = rd_u32(msg, at).context("bad u32")?;
                at += 4;
                if code == 5 {
                    reply.reply_serial = Some(v);
                }
            }
            "g" => {
                let n = *msg.get(at).context("bad signature")? as usize;
                body_sig = String::from_utf8_lossy(msg.get(at + 1..at + 1 + n).context("bad sig")?)
                    .into_owned();
                at += 2 + n;
            }
            other => bail!("unexpected D-Bus header field type `{other}`"),
        }
    }
    if body_sig.starts_with('s') || body_sig.starts_with('o') {
        if let Some(n) = rd_u32(msg, body_at) {
            let n = n as usize;
            if let Some(s) = msg.get(body_at + 4..body_at + 4 + n) {
                reply.first_string = Some(String::from_utf8_lossy(s).into_owned());
            }
        }
    }
    Ok(reply)
}

/// A connection to a bus.
pub struct Bus {
    stream: BufReader<UnixStream>,
    serial: u32,
}

impl Bus {
    /// Connect and authenticate (EXTERNAL, uid from the socket), then
    /// `Hello`.
    pub fn connect(path: &Path) -> Result<Bus> {
        let stream = UnixStream::connect(path)
            .with_context(|| format!("connect to the user bus `{}`", path.display()))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut w = stream.try_clone()?;
        let mut r = BufReader::new(stream);
        w.write_all(b"\0AUTH EXTERNAL\r\n")?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        if line.starts_with("DATA") {
            w.write_all(b"DATA\r\n")?;
            line.clear();
            r.read_line(&mut line)?;
        }
        if !line.starts_with("OK ") {
            bail!(
                "the user bus `{}` refused EXTERNAL authentication: {}",
                path.display(),
                line.trim()
            );
        }
        w.write_all(b"BEGIN\r\n")?;
        let mut bus = Bus {
            stream: r,
            serial: 0,
        };
        bus.call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "Hello",
            &[],
        )
        .context("say Hello to the user bus")?;
        Ok(bus)
    }

    fn read_message(&mut self) -> Result<Vec<u8>> {
        let mut fixed = [0u8; 16];
        self.stream
            .read_exact(&mut fixed)
            .context("read from the user bus")?;
        if fixed[0] != b'l' {
            bail!("the user bus sent a big-endian message");
        }
        let body_len = rd_u32(&fixed, 4).unwrap_or(0) as usize;
        let fields_len = rd_u32(&fixed, 12).unwrap_or(0) as usize;
        let total = align(16 + fields_len, 8) + body_len;
        if total > 64 << 20 {
            bail!("the user bus sent an oversized message");
        }
        let mut msg = fixed.to_vec();
        msg.resize(total, 0);
        self.stream
            .read_exact(&mut msg[16..])
            .context("read from the user bus")?;
        Ok(msg)
    }

    /// Call a method and wait for its reply; an error reply is an error
    /// carrying its D-Bus name and message.
    pub fn call(
        &mut self,
        dest: &str,
        path: &str,
        iface: &str,
        member: &str,
        args: &[Arg],
    ) -> Result<Reply> {
        self.serial += 1;
        let serial = self.serial;
        let msg = method_call(serial, dest, path, iface, member, args);
        self.stream
            .get_mut()
            .write_all(&msg)
            .context("write to the user bus")?;
        loop {
            let raw = self.read_message()?;
            let reply = parse_message(&raw)?;
            if reply.reply_serial != Some(serial) {
                continue; // a signal, e.g. NameAcquired
            }
            if let Some(name) = &reply.error {
                bail!(
                    "{member}: {name}: {}",
                    reply.first_string.as_deref().unwrap_or("")
                );
            }
            return Ok(reply);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_address() {
        assert_eq!(
            user_bus_path(Some("unix:path=/run/user/5/bus"), None),
            Some(PathBuf::from("/run/user/5/bus"))
        );
        assert_eq!(
            user_bus_path(Some("unix:abstract=x,guid=1"), Some(Path::new("/r"))),
            Some(PathBuf::from("/r/bus"))
        );
        assert_eq!(user_bus_path(None, None), None);
    }

    /// A call's bytes, checked field by field against the wire format.
    #[test]
    fn method_call_layout() {
        let props = [
            ("MemoryMax", PropValue::U64(7)),
            ("Delegate", PropValue::Bool(true)),
        ];
        let m = method_call(
            3,
            "org.freedesktop.systemd1",
            "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager",
            "StartTransientUnit",
            &[
                Arg::Str("a.scope"),
                Arg::Str("fail"),
                Arg::Props(&props),
                Arg::NoAux,
            ],
        );
        assert_eq!(&m[..4], &[b'l', 1, 0, 1]);
        let body_len = rd_u32(&m, 4).unwrap() as usize;
        assert_eq!(rd_u32(&m, 8), Some(3));
        let fields_len = rd_u32(&m, 12).unwrap() as usize;
        let body = align(16 + fields_len, 8);
        assert_eq!(m.len(), body + body_len);
        // The signature field names the body's types.
        let text = String::from_utf8_lossy(&m[..body]);
        assert!(text.contains("ssa(sv)a(sa(sv))"), "{text}");
        // Body: "a.scope", then "fail" (4-aligned), then the array.
        assert_eq!(rd_u32(&m, body), Some(7));
        assert_eq!(&m[body + 4..body + 12], b"a.scope\0");
        assert_eq!(rd_u32(&m, body + 12), Some(4));
        assert_eq!(&m[body + 16..body + 21], b"fail\0");
        // The array length counts from the first (8-aligned) element.
        let arr = body + 24;
        let arr_len = rd_u32(&m, arr).unwrap() as usize;
        let first = arr + 8;
        assert_eq!(rd_u32(&m, first), Some(9));
        assert_eq!(&m[first + 4..first + 14], b"MemoryMax\0");
        assert_eq!(&m[first + 14..first + 17], b"\x01t\0");
        let v = align(first + 17, 8);
        assert_eq!(&m[v..v + 8], &7u64.to_le_bytes());
        // The aux array (empty) follows the props array, 4-aligned.
        let aux = align(first + arr_len, 4);
        assert_eq!(rd_u32(&m, aux), Some(0));
        assert_eq!(m.len(), align(aux + 4, 8));
    }

    #[test]
    fn pids_are_an_array_of_u32() {
        let m = method_call(
            4,
            "org.freedesktop.systemd1",
            "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager",
            "AttachProcessesToUnit",
            &[Arg::Str("a.scope"), Arg::Str(""), Arg::Pids(&[7, 9])],
        );
        let fields_len = rd_u32(&m, 12).unwrap() as usize;
        let body = align(16 + fields_len, 8);
        let text = String::from_utf8_lossy(&m[..body]);
        assert!(text.contains("ssau"), "{text}");
        // "a.scope", "" (4-aligned), then the array: length 8, 7, 9.
        assert_eq!(&m[body + 4..body + 12], b"a.scope\0");
        assert_eq!(rd_u32(&m, body + 12), Some(0));
        assert_eq!(rd_u32(&m, body + 20), Some(8));
        assert_eq!(rd_u32(&m, body + 24), Some(7));
        assert_eq!(rd_u32(&m, body + 28), Some(9));
        assert_eq!(m.len(), body + 32);
    }

    #[test]
    fn parse_an_error_reply() {
        // Build an error message by hand: fields REPLY_SERIAL=3,
        // ERROR_NAME, SIGNATURE "s"; body "no such unit".
        let mut h = Enc::default();
        h.u8(b'l');
        h.u8(3);
        h.u8(0);
        h.u8(1);
        let mut body = Enc::default();
        body.str("no such unit");
        h.u32(body.b.len() as u32);
        h.u32(9);
        h.array(8, |h| {
            h.pad(8);
            h.u8(5);
            h.sig("u");
            h.u32(3);
            h.pad(8);
            h.u8(4);
            h.sig("s");
            h.str("org.freedesktop.systemd1.NoSuchUnit");
            h.pad(8);
            h.u8(8);
            h.sig("g");
            h.sig("s");
        });
        h.pad(8);
        h.b.extend_from_slice(&body.b);
        let r = parse_message(&h.b).unwrap();
        assert_eq!(r.msg_type, 3);
        assert_eq!(r.reply_serial, Some(3));
        assert_eq!(
            r.error.as_deref(),
            Some("org.freedesktop.systemd1.NoSuchUnit")
        );
        assert_eq!(r.first_string.as_deref(), Some("no such unit"));
        assert!(parse_message(b"B").is_err());
    }
}

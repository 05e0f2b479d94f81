//! The one place where rctl talks to the kernel through `unsafe` code.
//!
//! Every `unsafe` block here carries a `// SAFETY:` argument. Everything
//! else in the crate is built with `unsafe_code` denied and calls the safe
//! wrappers below.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

/// Count the threads of the calling process from `/proc/self/task`.
pub fn thread_count() -> io::Result<usize> {
    Ok(std::fs::read_dir("/proc/self/task")?.count())
}

/// The outcome of [`fork`], seen from each side.
pub enum Fork {
    Parent(nix::unistd::Pid),
    Child,
}

/// Fork the calling process, refusing to do so if it has more than one thread.
///
/// After `fork` in a multi-threaded process only async-signal-safe calls are
/// allowed in the child; rctl forks only before any thread exists, and this
/// wrapper checks that instead of trusting it.
pub fn fork() -> io::Result<Fork> {
    let threads = thread_count()?;
    if threads != 1 {
        return Err(io::Error::other(format!(
            "refusing to fork with {threads} threads running (rctl must fork before starting threads)"
        )));
    }
    // SAFETY: the process has exactly one thread (checked just above, and no
    // code between the check and the call starts one), so the child is a
    // complete copy of the only thread and may call anything.
    match unsafe { nix::unistd::fork() }.map_err(io::Error::from)? {
        nix::unistd::ForkResult::Parent { child } => Ok(Fork::Parent(child)),
        nix::unistd::ForkResult::Child => Ok(Fork::Child),
    }
}

/// Fork the calling (single-threaded) process into a new PID namespace:
/// the child is PID 1 there, while the caller's later children stay in
/// the caller's namespace (after `unshare(CLONE_NEWPID)` every later child
/// would go into the new one, and none can once its PID 1 has died).
pub fn fork_new_pid_namespace() -> io::Result<Fork> {
    let threads = thread_count()?;
    if threads != 1 {
        return Err(io::Error::other(format!(
            "refusing to fork with {threads} threads running (rctl must fork before starting threads)"
        )));
    }
    // SAFETY: clone(2) without CLONE_VM and with no new stack is fork(2)
    // plus the namespace flag: the child continues on a copy of the
    // caller's address space and stack. The process has exactly one
    // thread (checked above), so no lock is held by a thread missing from
    // the copy. glibc's own fork also records the child's thread id in the
    // thread control block; the child's stale copy is harmless here, as
    // glibc reads the id from the kernel for signals to itself and the
    // child only sets up the container and execs.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_clone,
            (libc::CLONE_NEWPID | libc::SIGCHLD) as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };
    match ret {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(nix::unistd::Pid::from_raw(pid as i32))),
    }
}

/// Proof that the process had one thread when it was made (see
/// [`fork_single`]); for forks after `/proc` stops showing this process
/// (after joining a container's mount namespace).
pub struct SingleThreaded(());

/// Check now that the process has exactly one thread.
pub fn single_threaded() -> io::Result<SingleThreaded> {
    match thread_count()? {
        1 => Ok(SingleThreaded(())),
        n => Err(io::Error::other(format!(
            "refusing to fork with {n} threads running (rctl must fork before starting threads)"
        ))),
    }
}

/// Fork with a single-thread proof taken earlier; rctl starts no thread
/// between taking the proof and this call.
pub fn fork_single(_proof: SingleThreaded) -> io::Result<Fork> {
    // SAFETY: the proof shows the process had one thread, and rctl never
    // starts threads in the code between the proof and the fork (the proof
    // is consumed here), so the child is a complete copy of the only thread.
    match unsafe { nix::unistd::fork() }.map_err(io::Error::from)? {
        nix::unistd::ForkResult::Parent { child } => Ok(Fork::Parent(child)),
        nix::unistd::ForkResult::Child => Ok(Fork::Child),
    }
}

/// Open a pidfd for `pid` (pidfd_open(2)).
pub fn pidfd_open(pid: i32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes two integers and returns a new fd or -1; no
    // memory is passed to the kernel.
    let ret = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the kernel returned a fresh file descriptor that
    // nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(ret as RawFd) })
}

/// Close every file descriptor from `first` upward (close_range(2)).
pub fn close_fds_from(first: RawFd) -> io::Result<()> {
    // SAFETY: close_range only closes descriptors; the caller guarantees that
    // no Rust object still uses a descriptor at or above `first` (it is called
    // in a freshly forked child just before it becomes the pause loop).
    let ret = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first as libc::c_uint,
            libc::c_uint::MAX,
            0,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Exit the calling process at once, without running destructors or atexit
/// handlers (the right way to leave a forked child).
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit never returns and touches no Rust state.
    unsafe { libc::_exit(code) }
}

/// Block until a signal arrives (pause(2)).
pub fn pause() {
    // SAFETY: pause has no arguments and only waits for a signal.
    unsafe {
        libc::pause();
    }
}

/// Set the calling thread's name as shown by `ps` (PR_SET_NAME).
pub fn set_process_name(name: &str) {
    let mut buf = [0u8; 16];
    let bytes = name.as_bytes();
    let len = bytes.len().min(15);
    buf[..len].copy_from_slice(&bytes[..len]);
    // SAFETY: buf is a NUL-terminated buffer of 16 bytes that outlives the call.
    unsafe {
        libc::prctl(libc::PR_SET_NAME, buf.as_ptr() as libc::c_ulong, 0, 0, 0);
    }
}

/// Set a signal's disposition to "ignore".
pub fn ignore_signal(sig: nix::sys::signal::Signal) {
    // SAFETY: SIG_IGN installs no handler code, so no async-signal-safety
    // requirement arises.
    unsafe {
        let _ = nix::sys::signal::signal(sig, nix::sys::signal::SigHandler::SigIgn);
    }
}

/// Whether `path` carries the extended attribute `name` (not following a
/// final symlink).
pub fn has_xattr(path: &std::path::Path, name: &str) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(p), Ok(n)) = (
        std::ffi::CString::new(path.as_os_str().as_bytes()),
        std::ffi::CString::new(name),
    ) else {
        return false;
    };
    // SAFETY: both pointers are NUL-terminated strings alive for the call;
    // a NULL buffer of size 0 asks only for the value's size.
    let ret = unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), std::ptr::null_mut(), 0) };
    ret >= 0
}

pub mod dirfd;
/// Install a seccomp BPF program on the calling thread (seccomp(2),
/// SECCOMP_SET_MODE_FILTER). Needs `no_new_privs` or CAP_SYS_ADMIN in the
/// current user namespace.
pub fn seccomp_load(program: &[seccompiler::sock_filter]) -> io::Result<()> {
    if program.is_empty() || program.len() > u16::MAX as usize {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    let prog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: `prog` points at `program`, a slice of `len` BPF instructions
    // whose layout is identical to libc's sock_filter (both are the kernel's
    // struct); the kernel copies the program and keeps no pointer to it.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &prog as *const libc::sock_fprog,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Bring the loopback interface of the current network namespace up.
pub fn loopback_up() -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let sock = nix::sys::socket::socket(
        nix::sys::socket::AddressFamily::Inet,
        nix::sys::socket::SockType::Datagram,
        nix::sys::socket::SockFlag::SOCK_CLOEXEC,
        None,
    )
    .map_err(io::Error::from)?;
    // SAFETY: ifreq is plain old data; all-zero is a valid value.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, s) in req.ifr_name.iter_mut().zip(b"lo\0") {
        *d = *s as libc::c_char;
    }
    // SAFETY: SIOCGIFFLAGS reads into `req`, which lives for the call and
    // has the layout the kernel expects.
    if unsafe { libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFFLAGS, &mut req) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: after SIOCGIFFLAGS the flags member of the union is the live one.
    unsafe {
        req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
    }
    // SAFETY: as above; SIOCSIFFLAGS only reads `req`.
    if unsafe { libc::ioctl(sock.as_raw_fd(), libc::SIOCSIFFLAGS, &req) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Make `fd` (a terminal) the controlling terminal of the calling session
/// leader (TIOCSCTTY).
pub fn set_controlling_terminal(fd: std::os::fd::BorrowedFd<'_>) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: TIOCSCTTY takes an integer argument; no memory is passed.
    if unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSCTTY, 0) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Mark every descriptor from `first` upward close-on-exec
/// (close_range(2) with CLOSE_RANGE_CLOEXEC), so that nothing of rctl's
/// leaks into a container's program while errors can still be reported
/// until the exec.
pub fn cloexec_fds_from(first: RawFd) -> io::Result<()> {
    // SAFETY: with CLOSE_RANGE_CLOEXEC the call only sets a flag on
    // descriptors; no descriptor is closed under a Rust owner.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first as libc::c_uint,
            libc::c_uint::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Close every descriptor from 3 upward except those in `keep` (in a
/// forked child that never returns to code owning those descriptors).
pub fn close_fds_except(keep: &[RawFd]) -> io::Result<()> {
    let mut k: Vec<RawFd> = keep.iter().copied().filter(|&fd| fd >= 3).collect();
    k.sort();
    k.dedup();
    let mut ranges = Vec::new();
    let mut lo = 3;
    for &fd in &k {
        ranges.push((lo, fd - 1));
        lo = fd + 1;
    }
    ranges.push((lo, libc::c_int::MAX));
    for (lo, hi) in ranges {
        if lo > hi {
            continue;
        }
        // SAFETY: called only in a forked child right before it execs or
        // exits; no Rust object in it uses these descriptors afterwards.
        let ret = unsafe {
            libc::syscall(
                libc::SYS_close_range,
                lo as libc::c_uint,
                hi as libc::c_uint,
                0,
            )
        };
        if ret < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Take ownership of a descriptor inherited from the parent process (its
/// number given on the command line), after checking it is open.
pub fn adopt_inherited_fd(fd: RawFd) -> io::Result<OwnedFd> {
    if fd < 3 {
        return Err(io::Error::from_raw_os_error(libc::EBADF));
    }
    // SAFETY: F_GETFD only queries the descriptor's flags.
    if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the descriptor is open (checked above) and was inherited
    // across exec for this purpose: no other object in this process owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Reset every signal's disposition to the default (before exec'ing a
/// container's program: the Rust runtime ignores SIGPIPE, and an ignored
/// signal stays ignored across exec).
pub fn reset_signal_dispositions() {
    for n in 1..=libc::SIGRTMAX() {
        if n == libc::SIGKILL || n == libc::SIGSTOP {
            continue;
        }
        // SAFETY: SIG_DFL installs no handler code; signal numbers the
        // kernel refuses (reserved real-time ones) just return an error.
        unsafe {
            libc::signal(n, libc::SIG_DFL);
        }
    }
}

/// Drop the resident pages of this process's executable code mappings
/// (private, file-backed, `r-xp`) and of the read-only segments at file
/// offset 0 (ELF headers, read-only data; never RELRO, which lies in the
/// writable segment's file range) so that a long-lived, mostly idle
/// process (the monitor) keeps only the code it touches again: fault-around
/// and read-ahead leave megabytes of start-up code resident otherwise.
/// Returns the number of bytes advised.
pub fn trim_code_pages() -> usize {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return 0;
    };
    let mut total = 0;
    for line in maps.lines() {
        let mut f = line.split_whitespace();
        let (Some(range), Some(perms)) = (f.next(), f.next()) else {
            continue;
        };
        let offset = f.next();
        let path = f.nth(2);
        let wanted = perms == "r-xp"
            || (perms == "r--p" && offset.is_some_and(|o| o.bytes().all(|b| b == b'0')));
        if !wanted || !path.is_some_and(|p| p.starts_with('/')) {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
        else {
            continue;
        };
        // SAFETY: the range is a whole private, read-only file mapping of
        // this process: code, or the first segment (headers and read-only
        // data, which the loader never relocates). Its pages are never
        // written (no text relocations in PIE code), so MADV_DONTNEED only drops page-table
        // entries and the same content faults back in from the file on the
        // next use; no Rust object lives in such a mapping.
        let ret =
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
        if ret == 0 {
            total += end - start;
        }
    }
    total
}

/// Send one descriptor over a unix socket (SCM_RIGHTS).
pub fn send_fd(
    sock: std::os::fd::BorrowedFd<'_>,
    fd: std::os::fd::BorrowedFd<'_>,
) -> io::Result<()> {
    use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
    use std::os::fd::AsRawFd;
    let fds = [fd.as_raw_fd()];
    sendmsg::<()>(
        sock.as_raw_fd(),
        &[io::IoSlice::new(b"f")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .map(drop)
    .map_err(io::Error::from)
}

/// Receive one descriptor sent with [`send_fd`]; `None` when the peer
/// closed the socket without sending.
pub fn recv_fd(sock: std::os::fd::BorrowedFd<'_>) -> io::Result<Option<OwnedFd>> {
    use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
    use std::os::fd::AsRawFd;
    let mut byte = [0u8; 1];
    let mut iov = [io::IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([RawFd; 1]);
    let msg = recvmsg::<()>(
        sock.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )
    .map_err(io::Error::from)?;
    for c in msg.cmsgs().map_err(io::Error::from)? {
        if let ControlMessageOwned::ScmRights(fds) = c {
            if let Some(&fd) = fds.first() {
                // SAFETY: the kernel just installed this descriptor in our
                // table for this message; nothing else refers to it.
                return Ok(Some(unsafe { OwnedFd::from_raw_fd(fd) }));
            }
        }
    }
    Ok(None)
}

/// Restore a signal's default disposition.
pub fn default_signal(sig: nix::sys::signal::Signal) {
    // SAFETY: SIG_DFL installs no handler code, so no async-signal-safety
    // requirement arises.
    unsafe {
        let _ = nix::sys::signal::signal(sig, nix::sys::signal::SigHandler::SigDfl);
    }
}

/// Wait until the process behind `pidfd` has exited (the pidfd turns
/// readable), at most `timeout` (`None`: as long as it takes). True when it
/// exited. Works for processes that are not our children.
pub fn pidfd_wait_exit(
    pidfd: std::os::fd::BorrowedFd<'_>,
    timeout: Option<std::time::Duration>,
) -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    loop {
        let wait = match deadline {
            None => PollTimeout::NONE,
            Some(d) => {
                let left = d.saturating_duration_since(std::time::Instant::now());
                PollTimeout::try_from(left.as_millis().min(60_000) as i32)
                    .unwrap_or(PollTimeout::ZERO)
            }
        };
        let mut fds = [PollFd::new(pidfd, PollFlags::POLLIN)];
        match poll(&mut fds, wait) {
            Ok(n) if n > 0 => return true,
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return false,
        }
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            return false;
        }
    }
}

/// Send a signal through a pidfd (pidfd_send_signal(2)): it reaches the
/// process the pidfd was opened for, never a later one with the same pid.
pub fn pidfd_send_signal(
    pidfd: std::os::fd::BorrowedFd<'_>,
    sig: nix::sys::signal::Signal,
) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: the call takes a descriptor, a signal number, a NULL siginfo
    // pointer (the kernel fills in a default) and flags 0; no memory is
    // passed.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            sig as libc::c_int,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Write all of `data` to `fd`, retrying on EINTR.
pub fn write_all_fd(fd: std::os::fd::BorrowedFd<'_>, mut data: &[u8]) -> nix::Result<()> {
    while !data.is_empty() {
        match nix::unistd::write(fd, data) {
            Ok(n) => data = &data[n..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `/dev/null` opened for reading and writing.
pub fn dev_null() -> io::Result<OwnedFd> {
    Ok(std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")?
        .into())
}

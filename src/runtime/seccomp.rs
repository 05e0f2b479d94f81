//! The default seccomp profile (as OCI spec data) and its compilation to
//! BPF with `seccompiler`.
//!
//! Why `seccompiler`: it is pure Rust (no libseccomp C library to link or
//! ship), compiles in-process, and its output is a plain BPF program that
//! `sys::seccomp_load` installs. Loading it ourselves (instead of
//! `seccompiler::apply_filter`) keeps `no_new_privs` optional, as in Podman.
//!
//! The profile is an allow-list, as Podman's: a system call it does not
//! name fails with ENOSYS (so a program built for a newer kernel falls back
//! the way it would on an older one), the calls a container without
//! CAP_SYS_ADMIN and friends must not make fail with EPERM (kernel modules,
//! kexec, keyrings, the mount API, namespaces, bpf, perf, clock setting,
//! swap, reboot, handles, userfaultfd, io_uring, page migration), `clone`
//! with namespace flags fails with EPERM, `clone3` with ENOSYS (libc falls
//! back to `clone`, whose flags can be checked), and `personality` is
//! allowed only for the values programs use (not, say, turning off address
//! space randomisation).

use std::collections::BTreeMap;

use super::seccomp_table;
use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompArgBuilder, LinuxSeccompBuilder,
    LinuxSeccompOperator, LinuxSyscallBuilder,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// System calls the default profile allows (`clone` is checked further
/// by a deny rule on its namespace flags).
pub const ALLOWED: &[&str] = &[
    "accept",
    "accept4",
    "access",
    "adjtimex",
    "alarm",
    "arch_prctl",
    "bind",
    "brk",
    "cachestat",
    "capget",
    "capset",
    "chdir",
    "chmod",
    "chown",
    "chroot",
    "clock_getres",
    "clock_gettime",
    "clock_nanosleep",
    "clone",
    "close",
    "close_range",
    "connect",
    "copy_file_range",
    "creat",
    "dup",
    "dup2",
    "dup3",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_pwait",
    "epoll_pwait2",
    "epoll_wait",
    "eventfd",
    "eventfd2",
    "execve",
    "execveat",
    "exit",
    "exit_group",
    "faccessat",
    "faccessat2",
    "fadvise64",
    "fallocate",
    "fanotify_mark",
    "fchdir",
    "fchmod",
    "fchmodat",
    "fchmodat2",
    "fchown",
    "fchownat",
    "fcntl",
    "fdatasync",
    "fgetxattr",
    "flistxattr",
    "flock",
    "fork",
    "fremovexattr",
    "fsetxattr",
    "fstat",
    "fstatfs",
    "fsync",
    "ftruncate",
    "futex",
    "futex_requeue",
    "futex_wait",
    "futex_waitv",
    "futex_wake",
    "futimesat",
    "get_mempolicy",
    "get_robust_list",
    "get_thread_area",
    "getcpu",
    "getcwd",
    "getdents",
    "getdents64",
    "getegid",
    "geteuid",
    "getgid",
    "getgroups",
    "getitimer",
    "getpeername",
    "getpgid",
    "getpgrp",
    "getpid",
    "getppid",
    "getpriority",
    "getrandom",
    "getresgid",
    "getresuid",
    "getrlimit",
    "getrusage",
    "getsid",
    "getsockname",
    "getsockopt",
    "gettid",
    "gettimeofday",
    "getuid",
    "getxattr",
    "inotify_add_watch",
    "inotify_init",
    "inotify_init1",
    "inotify_rm_watch",
    "io_cancel",
    "io_destroy",
    "io_getevents",
    "io_pgetevents",
    "io_setup",
    "io_submit",
    "ioctl",
    "ioprio_get",
    "ioprio_set",
    "kill",
    "landlock_add_rule",
    "landlock_create_ruleset",
    "landlock_restrict_self",
    "lchown",
    "lgetxattr",
    "link",
    "linkat",
    "listen",
    "listxattr",
    "llistxattr",
    "lremovexattr",
    "lseek",
    "lsetxattr",
    "lstat",
    "madvise",
    "map_shadow_stack",
    "mbind",
    "membarrier",
    "memfd_create",
    "memfd_secret",
    "mincore",
    "mkdir",
    "mkdirat",
    "mknod",
    "mknodat",
    "mlock",
    "mlock2",
    "mlockall",
    "mmap",
    "modify_ldt",
    "mprotect",
    "mq_getsetattr",
    "mq_notify",
    "mq_open",
    "mq_timedreceive",
    "mq_timedsend",
    "mq_unlink",
    "mremap",
    "mseal",
    "msgctl",
    "msgget",
    "msgrcv",
    "msgsnd",
    "msync",
    "munlock",
    "munlockall",
    "munmap",
    "nanosleep",
    "newfstatat",
    "open",
    "openat",
    "openat2",
    "pause",
    "pidfd_getfd",
    "pidfd_open",
    "pidfd_send_signal",
    "pipe",
    "pipe2",
    "pkey_alloc",
    "pkey_free",
    "pkey_mprotect",
    "poll",
    "ppoll",
    "prctl",
    "pread64",
    "preadv",
    "preadv2",
    "prlimit64",
    "process_madvise",
    "process_mrelease",
    "process_vm_readv",
    "process_vm_writev",
    "pselect6",
    "ptrace",
    "pwrite64",
    "pwritev",
    "pwritev2",
    "read",
    "readahead",
    "readlink",
    "readlinkat",
    "readv",
    "recvfrom",
    "recvmmsg",
    "recvmsg",
    "remap_file_pages",
    "removexattr",
    "rename",
    "renameat",
    "renameat2",
    "restart_syscall",
    "rmdir",
    "rseq",
    "rt_sigaction",
    "rt_sigpending",
    "rt_sigprocmask",
    "rt_sigqueueinfo",
    "rt_sigreturn",
    "rt_sigsuspend",
    "rt_sigtimedwait",
    "rt_tgsigqueueinfo",
    "sched_get_priority_max",
    "sched_get_priority_min",
    "sched_getaffinity",
    "sched_getattr",
    "sched_getparam",
    "sched_getscheduler",
    "sched_rr_get_interval",
    "sched_setaffinity",
    "sched_setattr",
    "sched_setparam",
    "sched_setscheduler",
    "sched_yield",
    "seccomp",
    "select",
    "semctl",
    "semget",
    "semop",
    "semtimedop",
    "sendfile",
    "sendmmsg",
    "sendmsg",
    "sendto",
    "set_mempolicy",
    "set_mempolicy_home_node",
    "set_robust_list",
    "set_thread_area",
    "set_tid_address",
    "setdomainname",
    "setfsgid",
    "setfsuid",
    "setgid",
    "setgroups",
    "sethostname",
    "setitimer",
    "setpgid",
    "setpriority",
    "setregid",
    "setresgid",
    "setresuid",
    "setreuid",
    "setrlimit",
    "setsid",
    "setsockopt",
    "setuid",
    "setxattr",
    "shmat",
    "shmctl",
    "shmdt",
    "shmget",
    "shutdown",
    "sigaltstack",
    "signalfd",
    "signalfd4",
    "socket",
    "socketpair",
    "splice",
    "stat",
    "statfs",
    "statx",
    "symlink",
    "symlinkat",
    "sync",
    "sync_file_range",
    "syncfs",
    "sysinfo",
    "tee",
    "tgkill",
    "time",
    "timer_create",
    "timer_delete",
    "timer_getoverrun",
    "timer_gettime",
    "timer_settime",
    "timerfd_create",
    "timerfd_gettime",
    "timerfd_settime",
    "times",
    "tkill",
    "truncate",
    "umask",
    "uname",
    "unlink",
    "unlinkat",
    "utime",
    "utimensat",
    "utimes",
    "vfork",
    "vmsplice",
    "wait4",
    "waitid",
    "write",
    "writev",
];

/// System calls denied with EPERM by the default profile.
pub const DENIED: &[&str] = &[
    "acct",
    "add_key",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "create_module",
    "delete_module",
    "fanotify_init",
    "finit_module",
    "fsconfig",
    "fsmount",
    "fsopen",
    "fspick",
    "get_kernel_syms",
    "init_module",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "migrate_pages",
    "mount",
    "mount_setattr",
    "move_mount",
    "move_pages",
    "name_to_handle_at",
    "nfsservctl",
    "open_by_handle_at",
    "open_tree",
    "perf_event_open",
    "pivot_root",
    "query_module",
    "quotactl",
    "quotactl_fd",
    "reboot",
    "request_key",
    "setns",
    "settimeofday",
    "swapoff",
    "swapon",
    "_sysctl",
    "sysfs",
    "syslog",
    "umount2",
    "unshare",
    "uselib",
    "userfaultfd",
    "ustat",
    "vhangup",
];

/// `personality` values the default profile allows: Linux, with
/// `UNAME26`, `PER_LINUX32` and their combination, and the query
/// (`0xffffffff`).
const PERSONALITY: &[u64] = &[0x0, 0x8, 0x20000, 0x20008, 0xffff_ffff];

/// Namespace flags refused in `clone`.
const CLONE_NS_FLAGS: &[u64] = &[
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    libc::CLONE_NEWCGROUP as u64,
];

/// The default profile as OCI data.
pub fn default_profile() -> Result<LinuxSeccomp, oci_spec::OciSpecError> {
    let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut syscalls = vec![
        LinuxSyscallBuilder::default()
            .names(names(ALLOWED))
            .action(LinuxSeccompAction::ScmpActAllow)
            .build()?,
        LinuxSyscallBuilder::default()
            .names(names(DENIED))
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(libc::EPERM as u32)
            .build()?,
        LinuxSyscallBuilder::default()
            .names(names(&["clone3"]))
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(libc::ENOSYS as u32)
            .build()?,
    ];
    for value in PERSONALITY {
        syscalls.push(
            LinuxSyscallBuilder::default()
                .names(names(&["personality"]))
                .action(LinuxSeccompAction::ScmpActAllow)
                .args(vec![
                    LinuxSeccompArgBuilder::default()
                        .index(0usize)
                        .value(*value)
                        .op(LinuxSeccompOperator::ScmpCmpEq)
                        .build()?,
                ])
                .build()?,
        );
    }
    for flag in CLONE_NS_FLAGS {
        syscalls.push(
            LinuxSyscallBuilder::default()
                .names(names(&["clone"]))
                .action(LinuxSeccompAction::ScmpActErrno)
                .errno_ret(libc::EPERM as u32)
                .args(vec![
                    LinuxSeccompArgBuilder::default()
                        .index(0usize)
                        .value(*flag)
                        .value_two(*flag)
                        .op(LinuxSeccompOperator::ScmpCmpMaskedEq)
                        .build()?,
                ])
                .build()?,
        );
    }
    LinuxSeccompBuilder::default()
        .default_action(LinuxSeccompAction::ScmpActErrno)
        .default_errno_ret(libc::ENOSYS as u32)
        .architectures(vec![Arch::ScmpArchX86_64])
        .syscalls(syscalls)
        .build()
}

#[derive(Debug, thiserror::Error)]
pub enum SeccompError {
    #[error("seccomp profile: default action {0:?} is not supported (allow or errno)")]
    DefaultAction(LinuxSeccompAction),
    #[error("seccomp profile: action {0:?} is not supported")]
    Action(LinuxSeccompAction),
    #[error("seccomp profile: operator {0:?} is not supported")]
    Operator(LinuxSeccompOperator),
    #[error("compile the seccomp profile: {0}")]
    Compile(String),
}

/// The argument conditions of one profile rule, as one seccompiler rule
/// (`None` when the rule has no conditions: it matches every call).
fn rule_of(sc: &oci_spec::runtime::LinuxSyscall) -> Result<Option<SeccompRule>, SeccompError> {
    let mut conds = Vec::new();
    for a in sc.args().as_deref().unwrap_or_default() {
        let op = match a.op() {
            LinuxSeccompOperator::ScmpCmpEq => SeccompCmpOp::Eq,
            LinuxSeccompOperator::ScmpCmpNe => SeccompCmpOp::Ne,
            LinuxSeccompOperator::ScmpCmpMaskedEq => SeccompCmpOp::MaskedEq(a.value()),
            other => return Err(SeccompError::Operator(other)),
        };
        let value = match a.op() {
            LinuxSeccompOperator::ScmpCmpMaskedEq => a.value_two().unwrap_or(0),
            _ => a.value(),
        };
        conds.push(
            SeccompCondition::new(a.index() as u8, SeccompCmpArgLen::Qword, op, value)
                .map_err(|e| SeccompError::Compile(e.to_string()))?,
        );
    }
    if conds.is_empty() {
        return Ok(None);
    }
    SeccompRule::new(conds)
        .map(Some)
        .map_err(|e| SeccompError::Compile(e.to_string()))
}

/// Add `rule` for `nr` to a seccompiler rule map. A call that matches
/// unconditionally keeps an empty rule list (seccompiler's "always").
fn add_rule(map: &mut BTreeMap<i64, Option<Vec<SeccompRule>>>, nr: i64, rule: Option<SeccompRule>) {
    let entry = map.entry(nr).or_insert_with(|| Some(Vec::new()));
    match (entry.as_mut(), rule) {
        (_, None) => *entry = None,
        (Some(rules), Some(r)) => rules.push(r),
        (None, Some(_)) => {}
    }
}

fn filter(
    map: BTreeMap<i64, Option<Vec<SeccompRule>>>,
    mismatch: SeccompAction,
    matched: SeccompAction,
) -> Result<BpfProgram, SeccompError> {
    let rules = map
        .into_iter()
        .map(|(nr, rules)| (nr, rules.unwrap_or_default()))
        .collect();
    let filter = SeccompFilter::new(rules, mismatch, matched, TargetArch::x86_64)
        .map_err(|e| SeccompError::Compile(e.to_string()))?;
    BpfProgram::try_from(filter).map_err(|e| SeccompError::Compile(e.to_string()))
}

/// Compile a profile into BPF programs, to be loaded in order.
///
/// With a default action of errno (an allow-list), the first program
/// allows the calls the profile allows and the calls it gives an errno
/// unconditionally, and returns the default errno for everything else;
/// then one program per distinct errno returns it for that errno's rules.
/// The kernel runs every loaded filter and takes errno over allow, and
/// among errnos the last loaded one's, so the result is the profile's.
/// Unknown syscall names are skipped, as libseccomp does.
pub fn compile(profile: &LinuxSeccomp) -> Result<Vec<BpfProgram>, SeccompError> {
    let default_errno = match profile.default_action() {
        LinuxSeccompAction::ScmpActAllow => None,
        LinuxSeccompAction::ScmpActErrno => {
            Some(profile.default_errno_ret().unwrap_or(libc::EPERM as u32))
        }
        other => return Err(SeccompError::DefaultAction(other)),
    };
    let mut allowed = BTreeMap::new();
    let mut by_errno: BTreeMap<u32, BTreeMap<i64, Option<Vec<SeccompRule>>>> = BTreeMap::new();
    for sc in profile.syscalls().as_deref().unwrap_or_default() {
        let rule = rule_of(sc)?;
        let numbers = sc.names().iter().filter_map(|n| seccomp_table::number(n));
        match sc.action() {
            LinuxSeccompAction::ScmpActAllow => {
                for nr in numbers {
                    add_rule(&mut allowed, nr, rule.clone());
                }
            }
            LinuxSeccompAction::ScmpActErrno => {
                let errno = sc.errno_ret().unwrap_or(libc::EPERM as u32);
                for nr in numbers {
                    if rule.is_none() {
                        add_rule(&mut allowed, nr, None);
                    }
                    add_rule(by_errno.entry(errno).or_default(), nr, rule.clone());
                }
            }
            other => return Err(SeccompError::Action(other)),
        }
    }
    let mut programs = Vec::new();
    if let Some(errno) = default_errno {
        programs.push(filter(
            allowed,
            SeccompAction::Errno(errno),
            SeccompAction::Allow,
        )?);
    }
    for (errno, rules) in by_errno {
        programs.push(filter(
            rules,
            SeccompAction::Allow,
            SeccompAction::Errno(errno),
        )?);
    }
    Ok(programs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_call_has_a_number_and_no_call_is_both_allowed_and_denied() {
        for n in ALLOWED
            .iter()
            .chain(DENIED)
            .chain(&["clone3", "personality"])
        {
            assert!(seccomp_table::number(n).is_some(), "{n}");
        }
        for n in DENIED {
            assert!(!ALLOWED.contains(n), "{n} is allowed and denied");
        }
        for n in [
            "mount",
            "unshare",
            "setns",
            "keyctl",
            "bpf",
            "io_uring_setup",
            "clone3",
        ] {
            assert!(!ALLOWED.contains(&n), "{n}");
        }
        for n in [
            "read", "execve", "clone", "futex", "openat", "statx", "rseq", "chroot",
        ] {
            assert!(ALLOWED.contains(&n), "{n}");
        }
    }

    #[test]
    fn table_has_unique_names_and_numbers() {
        let mut names: Vec<_> = seccomp_table::X86_64.iter().map(|(n, _)| n).collect();
        let mut nrs: Vec<_> = seccomp_table::X86_64.iter().map(|(_, nr)| nr).collect();
        let (n, r) = (names.len(), nrs.len());
        names.sort();
        names.dedup();
        nrs.sort();
        nrs.dedup();
        assert_eq!((names.len(), nrs.len()), (n, r));
        assert_eq!(seccomp_table::number("read"), Some(0));
        assert_eq!(seccomp_table::number("clone3"), Some(libc::SYS_clone3));
    }

    #[test]
    fn default_profile_compiles_to_an_allow_list_and_two_errno_filters() {
        let p = default_profile().unwrap();
        assert_eq!(p.default_action(), LinuxSeccompAction::ScmpActErrno);
        assert_eq!(p.default_errno_ret(), Some(libc::ENOSYS as u32));
        let progs = compile(&p).unwrap();
        // allow-list (default ENOSYS), EPERM rules, ENOSYS rules (clone3)
        assert_eq!(progs.len(), 3);
        assert!(progs.iter().all(|p| !p.is_empty() && p.len() < 4096));
    }

    #[test]
    fn an_allow_default_profile_still_compiles_as_a_deny_list() {
        let p = LinuxSeccompBuilder::default()
            .default_action(LinuxSeccompAction::ScmpActAllow)
            .syscalls(vec![
                LinuxSyscallBuilder::default()
                    .names(vec!["mount".to_string()])
                    .action(LinuxSeccompAction::ScmpActErrno)
                    .build()
                    .unwrap(),
            ])
            .build()
            .unwrap();
        assert_eq!(compile(&p).unwrap().len(), 1);
    }
}

//! The default seccomp profile (as OCI spec data) and its compilation to
//! BPF with `seccompiler`.
//!
//! Why `seccompiler`: it is pure Rust (no libseccomp C library to link or
//! ship), compiles in-process, and its output is a plain BPF program that
//! `sys::seccomp_load` installs. Loading it ourselves (instead of
//! `seccompiler::apply_filter`) keeps `no_new_privs` optional, as in Podman.
//!
//! The profile denies (EPERM) the system calls that the containers'
//! default profile withholds from a container without CAP_SYS_ADMIN and
//! friends: kernel modules, kexec, keyrings, mount API, namespaces, bpf,
//! perf, clock setting, swap, reboot, handles, userfaultfd; `clone` with
//! namespace flags is denied too, and `clone3` returns ENOSYS so that libc
//! falls back to `clone` where the flags can be checked. Everything else is
//! allowed (a deny list rather than the upstream allow list: see
//! docs/architecture.md).

use std::collections::BTreeMap;

use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompArgBuilder, LinuxSeccompBuilder,
    LinuxSeccompOperator, LinuxSyscallBuilder,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// System calls denied with EPERM by the default profile.
pub const DENIED: &[&str] = &[
    "acct",
    "add_key",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "create_module",
    "delete_module",
    "finit_module",
    "fsconfig",
    "fsmount",
    "fsopen",
    "fspick",
    "get_kernel_syms",
    "init_module",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "mount",
    "mount_setattr",
    "move_mount",
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
    "syslog",
    "sysfs",
    "_sysctl",
    "umount2",
    "unshare",
    "uselib",
    "userfaultfd",
    "ustat",
    "vhangup",
];

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

/// The syscall numbers this profile names (x86_64).
fn syscall_number(name: &str) -> Option<i64> {
    Some(match name {
        "acct" => libc::SYS_acct,
        "add_key" => libc::SYS_add_key,
        "bpf" => libc::SYS_bpf,
        "clock_adjtime" => libc::SYS_clock_adjtime,
        "clock_settime" => libc::SYS_clock_settime,
        "create_module" => 174,
        "delete_module" => libc::SYS_delete_module,
        "finit_module" => libc::SYS_finit_module,
        "fsconfig" => libc::SYS_fsconfig,
        "fsmount" => libc::SYS_fsmount,
        "fsopen" => libc::SYS_fsopen,
        "fspick" => libc::SYS_fspick,
        "get_kernel_syms" => 177,
        "init_module" => libc::SYS_init_module,
        "ioperm" => libc::SYS_ioperm,
        "iopl" => libc::SYS_iopl,
        "kcmp" => libc::SYS_kcmp,
        "kexec_file_load" => libc::SYS_kexec_file_load,
        "kexec_load" => libc::SYS_kexec_load,
        "keyctl" => libc::SYS_keyctl,
        "lookup_dcookie" => libc::SYS_lookup_dcookie,
        "mount" => libc::SYS_mount,
        "mount_setattr" => libc::SYS_mount_setattr,
        "move_mount" => libc::SYS_move_mount,
        "name_to_handle_at" => libc::SYS_name_to_handle_at,
        "nfsservctl" => libc::SYS_nfsservctl,
        "open_by_handle_at" => libc::SYS_open_by_handle_at,
        "open_tree" => libc::SYS_open_tree,
        "perf_event_open" => libc::SYS_perf_event_open,
        "pivot_root" => libc::SYS_pivot_root,
        "query_module" => 178,
        "quotactl" => libc::SYS_quotactl,
        "quotactl_fd" => 443,
        "reboot" => libc::SYS_reboot,
        "request_key" => libc::SYS_request_key,
        "setns" => libc::SYS_setns,
        "settimeofday" => libc::SYS_settimeofday,
        "swapoff" => libc::SYS_swapoff,
        "swapon" => libc::SYS_swapon,
        "syslog" => libc::SYS_syslog,
        "sysfs" => libc::SYS_sysfs,
        "_sysctl" => libc::SYS__sysctl,
        "umount2" => libc::SYS_umount2,
        "unshare" => libc::SYS_unshare,
        "uselib" => libc::SYS_uselib,
        "userfaultfd" => libc::SYS_userfaultfd,
        "ustat" => libc::SYS_ustat,
        "vhangup" => libc::SYS_vhangup,
        "clone" => libc::SYS_clone,
        "clone3" => libc::SYS_clone3,
        _ => return None,
    })
}

/// The default profile as OCI data.
pub fn default_profile() -> Result<LinuxSeccomp, oci_spec::OciSpecError> {
    let mut syscalls = vec![
        LinuxSyscallBuilder::default()
            .names(DENIED.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(libc::EPERM as u32)
            .build()?,
        LinuxSyscallBuilder::default()
            .names(vec!["clone3".to_string()])
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(libc::ENOSYS as u32)
            .build()?,
    ];
    for flag in CLONE_NS_FLAGS {
        syscalls.push(
            LinuxSyscallBuilder::default()
                .names(vec!["clone".to_string()])
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
        .default_action(LinuxSeccompAction::ScmpActAllow)
        .architectures(vec![Arch::ScmpArchX86_64])
        .syscalls(syscalls)
        .build()
}

#[derive(Debug, thiserror::Error)]
pub enum SeccompError {
    #[error("seccomp profile: only a default action of allow is supported")]
    DefaultAction,
    #[error("seccomp profile: action {0:?} is not supported")]
    Action(LinuxSeccompAction),
    #[error("seccomp profile: operator {0:?} is not supported")]
    Operator(LinuxSeccompOperator),
    #[error("compile the seccomp profile: {0}")]
    Compile(String),
}

/// Compile a profile into BPF programs, one per distinct errno action.
/// Unknown syscall names are skipped, as libseccomp does.
pub fn compile(profile: &LinuxSeccomp) -> Result<Vec<BpfProgram>, SeccompError> {
    if profile.default_action() != LinuxSeccompAction::ScmpActAllow {
        return Err(SeccompError::DefaultAction);
    }
    let mut by_errno: BTreeMap<u32, BTreeMap<i64, Vec<SeccompRule>>> = BTreeMap::new();
    for sc in profile.syscalls().as_deref().unwrap_or_default() {
        if sc.action() != LinuxSeccompAction::ScmpActErrno {
            return Err(SeccompError::Action(sc.action()));
        }
        let errno = sc.errno_ret().unwrap_or(libc::EPERM as u32);
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
        let rules = by_errno.entry(errno).or_default();
        for name in sc.names() {
            let Some(nr) = syscall_number(name) else {
                continue;
            };
            let entry = rules.entry(nr).or_default();
            if !conds.is_empty() {
                entry.push(
                    SeccompRule::new(conds.clone())
                        .map_err(|e| SeccompError::Compile(e.to_string()))?,
                );
            }
        }
    }
    by_errno
        .into_iter()
        .map(|(errno, rules)| {
            let filter = SeccompFilter::new(
                rules,
                SeccompAction::Allow,
                SeccompAction::Errno(errno),
                TargetArch::x86_64,
            )
            .map_err(|e| SeccompError::Compile(e.to_string()))?;
            BpfProgram::try_from(filter).map_err(|e| SeccompError::Compile(e.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_denied_name_has_a_number() {
        for n in DENIED {
            assert!(syscall_number(n).is_some(), "{n}");
        }
    }

    #[test]
    fn default_profile_compiles() {
        let p = default_profile().unwrap();
        let progs = compile(&p).unwrap();
        assert_eq!(progs.len(), 2);
        assert!(progs.iter().all(|p| !p.is_empty()));
    }
}

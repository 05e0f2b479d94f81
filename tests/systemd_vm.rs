//! Inside a booted systemd with pure cgroup v2 (the VM rig,
//! `tests/common/vm.rs`), as the lingering unprivileged user: the
//! controllers are delegated, systemd enforces limits on user scopes, the
//! user bus accepts a client from inside a user namespace, and rctl sees
//! all of it. One boot serves every test in this file.

mod common;

use std::sync::OnceLock;

use common::vm::{StepResult, VmJob, VmRun};

fn job() -> VmJob {
    VmJob::new()
        .file("marker", concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .step(
            "session",
            r#"
echo "xdg=$XDG_RUNTIME_DIR"
echo "bus=$DBUS_SESSION_BUS_ADDRESS"
echo "user=$(id -un)"
echo "sigign=$(awk '/^SigIgn:/ { print $2 }' /proc/self/status)"
echo "marker=$(wc -c < "$RCTL_VM_FILES/marker")"
"#,
        )
        .step(
            "cgroup",
            r#"
uid=$(id -u)
echo "fs=$(stat -fc %T /sys/fs/cgroup)"
echo "controllers=$(cat /sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service/cgroup.controllers)"
echo "linger=$(loginctl show-user -P Linger "$uid")"
echo "self=$(cat /proc/self/cgroup)"
"#,
        )
        .step(
            "memory_unlimited",
            "systemd-run --user --scope dd if=/dev/zero of=/dev/null bs=200M count=1",
        )
        .step(
            "memory_limited",
            "systemd-run --user --scope -p MemoryMax=50M -p MemorySwapMax=0 \
             dd if=/dev/zero of=/dev/null bs=200M count=1",
        )
        .step(
            "pids",
            r#"
# A fork loop in a scope limited to 20 tasks; dash gives up at the first
# failed fork. Read the scope's counters while it still lives.
systemd-run --user --scope --unit=rctl-vm-pids -p TasksMax=20 \
  sh -c 'for i in $(seq 40); do sleep 120 & done; wait' >/dev/null 2>"$RCTL_VM_OUT/pids-scope.stderr" &
cg=
for _ in $(seq 150); do
  cg=$(systemctl --user show -P ControlGroup rctl-vm-pids.scope 2>/dev/null)
  if [ -n "$cg" ] && grep -q '^max [1-9]' "/sys/fs/cgroup$cg/pids.events" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
echo "max=$(cat "/sys/fs/cgroup$cg/pids.max")"
echo "current=$(cat "/sys/fs/cgroup$cg/pids.current")"
echo "events=$(cat "/sys/fs/cgroup$cg/pids.events")"
systemctl --user stop rctl-vm-pids.scope
"#,
        )
        .step(
            "busctl_userns",
            "unshare -r sh -c 'echo \"uid=$(id -u)\"; busctl --user call \
             org.freedesktop.systemd1 /org/freedesktop/systemd1 \
             org.freedesktop.DBus.Properties Get ss org.freedesktop.systemd1.Manager Version'",
        )
        .step("rctl_info", "rctl info --format json")
        .step("rctl_check", "rctl check --format json")
}

fn vm() -> Option<&'static VmRun> {
    static RUN: OnceLock<Option<Result<VmRun, String>>> = OnceLock::new();
    match RUN.get_or_init(|| job().run()) {
        None => None,
        Some(Ok(run)) => Some(run),
        Some(Err(e)) => panic!("{e}"),
    }
}

/// The value of a `key=value` line in a step's stdout.
fn field<'a>(step: &'a StepResult, key: &str) -> &'a str {
    step.stdout
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no `{key}=` line in:\n{step}"))
}

#[test]
fn the_job_runs_in_a_logind_session_with_files_from_the_host() {
    let Some(vm) = vm() else { return };
    let s = vm.step("session");
    assert_eq!(s.code, 0, "{s}");
    assert_eq!(field(s, "user"), "rctl-test", "{s}");
    assert!(field(s, "xdg").starts_with("/run/user/"), "{s}");
    assert!(field(s, "bus").starts_with("unix:path=/run/user/"), "{s}");
    // SIGPIPE is not ignored (bookworm's pasta refuses to start if it is).
    let ignored = u64::from_str_radix(field(s, "sigign"), 16).expect("SigIgn mask");
    assert_eq!(ignored & (1 << (13 - 1)), 0, "SIGPIPE ignored:\n{s}");
    let size = std::fs::metadata(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .unwrap()
        .len();
    assert_eq!(
        field(s, "marker"),
        size.to_string(),
        "the file from the host:\n{s}"
    );
}

#[test]
fn the_lingering_user_gets_cgroup_v2_with_every_controller_delegated() {
    let Some(vm) = vm() else { return };
    let s = vm.step("cgroup");
    assert_eq!(s.code, 0, "{s}");
    assert_eq!(field(s, "fs"), "cgroup2fs", "{s}");
    let have: Vec<&str> = field(s, "controllers").split_whitespace().collect();
    for c in ["cpu", "cpuset", "io", "memory", "pids"] {
        assert!(have.contains(&c), "`{c}` not delegated:\n{s}");
    }
    assert_eq!(field(s, "linger"), "yes", "{s}");
    // The job runs in a real logind session of that user.
    assert!(field(s, "self").contains("/session-"), "{s}");
}

#[test]
fn a_memory_limited_user_scope_is_oom_killed() {
    let Some(vm) = vm() else { return };
    let free = vm.step("memory_unlimited");
    assert_eq!(
        free.code, 0,
        "without a limit the allocation succeeds:\n{free}"
    );
    let s = vm.step("memory_limited");
    assert_eq!(s.code, 137, "killed by SIGKILL (OOM):\n{s}");
}

#[test]
fn a_tasks_limited_user_scope_stops_a_fork_loop() {
    let Some(vm) = vm() else { return };
    let s = vm.step("pids");
    assert_eq!(field(s, "max"), "20", "{s}");
    let current: u32 = field(s, "current").parse().expect("pids.current");
    assert!(current <= 20, "{s}");
    let refused: u32 = field(s, "events")
        .strip_prefix("max ")
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pids.events:\n{s}"));
    assert!(refused >= 1, "no fork was refused:\n{s}");
}

/// The EXTERNAL-auth pitfall (shared/DESIGN.md): sd-bus lets the bus take
/// the uid from the socket, so a call from inside `unshare -r` is accepted.
#[test]
fn the_user_bus_accepts_sd_bus_from_inside_a_user_namespace() {
    let Some(vm) = vm() else { return };
    let s = vm.step("busctl_userns");
    assert_eq!(s.code, 0, "{s}");
    assert_eq!(field(s, "uid"), "0", "ran inside the user namespace:\n{s}");
    assert!(s.stdout.contains("v s \""), "systemd's Version:\n{s}");
}

#[test]
fn rctl_info_sees_cgroup_v2_and_the_systemd_manager() {
    let Some(vm) = vm() else { return };
    let s = vm.step("rctl_info");
    assert_eq!(s.code, 0, "{s}");
    let v: serde_json::Value =
        serde_json::from_str(&s.stdout).unwrap_or_else(|e| panic!("{e}:\n{s}"));
    assert_eq!(v["host"]["cgroup_version"], "v2", "{s}");
    assert_eq!(v["host"]["cgroup_manager"], "systemd", "{s}");
    assert_eq!(v["host"]["rootless"], true, "{s}");
}

#[test]
fn rctl_check_reports_delegation_linger_and_the_user_bus_ok() {
    let Some(vm) = vm() else { return };
    let s = vm.step("rctl_check");
    assert_eq!(s.code, 0, "{s}");
    let v: serde_json::Value =
        serde_json::from_str(&s.stdout).unwrap_or_else(|e| panic!("{e}:\n{s}"));
    let finding = |check: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == check)
            .unwrap_or_else(|| panic!("no finding `{check}`:\n{s}"))
            .clone()
    };
    for check in ["cgroups", "linger", "user D-Bus", "XDG_RUNTIME_DIR"] {
        assert_eq!(finding(check)["status"], "ok", "{check}:\n{s}");
    }
    let cgroups = finding("cgroups")["detail"].as_str().unwrap().to_string();
    for c in ["cpu", "cpuset", "io", "memory", "pids"] {
        assert!(cgroups.split_whitespace().any(|w| w == c), "{cgroups}");
    }
}

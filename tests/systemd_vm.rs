//! Inside a booted systemd with pure cgroup v2 (the VM rig,
//! `tests/common/vm.rs`), as the lingering unprivileged user: the
//! controllers are delegated, systemd enforces limits on user scopes, the
//! user bus accepts a client from inside a user namespace, and rctl sees
//! all of it. One boot serves every test in this file.

mod common;

use std::sync::OnceLock;

use common::vm::{StepResult, VmJob, VmRun};

/// The static notify client for the guest's busybox root, built once on
/// the host (`None` after a skip when there is no static C toolchain).
fn notify_client() -> Option<std::path::PathBuf> {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("vm-sdnotify");
    match common::notify_client::build(&out) {
        Ok(()) => Some(out),
        Err(e) => {
            common::missing(&e);
            None
        }
    }
}

fn job() -> VmJob {
    let job = VmJob::new();
    let job = match notify_client() {
        Some(client) => job.file("sdnotify", client),
        None => job,
    };
    job.file("marker", concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
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
        // --- rctl's cgroup managers, limits and units (same boot) ---
        .step("rootfs", ROOTFS)
        .step("rctl_oom", RCTL_OOM)
        .step("rctl_pids_scope", RCTL_PIDS_SCOPE)
        .step("rctl_cpu_update", RCTL_CPU_UPDATE)
        .step("rctl_units", RCTL_UNITS)
        .step("rctl_quadlet", RCTL_QUADLET)
        .step("rctl_notify_container", RCTL_NOTIFY_CONTAINER)
        .step("rctl_cgroupfs", RCTL_CGROUPFS)
}

/// `--sdnotify=container` in a `Type=notify` unit: the unit stays
/// `activating` while the container runs but has not sent READY=1 (it
/// waits for a file the step creates), and is `active` once it has; the
/// monitor is MAINPID. The container runs as a non-root user.
const RCTL_NOTIFY_CONTAINER: &str = r#"
[ -e "$RCTL_VM_FILES/sdnotify" ] || { echo "no notify client" >&2; exit 1; }
cp "$RCTL_VM_FILES/sdnotify" ~/root/bin/sdnotify && chmod 755 ~/root/bin/sdnotify
mkdir -p ~/gate ~/.config/systemd/user
rm -f ~/gate/go
rctl=$(command -v rctl)
cat > ~/.config/systemd/user/ready.service <<UEOF
[Service]
Type=notify
NotifyAccess=all
KillMode=mixed
ExecStartPre=-$rctl rm -f ready
ExecStart=$rctl run -d --name ready --network none --sdnotify=container --user 1000:1000 -v $HOME/gate:/gate --rootfs $HOME/root sh -c 'trap "exit 0" TERM; while [ ! -e /gate/go ]; do sleep 0.2; done; sdnotify READY=1 STATUS=gate-open; echo "notified=\$\$?"; while :; do sleep 1; done'
ExecStop=$rctl stop -t 5 ready
ExecStopPost=-$rctl rm -f ready
UEOF
systemctl --user daemon-reload
systemctl --user start --no-block ready.service
# Wait until the container runs and its monitor is the unit's main pid.
for _ in $(seq 300); do
  mon=$(rctl inspect -f '{{.State.ConmonPid}}' ready 2>/dev/null)
  main=$(systemctl --user show -P MainPID ready.service)
  [ -n "$mon" ] && [ "$mon" != 0 ] && [ "$main" = "$mon" ] && break
  sleep 0.2
done
echo "mainpid_is_monitor=$([ "$main" = "$mon" ] && echo yes || echo "no ($main vs $mon)")"
echo "running=$(rctl inspect -f '{{.State.Status}}' ready)"
echo "before=$(systemctl --user show -P ActiveState ready.service)"
touch ~/gate/go
# Joins the pending start job: returns once the unit is ready.
systemctl --user start ready.service
echo "start=$?"
echo "after=$(systemctl --user show -P ActiveState ready.service)"
echo "status_text=$(systemctl --user show -P StatusText ready.service)"
echo "logs=$(rctl logs ready | tr '\n' ' ')"
systemctl --user stop ready.service
echo "stop=$?"
echo "after_stop=$(systemctl --user show -P ActiveState ready.service)"
echo "result=$(systemctl --user show -P Result ready.service)"
echo "left=$(rctl ps -a --format '{{.Names}}' | grep -c '^ready$')"
"#;

/// The cgroupfs manager inside a `Delegate=yes` unit (its parent slice is
/// the user's): the limit is enforced, the cgroup removed afterwards; and
/// `none` refuses a limit even here.
const RCTL_CGROUPFS: &str = r#"
systemd-run --user --wait --pipe --quiet -p Delegate=yes "$(command -v rctl)" \
  --cgroup-manager cgroupfs run --name cgfs --network none --memory 50m --memory-swap 50m \
  --rootfs "$HOME/root" sh -c 'dd if=/dev/zero of=/dev/null bs=200M count=1'
echo "code=$?"
echo "oom=$(rctl inspect -f '{{.State.OOMKilled}}' cgfs)"
echo "manager=$(rctl inspect -f '{{.HostConfig.CgroupManager}}' cgfs)"
cg=$(rctl inspect -f '{{.State.CgroupPath}}' cgfs)
echo "cg=$cg"
echo "removed=$([ -e "/sys/fs/cgroup$cg" ] && echo no || echo yes)"
rctl --cgroup-manager none run --rm --network none --memory 50m --rootfs ~/root true
echo "none_code=$?"
"#;

/// A busybox root filesystem in ~/root (the guest has busybox-static).
const ROOTFS: &str = r#"
set -e
mkdir -p ~/root/bin ~/root/etc ~/root/tmp ~/root/root
cp /bin/busybox ~/root/bin/
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox ~/root/bin/$a; done
echo 'root:x:0:0:root:/root:/bin/sh' > ~/root/etc/passwd
echo 'root:x:0:' > ~/root/etc/group
rctl run --rm --network none --rootfs ~/root echo rootfs-ok
"#;

/// `--memory 50m` on a 200 MB allocation: OOM-killed, recorded.
const RCTL_OOM: &str = r#"
rctl run --name oom --network none --memory 50m --memory-swap 50m --rootfs ~/root \
  sh -c 'dd if=/dev/zero of=/dev/null bs=200M count=1'
echo "code=$?"
echo "oom=$(rctl inspect -f '{{.State.OOMKilled}}' oom)"
rctl run --name fits --network none --memory 300m --rootfs ~/root \
  sh -c 'dd if=/dev/zero of=/dev/null bs=200M count=1'
echo "fits_code=$?"
echo "fits_oom=$(rctl inspect -f '{{.State.OOMKilled}}' fits)"
"#;

/// `--pids-limit 20` against a fork loop, and where the container's
/// cgroup is: a delegated scope of the user's manager.
const RCTL_PIDS_SCOPE: &str = r#"
# ash gives up (status 2, "can't fork") at the first refused fork.
rctl run --rm --network none --pids-limit 20 --rootfs ~/root \
  sh -c 'for i in $(seq 40); do sleep 300 & done; echo spawned'
echo "forks_code=$?"
rctl run --rm --network none --pids-limit 60 --rootfs ~/root \
  sh -c 'for i in $(seq 40); do sleep 300 & done; echo spawned'
echo "forks_ok_code=$?"
id=$(rctl run -d --name pids --network none --pids-limit 20 --rootfs ~/root sleep 300)
echo "id=$id"
pid=$(rctl inspect -f '{{.State.Pid}}' pids)
cg=$(rctl inspect -f '{{.State.CgroupPath}}' pids)
echo "proc=$(grep '^0::' /proc/$pid/cgroup)"
echo "cg=$cg"
echo "max=$(cat /sys/fs/cgroup$cg/pids.max)"
echo "current=$(cat /sys/fs/cgroup$cg/pids.current)"
echo "events=$(cat /sys/fs/cgroup$cg/pids.events)"
echo "delegate=$(systemctl --user show -P Delegate rctl-$id.scope)"
echo "manager=$(rctl inspect -f '{{.HostConfig.CgroupManager}}' pids)"
# An exec'd process joins the container's scope (from this login session:
# systemd moves it through the system manager) and `top` lists it.
rctl exec -d pids sleep 301
echo "exec_code=$?"
xp=
for _ in $(seq 100); do xp=$(pgrep -f '^sleep 301$' | head -n 1); [ -n "$xp" ] && break; sleep 0.1; done
echo "exec_proc=$(grep '^0::' /proc/$xp/cgroup)"
echo "top_exec=$(rctl top pids | grep -c 'sleep 301')"
rctl rm -f pids >/dev/null
# The default pids limit (Podman's 2048) applies when a manager is active.
rctl create --name dflt --network none --rootfs ~/root true >/dev/null
echo "default_pids=$(rctl inspect -f '{{.HostConfig.PidsLimit}}' dflt)"
"#;

/// `--cpus 0.5` caps a busy loop in `stats`; `update` changes the
/// limits of the running container's scope.
const RCTL_CPU_UPDATE: &str = r#"
rctl run -d --name cpu --network none --cpus 0.5 --rootfs ~/root sh -c 'while :; do :; done' >/dev/null
sleep 2
rctl stats --no-stream --format json cpu > "$RCTL_VM_OUT/stats.json"
echo "stats=$(tr -d ' \n' < "$RCTL_VM_OUT/stats.json")"
cg=$(rctl inspect -f '{{.State.CgroupPath}}' cpu)
echo "cpu_max=$(cat /sys/fs/cgroup$cg/cpu.max)"
rctl update --cpus 1 --memory 64m cpu >/dev/null
echo "update=$?"
echo "cpu_max_after=$(cat /sys/fs/cgroup$cg/cpu.max)"
echo "memory_max_after=$(cat /sys/fs/cgroup$cg/memory.max)"
echo "table=$(rctl stats --no-stream | head -n 1 | tr -s ' ')"
rctl rm -f cpu >/dev/null
"#;

/// A generated `--new` unit: `systemctl --user start` returns (notify)
/// once the container runs; stop removes it.
const RCTL_UNITS: &str = r#"
mkdir -p ~/.config/systemd/user
rctl create --name web --network none --stop-timeout 5 --rootfs ~/root \
  sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' >/dev/null
(cd ~/.config/systemd/user && rctl generate systemd --new --name --files web)
cp ~/.config/systemd/user/container-web.service "$RCTL_VM_OUT/container-web.service"
rctl rm web >/dev/null
systemctl --user daemon-reload
systemctl --user start container-web.service
echo "start=$?"
# Right when start returns (Type=notify): active, and the container runs.
echo "active=$(systemctl --user show -P ActiveState container-web.service)"
echo "status=$(rctl inspect -f '{{.State.Status}}' web)"
main=$(systemctl --user show -P MainPID container-web.service)
mon=$(rctl inspect -f '{{.State.ConmonPid}}' web)
echo "mainpid_is_monitor=$([ "$main" = "$mon" ] && echo yes || echo "no ($main vs $mon)")"
pid=$(rctl inspect -f '{{.State.Pid}}' web)
echo "scope=$(grep '^0::' /proc/$pid/cgroup)"
systemctl --user stop container-web.service
echo "stop=$?"
echo "after_stop=$(systemctl --user show -P ActiveState container-web.service)"
echo "result=$(systemctl --user show -P Result container-web.service)"
echo "left=$(rctl ps -a --format '{{.Names}}' | grep -c '^web$')"
"#;

/// A Quadlet `.container` file through rctl as a systemd user generator
/// (linked in /usr/local/lib/systemd/user-generators by the image):
/// it restarts on failure and stops cleanly.
const RCTL_QUADLET: &str = r#"
mkdir -p ~/.config/containers/systemd
cat > ~/.config/containers/systemd/flaky.container <<QEOF
[Unit]
Description=fails after a second
[Container]
Rootfs=$HOME/root
Network=none
Exec=sh -c 'echo up; sleep 1; exit 3'
[Service]
Restart=on-failure
RestartSec=1
QEOF
cat > ~/.config/containers/systemd/steady.container <<QEOF
[Container]
Rootfs=$HOME/root
ContainerName=steady
Network=none
StopTimeout=5
Exec=sh -c 'trap "exit 0" TERM; while :; do sleep 1; done'
QEOF
systemctl --user daemon-reload
systemctl --user cat flaky.service > "$RCTL_VM_OUT/flaky.service" 2>&1
echo "generated=$(systemctl --user show -P LoadState flaky.service)"
systemctl --user start flaky.service
echo "flaky_start=$?"
restarts=0
for _ in $(seq 120); do
  restarts=$(systemctl --user show -P NRestarts flaky.service)
  [ "$restarts" -ge 2 ] && break
  sleep 0.5
done
echo "restarts=$restarts"
systemctl --user stop flaky.service
systemctl --user start steady.service
echo "steady_start=$?"
echo "steady_active=$(systemctl --user show -P ActiveState steady.service)"
echo "steady_status=$(rctl inspect -f '{{.State.Status}}' steady)"
systemctl --user stop steady.service
echo "steady_stop=$?"
echo "steady_after=$(systemctl --user show -P ActiveState steady.service)"
echo "steady_result=$(systemctl --user show -P Result steady.service)"
echo "left=$(rctl ps -a --format '{{.Names}}' | grep -c -e '^steady$' -e '^systemd-flaky$')"
"#;

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

// --- rctl's cgroup managers, limits and units ---

fn ok_step<'a>(vm: &'a VmRun, name: &str) -> &'a StepResult {
    let s = vm.step(name);
    assert_eq!(s.code, 0, "{s}");
    s
}

#[test]
fn rctl_memory_limit_oom_kills_and_inspect_says_so() {
    let Some(vm) = vm() else { return };
    assert!(ok_step(vm, "rootfs").stdout.contains("rootfs-ok"));
    let s = ok_step(vm, "rctl_oom");
    assert_eq!(field(s, "code"), "137", "killed by SIGKILL:\n{s}");
    assert_eq!(field(s, "oom"), "true", "{s}");
    // The same allocation under a larger limit succeeds and is no OOM.
    assert_eq!(field(s, "fits_code"), "0", "{s}");
    assert_eq!(field(s, "fits_oom"), "false", "{s}");
}

#[test]
fn rctl_pids_limit_stops_a_fork_loop_in_a_delegated_user_scope() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_pids_scope");
    let before = s.stdout.split("forks_code=").next().unwrap();
    assert!(!before.contains("spawned"), "the loop finished:\n{s}");
    assert_ne!(field(s, "forks_code"), "0", "{s}");
    assert!(s.stderr.contains("can't fork"), "{s}");
    assert_eq!(
        field(s, "forks_ok_code"),
        "0",
        "a higher limit lets it finish:\n{s}"
    );
    let id = field(s, "id");
    let scope = format!("/user.slice/user-1000.slice/user@1000.service/app.slice/rctl-{id}.scope");
    assert_eq!(field(s, "cg"), scope, "{s}");
    assert_eq!(field(s, "proc"), format!("0::{scope}"), "{s}");
    assert_eq!(field(s, "max"), "20", "{s}");
    assert_eq!(field(s, "delegate"), "yes", "{s}");
    assert_eq!(field(s, "manager"), "systemd", "{s}");
    assert_eq!(field(s, "exec_code"), "0", "{s}");
    assert_eq!(field(s, "exec_proc"), format!("0::{scope}"), "{s}");
    assert_eq!(field(s, "top_exec"), "1", "{s}");
    assert!(!s.stderr.contains("outside the cgroup"), "{s}");
    assert_eq!(field(s, "default_pids"), "2048", "Podman's default:\n{s}");
}

#[test]
fn rctl_cpus_caps_a_busy_loop_and_update_changes_running_limits() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_cpu_update");
    let stats: serde_json::Value =
        serde_json::from_str(field(s, "stats")).unwrap_or_else(|e| panic!("{e}:\n{s}"));
    let cpu = stats[0]["cpu_percent"].as_f64().unwrap();
    // Capped near 50% of one CPU (an unloaded loop takes 100%); the
    // emulated guest may get less, never more.
    assert!(cpu > 5.0 && cpu <= 60.0, "cpu {cpu}%:\n{s}");
    assert!(stats[0]["pids"].as_u64().unwrap() >= 1, "{s}");
    assert!(stats[0]["mem_usage"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(field(s, "cpu_max"), "50000 100000", "{s}");
    assert_eq!(field(s, "update"), "0", "{s}");
    assert_eq!(field(s, "cpu_max_after"), "100000 100000", "{s}");
    assert_eq!(
        field(s, "memory_max_after"),
        (64u64 << 20).to_string(),
        "{s}"
    );
    assert!(
        field(s, "table").starts_with("ID NAME CPU % MEM USAGE / LIMIT"),
        "{s}"
    );
}

#[test]
fn rctl_generated_notify_unit_is_active_once_the_container_runs_and_stops_cleanly() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_units");
    assert_eq!(field(s, "start"), "0", "{s}");
    assert_eq!(field(s, "active"), "active", "{s}");
    assert_eq!(field(s, "status"), "running", "{s}");
    assert_eq!(field(s, "mainpid_is_monitor"), "yes", "{s}");
    // The container stays in its own scope; the monitor serves the unit.
    assert!(field(s, "scope").contains("/app.slice/rctl-"), "{s}");
    assert_eq!(field(s, "stop"), "0", "{s}");
    assert_eq!(field(s, "after_stop"), "inactive", "{s}");
    assert_eq!(field(s, "result"), "success", "{s}");
    assert_eq!(field(s, "left"), "0", "removed at stop:\n{s}");
}

#[test]
fn rctl_quadlet_files_become_units_that_restart_on_failure_and_stop_cleanly() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_quadlet");
    assert_eq!(field(s, "generated"), "loaded", "{s}");
    assert_eq!(field(s, "flaky_start"), "0", "{s}");
    let restarts: u32 = field(s, "restarts").parse().unwrap_or(0);
    assert!(restarts >= 2, "{s}");
    assert_eq!(field(s, "steady_start"), "0", "{s}");
    assert_eq!(field(s, "steady_active"), "active", "{s}");
    assert_eq!(field(s, "steady_status"), "running", "{s}");
    assert_eq!(field(s, "steady_stop"), "0", "{s}");
    assert_eq!(field(s, "steady_after"), "inactive", "{s}");
    assert_eq!(field(s, "steady_result"), "success", "{s}");
    assert_eq!(field(s, "left"), "0", "{s}");
}

#[test]
fn rctl_cgroupfs_manager_enforces_limits_in_a_delegated_subtree() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_cgroupfs");
    assert_eq!(field(s, "code"), "137", "{s}");
    assert_eq!(field(s, "oom"), "true", "{s}");
    assert_eq!(field(s, "manager"), "cgroupfs", "{s}");
    let cg = field(s, "cg");
    assert!(cg.contains("/user@1000.service/app.slice/rctl-"), "{s}");
    assert!(!cg.ends_with(".scope"), "not a systemd scope:\n{s}");
    assert_eq!(field(s, "removed"), "yes", "{s}");
    assert_eq!(field(s, "none_code"), "125", "{s}");
    assert!(
        s.stderr
            .contains("--memory needs the cgroup controller `memory`"),
        "{s}"
    );
}

#[test]
fn rctl_sdnotify_container_unit_is_active_only_after_the_container_sends_ready() {
    let Some(vm) = vm() else { return };
    let s = ok_step(vm, "rctl_notify_container");
    assert_eq!(field(s, "mainpid_is_monitor"), "yes", "{s}");
    assert_eq!(field(s, "running"), "running", "{s}");
    // The container runs, but has not said READY=1 yet.
    assert_eq!(field(s, "before"), "activating", "{s}");
    assert_eq!(field(s, "start"), "0", "{s}");
    assert_eq!(field(s, "after"), "active", "{s}");
    assert_eq!(
        field(s, "status_text"),
        "gate-open",
        "relayed STATUS=:\n{s}"
    );
    assert!(field(s, "logs").contains("notified=0"), "{s}");
    assert_eq!(field(s, "stop"), "0", "{s}");
    assert_eq!(field(s, "after_stop"), "inactive", "{s}");
    assert_eq!(field(s, "result"), "success", "{s}");
    assert_eq!(field(s, "left"), "0", "removed at stop:\n{s}");
}

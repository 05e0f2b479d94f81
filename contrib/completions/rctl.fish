# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rctl_global_optspecs
    string join \n root= runroot= log-level= storage-driver= cgroup-manager= h/help V/version
end

function __fish_rctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rctl_using_subcommand
    set -l cmd (__fish_rctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rctl -n "__fish_rctl_needs_command" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_needs_command" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_needs_command" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_needs_command" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_needs_command" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_needs_command" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "version" -d 'Show rctl\'s version'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "info" -d 'Show how rctl sees this host: namespaces, id maps, storage, helpers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "check" -d 'Diagnose this host for rootless containers; each problem comes with its fix'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "unshare" -d 'Run a command (default: your shell) inside rctl\'s user and mount namespace'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "images" -d 'List images'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "rmi" -d 'Remove images (a name only, when the image has other names)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "tag" -d 'Add names to an image'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "untag" -d 'Remove names from an image'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "import" -d 'Turn a root filesystem tarball into an image'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "history" -d 'Show how an image was built'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "save" -d 'Write images to an archive (docker-archive or oci-archive)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "load" -d 'Read images from a docker-archive or oci-archive'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "login" -d 'Store credentials for a registry (auth.json, shared with Podman)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "logout" -d 'Remove stored credentials for a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "image" -d 'Manage images'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "network" -d 'Manage user-defined networks'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "run" -d 'Create and start a container'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "start" -d 'Start created or stopped containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "ps" -d 'List containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "list" -d 'List containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "stop" -d 'Stop containers: the stop signal, then SIGKILL after a timeout'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "kill" -d 'Send a signal to containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "rm" -d 'Remove containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "wait" -d 'Wait for containers to exit and print their exit codes'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "logs" -d 'Print a container\'s output'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "exec" -d 'Run a command in a running container'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "inspect" -d 'Show containers\' configuration and state as JSON'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "rename" -d 'Rename a container'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "restart" -d 'Stop and start containers again'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "top" -d 'Show the processes of a running container'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "port" -d 'List a running container\'s published ports'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "cp" -d 'Copy files between a container and the host (`CONTAINER:PATH`)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "attach" -d 'Attach to a running container\'s output (and input with -i/-t)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "export" -d 'Write a container\'s filesystem as a tar archive'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "commit" -d 'Create an image from a container\'s changes'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "container" -d 'Container management (`prune`)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "volume" -d 'Manage volumes: create, ls, inspect, rm, prune'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "healthcheck" -d 'Run containers\' healthchecks (`run`)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "system" -d 'Manage rctl\'s storage and namespace (df, prune, reset, migrate, check)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "events" -d 'Show container and image events (create, start, stop, died, remove, pull, push, tag, untag)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "build" -d 'Build an image from a Containerfile or Dockerfile'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "kube" -d 'Kubernetes YAML: generate it from containers, play it, take it down'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "container-monitor" -d 'The per-container monitor (internal)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "update" -d 'Change the resource limits of containers'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "stats" -d 'Show containers\' resource use: CPU, memory, pids, block and network I/O'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "generate" -d 'Generate systemd units (for a container, or from Quadlet-style files)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "pod" -d 'Manage pods (containers sharing network, IPC and UTS namespaces)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "network-infra" -d 'The holder of the user-defined networks\' namespace (internal)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "pod-infra" -d 'A pod\'s infra process (internal)'
complete -c rctl -n "__fish_rctl_using_subcommand version" -s f -l format -d 'Output format: `json` or a Go template such as `{{.host.rootless}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand version" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand version" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand version" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand version" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand version" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand version" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand info" -s f -l format -d 'Output format: `json` or a Go template such as `{{.host.rootless}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand info" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand info" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand info" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand info" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand info" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand info" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand check" -s f -l format -d 'Output format: `json` or a Go template such as `{{.host.rootless}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand check" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand check" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand check" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand check" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand check" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand check" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand unshare" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l tls-verify -d 'Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l platform -d 'Platform to pull from a multi-platform image: OS/ARCH[/VARIANT]' -r
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l arch -d 'Architecture to pull from a multi-platform image' -r
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand push" -l tls-verify -d 'Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)' -r
complete -c rctl -n "__fish_rctl_using_subcommand push" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand push" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand push" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand push" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand push" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand push" -s q -l quiet -d 'Print nothing but errors'
complete -c rctl -n "__fish_rctl_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand push" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s f -l format -d 'Output format: `json`' -r
complete -c rctl -n "__fish_rctl_using_subcommand images" -l filter -d 'Filters: `dangling=true|false`, `reference=PATTERN`' -r
complete -c rctl -n "__fish_rctl_using_subcommand images" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand images" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand images" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand images" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand images" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand images" -s q -l quiet -d 'Print only image IDs'
complete -c rctl -n "__fish_rctl_using_subcommand images" -l digests -d 'Show manifest digests'
complete -c rctl -n "__fish_rctl_using_subcommand images" -l no-trunc -d 'Show untruncated IDs'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s f -l force -d 'Remove even when containers use the image'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand untag" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand untag" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand untag" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand untag" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand untag" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand untag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand untag" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand import" -s c -l change -d 'Config instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL' -r
complete -c rctl -n "__fish_rctl_using_subcommand import" -s m -l message -d 'A comment for the image history' -r
complete -c rctl -n "__fish_rctl_using_subcommand import" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand import" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand import" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand import" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand import" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand import" -s q -l quiet -d 'Print only the image ID'
complete -c rctl -n "__fish_rctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand history" -s f -l format -d 'Output format: `json`' -r
complete -c rctl -n "__fish_rctl_using_subcommand history" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand history" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand history" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand history" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand history" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand history" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand save" -l format -d 'Archive format' -r -f -a "oci-archive\t''
docker-archive\t''"
complete -c rctl -n "__fish_rctl_using_subcommand save" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand save" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand save" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand save" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand save" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s i -l input -d 'Read from FILE instead of stdin (oci-archive or docker-archive)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand load" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand load" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand load" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand load" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand load" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand load" -s q -l quiet -d 'Print only image IDs'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s u -l username -r
complete -c rctl -n "__fish_rctl_using_subcommand login" -s p -l password -r
complete -c rctl -n "__fish_rctl_using_subcommand login" -l tls-verify -d 'Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)' -r
complete -c rctl -n "__fish_rctl_using_subcommand login" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand login" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand login" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand login" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand login" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "pull" -d 'Pull an image from a registry'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "push" -d 'Push an image to a registry'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "ls" -d 'List images'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "rm" -d 'Remove images'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "tag" -d 'Add names to an image'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "untag" -d 'Remove names from an image'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "inspect" -d 'Show images\' records as JSON'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "history" -d 'Show how an image was built'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "prune" -d 'Remove unnamed (or, with -a, unused) images'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "import" -d 'Turn a root filesystem tarball into an image'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "save" -d 'Write images to an archive'
complete -c rctl -n "__fish_rctl_using_subcommand image; and not __fish_seen_subcommand_from pull push ls rm tag untag inspect history prune import save load" -f -a "load" -d 'Read images from an archive'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Platform to pull from a multi-platform image: OS/ARCH[/VARIANT]' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Architecture to pull from a multi-platform image' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS with a verified certificate (false: unverified HTTPS, or plain HTTP)' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print nothing but errors'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l format -d 'Output format: `json`' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l filter -d 'Filters: `dangling=true|false`, `reference=PATTERN`' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only image IDs'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show manifest digests'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Show untruncated IDs'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove even when containers use the image'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from untag" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -s f -l format -d 'Output format: `json`' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove every image no container uses, not only unnamed ones'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask (rctl never asks; accepted for compatibility)'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Config instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'A comment for the image history' -r
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only the image ID'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format' -r -f -a "oci-archive\t''
docker-archive\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from FILE instead of stdin (oci-archive or docker-archive)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Print only image IDs'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "create" -d 'Create a user-defined network (containers on it reach each other by name)'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "ls" -d 'List user-defined networks'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "list" -d 'List user-defined networks'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "inspect" -d 'Show networks as JSON (with their containers)'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "rm" -d 'Remove networks (refused while a container uses one, unless -f)'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "prune" -d 'Remove every network no container uses'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "attach-debug" -d 'Attach a network to the namespace of PID and print the handle (debugging; hidden)'
complete -c rctl -n "__fish_rctl_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm prune attach-debug detach-debug" -f -a "detach-debug" -d 'Stop the helper of a handle printed by attach-debug (debugging; hidden)'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l subnet -d 'IPv4 subnet (default: the first free 10.89.N.0/24)' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the names'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the names'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove the containers that use the network too'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l pid -d 'A process in the network namespace to connect' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l name -d 'Container name for /etc/hosts' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l network -d 'Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME, or the name of a user-defined network (default: pasta when installed, else slirp4netns)' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -s p -l publish -d 'Publish a container port: [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp]' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l dns -d 'DNS server for the container (replaces the host\'s; `none` writes no resolv.conf)' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l dns-search -d 'DNS search domain (replaces the host\'s; `.` for none)' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l dns-option -d 'resolv.conf option (replaces the host\'s), e.g. ndots:2' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l add-host -d 'Extra /etc/hosts entry NAME:IP (NAME1;NAME2:IP, NAME:host-gateway)' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l network-alias -d 'Another name of the container on its user-defined network' -r
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -s P -l publish-all -d 'Publish every port the image EXPOSEs on a random host port'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from attach-debug" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network; and __fish_seen_subcommand_from detach-debug" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s a -l attach -d 'Attach only these streams (stdin, stdout, stderr; repeatable); the others go to the log only' -r -f -a "stdin\t''
stdout\t''
stderr\t''"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l pull -d 'When to pull the image: `missing` (default), `always`, `never`' -r -f -a "missing\t'Pull only when the image is not in the store'
always\t'Always pull (a newer image under the same name replaces the name)'
never\t'Never pull; a missing image is an error'"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l rootfs-layers -d 'Layer directories (lowest first, comma-separated) stacked with overlayfs as the root filesystem' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand run" -s e -l env -d 'Set an environment variable (`KEY=VALUE`, or `KEY` to copy it from rctl\'s environment)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l env-file -d 'Read environment variables from a file (`KEY=VALUE` lines)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -s u -l user -d 'User (`uid[:gid]` or names from the container\'s /etc/passwd)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l entrypoint -d 'Override the image\'s ENTRYPOINT (`""` clears it; a JSON array is accepted)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l hostname -d 'Container host name' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cap-add -d 'Add a capability (`ALL` for all)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cap-drop -d 'Drop a capability (`ALL` for all)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l security-opt -d 'Security options: `seccomp=unconfined`, `no-new-privileges`' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l network -d 'Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME, or the name of a user-defined network (default: pasta when installed, else slirp4netns)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -s p -l publish -d 'Publish a container port: [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp]' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l dns -d 'DNS server for the container (replaces the host\'s; `none` writes no resolv.conf)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l dns-search -d 'DNS search domain (replaces the host\'s; `.` for none)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l dns-option -d 'resolv.conf option (replaces the host\'s), e.g. ndots:2' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l add-host -d 'Extra /etc/hosts entry NAME:IP (NAME1;NAME2:IP, NAME:host-gateway)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l network-alias -d 'Another name of the container on its user-defined network' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l ulimit -d 'Resource limit `NAME=SOFT[:HARD]` (e.g. `nofile=1024:2048`; `-1` is unlimited)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l runtime -d 'OCI runtime to run the container with (`runc`, or a path); default: rctl\'s own' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -s v -l volume -d 'Mount a host directory, a named or an anonymous volume: `HOST-DIR:CTR-DIR[:OPTS]`, `NAME:CTR-DIR[:OPTS]`, `CTR-DIR` (options: ro, rw, z, Z, U, nosuid, nodev, noexec, nocopy, [r]bind, [r]private, [r]shared, [r]slave)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l mount -d 'Attach a mount: `type=bind|volume|tmpfs,source=…,target=…[,readonly,…]`' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l tmpfs -d 'Mount a tmpfs: `CTR-DIR[:size=64m,mode=1777,exec,…]` (nosuid, nodev, and noexec unless `exec`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l volumes-from -d 'Mount the volumes and bind mounts of another container (`:ro` or `:rw` overrides their mode)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /tmp, /var/tmp and /run (default true)' -r -f -a "true\t''
false\t''"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l shm-size -d 'Size of /dev/shm (e.g. 64m; units b, k, m, g)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -s m -l memory -d 'Memory limit (e.g. 512m, 2g)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: twice --memory)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l memory-reservation -d 'Memory soft limit (kept under memory pressure)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cpus -d 'Number of CPUs the container may use (e.g. 0.5)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cpu-shares -d 'CPU shares, relative weight (cgroup v1 scale 2-262144)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cpu-weight -d 'CPU weight (cgroup v2 scale 1-10000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cpuset-cpus -d 'CPUs the container may run on (e.g. 0-2,4)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l pids-limit -d 'Maximum number of processes (-1: unlimited; default 2048 when a cgroup manager is active)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l blkio-weight -d 'Block I/O weight (10-1000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l sdnotify -d 'How a `Type=notify` systemd unit learns that the container is up: the monitor sends READY=1 (`conmon`), the container sends it itself (`container`), or nothing is sent (`ignore`)' -r -f -a "conmon\t'The monitor, once the container runs (and MAINPID is the monitor)'
container\t'The container\'s own process (NOTIFY_SOCKET names a socket the monitor mounts in and relays from; the monitor is MAINPID)'
ignore\t'Nobody'"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l log-driver -d 'Log driver: k8s-file (default, or `containers.log_driver` in rctl.toml), json-file, journald, none, passthrough' -r -f -a "k8s-file\t'Podman\'s `TIMESTAMP STREAM F|P LINE` file (the default)'
json-file\t'Docker\'s JSON lines (`{"log":…,"stream":…,"time":…}`)'
journald\t'The systemd journal, over its native socket'
none\t'Nothing is kept'
passthrough\t'The container writes to the caller\'s stdout/stderr directly (attached runs only); nothing is kept'"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l log-opt -d 'Log driver option `KEY=VALUE`: max-size, max-file (rotation), path, tag, labels, env (json-file); comma-separated or repeated' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l restart -d 'Restart policy carried out by the monitor: no, on-failure[:N], always, unless-stopped' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-cmd -d 'Healthcheck command run in the container (a shell line, a JSON array, or `none`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-interval -d 'Time between healthchecks (e.g. 30s; `disable` runs them only by `rctl healthcheck run`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-timeout -d 'Time a healthcheck may take before it counts as failed' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-retries -d 'Consecutive failures that make the container unhealthy' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-start-period -d 'Time after the start during which failures do not count' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l health-on-failure -d 'What the monitor does when the container turns unhealthy' -r -f -a "none\t''
kill\t'SIGKILL (the restart policy still applies)'
restart\t'SIGKILL and start again'
stop\t'Stop for good (as `rctl stop`)'"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l pod -d 'Join a pod (its network, IPC and UTS namespaces); `new:NAME` creates it' -r
complete -c rctl -n "__fish_rctl_using_subcommand run" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand run" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand run" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand run" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand run" -s d -l detach -d 'Run in the background and print the container id'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l rootfs -d 'The first argument is a root filesystem directory, not an image (`DIR:O` mounts an overlay over it and keeps DIR unchanged)'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l privileged -d 'Give the container every capability and no seccomp, masks or read-only paths'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l init -d 'Run a minimal init as PID 1 that reaps zombies and forwards signals'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s t -l tty -d 'Allocate a terminal'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s i -l interactive -d 'Keep stdin open'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s P -l publish-all -d 'Publish every port the image EXPOSEs on a random host port'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l read-only -d 'Mount the root filesystem read-only'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l rm -d 'Remove the container when it exits'
complete -c rctl -n "__fish_rctl_using_subcommand run" -l no-healthcheck -d 'Disable the image\'s healthcheck'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand run" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l pull -d 'When to pull the image: `missing` (default), `always`, `never`' -r -f -a "missing\t'Pull only when the image is not in the store'
always\t'Always pull (a newer image under the same name replaces the name)'
never\t'Never pull; a missing image is an error'"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l rootfs-layers -d 'Layer directories (lowest first, comma-separated) stacked with overlayfs as the root filesystem' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand create" -s e -l env -d 'Set an environment variable (`KEY=VALUE`, or `KEY` to copy it from rctl\'s environment)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l env-file -d 'Read environment variables from a file (`KEY=VALUE` lines)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -s u -l user -d 'User (`uid[:gid]` or names from the container\'s /etc/passwd)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l entrypoint -d 'Override the image\'s ENTRYPOINT (`""` clears it; a JSON array is accepted)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l hostname -d 'Container host name' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cap-add -d 'Add a capability (`ALL` for all)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cap-drop -d 'Drop a capability (`ALL` for all)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l security-opt -d 'Security options: `seccomp=unconfined`, `no-new-privileges`' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l network -d 'Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME, or the name of a user-defined network (default: pasta when installed, else slirp4netns)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -s p -l publish -d 'Publish a container port: [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp]' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l dns -d 'DNS server for the container (replaces the host\'s; `none` writes no resolv.conf)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l dns-search -d 'DNS search domain (replaces the host\'s; `.` for none)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l dns-option -d 'resolv.conf option (replaces the host\'s), e.g. ndots:2' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l add-host -d 'Extra /etc/hosts entry NAME:IP (NAME1;NAME2:IP, NAME:host-gateway)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l network-alias -d 'Another name of the container on its user-defined network' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l ulimit -d 'Resource limit `NAME=SOFT[:HARD]` (e.g. `nofile=1024:2048`; `-1` is unlimited)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l runtime -d 'OCI runtime to run the container with (`runc`, or a path); default: rctl\'s own' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -s v -l volume -d 'Mount a host directory, a named or an anonymous volume: `HOST-DIR:CTR-DIR[:OPTS]`, `NAME:CTR-DIR[:OPTS]`, `CTR-DIR` (options: ro, rw, z, Z, U, nosuid, nodev, noexec, nocopy, [r]bind, [r]private, [r]shared, [r]slave)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l mount -d 'Attach a mount: `type=bind|volume|tmpfs,source=…,target=…[,readonly,…]`' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l tmpfs -d 'Mount a tmpfs: `CTR-DIR[:size=64m,mode=1777,exec,…]` (nosuid, nodev, and noexec unless `exec`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l volumes-from -d 'Mount the volumes and bind mounts of another container (`:ro` or `:rw` overrides their mode)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /tmp, /var/tmp and /run (default true)' -r -f -a "true\t''
false\t''"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l shm-size -d 'Size of /dev/shm (e.g. 64m; units b, k, m, g)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -s m -l memory -d 'Memory limit (e.g. 512m, 2g)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: twice --memory)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l memory-reservation -d 'Memory soft limit (kept under memory pressure)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cpus -d 'Number of CPUs the container may use (e.g. 0.5)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cpu-shares -d 'CPU shares, relative weight (cgroup v1 scale 2-262144)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cpu-weight -d 'CPU weight (cgroup v2 scale 1-10000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cpuset-cpus -d 'CPUs the container may run on (e.g. 0-2,4)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l pids-limit -d 'Maximum number of processes (-1: unlimited; default 2048 when a cgroup manager is active)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l blkio-weight -d 'Block I/O weight (10-1000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l sdnotify -d 'How a `Type=notify` systemd unit learns that the container is up: the monitor sends READY=1 (`conmon`), the container sends it itself (`container`), or nothing is sent (`ignore`)' -r -f -a "conmon\t'The monitor, once the container runs (and MAINPID is the monitor)'
container\t'The container\'s own process (NOTIFY_SOCKET names a socket the monitor mounts in and relays from; the monitor is MAINPID)'
ignore\t'Nobody'"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l log-driver -d 'Log driver: k8s-file (default, or `containers.log_driver` in rctl.toml), json-file, journald, none, passthrough' -r -f -a "k8s-file\t'Podman\'s `TIMESTAMP STREAM F|P LINE` file (the default)'
json-file\t'Docker\'s JSON lines (`{"log":…,"stream":…,"time":…}`)'
journald\t'The systemd journal, over its native socket'
none\t'Nothing is kept'
passthrough\t'The container writes to the caller\'s stdout/stderr directly (attached runs only); nothing is kept'"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l log-opt -d 'Log driver option `KEY=VALUE`: max-size, max-file (rotation), path, tag, labels, env (json-file); comma-separated or repeated' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l restart -d 'Restart policy carried out by the monitor: no, on-failure[:N], always, unless-stopped' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-cmd -d 'Healthcheck command run in the container (a shell line, a JSON array, or `none`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-interval -d 'Time between healthchecks (e.g. 30s; `disable` runs them only by `rctl healthcheck run`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-timeout -d 'Time a healthcheck may take before it counts as failed' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-retries -d 'Consecutive failures that make the container unhealthy' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-start-period -d 'Time after the start during which failures do not count' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l health-on-failure -d 'What the monitor does when the container turns unhealthy' -r -f -a "none\t''
kill\t'SIGKILL (the restart policy still applies)'
restart\t'SIGKILL and start again'
stop\t'Stop for good (as `rctl stop`)'"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l pod -d 'Join a pod (its network, IPC and UTS namespaces); `new:NAME` creates it' -r
complete -c rctl -n "__fish_rctl_using_subcommand create" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand create" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand create" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand create" -l rootfs -d 'The first argument is a root filesystem directory, not an image (`DIR:O` mounts an overlay over it and keeps DIR unchanged)'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l privileged -d 'Give the container every capability and no seccomp, masks or read-only paths'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l init -d 'Run a minimal init as PID 1 that reaps zombies and forwards signals'
complete -c rctl -n "__fish_rctl_using_subcommand create" -s t -l tty -d 'Allocate a terminal'
complete -c rctl -n "__fish_rctl_using_subcommand create" -s i -l interactive -d 'Keep stdin open'
complete -c rctl -n "__fish_rctl_using_subcommand create" -s P -l publish-all -d 'Publish every port the image EXPOSEs on a random host port'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l read-only -d 'Mount the root filesystem read-only'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l rm -d 'Remove the container when it exits'
complete -c rctl -n "__fish_rctl_using_subcommand create" -l no-healthcheck -d 'Disable the image\'s healthcheck'
complete -c rctl -n "__fish_rctl_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand create" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand start" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand start" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand start" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand start" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand start" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand start" -s a -l attach -d 'Attach to the container\'s output and wait for it'
complete -c rctl -n "__fish_rctl_using_subcommand start" -s i -l interactive -d 'Pass stdin to the container (with -a)'
complete -c rctl -n "__fish_rctl_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand start" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l format -d 'Output format: `json`, `table`, or a Go-style template such as `{{.ID}} {{.Names}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s f -l filter -d 'Filter: `status=`, `name=`, `id=`, `exited=` (repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s n -l last -d 'Show only the N most recently created containers (implies -a)' -r
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s a -l all -d 'Show all containers, not only running ones'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s q -l quiet -d 'Print ids only'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -l no-trunc -d 'Do not truncate ids and commands'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s l -l latest -d 'Show only the most recently created container (implies -a)'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand ps" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand list" -l format -d 'Output format: `json`, `table`, or a Go-style template such as `{{.ID}} {{.Names}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand list" -s f -l filter -d 'Filter: `status=`, `name=`, `id=`, `exited=` (repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand list" -s n -l last -d 'Show only the N most recently created containers (implies -a)' -r
complete -c rctl -n "__fish_rctl_using_subcommand list" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand list" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand list" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand list" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand list" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand list" -s a -l all -d 'Show all containers, not only running ones'
complete -c rctl -n "__fish_rctl_using_subcommand list" -s q -l quiet -d 'Print ids only'
complete -c rctl -n "__fish_rctl_using_subcommand list" -l no-trunc -d 'Do not truncate ids and commands'
complete -c rctl -n "__fish_rctl_using_subcommand list" -s l -l latest -d 'Show only the most recently created container (implies -a)'
complete -c rctl -n "__fish_rctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand stop" -s t -l timeout -l time -d 'Seconds to wait before SIGKILL (default: the container\'s --stop-timeout)' -r
complete -c rctl -n "__fish_rctl_using_subcommand stop" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand stop" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand stop" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand stop" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand stop" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand stop" -s a -l all -d 'Stop all running containers'
complete -c rctl -n "__fish_rctl_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand stop" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand kill" -s s -l signal -d 'Signal to send' -r
complete -c rctl -n "__fish_rctl_using_subcommand kill" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kill" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kill" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kill" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand kill" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand kill" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rm" -s f -l force -d 'Kill and remove running containers'
complete -c rctl -n "__fish_rctl_using_subcommand rm" -s a -l all -d 'Remove all containers'
complete -c rctl -n "__fish_rctl_using_subcommand rm" -s v -l volumes -d 'Also remove the containers\' anonymous volumes'
complete -c rctl -n "__fish_rctl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand wait" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand wait" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand wait" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand wait" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand wait" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand wait" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l tail -d 'Print only the last N lines' -r
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l since -d 'Only output since this time (RFC 3339, e.g. 2026-01-02T15:04:05Z) or this long ago (e.g. 10m, 1h30m)' -r
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l until -d 'Only output before this time (same forms as --since)' -r
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand logs" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand logs" -s f -l follow -d 'Keep printing new output until the container exits'
complete -c rctl -n "__fish_rctl_using_subcommand logs" -s t -l timestamps -d 'Prefix each line with its time stamp'
complete -c rctl -n "__fish_rctl_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand logs" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s e -l env -d 'Set an environment variable' -r
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s u -l user -d 'User to run as' -r
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s w -l workdir -d 'Working directory' -r
complete -c rctl -n "__fish_rctl_using_subcommand exec" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand exec" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand exec" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand exec" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand exec" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s i -l interactive -d 'Keep stdin open'
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s t -l tty -d 'Allocate a terminal in the container'
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s d -l detach -d 'Run in the background: print nothing and return at once'
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand exec" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s f -l format -d 'Go-style template over the JSON, e.g. `{{.State.Pid}}` or `{{json .Config}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand rename" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rename" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand rename" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rename" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand rename" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand rename" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand restart" -s t -l timeout -l time -d 'Seconds to wait before SIGKILL when stopping' -r
complete -c rctl -n "__fish_rctl_using_subcommand restart" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand restart" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand restart" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand restart" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand restart" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand restart" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand top" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand top" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand top" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand top" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand top" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand top" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand port" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand port" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand port" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand port" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand port" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand port" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand port" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand cp" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand cp" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand cp" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand cp" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand cp" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand cp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand cp" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand attach" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand attach" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand attach" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand attach" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand attach" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand attach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand attach" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand export" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand export" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand export" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand export" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand export" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s c -l change -d 'Config instruction: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL' -r
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s m -l message -d 'A comment for the image history' -r
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s a -l author -d 'The image\'s author' -r
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s p -l pause -d 'Accepted for compatibility; the container is not paused' -r -f -a "true\t''
false\t''"
complete -c rctl -n "__fish_rctl_using_subcommand commit" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand commit" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand commit" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand commit" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand commit" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s q -l quiet -d 'Print only the image ID (the default)'
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand commit" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand container; and not __fish_seen_subcommand_from prune" -f -a "prune" -d 'Remove every container that is not running'
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation (rctl never asks)'
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand container; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "create" -d 'Create a named volume'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "ls" -d 'List volumes'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "list" -d 'List volumes'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "inspect" -d 'Show volumes\' records as JSON'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "rm" -d 'Remove volumes (one in use only with -f, which removes its containers too)'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "remove" -d 'Remove volumes (one in use only with -f, which removes its containers too)'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "prune" -d 'Remove every volume no container uses'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'Set a label (`KEY=VALUE`; repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l opt -d 'Driver option: `o=uid=N,gid=N` (owner of the volume\'s root in the container)' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -l ignore -d 'Do nothing when the volume exists already'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Output format: `json`, `table`, or a Go template such as `{{.Name}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: `name=TEXT`, `label=KEY[=VALUE]`, `dangling=true|false`, `driver=local` (repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print volume names only'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Output format: `json`, `table`, or a Go template such as `{{.Name}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter: `name=TEXT`, `label=KEY[=VALUE]`, `dangling=true|false`, `driver=local` (repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print volume names only'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Output format: `json` (default) or a Go template such as `{{.Mountpoint}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove volumes in use, and the containers that use them'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all volumes'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Remove volumes in use, and the containers that use them'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -s a -l all -d 'Remove all volumes'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation (rctl never asks)'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and not __fish_seen_subcommand_from run" -f -a "run" -d 'Run the container\'s healthcheck now: exit 0 healthy, 1 unhealthy'
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand healthcheck; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -f -a "df" -d 'Show disk use: images, containers, volumes, build cache, and the budget'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -f -a "prune" -d 'Remove stopped containers, dangling images and build cache (and unused volumes with --volumes)'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -f -a "reset" -d 'Remove every container, image and volume, stop the pause process, delete the storage root and runroot'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -f -a "migrate" -d 'Apply a changed /etc/subuid or /etc/subgid: stop containers and the pause process so the next command maps ids again'
complete -c rctl -n "__fish_rctl_using_subcommand system; and not __fish_seen_subcommand_from df prune reset migrate check" -f -a "check" -d 'Find (and with --repair fix) what crashed or killed commands left in the store'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l format -d 'Output format: `json` or a Go template such as `{{.Type}} {{.Size}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -s v -l verbose -d 'List every image, container, volume and cache entry'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from df" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Only what is older than this: `until=24h`, `until=2026-01-02T15:04:05Z`' -r
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove every image no container uses, not only dangling ones'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Remove volumes no container uses too'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -s f -l force -d 'Do not ask for confirmation'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -s f -l format -d 'Output format: `json` or a Go template such as `{{.kind}} {{.object}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -s r -l repair -d 'Fix what is found: remove leftovers, drop broken records, mark containers whose monitor died as exited'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand system; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand events" -l since -d 'Show events from this time on: RFC 3339, Unix seconds, or a duration before now (`10m`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand events" -l until -d 'Show events up to this time, then exit (same forms as --since)' -r
complete -c rctl -n "__fish_rctl_using_subcommand events" -s f -l filter -d 'Only matching events: container=NAME|ID, event=STATUS, image=NAME, type=container|image' -r
complete -c rctl -n "__fish_rctl_using_subcommand events" -l format -d 'Output format: `json` (one object per line) or a Go template such as `{{.Status}} {{.Name}}`' -r
complete -c rctl -n "__fish_rctl_using_subcommand events" -l stream -d 'Keep waiting for new events (`--stream=false`: print the past ones and exit)' -r
complete -c rctl -n "__fish_rctl_using_subcommand events" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand events" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand events" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand events" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand events" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand events" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand build" -s t -l tag -d 'Name the image NAME[:TAG] (may be given several times)' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -s f -l file -d 'The Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand build" -l build-arg -d 'Set a build argument NAME=VALUE (NAME alone takes it from the environment)' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -l target -d 'Build this stage (and what it needs) and stop' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -l pull -d 'When to pull base images: always (also `--pull` alone, `true`), missing (default, also `false`), never' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -l label -d 'Add a label KEY=VALUE to the image' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -l layers -d 'Keep one layer per step (false: squash the new layers into one)' -r
complete -c rctl -n "__fish_rctl_using_subcommand build" -l iidfile -d 'Write the image ID to this file' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand build" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand build" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand build" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand build" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand build" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand build" -l no-cache -d 'Do not use cached layers (the new layers are still cached)'
complete -c rctl -n "__fish_rctl_using_subcommand build" -l squash -d 'Squash the layers this build adds into one'
complete -c rctl -n "__fish_rctl_using_subcommand build" -s q -l quiet -d 'Print only the image ID (no step progress)'
complete -c rctl -n "__fish_rctl_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand build" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -f -a "generate" -d 'Write Pod YAML for containers (one Pod holding all of them)'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -f -a "play" -d 'Run the Pods (or Deployments with replicas: 1) of a YAML file'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and not __fish_seen_subcommand_from generate play down" -f -a "down" -d 'Stop and remove what `kube play` made from a YAML file'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -s f -l filename -d 'Write the YAML to this file instead of stdout' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from play" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand kube; and __fish_seen_subcommand_from down" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l report-fd -r
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -l attach
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand container-monitor" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand update" -s m -l memory -d 'Memory limit (e.g. 512m, 2g)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: twice --memory)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l memory-reservation -d 'Memory soft limit (kept under memory pressure)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l cpus -d 'Number of CPUs the container may use (e.g. 0.5)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l cpu-shares -d 'CPU shares, relative weight (cgroup v1 scale 2-262144)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l cpu-weight -d 'CPU weight (cgroup v2 scale 1-10000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l cpuset-cpus -d 'CPUs the container may run on (e.g. 0-2,4)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l pids-limit -d 'Maximum number of processes (-1: unlimited; default 2048 when a cgroup manager is active)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l blkio-weight -d 'Block I/O weight (10-1000)' -r
complete -c rctl -n "__fish_rctl_using_subcommand update" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand update" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand update" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand update" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand update" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand update" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l format -d 'Output format: `table` (default), `json`' -r
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand stats" -l no-stream -d 'Print one reading and exit'
complete -c rctl -n "__fish_rctl_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand stats" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -f -a "systemd" -d 'Write a systemd user unit for a container'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and not __fish_seen_subcommand_from systemd quadlet" -f -a "quadlet" -d 'Turn Quadlet-style files (`*.container`, `*.volume`, `*.network`) into units'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l restart-policy -d 'Restart policy of the unit' -r
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l container-prefix -d 'Unit name prefix' -r
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l new -d 'Create a new container when the unit starts (`ExecStart=rctl run …`) and remove it at stop'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l name -d 'Name the unit after the container\'s name, not its ID'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -l files -d 'Write the unit into a file in the current directory (print its path)'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from systemd" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l dir -d 'Read the files from this directory (default: `$XDG_CONFIG_HOME/containers/systemd`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -l dryrun -d 'Print the units instead of writing them'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand generate; and __fish_seen_subcommand_from quadlet" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "create" -d 'Create a pod (started with `pod start` or its first container)'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "ls" -d 'List pods'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "list" -d 'List pods'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "ps" -d 'List pods'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "inspect" -d 'Show pods\' configuration and state as JSON'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "start" -d 'Start pods: the infra process, then every container'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "stop" -d 'Stop pods: every container, then the infra process'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and not __fish_seen_subcommand_from create ls list ps inspect start stop rm" -f -a "rm" -d 'Remove pods and their containers'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s n -l name -d 'Name of the pod (default: generated)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l hostname -d 'Hostname of the pod\'s containers (default: the pod\'s name)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s l -l label -d 'Label KEY=VALUE (repeatable)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l network -d 'Network mode: pasta[:OPTIONS], slirp4netns[:KEY=VALUE,...], none, host, container:NAME, or the name of a user-defined network (default: pasta when installed, else slirp4netns)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container port: [[IP:][HOSTPORT]:]CONTAINERPORT[/tcp|udp]' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l dns -d 'DNS server for the container (replaces the host\'s; `none` writes no resolv.conf)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l dns-search -d 'DNS search domain (replaces the host\'s; `.` for none)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l dns-option -d 'resolv.conf option (replaces the host\'s), e.g. ndots:2' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l add-host -d 'Extra /etc/hosts entry NAME:IP (NAME1;NAME2:IP, NAME:host-gateway)' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l network-alias -d 'Another name of the container on its user-defined network' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish every port the image EXPOSEs on a random host port'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the pod ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Print full ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the pod ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -l no-trunc -d 'Print full ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Print only the pod ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Print full ids'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from ps" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -s t -l timeout -l time -d 'Seconds to wait for each container before SIGKILL' -r
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -s f -l force -d 'Stop running containers first'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l report-fd -r
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand network-infra" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l report-fd -r
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l root -d 'Storage root (default `$XDG_DATA_HOME/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l runroot -d 'Runtime state directory (default `$XDG_RUNTIME_DIR/rctl`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l log-level -d 'How much to log on stderr' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l storage-driver -d 'Storage driver (default: probed, overlay when the kernel allows it)' -r -f -a "overlay\t'Kernel overlayfs mounted inside the user namespace'
fuse-overlayfs\t'fuse-overlayfs, for kernels or filesystems that refuse kernel overlay'
vfs\t'Plain copies: slow, always works'"
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -l cgroup-manager -d 'Cgroup manager (default: systemd when a user bus and cgroup v2 exist, else none)' -r -f -a "systemd\t''
cgroupfs\t''
none\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand pod-infra" -s V -l version -d 'Print version'

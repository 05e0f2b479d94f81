//! `sdnotify`, a tiny static notify client for busybox root filesystems
//! (which have none): it sends its arguments, one per line, to
//! `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket) and
//! exits 0 on success, 1 with a message otherwise.

use std::path::Path;

const NOTIFY_C: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !*path) { fprintf(stderr, "sdnotify: NOTIFY_SOCKET is not set\n"); return 1; }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    size_t n = strlen(path);
    if (n >= sizeof sa.sun_path) { fprintf(stderr, "sdnotify: path too long\n"); return 1; }
    memcpy(sa.sun_path, path, n);
    if (path[0] == '@') sa.sun_path[0] = 0;
    char msg[4096] = "";
    for (int i = 1; i < argc; i++) {
        if (strlen(msg) + strlen(argv[i]) + 2 > sizeof msg) return 1;
        strcat(msg, argv[i]);
        strcat(msg, "\n");
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("sdnotify: socket"); return 1; }
    socklen_t len = offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1);
    if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, len) < 0) {
        perror("sdnotify: sendto");
        return 1;
    }
    return 0;
}
"#;

/// Compile the client to `out` (`cc -static`); the error says what failed.
pub fn build(out: &Path) -> Result<(), String> {
    let src = out.with_extension("c");
    std::fs::write(&src, NOTIFY_C).map_err(|e| format!("write {}: {e}", src.display()))?;
    let built = std::process::Command::new("cc")
        .args(["-static", "-O", "-o"])
        .arg(out)
        .arg(&src)
        .output()
        .map_err(|e| format!("cc: {e}"))?;
    if !built.status.success() {
        return Err(format!(
            "a static C build (gcc, libc6-dev): {}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    Ok(())
}

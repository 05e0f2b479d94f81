//! `rctl version`.

use anyhow::Result;
use serde::Serialize;

use crate::cli::VersionArgs;
use crate::format::render_one;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Version {
    version: &'static str,
    os_arch: String,
    git_commit: &'static str,
}

pub fn run(args: &VersionArgs) -> Result<()> {
    let v = Version {
        version: env!("CARGO_PKG_VERSION"),
        os_arch: format!("{}/{}", std::env::consts::OS, go_arch()),
        git_commit: option_env!("RCTL_GIT_COMMIT").unwrap_or(""),
    };
    let record = serde_json::json!({ "Client": v });
    print!(
        "{}",
        render_one(&args.format, &record, || format!(
            "Version:      {}\nOS/Arch:      {}\n",
            v.version, v.os_arch
        ))?
    );
    Ok(())
}

/// The architecture in the OCI/Go spelling.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

//! Man pages (`man/`) and shell completions (`contrib/completions/`) are
//! generated from the clap definitions; this test fails when the committed
//! files are out of date. Regenerate with `RCTL_UPDATE_DOCS=1 cargo test --test docs`.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use rctl::cli::Cli;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file: path relative to the repo, and its content.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let cmd = Cli::command();
    let mut stack = vec![(cmd.clone(), "rctl".to_string())];
    while let Some((c, name)) = stack.pop() {
        let mut buf = Vec::new();
        clap_mangen::Man::new(
            c.clone()
                .name(&*Box::leak(name.clone().into_boxed_str()))
                .bin_name(name.replace('-', " ")),
        )
        .date("")
        .render(&mut buf)
        .expect("render man page");
        files.push((PathBuf::from(format!("man/{name}.1")), buf));
        for sub in c.get_subcommands().filter(|s| !s.is_hide_set()) {
            stack.push((sub.clone(), format!("{name}-{}", sub.get_name())));
        }
    }
    for (shell, file) in [
        (clap_complete::Shell::Bash, "rctl.bash"),
        (clap_complete::Shell::Zsh, "_rctl"),
        (clap_complete::Shell::Fish, "rctl.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "rctl", &mut buf);
        files.push((PathBuf::from(format!("contrib/completions/{file}")), buf));
    }
    files
}

#[test]
fn man_pages_and_completions_are_up_to_date() {
    let update = std::env::var_os("RCTL_UPDATE_DOCS").is_some();
    let files = generated();
    let mut stale = Vec::new();
    for (rel, content) in &files {
        let path = root().join(rel);
        if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(rel.display().to_string());
            }
        }
    }
    // Generated man pages with no command behind them any more.
    let wanted: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    for entry in std::fs::read_dir(root().join("man")).unwrap().flatten() {
        let rel = PathBuf::from("man").join(entry.file_name());
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("rctl") && name.ends_with(".1") && !wanted.contains(&rel.as_path()) {
            if update {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{} (no such command)", rel.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated docs are out of date: {stale:?}\nrun: RCTL_UPDATE_DOCS=1 cargo test --test docs"
    );
}

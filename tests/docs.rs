//! Man pages (`man/`) and shell completions (`contrib/completions/`) are
//! generated from the clap definitions; this test fails when the committed
//! files are out of date. Regenerate with `RCTL_UPDATE_DOCS=1 cargo test --test docs`.

use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};
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

/// Split an example line the way a shell would (quotes and backslashes only).
fn words(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'') | (None, '"') => (quote, any) = (Some(c), true),
            (Some(q), c) if c == q => quote = None,
            (q, '\\') if q != Some('\'') => cur.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (_, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Every command a user can see shows at least one example in `--help`,
/// and every example line parses.
#[test]
fn every_visible_command_has_an_example() {
    let mut missing = Vec::new();
    let mut stack = vec![(Cli::command(), "rctl".to_string())];
    while let Some((c, name)) = stack.pop() {
        let subs: Vec<_> = c.get_subcommands().filter(|s| !s.is_hide_set()).collect();
        if subs.is_empty() || c.get_name() == "rctl" {
            let help = c
                .get_after_help()
                .or(c.get_after_long_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            if !(help.contains("Example") && help.contains("rctl ")) {
                missing.push(name.clone());
            }
            for line in help.lines().filter_map(|l| l.split("| ").last()) {
                let Some(example) = line.trim().strip_prefix("rctl ") else {
                    continue;
                };
                let mut argv = vec!["rctl".to_string()];
                // Redirections and pipes end the command.
                argv.extend(
                    words(example)
                        .into_iter()
                        .take_while(|w| !["<", ">", "|", "&&", ";"].contains(&w.as_str())),
                );
                if let Err(e) = Cli::try_parse_from(&argv) {
                    missing.push(format!("{name}: example does not parse: {line}: {e}"));
                }
            }
        }
        for sub in subs {
            stack.push((sub.clone(), format!("{name} {}", sub.get_name())));
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "commands without an example in --help (add after_help): {missing:?}"
    );
}

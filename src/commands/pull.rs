//! `rctl pull`, `rctl login`, `rctl logout`.

use anyhow::{Result, bail};

use super::output;
use crate::app::App;
use crate::cli::image::{LoginArgs, LogoutArgs, PullArgs, PushArgs};
use crate::image::pull::{self, PullOptions};
use crate::registry::auth;
use crate::store::{Input, Reference, Store};

/// The full reference to pull for what the user typed.
pub fn pull_reference(app: &App, text: &str) -> Result<Reference> {
    let input = Input::parse(text)?;
    Ok(input.for_pull(
        &app.config.registries.unqualified_search,
        &app.config.registries.aliases,
    )?)
}

pub fn run(app: &App, args: &PullArgs) -> Result<()> {
    let reference = pull_reference(app, &args.image)?;
    let _session = app.enter()?;
    let mut store =
        Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    let client = crate::image::client(app, &reference, args.tls_verify, false)?;
    let quiet = args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    let opts = PullOptions {
        platform: args.platform.clone(),
        arch: args.arch.clone(),
        jobs: 4,
    };
    let id = pull::pull(&mut store, &client, &reference, &opts, &progress)
        .map_err(|e| e.context(format!("pull `{reference}`")))?;
    output::line(&id)?;
    crate::budget::enforce(app, &id);
    Ok(())
}

pub fn push(app: &App, args: &PushArgs) -> Result<()> {
    let dest_text = args.destination.as_deref().unwrap_or(&args.image);
    let dest = match Input::parse(dest_text)? {
        Input::Qualified(r) => r,
        Input::Short { .. } => bail!(
            "push destination `{dest_text}` names no registry\nhint: give REGISTRY/NAME[:TAG], e.g. `rctl push {} registry.example/{dest_text}`",
            args.image
        ),
    };
    let _session = app.enter()?;
    let store = Store::open(&app.dirs)?.with_max_layer_size(app.config.storage.max_layer_size());
    let image = store.resolve(&args.image, &app.config.registries.unqualified_search)?;
    let client = crate::image::client(app, &dest, args.tls_verify, true)?;
    let quiet = args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    crate::image::push::push(&store, &client, &image, &dest, &progress)
        .map_err(|e| e.context(format!("push `{}` to `{dest}`", args.image)))?;
    Ok(())
}

pub fn login(app: &App, args: &LoginArgs) -> Result<()> {
    let username = match &args.username {
        Some(u) => u.clone(),
        None => bail!(
            "login to `{}` needs --username\nhint: rctl login -u NAME --password-stdin {}",
            args.registry,
            args.registry
        ),
    };
    let password = if args.password_stdin {
        auth::read_password_stdin()?
    } else {
        match &args.password {
            Some(p) => p.clone(),
            None => bail!(
                "login to `{}` needs a password\nhint: pass it on stdin with --password-stdin",
                args.registry
            ),
        }
    };
    let creds = auth::Credentials { username, password };
    let probe = Reference {
        registry: args.registry.clone(),
        repository: "rctl-login-probe".into(),
        tag: None,
        digest: None,
    };
    let client = crate::registry::Client::new(
        &probe,
        crate::image::insecure(app, &args.registry, args.tls_verify),
        &crate::registry::ca_dirs(&app.env.config_home, &args.registry),
        Some(creds.clone()),
        false,
    );
    client.ping()?;
    auth::store(&app.env, &args.registry, Some(&creds))?;
    output::line("Login Succeeded!")?;
    Ok(())
}

pub fn logout(app: &App, args: &LogoutArgs) -> Result<()> {
    if !auth::store(&app.env, &args.registry, None)? {
        bail!(
            "not logged in to `{}`\nhint: credentials are kept in `{}`",
            args.registry,
            auth::write_path(&app.env).display()
        );
    }
    output::line(format!("Removed login credentials for {}", args.registry))?;
    Ok(())
}

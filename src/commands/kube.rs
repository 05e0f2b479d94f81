//! `rctl kube generate|play|down`: Kubernetes YAML in and out.

use anyhow::Result;

use crate::app::App;
use crate::cli::kube::KubeCommand;
use crate::kube::apply;

pub fn run(app: &App, cmd: &KubeCommand) -> Result<()> {
    match cmd {
        KubeCommand::Generate(a) => {
            let yaml = apply::generate(app, &a.containers)?;
            match &a.filename {
                Some(path) => apply::write_file(path, &yaml),
                None => {
                    print!("{yaml}");
                    Ok(())
                }
            }
        }
        KubeCommand::Play(a) => {
            for p in apply::play(app, &a.file)? {
                println!("Pod:\n{}\nContainers:", p.pod);
                for id in p.containers {
                    println!("{id}");
                }
            }
            Ok(())
        }
        KubeCommand::Down(a) => {
            for id in apply::down(app, &a.file)? {
                println!("{id}");
            }
            Ok(())
        }
    }
}

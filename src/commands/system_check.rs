//! `rctl system check [--repair]`: print what is wrong with the store (and
//! what was repaired); exit 1 while problems remain.

use anyhow::Result;

use crate::app::App;
use crate::cli::system::SystemCheckArgs;
use crate::error::Exit;
use crate::format::{OutputFormat, render_list};

pub fn run(app: &App, args: &SystemCheckArgs) -> Result<()> {
    let findings = crate::fsck::check(app, args.repair)?;
    match &args.format {
        OutputFormat::Table => {
            for f in &findings {
                let state = if f.repaired {
                    format!("repaired: {}", f.repair)
                } else if let Some(e) = &f.error {
                    format!("repair failed: {e}")
                } else {
                    format!("repair: {}", f.repair)
                };
                println!(
                    "{:<24} {}: {} ({state})",
                    f.kind.name(),
                    f.object,
                    f.problem
                );
            }
        }
        format => {
            let records: Vec<serde_json::Value> = findings
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            print!("{}", render_list(format, &records, "", &[])?);
        }
    }
    let left = findings.iter().filter(|f| !f.repaired).count();
    let table = matches!(args.format, OutputFormat::Table);
    if left > 0 {
        if table {
            if args.repair {
                eprintln!("{left} problem(s) could not be repaired");
            } else {
                eprintln!("{left} problem(s) found\nhint: `rctl system check --repair` fixes them");
            }
        }
        return Err(Exit::Status(1).into());
    }
    if table {
        if findings.is_empty() {
            eprintln!("no problems found");
        } else {
            eprintln!("{} problem(s) repaired", findings.len());
        }
    }
    Ok(())
}

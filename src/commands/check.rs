//! `rctl check`: print each finding with its fix; exit 1 when any failed.

use anyhow::Result;

use crate::app::App;
use crate::check::{self, Status};
use crate::cli::CheckArgs;
use crate::error::Exit;
use crate::format::{OutputFormat, render_list};

pub fn run(app: &App, args: &CheckArgs) -> Result<()> {
    let findings = check::run(app);
    match &args.format {
        OutputFormat::Table => {
            for f in &findings {
                let mark = match f.status {
                    Status::Ok => "ok  ",
                    Status::Warn => "warn",
                    Status::Fail => "FAIL",
                };
                println!("{mark}  {:<20} {}", f.check, f.detail);
                if let Some(fix) = &f.fix {
                    println!("      {:<20} fix: {fix}", "");
                }
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
    let failed = findings.iter().filter(|f| f.status == Status::Fail).count();
    if failed > 0 {
        if matches!(args.format, OutputFormat::Table) {
            eprintln!("{failed} check(s) failed");
        }
        return Err(Exit::Status(1).into());
    }
    Ok(())
}

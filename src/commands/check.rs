//! `rctl check`: print each finding with its fix; exit 1 when any failed.

use anyhow::Result;

use crate::app::App;
use crate::check::{self, Status};
use crate::cli::{CheckArgs, Format};
use crate::error::Exit;

pub fn run(app: &App, args: &CheckArgs) -> Result<()> {
    let findings = check::run(app);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        Format::Human => {
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
    }
    let failed = findings.iter().filter(|f| f.status == Status::Fail).count();
    if failed > 0 {
        if args.format == Format::Human {
            eprintln!("{failed} check(s) failed");
        }
        return Err(Exit::Status(1).into());
    }
    Ok(())
}

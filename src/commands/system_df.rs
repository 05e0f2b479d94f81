//! `rctl system df`: disk use by images, containers, volumes and build
//! cache, with what could be reclaimed, and the disk budget when one is set.

use anyhow::Result;
use serde_json::{Value, json};

use super::images::{ago, human_size};
use super::output;
use crate::app::App;
use crate::cli::system::SystemDfArgs;
use crate::diskuse::{self, DiskUse};
use crate::format::{OutputFormat, align, render_list};

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".into();
    }
    format!("{}%", part * 100 / whole)
}

fn summary_records(du: &DiskUse) -> Vec<Value> {
    du.summarize()
        .iter()
        .map(|r| {
            json!({
                "Type": r.kind,
                "Total": r.total,
                "Active": r.active,
                "Size": human_size(r.size),
                "Reclaimable": format!("{} ({})", human_size(r.reclaimable), percent(r.reclaimable, r.size)),
                "RawSize": r.size,
                "RawReclaimable": r.reclaimable,
            })
        })
        .collect()
}

pub fn run(app: &App, args: &SystemDfArgs) -> Result<()> {
    let _session = app.enter()?;
    let du = diskuse::measure(&app.dirs.root)?;
    let budget = crate::budget::limit(app)?;
    if args.verbose {
        if matches!(args.format, OutputFormat::Json) {
            let mut v = serde_json::to_value(&du)?;
            v["Budget"] = json!({ "MaxSize": budget, "Used": du.total() });
            output::line(serde_json::to_string_pretty(&v)?)?;
            return Ok(());
        }
        return verbose(&du, budget);
    }
    let records = summary_records(&du);
    print!(
        "{}",
        render_list(
            &args.format,
            &records,
            "{{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
            &[("Type", "TYPE")],
        )?
    );
    if matches!(args.format, OutputFormat::Table) {
        if let Some(max) = budget {
            output::line(budget_line(du.total(), max))?;
        }
    }
    Ok(())
}

fn budget_line(used: u64, max: u64) -> String {
    format!(
        "Budget (storage.max_size): {} of {} used ({})",
        human_size(used),
        human_size(max),
        percent(used, max)
    )
}

fn verbose(du: &DiskUse, budget: Option<u64>) -> Result<()> {
    output::line("Images space usage:\n")?;
    let mut rows = vec![
        "REPOSITORY:TAG\tIMAGE ID\tLAST USED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS"
            .to_string(),
    ];
    for i in &du.images {
        let name = i.names.first().cloned().unwrap_or_else(|| "<none>".into());
        rows.push(format!(
            "{name}\t{}\t{}\t{}\t{}\t{}\t{}",
            &i.id[..12.min(i.id.len())],
            ago(Some(i.last_used)),
            human_size(i.size),
            human_size(i.size - i.unique_size),
            human_size(i.unique_size),
            i.containers
        ));
    }
    print!("{}", align(&rows));
    output::line("\nContainers space usage:\n")?;
    let mut rows = vec!["CONTAINER ID\tIMAGE\tSIZE\tSTATUS\tNAMES".to_string()];
    for c in &du.containers {
        rows.push(format!(
            "{}\t{}\t{}\t{}\t{}",
            &c.id[..12.min(c.id.len())],
            c.image,
            human_size(c.size),
            c.status,
            c.name
        ));
    }
    print!("{}", align(&rows));
    output::line("\nLocal Volumes space usage:\n")?;
    let mut rows = vec!["VOLUME NAME\tLINKS\tSIZE".to_string()];
    for v in &du.volumes {
        rows.push(format!("{}\t{}\t{}", v.name, v.links, human_size(v.size)));
    }
    print!("{}", align(&rows));
    output::line(format!(
        "\nBuild cache: {} entries, {}",
        du.build_cache.entries,
        human_size(du.build_cache.size)
    ))?;
    if let Some(max) = budget {
        output::line(budget_line(du.total(), max))?;
    }
    Ok(())
}

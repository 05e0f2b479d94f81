//! Arguments of `rctl events`.

use clap::Args;

use crate::format::{OutputFormat, parse_format};

fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("`{other}` is not true or false")),
    }
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Show events from this time on: RFC 3339, Unix seconds, or a duration before now (`10m`)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Show events up to this time, then exit (same forms as --since)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only matching events: container=NAME|ID, event=STATUS, image=NAME, type=container|image
    #[arg(long, short = 'f', value_name = "KEY=VALUE")]
    pub filter: Vec<String>,
    /// Output format: `json` (one object per line) or a Go template such as `{{.Status}} {{.Name}}`
    #[arg(long, value_parser = parse_format, default_value = "")]
    pub format: OutputFormat,
    /// Keep waiting for new events (`--stream=false`: print the past ones and exit)
    #[arg(long, value_parser = parse_bool, num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "true", value_name = "BOOL")]
    pub stream: bool,
}

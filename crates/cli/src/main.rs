//! `clusterplay`: run playground scenarios headless.
//!
//! ```text
//! clusterplay presets                      list preset ids and titles
//! clusterplay preset ID                    print a preset's scenario JSON
//! clusterplay run FILE|LINK [--until-ms T] run a scenario file, a share URL or its fragment
//! clusterplay link FILE [--base URL]       print the share link of a scenario file
//! ```
//!
//! Output is JSON on stdout. Bad input prints one line on stderr and exits with status 2.

use clap::{Parser, Subcommand};
use clusterplay_scenario::{link, model::Scenario, presets, run, ScenarioError};
use std::process::ExitCode;

/// Where the playground is served unless `--base` says otherwise.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

#[derive(Parser)]
#[command(
    name = "clusterplay",
    version,
    about = "Run clusterplay scenarios headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the presets: id, then title.
    Presets {
        /// Language of the titles: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print a preset's scenario as JSON.
    Preset { id: String },
    /// Run a scenario and print its report as JSON.
    Run {
        /// A scenario file, a share link, a `#s=…` fragment, or a preset id.
        input: String,
        /// Stop at this virtual time instead of the scenario's `until_ms`.
        #[arg(long)]
        until_ms: Option<f64>,
    },
    /// Print the share link of a scenario file (or preset id).
    Link {
        input: String,
        /// The page's address.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
}

#[derive(Debug)]
enum Failure {
    Scenario(ScenarioError),
    Io(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Scenario(e) => write!(f, "{e}"),
            Failure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::Scenario(e)
    }
}

/// A scenario from a file, a link or fragment, or a preset id, in that order of guessing.
fn read_scenario(input: &str) -> Result<Scenario, Failure> {
    if input.contains('#') || input.starts_with("s=") {
        return Ok(link::decode(input)?);
    }
    let path = std::path::Path::new(input);
    if path.exists() {
        let bytes =
            std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {input}: {e}")))?;
        // A preset file holds the scenario under "scenario"; a scenario file is the scenario.
        if let Ok(preset) = serde_json::from_slice::<clusterplay_scenario::Preset>(&bytes) {
            return Ok(preset.scenario);
        }
        return Ok(link::from_json(&bytes)?);
    }
    if let Ok(p) = clusterplay_scenario::preset(input) {
        return Ok(p.scenario.clone());
    }
    Err(Failure::Io(format!(
        "{input}: no such file, and not a share link (#s=…) or a preset id"
    )))
}

fn main_inner(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Presets { lang } => Ok(presets()
            .iter()
            .map(|p| format!("{}\t{}\n", p.id, p.title.get(&lang)))
            .collect()),
        Command::Preset { id } => {
            let p = clusterplay_scenario::preset(&id)?;
            Ok(serde_json::to_string_pretty(&p.scenario).expect("serializes") + "\n")
        }
        Command::Run { input, until_ms } => {
            let mut scenario = read_scenario(&input)?;
            if let Some(t) = until_ms {
                scenario.until_ms = t;
            }
            let report = run(&scenario)?;
            Ok(serde_json::to_string_pretty(&report).expect("serializes") + "\n")
        }
        Command::Link { input, base } => {
            let scenario = read_scenario(&input)?;
            clusterplay_scenario::load(&scenario)?;
            Ok(link::link(&base, &scenario) + "\n")
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match main_inner(cli) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clusterplay: {e}");
            ExitCode::from(2)
        }
    }
}

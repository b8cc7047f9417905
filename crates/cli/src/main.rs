//! `clusterplay`: run playground scenarios headless.
//!
//! ```text
//! clusterplay presets                      list preset ids and titles
//! clusterplay preset ID                    print a preset's scenario JSON
//! clusterplay run FILE|LINK [--until-ms T] run a scenario file, a share URL or its fragment;
//!                                          a comparison (file, #c= link, compare id) runs
//!                                          both sides and prints them with the rows
//! clusterplay compares                     list compare preset ids and titles
//! clusterplay link FILE [--base URL]       print the share link of a scenario file (or of
//!                                          a comparison: #c=…)
//! clusterplay lessons                      list lesson ids, families and titles
//! clusterplay lesson ID|FILE|LINK          play a lesson as a learner who does what it asks:
//!                                          every stop, every question with the run's answer
//! clusterplay check-history FILE|-                is a history of one register linearizable?
//!                                          (a Jepsen log or a JSON history; `-` reads stdin)
//! clusterplay explore FILE|LINK|PRESET [--depth D] [--max-states N] [--faults crash:1,…]
//!                    [--network ordered|unordered|unordered-dup] [--symmetry]
//!                                          search every interleaving for broken invariants
//! ```
//!
//! Output is JSON on stdout. Bad input prints one line on stderr and exits with status 2.

use clap::{Parser, Subcommand};
use clusterplay_scenario::compare::{self, CompareError, Comparison};
use clusterplay_scenario::explore::{self, ExploreOptions};
use clusterplay_scenario::history::{self, History, HistoryError};
use clusterplay_scenario::lesson::{self, Lesson, LessonError};
use clusterplay_scenario::{link, model::Scenario, presets, run, ScenarioError};
use std::process::ExitCode;
use std::time::Instant;

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
    /// List the algorithms: id, family, then name.
    Algorithms {
        /// Language of the names: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// List the presets: id, then title.
    Presets {
        /// Language of the titles: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print a preset's scenario as JSON.
    Preset { id: String },
    /// List the compare presets: id, then title.
    Compares {
        /// Language of the titles: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Run a scenario and print its report as JSON; run a comparison and print both reports
    /// and the comparison rows.
    Run {
        /// A scenario or comparison file, a share link (`#s=…` or `#c=…`), or a preset or
        /// compare preset id.
        input: String,
        /// Stop at this virtual time instead of the scenario's `until_ms` (both sides').
        #[arg(long)]
        until_ms: Option<f64>,
    },
    /// Explore every interleaving of a scenario's run (and the faults allowed) for broken
    /// invariants; print what was found as JSON, each finding with a share link that replays it.
    Explore {
        /// A scenario file, a share link, a `#s=…` fragment, or a preset id.
        input: String,
        /// Do not expand states this many steps from the start.
        #[arg(long, default_value_t = 100)]
        depth: u32,
        /// Keep at most this many distinct states.
        #[arg(long, default_value_t = 1_000_000)]
        max_states: u64,
        /// Faults the explorer may inject, each with an optional budget: loss, dup, crash,
        /// partition (e.g. `crash:1,partition`).
        #[arg(long, default_value = "")]
        faults: String,
        /// How messages travel: ordered (FIFO per link), unordered, or unordered-dup (the set of
        /// messages ever sent, as in TLA+).
        #[arg(long, default_value = "unordered-dup")]
        network: String,
        /// Count states that differ only by a renaming of interchangeable nodes (2PC's
        /// resource managers) as one; refused for protocols that have none.
        #[arg(long)]
        symmetry: bool,
        /// bfs (every state up to the bounds, shortest paths), random (random walks, deep,
        /// paths shrunk) or auto (breadth first, then random walks).
        #[arg(long, default_value = "bfs")]
        strategy: String,
        /// Random walks at most (random and auto); each is at most --depth steps long.
        #[arg(long, default_value_t = 100_000)]
        walks: u64,
        /// The seed the random walks are drawn from: the same seed, the same walks.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Stop after this many seconds (wall clock) even if the bounds are not reached.
        #[arg(long)]
        seconds: Option<f64>,
        /// Random walks on this many threads (random strategy only), sharing the walks: the
        /// findings are those of one thread.
        #[arg(long, default_value_t = 1)]
        threads: u64,
        /// The page's address, for the links.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
    /// List the lessons: id, family, number of stops, then title.
    Lessons {
        /// Language of the titles: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Play a lesson as a learner who does what each task asks, and print every stop with the
    /// event it anchored to, and every question with its choices and the answer read from the
    /// run.
    Lesson {
        /// A lesson id, a lesson file, or a lesson link (`#l=…`).
        input: String,
        /// Language of the words: en or zh.
        #[arg(long, default_value = "en")]
        lang: String,
        /// The page's address, for the link.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
    /// Check a history of one register (Jepsen log lines, or JSON as `clusterplay run` prints a
    /// replication run's): linearizable, sequentially consistent, do reads settle; when not
    /// linearizable, the operation no order explains, what it conflicts with, and the longest
    /// prefix that is linearizable with one order of it.
    CheckHistory {
        /// The history's file, or `-` for standard input.
        input: String,
    },
    /// Print the share link of a scenario file (or preset id), or the compare link of a
    /// comparison file (or compare preset id).
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
    Compare(CompareError),
    Lesson(LessonError),
    History(HistoryError),
    Io(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Scenario(e) => write!(f, "{e}"),
            Failure::Compare(e) => write!(f, "{e}"),
            Failure::Lesson(e) => write!(f, "{e}"),
            Failure::History(e) => write!(f, "{e}"),
            Failure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<CompareError> for Failure {
    fn from(e: CompareError) -> Self {
        Failure::Compare(e)
    }
}

/// A comparison, if `input` names one: a `#c=` link, a comparison file, or a compare preset id.
/// `None` leaves the input to be read as a scenario.
fn read_comparison(input: &str) -> Result<Option<Comparison>, Failure> {
    if link::has_compare(input) {
        return Ok(Some(link::decode_compare(input)?));
    }
    let path = std::path::Path::new(input);
    if path.exists() {
        let bytes =
            std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {input}: {e}")))?;
        // A comparison file says so by its two sides; anything else is read as a scenario.
        let sided = serde_json::from_slice::<serde_json::Value>(&bytes)
            .is_ok_and(|v| v.get("left").is_some() || v.get("right").is_some());
        return if sided {
            Ok(Some(compare::from_json(&bytes)?))
        } else {
            Ok(None)
        };
    }
    Ok(compare::compare_preset(input)
        .ok()
        .map(|p| p.comparison.clone()))
}

impl From<LessonError> for Failure {
    fn from(e: LessonError) -> Self {
        Failure::Lesson(e)
    }
}

/// A lesson from a link, a file, or a built-in id.
fn read_lesson(input: &str) -> Result<Lesson, Failure> {
    if link::has_lesson(input) {
        return Ok(link::decode_lesson(input)?);
    }
    let path = std::path::Path::new(input);
    if path.exists() {
        let bytes =
            std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {input}: {e}")))?;
        return Ok(lesson::from_json(&bytes)?);
    }
    Ok(lesson::lesson(input)?.clone())
}

/// What `clusterplay lesson` prints: the lesson played through, in `lang`.
fn lesson_json(l: &Lesson, lang: &str, base: &str) -> Result<serde_json::Value, Failure> {
    use serde_json::json;
    let walk = l.walk()?;
    let nodes = walk.scenario.nodes as usize;
    let sim = {
        let mut sim = clusterplay_scenario::load(&walk.scenario)?;
        sim.run_until(
            walk.scenario.validate()?.until,
            clusterplay_scenario::simulation::MAX_EVENTS,
        );
        sim
    };
    let language = if lang.starts_with("zh") {
        clusterplay_scenario::Lang::Zh
    } else {
        clusterplay_scenario::Lang::En
    };
    let stops: Vec<serde_json::Value> = l
        .stops
        .iter()
        .zip(&walk.stops)
        .map(|(stop, w)| {
            let event = w.at.event.and_then(|i| sim.log(i, i + 1).pop());
            let mut out = json!({
                "stop": w.stop,
                "when": stop.when.describe(),
                "event": w.at.event,
                "time_ms": clusterplay_sim::to_ms(w.at.time),
                "what_happened": event.map(|e| e.text.render(language)),
                "say": stop.say.get(lang),
            });
            if let (Some(q), Some((value, right))) = (&stop.ask, &w.answer) {
                let choices: Vec<String> = q
                    .options(nodes)
                    .iter()
                    .map(|(v, label)| {
                        label
                            .as_ref()
                            .map_or_else(|| v.to_string(), |w| w.get(lang).to_owned())
                    })
                    .collect();
                out["question"] = json!({
                    "prompt": q.prompt.get(lang),
                    "choices": choices,
                    "answer": value,
                    "right_choice": right,
                    "explain": q.explain.get(lang),
                });
            }
            if let (Some(t), Some(act)) = (&stop.act, &w.acted) {
                out["task"] = json!({
                    "prompt": t.prompt.get(lang),
                    "done": act,
                    "then": t.then.get(lang),
                });
            }
            out
        })
        .collect();
    Ok(json!({
        "id": l.id,
        "title": l.title.get(lang),
        "family": l.family,
        "stops": stops,
        "questions": walk.stops.iter().filter(|s| s.answer.is_some()).count(),
        "tasks": walk.stops.iter().filter(|s| s.acted.is_some()).count(),
        "link": format!("{base}#{}", link::lesson_fragment(l)),
    }))
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
        Command::Algorithms { lang } => Ok(clusterplay_scenario::algorithms()
            .iter()
            .map(|a| format!("{}\t{}\t{}\n", a.id, a.family, a.name.get(&lang)))
            .collect()),
        Command::Presets { lang } => Ok(presets()
            .iter()
            .map(|p| format!("{}\t{}\n", p.id, p.title.get(&lang)))
            .collect()),
        Command::Compares { lang } => Ok(compare::compare_presets()
            .iter()
            .map(|p| format!("{}\t{}\n", p.id, p.comparison.title.get(&lang)))
            .collect()),
        Command::Preset { id } => {
            let p = clusterplay_scenario::preset(&id)?;
            Ok(serde_json::to_string_pretty(&p.scenario).expect("serializes") + "\n")
        }
        Command::Run { input, until_ms } => {
            if let Some(mut comparison) = read_comparison(&input)? {
                if let Some(t) = until_ms {
                    comparison.left.scenario.until_ms = t;
                    comparison.right.scenario.until_ms = t;
                }
                let report = comparison.run()?;
                return Ok(serde_json::to_string_pretty(&report).expect("serializes") + "\n");
            }
            let mut scenario = read_scenario(&input)?;
            if let Some(t) = until_ms {
                scenario.until_ms = t;
            }
            let report = run(&scenario)?;
            Ok(serde_json::to_string_pretty(&report).expect("serializes") + "\n")
        }
        Command::Explore {
            input,
            depth,
            max_states,
            faults,
            network,
            symmetry,
            strategy,
            walks,
            seed,
            seconds,
            threads,
            base,
        } => {
            let scenario = read_scenario(&input)?;
            let strategy = explore::Strategy::parse(&strategy).ok_or_else(|| {
                ScenarioError::invalid(
                    "--strategy",
                    "must be bfs, random or auto",
                    "必须是 bfs、random 或 auto",
                )
            })?;
            if seconds.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                return Err(ScenarioError::invalid(
                    "--seconds",
                    "must be a positive number",
                    "必须是正数",
                )
                .into());
            }
            let options = ExploreOptions {
                semantics: explore::parse_network(&network)?,
                faults: explore::parse_faults(&faults)?,
                max_depth: depth,
                max_states,
                symmetry,
                strategy,
                walks,
                seed,
            };
            if threads == 0
                || threads > 64
                || (threads > 1 && strategy != explore::Strategy::Random)
            {
                return Err(ScenarioError::invalid(
                    "--threads",
                    "must be 1 to 64, and more than 1 only with --strategy random",
                    "必须在 1 到 64 之间，且只有 --strategy random 时才能大于 1",
                )
                .into());
            }
            // Checked once here, so that a refusal is one line rather than one per thread.
            explore::explore(&scenario, options)?;
            let started = Instant::now();
            let search = |share: u64| {
                let mut options = options;
                // This share's part of the walk budget: walks `share`, `share + threads`, …
                options.walks = walks / threads + u64::from(share < walks % threads);
                let mut exploration = explore::explore(&scenario, options).expect("checked above");
                exploration.share_walks(share, threads);
                // In slices, so that a time budget can stop it between two.
                while !exploration.run_for(20_000).done {
                    if seconds.is_some_and(|s| started.elapsed().as_secs_f64() >= s) {
                        break;
                    }
                }
                exploration.report()
            };
            let report = if threads == 1 {
                search(0)
            } else {
                let reports = std::thread::scope(|scope| {
                    let shares: Vec<_> = (0..threads)
                        .map(|share| scope.spawn(move || search(share)))
                        .collect();
                    shares
                        .into_iter()
                        .map(|h| h.join().expect("a search thread"))
                        .collect::<Vec<_>>()
                });
                explore::merge(reports).expect("at least one thread")
            };
            let seconds = started.elapsed().as_secs_f64();
            let mut out = serde_json::to_value(&report).expect("serializes");
            let rate = report.unique_states as f64 / seconds.max(1e-9);
            out["states_per_second"] = serde_json::json!(rate.round());
            out["steps_per_second"] =
                serde_json::json!((report.steps as f64 / seconds.max(1e-9)).round());
            out["elapsed_ms"] = serde_json::json!((seconds * 1e5).round() / 100.0);
            for finding in out["violations"].as_array_mut().into_iter().flatten() {
                with_link(finding, &base);
            }
            with_link(&mut out["blocked"]["first"], &base);
            Ok(serde_json::to_string_pretty(&out).expect("serializes") + "\n")
        }
        Command::Lessons { lang } => Ok(lesson::lessons()
            .iter()
            .map(|l| {
                format!(
                    "{}\t{}\t{} stops\t{}\n",
                    l.id,
                    l.family,
                    l.stops.len(),
                    l.title.get(&lang)
                )
            })
            .collect()),
        Command::Lesson { input, lang, base } => {
            let l = read_lesson(&input)?;
            let out = lesson_json(&l, &lang, &base)?;
            Ok(serde_json::to_string_pretty(&out).expect("serializes") + "\n")
        }
        Command::CheckHistory { input } => {
            let text = if input == "-" {
                std::io::read_to_string(std::io::stdin())
            } else {
                std::fs::read_to_string(&input)
            }
            .map_err(|e| Failure::Io(format!("cannot read {input}: {e}")))?;
            let history = History::parse(&text).map_err(Failure::History)?;
            let started = Instant::now();
            let report = history::check(&history);
            let seconds = started.elapsed().as_secs_f64();
            /// The report, how long it took, and the history it is about (its operations are
            /// what the report's indices count).
            #[derive(serde::Serialize)]
            struct Checked<'a> {
                #[serde(flatten)]
                report: &'a history::HistoryReport,
                elapsed_ms: f64,
                history: &'a History,
            }
            let out = Checked {
                report: &report,
                elapsed_ms: (seconds * 1e5).round() / 100.0,
                history: &history,
            };
            Ok(serde_json::to_string_pretty(&out).expect("serializes") + "\n")
        }
        Command::Link { input, base } => {
            if let Some(comparison) = read_comparison(&input)? {
                comparison.check()?;
                return Ok(link::compare_link(&base, &comparison) + "\n");
            }
            let scenario = read_scenario(&input)?;
            clusterplay_scenario::load(&scenario)?;
            Ok(link::link(&base, &scenario) + "\n")
        }
    }
}

/// Replace a finding's scenario by its share link.
fn with_link(finding: &mut serde_json::Value, base: &str) {
    let Some(obj) = finding.as_object_mut() else {
        return;
    };
    if let Some(scenario) = obj.remove("scenario") {
        if let Ok(s) = serde_json::from_value::<Scenario>(scenario) {
            obj.insert("link".into(), link::link(base, &s).into());
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

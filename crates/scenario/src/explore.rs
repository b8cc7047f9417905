//! "Find me a failure": a scenario explored exhaustively, and what is found made into scenarios.
//!
//! The scenario gives the protocol, its parameters, the cluster and a timeline; the explorer
//! (`clusterplay_sim::explore`) then tries every order in which its messages, timers and
//! timeline steps could happen, with the faults the options allow. Each broken invariant comes
//! back with the shortest path to it *as a scenario*: the same protocol and parameters, a
//! timeline holding the path's faults, and a `schedule` naming the event each step takes, so an
//! ordinary run (and its share link) shows exactly that interleaving.
//!
//! The search runs in slices: `Exploration::run_for` explores a bounded number of states and
//! returns the progress, so a web worker can post progress between slices and stop when asked.
//!
//! **The `explore` feature** (on by default) brings the search itself: `explore`,
//! `Exploration` and `Simulation::explorer`, which instantiate the explorer once per
//! protocol (about 320 KB of wasm). The page is built without it and leaves the search to its
//! web worker (`clusterplay-explore-worker`); what the two say to each other
//! ([`WorkerRequest`], [`WorkerReply`]) and the report's types are plain data, here in either
//! build.

use crate::error::ScenarioError;
use crate::model::Scenario;
#[cfg(feature = "explore")]
use crate::model::{Act, Step};
#[cfg(feature = "explore")]
use clusterplay_sim::explore::{replay, symmetry_groups, Choice, Explorer, Walks};
pub use clusterplay_sim::explore::{
    ExploreOptions, Faults, Progress, Semantics, Strategy, UNLIMITED,
};
#[cfg(feature = "explore")]
use clusterplay_sim::{to_ms, Action, NetworkConfig, NodeId, Protocol};
use serde::{Deserialize, Serialize};

/// A search in progress over one scenario's choices.
#[cfg(feature = "explore")]
pub trait Exploration {
    /// Explore at most `states` more states, then say where the search stands.
    fn run_for(&mut self, states: u64) -> Progress;
    fn progress(&self) -> Progress;
    /// What has been found so far, each finding with the scenario that replays it.
    fn report(&self) -> ExploreReport;
    /// Take only every `of`th random walk, starting with walk `index`: how `of` threads share
    /// one random search (their findings together are the single search's). Call it before
    /// the search starts; `options.walks` then counts this share's walks.
    fn share_walks(&mut self, index: u64, of: u64);
}

/// The reports of the shares of one random search ([`Exploration::share_walks`]) as one: walks
/// and steps added, and each invariant's finding from the lowest-numbered walk that broke it,
/// which is what one thread taking every walk in order reports.
pub fn merge(mut reports: Vec<ExploreReport>) -> Option<ExploreReport> {
    let mut out = reports.pop()?;
    for r in reports {
        out.walks += r.walks;
        out.steps += r.steps;
        out.depth = out.depth.max(r.depth);
        for f in r.violations {
            match out
                .violations
                .iter_mut()
                .find(|o| o.invariant == f.invariant)
            {
                Some(o) if o.walk > f.walk => *o = f,
                Some(_) => {}
                None => out.violations.push(f),
            }
        }
    }
    out.violations.sort_by_key(|f| f.walk);
    Some(out)
}

/// What the page posts to the explorer's web worker, as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerRequest {
    /// Explore `scenario` within `options`, posting [`WorkerReply::Progress`] between slices
    /// and [`WorkerReply::Done`] at the end.
    Explore {
        scenario: Box<Scenario>,
        options: ExploreOptions,
    },
    /// Stop after the current slice and post the report of what was found so far.
    Cancel,
    /// Check a history of one register (Jepsen lines or JSON): too large to check on the
    /// page's thread without a pause. Answered by [`WorkerReply::Checked`] or
    /// [`WorkerReply::HistoryRefused`].
    #[cfg(feature = "replication")]
    CheckHistory { text: String },
}

/// What the explorer's web worker posts back, as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerReply {
    /// The worker has loaded and listens: the page may post its request.
    Ready,
    Progress(Progress),
    /// The search is over: finished, stopped by a bound, or cancelled.
    Done {
        report: Box<ExploreReport>,
        states_per_second: f64,
        elapsed_ms: f64,
        cancelled: bool,
    },
    /// The scenario was refused (one exploration cannot follow, a bad bound), in both
    /// languages: the page says it in its own.
    Refused(ScenarioError),
    /// The request could not be read, or the worker broke; the text says why.
    Error(String),
    /// A history checked.
    #[cfg(feature = "replication")]
    Checked {
        history: Box<crate::history::History>,
        report: Box<crate::history::HistoryReport>,
        elapsed_ms: f64,
    },
    /// A history that could not be read, in both languages.
    #[cfg(feature = "replication")]
    HistoryRefused(crate::history::HistoryError),
}

/// What `clusterplay explore` prints (without the rate, which only the caller can time).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExploreReport {
    pub protocol: String,
    pub nodes: usize,
    pub network: String,
    pub faults: String,
    /// The groups of interchangeable nodes (by number) symmetry reduction merged renamings of:
    /// `unique_states` then counts one state per renaming. Absent without symmetry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symmetry: Vec<Vec<u32>>,
    pub max_depth: u32,
    pub max_states: u64,
    pub unique_states: u64,
    pub explored: u64,
    /// Steps from the start to the farthest state found.
    pub depth: u32,
    /// Every reachable state was explored: no bound cut the search short.
    pub exhausted: bool,
    /// `bfs`, `random` or `auto` ([`Strategy`]).
    #[serde(default)]
    pub strategy: String,
    /// Random walks taken, the steps they took, and the seed they were drawn from.
    #[serde(default)]
    pub walks: u64,
    #[serde(default)]
    pub steps: u64,
    #[serde(default)]
    pub seed: u64,
    /// Each broken invariant, with the shortest path found to it.
    pub violations: Vec<Finding>,
    /// States in which some node waits and only a fault could change anything.
    pub blocked: BlockedOut,
}

/// One thing found: where, how far from the start, and the scenario that shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariant: Option<String>,
    pub text: String,
    pub nodes: Vec<u32>,
    /// Steps from the start.
    pub depth: u32,
    /// What found it: `bfs` (the path is a shortest one) or `random` (a walk's path, shrunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_by: Option<String>,
    /// The random walk that found it (with the report's seed, it replays the walk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk: Option<u64>,
    /// Steps the walk took before shrinking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unshrunk_depth: Option<u32>,
    /// The steps, in words.
    pub path: Vec<String>,
    /// The scenario whose run takes exactly these steps (absent if it could not be made, see
    /// `replay_error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BlockedOut {
    pub states: u64,
    /// The blocked state with the most nodes waiting, the nearest of those; `nodes` are the
    /// ones that wait in it.
    pub first: Option<Finding>,
}

/// `"loss,dup,crash:1,partition"`: which faults, each with an optional budget (none: no limit).
pub fn parse_faults(text: &str) -> Result<Faults, ScenarioError> {
    let mut faults = Faults::default();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, budget) = match item.split_once(':') {
            Some((name, n)) => {
                let n: u32 = n.trim().parse().map_err(|_| {
                    ScenarioError::invalid(
                        "faults",
                        format!("\"{item}\": a budget is a whole number, as in crash:1"),
                        format!("“{item}”：次数上限须是整数，例如 `crash:1`"),
                    )
                })?;
                (name.trim(), n)
            }
            None => (item, UNLIMITED),
        };
        let slot = match name {
            "loss" => &mut faults.loss,
            "dup" | "duplicate" => &mut faults.duplicate,
            "crash" => &mut faults.crash,
            "partition" => &mut faults.partition,
            other => {
                return Err(ScenarioError::invalid(
                    "faults",
                    format!(
                        "\"{}\" is not a fault; choose from loss, dup, crash, partition",
                        other.chars().take(20).collect::<String>()
                    ),
                    format!(
                        "“{}”不是一种故障；可选 `loss`、`dup`、`crash`、`partition`",
                        other.chars().take(20).collect::<String>()
                    ),
                ))
            }
        };
        *slot = Some(budget);
    }
    Ok(faults)
}

/// The faults back in the form [`parse_faults`] reads.
pub fn faults_text(faults: &Faults) -> String {
    [
        ("loss", faults.loss),
        ("dup", faults.duplicate),
        ("crash", faults.crash),
        ("partition", faults.partition),
    ]
    .into_iter()
    .filter_map(|(name, budget)| match budget? {
        UNLIMITED => Some(name.to_string()),
        n => Some(format!("{name}:{n}")),
    })
    .collect::<Vec<_>>()
    .join(",")
}

pub fn parse_network(text: &str) -> Result<Semantics, ScenarioError> {
    Semantics::parse(text).ok_or_else(|| {
        ScenarioError::invalid(
            "network",
            format!(
                "\"{}\" is not a network; choose ordered, unordered or unordered-dup",
                text.chars().take(20).collect::<String>()
            ),
            format!(
                "“{}”不是一种网络语义；可选 `ordered`、`unordered` 或 `unordered-dup`",
                text.chars().take(20).collect::<String>()
            ),
        )
    })
}

#[cfg(feature = "explore")]
/// Start exploring `scenario`.
pub fn explore(
    scenario: &Scenario,
    options: ExploreOptions,
) -> Result<Box<dyn Exploration>, ScenarioError> {
    crate::load(scenario)?.explorer(options)
}

#[cfg(feature = "explore")]
/// The explorer behind a loaded simulation of `P` (what `Simulation::explorer` returns).
pub(crate) fn explorer<P: Protocol>(
    scenario: &Scenario,
    protocol: P,
    network: &NetworkConfig,
    options: ExploreOptions,
) -> Result<Box<dyn Exploration>, ScenarioError> {
    if protocol.reads_clock() {
        return Err(ScenarioError::invalid(
            "protocol",
            format!(
                "\"{}\" decides by its clock (leases, deadlines, timestamps), which exploration \
                 (where time is abstracted away) cannot follow: it would explore another \
                 algorithm; play it instead",
                scenario.protocol
            ),
            format!(
                "“{}”依据自己的时钟做决定（租约、截止时间、时间戳），而探索把时间抽象掉了，\
                 无法跟随：探索到的将是另一个算法；请直接运行它",
                scenario.protocol
            ),
        ));
    }
    let checked = scenario.validate()?;
    let mut script = Vec::with_capacity(checked.timeline.len());
    for (i, (_, action)) in checked.timeline.into_iter().enumerate() {
        let action = crate::simulation::command(&protocol, &scenario.protocol, i, action)?;
        let explorable = matches!(
            action,
            Action::Command { .. }
                | Action::Crash { .. }
                | Action::Recover { .. }
                | Action::Partition { .. }
                | Action::Heal
                | Action::Cut { .. }
                | Action::Restore { .. }
        );
        if !explorable {
            return Err(ScenarioError::invalid(
                format!("timeline[{i}]"),
                "names a message by its number or moves a clock, which exploration (where \
                 time is abstracted away) cannot follow: remove it to explore",
                "按编号指定了某条消息，或拨动了时钟；探索把时间抽象掉了，无法跟随这一步：\
                 请删除它再探索",
            ));
        }
        script.push(action);
    }
    if options.max_depth == 0 || options.max_states == 0 {
        return Err(ScenarioError::invalid(
            "explore",
            "the depth and the number of states must be at least 1",
            "的深度和状态数都必须至少为 1",
        ));
    }
    // Asked for and impossible, symmetry is refused rather than ignored: the counts would not
    // be what the learner asked for.
    if options.symmetry && symmetry_groups(&protocol, checked.nodes, &script).is_empty() {
        let name = &scenario.protocol;
        let refusal = if symmetry_groups(&protocol, checked.nodes, &[]).is_empty() {
            ScenarioError::invalid(
                name,
                "has no interchangeable nodes in this scenario, so symmetry reduction could \
                 merge states that differ: explore it without symmetry",
                "在这个场景中没有可互换的节点，对称性约简可能把本不相同的状态合并：\
                 请关闭对称性约简再探索",
            )
        } else {
            ScenarioError::invalid(
                "the timeline",
                format!(
                    "tells apart every node {name} could treat as interchangeable, so \
                     symmetry reduction has nothing to merge: explore it without symmetry"
                ),
                format!(
                    "把 {name} 本可视为可互换的节点全都区分开了，对称性约简无可合并：\
                     请关闭对称性约简再探索"
                ),
            )
        };
        return Err(refusal);
    }
    Ok(Box::new(SimExplorer {
        scenario: scenario.clone(),
        network: network.clone(),
        explorer: Explorer::new(protocol, checked.nodes, script, options),
        walks: Walks::new(options.seed, 0, 1),
    }))
}

#[cfg(feature = "explore")]
struct SimExplorer<P: Protocol> {
    scenario: Scenario,
    network: NetworkConfig,
    explorer: Explorer<P>,
    walks: Walks<P>,
}

#[cfg(feature = "explore")]
impl<P: Protocol> SimExplorer<P> {
    /// The finding for the state reached by `path`, with its replay.
    fn finding(&self, text: String, nodes: &[NodeId], path: Vec<Choice<P>>) -> Finding {
        let (scenario, replay_error) = match self.replay(&path) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        Finding {
            invariant: None,
            text,
            nodes: nodes.iter().map(|n| n.number()).collect(),
            depth: path.len() as u32,
            found_by: None,
            walk: None,
            unshrunk_depth: None,
            path: path.iter().map(Choice::describe).collect(),
            scenario,
            replay_error,
        }
    }

    fn replay(&self, path: &[Choice<P>]) -> Result<Scenario, String> {
        let r = replay(&self.explorer, &self.network, self.scenario.seed, path)
            .map_err(|e| e.to_string())?;
        let mut s = self.scenario.clone();
        s.network.loss = 0.0;
        s.network.duplicate = 0.0;
        s.network.manual = false;
        s.chaos = None;
        s.clocks = Vec::new();
        s.timeline = r
            .timeline
            .into_iter()
            .map(|(at, action)| {
                Ok(Step {
                    at_ms: to_ms(at),
                    act: act(action)?,
                })
            })
            .collect::<Result<_, String>>()?;
        s.schedule = r.schedule;
        s.until_ms = to_ms(r.until);
        Ok(s)
    }
}

#[cfg(feature = "explore")]
impl<P: Protocol> SimExplorer<P> {
    /// Each broken invariant once: breadth-first search's (a shortest path) first, then those
    /// only a walk reached (its path shrunk).
    fn findings(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .explorer
            .violations()
            .iter()
            .map(|f| Finding {
                invariant: Some(f.violation.invariant.to_owned()),
                found_by: Some(Strategy::Bfs.key().to_owned()),
                ..self.finding(
                    f.violation.text.clone(),
                    &f.violation.nodes,
                    self.explorer.path(f.state),
                )
            })
            .collect();
        for f in self.walks.found() {
            let invariant = f.violation.invariant;
            if out
                .iter()
                .any(|o| o.invariant.as_deref() == Some(invariant))
            {
                continue;
            }
            out.push(Finding {
                invariant: Some(invariant.to_owned()),
                found_by: Some(Strategy::Random.key().to_owned()),
                walk: Some(f.walk),
                unshrunk_depth: Some(f.unshrunk),
                ..self.finding(f.violation.text.clone(), &f.violation.nodes, f.path.clone())
            });
        }
        out
    }
}

#[cfg(feature = "explore")]
/// A replay's action as a timeline step.
fn act<C: Serialize + std::fmt::Debug>(action: Action<C>) -> Result<Act, String> {
    Ok(match action {
        Action::Command { node, command } => Act::Command {
            node,
            command: serde_json::to_value(command).map_err(|e| e.to_string())?,
        },
        Action::Crash { node } => Act::Crash { node },
        Action::Recover { node } => Act::Recover { node },
        Action::Partition { groups } => Act::Partition { groups },
        Action::Heal => Act::Heal,
        Action::Cut { from, to } => Act::Cut { from, to },
        Action::Restore { from, to } => Act::Restore { from, to },
        Action::Drop { msg } => Act::Drop { msg },
        Action::Duplicate { msg } => Act::Duplicate { msg },
        other => return Err(format!("a replay does not make {other:?}")),
    })
}

#[cfg(feature = "explore")]
impl<P: Protocol> SimExplorer<P> {
    /// Whether the search walks now: always for `random`; for `auto` once breadth-first
    /// search is over without having explored everything.
    fn walking(&self) -> bool {
        match self.explorer.options().strategy {
            Strategy::Bfs => false,
            Strategy::Random => true,
            Strategy::Auto => {
                let bfs = self.explorer.progress();
                bfs.done && !bfs.exhausted
            }
        }
    }
}

#[cfg(feature = "explore")]
impl<P: Protocol> Exploration for SimExplorer<P> {
    /// Breadth first, `states` is a number of states; walking, a number of steps.
    fn run_for(&mut self, states: u64) -> Progress {
        if self.walking() {
            let walks = self.explorer.options().walks;
            self.walks.run_for(&self.explorer, states, walks);
        } else {
            self.explorer.run_for(states);
        }
        self.progress()
    }

    fn share_walks(&mut self, index: u64, of: u64) {
        self.walks = Walks::new(self.explorer.options().seed, index, of);
    }

    fn progress(&self) -> Progress {
        let options = self.explorer.options();
        let mut p = self.explorer.progress();
        if options.strategy == Strategy::Bfs {
            return p;
        }
        let w = self.walks.progress();
        if options.strategy == Strategy::Random {
            p.unique_states = 0;
            p.explored = 0;
            p.queued = 0;
            p.exhausted = false;
        }
        let walked_out = w.walks >= options.walks;
        p.done = match options.strategy {
            Strategy::Random => walked_out,
            _ => p.done && (p.exhausted || walked_out),
        };
        // Breadth first, the depth is how far every state was searched; a walk's depth alone
        // says nothing of the kind, and is the report's depth only when nothing else ran.
        if options.strategy == Strategy::Random {
            p.depth = w.deepest;
        }
        p.walks = w.walks;
        p.steps = w.steps;
        // Counted, not made into findings: a finding replays its path, and progress is asked
        // for after every slice.
        let mut broken: Vec<&str> = self
            .explorer
            .violations()
            .iter()
            .map(|f| f.violation.invariant)
            .chain(self.walks.found().iter().map(|f| f.violation.invariant))
            .collect();
        broken.sort_unstable();
        broken.dedup();
        p.violations = broken.len();
        p
    }

    fn report(&self) -> ExploreReport {
        let p = self.progress();
        let options = self.explorer.options();
        let violations = self.findings();
        let blocked = self.explorer.blocked();
        let first = blocked.first.as_ref().map(|(state, _, waiting)| {
            self.finding(
                "nodes wait and only a fault (a recovery, a heal) could change anything"
                    .to_string(),
                waiting,
                self.explorer.path(*state),
            )
        });
        ExploreReport {
            protocol: self.scenario.protocol.clone(),
            nodes: self.scenario.nodes as usize,
            network: options.semantics.key().to_owned(),
            faults: faults_text(&options.faults),
            symmetry: self
                .explorer
                .symmetry()
                .iter()
                .map(|g| g.iter().map(|n| n.number()).collect())
                .collect(),
            max_depth: options.max_depth,
            max_states: options.max_states,
            unique_states: p.unique_states,
            explored: p.explored,
            depth: p.depth,
            exhausted: p.exhausted,
            strategy: options.strategy.key().to_owned(),
            walks: p.walks,
            steps: p.steps,
            seed: options.seed,
            violations,
            blocked: BlockedOut {
                states: blocked.states,
                first,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_the_worker_read_each_others_json() {
        let scenario = crate::preset("2pc-commit")
            .expect("preset")
            .scenario
            .clone();
        let request: WorkerRequest = serde_json::from_value(serde_json::json!({
            "explore": {
                "scenario": scenario,
                "options": { "semantics": "unordered", "faults": { "crash": 1 }, "max_states": 9 }
            }
        }))
        .expect("a request with options left out");
        let WorkerRequest::Explore { options, .. } = &request else {
            panic!("{request:?}");
        };
        assert_eq!(options.semantics, Semantics::Unordered);
        assert_eq!(options.faults.crash, Some(1));
        assert_eq!(options.faults.partition, None);
        assert_eq!(options.max_depth, ExploreOptions::default().max_depth);
        assert_eq!(
            serde_json::to_string(&WorkerRequest::Cancel).expect("json"),
            "\"cancel\""
        );
        for s in [
            Semantics::Ordered,
            Semantics::Unordered,
            Semantics::UnorderedDup,
        ] {
            assert_eq!(
                serde_json::to_value(s).expect("json"),
                serde_json::json!(s.key())
            );
        }
        let json = serde_json::to_string(&request).expect("json");
        assert_eq!(
            serde_json::from_str::<WorkerRequest>(&json).expect("back"),
            request
        );
    }

    #[cfg(feature = "explore")]
    #[test]
    fn a_report_survives_its_trip_to_the_page() {
        let scenario = crate::preset("2pc-commit")
            .expect("preset")
            .scenario
            .clone();
        let options = ExploreOptions {
            faults: parse_faults("crash:1").expect("faults"),
            ..ExploreOptions::default()
        };
        let mut search = explore(&scenario, options).expect("explores");
        search.run_for(u64::MAX);
        let reply = WorkerReply::Done {
            report: Box::new(search.report()),
            states_per_second: 1.5,
            elapsed_ms: 2.0,
            cancelled: false,
        };
        let json = serde_json::to_string(&reply).expect("json");
        assert_eq!(
            serde_json::from_str::<WorkerReply>(&json).expect("back"),
            reply
        );
    }

    #[cfg(feature = "explore")]
    #[test]
    fn a_refusal_reaches_the_page_in_both_languages() {
        let scenario = crate::preset("redlock-process-pause")
            .expect("preset")
            .scenario
            .clone();
        let Err(refusal) = explore(&scenario, ExploreOptions::default()) else {
            panic!("a protocol that reads its clock was explored");
        };
        let json = serde_json::to_string(&WorkerReply::Refused(refusal.clone())).expect("json");
        let Ok(WorkerReply::Refused(back)) = serde_json::from_str::<WorkerReply>(&json) else {
            panic!("{json}");
        };
        assert_eq!(back, refusal);
        let ScenarioError::Invalid { problem_zh, .. } = back else {
            panic!("{back:?}");
        };
        assert!(problem_zh.contains("时钟"), "{problem_zh}");
    }
}

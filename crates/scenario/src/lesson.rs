//! Lessons: a worked example told stop by stop, with questions the run answers.
//!
//! Watching an animation barely teaches more than reading (Hundhausen et al., 2002); predicting
//! what happens next, and changing the input to see the effect, does (Naps et al., 2002). A
//! lesson is a scenario (a preset's, or its own) plus an ordered list of stops. A stop is
//! anchored to something in the run — the first time a node becomes leader, when node 2
//! receives DoAbort, 250 ms — never to an event number, so a lesson survives small timing
//! changes. At a stop the page pauses and narrates; it may ask a multiple-choice question, and
//! it may ask the learner to act (crash the leader, drop the Accept to X), waiting until they do.
//!
//! The answer to a question is never written in the lesson: the lesson says where to read it
//! (the run's outcome, the next message a node sends, whether something happens before the end)
//! and the run — the one the learner is watching, with whatever they did so far — gives it. The
//! run is deterministic, so reading it ahead of the learner is reading what they will see.
//!
//! Everything here works on any [`Simulation`] by replaying the scenario from its start: a
//! lesson's runs are short, and a replay is exactly the run the page shows.

use crate::error::ScenarioError;
use crate::model::{Act, Scenario};
use crate::presets::Words;
use crate::registry::load;
use crate::simulation::Simulation;
use crate::view::MessageOut;
use clusterplay_sim::{Fate, NodeId, Time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;
use thiserror::Error;

/// Most stops a lesson may have, and most choices a question: a link is untrusted input.
pub const MAX_STOPS: usize = 40;
pub const MAX_CHOICES: usize = 12;
/// Most events a lesson's run may take to reach a stop: a lesson is a short story.
pub const MAX_LESSON_EVENTS: u64 = 200_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub family: String,
    pub title: Words,
    /// One or two sentences: what the learner will see and do.
    pub summary: Words,
    /// The preset whose scenario the lesson plays...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// ...or a scenario of its own (a teacher's lesson in a link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
    pub stops: Vec<Stop>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stop {
    pub when: Anchor,
    /// The narration: what just happened and what to look at.
    pub say: Words,
    /// Nodes to point at besides the one the anchor's event happened at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Question>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Task>,
}

/// Where a stop falls: the first event after the previous stop that matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Anchor {
    /// Before anything happens.
    Start,
    /// This virtual time: every event before it has run.
    Time { ms: f64 },
    /// A message (of `kind`) is sent (by `from`, to `to`).
    Send {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<u32>,
    },
    /// A message (of `kind`) arrives (at `to`, from `from`).
    Deliver {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<u32>,
    },
    /// A node (`node`, or any) takes on `role`.
    Role {
        role: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<u32>,
    },
    /// The run is over.
    End,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: Words,
    pub choices: Choices,
    /// Where the run gives the answer.
    pub answer: Read,
    /// Why the answer is what it is: shown after any answer, right or wrong.
    pub explain: Words,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Choices {
    /// `"nodes"`: every node of the cluster; `"yes-no"`: yes (true) or no (false).
    Named(NamedChoices),
    List(Vec<Choice>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamedChoices {
    Nodes,
    YesNo,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// What the run's answer must equal for this choice to be right.
    pub value: Value,
    /// How the choice reads; the value itself when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Words>,
}

/// Where a question's answer is read from the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "read", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Read {
    /// A value of the run's outcome at its end (a JSON pointer: `/critical_section_order/0`).
    Outcome { pointer: String },
    /// A field (`kind`, `from` or `to`) of the next message that `of` matches (a `send` or
    /// `deliver` anchor).
    Next { of: Anchor, field: MessageField },
    /// Whether `of` happens before the run ends: yes (true) or no (false).
    Happens { of: Anchor },
    /// A node's role at the next event that `of` matches (`end` for the run's end).
    RoleAt { node: u32, of: Anchor },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageField {
    Kind,
    From,
    To,
}

/// What the learner is asked to do; the lesson waits until they have done it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub prompt: Words,
    pub expect: Expect,
    /// Said once they have done it, before the lesson plays on.
    pub then: Words,
}

/// The kind of action a task asks for; the node (or the message's kind and ends) when given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Expect {
    Crash {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<u32>,
        /// The node crashed must have this role when it crashes ("crash the leader").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    Recover {
        node: u32,
    },
    /// Drop a message in flight of `kind` (to `to`, from `from`).
    Drop {
        kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<u32>,
    },
    /// Cut `node` off from all the others (a partition with it alone on one side).
    Isolate {
        node: u32,
    },
    /// Give a node a protocol command ("request", "timeout").
    Command {
        node: u32,
        command: Value,
    },
}

/// Why a lesson cannot be played, naming the stop where it can.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum LessonError {
    #[error("the lesson is not valid: {0}")]
    NotJson(String),
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("{what} {problem}")]
    Invalid { what: String, problem: String },
    #[error("stop {stop} ({anchor}) never happens in this run")]
    NeverReached { stop: usize, anchor: String },
    #[error("stop {stop}: the run's answer ({answer}) is none of the choices")]
    NoChoice { stop: usize, answer: String },
    #[error("stop {stop}: its task cannot be carried out here ({why})")]
    CannotAct { stop: usize, why: String },
    #[error("no lesson is called \"{0}\" (`clusterplay lessons` lists them)")]
    UnknownLesson(String),
}

fn invalid(what: impl Into<String>, problem: impl Into<String>) -> LessonError {
    LessonError::Invalid {
        what: what.into(),
        problem: problem.into(),
    }
}

/// Every built-in lesson, in catalogue order (the algorithms' order).
pub fn lessons() -> &'static [Lesson] {
    static ALL: OnceLock<Vec<Lesson>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::algorithms()
            .iter()
            .flat_map(|a| a.lessons)
            .map(|src| serde_json::from_str(src).expect("lessons are checked by the tests"))
            .collect()
    })
}

pub fn lesson(id: &str) -> Result<&'static Lesson, LessonError> {
    lessons()
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(|| LessonError::UnknownLesson(id.chars().take(60).collect()))
}

/// Parse a lesson's JSON (a file, or the inside of a `#l=` link) and check its shape.
pub fn from_json(json: &[u8]) -> Result<Lesson, LessonError> {
    let lesson: Lesson =
        serde_json::from_slice(json).map_err(|e| LessonError::NotJson(e.to_string()))?;
    lesson.check_shape()?;
    Ok(lesson)
}

impl Anchor {
    /// The anchor in words, for messages that name a stop.
    pub fn describe(&self) -> String {
        let ends = |from: &Option<u32>, to: &Option<u32>| {
            let mut s = String::new();
            if let Some(f) = from {
                s.push_str(&format!(" from node {f}"));
            }
            if let Some(t) = to {
                s.push_str(&format!(" to node {t}"));
            }
            s
        };
        match self {
            Anchor::Start => "the start".into(),
            Anchor::Time { ms } => format!("at {ms} ms"),
            Anchor::Send { kind, from, to } => {
                format!(
                    "{} sent{}",
                    kind.as_deref().unwrap_or("a message"),
                    ends(from, to)
                )
            }
            Anchor::Deliver { kind, from, to } => format!(
                "{} delivered{}",
                kind.as_deref().unwrap_or("a message"),
                ends(from, to)
            ),
            Anchor::Role {
                role,
                node: Some(n),
            } => format!("node {n} becomes {role}"),
            Anchor::Role { role, node: None } => format!("a node becomes {role}"),
            Anchor::End => "the end of the run".into(),
        }
    }

    fn nodes(&self) -> Vec<u32> {
        match self {
            Anchor::Send { from, to, .. } | Anchor::Deliver { from, to, .. } => {
                from.iter().chain(to).copied().collect()
            }
            Anchor::Role { node, .. } => node.iter().copied().collect(),
            _ => Vec::new(),
        }
    }
}

fn message_matches(m: &MessageOut, kind: Option<&str>, from: Option<u32>, to: Option<u32>) -> bool {
    kind.is_none_or(|k| m.kind == k)
        && from.is_none_or(|f| f == m.from)
        && to.is_none_or(|t| t == m.to)
}

/// Where a stop fell in the run: just after event `event`, at virtual time `time`; `None` for
/// a stop at the start, before any event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    pub event: Option<u64>,
    pub time: Time,
}

impl Found {
    /// Events run once the stop is reached.
    pub fn events(self) -> u64 {
        self.event.map_or(0, |e| e + 1)
    }
}

/// A run being searched: the scenario replayed from its start.
struct Search {
    sim: Box<dyn Simulation>,
    until: Time,
}

impl Search {
    /// The scenario replayed up to `events` events.
    fn new(scenario: &Scenario, events: u64) -> Result<Search, ScenarioError> {
        let until = scenario.validate()?.until;
        let mut sim = load(scenario)?;
        while sim.events() < events && sim.next_time().is_some_and(|t| t <= until) {
            sim.step();
        }
        Ok(Search { sim, until })
    }

    fn roles(&self) -> Vec<&'static str> {
        self.sim.cluster().nodes.iter().map(|n| n.role).collect()
    }

    /// Run on to the first event `anchor` matches; where it fell.
    fn find(&mut self, anchor: &Anchor) -> Option<Found> {
        let now = Found {
            event: self.sim.events().checked_sub(1),
            time: self.sim.now(),
        };
        match anchor {
            // The nodes' start-up events, if the engine counts them, happen at 0 ms.
            Anchor::Start => return (self.sim.now() == 0).then_some(now),
            Anchor::End => {
                while self.sim.next_time().is_some_and(|t| t <= self.until) {
                    self.sim.step()?;
                }
                return Some(Found {
                    event: self.sim.events().checked_sub(1),
                    time: self.until,
                });
            }
            // A moment of the run, whether or not anything happens then: every event
            // before it has run, none at or after it.
            Anchor::Time { ms } => {
                let at = (*ms * 1000.0).round() as Time;
                if at > self.until || at < self.sim.now() {
                    return None;
                }
                while self.sim.next_time().is_some_and(|t| t < at) {
                    self.sim.step()?;
                }
                return Some(Found {
                    event: self.sim.events().checked_sub(1),
                    time: at,
                });
            }
            _ => {}
        }
        let mut before = match anchor {
            Anchor::Role { .. } => self.roles(),
            _ => Vec::new(),
        };
        let budget = self.sim.events() + MAX_LESSON_EVENTS;
        while self.sim.events() < budget && self.sim.next_time().is_some_and(|t| t <= self.until) {
            let i = self.sim.step()?;
            let hit = match anchor {
                Anchor::Send { kind, from, to } => {
                    let sent = self.sim.log(i, i + 1).pop().map(|l| l.sent);
                    sent.into_iter().flatten().any(|id| {
                        self.sim
                            .message(id)
                            .is_some_and(|m| message_matches(&m, kind.as_deref(), *from, *to))
                    })
                }
                Anchor::Deliver { kind, from, to } => {
                    let msg = self.sim.log(i, i + 1).pop().and_then(|l| l.msg);
                    msg.and_then(|id| self.sim.message(id)).is_some_and(|m| {
                        matches!(m.fate, Fate::Delivered { event, .. } if event == i)
                            && message_matches(&m, kind.as_deref(), *from, *to)
                    })
                }
                Anchor::Role { role, node } => {
                    let after = self.roles();
                    let hit = after.iter().enumerate().any(|(k, r)| {
                        *r == role
                            && before.get(k) != Some(r)
                            && node.is_none_or(|n| n as usize == k + 1)
                    });
                    before = after;
                    hit
                }
                Anchor::Start | Anchor::Time { .. } | Anchor::End => false,
            };
            if hit {
                return Some(Found {
                    event: Some(i),
                    time: self.sim.now(),
                });
            }
        }
        None
    }

    fn read(&mut self, read: &Read) -> Option<Value> {
        match read {
            Read::Outcome { pointer } => {
                self.find(&Anchor::End)?;
                self.sim.report().outcome.pointer(pointer).cloned()
            }
            Read::Next { of, field } => {
                let found = self.find(of)?;
                let i = found.event?;
                let line = self.sim.log(i, i + 1).pop()?;
                let m = match of {
                    Anchor::Send { kind, from, to } => line
                        .sent
                        .filter_map(|id| self.sim.message(id))
                        .find(|m| message_matches(m, kind.as_deref(), *from, *to))?,
                    _ => self.sim.message(line.msg?)?,
                };
                Some(match field {
                    MessageField::Kind => Value::from(m.kind),
                    MessageField::From => Value::from(m.from),
                    MessageField::To => Value::from(m.to),
                })
            }
            Read::Happens { of } => Some(Value::Bool(self.find(of).is_some())),
            Read::RoleAt { node, of } => {
                self.find(of)?;
                let cluster = self.sim.cluster();
                let n = cluster.nodes.get((*node as usize).checked_sub(1)?)?;
                Some(Value::from(n.role))
            }
        }
    }
}

/// Where `stop`'s anchor falls in `scenario`'s run after its first `from` events.
pub fn locate(
    scenario: &Scenario,
    from: u64,
    anchor: &Anchor,
) -> Result<Option<Found>, ScenarioError> {
    Ok(Search::new(scenario, from)?.find(anchor))
}

/// The answer the run gives to `read` asked after its first `at` events, if it gives one.
pub fn answer(scenario: &Scenario, at: u64, read: &Read) -> Result<Option<Value>, ScenarioError> {
    Ok(Search::new(scenario, at)?.read(read))
}

/// Two answers are the same when equal as JSON, numbers by value (`1` is `1.0`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

impl Question {
    /// The choices as values with their labels, for a cluster of `nodes`.
    pub fn options(&self, nodes: usize) -> Vec<(Value, Option<Words>)> {
        match &self.choices {
            Choices::Named(NamedChoices::Nodes) => {
                (1..=nodes as u64).map(|n| (Value::from(n), None)).collect()
            }
            Choices::Named(NamedChoices::YesNo) => vec![
                (
                    Value::Bool(true),
                    Some(Words {
                        en: "Yes".into(),
                        zh: "会".into(),
                    }),
                ),
                (
                    Value::Bool(false),
                    Some(Words {
                        en: "No".into(),
                        zh: "不会".into(),
                    }),
                ),
            ],
            Choices::List(list) => list
                .iter()
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect(),
        }
    }
}

impl Expect {
    /// Whether the learner's `act`, taken on `sim` as it is now, is what the task asks for.
    pub fn matches(&self, act: &Act, sim: &dyn Simulation) -> bool {
        let number = |id: &NodeId| id.number();
        match (self, act) {
            (Expect::Crash { node, role }, Act::Crash { node: n }) => {
                node.is_none_or(|want| want == number(n))
                    && role.as_deref().is_none_or(|want| {
                        sim.cluster()
                            .nodes
                            .get(n.index())
                            .is_some_and(|v| v.role == want)
                    })
            }
            (Expect::Recover { node }, Act::Recover { node: n }) => *node == number(n),
            (Expect::Drop { kind, from, to }, Act::Drop { msg }) => sim
                .message(*msg)
                .is_some_and(|m| message_matches(&m, Some(kind), *from, *to)),
            (Expect::Isolate { node }, Act::Partition { groups }) => groups
                .iter()
                .any(|g| g.len() == 1 && number(&g[0]) == *node),
            (
                Expect::Command { node, command },
                Act::Command {
                    node: n,
                    command: c,
                },
            ) => *node == number(n) && command == c,
            _ => false,
        }
    }

    /// The action a learner doing as asked takes on `sim` as it is now (what `clusterplay
    /// lesson` does for them); why none can be taken otherwise.
    pub fn act(&self, sim: &dyn Simulation) -> Result<Act, String> {
        let id = |n: u32| NodeId::from_number(n).ok_or_else(|| format!("there is no node {n}"));
        match self {
            Expect::Crash { node: Some(n), .. } => Ok(Act::Crash { node: id(*n)? }),
            Expect::Crash { node: None, role } => {
                let cluster = sim.cluster();
                let v = cluster
                    .nodes
                    .iter()
                    .find(|v| v.up && role.as_deref().is_none_or(|r| v.role == r))
                    .ok_or_else(|| format!("no node up is {}", role.as_deref().unwrap_or("up")))?;
                Ok(Act::Crash { node: id(v.id)? })
            }
            Expect::Recover { node } => Ok(Act::Recover { node: id(*node)? }),
            Expect::Drop { kind, from, to } => sim
                .messages_since(sim.now())
                .into_iter()
                .find(|m| {
                    matches!(m.fate, Fate::InFlight) && message_matches(m, Some(kind), *from, *to)
                })
                .map(|m| Act::Drop { msg: m.id })
                .ok_or_else(|| format!("no {kind} message is in flight")),
            Expect::Isolate { node } => {
                let all = sim.cluster().nodes.len() as u32;
                let rest = (1..=all)
                    .filter(|n| n != node)
                    .map(id)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Act::Partition {
                    groups: vec![vec![id(*node)?], rest],
                })
            }
            Expect::Command { node, command } => Ok(Act::Command {
                node: id(*node)?,
                command: command.clone(),
            }),
        }
    }
}

impl Lesson {
    /// The scenario the lesson plays.
    pub fn scenario(&self) -> Result<Scenario, LessonError> {
        match (&self.preset, &self.scenario) {
            (Some(id), None) => Ok(crate::preset(id)?.scenario.clone()),
            (None, Some(s)) => Ok(s.clone()),
            _ => Err(invalid(
                "the lesson",
                "needs exactly one of \"preset\" and \"scenario\"",
            )),
        }
    }

    /// What can be checked without running it: sizes, words in both languages, nodes that
    /// exist.
    pub fn check_shape(&self) -> Result<(), LessonError> {
        let scenario = self.scenario()?;
        let nodes = scenario.validate()?.nodes as u32;
        if self.stops.is_empty() || self.stops.len() > MAX_STOPS {
            return Err(invalid(
                "stops",
                format!(
                    "has {}; a lesson has 1 to {MAX_STOPS} stops",
                    self.stops.len()
                ),
            ));
        }
        let words = |what: String, w: &Words| {
            if w.en.trim().is_empty() || w.zh.trim().is_empty() {
                Err(invalid(what, "needs both English (en) and Chinese (zh)"))
            } else {
                Ok(())
            }
        };
        words("title".into(), &self.title)?;
        words("summary".into(), &self.summary)?;
        let node = |what: String, n: u32| {
            if (1..=nodes).contains(&n) {
                Ok(())
            } else {
                Err(invalid(
                    what,
                    format!("names node {n}, but the cluster has {nodes} nodes"),
                ))
            }
        };
        for (i, stop) in self.stops.iter().enumerate() {
            let at = |what: &str| format!("stops[{i}].{what}");
            words(at("say"), &stop.say)?;
            for n in stop
                .when
                .nodes()
                .into_iter()
                .chain(stop.highlight.iter().copied())
            {
                node(at("when"), n)?;
            }
            if let Anchor::Time { ms } = stop.when {
                if !ms.is_finite() || ms < 0.0 {
                    return Err(invalid(at("when.ms"), "must be a time of 0 ms or more"));
                }
            }
            if let Some(q) = &stop.ask {
                words(at("ask.prompt"), &q.prompt)?;
                words(at("ask.explain"), &q.explain)?;
                let options = q.options(nodes as usize);
                if options.len() < 2 || options.len() > MAX_CHOICES {
                    return Err(invalid(
                        at("ask.choices"),
                        format!(
                            "has {}; a question has 2 to {MAX_CHOICES} choices",
                            options.len()
                        ),
                    ));
                }
                for (k, (_, label)) in options.iter().enumerate() {
                    if let Some(label) = label {
                        words(at(&format!("ask.choices[{k}].label")), label)?;
                    }
                }
            }
            if let Some(t) = &stop.act {
                words(at("act.prompt"), &t.prompt)?;
                words(at("act.then"), &t.then)?;
                let n = match &t.expect {
                    Expect::Crash { node, .. } => *node,
                    Expect::Recover { node } | Expect::Isolate { node } => Some(*node),
                    Expect::Command { node, .. } => Some(*node),
                    Expect::Drop { from, to, .. } => from.or(*to),
                };
                if let Some(n) = n {
                    node(at("act.expect"), n)?;
                }
            }
        }
        Ok(())
    }

    /// Play the lesson as a learner who answers nothing and does what each task asks: every
    /// stop with where it fell, every question with the run's answer, and the scenario with
    /// the learner's actions in it. Refused, naming the stop, when a stop never happens, an
    /// answer is none of the choices, or a task cannot be carried out.
    pub fn walk(&self) -> Result<Walk, LessonError> {
        self.check_shape()?;
        let mut scenario = self.scenario()?;
        let nodes = scenario.validate()?.nodes;
        let mut events = 0;
        let mut stops = Vec::new();
        for (i, stop) in self.stops.iter().enumerate() {
            let number = i + 1;
            let found = locate(&scenario, events, &stop.when)?.ok_or_else(|| {
                LessonError::NeverReached {
                    stop: number,
                    anchor: stop.when.describe(),
                }
            })?;
            events = found.events();
            let answer = match &stop.ask {
                None => None,
                Some(q) => {
                    let value = answer(&scenario, events, &q.answer)?.unwrap_or(Value::Null);
                    let right = q
                        .options(nodes)
                        .iter()
                        .position(|(v, _)| same(v, &value))
                        .ok_or_else(|| LessonError::NoChoice {
                            stop: number,
                            answer: value.to_string(),
                        })?;
                    Some((value, right))
                }
            };
            let acted = match &stop.act {
                None => None,
                Some(task) => {
                    let mut sim = Search::new(&scenario, events)?.sim;
                    let act = task
                        .expect
                        .act(sim.as_ref())
                        .map_err(|why| LessonError::CannotAct { stop: number, why })?;
                    sim.act(found.time, act.clone())?;
                    scenario = sim.scenario().clone();
                    Some(act)
                }
            };
            stops.push(WalkStop {
                stop: number,
                at: found,
                answer,
                acted,
            });
        }
        Ok(Walk { stops, scenario })
    }
}

/// A lesson played through: see [`Lesson::walk`].
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    pub stops: Vec<WalkStop>,
    /// The scenario with the actions the tasks asked for.
    pub scenario: Scenario,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WalkStop {
    /// One-based.
    pub stop: usize,
    pub at: Found,
    /// The run's answer and the index of the choice it makes right.
    pub answer: Option<(Value, usize)>,
    pub acted: Option<Act>,
}

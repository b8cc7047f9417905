//! Random scenarios for the `safety*` property tests: a node count, a seed, a network (latency,
//! loss, duplication, reordering) and a timeline of faults at random moments, drawn as a
//! [`Mix`] says, then run and checked.
//!
//! Each file sets out its own mix and says why in its module doc; [`BASE`] is the mix the mutex
//! tests of `safety.rs` started with, and the others are told against it.

use std::ops::Range;

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::{link, run, Report};
use clusterplay_sim::NodeId;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Node `k`, counting from 1.
pub fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

/// What one fault is drawn from: its moment in microseconds, two nodes `a` and `b` (counting
/// from 1, possibly the same) and a message id.
pub struct Draw {
    pub us: u32,
    pub a: u32,
    pub b: u32,
    pub msg: u64,
}

/// How a file's random scenarios are drawn, besides the protocol and the node count.
///
/// Each kind of fault has a weight: of every sum-of-the-weights faults drawn, that many are of
/// the kind on average (0: never). Nodes and message ids are those of the fault's [`Draw`].
#[derive(Clone)]
pub struct Mix {
    /// How long a run lasts.
    pub until_ms: f64,
    /// The latency's lower bound is drawn from `latency_ms`, its upper bound is that plus one
    /// drawn from `spread_ms`; both are then raised by `latency_floor_ms`.
    pub latency_ms: Range<u32>,
    pub spread_ms: Range<u32>,
    pub latency_floor_ms: f64,
    /// Loss and duplication rates, in thousandths. Reordering is on in half the runs.
    pub loss_permille: Range<u32>,
    pub duplicate_permille: Range<u32>,
    /// How many faults a timeline has; they fall in its first `window_ms`.
    pub faults: Range<usize>,
    pub window_ms: u32,
    /// Node `a` crashes; node `a` recovers.
    pub crash: u8,
    pub recover: u8,
    /// Node `a`'s process stops for less than `pause_ms`.
    pub pause: u8,
    pub pause_ms: u32,
    /// Node `a`'s clock jumps by up to `jump_ms`, forward or back.
    pub jump: u8,
    pub jump_ms: u32,
    /// Nodes 1 to `a` are cut off from the others.
    pub partition: u8,
    /// Every partition and every cut is mended.
    pub heal: u8,
    /// Node `b` stops hearing node `a`; hears it again.
    pub cut: u8,
    pub restore: u8,
    /// The message is dropped; held back less than `delay_ms`; duplicated; delivered now.
    pub drop: u8,
    pub delay: u8,
    pub delay_ms: u32,
    pub duplicate: u8,
    pub deliver: u8,
    /// Node `a` is given one of `commands`, picked by the message id and written by `write`.
    pub command: u8,
    pub commands: &'static [&'static str],
    pub write: fn(&str, &Draw) -> Value,
    /// Message ids are drawn below this.
    pub msgs: u64,
    /// After the faults, at this moment, the network heals and every node recovers.
    pub all_clear_ms: Option<f64>,
}

/// Every kind of crash and network fault as likely as any other, no clock faults and no
/// commands, in the first 400 ms of a 500 ms run; latency from 0.5 ms up to 38.5 ms, loss and
/// duplication below 30% each.
pub const BASE: Mix = Mix {
    until_ms: 500.0,
    latency_ms: 0..20,
    spread_ms: 0..20,
    latency_floor_ms: 0.5,
    loss_permille: 0..300,
    duplicate_permille: 0..300,
    faults: 5..40,
    window_ms: 400,
    crash: 1,
    recover: 1,
    pause: 0,
    pause_ms: 0,
    jump: 0,
    jump_ms: 0,
    partition: 1,
    heal: 1,
    cut: 1,
    restore: 1,
    drop: 1,
    delay: 1,
    delay_ms: 50,
    duplicate: 1,
    deliver: 1,
    command: 0,
    commands: &[],
    write: by_name,
    msgs: 200,
    all_clear_ms: None,
};

/// A command that is just its name.
fn by_name(name: &str, _: &Draw) -> Value {
    json!(name)
}

#[derive(Clone, Copy)]
enum Kind {
    Crash,
    Recover,
    Pause,
    Jump,
    Partition,
    Heal,
    Cut,
    Restore,
    Drop,
    Delay,
    Duplicate,
    Deliver,
    Command,
}

impl Mix {
    /// Each kind of fault with its weight, in the order the draw numbers them.
    fn weights(&self) -> [(Kind, u8); 13] {
        [
            (Kind::Crash, self.crash),
            (Kind::Recover, self.recover),
            (Kind::Pause, self.pause),
            (Kind::Jump, self.jump),
            (Kind::Partition, self.partition),
            (Kind::Heal, self.heal),
            (Kind::Cut, self.cut),
            (Kind::Restore, self.restore),
            (Kind::Drop, self.drop),
            (Kind::Delay, self.delay),
            (Kind::Duplicate, self.duplicate),
            (Kind::Deliver, self.deliver),
            (Kind::Command, self.command),
        ]
    }

    /// The fault numbered `kind` (below the sum of the weights) of draw `d`.
    fn act(&self, mut kind: u8, d: &Draw) -> Act {
        let chosen = self
            .weights()
            .into_iter()
            .find_map(|(chosen, weight)| {
                if kind < weight {
                    Some(chosen)
                } else {
                    kind -= weight;
                    None
                }
            })
            .expect("the draw stays below the sum of the weights");
        let (a, b) = (node(d.a), node(d.b));
        match chosen {
            Kind::Crash => Act::Crash { node: a },
            Kind::Recover => Act::Recover { node: a },
            Kind::Pause => Act::Pause {
                node: a,
                for_ms: f64::from(d.us % (self.pause_ms * 1000)) / 1000.0,
            },
            Kind::Jump => Act::Jump {
                node: a,
                by_ms: f64::from(d.us % (2 * self.jump_ms * 1000)) / 1000.0
                    - f64::from(self.jump_ms),
            },
            Kind::Partition => Act::Partition {
                groups: vec![(1..=d.a).map(node).collect()],
            },
            Kind::Heal => Act::Heal,
            Kind::Cut => Act::Cut { from: a, to: b },
            Kind::Restore => Act::Restore { from: a, to: b },
            Kind::Drop => Act::Drop { msg: d.msg },
            Kind::Delay => Act::Delay {
                msg: d.msg,
                by_ms: f64::from(d.us % (self.delay_ms * 1000)) / 1000.0,
            },
            Kind::Duplicate => Act::Duplicate { msg: d.msg },
            Kind::Deliver => Act::Deliver { msg: d.msg },
            Kind::Command => Act::Command {
                node: a,
                command: (self.write)(self.commands[d.msg as usize % self.commands.len()], d),
            },
        }
    }
}

/// One fault on a cluster of `nodes`, at a moment in the mix's window.
fn fault(nodes: u32, mix: Mix) -> impl Strategy<Value = Step> {
    let kinds: u8 = mix.weights().iter().map(|&(_, weight)| weight).sum();
    (
        0..mix.window_ms * 1000,
        1..=nodes,
        1..=nodes,
        0..kinds,
        0..mix.msgs,
    )
        .prop_map(move |(us, a, b, kind, msg)| {
            let d = Draw { us, a, b, msg };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act: mix.act(kind, &d),
            }
        })
}

/// A scenario of `protocol` on a node count drawn from `nodes`, with network and faults as
/// `mix` says.
pub fn scenario(
    protocol: &'static str,
    nodes: Range<u32>,
    mix: Mix,
) -> impl Strategy<Value = Scenario> {
    let faults = mix.clone();
    (
        nodes,
        any::<u64>(),
        (mix.latency_ms.clone(), mix.spread_ms.clone()),
        (
            mix.loss_permille.clone(),
            mix.duplicate_permille.clone(),
            any::<bool>(),
        ),
    )
        .prop_flat_map(move |(nodes, seed, lat, net)| {
            (
                Just((nodes, seed, lat, net)),
                prop::collection::vec(fault(nodes, faults.clone()), faults.faults.clone()),
            )
        })
        .prop_map(
            move |((nodes, seed, (lo, spread), (loss, dup, reorder)), mut timeline)| {
                let mut s = Scenario::new(protocol, nodes);
                s.seed = seed;
                s.until_ms = mix.until_ms;
                s.network.latency_ms = [
                    f64::from(lo) + mix.latency_floor_ms,
                    f64::from(lo + spread) + mix.latency_floor_ms,
                ];
                s.network.loss = f64::from(loss) / 1000.0;
                s.network.duplicate = f64::from(dup) / 1000.0;
                s.network.reorder = reorder;
                if let Some(at_ms) = mix.all_clear_ms {
                    timeline.push(Step {
                        at_ms,
                        act: Act::Heal,
                    });
                    timeline.extend((1..=nodes).map(|k| Step {
                        at_ms,
                        act: Act::Recover { node: node(k) },
                    }));
                }
                s.timeline = timeline;
                s
            },
        )
}

/// The run of `s`; a scenario that does not load fails the case.
pub fn report(s: &Scenario) -> Result<Report, TestCaseError> {
    run(s).map_err(|e| TestCaseError::fail(e.to_string()))
}

/// The run of `s`, which must break no invariant; a failure names the link that replays it.
pub fn checked(s: &Scenario) -> Result<Report, TestCaseError> {
    let r = report(s)?;
    prop_assert!(
        r.violations.is_empty(),
        "{:?}\nreplay: {}",
        r.violations,
        replay(s)
    );
    Ok(r)
}

/// The link that replays `s` on a local page.
pub fn replay(s: &Scenario) -> String {
    link::link("http://127.0.0.1:8080/", s)
}

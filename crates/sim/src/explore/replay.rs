//! A path the explorer found, made into an ordinary run.
//!
//! The explorer's choices have no times; the engine's events do. To replay a path, the engine
//! runs with a seeded scheduler that is told, step by step, which pending event to take (its
//! place in the agenda) instead of the earliest, and the faults the path injects become timeline
//! actions: a crash, a partition, the drop or duplication of one numbered message. Under set
//! semantics a message the path delivers again is duplicated just before it arrives, so a copy
//! is left for the next time.
//!
//! Two passes. The first drives an engine along the path, scheduling each fault at the moment it
//! is needed; that fixes the timeline and which message is which. The second starts the engine
//! again exactly as a scenario with that timeline starts (every action already in the agenda)
//! and records the place of each event taken: the schedule. Both passes compare the nodes after
//! every step with the explorer's, so a replay that would show something else is refused.

use super::{Choice, Explorer, Semantics};
use crate::engine::{Action, Due, Engine};
use crate::network::NetworkConfig;
use crate::protocol::Protocol;
use crate::scheduler::SeededScheduler;
use crate::{MsgId, NodeId, Time};

/// What a scenario needs to replay a path: the actions to add, in the order taken, each at the
/// virtual time it is taken; the place in the agenda of each event taken; and the time of the
/// last.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay<C> {
    pub timeline: Vec<(Time, Action<C>)>,
    pub schedule: Vec<u32>,
    pub until: Time,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("step {0} of the path is not possible where it is taken")]
    Impossible(usize),
    #[error("the engine's run differs from the explored path at step {0}")]
    Diverged(usize),
}

/// Which pending event a step takes.
#[derive(Clone, Debug)]
enum Pick<P: Protocol> {
    Message(MsgId),
    Timer(NodeId, P::Timer),
    /// The action at this index of the replay's timeline.
    Action(usize),
}

/// Turn `path` (from `explorer`'s start) into a timeline and a schedule for an engine that runs
/// on `network` (loss, duplication and manual delivery off) with `seed`.
pub fn replay<P: Protocol>(
    explorer: &Explorer<P>,
    network: &NetworkConfig,
    seed: u64,
    path: &[Choice<P>],
) -> Result<Replay<P::Command>, ReplayError> {
    let expected = explorer
        .nodes_along(path)
        .map_err(ReplayError::Impossible)?;
    let network = NetworkConfig {
        loss_ppm: 0,
        duplicate_ppm: 0,
        manual: false,
        ..network.clone()
    };
    let nodes = explorer.initial.nodes.len();
    let protocol = explorer.protocol().clone();
    let dup_set = explorer.options().semantics == Semantics::UnorderedDup;

    let mut engine = Engine::new(
        protocol.clone(),
        nodes,
        network.clone(),
        SeededScheduler::new(seed),
    );
    let mut timeline: Vec<(Time, Action<P::Command>)> = Vec::new();
    let mut picks: Vec<Pick<P>> = Vec::new();
    for (k, choice) in path.iter().enumerate() {
        match choice {
            Choice::Script(i) => {
                let action = explorer
                    .script
                    .get(*i as usize)
                    .cloned()
                    .ok_or(ReplayError::Impossible(k))?;
                schedule(&mut engine, &mut timeline, &mut picks, action, k)?;
            }
            Choice::Deliver { from, to, msg, nth } => {
                let id =
                    message(&engine, *from, *to, msg, *nth).ok_or(ReplayError::Impossible(k))?;
                let again = path[k + 1..].iter().any(|c| {
                    matches!(c, Choice::Deliver { from: f, to: t, msg: m, .. }
                        if f == from && t == to && m == msg)
                });
                if dup_set && again {
                    schedule(
                        &mut engine,
                        &mut timeline,
                        &mut picks,
                        Action::Duplicate { msg: id },
                        k,
                    )?;
                }
                take(&mut engine, &mut picks, Pick::Message(id), k)?;
            }
            Choice::Timer { node, timer } => {
                take(
                    &mut engine,
                    &mut picks,
                    Pick::Timer(*node, timer.clone()),
                    k,
                )?;
            }
            Choice::Lose { from, to, msg, nth } | Choice::Duplicate { from, to, msg, nth } => {
                let id =
                    message(&engine, *from, *to, msg, *nth).ok_or(ReplayError::Impossible(k))?;
                let action = if matches!(choice, Choice::Lose { .. }) {
                    Action::Drop { msg: id }
                } else {
                    Action::Duplicate { msg: id }
                };
                schedule(&mut engine, &mut timeline, &mut picks, action, k)?;
            }
            Choice::Crash(node) => {
                let action = Action::Crash { node: *node };
                schedule(&mut engine, &mut timeline, &mut picks, action, k)?;
            }
            Choice::Recover(node) => {
                let action = Action::Recover { node: *node };
                schedule(&mut engine, &mut timeline, &mut picks, action, k)?;
            }
            Choice::Partition(island) => {
                let action = Action::Partition {
                    groups: vec![island.clone()],
                };
                schedule(&mut engine, &mut timeline, &mut picks, action, k)?;
            }
            Choice::Heal => schedule(&mut engine, &mut timeline, &mut picks, Action::Heal, k)?,
        }
        if engine.world().nodes() != expected[k].as_slice() {
            return Err(ReplayError::Diverged(k));
        }
    }

    let mut engine = Engine::new(protocol, nodes, network, SeededScheduler::new(seed));
    for (at, action) in &timeline {
        engine
            .schedule(*at, action.clone())
            .map_err(|_| ReplayError::Diverged(0))?;
    }
    let mut schedule = Vec::with_capacity(picks.len());
    for (k, pick) in picks.into_iter().enumerate() {
        let place = place(&engine, &pick).ok_or(ReplayError::Diverged(k))?;
        engine.scheduler_mut().push(place);
        schedule.push(place);
        engine.step().ok_or(ReplayError::Diverged(k))?;
    }
    if let Some(last) = expected.last() {
        if engine.world().nodes() != last.as_slice() {
            return Err(ReplayError::Diverged(path.len()));
        }
    }
    Ok(Replay {
        timeline,
        schedule,
        until: engine.now(),
    })
}

/// Schedule `action` a microsecond from now and take it at once: after the step before it in
/// time as well as in order, as the explorer's path has it. An operation a client begins by a
/// scripted command after another's answer arrived must not overlap that operation in the
/// replayed history.
fn schedule<P: Protocol>(
    engine: &mut Engine<P>,
    timeline: &mut Vec<(Time, Action<P::Command>)>,
    picks: &mut Vec<Pick<P>>,
    action: Action<P::Command>,
    k: usize,
) -> Result<(), ReplayError> {
    let at = engine.now() + 1;
    engine
        .schedule(at, action.clone())
        .map_err(|_| ReplayError::Impossible(k))?;
    timeline.push((at, action));
    take(engine, picks, Pick::Action(timeline.len() - 1), k)
}

/// Take the pending event `pick` as the next step.
fn take<P: Protocol>(
    engine: &mut Engine<P>,
    picks: &mut Vec<Pick<P>>,
    pick: Pick<P>,
    k: usize,
) -> Result<(), ReplayError> {
    let place = place(engine, &pick).ok_or(ReplayError::Impossible(k))?;
    engine.scheduler_mut().push(place);
    engine.step().ok_or(ReplayError::Impossible(k))?;
    picks.push(pick);
    Ok(())
}

/// Where `pick` sits in the agenda.
fn place<P: Protocol>(engine: &Engine<P>, pick: &Pick<P>) -> Option<u32> {
    let at = engine.world().agenda().position(|due| match (pick, due) {
        (Pick::Message(id), Due::Deliver { msg, .. }) => msg == *id,
        (Pick::Timer(n, t), Due::Timer { node, timer }) => node == *n && timer == t,
        (Pick::Action(i), Due::Action(seq)) => seq == *i as u64,
        _ => false,
    })?;
    u32::try_from(at).ok()
}

/// The number of the `nth` message in flight from `from` to `to` equal to `msg`, in send order.
fn message<P: Protocol>(
    engine: &Engine<P>,
    from: NodeId,
    to: NodeId,
    msg: &P::Msg,
    nth: u32,
) -> Option<MsgId> {
    let mut ids: Vec<MsgId> = engine
        .world()
        .agenda()
        .filter_map(|due| match due {
            Due::Deliver {
                msg: id,
                from: f,
                to: t,
                payload,
            } if f == from && t == to && payload == msg => Some(id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.get(nth as usize).copied()
}

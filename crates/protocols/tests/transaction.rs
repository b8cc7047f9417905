//! The transaction protocols, checked against the texts message by message.

use clusterplay_protocols::transaction::{
    three_phase::ThreePhase, two_phase::TwoPhase, Party, TxCommand, Vote,
};
use clusterplay_sim::*;

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

fn engine<P: Protocol<Command = TxCommand>>(p: P, nodes: usize, latency_ms: u64) -> Engine<P> {
    let mut e = Engine::new(
        p,
        nodes,
        NetworkConfig::fixed(ms(latency_ms)),
        SeededScheduler::new(0),
    );
    e.schedule(
        0,
        Action::Command {
            node: n(1),
            command: TxCommand::Begin,
        },
    )
    .unwrap();
    e
}

/// (from, to, label) of every message, in send order.
fn sends<P: Protocol>(e: &Engine<P>) -> Vec<(u32, u32, String)> {
    e.trace()
        .messages
        .iter()
        .map(|m| (m.from.number(), m.to.number(), m.payload.label()))
        .collect()
}

fn s(from: u32, to: u32, label: &str) -> (u32, u32, String) {
    (from, to, label.to_string())
}

fn states<P: Protocol>(e: &Engine<P>) -> Vec<&'static str>
where
    P::State: Party,
{
    e.world()
        .nodes()
        .iter()
        .map(|n| n.state.state_key())
        .collect()
}

fn two_phase(votes: Vec<Vote>) -> TwoPhase {
    TwoPhase {
        votes,
        names: vec!["order system".into(), "inventory".into()],
        vote_timeout: ms(100),
        retry: ms(100),
        send_gap: 0,
        cooperative: false,
        abort_when_in_doubt: false,
    }
}

/// Seed 004: the order system votes Yes, the inventory No; DoAbort to both, both answer
/// HaveCommitted.
#[test]
fn two_phase_seed_tshirt_exact_trace() {
    let mut e = engine(two_phase(vec![Vote::Yes, Vote::No]), 3, 10);
    e.run_until(ms(1000), 1000);
    assert_eq!(
        sends(&e),
        vec![
            s(1, 2, "CanCommit"),
            s(1, 3, "CanCommit"),
            s(2, 1, "Yes"),
            s(3, 1, "No"),
            s(1, 2, "DoAbort"),
            s(1, 3, "DoAbort"),
            s(2, 1, "HaveCommitted"),
            s(3, 1, "HaveCommitted"),
        ]
    );
    assert_eq!(states(&e), ["coordinator", "rolled-back", "rolled-back"]);
    assert_eq!(e.now(), ms(40));
    assert!(e.trace().violations.is_empty());
}

/// The coordinator's timeout in phase 1 aborts: a participant that never answers cannot hold
/// the others forever.
#[test]
fn two_phase_vote_timeout_aborts() {
    let mut e = engine(two_phase(vec![]), 3, 10);
    e.schedule(ms(5), Action::Crash { node: n(3) }).unwrap();
    e.run_until(ms(105), 1000);
    let labels: Vec<String> = sends(&e).into_iter().map(|m| m.2).collect();
    assert_eq!(
        labels,
        ["CanCommit", "CanCommit", "Yes", "DoAbort", "DoAbort"]
    );
    e.run_until(ms(300), 1000);
    assert_eq!(states(&e), ["coordinator", "rolled-back", "idle"]);
}

/// A participant in doubt that crashes keeps its locks: a prepared transaction survives a
/// restart, and it finishes once the decision reaches it.
#[test]
fn two_phase_prepared_participant_survives_a_crash() {
    let mut e = engine(two_phase(vec![]), 3, 10);
    e.schedule(ms(15), Action::Crash { node: n(2) }).unwrap();
    e.schedule(ms(200), Action::Recover { node: n(2) }).unwrap();
    e.run_until(ms(150), 1000);
    assert!(e.world().nodes()[1].state.holds_locks());
    e.run_until(ms(1000), 1000);
    assert_eq!(states(&e), ["coordinator", "committed", "committed"]);
    assert!(e.trace().violations.is_empty());
}

fn three_phase() -> ThreePhase {
    ThreePhase {
        votes: vec![],
        names: vec![],
        coordinator_timeout: ms(100),
        participant_timeout: ms(150),
        retry: ms(100),
    }
}

#[test]
fn three_phase_commit_exact_trace() {
    let mut e = engine(three_phase(), 3, 10);
    e.run_until(ms(1000), 1000);
    assert_eq!(
        sends(&e),
        vec![
            s(1, 2, "CanCommit"),
            s(1, 3, "CanCommit"),
            s(2, 1, "Yes"),
            s(3, 1, "Yes"),
            s(1, 2, "PreCommit"),
            s(1, 3, "PreCommit"),
            s(2, 1, "Ack"),
            s(3, 1, "Ack"),
            s(1, 2, "DoCommit"),
            s(1, 3, "DoCommit"),
            s(2, 1, "Ack: committed"),
            s(3, 1, "Ack: committed"),
        ]
    );
    assert_eq!(states(&e), ["coordinator", "committed", "committed"]);
}

/// A participant that said Yes but never got PreCommit aborts on its timeout; one that
/// acknowledged PreCommit commits on it.
#[test]
fn three_phase_participant_timeouts() {
    let mut e = engine(three_phase(), 3, 10);
    e.schedule(ms(15), Action::Crash { node: n(1) }).unwrap();
    e.run_until(ms(1000), 1000);
    assert_eq!(states(&e), ["coordinator", "rolled-back", "rolled-back"]);

    let mut e = engine(three_phase(), 3, 10);
    e.schedule(ms(25), Action::Crash { node: n(1) }).unwrap();
    e.run_until(ms(1000), 1000);
    assert_eq!(states(&e), ["coordinator", "committed", "committed"]);
    assert!(e.trace().violations.is_empty());
}

#[test]
fn three_phase_participants_are_interchangeable_only_with_those_that_vote_alike() {
    let mut p = three_phase();
    assert_eq!(p.symmetry(4), [vec![n(2), n(3), n(4)], vec![]]);
    p.votes = vec![Vote::Yes, Vote::No, Vote::Yes, Vote::No];
    assert_eq!(p.symmetry(5), [vec![n(2), n(4)], vec![n(3), n(5)]]);
}

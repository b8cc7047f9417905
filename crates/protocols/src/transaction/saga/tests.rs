//! The Saga step by step: its sends in order, its compensations newest first, an in-doubt
//! step compensated too, the orchestrator resuming from its log, and no step done twice.

use super::*;
use clusterplay_sim::{ms, Action, Engine, NetworkConfig, SeededScheduler};
use clusterplay_view::RunOf;

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

fn saga(nodes: usize, fails: Option<u32>) -> Engine<Saga> {
    let protocol = Saga {
        names: vec!["payment".into(), "warehouse".into()],
        fails: fails.map(n),
        step_timeout: ms(100),
        retry: ms(60),
    };
    let mut e = Engine::new(
        protocol,
        nodes,
        NetworkConfig::fixed(ms(5)),
        SeededScheduler::new(1),
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
fn sends(e: &Engine<Saga>) -> Vec<(u32, u32, String)> {
    e.trace()
        .messages
        .iter()
        .map(|m| (m.from.number(), m.to.number(), m.payload.label()))
        .collect()
}

fn s(from: u32, to: u32, label: &str) -> (u32, u32, String) {
    (from, to, label.to_string())
}

#[test]
fn every_step_commits_in_turn_and_the_saga_completes() {
    let mut e = saga(3, None);
    e.run_until(ms(500), 10_000);
    assert_eq!(
        sends(&e),
        vec![
            s(1, 2, "Do"),
            s(2, 1, "Done"),
            s(1, 3, "Do"),
            s(3, 1, "Done")
        ]
    );
    let o = e.outcome();
    assert_eq!(o["status"], "completed");
    assert_eq!(o["completed"], serde_json::json!(["payment", "warehouse"]));
    assert_eq!(o["compensated"], serde_json::json!([]));
    assert_eq!(o["consistent"], true);
    assert_eq!(o["finished_ms"], 20.0);
    assert!(e.trace().violations.is_empty());
}

#[test]
fn a_failed_step_turns_the_saga_back_and_compensates_newest_first() {
    let mut e = saga(4, Some(4));
    e.run_until(ms(500), 10_000);
    assert_eq!(
        sends(&e),
        vec![
            s(1, 2, "Do"),
            s(2, 1, "Done"),
            s(1, 3, "Do"),
            s(3, 1, "Done"),
            s(1, 4, "Do"),
            s(4, 1, "Failed"),
            s(1, 3, "Compensate"),
            s(3, 1, "Compensated"),
            s(1, 2, "Compensate"),
            s(2, 1, "Compensated"),
        ]
    );
    let o = e.outcome();
    assert_eq!(o["status"], "compensated");
    assert_eq!(o["failed"], "RM 4");
    assert_eq!(
        o["compensated"],
        serde_json::json!(["warehouse", "payment"])
    );
    assert_eq!(o["consistent"], true);
    assert!(e.trace().violations.is_empty());
}

#[test]
fn a_step_that_does_not_answer_is_compensated_too() {
    let mut e = saga(3, None);
    // The warehouse ships at 15 ms, but its answer is lost: the orchestrator cannot tell.
    e.run_until(ms(16), 10_000);
    let answer = e
        .trace()
        .messages
        .iter()
        .find(|m| m.from == n(3))
        .expect("the warehouse answered")
        .id;
    e.schedule(ms(16), Action::Drop { msg: answer }).unwrap();
    e.run_until(ms(500), 10_000);
    let o = e.outcome();
    assert_eq!(o["status"], "compensated");
    assert_eq!(
        o["compensated"],
        serde_json::json!(["warehouse", "payment"])
    );
    assert_eq!(o["consistent"], true);
    assert!(e.trace().violations.is_empty());
}

#[test]
fn the_orchestrator_resumes_from_its_log_after_a_crash() {
    let mut e = saga(3, Some(3));
    // Down after it asked the warehouse; back after the answer was lost on the way.
    e.schedule(ms(12), Action::Crash { node: n(1) }).unwrap();
    e.schedule(ms(40), Action::Recover { node: n(1) }).unwrap();
    e.run_until(ms(500), 10_000);
    let o = e.outcome();
    assert_eq!(o["status"], "compensated");
    assert_eq!(o["compensated"], serde_json::json!(["payment"]));
    assert_eq!(o["consistent"], true);
    let runs: Vec<(u32, u32)> = e
        .world()
        .nodes()
        .iter()
        .filter_map(|slot| match &slot.state {
            State::Participant(p) => Some((p.steps_run, p.compensations_run)),
            State::Coordinator(_) => None,
        })
        .collect();
    assert_eq!(
        runs,
        vec![(1, 1), (1, 0)],
        "each ran once, the failed step is not undone"
    );
}

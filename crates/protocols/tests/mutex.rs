//! The coffee-machine algorithms, checked against the texts message by message.

use clusterplay_protocols::mutex::{
    central::Central, ricart_agrawala::RicartAgrawala, token_ring::TokenRing, two_layer::TwoLayer,
    MutexCommand, Phase, Program, Usage,
};
use clusterplay_sim::*;

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

fn fixed(latency_ms: u64) -> NetworkConfig {
    NetworkConfig::fixed(ms(latency_ms))
}

fn request<P: Protocol<Command = MutexCommand>>(e: &mut Engine<P>, at_ms: u64, node: u32) {
    e.schedule(
        ms(at_ms),
        Action::Command {
            node: n(node),
            command: MutexCommand::Request,
        },
    )
    .unwrap();
}

/// (from, to, label) of every message, in send order.
fn sends<P: Protocol>(e: &Engine<P>) -> Vec<(u32, u32, String)> {
    e.trace()
        .messages
        .iter()
        .map(|m| (m.from.number(), m.to.number(), m.payload.label()))
        .collect()
}

fn entries<P: Protocol<Observation = clusterplay_protocols::mutex::MutexEvent>>(
    e: &Engine<P>,
) -> Vec<(u32, Time)> {
    e.trace()
        .observations
        .iter()
        .filter(|o| o.what == clusterplay_protocols::mutex::MutexEvent::Entered)
        .map(|o| (o.node.number(), o.time))
        .collect()
}

fn s(from: u32, to: u32, label: &str) -> (u32, u32, String) {
    (from, to, label.to_string())
}

/// Seed 000, "民主协商": programs 1, 2, 3; program 1 asks at timestamp 8, program 3 at
/// timestamp 12, program 2 does not want the machine.
#[test]
fn ricart_agrawala_worked_example_of_seed_000() {
    let ra = RicartAgrawala {
        usage: Usage { use_for: ms(30) },
        start_clocks: vec![7, 0, 11],
        failure_timeout: None,
        reply_while_using: false,
    };
    let mut e = Engine::new(ra, 3, fixed(5), SeededScheduler::new(0));
    request(&mut e, 8, 1);
    request(&mut e, 12, 3);
    e.run_until(ms(1000), 10_000);

    assert_eq!(
        sends(&e),
        vec![
            s(1, 2, "req 8"),
            s(1, 3, "req 8"),
            s(3, 1, "req 12"),
            s(3, 2, "req 12"),
            // Program 2 wants nothing and agrees; program 3 agrees because 8 < 12.
            s(2, 1, "ok 8"),
            s(3, 1, "ok 8"),
            // Program 2 agrees to 3 at once; program 1 defers until it is done.
            s(2, 3, "ok 12"),
            s(1, 3, "ok 12"),
        ]
    );
    // 1 has both agreements at 8 + 5 + 5 = 18 ms; it leaves at 48 ms and its deferred
    // agreement reaches 3 at 53 ms.
    assert_eq!(entries(&e), vec![(1, ms(18)), (3, ms(53))]);
    let deferral = e
        .trace()
        .events
        .iter()
        .flat_map(|ev| ev.notes.iter())
        .find(|note| note.en().starts_with("defers"))
        .unwrap();
    assert_eq!(deferral, "defers 3 (ts 12): own request ts 8 is earlier");
    assert!(e.trace().violations.is_empty());
    assert_eq!(
        e.trace().messages.len() / entries(&e).len(),
        4,
        "2(n−1) for n = 3"
    );
}

#[test]
fn ricart_agrawala_ties_go_to_the_lower_id() {
    let ra = RicartAgrawala {
        usage: Usage::default(),
        start_clocks: vec![],
        failure_timeout: None,
        reply_while_using: false,
    };
    let mut e = Engine::new(ra, 3, fixed(5), SeededScheduler::new(0));
    request(&mut e, 0, 3);
    request(&mut e, 0, 2);
    e.run_until(ms(1000), 10_000);
    // Both ask with timestamp 1: program 2 wins the tie.
    assert_eq!(
        entries(&e).iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![2, 3]
    );
}

#[test]
fn central_costs_three_messages_per_use_and_serves_in_arrival_order() {
    let c = Central {
        coordinator: n(1),
        usage: Usage { use_for: ms(30) },
        backup: None,
    };
    let mut e = Engine::new(c, 4, fixed(5), SeededScheduler::new(0));
    request(&mut e, 0, 3);
    request(&mut e, 1, 2);
    request(&mut e, 2, 4);
    e.run_until(ms(1000), 10_000);
    assert_eq!(
        sends(&e),
        vec![
            s(3, 1, "request"),
            s(2, 1, "request"),
            s(4, 1, "request"),
            s(1, 3, "grant"),
            s(3, 1, "release"),
            s(1, 2, "grant"),
            s(2, 1, "release"),
            s(1, 4, "grant"),
            s(4, 1, "release"),
        ]
    );
    assert_eq!(
        entries(&e).iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![3, 2, 4]
    );
}

#[test]
fn central_ignores_a_stale_grant_delivered_twice() {
    let c = Central {
        coordinator: n(1),
        usage: Usage { use_for: ms(30) },
        backup: None,
    };
    let mut e = Engine::new(c, 3, fixed(5), SeededScheduler::new(0));
    request(&mut e, 0, 2);
    // The grant to 2 (message 1) is duplicated and the copy held back until 2 waits again
    // (from 60 ms) while 3 uses the machine (60–90 ms): only its request number betrays it.
    e.schedule(ms(6), Action::Duplicate { msg: 1 }).unwrap();
    e.schedule(ms(7), Action::Delay { msg: 2, by: ms(60) })
        .unwrap();
    request(&mut e, 50, 3);
    request(&mut e, 60, 2);
    e.run_until(ms(1000), 10_000);
    assert!(
        e.trace().violations.is_empty(),
        "{:?}",
        e.trace().violations
    );
    let stale = e
        .trace()
        .events
        .iter()
        .flat_map(|ev| ev.notes.iter())
        .any(|note| note.en().contains("ignores a stale grant"));
    assert!(stale, "the late copy is recognised by its request number");
}

#[test]
fn token_ring_of_100_waits_for_99_passes() {
    let ring = TokenRing {
        usage: Usage::default(),
        recovery: None,
    };
    let mut e = Engine::new(ring, 100, fixed(1), SeededScheduler::new(0));
    request(&mut e, 0, 1);
    e.run_until(ms(100), 100_000);
    // Program 1 passed the token at start; it returns after 99 more hops of 1 ms.
    assert_eq!(entries(&e), vec![(1, ms(100))]);
}

#[test]
fn a_duplicated_token_does_not_become_two() {
    let ring = TokenRing {
        usage: Usage { use_for: ms(50) },
        recovery: None,
    };
    let net = NetworkConfig {
        duplicate_ppm: 1_000_000,
        ..fixed(5)
    };
    let mut e = Engine::new(ring, 4, net, SeededScheduler::new(0));
    for k in 1..=4 {
        request(&mut e, 0, k);
    }
    e.run_until(ms(2000), 100_000);
    assert!(e.trace().violations.is_empty());
    assert_eq!(entries(&e).len(), 4);
    let stale = e
        .trace()
        .events
        .iter()
        .flat_map(|ev| ev.notes.iter())
        .filter(|note| note.en().contains("stale token"))
        .count();
    assert!(stale > 0);
}

#[test]
fn two_layer_ring_serves_each_ring_in_global_turn() {
    let two = TwoLayer {
        usage: Usage { use_for: ms(10) },
        groups: 3,
    };
    // Rings {1,2,3} {4,5,6} {7,8,9}; coordinators 1, 4, 7.
    let mut e = Engine::new(two, 9, fixed(1), SeededScheduler::new(0));
    request(&mut e, 0, 9);
    request(&mut e, 0, 5);
    request(&mut e, 0, 3);
    e.run_until(ms(500), 100_000);
    let order: Vec<u32> = entries(&e).iter().map(|x| x.0).collect();
    assert_eq!(
        order,
        vec![3, 5, 9],
        "ring 1 first, then the global token moves on"
    );
    assert!(e.trace().violations.is_empty());
    // Every node but the coordinators can ask.
    let w = e.world();
    assert!(w.nodes().iter().all(|s| s.state.phase() != Phase::Waiting));
}

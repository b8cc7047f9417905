//! The page's window on a run: what it draws, and the promise that the share link of what a
//! learner did replays exactly what they saw.

use clusterplay_scenario::model::Act;
use clusterplay_scenario::{link, load, preset, Simulation};
use clusterplay_sim::{ms, Fate, NodeId};
use clusterplay_view::Layout;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn playing(id: &str) -> Box<dyn Simulation> {
    load(&preset(id).unwrap().scenario).unwrap()
}

#[test]
fn the_cluster_view_shows_roles_commands_timers_and_messages_in_flight() {
    let mut sim = playing("mutex-ra-seed");
    sim.run_until(ms(10), 1000);
    let c = sim.cluster();
    assert_eq!(c.layout, Layout::Circle);
    assert_eq!(c.nodes.len(), 3);
    assert_eq!(c.nodes[0].role, "waiting");
    assert!(c.nodes[0].commands.is_empty(), "already asked");
    assert_eq!(c.nodes[1].commands, vec![serde_json::json!("request")]);
    let flying = sim.messages_since(ms(10));
    assert_eq!(flying.len(), 2);
    assert!(flying
        .iter()
        .all(|m| m.fate == Fate::InFlight && m.label == "req 8"));
    // Later: program 1 holds the cup, with its "done" timer running down.
    sim.run_until(ms(30), 1000);
    let c = sim.cluster();
    let one = &c.nodes[0];
    assert_eq!((one.role, one.badges.clone()), ("using", vec!["cup"]));
    assert_eq!(one.timers.len(), 1);
    assert_eq!(one.timers[0].fires_at - one.timers[0].set_at, ms(30));
    assert_eq!(
        playing("mutex-central-queue").cluster().layout,
        Layout::Star { center: node(1) }
    );
}

#[test]
fn the_log_says_what_happened_in_words() {
    let mut sim = playing("mutex-ra-seed");
    sim.run_until(ms(500), 10_000);
    let log = sim.log(0, 1000);
    assert_eq!(log.len() as u64, sim.events());
    assert_eq!(log[0].text, "starts");
    assert!(log.iter().any(|l| l.text == "receives req 12 from 3"
        && l.notes == ["defers 3 (ts 12): own request ts 8 is earlier"]));
    assert_eq!(
        sim.log(5, 2).len(),
        0,
        "a reversed range is empty, not a panic"
    );
    assert_eq!(sim.log(u64::MAX, u64::MAX).len(), 0);
}

#[test]
fn what_a_learner_does_is_in_the_link_and_replays_exactly() {
    let mut sim = playing("mutex-central-queue");
    sim.run_until(ms(40), 10_000);
    // Crash the coordinator mid-run, step back, and act again earlier.
    sim.act(ms(40), Act::Crash { node: node(1) }).unwrap();
    sim.run_until(ms(70), 10_000);
    let back = sim.last_event_at_or_before(ms(35)).unwrap();
    sim.truncate(back + 1);
    let now = sim.now();
    sim.act(
        now,
        Act::Command {
            node: node(2),
            command: serde_json::json!("request"),
        },
    )
    .unwrap();
    sim.run_until(ms(1000), 100_000);
    let seen = sim.report();

    let shared = link::decode(&link::link("http://127.0.0.1:8080/", sim.scenario())).unwrap();
    assert_eq!(
        shared.timeline.len(),
        6,
        "the preset's four requests and the learner's two actions"
    );
    let replayed = clusterplay_scenario::run(&shared).unwrap();
    assert_eq!(replayed.trace_hash, seen.trace_hash);
    assert_eq!(replayed.outcome, seen.outcome);
}

#[test]
fn actions_in_the_past_or_on_missing_nodes_are_refused() {
    let mut sim = playing("mutex-ra-seed");
    sim.run_until(ms(50), 10_000);
    assert!(sim.act(ms(1), Act::Heal).is_err());
    let e = sim.act(ms(60), Act::Crash { node: node(7) }).unwrap_err();
    assert!(e.to_string().contains("names node 7"), "{e}");
    assert_eq!(
        sim.scenario().timeline.len(),
        2,
        "nothing refused was recorded"
    );
}

/// What the animation reads every frame, the flights not over at an instant, is exactly the
/// filter over every message of the run, at every point of every preset and after stepping
/// back (where the trace forgets the later flights but keeps its bound).
#[test]
fn recent_flights_are_exactly_those_not_over() {
    for p in clusterplay_scenario::presets() {
        let mut sim = load(&p.scenario).unwrap();
        let end = (p.scenario.until_ms * 1000.0) as u64;
        for i in 1..=8 {
            sim.run_until(end * i / 8, 1_000_000);
            if i == 6 {
                sim.truncate(sim.events() / 2);
            }
            let now = sim.now();
            let all = sim.messages_since(0);
            for since in [0, now / 3, now / 2, now.saturating_sub(ms(20)), now] {
                let want: Vec<_> = all
                    .iter()
                    .filter(|m| m.ended_at().is_none_or(|t| t >= since))
                    .cloned()
                    .collect();
                assert_eq!(sim.messages_since(since), want, "{} at {since}", p.id);
            }
        }
    }
}

//! The explorer on a toy protocol small enough to count by hand, and its paths replayed by the
//! engine: node 1 sends A then B to node 2, which remembers what it heard in order. Invariants:
//! node 2 hears A first (broken only by losing A on a FIFO link, or by reordering), and never
//! hears A twice (broken only by duplication).

use clusterplay_sim::explore::{replay, ExploreOptions, Explorer, Faults, Semantics};
use clusterplay_sim::*;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Pair;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Msg {
    A,
    B,
}
impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::A => "a",
            Msg::B => "b",
        }
    }
}

impl Protocol for Pair {
    type State = Vec<Msg>;
    type Msg = Msg;
    type Timer = u8;
    type Command = u8;
    type Observation = ();

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> Vec<Msg> {
        if id.index() == 0 {
            out.send(NodeId::from_index(1), Msg::A);
            out.send(NodeId::from_index(1), Msg::B);
        }
        Vec::new()
    }
    fn on_msg(&self, _: NodeId, s: &mut Vec<Msg>, _: NodeId, m: Msg, _: &mut Out<Self>) {
        s.push(m);
    }
    fn on_timer(&self, _: NodeId, _: &mut Vec<Msg>, _: u8, _: &mut Out<Self>) {}
    fn on_command(&self, _: NodeId, _: &mut Vec<Msg>, _: u8, _: &mut Out<Self>) {}
    fn on_crash(&self, _: NodeId, s: &Vec<Msg>) -> Vec<Msg> {
        s.clone()
    }
    fn on_recover(&self, _: NodeId, _: &mut Vec<Msg>, _: &mut Out<Self>) {}
    fn check(&self, nodes: &[NodeSlot<Vec<Msg>>]) -> Vec<Violation> {
        let heard = &nodes[1].state;
        let mut out = Vec::new();
        if heard.first() == Some(&Msg::B) {
            out.push(Violation {
                invariant: "a-first",
                text: "B arrived first".into(),
                nodes: vec![nodes[1].id],
            });
        }
        if heard.iter().filter(|m| **m == Msg::A).count() > 1 {
            out.push(Violation {
                invariant: "a-once",
                text: "A arrived twice".into(),
                nodes: vec![nodes[1].id],
            });
        }
        out
    }
}

fn explore(semantics: Semantics, faults: Faults) -> Explorer<Pair> {
    let options = ExploreOptions {
        semantics,
        faults,
        ..ExploreOptions::default()
    };
    let mut e = Explorer::new(Pair, 2, Vec::new(), options);
    e.run();
    e
}

/// Replay the path to the violation of `invariant` in the engine; the invariants it breaks.
fn replayed(e: &Explorer<Pair>, invariant: &str) -> Vec<&'static str> {
    let found = e
        .violations()
        .iter()
        .find(|f| f.violation.invariant == invariant)
        .unwrap_or_else(|| panic!("{invariant} not found: {:?}", e.violations()));
    let network = NetworkConfig::default();
    let r = replay(e, &network, 7, &e.path(found.state)).expect("replays");
    let mut engine = Engine::new(
        Pair,
        2,
        network,
        SeededScheduler::with_schedule(7, r.schedule),
    );
    for (at, action) in r.timeline {
        engine.schedule(at, action).expect("schedules");
    }
    engine.run_until(r.until, 1000);
    engine
        .trace()
        .violations
        .iter()
        .map(|v| v.invariant)
        .collect()
}

#[test]
fn a_fifo_link_without_faults_keeps_order_and_counts_every_state() {
    let e = explore(Semantics::Ordered, Faults::default());
    let p = e.progress();
    // [A, B] in flight; A arrives; B arrives.
    assert_eq!(p.unique_states, 3);
    assert!(p.exhausted);
    assert!(e.violations().is_empty());
}

#[test]
fn losing_a_on_a_fifo_link_lets_b_arrive_first_and_the_engine_replays_it() {
    let e = explore(
        Semantics::Ordered,
        Faults {
            loss: Some(1),
            ..Faults::default()
        },
    );
    assert_eq!(e.violations().len(), 1);
    assert_eq!(replayed(&e, "a-first"), ["a-first"]);
}

#[test]
fn duplication_delivers_a_twice_and_the_engine_replays_it() {
    let e = explore(
        Semantics::Ordered,
        Faults {
            duplicate: Some(1),
            ..Faults::default()
        },
    );
    assert!(replayed(&e, "a-once").contains(&"a-once"));
}

#[test]
fn set_semantics_reorders_and_repeats_without_any_fault() {
    let e = explore(Semantics::UnorderedDup, Faults::default());
    // Node 2's list grows with every arrival of B, so only the depth bound ends the search.
    let p = e.progress();
    assert!(!p.exhausted);
    assert_eq!(p.depth, ExploreOptions::default().max_depth);
    assert_eq!(replayed(&e, "a-first"), ["a-first"]);
    assert!(replayed(&e, "a-once").contains(&"a-once"));
}

//! Figure 3's invariants as the checker sees them, on clusters built by hand: each one holds
//! where it should and is found broken where it is, with the nodes and the index it names.

use super::*;

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

/// A follower of `term` holding `entries`, each `(term, "key=value")`.
fn node(number: u32, term: u64, entries: &[(u64, &str)]) -> NodeSlot<State> {
    let mut state = State {
        term,
        voted_for: None,
        role: Role::Follower { leader: None },
        log: Vec::new(),
        commit: 0,
        kv: BTreeMap::new(),
        led: BTreeSet::new(),
        applied: Vec::new(),
        prefix: Vec::new(),
    };
    for (t, write) in entries {
        let (key, value) = write.split_once('=').unwrap();
        state.append(Entry {
            term: *t,
            key: key.into(),
            value: value.into(),
        });
    }
    NodeSlot {
        id: n(number),
        up: true,
        state,
    }
}

fn found(nodes: &[NodeSlot<State>]) -> Vec<(&'static str, String)> {
    let raft = Raft {
        election_timeout: (150, 300),
        heartbeat: 50,
        commit_by_counting: false,
    };
    raft.check(nodes)
        .into_iter()
        .map(|v| (v.invariant, v.text))
        .collect()
}

#[test]
fn logs_that_are_prefixes_of_one_another_match() {
    let a = [(1, "x=1"), (1, "y=2"), (2, "x=3")];
    let cluster = [
        node(1, 2, &a),
        node(2, 2, &a[..2]),
        node(3, 2, &a),
        node(4, 2, &[]),
        node(5, 2, &a[..1]),
    ];
    assert_eq!(found(&cluster), vec![]);
}

#[test]
fn the_same_term_at_an_index_over_different_prefixes_breaks_log_matching() {
    let cluster = [
        node(1, 2, &[(1, "x=1"), (2, "y=2")]),
        node(2, 2, &[(1, "x=1")]),
        node(3, 2, &[(1, "x=9"), (2, "y=2"), (2, "z=3")]),
    ];
    assert_eq!(
        found(&cluster),
        vec![(
            "log-matching",
            "nodes 1 and 3 both hold #1 of term 1 but their logs differ up to it".to_string()
        )]
    );
}

#[test]
fn logs_that_part_in_different_terms_match() {
    // Figure 7's followers: logs may differ after they part, never at one index and term.
    let cluster = [
        node(1, 3, &[(1, "x=1"), (2, "y=2"), (3, "z=3")]),
        node(2, 3, &[(1, "x=1"), (3, "y=7")]),
    ];
    assert_eq!(found(&cluster), vec![]);
}

#[test]
fn two_leaders_of_one_term_break_election_safety() {
    let mut cluster = [node(1, 4, &[]), node(2, 4, &[]), node(3, 4, &[])];
    cluster[0].state.led.insert(3);
    cluster[2].state.led.extend([2, 4]);
    assert_eq!(found(&cluster), vec![]);
    cluster[1].state.led.insert(4);
    assert_eq!(
        found(&cluster),
        vec![(
            "election-safety",
            "nodes 2 and 3 both led term 4".to_string()
        )]
    );
}

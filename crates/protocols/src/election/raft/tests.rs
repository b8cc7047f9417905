//! Figure 3's invariants as the checker sees them, on clusters built by hand: each one holds
//! where it should and is found broken where it is, with the nodes and the index it names.

use super::*;

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

/// A follower of `term` holding `entries`, each `(term, "key=value")`.
fn node(number: u32, term: u64, entries: &[(u64, &str)]) -> NodeSlot<State> {
    let mut state = State::new();
    state.term = term;
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
        vote_without_log_check: false,
        forget_vote_on_crash: false,
        rejoin_election: false,
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

/// `node` that has applied its first `applied` entries, each learned committed in `learned`.
fn applying(mut slot: NodeSlot<State>, applied: usize, learned: u64) -> NodeSlot<State> {
    for i in 0..applied {
        let term = slot.state.log[i].term;
        slot.state.record_applied(term, learned);
    }
    slot.state.commit = applied as u64;
    slot
}

fn leading(mut slot: NodeSlot<State>) -> NodeSlot<State> {
    slot.state.role = Role::Leader {
        next: BTreeMap::new(),
        matched: BTreeMap::new(),
    };
    slot
}

#[test]
fn nodes_that_applied_different_entries_at_one_index_break_state_machine_safety() {
    let a = [(1, "x=1"), (1, "y=2"), (2, "x=3")];
    let b = [(1, "x=1"), (1, "y=2"), (3, "x=4")];
    let agreeing = [
        applying(node(1, 3, &a), 2, 1),
        applying(node(2, 3, &a), 3, 2),
        applying(node(3, 3, &b), 2, 1),
        applying(node(4, 3, &a), 1, 1),
    ];
    assert_eq!(found(&agreeing), vec![]);
    let cluster = [
        applying(node(1, 3, &a), 1, 1),
        applying(node(2, 3, &a), 3, 2),
        applying(node(3, 3, &a), 2, 1),
        applying(node(4, 3, &b), 3, 3),
    ];
    assert_eq!(
        found(&cluster),
        vec![(
            "state-machine-safety",
            "nodes 2 and 4 applied different entries at #3".to_string()
        )]
    );
}

#[test]
fn a_leader_without_an_entry_committed_in_an_earlier_term_breaks_leader_completeness() {
    let a = [(1, "x=1"), (1, "y=2"), (2, "x=3")];
    // Entries 1 and 2 were learned committed in term 1, entry 3 only in term 3: a leader of
    // term 3 must hold the first two, and may lack the third.
    let committed = applying(node(1, 3, &a), 2, 1);
    let mut later = applying(node(2, 3, &a), 3, 3);
    later.state.applied[..2].copy_from_slice(&[(1, 2), (1, 2)]);
    let fine = [
        committed.clone(),
        later.clone(),
        leading(node(3, 3, &[(1, "x=1"), (1, "y=2"), (3, "z=9")])),
    ];
    assert_eq!(found(&fine), vec![]);
    let short = [
        committed.clone(),
        later.clone(),
        leading(node(3, 3, &[(1, "x=1")])),
    ];
    assert_eq!(
        found(&short),
        vec![(
            "leader-completeness",
            "leader 3 of term 3 lacks the committed entry #2 of term 1".to_string()
        )]
    );
    let other = [committed, later, leading(node(3, 3, &[(2, "x=7")]))];
    assert_eq!(
        found(&other),
        vec![(
            "leader-completeness",
            "leader 3 of term 3 lacks the committed entry #1 of term 1".to_string()
        )]
    );
}

/// Figure 3's definitions read from scratch, index by index: what the incremental checks must
/// agree with.
fn by_definition(nodes: &[NodeSlot<State>]) -> Vec<(&'static str, String)> {
    let mut agreed: Vec<(u64, NodeId, u64)> = Vec::new();
    for n in nodes {
        for (i, (term, learned)) in n.state.applied.iter().enumerate() {
            match agreed.get_mut(i) {
                None => agreed.push((*term, n.id, *learned)),
                Some((t, other, _)) if t != term => {
                    return vec![(
                        "state-machine-safety",
                        format!(
                            "nodes {other} and {} applied different entries at #{}",
                            n.id,
                            i + 1
                        ),
                    )];
                }
                Some((_, _, first)) => *first = (*first).min(*learned),
            }
        }
    }
    let mut found = Vec::new();
    for leader in nodes.iter().filter(|n| n.up && n.state.is_leader()) {
        let missing = agreed.iter().enumerate().find(|(i, (term, _, learned))| {
            *learned < leader.state.term && leader.state.term_at(*i as u64 + 1) != *term
        });
        if let Some((i, (term, _, _))) = missing {
            found.push((
                "leader-completeness",
                format!(
                    "leader {} of term {} lacks the committed entry #{} of term {term}",
                    leader.id,
                    leader.state.term,
                    i + 1
                ),
            ));
        }
    }
    found
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("CLUSTERPLAY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000)
    ))]

    /// On random clusters (logs of a few terms, each node having applied a prefix of its log,
    /// learned in non-decreasing terms, some of them leaders), the binary searches over running
    /// hashes report exactly what reading every entry reports.
    #[test]
    fn incremental_checks_agree_with_the_definitions(
        cluster in proptest::collection::vec(
            (
                proptest::collection::vec(1u64..4, 0..6),
                0usize..6,
                proptest::collection::vec(0u64..2, 6),
                1u64..6,
                proptest::bool::ANY,
            ),
            1..6,
        )
    ) {
        let nodes: Vec<NodeSlot<State>> = cluster
            .iter()
            .enumerate()
            .map(|(i, (steps, applied, learned_steps, term, leads))| {
                // Terms along a log never go down.
                let mut t = 0;
                let entries: Vec<(u64, &str)> = steps
                    .iter()
                    .map(|s| {
                        t += s - 1;
                        (t.max(1), "x=1")
                    })
                    .collect();
                let mut slot = node(i as u32 + 1, *term, &entries);
                let mut learned = 1;
                for k in 0..(*applied).min(entries.len()) {
                    learned += learned_steps[k];
                    slot.state.record_applied(entries[k].0, learned);
                }
                if *leads {
                    slot = leading(slot);
                }
                slot
            })
            .collect();
        let mut incremental = found(&nodes);
        incremental.retain(|(inv, _)| *inv == "state-machine-safety" || *inv == "leader-completeness");
        proptest::prop_assert_eq!(incremental, by_definition(&nodes));
    }
}

//! States per second on TwoPhase.tla, the explorer beside stateright's single-threaded
//! breadth-first checker. The stateright model below is the spec written directly against
//! stateright's `Model` trait, as stateright's own 2PC example does: RM states and the TM's
//! prepared flags as vectors, the messages as a `BTreeSet`.
//!
//! With symmetry reduction, stateright's representative is its 2PC example's: the RMs sorted by
//! their states alone (stateright reduces only depth first). It is sound but not canonical, so it
//! keeps more states than there are orbits (665 for five RMs, against the explorer's 314): the
//! rows compare time to the end, not states per second.

use clusterplay_explore_bench::{explore_twophase, explore_twophase_symmetric};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stateright::{Checker, Model, Property};
use std::collections::BTreeSet;

#[derive(Clone)]
struct TwoPhaseSys {
    rms: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TwoPhaseState {
    rm: Vec<Rm>,
    tm: Tm,
    prepared: Vec<bool>,
    msgs: BTreeSet<Msg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Rm {
    Working,
    Prepared,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Tm {
    Init,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Msg {
    Prepared(usize),
    Commit,
    Abort,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    TmRcvPrepared(usize),
    TmCommit,
    TmAbort,
    RmPrepare(usize),
    RmChooseToAbort(usize),
    RmRcvCommit(usize),
    RmRcvAbort(usize),
}

impl Model for TwoPhaseSys {
    type State = TwoPhaseState;
    type Action = Step;

    fn init_states(&self) -> Vec<TwoPhaseState> {
        vec![TwoPhaseState {
            rm: vec![Rm::Working; self.rms],
            tm: Tm::Init,
            prepared: vec![false; self.rms],
            msgs: BTreeSet::new(),
        }]
    }

    fn actions(&self, s: &TwoPhaseState, out: &mut Vec<Step>) {
        if s.tm == Tm::Init {
            if s.prepared.iter().all(|p| *p) {
                out.push(Step::TmCommit);
            }
            out.push(Step::TmAbort);
        }
        for r in 0..self.rms {
            if s.tm == Tm::Init && s.msgs.contains(&Msg::Prepared(r)) {
                out.push(Step::TmRcvPrepared(r));
            }
            if s.rm[r] == Rm::Working {
                out.push(Step::RmPrepare(r));
                out.push(Step::RmChooseToAbort(r));
            }
            if s.msgs.contains(&Msg::Commit) {
                out.push(Step::RmRcvCommit(r));
            }
            if s.msgs.contains(&Msg::Abort) {
                out.push(Step::RmRcvAbort(r));
            }
        }
    }

    fn next_state(&self, last: &TwoPhaseState, step: Step) -> Option<TwoPhaseState> {
        let mut s = last.clone();
        match step {
            Step::TmRcvPrepared(r) => s.prepared[r] = true,
            Step::TmCommit => {
                s.tm = Tm::Committed;
                s.msgs.insert(Msg::Commit);
            }
            Step::TmAbort => {
                s.tm = Tm::Aborted;
                s.msgs.insert(Msg::Abort);
            }
            Step::RmPrepare(r) => {
                s.rm[r] = Rm::Prepared;
                s.msgs.insert(Msg::Prepared(r));
            }
            Step::RmChooseToAbort(r) => s.rm[r] = Rm::Aborted,
            Step::RmRcvCommit(r) => s.rm[r] = Rm::Committed,
            Step::RmRcvAbort(r) => s.rm[r] = Rm::Aborted,
        }
        Some(s)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::<Self>::always("consistent", |_, s| {
            !(s.rm.contains(&Rm::Committed) && s.rm.contains(&Rm::Aborted))
        })]
    }
}

fn stateright_twophase(rms: usize) -> usize {
    let checker = TwoPhaseSys { rms }.checker().spawn_bfs().join();
    checker.assert_properties();
    checker.unique_state_count()
}

/// Stateright's 2PC representative: RMs stably sorted by state, the TM's flags and the
/// Prepared messages renamed to follow.
fn representative(s: &TwoPhaseState) -> TwoPhaseState {
    let mut order: Vec<usize> = (0..s.rm.len()).collect();
    order.sort_by_key(|r| s.rm[*r]);
    let mut new_name = vec![0; order.len()];
    for (new, old) in order.iter().enumerate() {
        new_name[*old] = new;
    }
    TwoPhaseState {
        rm: order.iter().map(|r| s.rm[*r]).collect(),
        tm: s.tm,
        prepared: order.iter().map(|r| s.prepared[*r]).collect(),
        msgs: s
            .msgs
            .iter()
            .map(|m| match m {
                Msg::Prepared(r) => Msg::Prepared(new_name[*r]),
                other => *other,
            })
            .collect(),
    }
}

fn stateright_twophase_symmetric(rms: usize) -> usize {
    let checker = TwoPhaseSys { rms }
        .checker()
        .symmetry_fn(representative)
        .spawn_dfs()
        .join();
    checker.assert_properties();
    checker.unique_state_count()
}

fn twophase(c: &mut Criterion) {
    let mut group = c.benchmark_group("twophase");
    group.sample_size(10);
    for rms in 3..=7 {
        let states = explore_twophase(rms).unique_states;
        assert_eq!(
            states as usize,
            stateright_twophase(rms),
            "both see one spec"
        );
        group.throughput(Throughput::Elements(states));
        group.bench_function(format!("clusterplay/{rms}"), |b| {
            b.iter(|| explore_twophase(rms))
        });
        group.bench_function(format!("stateright/{rms}"), |b| {
            b.iter(|| stateright_twophase(rms))
        });
        let orbits = explore_twophase_symmetric(rms).unique_states;
        let sorted = stateright_twophase_symmetric(rms);
        assert!(orbits as usize <= sorted, "one state per orbit at most");
        eprintln!(
            "{rms} RMs: {states} states; with symmetry {orbits} (stateright's representative: \
             {sorted})"
        );
        group.throughput(Throughput::Elements(orbits));
        group.bench_function(format!("clusterplay-symmetry/{rms}"), |b| {
            b.iter(|| explore_twophase_symmetric(rms))
        });
        group.throughput(Throughput::Elements(sorted as u64));
        group.bench_function(format!("stateright-symmetry-dfs/{rms}"), |b| {
            b.iter(|| stateright_twophase_symmetric(rms))
        });
    }
    group.finish();
}

criterion_group!(benches, twophase);
criterion_main!(benches);

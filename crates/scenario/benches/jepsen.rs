//! The linearizability checker on Jepsen's etcd histories (`tests/data/jepsen-etcd`): every
//! one of the 102 with a published verdict, parsed and checked, and checked alone after
//! parsing them once. Porcupine's `go test -run TestEtcdJepsen` parses and checks the same 102
//! in about 0.67 s on this machine kind.
//!
//! Run with `cargo bench -p clusterplay-scenario --bench jepsen`.

use clusterplay_protocols::replication::linearizability::{self, Verdict};
use clusterplay_scenario::history::History;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

fn histories() -> Vec<(String, String, bool)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/jepsen-etcd");
    ["VERDICTS.tsv", "MORE-VERDICTS.tsv"]
        .iter()
        .flat_map(|f| {
            let table = std::fs::read_to_string(dir.join(f)).expect("verdicts");
            table
                .lines()
                .skip(1)
                .map(|l| {
                    let (name, v) = l.split_once('\t').expect("two columns");
                    let text = std::fs::read_to_string(dir.join(name)).expect("history");
                    (name.to_string(), text, v == "true")
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn jepsen(c: &mut Criterion) {
    let all = histories();
    let ops: Vec<_> = all
        .iter()
        .map(|(name, text, linearizable)| {
            let h = History::parse(text).expect("parses");
            (name, h.operations(), h.initial_value(), *linearizable)
        })
        .collect();
    let mut group = c.benchmark_group("jepsen-etcd");
    group.sample_size(10);
    group.bench_function("parse-and-check-all-102", |b| {
        b.iter(|| {
            for (name, text, linearizable) in &all {
                let h = History::parse(black_box(text)).expect("parses");
                let v = linearizability::check(&h.operations(), h.initial_value());
                assert_eq!(v == Verdict::Linearizable, *linearizable, "{name}");
            }
        })
    });
    group.bench_function("all-102", |b| {
        b.iter(|| {
            for (name, h, initial, linearizable) in &ops {
                let v = linearizability::check(black_box(h), *initial);
                assert_eq!(v == Verdict::Linearizable, *linearizable, "{name}");
            }
        })
    });
    group.finish();
}

criterion_group!(benches, jepsen);
criterion_main!(benches);

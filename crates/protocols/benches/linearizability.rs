//! The linearizability checker on a single register: 1 000 operations from four clients with
//! overlapping operations, linearizable, and the same with one stale read at the end (which
//! also pays for the binary search to the first failing prefix).
//!
//! Run with `cargo bench -p clusterplay-protocols --bench linearizability`.

use clusterplay_protocols::replication::linearizability::{check, Kind, Operation, Verdict};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

/// Each operation takes effect at a point inside its interval, so the history is
/// linearizable; with `stale`, a last read returns a replaced value.
fn history(ops: usize, clients: u32, stale: bool) -> Vec<Operation> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rand = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let mut value = 0;
    let mut free_at = vec![0; clients as usize];
    let mut h = Vec::with_capacity(ops + 2);
    let mut now = 0;
    for i in 0..ops {
        let c = i as u32 % clients;
        now += 1 + rand(3);
        let invoke = now.max(free_at[c as usize]);
        let point = invoke + 1 + rand(5);
        let response = point + 1 + rand(5);
        free_at[c as usize] = response + 1;
        let kind = if rand(2) == 0 {
            value = i as u64 + 1;
            Kind::Write
        } else {
            Kind::Read
        };
        h.push(Operation {
            kind,
            ..Operation::write(c + 1, value, invoke, Some(response))
        });
        now = point;
    }
    if stale {
        let end = h.iter().filter_map(|o| o.response).max().unwrap_or(0);
        for (kind, v, at) in [
            (Kind::Write, u64::MAX - 1, end + 10),
            (Kind::Read, value, end + 30),
        ] {
            h.push(Operation {
                kind,
                ..Operation::write(clients + 1, v, at, Some(at + 10))
            });
        }
    }
    h
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("linearizability");
    for stale in [false, true] {
        let h = history(1_000, 4, stale);
        let name = if stale {
            "1000-ops-stale-read"
        } else {
            "1000-ops"
        };
        group.bench_with_input(BenchmarkId::from_parameter(name), &h, |b, h| {
            b.iter(|| {
                let v = check(black_box(h), 0);
                assert_eq!(v == Verdict::Linearizable, !stale);
                v
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

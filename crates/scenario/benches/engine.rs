//! Engine benchmarks: events per second for each coffee-machine variant at 5 and 50 nodes and
//! for Raft log replication at 5 and 51 nodes, and the cost of seeking to, and stepping back
//! from, event 100 000 of a long run, and what the page reads from a long run for every frame
//! it draws.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p clusterplay-scenario`); add `--features
//! erased` to measure the frame reads through the page's type-erased engine.

use clusterplay_protocols::mutex::{token_ring::TokenRing, Usage};
use clusterplay_scenario::model::Scenario;
use clusterplay_scenario::workloads::{busy, busy_for, replicating};
use clusterplay_scenario::{load, simulation::MAX_EVENTS};
use clusterplay_sim::{ms, Engine, Latency, NetworkConfig, SeededScheduler};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

fn events_of(s: &Scenario) -> u64 {
    let mut sim = load(s).unwrap();
    sim.run_until(ms(s.until_ms as u64), MAX_EVENTS);
    sim.events()
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("events");
    group.sample_size(10);
    for protocol in [
        "mutex-central",
        "mutex-ra",
        "mutex-token-ring",
        "mutex-two-layer",
    ] {
        for nodes in [5, 50] {
            let s = busy(protocol, nodes);
            group.throughput(Throughput::Elements(events_of(&s)));
            group.bench_with_input(BenchmarkId::new(protocol, nodes), &s, |b, s| {
                b.iter(|| {
                    let mut sim = load(s).unwrap();
                    sim.run_until(ms(s.until_ms as u64), MAX_EVENTS);
                    black_box(sim.events())
                })
            });
        }
    }
    for nodes in [5, 51] {
        let s = replicating(nodes);
        group.throughput(Throughput::Elements(events_of(&s)));
        group.bench_with_input(BenchmarkId::new("raft-log", nodes), &s, |b, s| {
            b.iter(|| {
                let mut sim = load(s).unwrap();
                sim.run_until(ms(s.until_ms as u64), MAX_EVENTS);
                black_box(sim.events())
            })
        });
    }
    group.finish();
}

/// A 5-node token ring with 1 ms links: one event per millisecond, forever.
fn long_run(events: u64) -> Engine<TokenRing> {
    let net = NetworkConfig {
        latency: Latency {
            min: ms(1),
            max: ms(1),
        },
        ..NetworkConfig::default()
    };
    let mut e = Engine::new(
        TokenRing {
            usage: Usage::default(),
            recovery: None,
        },
        5,
        net,
        SeededScheduler::new(1),
    );
    while e.events() < events {
        e.step();
    }
    e
}

fn seeking(c: &mut Criterion) {
    let e = long_run(100_001);
    let mut group = c.benchmark_group("seek");
    group.bench_function("world at event 100000", |b| {
        b.iter(|| black_box(e.world_at(black_box(100_000))))
    });
    group.bench_function("step back from 100000", |b| {
        b.iter(|| black_box(e.world_at(black_box(99_999))))
    });
    group.bench_function("truncate to 50000 (a learner acts in the past)", |b| {
        b.iter_batched(
            || e.clone(),
            |mut e| {
                e.truncate(50_000);
                black_box(e.events())
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// What the page reads from the live run for one frame, as `components/app.rs` does: the
/// cluster, the messages still in flight, the report (metrics, violations, outcome), the last
/// lines of the log and a second of the space-time diagram.
fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    let mut everyone = busy("mutex-ra", 9);
    everyone.until_ms = 60_000.0;
    // Ten times as long a run: shows which of the page's reads grow with the run.
    let mut longer = busy_for("mutex-ra", 9, 250);
    longer.until_ms = 60_000.0;
    let mut ring = Scenario::new("mutex-token-ring", 101);
    ring.until_ms = 60_000.0;
    for (name, s) in [
        ("mutex-ra 9 nodes", everyone),
        ("mutex-ra 9 nodes, 10x as long", longer),
        ("token ring 101 nodes", ring),
    ] {
        let mut sim = load(&s).unwrap();
        sim.run_until(ms(s.until_ms as u64), MAX_EVENTS);
        let (now, events) = (sim.now(), sim.events());
        let label = format!("{name}, {events} events");
        let second_ago = now.saturating_sub(ms(1_000));
        group.bench_function(BenchmarkId::new("cluster", &label), |b| {
            b.iter(|| black_box(sim.cluster()))
        });
        group.bench_function(BenchmarkId::new("messages in flight", &label), |b| {
            b.iter(|| black_box(sim.messages_since(second_ago)))
        });
        group.bench_function(BenchmarkId::new("report", &label), |b| {
            b.iter(|| black_box(sim.live_report()))
        });
        group.bench_function(BenchmarkId::new("log tail", &label), |b| {
            b.iter(|| black_box(sim.log(events.saturating_sub(200), events)))
        });
        group.bench_function(BenchmarkId::new("space-time second", &label), |b| {
            b.iter(|| black_box(sim.spacetime(second_ago, now)))
        });
    }
    group.finish();
}

criterion_group!(benches, throughput, seeking, frame);
criterion_main!(benches);

//! Engine behaviour, checked with a toy protocol small enough to predict by hand.
//!
//! `Echo`: on command `Ping(to)` a node sends `Ping` to `to`; a node that receives a `Ping`
//! answers `Pong` and enters a "critical section" that it leaves on a timer. Nothing stops two
//! nodes from being inside at once, which is exactly what the invariant machinery must catch.

use clusterplay_sim::*;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Echo;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct St {
    inside: bool,
    pongs: u32,
    timer_fires: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Msg {
    Ping,
    Pong,
}
impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Ping => "ping",
            Msg::Pong => "pong",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Timer {
    Leave,
    Tick,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
enum Cmd {
    Ping(NodeId),
    Tick,
}

impl Protocol for Echo {
    type State = St;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Cmd;
    type Observation = &'static str;

    fn init(&self, _id: NodeId, _out: &mut Out<Self>) -> St {
        St::default()
    }
    fn on_msg(&self, _id: NodeId, s: &mut St, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Ping => {
                out.send(src, Msg::Pong);
                s.inside = true;
                out.observe("enter");
                out.set_timer(Timer::Leave, ms(10), ms(10));
            }
            Msg::Pong => s.pongs += 1,
        }
    }
    fn on_timer(&self, _id: NodeId, s: &mut St, t: Timer, out: &mut Out<Self>) {
        match t {
            Timer::Leave => s.inside = false,
            Timer::Tick => {
                s.timer_fires += 1;
                out.set_timer(Timer::Tick, ms(1), ms(1));
            }
        }
    }
    fn on_command(&self, _id: NodeId, _s: &mut St, cmd: Cmd, out: &mut Out<Self>) {
        match cmd {
            Cmd::Ping(to) => out.send(to, Msg::Ping),
            Cmd::Tick => out.set_timer(Timer::Tick, ms(1), ms(1)),
        }
    }
    fn on_crash(&self, _id: NodeId, s: &St) -> St {
        St {
            pongs: s.pongs,
            ..St::default()
        }
    }
    fn on_recover(&self, _id: NodeId, _s: &mut St, _out: &mut Out<Self>) {}
    fn check(&self, nodes: &[NodeSlot<St>]) -> Vec<Violation> {
        let inside: Vec<NodeId> = nodes
            .iter()
            .filter(|n| n.up && n.state.inside)
            .map(|n| n.id)
            .collect();
        if inside.len() > 1 {
            vec![Violation {
                invariant: "one-inside",
                text: format!("{} nodes inside", inside.len()),
                nodes: inside,
            }]
        } else {
            vec![]
        }
    }
}

fn n(number: u32) -> NodeId {
    NodeId::from_number(number).unwrap()
}

fn fixed(latency_ms: u64) -> NetworkConfig {
    NetworkConfig::fixed(ms(latency_ms))
}

fn engine(nodes: usize, net: NetworkConfig) -> Engine<Echo> {
    Engine::new(Echo, nodes, net, SeededScheduler::new(1))
}

fn ping(e: &mut Engine<Echo>, at_ms: u64, from: u32, to: u32) {
    e.schedule(
        ms(at_ms),
        Action::Command {
            node: n(from),
            command: Cmd::Ping(n(to)),
        },
    )
    .unwrap();
}

fn run(e: &mut Engine<Echo>) {
    e.run_until(ms(10_000), 100_000);
}

#[test]
fn exact_trace_and_every_delivery_points_at_its_send() {
    let mut e = engine(2, fixed(5));
    ping(&mut e, 1, 1, 2);
    run(&mut e);
    let t = e.trace();
    let causes: Vec<(u64, Option<u32>, String)> = t
        .events
        .iter()
        .map(|ev| {
            (
                ev.time,
                ev.node.map(|x| x.number()),
                format!("{:?}", ev.cause),
            )
        })
        .collect();
    assert_eq!(
        causes,
        vec![
            (0, Some(1), "Start".into()),
            (0, Some(2), "Start".into()),
            (
                ms(1),
                Some(1),
                "Action { action: \"node 1: Ping(n2)\" }".into()
            ),
            (ms(6), Some(2), "Deliver { msg: 0 }".into()),
            (ms(11), Some(1), "Deliver { msg: 1 }".into()),
            (ms(16), Some(2), "Timer { timer: \"Leave\" }".into()),
        ]
    );
    let pong = &t.messages[1];
    assert_eq!((pong.from, pong.to, pong.kind), (n(2), n(1), "pong"));
    assert_eq!(
        pong.sent_event, 3,
        "sent while handling the ping's delivery"
    );
    assert_eq!(t.events[3].sent, 1..2);
    assert_eq!(
        pong.fate,
        Fate::Delivered {
            event: 4,
            time: ms(11)
        }
    );
}

#[test]
fn a_broken_invariant_is_recorded_once_with_its_event_and_time() {
    let mut e = engine(3, fixed(5));
    ping(&mut e, 0, 1, 2);
    ping(&mut e, 2, 1, 3);
    run(&mut e);
    let v = &e.trace().violations;
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].invariant, "one-inside");
    assert_eq!(
        v[0].time,
        ms(7),
        "node 3 enters at 2 + 5 ms while node 2 is inside"
    );
    assert_eq!(v[0].nodes, vec![n(2), n(3)]);
    assert_eq!(e.trace().events[v[0].index as usize].time, ms(7));
}

#[test]
fn a_one_way_cut_blocks_one_direction_only() {
    let mut e = engine(2, fixed(5));
    e.schedule(
        0,
        Action::Cut {
            from: n(2),
            to: n(1),
        },
    )
    .unwrap();
    ping(&mut e, 1, 1, 2);
    run(&mut e);
    let t = e.trace();
    assert!(
        matches!(t.messages[0].fate, Fate::Delivered { .. }),
        "1 → 2 still works"
    );
    assert!(
        matches!(
            t.messages[1].fate,
            Fate::Dropped {
                reason: DropReason::Partition,
                ..
            }
        ),
        "2 → 1 is cut"
    );
    assert_eq!(e.world().nodes()[0].state.pongs, 0);
}

#[test]
fn a_partition_drops_messages_between_islands_and_heal_restores() {
    let mut e = engine(3, fixed(5));
    e.schedule(
        0,
        Action::Partition {
            groups: vec![vec![n(1)]],
        },
    )
    .unwrap();
    ping(&mut e, 1, 2, 3);
    ping(&mut e, 1, 2, 1);
    e.schedule(ms(20), Action::Heal).unwrap();
    ping(&mut e, 30, 2, 1);
    run(&mut e);
    // 2→3 ping and its pong, 2→1 ping lost to the partition, then after the heal 2→1 ping
    // and its pong.
    assert_eq!(e.trace().messages.len(), 5);
    let dropped: Vec<(u32, u32)> = e
        .trace()
        .messages
        .iter()
        .filter(|m| !matches!(m.fate, Fate::Delivered { .. }))
        .map(|m| (m.from.number(), m.to.number()))
        .collect();
    assert_eq!(dropped, vec![(2, 1)]);
}

#[test]
fn message_faults_drop_delay_deliver_now_and_duplicate() {
    // Drop.
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    e.schedule(ms(1), Action::Drop { msg: 0 }).unwrap();
    run(&mut e);
    assert!(matches!(
        e.trace().messages[0].fate,
        Fate::Dropped {
            reason: DropReason::Dropped,
            ..
        }
    ));
    // Delay by 7 ms.
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    e.schedule(ms(1), Action::Delay { msg: 0, by: ms(7) })
        .unwrap();
    run(&mut e);
    assert_eq!(
        e.trace().messages[0].fate,
        Fate::Delivered {
            event: 4,
            time: ms(12)
        }
    );
    // Deliver now.
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    e.schedule(ms(1), Action::DeliverNow { msg: 0 }).unwrap();
    run(&mut e);
    assert!(matches!(
        e.trace().messages[0].fate,
        Fate::Delivered { time, .. } if time == ms(1)
    ));
    // Duplicate: two pings arrive, two pongs come back.
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    e.schedule(ms(1), Action::Duplicate { msg: 0 }).unwrap();
    run(&mut e);
    assert_eq!(e.trace().messages[1].copy_of, Some(0));
    assert_eq!(e.world().nodes()[0].state.pongs, 2);
    // Faults on a message no longer in flight are harmless notes.
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    e.schedule(ms(100), Action::Drop { msg: 0 }).unwrap();
    run(&mut e);
    assert!(e.trace().events.last().unwrap().notes[0]
        .en()
        .contains("not in flight"));
}

#[test]
fn crash_keeps_what_the_protocol_keeps_cancels_timers_and_loses_arrivals() {
    let mut e = engine(2, fixed(5));
    e.schedule(
        0,
        Action::Command {
            node: n(2),
            command: Cmd::Tick,
        },
    )
    .unwrap();
    ping(&mut e, 0, 2, 1); // node 2 gets a pong at 10 ms
    e.schedule(ms(20), Action::Crash { node: n(2) }).unwrap();
    ping(&mut e, 21, 1, 2); // arrives while 2 is down
    e.schedule(ms(40), Action::Recover { node: n(2) }).unwrap();
    run(&mut e);
    let s = &e.world().nodes()[1];
    assert!(s.up);
    assert_eq!(s.state.pongs, 1, "kept across the crash by on_crash");
    assert_eq!(
        s.state.timer_fires, 0,
        "volatile, and the tick timer died with the crash"
    );
    assert!(matches!(
        e.trace().messages[2].fate,
        Fate::Dropped {
            reason: DropReason::Crashed,
            ..
        }
    ));
    assert_eq!(e.world().timers().count(), 0);
}

#[test]
fn actions_run_after_engine_events_of_the_same_instant() {
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2);
    // The ping arrives at exactly 5 ms; a crash recorded "at 5 ms" comes after it.
    e.schedule(ms(5), Action::Crash { node: n(2) }).unwrap();
    run(&mut e);
    let causes: Vec<String> = e
        .trace()
        .events
        .iter()
        .map(|ev| format!("{:?}", ev.cause))
        .collect();
    let deliver = causes
        .iter()
        .position(|c| c == "Deliver { msg: 0 }")
        .unwrap();
    let crash = causes
        .iter()
        .position(|c| c.contains("crash node 2"))
        .unwrap();
    assert!(deliver < crash);
}

#[test]
fn bad_actions_are_refused() {
    let mut e = engine(2, fixed(5));
    assert_eq!(
        e.schedule(0, Action::Crash { node: n(3) }),
        Err(ActionError::NoSuchNode(3, 2))
    );
    ping(&mut e, 5, 1, 2);
    run(&mut e);
    assert!(matches!(
        e.schedule(0, Action::Heal),
        Err(ActionError::InThePast { .. })
    ));
}

/// A long, busy run: every node ticks every millisecond and pings its neighbour now and then.
fn busy(nodes: usize, seed: u64) -> Engine<Echo> {
    let net = NetworkConfig {
        latency: Latency {
            min: ms(1),
            max: ms(9),
        },
        loss_ppm: 50_000,
        duplicate_ppm: 50_000,
        reorder: true,
        ..NetworkConfig::default()
    };
    let mut e = Engine::new(Echo, nodes, net, SeededScheduler::new(seed));
    for i in 1..=nodes as u32 {
        e.schedule(
            0,
            Action::Command {
                node: n(i),
                command: Cmd::Tick,
            },
        )
        .unwrap();
    }
    for k in 0..200u64 {
        let from = (k % nodes as u64) as u32 + 1;
        let to = ((k + 1) % nodes as u64) as u32 + 1;
        ping(&mut e, k * 3, from, to);
        if k % 50 == 25 {
            e.schedule(ms(k * 3), Action::Crash { node: n(to) })
                .unwrap();
            e.schedule(ms(k * 3 + 20), Action::Recover { node: n(to) })
                .unwrap();
        }
    }
    e.run_until(ms(700), 1_000_000);
    e
}

#[test]
fn seeking_shows_exactly_the_world_of_the_live_run() {
    let mut live = busy(4, 3);
    let total = live.events();
    assert!(
        total > 2 * SNAPSHOT_EVERY,
        "long enough to cross snapshots: {total}"
    );
    let replay = busy(4, 3);
    // Step a fresh engine forward and compare with seeks into the finished one.
    let mut stepper = {
        let mut e = busy(4, 3);
        e.truncate(0);
        e
    };
    for target in [
        4,
        5,
        100,
        SNAPSHOT_EVERY,
        SNAPSHOT_EVERY + 1,
        total / 2,
        total - 1,
        total,
    ] {
        while stepper.events() < target {
            assert!(
                stepper.step().is_some(),
                "the run ended before event {target}"
            );
        }
        assert_eq!(
            &replay.world_at(target),
            stepper.world(),
            "at event {target}"
        );
    }
    // Step back and go forward again: the same run, hash for hash.
    let before = live.trace_hash();
    live.truncate(total / 3);
    assert_eq!(live.events(), total / 3);
    live.run_until(ms(700), 1_000_000);
    assert_eq!(live.trace_hash(), before);
    assert_eq!(live.trace().events.len() as u64, total);
}

#[test]
fn same_seed_same_trace_other_seed_other_trace() {
    assert_eq!(busy(4, 9).trace_hash(), busy(4, 9).trace_hash());
    assert_ne!(busy(4, 9).trace_hash(), busy(4, 10).trace_hash());
}

#[test]
fn fifo_links_never_reorder_and_reordering_links_can() {
    let mut net = NetworkConfig {
        latency: Latency {
            min: ms(1),
            max: ms(30),
        },
        ..NetworkConfig::default()
    };
    let order = |net: &NetworkConfig| {
        let mut e = Engine::new(Echo, 2, net.clone(), SeededScheduler::new(5));
        for k in 0..50 {
            ping(&mut e, k, 1, 2);
        }
        e.run_until(ms(1000), 100_000);
        let mut arrivals: Vec<(u64, u64)> = e
            .trace()
            .messages
            .iter()
            .filter(|m| m.from == n(1))
            .filter_map(|m| match m.fate {
                Fate::Delivered { event, .. } => Some((event, m.id)),
                _ => None,
            })
            .collect();
        arrivals.sort();
        arrivals.windows(2).all(|w| w[0].1 < w[1].1)
    };
    assert!(order(&net), "FIFO by default");
    net.reorder = true;
    assert!(!order(&net), "with reordering, some ping overtakes another");
}

/// A scheduler that always runs the latest pending event: stands in for a learner delivering
/// messages by hand, to show the choice of the next event really goes through the scheduler.
#[derive(Clone)]
struct Latest(SeededScheduler);

impl Scheduler for Latest {
    fn latency(&mut self, bounds: Latency) -> Span {
        self.0.latency(bounds)
    }
    fn lose(&mut self, ppm: u32) -> bool {
        self.0.lose(ppm)
    }
    fn duplicate(&mut self, ppm: u32) -> bool {
        self.0.duplicate(ppm)
    }
    fn timer(&mut self, lo: Span, hi: Span) -> Span {
        self.0.timer(lo, hi)
    }
    fn next_event(&mut self, agenda: &mut dyn Iterator<Item = Key>) -> Option<Key> {
        agenda.last()
    }
}

#[test]
fn the_scheduler_chooses_which_event_happens_next() {
    let mut e = Engine::new(Echo, 3, fixed(5), Latest(SeededScheduler::new(1)));
    // Two actions at 0 ms: the latest pending event is the second, so 1 pings 3 first
    // (message 0); its delivery at 5 ms is then later than the other action still due at 0 ms.
    e.schedule(
        0,
        Action::Command {
            node: n(1),
            command: Cmd::Ping(n(2)),
        },
    )
    .unwrap();
    e.schedule(
        0,
        Action::Command {
            node: n(1),
            command: Cmd::Ping(n(3)),
        },
    )
    .unwrap();
    e.step();
    e.step();
    let ev = &e.trace().events;
    assert!(
        matches!(&ev[3].cause, Cause::Action { action } if action == "node 1: Ping(n3)"),
        "{:?}",
        ev[3].cause
    );
    assert_eq!(
        (ev[4].cause.clone(), ev[4].node, ev[4].time),
        (Cause::Deliver { msg: 0 }, Some(n(3)), ms(5))
    );
    e.run_until(ms(1000), 1000);
    let ping2 = e.trace().events.iter().position(
        |ev| matches!(&ev.cause, Cause::Action { action } if action == "node 1: Ping(n2)"),
    );
    assert!(
        ping2.unwrap() > 4,
        "the earlier action ran later, at the time already reached"
    );
    let times: Vec<Time> = e.trace().events.iter().map(|ev| ev.time).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "time never runs backwards: {times:?}"
    );
}

#[test]
fn a_manual_network_holds_every_message_until_an_action_releases_it() {
    let net = NetworkConfig {
        manual: true,
        loss_ppm: 1_000_000,
        ..fixed(5)
    };
    let mut e = engine(3, net);
    ping(&mut e, 1, 1, 2);
    ping(&mut e, 1, 1, 3);
    e.run_until(ms(500), 1000);
    assert_eq!(e.world().held().collect::<Vec<_>>(), vec![0, 1]);
    assert!(matches!(e.trace().messages[0].fate, Fate::InFlight));
    // The learner delivers the first and drops the second.
    e.schedule(ms(500), Action::DeliverNow { msg: 0 }).unwrap();
    e.schedule(ms(501), Action::Drop { msg: 1 }).unwrap();
    e.run_until(ms(600), 1000);
    let t = e.trace();
    assert!(
        matches!(t.messages[0].fate, Fate::Delivered { time, .. } if time == ms(500)),
        "delivered when released, loss does not apply: {:?}",
        t.messages[0].fate
    );
    assert!(matches!(
        t.messages[1].fate,
        Fate::Dropped {
            reason: DropReason::Dropped,
            ..
        }
    ));
    // The answer to the delivered ping is held in turn.
    assert_eq!(e.world().held().collect::<Vec<_>>(), vec![2]);
    e.schedule(ms(600), Action::Delay { msg: 2, by: ms(7) })
        .unwrap();
    e.run_until(ms(700), 1000);
    assert!(matches!(e.trace().messages[2].fate, Fate::Delivered { time, .. } if time == ms(607)));
    assert_eq!(e.world().held().count(), 0);
}

#[test]
fn chaos_is_a_pure_function_of_its_seed_and_replays_when_seeking() {
    let run = |chaos: Option<Chaos>| {
        let mut e = engine(5, NetworkConfig::default());
        if let Some(c) = chaos {
            e.enable_chaos(c);
        }
        for k in 0..20 {
            ping(
                &mut e,
                5 + k * 10,
                1 + (k as u32 % 5),
                1 + ((k as u32 + 2) % 5),
            );
        }
        e.run_until(ms(400), 100_000);
        e
    };
    let chaos = Chaos {
        clocks: false,
        every: ms(20),
        seed: 7,
    };
    let a = run(Some(chaos));
    let b = run(Some(chaos));
    assert_eq!(a.trace_hash(), b.trace_hash(), "same seed, same faults");
    let faults: Vec<&TraceEvent> = a
        .trace()
        .events
        .iter()
        .filter(
            |e| matches!(&e.cause, Cause::Action { action } if action.en().starts_with("chaos: ")),
        )
        .collect();
    assert!(
        (10..=40).contains(&faults.len()),
        "about one fault per 20 ms over 400 ms: {}",
        faults.len()
    );
    assert!(!a.trace().status.is_empty(), "chaos crashed someone");
    let other = run(Some(Chaos { seed: 8, ..chaos }));
    assert_ne!(a.trace_hash(), other.trace_hash());
    // Seeking inside a chaotic run replays it exactly.
    let mid = a.world_at(a.events() / 2);
    let mut c = run(Some(chaos));
    c.truncate(a.events() / 2);
    assert_eq!(c.world(), &mid);
}

#[test]
fn crashes_and_recoveries_are_listed_for_drawing() {
    let mut e = engine(3, fixed(5));
    e.schedule(ms(10), Action::Crash { node: n(2) }).unwrap();
    e.schedule(ms(12), Action::Crash { node: n(2) }).unwrap();
    e.schedule(ms(20), Action::Recover { node: n(2) }).unwrap();
    e.run_until(ms(50), 100);
    let s: Vec<(Time, u32, bool)> = e
        .trace()
        .status
        .iter()
        .map(|s| (s.time, s.node.number(), s.up))
        .collect();
    assert_eq!(s, vec![(ms(10), 2, false), (ms(20), 2, true)]);
    e.truncate(e.trace().status[1].event);
    assert_eq!(e.trace().status.len(), 1);
}

/// When node 2 ran its `Leave` timer, in virtual ms.
fn left_at(e: &Engine<Echo>) -> Vec<f64> {
    e.trace()
        .events
        .iter()
        .filter(|ev| ev.node == Some(n(2)) && format!("{:?}", ev.cause).contains("Leave"))
        .map(|ev| to_ms(ev.time))
        .collect()
}

#[test]
fn a_pause_delays_deliveries_and_timers_until_the_node_resumes() {
    let mut e = engine(2, fixed(5));
    ping(&mut e, 0, 1, 2); // node 2 enters at 5 ms, its Leave timer is due at 15 ms
    ping(&mut e, 20, 1, 2); // arrives at 25 ms, while node 2 is paused
    e.schedule(
        ms(10),
        Action::Pause {
            node: n(2),
            span: ms(20),
        },
    )
    .unwrap();
    e.run_until(ms(29), 1_000);
    assert_eq!(e.world().paused_until(n(2)), Some(ms(30)));
    assert!(e.world().nodes()[1].state.inside, "it never noticed");
    assert_eq!(
        e.trace().messages.len(),
        3,
        "no Pong for the second Ping yet"
    );
    run(&mut e);
    assert_eq!(e.world().paused_until(n(2)), None);
    let resumed = e
        .trace()
        .events
        .iter()
        .position(|ev| format!("{:?}", ev.cause).contains("node 2 resumes"))
        .unwrap();
    let after: Vec<String> = e.trace().events[resumed + 1..resumed + 3]
        .iter()
        .map(|ev| format!("{} {:?}", ev.time, ev.cause))
        .collect();
    assert_eq!(
        after,
        [
            "30000 Timer { timer: \"Leave\" }",
            "30000 Deliver { msg: 2 }"
        ],
        "what waited happens at the resumption, in the order it came due"
    );
    assert_eq!(e.trace().messages[3].sent_at, ms(30), "the late Pong");
    assert_eq!(left_at(&e), [30.0, 40.0]);
}

#[test]
fn drift_stretches_or_shrinks_timers_and_offsets_shift_local_time() {
    let clocks = [
        Clock::default(),
        Clock {
            offset: ms(100) as i64,
            drift_ppm: 250_000,
        },
    ];
    let mut e = Engine::with_clocks(Echo, 2, fixed(5), SeededScheduler::new(1), &clocks);
    ping(&mut e, 0, 1, 2);
    e.run_until(ms(6), 100);
    // 10 ms on a clock running 25 % fast is 8 ms of virtual time.
    let fires: Vec<Time> = e.world().timers().map(|t| t.3).collect();
    assert_eq!(fires, [ms(13)]);
    assert_eq!(e.world().local_time(n(1)), ms(5));
    assert_eq!(e.world().local_time(n(2)), ms(100) + ms(5) * 5 / 4);
    run(&mut e);
    assert_eq!(left_at(&e), [13.0]);

    let slow = [
        Clock::default(),
        Clock {
            offset: 0,
            drift_ppm: -500_000,
        },
    ];
    let mut e = Engine::with_clocks(Echo, 2, fixed(5), SeededScheduler::new(1), &slow);
    ping(&mut e, 0, 1, 2);
    run(&mut e);
    assert_eq!(left_at(&e), [25.0], "half speed: 10 local ms take 20");
}

#[test]
fn a_clock_jump_moves_armed_timers_with_the_clock() {
    let jumped = |by_ms: i64| {
        let mut e = engine(2, fixed(5));
        ping(&mut e, 0, 1, 2); // Leave due at 15 ms
        e.schedule(
            ms(8),
            Action::JumpClock {
                node: n(2),
                by: by_ms * 1000,
            },
        )
        .unwrap();
        run(&mut e);
        (
            left_at(&e),
            e.world().local_time(n(2)) as i64 - e.now() as i64,
        )
    };
    assert_eq!(jumped(7), (vec![8.0], 7_000), "the lease ran out at once");
    assert_eq!(jumped(3), (vec![12.0], 3_000));
    assert_eq!(jumped(-5), (vec![20.0], -5_000));
}

#[test]
fn a_crash_ends_a_pause_and_loses_what_waited() {
    let mut e = engine(2, fixed(5));
    e.schedule(
        ms(1),
        Action::Pause {
            node: n(2),
            span: ms(50),
        },
    )
    .unwrap();
    ping(&mut e, 2, 1, 2); // arrives at 7 ms and waits
    e.schedule(ms(10), Action::Crash { node: n(2) }).unwrap();
    e.schedule(ms(12), Action::Recover { node: n(2) }).unwrap();
    run(&mut e);
    assert!(matches!(
        e.trace().messages[0].fate,
        Fate::Dropped {
            reason: DropReason::Crashed,
            ..
        }
    ));
    assert!(!e
        .trace()
        .events
        .iter()
        .any(|ev| format!("{:?}", ev.cause).contains("resumes")));
    assert_eq!(e.world().paused_until(n(2)), None);
}

/// The log's wording of an action, in both languages, the command as its protocol writes it.
#[test]
fn actions_are_described_in_english_and_chinese() {
    let jump: Action<Cmd> = Action::JumpClock {
        node: n(1),
        by: -30_500,
    };
    let t = describe(&jump);
    assert_eq!(t.en(), "node 1's clock jumps back 30.5 ms");
    assert_eq!(t.render(Lang::Zh), "节点 1 的时钟向后跳 30.5 毫秒");
    let ping = describe(&Action::Command {
        node: n(1),
        command: Cmd::Ping(n(2)),
    });
    assert_eq!(ping.en(), "node 1: Ping(n2)");
    assert_eq!(ping.render(Lang::Zh), "节点 1：Ping(n2)");
    let split: Action<Cmd> = Action::Partition {
        groups: vec![vec![n(1), n(2)], vec![n(3)]],
    };
    assert_eq!(describe(&split).render(Lang::Zh), "分区 {1,2} | {3}");
}

/// A protocol that reads its clock without declaring it would let the explorer explore another
/// algorithm unawares: a debug build stops it at the first such event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Sneaky {
    declares: bool,
}

impl Protocol for Sneaky {
    type State = u64;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Cmd;
    type Observation = &'static str;

    fn init(&self, _id: NodeId, out: &mut Out<Self>) -> u64 {
        out.local_now()
    }
    fn on_msg(&self, _: NodeId, _: &mut u64, _: NodeId, _: Msg, _: &mut Out<Self>) {}
    fn on_timer(&self, _: NodeId, _: &mut u64, _: Timer, _: &mut Out<Self>) {}
    fn on_command(&self, _: NodeId, _: &mut u64, _: Cmd, _: &mut Out<Self>) {}
    fn on_crash(&self, _id: NodeId, s: &u64) -> u64 {
        *s
    }
    fn on_recover(&self, _: NodeId, _: &mut u64, _: &mut Out<Self>) {}
    fn check(&self, _nodes: &[NodeSlot<u64>]) -> Vec<Violation> {
        Vec::new()
    }
    fn reads_clock(&self) -> bool {
        self.declares
    }
}

#[test]
fn a_declared_clock_read_runs() {
    let e = Engine::new(
        Sneaky { declares: true },
        2,
        NetworkConfig::fixed(ms(1)),
        SeededScheduler::new(0),
    );
    assert_eq!(e.trace().events.len(), 2);
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "read a clock without declaring")]
fn an_undeclared_clock_read_is_stopped_in_a_debug_build() {
    Engine::new(
        Sneaky { declares: false },
        2,
        NetworkConfig::fixed(ms(1)),
        SeededScheduler::new(0),
    );
}

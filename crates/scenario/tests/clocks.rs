//! Local clocks, pauses and clock jumps as a scenario writes them: validated, replayed from a
//! link, and shown in the cluster view.

use clusterplay_scenario::{link, load, Act, ClockSettings, Scenario, Step};
use clusterplay_sim::{ms, NodeId};

fn node(n: u32) -> NodeId {
    NodeId::from_number(n).expect("node")
}

fn skewed() -> Scenario {
    let mut s = Scenario::new("raft", 3);
    s.clocks = vec![
        ClockSettings::default(),
        ClockSettings {
            offset_ms: -40.0,
            drift_ppm: 200_000.0,
        },
    ];
    s.timeline = vec![
        Step {
            at_ms: 100.0,
            act: Act::Pause {
                node: node(3),
                for_ms: 250.0,
            },
        },
        Step {
            at_ms: 120.0,
            act: Act::Jump {
                node: node(1),
                by_ms: -30.5,
            },
        },
    ];
    s
}

#[test]
fn local_clocks_and_pauses_show_in_the_cluster_view() {
    let mut sim = load(&skewed()).expect("loads");
    sim.run_until(ms(200), 100_000);
    let view = sim.cluster();
    let now = view.now;
    assert!(now > ms(150));
    assert_eq!(view.nodes[0].local_time, now - 30_500, "jumped back");
    assert_eq!(
        view.nodes[1].local_time,
        now * 6 / 5 - ms(40),
        "20 % fast, 40 ms behind"
    );
    assert_eq!(view.nodes[2].local_time, now);
    assert_eq!(view.nodes[2].paused_until, Some(ms(350)));
    assert_eq!(view.nodes[0].paused_until, None);
    let log = sim.log(0, sim.events());
    assert!(log.iter().any(|l| l.text == "pause node 3 for 250 ms"));
    assert!(log
        .iter()
        .any(|l| l.text == "node 1's clock jumps back 30.5 ms"));
    sim.run_until(ms(400), 100_000);
    assert_eq!(sim.cluster().nodes[2].paused_until, None);
    assert!(sim
        .log(0, sim.events())
        .iter()
        .any(|l| l.text == "node 3 resumes" && l.time == ms(350)));
}

#[test]
fn a_link_replays_clocks_pauses_and_jumps_bit_for_bit() {
    let s = skewed();
    let back = link::decode(&link::fragment(&s)).expect("link");
    assert_eq!(back, s);
    let a = clusterplay_scenario::run(&s).expect("runs");
    let b = clusterplay_scenario::run(&back).expect("runs");
    assert_eq!(a.trace_hash, b.trace_hash);
    let mut plain = s.clone();
    plain.clocks.clear();
    plain.timeline.clear();
    assert_ne!(
        clusterplay_scenario::run(&plain).expect("runs").trace_hash,
        a.trace_hash
    );
}

#[test]
fn the_page_can_pause_a_node_and_jump_its_clock_through_act() {
    let mut sim = load(&Scenario::new("raft", 3)).expect("loads");
    sim.run_until(ms(50), 100_000);
    sim.act(
        ms(50),
        Act::Pause {
            node: node(2),
            for_ms: 100.0,
        },
    )
    .expect("pause");
    sim.act(
        ms(50),
        Act::Jump {
            node: node(3),
            by_ms: 1000.0,
        },
    )
    .expect("jump");
    sim.run_until(ms(60), 100_000);
    let view = sim.cluster();
    assert_eq!(view.nodes[1].paused_until, Some(ms(150)));
    assert_eq!(view.nodes[2].local_time, view.now + ms(1000));
    assert_eq!(sim.scenario().timeline.len(), 2, "the link keeps both");
}

#[test]
fn absurd_clocks_pauses_and_jumps_are_refused_clearly() {
    let refused = |s: &Scenario| {
        clusterplay_scenario::run(s)
            .expect_err("refused")
            .to_string()
    };
    let mut s = Scenario::new("raft", 3);
    s.clocks = vec![ClockSettings::default(); 4];
    assert!(
        refused(&s).contains("4 clocks for 3 nodes"),
        "{}",
        refused(&s)
    );
    s.clocks = vec![ClockSettings {
        offset_ms: 0.0,
        drift_ppm: 2e6,
    }];
    assert!(refused(&s).contains("clocks[0].drift_ppm"));
    s.clocks = vec![ClockSettings {
        offset_ms: f64::NAN,
        drift_ppm: 0.0,
    }];
    assert!(refused(&s).contains("clocks[0].offset_ms"));
    s.clocks.clear();
    s.timeline = vec![Step {
        at_ms: 1.0,
        act: Act::Pause {
            node: node(1),
            for_ms: -5.0,
        },
    }];
    assert!(refused(&s).contains("timeline[0].for_ms"));
    s.timeline = vec![Step {
        at_ms: 1.0,
        act: Act::Jump {
            node: node(4),
            by_ms: 5.0,
        },
    }];
    assert!(refused(&s).contains("names node 4"));
    s.timeline = vec![Step {
        at_ms: 1.0,
        act: Act::Jump {
            node: node(1),
            by_ms: -1e12,
        },
    }];
    assert!(refused(&s).contains("timeline[0].by_ms"));
    let json = r#"{"v":1,"protocol":"raft","nodes":3,"clocks":[{"offset_ms":1,"skew":2}]}"#;
    let e = link::from_json(json.as_bytes()).expect_err("unknown field");
    assert!(e.to_string().contains("skew"), "{e}");
}

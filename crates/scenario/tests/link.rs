//! Share links: round trips, compactness, and refusals that say what is wrong.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::{link, load, ScenarioError};
use clusterplay_sim::NodeId;
use proptest::prelude::*;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn pack(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("#s={}", URL_SAFE_NO_PAD.encode(packed))
}

fn err(input: &str) -> ScenarioError {
    match link::decode(input).and_then(|s| load(&s).map(|_| ())) {
        Err(e) => e,
        Ok(()) => panic!("{input} was accepted"),
    }
}

#[test]
fn five_nodes_and_ten_faults_fit_in_300_characters() {
    let mut s = Scenario::new("mutex-ra", 5);
    s.seed = 1_234_567;
    for k in 0..10u32 {
        let at_ms = f64::from(k) * 37.5;
        let act = match k % 4 {
            0 => Act::Crash {
                node: node(k % 5 + 1),
            },
            1 => Act::Recover {
                node: node(k % 5 + 1),
            },
            2 => Act::Command {
                node: node(k % 5 + 1),
                command: serde_json::json!("request"),
            },
            _ => Act::Partition {
                groups: vec![vec![node(1), node(2)]],
            },
        };
        s.timeline.push(Step { at_ms, act });
    }
    let url = link::link("", &s);
    assert!(url.len() <= 300, "{} characters: {url}", url.len());
    assert_eq!(link::decode(&url).unwrap(), s);
}

#[test]
fn accepts_a_whole_url_a_fragment_or_the_bare_payload() {
    let s = Scenario::new("mutex-token-ring", 4);
    let frag = link::fragment(&s);
    for input in [
        format!("https://example.org/play/index.html#{frag}"),
        format!("#{frag}"),
        frag.clone(),
        format!("  #{frag}\n"),
    ] {
        assert_eq!(link::decode(&input).unwrap(), s, "{input}");
    }
}

#[test]
fn refusals_name_what_is_wrong() {
    assert!(matches!(err("#s=@@@"), ScenarioError::NotBase64(_)));
    assert!(matches!(err("#s=AAAA"), ScenarioError::NotCompressed(_)));
    assert!(matches!(
        err("https://example.org/"),
        ScenarioError::NoScenario
    ));
    assert!(matches!(err("#s="), ScenarioError::NoScenario));
    assert!(matches!(err(&pack("not json")), ScenarioError::NotJson(_)));
    assert_eq!(
        err(&pack(r#"{"v":7,"protocol":"mutex-ra","nodes":3}"#)),
        ScenarioError::UnknownVersion(7)
    );
    let e = err(&pack(r#"{"v":1,"protocol":"quantum-paxos","nodes":3}"#));
    assert!(
        e.to_string().contains("unknown protocol \"quantum-paxos\""),
        "{e}"
    );
    assert!(
        e.to_string().contains("mutex-ra"),
        "lists the known ones: {e}"
    );
    let e = err(&pack(r#"{"v":1,"protocol":"mutex-ra","nodes":10000}"#));
    assert_eq!(
        e.to_string(),
        "nodes is 10000; a cluster has 2 to 101 nodes"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"network":{"latency_ms":[-5,10]}}"#,
    ));
    assert_eq!(
        e.to_string(),
        "network.latency_ms is -5 ms; it cannot be negative"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"until_ms":1e300}"#,
    ));
    assert_eq!(
        e.to_string(),
        "until_ms is 1e300 ms; at most 3600000 ms is allowed",
        "an absurd number is quoted as written, not as three hundred digits"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-token-ring","nodes":3,"network":{"latency_ms":[0,0]}}"#,
    ));
    assert_eq!(
        e.to_string(),
        "network.latency_ms starts at 0 ms; a message takes at least 0.01 ms"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"network":{"latency_ms":[9,2]}}"#,
    ));
    assert!(
        e.to_string().contains("the minimum is above the maximum"),
        "{e}"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"network":{"loss":1.5}}"#,
    ));
    assert!(e.to_string().contains("between 0 and 1"), "{e}");
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"timeline":[{"at_ms":1,"do":"crash","node":9}]}"#,
    ));
    assert_eq!(
        e.to_string(),
        "timeline[0] names node 9, but the cluster has 3 nodes"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"timeline":[{"at_ms":1,"do":"command","node":1,"command":"launch"}]}"#,
    ));
    assert_eq!(
        e.to_string(),
        "timeline[0].command \"launch\" is not a command of mutex-ra"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-ra","nodes":3,"params":{"use_ms":5,"colour":"red"}}"#,
    ));
    assert!(
        e.to_string().starts_with("params unknown field `colour`"),
        "{e}"
    );
    let e = err(&pack(
        r#"{"v":1,"protocol":"mutex-two-layer","nodes":5,"params":{"groups":4}}"#,
    ));
    assert!(e.to_string().contains("params.groups is 4"), "{e}");
}

#[test]
fn a_compression_bomb_stops_at_the_cap() {
    let huge = format!(
        r#"{{"v":1,"protocol":"mutex-ra","nodes":3,"pad":"{}"}}"#,
        "x".repeat(10 * link::MAX_JSON_BYTES)
    );
    let input = pack(&huge);
    assert!(input.len() < 20_000, "it packs small: {}", input.len());
    assert_eq!(
        err(&input),
        ScenarioError::TooLarge {
            limit: link::MAX_JSON_BYTES
        }
    );
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    let protocols = prop::sample::select(vec![
        "mutex-central",
        "mutex-ra",
        "mutex-token-ring",
        "mutex-two-layer",
    ]);
    (protocols, 4u32..12, any::<u64>(), 0u32..50, 0u32..4)
        .prop_flat_map(|(protocol, nodes, seed, lat, tl)| {
            let step = (0u32..5_000_000, 1..=nodes, 0u8..6).prop_map(move |(us, k, kind)| {
                let at_ms = f64::from(us) / 1000.0;
                let act = match kind {
                    0 => Act::Crash { node: node(k) },
                    1 => Act::Recover { node: node(k) },
                    2 => Act::Heal,
                    3 => Act::Cut {
                        from: node(k),
                        to: node(1),
                    },
                    4 => Act::Drop { msg: u64::from(us) },
                    _ => Act::Command {
                        node: node(k),
                        command: serde_json::json!("request"),
                    },
                };
                Step { at_ms, act }
            });
            (
                Just((protocol, nodes, seed, lat, tl)),
                prop::collection::vec(step, 0..30),
            )
        })
        .prop_map(|((protocol, nodes, seed, lat, _), timeline)| {
            let mut s = Scenario::new(protocol, nodes);
            s.seed = seed;
            s.network.latency_ms = [f64::from(lat) + 0.25, f64::from(lat) + 2.5];
            s.timeline = timeline;
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_scenario_survives_its_own_link(s in arb_scenario()) {
        let back = link::decode(&link::link("http://127.0.0.1:8080/", &s)).unwrap();
        prop_assert_eq!(back, s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// Hostile input: arbitrary text never panics the decoder or the loader.
    #[test]
    fn arbitrary_text_never_panics(input in ".{0,400}") {
        if let Ok(s) = link::decode(&input) {
            let _ = load(&s);
        }
    }

    /// Arbitrary bytes, correctly wrapped, reach the inflater and the JSON parser.
    #[test]
    fn arbitrary_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let input = format!("#s={}", URL_SAFE_NO_PAD.encode(&bytes));
        if let Ok(s) = link::decode(&input) {
            let _ = load(&s);
        }
        let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 6);
        let input = format!("#s={}", URL_SAFE_NO_PAD.encode(packed));
        if let Ok(s) = link::decode(&input) {
            let _ = load(&s);
        }
    }

    /// Any JSON-shaped scenario, however absurd, is refused or runs briefly without panicking.
    #[test]
    fn absurd_values_are_refused_not_panicked_on(
        nodes in prop_oneof![Just(0u64), Just(1), Just(3), Just(101), Just(102), Just(u64::from(u32::MAX) + 1)],
        lat in prop_oneof![Just(-1.0f64), Just(0.0), Just(5.0), Just(1e300), Just(f64::MIN_POSITIVE)],
        at in prop_oneof![Just(-3.0f64), Just(0.0), Just(1e18), Just(12.3456789)],
        p in prop_oneof![Just(-0.1f64), Just(0.0), Just(0.5), Just(1.0), Just(2.0)],
        clocks in prop::collection::vec(any::<u64>(), 0..4),
    ) {
        let json = serde_json::json!({
            "v": 1, "protocol": "mutex-ra", "nodes": nodes, "until_ms": 50,
            "network": {"latency_ms": [lat, lat], "loss": p, "duplicate": p},
            "params": {"start_clocks": clocks},
            "timeline": [{"at_ms": at, "do": "command", "node": 1, "command": "request"}]
        });
        if let Ok(s) = link::decode(&pack(&json.to_string())) {
            if load(&s).is_ok() {
                clusterplay_scenario::run(&s).unwrap();
            }
        }
    }
}

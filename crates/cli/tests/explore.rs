//! `clusterplay explore` as a person or a script uses it.

mod common;

use common::{clusterplay, json, refused};

#[test]
fn exploring_two_phase_tla_counts_tlc_s_288_states() {
    let r = json(&clusterplay(&["explore", "2pc-tla-twophase"]));
    assert_eq!(r["unique_states"], 288);
    assert_eq!(r["exhausted"], true);
    assert_eq!(r["depth"], 10);
    assert_eq!(r["network"], "unordered-dup");
    assert_eq!(r["violations"], serde_json::json!([]));
    assert!(r["states_per_second"].as_f64().unwrap() > 0.0);
}

#[test]
fn two_pc_with_a_crash_blocks_and_the_link_shows_it() {
    let r = json(&clusterplay(&[
        "explore",
        "2pc-commit",
        "--faults",
        "crash:1",
    ]));
    assert_eq!(r["exhausted"], true);
    assert_eq!(r["faults"], "crash:1");
    assert_eq!(r["violations"], serde_json::json!([]));
    assert!(r["blocked"]["states"].as_u64().unwrap() > 0);
    let first = &r["blocked"]["first"];
    assert!(first["path"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "node 1 crashes"));
    let link = first["link"].as_str().expect("a share link");
    let run = json(&clusterplay(&["run", link]));
    assert_eq!(run["violations"], serde_json::json!([]));
    assert_eq!(run["outcome"]["in_doubt"], serde_json::json!([2, 3, 4]));
}

#[test]
fn bounds_cut_the_search_and_say_so() {
    let r = json(&clusterplay(&[
        "explore",
        "2pc-tla-twophase",
        "--depth",
        "3",
        "--network",
        "ordered",
    ]));
    assert_eq!(r["exhausted"], false);
    assert_eq!(r["depth"], 3);
    let r = json(&clusterplay(&[
        "explore",
        "2pc-tla-twophase",
        "--max-states",
        "10",
    ]));
    assert_eq!(r["unique_states"], 10);
    assert_eq!(r["exhausted"], false);
}

#[test]
fn bad_options_are_one_line_and_status_2() {
    for args in [
        &["explore", "2pc-commit", "--faults", "meteor"][..],
        &["explore", "2pc-commit", "--faults", "crash:x"],
        &["explore", "2pc-commit", "--network", "carrier-pigeon"],
        &["explore", "2pc-commit", "--depth", "0"],
        &["explore", "mutex-ra-seed-no-such"],
        &["explore", "2pc-commit", "--strategy", "deep"],
        &[
            "explore",
            "2pc-commit",
            "--strategy",
            "random",
            "--seconds",
            "0",
        ],
    ] {
        refused(&clusterplay(args));
    }
}

#[test]
fn symmetry_merges_renamed_resource_managers_and_is_refused_where_there_are_none() {
    let r = json(&clusterplay(&["explore", "2pc-tla-twophase", "--symmetry"]));
    // 288 states, 80 of them up to renaming the three RMs (the scenario crate counts the
    // orbits by brute force).
    assert_eq!(r["unique_states"], 80);
    assert_eq!(r["symmetry"], serde_json::json!([[2, 3, 4]]));
    assert_eq!(r["exhausted"], true);
    let plain = json(&clusterplay(&["explore", "2pc-tla-twophase"]));
    assert!(plain.get("symmetry").is_none(), "{plain}");

    let err = refused(&clusterplay(&["explore", "2pc-commit", "--symmetry"]));
    assert!(err.contains("2pc has no interchangeable nodes"), "{err}");
}

#[test]
fn random_walks_find_three_pc_disagreeing_and_shrink_the_walk() {
    let r = json(&clusterplay(&[
        "explore",
        "3pc-coordinator-crash-no-block",
        "--faults",
        "crash:2",
        "--strategy",
        "random",
        "--walks",
        "20000",
        "--seed",
        "7",
    ]));
    assert_eq!(r["strategy"], "random");
    assert_eq!(r["walks"], 20000);
    assert_eq!(r["seed"], 7);
    assert!(r["steps_per_second"].as_f64().unwrap() > 0.0);
    let v = &r["violations"][0];
    assert_eq!(v["invariant"], "atomicity");
    assert_eq!(v["found_by"], "random");
    assert!(v["depth"].as_u64().unwrap() <= v["unshrunk_depth"].as_u64().unwrap());
    let link = v["link"].as_str().expect("a share link");
    let run = json(&clusterplay(&["run", link]));
    assert!(run["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["invariant"] == "atomicity"));
}

#[test]
fn threads_share_the_walks_and_find_what_one_thread_finds() {
    let search = |threads: &str| {
        json(&clusterplay(&[
            "explore",
            "3pc-coordinator-crash-no-block",
            "--faults",
            "crash:2",
            "--strategy",
            "random",
            "--walks",
            "5000",
            "--seed",
            "7",
            "--threads",
            threads,
        ]))
    };
    let (one, two) = (search("1"), search("2"));
    assert_eq!(two["walks"], 5000);
    assert_eq!(one["steps"], two["steps"], "the same walks, shared");
    assert_eq!(one["violations"], two["violations"]);
}

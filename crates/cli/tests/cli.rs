//! The `clusterplay` binary as a person or a script uses it.

mod common;

use common::{clusterplay, json};
use std::process::Output;

fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "bad input exits with status 2");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn presets_lists_ids_and_titles() {
    let out = clusterplay(&["presets"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .lines()
        .any(|l| l == "mutex-ra-seed\tRicart–Agrawala: the worked example"));
    let zh = String::from_utf8(clusterplay(&["presets", "--lang", "zh"]).stdout).unwrap();
    assert!(zh.contains("分布式算法：文中的例子"));
}

#[test]
fn algorithms_lists_ids_families_and_names() {
    let text = String::from_utf8(clusterplay(&["algorithms"]).stdout).unwrap();
    assert!(text
        .lines()
        .any(|l| l == "raft\telection\tRaft (democratic vote)"));
    assert!(text.lines().any(|l| l.starts_with("paxos\tconsensus\t")));
    let zh = String::from_utf8(clusterplay(&["algorithms", "--lang", "zh"]).stdout).unwrap();
    assert!(zh.contains("集中式算法"));
}

#[test]
fn run_a_preset_file_link_or_fragment_gives_the_same_report() {
    let scenario = clusterplay(&["preset", "mutex-ra-seed"]);
    assert!(scenario.status.success());
    let dir = std::env::temp_dir().join(format!("clusterplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("seed.json");
    std::fs::write(&file, &scenario.stdout).unwrap();
    let file = file.to_str().unwrap();

    let from_file = json(&clusterplay(&["run", file]));
    assert_eq!(from_file["protocol"], "mutex-ra");
    assert_eq!(
        from_file["outcome"]["critical_section_order"],
        serde_json::json!([1, 3])
    );
    assert_eq!(from_file["outcome"]["messages_per_entry"], 4.0);
    for key in [
        "events",
        "virtual_time_ms",
        "messages",
        "violations",
        "outcome",
    ] {
        assert!(from_file.get(key).is_some(), "report has {key}");
    }
    assert_eq!(from_file["messages"]["by_type"]["request"], 4);

    let link = String::from_utf8(clusterplay(&["link", file]).stdout).unwrap();
    let link = link.trim();
    assert!(link.starts_with("http://127.0.0.1:8080/#s="), "{link}");
    let from_link = json(&clusterplay(&["run", link]));
    let fragment = &link[link.find('#').unwrap()..];
    let from_fragment = json(&clusterplay(&["run", fragment]));
    assert_eq!(from_file, from_link);
    assert_eq!(from_file, from_fragment);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn until_ms_cuts_the_run_short() {
    let out = json(&clusterplay(&["run", "mutex-ra-seed", "--until-ms", "40"]));
    assert!(out["virtual_time_ms"].as_f64().unwrap() <= 40.0);
    assert_eq!(
        out["outcome"]["critical_section_order"],
        serde_json::json!([1])
    );
}

#[test]
fn failure_presets_show_their_failure() {
    let out = json(&clusterplay(&["run", "mutex-central-coordinator-crash"]));
    assert_eq!(out["outcome"]["waiting"], serde_json::json!([3, 4]));
    let out = json(&clusterplay(&["run", "mutex-token-lost"]));
    assert_eq!(out["outcome"]["tokens"], 0);
}

#[test]
fn bad_input_is_one_line_and_status_2() {
    assert!(refused(&clusterplay(&["run", "#s=%%%"])).contains("not valid base64url"));
    assert!(refused(&clusterplay(&["run", "no-such-thing"])).contains("no such file"));
    assert!(refused(&clusterplay(&["preset", "nope"])).contains("no preset is called"));
    let dir = std::env::temp_dir().join(format!("clusterplay-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(&file, r#"{"v":1,"protocol":"mutex-ra","nodes":10000}"#).unwrap();
    let err = refused(&clusterplay(&["run", file.to_str().unwrap()]));
    assert_eq!(
        err,
        "clusterplay: nodes is 10000; a cluster has 2 to 101 nodes\n"
    );
    std::fs::write(&file, b"\xff\xfe garbage").unwrap();
    refused(&clusterplay(&["link", file.to_str().unwrap()]));
    std::fs::remove_dir_all(&dir).ok();
}

//! The `clusterplay` binary as a person or a script uses it.

mod common;

use common::{clusterplay, json, refused};

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

#[test]
fn lessons_list_and_a_lesson_plays_through_with_the_runs_answers() {
    let text = String::from_utf8(clusterplay(&["lessons"]).stdout).unwrap();
    assert!(text
        .lines()
        .any(|l| l == "ra-worked-example\tmutex\t4 stops\tRicart–Agrawala: timestamps 8 and 12"));
    let out = clusterplay(&["lesson", "ra-worked-example"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let stops = v["stops"].as_array().unwrap();
    assert_eq!(stops.len(), 4);
    assert_eq!(stops[0]["question"]["answer"], 1);
    assert_eq!(stops[1]["what_happened"], "receives req 12 from 3");
    assert_eq!(stops[2]["task"]["done"]["do"], "crash");
    assert_eq!(stops[3]["time_ms"], 200.0);
    assert_eq!(stops[3]["question"]["answer"], false);
    assert_eq!(
        (v["questions"].as_u64(), v["tasks"].as_u64()),
        (Some(4), Some(1))
    );
    // The link it prints is the lesson.
    let link = v["link"].as_str().unwrap();
    let again = json(&clusterplay(&["lesson", link]));
    assert_eq!(again["stops"], v["stops"]);
    let zh = json(&clusterplay(&[
        "lesson",
        "ra-worked-example",
        "--lang",
        "zh",
    ]));
    assert_eq!(
        zh["stops"][0]["question"]["prompt"],
        "哪个程序先用上咖啡机？"
    );
}

#[test]
fn a_lesson_whose_stop_never_happens_is_refused_naming_the_stop() {
    let mut lesson: serde_json::Value = json(&clusterplay(&["lesson", "ra-worked-example"]));
    assert!(lesson.is_object());
    let file = std::env::temp_dir().join(format!("cp-lesson-{}.json", std::process::id()));
    let src =
        include_str!("../../protocols/src/mutex/ricart_agrawala/lessons/ra-worked-example.json");
    lesson = serde_json::from_str(src).unwrap();
    lesson["stops"][1]["when"] = serde_json::json!({"on": "deliver", "kind": "request", "from": 2});
    std::fs::write(&file, lesson.to_string()).unwrap();
    let err = refused(&clusterplay(&["lesson", file.to_str().unwrap()]));
    assert_eq!(
        err.trim(),
        "clusterplay: stop 2 (request delivered from node 2) never happens in this run"
    );
    let err = refused(&clusterplay(&["lesson", "no-such-lesson"]));
    assert!(err.contains("no lesson is called"), "{err}");
    let _ = std::fs::remove_file(file);
}

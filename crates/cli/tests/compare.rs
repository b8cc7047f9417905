//! `clusterplay` on comparisons: presets, files and `#c=` links give one JSON object with both
//! reports and the rows; bad input is one line and status 2.

mod common;

use common::{clusterplay, json, refused};

fn row<'a>(out: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    out["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}"))
}

#[test]
fn compares_lists_ids_and_titles_in_both_languages() {
    let text = String::from_utf8(clusterplay(&["compares"]).stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        clusterplay_scenario::compare_presets().len()
    );
    assert!(text.lines().any(
        |l| l == "compare-zk-herd\tZooKeeper lock: watch every child vs watch the predecessor"
    ));
    let zh = String::from_utf8(clusterplay(&["compares", "--lang", "zh"]).stdout).unwrap();
    assert!(zh.contains("二阶段提交与三阶段提交对比"));
}

#[test]
fn run_a_compare_preset_file_or_link_prints_both_reports_and_the_rows() {
    let from_id = json(&clusterplay(&["run", "compare-2pc-3pc-coordinator-crash"]));
    assert_eq!(from_id["left"]["label"]["en"], "2PC");
    assert_eq!(from_id["left"]["report"]["protocol"], "2pc");
    assert_eq!(from_id["right"]["report"]["protocol"], "3pc");
    let in_doubt = row(&from_id, "in_doubt");
    assert_eq!(in_doubt["left"], serde_json::json!([2, 3, 4]));
    assert_eq!(in_doubt["right"], serde_json::json!([]));
    assert_eq!(in_doubt["differs"], true);
    assert_eq!(in_doubt["label"]["zh"], "阻塞在不确定状态的参与者");

    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenario/compares/compare-2pc-3pc-coordinator-crash.json"
    );
    assert_eq!(json(&clusterplay(&["run", file])), from_id);

    let link =
        String::from_utf8(clusterplay(&["link", "compare-2pc-3pc-coordinator-crash"]).stdout)
            .unwrap();
    assert!(
        link.trim().starts_with("http://127.0.0.1:8080/#c="),
        "{link}"
    );
    assert_eq!(json(&clusterplay(&["run", link.trim()])), from_id);

    let short = json(&clusterplay(&[
        "run",
        "compare-2pc-3pc-coordinator-crash",
        "--until-ms",
        "100",
    ]));
    assert!(short["left"]["report"]["virtual_time_ms"].as_f64() <= Some(100.0));
    assert_eq!(row(&short, "finished_ms")["right"], serde_json::Value::Null);

    // A scenario still runs as one.
    let single = json(&clusterplay(&["run", "mutex-ra-seed"]));
    assert_eq!(single["protocol"], "mutex-ra");
}

#[test]
fn bad_comparisons_are_one_line_and_status_2() {
    let err = refused(&clusterplay(&["run", "#c=@@@"]));
    assert!(err.contains("base64url"), "{err}");
    let err = refused(&clusterplay(&["run", "https://example.org/#c="]));
    assert!(err.contains("no comparison"), "{err}");

    let dir = std::env::temp_dir().join(format!("clusterplay-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut c: serde_json::Value = serde_json::from_str(include_str!(
        "../../scenario/compares/compare-bully-raft-rejoin.json"
    ))
    .unwrap();
    c["left"]["scenario"]["timeline"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"at_ms": 600, "do": "command", "node": 2, "command": "timeout"}));
    let file = dir.join("bad.json");
    std::fs::write(&file, c.to_string()).unwrap();
    let err = refused(&clusterplay(&["run", file.to_str().unwrap()]));
    assert!(
        err.contains("the left side (Bully): timeline[2].command"),
        "{err}"
    );
}

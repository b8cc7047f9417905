//! `clusterplay check-history`: Jepsen's etcd logs and the playground's own JSON histories.

mod common;
use common::{clusterplay, json, refused};
use std::path::PathBuf;

fn jepsen(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../scenario/tests/data/jepsen-etcd")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn etcd_002_is_linearizable_and_etcd_000_is_not_with_the_operation() {
    let v = json(&clusterplay(&["check-history", &jepsen("etcd_002.log")]));
    assert_eq!(v["linearizable"], true);
    assert_eq!(v["operations"], 77);
    assert!(v["elapsed_ms"].as_f64().is_some());
    assert!(v.get("offending").is_none());

    let v = json(&clusterplay(&["check-history", &jepsen("etcd_000.log")]));
    assert_eq!(v["linearizable"], false);
    let at = v["offending"]["operation"].as_u64().unwrap() as usize;
    let op = &v["history"]["history"][at];
    assert_eq!(
        (op["client"].as_u64(), op["value"].as_u64()),
        (Some(11), Some(2))
    );
    assert_eq!(op["invoke_ms"], 85.0);
    assert!(v["offending"]["text"].as_str().unwrap().contains("line 85"));
    assert!(v["offending"]["text_zh"]
        .as_str()
        .unwrap()
        .contains("第 85 行"));
    assert_eq!(v["prefix"]["until"], 83.0);
    assert!(!v["prefix"]["linearization"].as_array().unwrap().is_empty());
}

/// A replication run's own output is a history the command reads: the stale-read preset is
/// not linearizable here either, at the same read.
#[test]
fn a_runs_output_is_a_history() {
    let run = clusterplay(&["run", "replica-stale-read"]);
    let report = json(&run);
    let dir = std::env::temp_dir().join(format!("clusterplay-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("run.json");
    std::fs::write(&file, &run.stdout).unwrap();
    let v = json(&clusterplay(&["check-history", file.to_str().unwrap()]));
    assert_eq!(v["linearizable"], report["outcome"]["linearizable"]);
    assert_eq!(v["linearizable"], false);
    let offending = &report["outcome"]["offending"]["operation"];
    let at = v["offending"]["operation"].as_u64().unwrap() as usize;
    let op = &v["history"]["history"][at];
    assert_eq!(op["client"], offending["client"]);
    assert_eq!(op["invoke_ms"], offending["invoke_ms"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_histories_are_refused_with_the_line() {
    let dir = std::env::temp_dir().join(format!("clusterplay-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (text, says) in [
        (
            "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 3\t:ok\t:read\t2\n",
            "line 2: process 3 answers :ok without an invocation",
        ),
        (
            "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 x]\n",
            "line 1: \"x\" is not a value",
        ),
        ("hello\n", "the history has no operations"),
    ] {
        let file = dir.join("bad.log");
        std::fs::write(&file, text).unwrap();
        let err = refused(&clusterplay(&["check-history", file.to_str().unwrap()]));
        assert!(err.contains(says), "{err}");
    }
    let err = refused(&clusterplay(&["check-history", "/no/such/file"]));
    assert!(err.contains("cannot read /no/such/file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

//! Running the built `clusterplay` binary from the integration tests.

use std::process::{Command, Output};

pub fn clusterplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clusterplay"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What bad input printed: exit status 2, nothing on stdout, one clear line on stderr (which
/// it returns) and no panic.
pub fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "bad input exits with status 2");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// What a successful run printed, as JSON.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

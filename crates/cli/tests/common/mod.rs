//! Running the built `clusterplay` binary from the integration tests.

use std::process::{Command, Output};

pub fn clusterplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clusterplay"))
        .args(args)
        .output()
        .expect("the binary runs")
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

//! What the `safety*` property tests share.

pub mod faults;

/// Random cases per property: `full` unless `CLUSTERPLAY_CASES` says how many, so that a quick
/// local lane (`CLUSTERPLAY_CASES=50 cargo test`) exists beside CI's full one.
pub fn cases(full: u32) -> u32 {
    std::env::var("CLUSTERPLAY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(full)
}

//! ZAB's verdict: the shared election outcome, with the epoch as its term, and the notifications
//! counted beside the text's n(n−1).

use super::Zab;
use crate::election::ElectionOutcome;
use clusterplay_view::RunView;
use serde::Serialize;

/// What `clusterplay run` prints of a ZAB election and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZabOutcome {
    /// Who leads at the end and in which epoch, how often leadership changed, every win.
    #[serde(flatten)]
    pub election: ElectionOutcome,
    /// How many notifications (votes) the nodes sent in all.
    pub notifications: usize,
    /// The text's count of notifications when every node votes once, for this cluster.
    pub formula: String,
    /// The same in Chinese.
    pub formula_zh: String,
    /// Its value, n(n−1), to compare with `notifications`.
    pub formula_value: usize,
}

impl ZabOutcome {
    /// The outcome of a ZAB run.
    pub fn of(run: &RunView<'_, Zab>) -> Self {
        let leader = run
            .nodes
            .iter()
            .filter(|n| n.up && n.state.established_leader())
            .map(|n| (n.id, n.state.current_epoch))
            .max_by_key(|(_, e)| *e);
        let n = run.nodes.len();
        let broadcast = n * (n - 1);
        ZabOutcome {
            election: ElectionOutcome::of(run, leader.map(|(id, _)| id), leader.map(|(_, e)| e)),
            notifications: run
                .messages
                .iter()
                .filter(|m| m.kind == "notification")
                .count(),
            formula: format!("n(n−1) = {broadcast} notifications when all {n} nodes vote once"),
            formula_zh: format!("n(n−1) = {broadcast} 条通知（{n} 个节点各投票一次）"),
            formula_value: broadcast,
        }
    }
}

//! Raft's election in the catalogue: its names, its parameters, its presets. Raft's log
//! replication (`raft-log`) is configured by the same parameters.

use super::Raft;
use crate::algorithm::{micros, read, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS};
use crate::election::default_heartbeat;
use crate::Text;
use serde::Deserialize;

/// Reached as `raft::algorithm::Entry`: `raft::Entry` is a log entry.
pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RaftParams {
    /// Election timeout range, `[min, max]` milliseconds.
    #[serde(default = "default_election_timeout")]
    election_timeout_ms: [f64; 2],
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    /// Figure 8's unsafe rule: commit whatever a majority holds, of any term.
    #[serde(default)]
    commit_by_counting: bool,
    /// The text's returning node, which calls an election as soon as it is back.
    #[serde(default)]
    rejoin_election: bool,
    /// Bugs to switch on ([`super::BUGS`]).
    #[serde(default)]
    vote_without_log_check: bool,
    #[serde(default)]
    forget_vote_on_crash: bool,
}

fn default_election_timeout() -> [f64; 2] {
    [150.0, 300.0]
}

impl Algorithm for Entry {
    type Protocol = Raft;
    const ID: &'static str = "raft";
    const FAMILY: &'static str = "election";
    const NAME: Text = Text::new("Raft (democratic vote)", "Raft 算法（民主投票）");
    const HOW: Text = Text::new(
        "A follower that hears no leader for a random 150–300 ms becomes a candidate, starts a new \
         term and asks for votes. Each node votes once per term; a majority makes a leader, whose \
         heartbeats keep the others followers. A higher term always wins.",
        "跟随者在随机的 150–300 毫秒内没有收到领导者的消息，就成为候选者，开始新的任期并请求投票。\
         每个节点每个任期只投一票；获得多数票者成为领导者，用心跳让其他节点保持跟随。任期大者为准。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/raft-election.json"),
        include_str!("presets/raft-split-vote.json"),
        include_str!("presets/raft-leader-crash.json"),
        include_str!("presets/raft-rejoin-calls-election.json"),
        include_str!("presets/raft-partition.json"),
        include_str!("presets/even-vs-odd.json"),
        include_str!("presets/even-vs-odd-5.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/raft-split-vote.json")];
    const BUGS: &'static [crate::algorithm::Bug] = super::BUGS;

    fn configure(params: &Params, _cluster: Cluster) -> Result<Raft, ParamError> {
        let p: RaftParams = read(params)?;
        let what = "params.election_timeout_ms";
        let lo = micros(what, p.election_timeout_ms[0], MAX_SPAN_MS)?;
        let hi = micros(what, p.election_timeout_ms[1], MAX_SPAN_MS)?;
        if lo > hi || lo == 0 {
            return Err(ParamError::new(
                what,
                "must be a range [min, max] with 0 < min ≤ max",
                "必须是区间 [min, max]，且 0 < min ≤ max",
            ));
        }
        let heartbeat = micros("params.heartbeat_ms", p.heartbeat_ms, MAX_SPAN_MS)?;
        if heartbeat == 0 {
            return Err(ParamError::new(
                "params.heartbeat_ms",
                "must be above 0",
                "必须大于 0",
            ));
        }
        Ok(Raft {
            election_timeout: (lo, hi),
            heartbeat,
            commit_by_counting: p.commit_by_counting,
            rejoin_election: p.rejoin_election,
            vote_without_log_check: p.vote_without_log_check,
            forget_vote_on_crash: p.forget_vote_on_crash,
        })
    }
}

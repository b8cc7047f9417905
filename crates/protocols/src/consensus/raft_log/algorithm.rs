//! Raft's log replication in the catalogue: its names and its presets; its parameters are
//! Raft's.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::election::raft::{self, Raft};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Raft;
    const ID: &'static str = "raft-log";
    const FAMILY: &'static str = "consensus";
    const NAME: Text = Text::new("Raft log replication", "Raft 日志复制");
    const HOW: Text = Text::new(
        "The leader appends each client write to its log and sends it in AppendEntries, naming the \
         entry before it; a follower whose log disagrees refuses, and the leader steps back until \
         the logs match, then overwrites the rest. An entry of the current term held by a majority \
         is committed and applied everywhere.",
        "领导者把客户端的每次写入追加到自己的日志，并通过 AppendEntries 发送，同时带上前一条日志的位置和任期；\
         日志对不上的跟随者会拒绝，领导者就往前退一步，直到日志一致，再覆盖其后的内容。\
         当前任期的日志被多数节点保存后即提交，并在所有节点上应用。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/raft-replication.json"),
        include_str!("presets/raft-leader-crash-uncommitted.json"),
        include_str!("presets/raft-figure-8.json"),
        include_str!("presets/raft-figure-8-broken.json"),
        include_str!("presets/raft-partition-heal.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/raft-figure-8.json")];
    const BUGS: &'static [crate::algorithm::Bug] = raft::BUGS;

    fn configure(params: &Params, cluster: Cluster) -> Result<Raft, ParamError> {
        raft::algorithm::Entry::configure(params, cluster)
    }
}

//! The ZooKeeper lock in the catalogue: its names, its parameters, its presets.

use super::ZooKeeper;
use crate::algorithm::{at_least_ms, read, span, Algorithm, Cluster, ParamError, Params};
use crate::lock::{build, Common, Lock};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

fn default_session() -> f64 {
    150.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZkParams {
    #[serde(flatten)]
    common: Common,
    /// Every waiter watches all children (the herd effect).
    #[serde(default)]
    herd: bool,
    #[serde(default = "default_session")]
    session_timeout_ms: f64,
}

impl Algorithm for Entry {
    type Protocol = Lock<ZooKeeper>;
    const ID: &'static str = "zk-lock";
    const FAMILY: &'static str = "lock";
    const NAME: Text = Text::new(
        "ZooKeeper lock (ephemeral sequential nodes)",
        "ZooKeeper 锁（临时有序节点）",
    );
    const HOW: Text = Text::new(
        "Each client creates an ephemeral sequential child of /lock; the lowest holds the lock and \
         every other watches its predecessor, so a release wakes exactly one waiter. A holder that \
         dies loses its child when its session times out. Variant: everyone watches all children, \
         and every change wakes the whole herd.",
        "每个客户端在 /lock 下创建临时有序子节点；序号最小的持有锁，其余的监听自己的前一个子节点，\
         所以一次释放只唤醒一个等待者。持锁者宕机后，会话超时，它的临时节点随之删除。变体：每个人\
         监听所有子节点，任何变化都会惊动整个羊群。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/zk-lock-queue.json"),
        include_str!("presets/zk-herd-effect.json"),
        include_str!("presets/zk-session-timeout.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/zk-herd-effect.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Lock<ZooKeeper>, ParamError> {
        let p: ZkParams = read(params)?;
        let session_timeout = span("params.session_timeout_ms", p.session_timeout_ms)?;
        if session_timeout < 3 {
            return Err(at_least_ms("params.session_timeout_ms", "0.003"));
        }
        let zookeeper = ZooKeeper {
            herd: p.herd,
            session_timeout,
        };
        build(p.common, zookeeper, cluster)
    }
}

//! RedLock in the catalogue: its names, its parameters, its presets.

use super::RedLock;
use crate::algorithm::{micros, read, span, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS};
use crate::lock::{build, default_ttl, Common, Lock};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

fn default_instances() -> usize {
    5
}
fn default_instance_timeout() -> f64 {
    30.0
}
fn default_drift() -> f64 {
    2.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedLockParams {
    #[serde(flatten)]
    common: Common,
    /// 2N+1 instances, nodes 2 onwards.
    #[serde(default = "default_instances")]
    instances: usize,
    #[serde(default = "default_ttl")]
    ttl_ms: f64,
    #[serde(default = "default_instance_timeout")]
    instance_timeout_ms: f64,
    #[serde(default = "default_drift")]
    drift_allowance_ms: f64,
}

impl Algorithm for Entry {
    type Protocol = Lock<RedLock>;
    const ID: &'static str = "redlock";
    const FAMILY: &'static str = "lock";
    const NAME: Text = Text::new(
        "RedLock (majority of instances)",
        "RedLock 红锁（多数派实例）",
    );
    const HOW: Text = Text::new(
        "The client asks 2N+1 independent Redis instances at once, each with a short timeout. It \
         holds the lock when a majority said yes and time remains of the lease (its validity); \
         otherwise it releases everywhere and retries. Pauses and clock jumps still break it; \
         fencing tokens at the resource keep the data safe.",
        "客户端同时向 2N+1 个相互独立的 Redis 实例加锁，每个请求都有很短的超时。多数派成功且租约尚有剩余\
         （有效时间）才算加锁成功；否则到所有实例上解锁并重试。进程暂停和时钟跳变仍会破坏它；\
         资源端的 fencing 令牌才能保护数据。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/redlock-majority.json"),
        include_str!("presets/redlock-process-pause.json"),
        include_str!("presets/redlock-fencing.json"),
        include_str!("presets/redlock-clock-jump.json"),
        include_str!("presets/redlock-late-majority.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/redlock-pause.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Lock<RedLock>, ParamError> {
        let p: RedLockParams = read(params)?;
        if p.instances == 0 || p.instances + 2 > cluster.nodes {
            return Err(ParamError::new(
                "params.instances",
                format!(
                    "is {}; {} nodes leave room for 1 to {} instances besides the resource and a client",
                    p.instances,
                    cluster.nodes,
                    cluster.nodes.saturating_sub(2)
                ),
                format!(
                    "为 {}；除去资源和一个客户端，{} 个节点只容得下 1 到 {} 个实例",
                    p.instances,
                    cluster.nodes,
                    cluster.nodes.saturating_sub(2)
                ),
            ));
        }
        let redlock = RedLock {
            instances: p.instances,
            ttl: span("params.ttl_ms", p.ttl_ms)?,
            instance_timeout: span("params.instance_timeout_ms", p.instance_timeout_ms)?,
            drift_allowance: micros(
                "params.drift_allowance_ms",
                p.drift_allowance_ms,
                MAX_SPAN_MS,
            )?,
        };
        build(p.common, redlock, cluster)
    }
}

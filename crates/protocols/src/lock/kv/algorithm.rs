//! The Redis lock in the catalogue: its names, its parameters, its presets.

use super::{Redis, Replica};
use crate::algorithm::{at_least_ms, read, span, Algorithm, Cluster, ParamError, Params};
use crate::lock::{build, default_ttl, Common, Lock};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

fn default_replication() -> f64 {
    50.0
}
fn default_failover() -> f64 {
    150.0
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Release {
    #[default]
    CompareAndDelete,
    Del,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedisParams {
    #[serde(flatten)]
    common: Common,
    #[serde(default = "default_ttl")]
    ttl_ms: f64,
    /// "compare-and-delete" (001's Lua script) or "del".
    #[serde(default)]
    release: Release,
    #[serde(default)]
    watchdog: bool,
    /// An asynchronously replicated replica as node 3.
    #[serde(default)]
    replica: bool,
    #[serde(default = "default_replication")]
    replication_ms: f64,
    #[serde(default = "default_failover")]
    failover_ms: f64,
}

impl Algorithm for Entry {
    type Protocol = Lock<Redis>;
    const ID: &'static str = "redis-lock";
    const FAMILY: &'static str = "lock";
    const NAME: Text = Text::new("Redis lock (SET NX PX)", "Redis 锁（SET NX PX）");
    const HOW: Text = Text::new(
        "SET key token NX PX ttl takes the lock with a lease; the key expires on its own. Release \
         with compare-and-delete (delete only if the value is still your token) or watch plain DEL \
         delete someone else's lock. The watchdog renews every ttl/3 while the holder works. With \
         an asynchronous replica, a failover can forget a granted lock.",
        "SET key token NX PX ttl 加锁并带租约，键会自行过期。解锁用“比较后删除”（值仍是自己的令牌才删），\
         否则看普通 DEL 如何误删别人的锁。看门狗在持锁者工作期间每 ttl/3 续期一次。若副本异步复制，\
         主从切换可能丢掉已授予的锁。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/redis-lock-basic.json"),
        include_str!("presets/redis-lock-wrong-release.json"),
        include_str!("presets/redis-watchdog.json"),
        include_str!("presets/redis-failover-two-holders.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<Lock<Redis>, ParamError> {
        let p: RedisParams = read(params)?;
        let ttl = span("params.ttl_ms", p.ttl_ms)?;
        if ttl < 3 {
            return Err(at_least_ms("params.ttl_ms", "0.003"));
        }
        let replica = if p.replica {
            Some(Replica {
                replication: span("params.replication_ms", p.replication_ms)?,
                failover: span("params.failover_ms", p.failover_ms)?,
            })
        } else {
            None
        };
        let redis = Redis {
            ttl,
            compare_and_delete: p.release == Release::CompareAndDelete,
            watchdog: p.watchdog,
            replica,
        };
        build(p.common, redis, cluster)
    }
}

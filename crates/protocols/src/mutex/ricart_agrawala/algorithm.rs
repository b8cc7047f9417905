//! Ricart–Agrawala in the catalogue: its names, its parameters, its presets.

use super::RicartAgrawala;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::mutex::{default_use_ms, usage};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RaParams {
    #[serde(default = "default_use_ms")]
    use_ms: f64,
    /// Each program's Lamport clock at the start.
    #[serde(default)]
    start_clocks: Vec<u64>,
    /// The failure detector: how long a waiting program waits before asking the silent
    /// programs whether they are alive, and then for their answer. Absent: no detector.
    #[serde(default)]
    failure_timeout_ms: Option<f64>,
    /// A bug to switch on ([`super::BUGS`]).
    #[serde(default)]
    reply_while_using: bool,
}

impl Algorithm for Entry {
    type Protocol = RicartAgrawala;
    const ID: &'static str = "mutex-ra";
    const FAMILY: &'static str = "mutex";
    const NAME: Text = Text::new(
        "Ricart–Agrawala (ask everyone)",
        "分布式算法（Ricart–Agrawala）",
    );
    const HOW: Text = Text::new(
        "A program asks every other program and uses the machine once all agree. Requests \
         carry Lamport timestamps: the earlier request wins, ties go to the lower id, and \
         later requests are answered only when the machine is free. 2(n−1) messages per \
         use; one crashed program stalls everyone who asks.",
        "程序向其他所有程序发出请求，全部同意后才使用咖啡机。请求带有 Lamport 时间戳：时间戳早的优先，\
         相同则 ID 小的优先，晚到的请求等用完后才答复。每次使用 2(n−1) 条消息；一个程序故障，\
         所有申请者都会一直等下去。",
    );
    const BUGS: &'static [crate::algorithm::Bug] = super::BUGS;
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/mutex-ra-seed.json"),
        include_str!("presets/mutex-ra-everyone-asks.json"),
        include_str!("presets/mutex-ra-crash-stalls.json"),
        include_str!("presets/mutex-ra-failure-detector.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/ra-worked-example.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<RicartAgrawala, ParamError> {
        let p: RaParams = read(params)?;
        if p.start_clocks.len() > cluster.nodes {
            return Err(ParamError::new(
                "params.start_clocks",
                format!(
                    "has {} clocks for {} nodes",
                    p.start_clocks.len(),
                    cluster.nodes
                ),
                format!(
                    "给出了 {} 个时钟，但只有 {} 个节点",
                    p.start_clocks.len(),
                    cluster.nodes
                ),
            ));
        }
        if p.start_clocks.iter().any(|&t| t > u64::from(u32::MAX)) {
            return Err(ParamError::new(
                "params.start_clocks",
                "holds a clock beyond 4294967295",
                "中有时钟值超过 4294967295",
            ));
        }
        Ok(RicartAgrawala {
            usage: usage(p.use_ms)?,
            start_clocks: p.start_clocks,
            failure_timeout: p
                .failure_timeout_ms
                .map(|ms| span("params.failure_timeout_ms", ms))
                .transpose()?,
            reply_while_using: p.reply_while_using,
        })
    }
}

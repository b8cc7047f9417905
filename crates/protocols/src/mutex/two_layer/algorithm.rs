//! The two-layer token ring in the catalogue: its names, its parameters, its presets.

use super::TwoLayer;
use crate::algorithm::{read, Algorithm, Cluster, ParamError, Params};
use crate::mutex::{default_use_ms, usage};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TwoLayerParams {
    #[serde(default = "default_use_ms")]
    use_ms: f64,
    /// Number of local rings.
    #[serde(default = "default_groups")]
    groups: usize,
}

fn default_groups() -> usize {
    3
}

impl Algorithm for Entry {
    type Protocol = TwoLayer;
    const ID: &'static str = "mutex-two-layer";
    const FAMILY: &'static str = "mutex";
    const NAME: Text = Text::new("Two-layer token ring", "两层结构的令牌环");
    const HOW: Text = Text::new(
        "Local rings, each with a coordinator; the coordinators form a global ring with its \
         own token. The coordinator holding the global token sends its local token round \
         once, then passes the global token on.",
        "每个局域网是一个带协调者的局部环，协调者们组成全局环并传递全局令牌。持有全局令牌的协调者\
         让局部令牌在本环走一圈，然后把全局令牌传给下一个协调者。",
    );
    const PRESETS: &'static [&'static str] = &[include_str!("presets/mutex-two-layer.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<TwoLayer, ParamError> {
        let p: TwoLayerParams = read(params)?;
        if p.groups < 1 || p.groups > cluster.nodes / 2 {
            return Err(ParamError::new(
                "params.groups",
                format!(
                    "is {}; {} nodes make 1 to {} local rings of at least two",
                    p.groups,
                    cluster.nodes,
                    cluster.nodes / 2
                ),
                format!(
                    "为 {}；{} 个节点只能组成 1 到 {} 个本地环，每个环至少两个节点",
                    p.groups,
                    cluster.nodes,
                    cluster.nodes / 2
                ),
            ));
        }
        Ok(TwoLayer {
            usage: usage(p.use_ms)?,
            groups: p.groups,
        })
    }
}

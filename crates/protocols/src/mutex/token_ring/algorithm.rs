//! The token ring in the catalogue: its names, its parameters, its presets.

use super::{Recovery, TokenRing};
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::mutex::{default_use_ms, usage};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RingParams {
    #[serde(default = "default_use_ms")]
    use_ms: f64,
    /// Recovering a lost token: a successor silent this long after a hand-off is skipped.
    /// Absent: the texts' ring, which stops when its token is lost.
    #[serde(default)]
    recovery_ms: Option<f64>,
    /// With `recovery_ms`: a program that has not seen the token this long starts a
    /// regeneration round (default: ten times `recovery_ms`).
    #[serde(default)]
    regenerate_ms: Option<f64>,
}

impl Algorithm for Entry {
    type Protocol = TokenRing;
    const ID: &'static str = "mutex-token-ring";
    const FAMILY: &'static str = "mutex";
    const NAME: Text = Text::new("Token ring", "令牌环算法");
    const HOW: Text = Text::new(
        "A token travels round the ring; only its holder may use the machine. Fair and \
         coordinator-free, but the token moves even when nobody wants it, a program may \
         wait for it to pass everyone else, and a crash can lose it.",
        "令牌沿环传递，只有持有令牌的程序可以使用咖啡机。公平且不需要协调者，但没人要用时令牌也在传，\
         程序可能要等令牌经过其他所有程序，一次故障就可能丢失令牌。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/mutex-token-ring-100.json"),
        include_str!("presets/mutex-token-lost.json"),
        include_str!("presets/mutex-token-regenerated.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/token-ring-lost-token.json")];

    fn configure(params: &Params, _cluster: Cluster) -> Result<TokenRing, ParamError> {
        let p: RingParams = read(params)?;
        let recovery = match (p.recovery_ms, p.regenerate_ms) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(ParamError::new(
                    "params.regenerate_ms",
                    "needs params.recovery_ms: without skipping a crashed program, a new token would be lost again",
                    "需要同时设置 params.recovery_ms：不跳过故障的程序，新令牌还会再次丢失",
                ))
            }
            (Some(ms), regenerate) => {
                let handoff = span("params.recovery_ms", ms)?;
                let regenerate = match regenerate {
                    Some(r) => span("params.regenerate_ms", r)?,
                    None => handoff.saturating_mul(10),
                };
                Some(Recovery { handoff, regenerate })
            }
        };
        Ok(TokenRing {
            usage: usage(p.use_ms)?,
            recovery,
        })
    }
}

//! The token ring in the catalogue: its names, its parameters, its presets.

use super::TokenRing;
use crate::algorithm::{read, Algorithm, Cluster, ParamError, Params};
use crate::mutex::{default_use_ms, usage};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RingParams {
    #[serde(default = "default_use_ms")]
    use_ms: f64,
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
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/token-ring-lost-token.json")];

    fn configure(params: &Params, _cluster: Cluster) -> Result<TokenRing, ParamError> {
        let p: RingParams = read(params)?;
        Ok(TokenRing {
            usage: usage(p.use_ms)?,
        })
    }
}

//! Redis INCR in the catalogue: its names and its presets; its parameters are those of every
//! id generator.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::ids::{configure, Ids, Scheme, HOW};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Ids;
    const ID: &'static str = "redis-incr";
    const FAMILY: &'static str = "ids";
    const NAME: Text = Text::new("Redis INCR (RDB or AOF)", "Redis INCR（RDB 或 AOF）");
    const HOW: Text = HOW;
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/redis-incr-rdb-restart.json"),
        include_str!("presets/redis-incr-aof-slow-restart.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/redis-incr-restart.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Ids, ParamError> {
        configure(params, cluster, Scheme::RedisIncr)
    }
}

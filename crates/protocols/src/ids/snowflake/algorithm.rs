//! Snowflake in the catalogue: its names and its presets; its parameters are those of every
//! id generator.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::ids::{configure, Ids, Scheme, HOW};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Ids;
    const ID: &'static str = "snowflake";
    const FAMILY: &'static str = "ids";
    const NAME: Text = Text::new("Snowflake ids", "雪花算法");
    const HOW: Text = HOW;
    const PRESETS: &'static [&'static str] =
        &[include_str!("presets/snowflake-clock-rollback.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Ids, ParamError> {
        configure(params, cluster, Scheme::Snowflake)
    }
}

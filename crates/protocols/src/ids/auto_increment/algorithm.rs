//! Database auto-increment in the catalogue: its names and its presets; its parameters are
//! those of every id generator.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::ids::{configure, Ids, Scheme, HOW};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Ids;
    const ID: &'static str = "auto-increment";
    const FAMILY: &'static str = "ids";
    const NAME: Text = Text::new(
        "Database auto-increment with step",
        "数据库自增（起始值与步长）",
    );
    const HOW: Text = HOW;
    const PRESETS: &'static [&'static str] = &[include_str!("presets/auto-increment-step.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Ids, ParamError> {
        configure(params, cluster, Scheme::AutoIncrement)
    }
}

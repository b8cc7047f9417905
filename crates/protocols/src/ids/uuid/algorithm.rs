//! UUID in the catalogue: its names and its preset; its parameters are those of every id
//! generator.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::ids::{configure, Ids, Scheme, HOW};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Ids;
    const ID: &'static str = "uuid";
    const FAMILY: &'static str = "ids";
    const NAME: Text = Text::new("UUID", "UUID");
    const HOW: Text = HOW;
    const PRESETS: &'static [&'static str] = &[include_str!("presets/uuid-never-repeats.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Ids, ParamError> {
        configure(params, cluster, Scheme::Uuid)
    }
}

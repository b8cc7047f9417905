//! The page's components. [`App`] owns the state; the others only render what they are given.

mod app;
mod lang_switch;
mod masthead;
mod preset_list;

pub use app::App;
pub use lang_switch::LangSwitch;
pub use masthead::Masthead;
pub use preset_list::PresetList;

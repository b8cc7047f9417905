//! The page's components. [`App`] owns the state; the others only render what they are given
//! and dispatch actions.

mod app;
#[cfg(feature = "replication")]
mod availability;
mod chain_tree;
mod cluster_view;
mod compare;
mod controls;
mod explore;
#[cfg(feature = "replication")]
mod history;
mod inspector;
mod lang_switch;
mod legend;
mod lesson;
mod log_row;
mod masthead;
mod panels;
mod params;
mod preset_list;
mod preset_picker;
mod settings;
mod share;
pub mod spacetime;

pub use app::App;
pub use chain_tree::ChainTree;
pub use cluster_view::ClusterView;
pub use controls::Controls;
pub use explore::ExplorePanel;
#[cfg(feature = "replication")]
pub use history::HistoryPanel;
pub use inspector::Inspector;
pub use lang_switch::LangSwitch;
pub use legend::Legend;
pub use lesson::{remember_progress, LessonList, LessonPanel};
pub use log_row::LogRow;
pub use masthead::Masthead;
pub use panels::{concerns, EventLog, Metrics, Violations};
pub use params::ParamsEditor;
pub use preset_list::PresetList;
pub use preset_picker::PresetPicker;
pub use settings::{HeldMessages, Settings};
pub use share::Share;
pub use spacetime::{SpaceTimeDiagram, DEFAULT_SPAN};

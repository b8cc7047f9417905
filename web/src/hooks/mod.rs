//! Hooks that connect the reducer to the browser's clock, keyboard and visibility.

mod use_animation;
mod use_global_keys;

pub use use_animation::use_animation;
pub use use_global_keys::use_global_keys;

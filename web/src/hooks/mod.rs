//! Hooks that connect the reducer to the browser's clock, keyboard and visibility, and
//! to a course page that embeds the playground.

mod use_animation;
mod use_global_keys;
mod use_hash_change;
mod use_media;
pub mod use_post_message;

pub use use_animation::{use_animation, Pace};
pub use use_global_keys::use_global_keys;
pub use use_hash_change::use_hash_change;
pub use use_media::use_media;
pub use use_post_message::{post_lesson, use_post_message};

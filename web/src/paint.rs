//! Between two events nothing in a run changes but time: messages fly along their links,
//! timers run down, the clock and the timeline advance, the space-time diagram's window
//! slides. Re-rendering the page on every animation frame for that costs a laptop's battery
//! (issue 22 measured a third of the main thread while playing 5-node Raft). So the page
//! renders only when an event happens or the learner does something, and between renders:
//!
//! - what moves in a straight line at a known pace (a message's flight, the diagram's strip
//!   and the cover over its future) is handed to the browser as a Web Animation when the page
//!   renders, and the compositor moves it without the main thread;
//! - the rest (timer rings, the clock, the timeline) is written by [`Painter::paint`] from the
//!   animation loop, and only when it changed visibly.
//!
//! The components say what moves and how in `data-*` attributes they render (a message's
//! flight and its send, due and end times; a timer's set and fire times; the diagram's
//! window). After each render the painter reads them once ([`Painter::collect`]). What it
//! shows is the same function of virtual time the components render, so a render and a
//! painted frame at the same instant look the same.

use crate::components::spacetime::Strip;
use crate::geometry::{clock, timer_left, FADE};
use clusterplay_sim::Time;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Animation, Element, HtmlInputElement};

#[wasm_bindgen]
extern "C" {
    /// An element, for `Element.animate(keyframes, options)`, which web-sys lists as unstable.
    #[wasm_bindgen(extends = Element)]
    type Animatable;

    #[wasm_bindgen(method)]
    fn animate(this: &Animatable, keyframes: &Array, options: &Object) -> Animation;
}

/// Everything on the page that moves with time alone, found by [`Painter::collect`].
#[derive(Default)]
pub struct Painter {
    /// Running in the browser, each with the virtual time its animation time 0 stands for.
    motions: Vec<(Animation, Time)>,
    timers: Vec<Ring>,
    clocks: Vec<Slot>,
    timelines: Vec<Timeline>,
    /// The note that says time is skipping a quiet stretch.
    quiet: Option<Slot>,
    quiet_on: bool,
    /// Real time (the page's monotonic clock, ms) the painter last wrote at.
    clock_written: f64,
}

/// A timer's ring around its node.
struct Ring {
    set: Time,
    fires: Time,
    dash: Slot,
}

struct Timeline {
    input: HtmlInputElement,
    max: Time,
    last: Time,
}

/// What the painter writes changes faster than anyone reads digits or sees a ring shrink by a
/// pixel, and each written frame is repainted: write at most this often (real ms).
pub const PAINT_EVERY_MS: f64 = 100.0;

fn num<T: std::str::FromStr>(el: &Element, name: &str) -> Option<T> {
    el.get_attribute(name)?.parse().ok()
}

fn each(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// An attribute (or the text) of one element, and what was last written to it: writing the
/// value it already has would still invalidate style, and reading it back costs a crossing.
struct Slot {
    el: Element,
    name: &'static str,
    last: String,
}

impl Slot {
    fn new(el: &Element, name: &'static str) -> Self {
        let last = if name.is_empty() {
            el.text_content()
        } else {
            el.get_attribute(name)
        };
        Slot {
            el: el.clone(),
            name,
            last: last.unwrap_or_default(),
        }
    }

    fn write(&mut self, value: String) {
        if value != self.last {
            if self.name.is_empty() {
                self.el.set_text_content(Some(&value));
            } else {
                let _ = self.el.set_attribute(self.name, &value);
            }
            self.last = value;
        }
    }
}

/// A keyframe setting one CSS property.
fn frame(property: &str, value: &str, offset: Option<f64>) -> Object {
    let o = Object::new();
    let _ = Reflect::set(&o, &property.into(), &value.into());
    if let Some(offset) = offset {
        let _ = Reflect::set(&o, &"offset".into(), &offset.into());
    }
    o
}

/// Start a linear animation of `el` through `frames` lasting `duration` µs of virtual time
/// (the animation's milliseconds stand for virtual microseconds; its playback rate converts).
fn start(el: &Element, frames: Vec<Object>, duration: Time) -> Animation {
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &"duration".into(),
        &(duration.max(1) as f64).into(),
    );
    let _ = Reflect::set(&options, &"fill".into(), &"both".into());
    el.unchecked_ref::<Animatable>()
        .animate(&frames.into_iter().collect(), &options)
}

impl Painter {
    /// Take over what moves under `root` as the last render left it, at virtual time `t`,
    /// with virtual µs per real ms `rate` (0: standing still).
    pub fn collect(&mut self, root: &Element, t: Time, rate: f64) {
        for (animation, _) in self.motions.drain(..) {
            animation.cancel();
        }
        for el in each(root, "[data-fly]") {
            self.motions.extend(flight(&el));
        }
        if let Some(b) = root.query_selector("[data-st-span]").ok().flatten() {
            self.motions.extend(diagram(&b, t));
        }
        self.timers = each(root, "[data-fires]")
            .into_iter()
            .filter_map(|el| {
                Some(Ring {
                    set: num(&el, "data-set")?,
                    fires: num(&el, "data-fires")?,
                    dash: Slot::new(&el, "stroke-dasharray"),
                })
            })
            .collect();
        self.clocks = each(root, "[data-clock]")
            .iter()
            .map(|el| Slot::new(el, ""))
            .collect();
        self.timelines = each(root, "input[data-timeline]")
            .into_iter()
            .filter_map(|el| {
                let input: HtmlInputElement = el.dyn_into().ok()?;
                Some(Timeline {
                    max: input.max().parse().ok()?,
                    last: input.value().parse().ok()?,
                    input,
                })
            })
            .collect();
        self.quiet = root
            .query_selector("[data-quiet]")
            .ok()
            .flatten()
            .map(|el| Slot::new(&el, "class"));
        self.quiet(self.quiet_on);
        self.clock_written = f64::NEG_INFINITY;
        self.pace(t, rate);
    }

    /// Bring the browser's animations to virtual time `t`, moving on at `rate`.
    pub fn pace(&self, t: Time, rate: f64) {
        for (animation, at) in &self.motions {
            animation.set_current_time(Some(t as f64 - *at as f64));
            if rate > 0.0 {
                animation.set_playback_rate(rate);
                let _ = animation.play();
            } else {
                let _ = animation.pause();
            }
        }
    }

    /// Show or hide the note that time skips a quiet stretch.
    pub fn quiet(&mut self, on: bool) {
        self.quiet_on = on;
        if let Some(note) = &mut self.quiet {
            note.write(if on { "quiet-note on" } else { "quiet-note" }.to_owned());
        }
    }

    /// Write what the browser does not animate at virtual time `t`; `real` is the page's
    /// monotonic clock (written at most every [`PAINT_EVERY_MS`] of it).
    pub fn paint(&mut self, t: Time, real: f64) {
        // (A wake-up a little early still paints: the loop sleeps about this long.)
        if real - self.clock_written < PAINT_EVERY_MS * 0.9 {
            return;
        }
        self.clock_written = real;
        for r in &mut self.timers {
            let left = timer_left(r.set, r.fires, t);
            r.dash.write(format!("{:.0} 100", left * 100.0));
        }
        for c in &mut self.clocks {
            c.write(clock(t));
        }
        for line in &mut self.timelines {
            // The thumb moves a pixel in about a thousandth of the run.
            if t.abs_diff(line.last) >= (line.max / 1000).max(1) || t == line.max {
                line.input.set_value(&t.to_string());
                line.last = t;
            }
        }
    }
}

/// A message's flight (`data-fly`: how far it goes, as shares of its own size), or the fading
/// of one that was lost.
fn flight(el: &Element) -> Vec<(Animation, Time)> {
    let (Some(sent), Some(due)) = (num::<Time>(el, "data-sent"), num::<Time>(el, "data-due"))
    else {
        return Vec::new();
    };
    if let Some(lost) = num::<Time>(el, "data-lost-at") {
        let fade = vec![frame("opacity", "1", None), frame("opacity", "0", None)];
        return vec![(start(el, fade, FADE), lost)];
    }
    let Some(fly) = el.get_attribute("data-fly") else {
        return Vec::new();
    };
    let (dx, dy) = fly.split_once(' ').unwrap_or(("0", "0"));
    let to = format!("translate({dx}%, {dy}%)");
    let path = vec![
        frame("transform", "translate(0%, 0%)", None),
        frame("transform", &to, None),
    ];
    // A held message's `data-fly` goes half-way, where it waits.
    let duration = if el.has_attribute("data-held") {
        due.saturating_sub(sent) / 2
    } else {
        due.saturating_sub(sent)
    };
    vec![(start(el, path, duration), sent)]
}

/// The space-time diagram's strip and the cover over its future, from `t` until the strip
/// runs out ([`Strip::lasts`]), with a bend where the window starts to slide.
fn diagram(b: &Element, t: Time) -> Vec<(Animation, Time)> {
    let (Some(from), Some(span), Some(width)) = (
        num(b, "data-st-from"),
        num(b, "data-st-span"),
        num(b, "data-st-width"),
    ) else {
        return Vec::new();
    };
    let strip = Strip { from, span, width };
    let end = strip.lasts().max(t + 1);
    let knee = strip.slides_from().clamp(t, end);
    let offset = (knee - t) as f64 / (end - t) as f64;
    let mut out = Vec::new();
    let parts = [
        (
            ".st-strip",
            Strip::strip_transform as fn(&Strip, Time) -> String,
        ),
        (".st-future", Strip::future_transform),
    ];
    for (selector, at) in parts {
        if let Some(el) = b.query_selector(selector).ok().flatten() {
            let frames = vec![
                frame("transform", &at(&strip, t), Some(0.0)),
                frame("transform", &at(&strip, knee), Some(offset)),
                frame("transform", &at(&strip, end), Some(1.0)),
            ];
            out.push((start(&el, frames, end - t), t));
        }
    }
    out
}

//! The space-time (Lamport) diagram: one horizontal line per node, time running to the right
//! up to the playhead, each message an arrow from its send to its delivery (a lost one ends in
//! a cross), crashes and recoveries marked on the node's line. A click on an event seeks there.
//!
//! Only the visible window of time is asked of the run, and it is drawn in fixed slices of
//! absolute time: a slice whose events and finished messages did not change keeps its props,
//! so Yew neither rebuilds nor diffs it. Everything is drawn in absolute time and as far as it
//! will go (a message in flight to its arrival, a crashed node's line onwards), under a clip
//! that ends at the present: between events the page's painter (`paint.rs`) only slides the
//! window (one `transform`) and moves the clip, and this component renders on events alone.

use crate::geometry::{clock, flight_fraction};
use crate::i18n::{Lang, W};
use crate::palette::{kind_color, ALERT};
use crate::state::Selection;
use clusterplay_scenario::glossary;
use clusterplay_scenario::view::{DiagramEvent, DiagramMessage, EventKind, SpaceTime};
use clusterplay_sim::{Fate, Time};
use clusterplay_view::Highlight;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Width of the drawing (viewBox units) on a wide screen...
pub const WIDE: f64 = 720.0;
/// ...and on a phone, where the same drawing at 720 units would shrink its words to about
/// 5 px: fewer units across the same screen width make them about twice as large.
pub const NARROW: f64 = 400.0;
/// Room on the left for the node numbers.
const LEFT: f64 = 44.0;
const TOP: f64 = 14.0;
/// Slices per visible window.
pub const SLICES: u64 = 4;
/// Zoom steps: visible window in virtual milliseconds.
pub const SPANS_MS: [u64; 8] = [25, 50, 100, 200, 400, 800, 1600, 3200];
pub const DEFAULT_SPAN: usize = 3;

/// The window the diagram shows: the learner's zoom if they chose one; otherwise
/// [`DEFAULT_SPAN`] while playing, and the whole run so far when paused or ended (rounded up
/// to a round number of milliseconds, at least the smallest step).
pub fn span_for(zoom: Option<usize>, playing: bool, playhead: Time) -> Time {
    match zoom {
        Some(z) => SPANS_MS[z.min(SPANS_MS.len() - 1)] * 1000,
        None if playing => SPANS_MS[DEFAULT_SPAN] * 1000,
        None => round_up(playhead.max(SPANS_MS[0] * 1000)),
    }
}

/// The next 1, 2 or 5 times a power of ten (µs) at or above `t`.
fn round_up(t: Time) -> Time {
    let mut unit: Time = 1;
    loop {
        for m in [1, 2, 5] {
            if unit.saturating_mul(m) >= t {
                return unit.saturating_mul(m);
            }
        }
        if unit > Time::MAX / 10 {
            return t;
        }
        unit *= 10;
    }
}

/// Vertical distance between two node lines for `n` nodes.
pub fn row_height(n: usize) -> f64 {
    match n {
        0..=6 => 40.0,
        7..=12 => 28.0,
        13..=30 => 15.0,
        _ => (600.0 / n as f64).max(5.0),
    }
}

/// Horizontal scale: viewBox units per virtual microsecond when `span` µs fill a drawing
/// `width` units wide.
pub fn scale(span: Time, width: f64) -> f64 {
    (width - LEFT - 12.0) / span.max(1) as f64
}

/// The slice width and the first instant to ask the run for, so that slices line up on
/// absolute time and stay the same while the window slides.
pub fn window(playhead: Time, span: Time) -> (Time, Time) {
    let slice = (span / SLICES).max(1);
    let from = playhead.saturating_sub(span);
    (slice, from - from % slice)
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

fn y_of(node: u32, row: f64) -> f64 {
    TOP + (f64::from(node.max(1)) - 1.0) * row
}

/// Where a message's arrow ends: time, height, and whether it was lost there. One in flight
/// is drawn to where it will arrive (a held one to half-way); the present's clip hides the rest.
fn arrow_end(m: &DiagramMessage, row: f64) -> (Time, f64, bool) {
    let (y0, y1) = (y_of(m.from, row), y_of(m.to, row));
    match m.fate {
        Fate::Delivered { time, .. } => (time, y1, false),
        Fate::Dropped { time, .. } => {
            let frac = flight_fraction(m.sent_at, m.due, time).max(0.15);
            (time, y0 + (y1 - y0) * frac, true)
        }
        Fate::InFlight => {
            let frac = if m.held { 0.5 } else { 1.0 };
            (m.due.max(m.sent_at), y0 + (y1 - y0) * frac, false)
        }
    }
}

fn message_html(
    m: &DiagramMessage,
    row: f64,
    k: f64,
    (selected, flagged): (bool, bool),
    lang: Lang,
) -> Html {
    let (end, y1, lost) = arrow_end(m, row);
    let (x0, y0) = (m.sent_at as f64 * k, y_of(m.from, row));
    let x1 = end as f64 * k;
    let flying = matches!(m.fate, Fate::InFlight);
    let color = kind_color(m.kind);
    let class = classes!(
        "st-msg",
        flying.then_some("flying"),
        m.held.then_some("held"),
        lost.then_some("lost"),
        selected.then_some("selected"),
        flagged.then_some("flagged"),
    );
    html! {
        <g key={format!("m{}", m.id)} class={class} data-msg={m.id.to_string()}
            data-testid={format!("st-msg-{}", m.id)}>
            <line class="st-hit" x1={f(x0)} y1={f(y0)} x2={f(x1)} y2={f(y1)} />
            <line class="st-arrow" x1={f(x0)} y1={f(y0)} x2={f(x1)} y2={f(y1)} stroke={color}
                marker-end={(!lost && !flying).then_some("url(#st-head)")} />
            if lost {
                <path class="st-cross" d={format!("M{} {}l8 8m0 -8l-8 8", f(x1 - 4.0), f(y1 - 4.0))}
                    stroke={ALERT} />
            }
            <title>{ format!("#{} {} {} → {}", m.id, glossary::phrase(m.kind, lang.tag()), m.from, m.to) }</title>
        </g>
    }
}

fn event_html(e: &DiagramEvent, row: f64, rows: usize, k: f64, selected: bool) -> Html {
    let x = e.time as f64 * k;
    let class = classes!(
        "st-event",
        kind_class(e.kind),
        selected.then_some("selected")
    );
    let data_time = e.time.to_string();
    let testid = format!("st-event-{}", e.index);
    let Some(node) = e.node else {
        // A network-wide action: a dashed line across every node.
        let bottom = TOP + rows.saturating_sub(1) as f64 * row;
        return html! {
            <g key={format!("e{}", e.index)} {class} data-event={e.index.to_string()}
                data-time={data_time} data-testid={testid}>
                <line class="st-net" x1={f(x)} y1={f(TOP - 8.0)} x2={f(x)} y2={f(bottom + 8.0)} />
                <rect class="st-hit" x={f(x - 4.0)} y={f(TOP - 8.0)} width="8"
                    height={f(bottom - TOP + 16.0)} />
            </g>
        };
    };
    let y = y_of(node, row);
    // Smaller marks when many events share the width.
    let r = (row * 0.22).clamp(2.0, 5.5) * (k * 600.0).clamp(0.5, 1.0);
    let mark = match e.kind {
        EventKind::Crash => html! {
            <path class="st-crash" d={format!("M{} {}l{s} {s}m0 -{s}l-{s} {s}", f(x - r * 1.3), f(y - r * 1.3), s = f(r * 2.6))} />
        },
        EventKind::Recover => html! {
            <circle class="st-recover" cx={f(x)} cy={f(y)} r={f(r * 1.3)} />
        },
        _ => html! { <circle class="st-dot" cx={f(x)} cy={f(y)} r={f(r)} /> },
    };
    html! {
        <g key={format!("e{}", e.index)} {class} data-event={e.index.to_string()}
            data-time={data_time} data-testid={testid}>
            <circle class="st-hit" cx={f(x)} cy={f(y)} r={f(r + 4.0)} />
            { mark }
        </g>
    }
}

/// A finding's stretch of a node's line: a band from its start to its end (or on, under the
/// present's clip) with its label above, in the alert colour.
fn highlight_html(i: usize, h: &Highlight, lang: Lang, onwards: Time, row: f64, k: f64) -> Html {
    let end = h.to.unwrap_or(onwards).max(h.from);
    let (x0, x1) = (h.from as f64 * k, end as f64 * k);
    let y = y_of(h.node.number(), row);
    let half = (row * 0.3).clamp(3.0, 9.0);
    let messages = h
        .messages
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <g key={format!("h{i}")} class="st-highlight" data-testid={format!("st-highlight-{i}")}
            data-node={h.node.number().to_string()} data-messages={messages}>
            <rect x={f(x0 - 3.0)} y={f(y - half)} width={f(x1 - x0 + 6.0)} height={f(half * 2.0)}
                rx={f(half)} fill={ALERT} />
            <text x={f(x0)} y={f(y - half - 2.0)} font-size={f((row * 0.5).clamp(9.0, 14.0))}
                fill={ALERT}>{ glossary::phrase(&h.label, lang.tag()).into_owned() }</text>
        </g>
    }
}

fn kind_class(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Start => "start",
        EventKind::Deliver => "deliver",
        EventKind::Drop => "drop",
        EventKind::Timer => "timer",
        EventKind::Action => "action",
        EventKind::Crash => "crash",
        EventKind::Recover => "recover",
    }
}

/// One slice of absolute time: its events and the finished messages that end in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub start: Time,
    pub events: Vec<DiagramEvent>,
    pub messages: Vec<DiagramMessage>,
}

#[derive(Properties, PartialEq)]
struct SliceProps {
    slice: Rc<Slice>,
    row: f64,
    rows: usize,
    /// Horizontal scale (bits, so that the props compare exactly).
    k: u64,
    selection: Selection,
    /// Messages a finding points at.
    flagged: Rc<BTreeSet<u64>>,
    lang: Lang,
}

#[component]
fn SliceView(props: &SliceProps) -> Html {
    let k = f64::from_bits(props.k);
    let sel = props.selection;
    let messages = props.slice.messages.iter().map(|m| {
        let marks = (
            sel == Selection::Message(m.id),
            props.flagged.contains(&m.id),
        );
        message_html(m, props.row, k, marks, props.lang)
    });
    let events = props.slice.events.iter().map(|e| {
        let selected = sel == Selection::Event(e.index)
            || matches!(sel, Selection::Message(id) if e.msg == Some(id));
        event_html(e, props.row, props.rows, k, selected)
    });
    html! {
        <g class="st-slice" data-start={props.slice.start.to_string()}>
            { for messages }
            { for events }
        </g>
    }
}

/// Cut the window's content into slices of `slice` µs starting at `first`, finished messages
/// by where they end; messages still in flight are returned apart.
pub fn slices(st: &SpaceTime, first: Time, slice: Time) -> (Vec<Slice>, Vec<DiagramMessage>) {
    let count = ((st.to.saturating_sub(first)) / slice + 1) as usize;
    let mut out: Vec<Slice> = (0..count)
        .map(|i| Slice {
            start: first + i as Time * slice,
            events: Vec::new(),
            messages: Vec::new(),
        })
        .collect();
    let at = |t: Time| ((t.saturating_sub(first)) / slice) as usize;
    for e in &st.events {
        if let Some(s) = out.get_mut(at(e.time)) {
            s.events.push(*e);
        }
    }
    let mut flying = Vec::new();
    for m in &st.messages {
        match m.fate {
            Fate::InFlight => flying.push(*m),
            Fate::Delivered { time, .. } | Fate::Dropped { time, .. } => {
                // Messages that ended before the window are not drawn.
                if time >= first {
                    if let Some(s) = out.get_mut(at(time)) {
                        s.messages.push(*m);
                    }
                }
            }
        }
    }
    (out, flying)
}

#[derive(Properties, PartialEq)]
struct RowsProps {
    n: usize,
    row: f64,
    width: f64,
    selected: Option<u32>,
}

/// One line and number per node. Its props rarely change, so Yew skips it while playing.
#[component]
fn Rows(props: &RowsProps) -> Html {
    let (n, row, width) = (props.n, props.row, props.width);
    // With many nodes, number every fifth line (and the first and last).
    let labelled = |node: u32| n <= 30 || node == 1 || node as usize == n || node.is_multiple_of(5);
    let lines = (1..=n as u32).map(|node| {
        let y = y_of(node, row);
        let selected = props.selected == Some(node);
        html! {
            <g class={classes!("st-node", selected.then_some("selected"))} data-node={node.to_string()}>
                if labelled(node) || selected {
                    <text class="st-label" x={f(LEFT - 8.0)} y={f(y + 4.0)} text-anchor="end"
                        font-size={f((row * 0.6).clamp(7.0, 13.0))}>{ node }</text>
                }
                <line class="st-line" x1={f(LEFT)} y1={f(y)} x2={f(width - 12.0)} y2={f(y)} />
            </g>
        }
    });
    html! { <g class="st-rows">{ for lines }</g> }
}

#[derive(Properties, PartialEq)]
pub struct SpaceTimeProps {
    pub lang: Lang,
    /// The run from the first slice's start to the playhead.
    pub data: Rc<SpaceTime>,
    pub nodes: usize,
    pub playhead: Time,
    /// A phone's screen: the drawing is [`NARROW`] units wide instead of [`WIDE`].
    #[prop_or_default]
    pub narrow: bool,
    /// The learner's zoom, an index into [`SPANS_MS`]; `None`: automatic ([`span_for`]).
    pub zoom: Option<usize>,
    /// The window shown, µs ([`span_for`]).
    pub span: Time,
    pub selection: Selection,
    /// Stretches of time lines the run's findings point at.
    pub highlights: Rc<Vec<Highlight>>,
    /// Messages a lesson's stop points at, marked as a finding's are.
    #[prop_or_default]
    pub pointed: Rc<BTreeSet<u64>>,
    pub on_select: Callback<Selection>,
    pub on_seek: Callback<Time>,
    pub on_zoom: Callback<Option<usize>>,
}

/// Read the `data-*` of the mark under a click (the mark or one of its parents).
fn clicked(e: &MouseEvent) -> Option<(Option<u64>, Option<Time>, Option<u64>)> {
    let mut el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    for _ in 0..4 {
        let event = el.get_attribute("data-event").and_then(|v| v.parse().ok());
        let msg = el.get_attribute("data-msg").and_then(|v| v.parse().ok());
        if event.is_some() || msg.is_some() {
            let time = el.get_attribute("data-time").and_then(|v| v.parse().ok());
            return Some((event, time, msg));
        }
        el = el.parent_element()?;
    }
    None
}

#[component]
pub fn SpaceTimeDiagram(props: &SpaceTimeProps) -> Html {
    let lang = props.lang;
    let span = props.span.max(1);
    // Where + and − go: the next step in or out from the learner's zoom, or from what the
    // automatic choice shows.
    let last = SPANS_MS.len() - 1;
    let (zoom_in, zoom_out) = match props.zoom {
        Some(z) => (z.checked_sub(1), (z < last).then_some(z + 1)),
        None => (
            SPANS_MS.iter().rposition(|ms| ms * 1000 < span),
            SPANS_MS.iter().position(|ms| ms * 1000 > span),
        ),
    };
    let width = if props.narrow { NARROW } else { WIDE };
    let k = scale(span, width);
    let n = props.nodes;
    let row = row_height(n);
    let height = TOP * 2.0 + n.saturating_sub(1) as f64 * row + 16.0;
    let (slice, first) = window(props.playhead, span);
    let from = props.playhead.saturating_sub(span);
    let (parts, flying) = slices(&props.data, first, slice);
    let sel = props.selection;

    let onclick = {
        let (on_select, on_seek) = (props.on_select.clone(), props.on_seek.clone());
        Callback::from(move |e: MouseEvent| match clicked(&e) {
            Some((Some(index), time, _)) => {
                on_select.emit(Selection::Event(index));
                if let Some(t) = time {
                    on_seek.emit(t);
                }
            }
            Some((None, _, Some(msg))) => on_select.emit(Selection::Message(msg)),
            _ => {}
        })
    };
    let zoom_to = |z: Option<usize>| {
        let on_zoom = props.on_zoom.clone();
        Callback::from(move |_: MouseEvent| on_zoom.emit(z))
    };
    let zoom_label = match props.zoom {
        Some(z) => format!("{} ms", SPANS_MS[z.min(SPANS_MS.len() - 1)]),
        // The run's own length, not the round window drawn around it.
        None if span != SPANS_MS[DEFAULT_SPAN] * 1000 => {
            format!("{} ({})", lang.t(W::WholeRun), clock(props.playhead))
        }
        None => format!("{} ms", SPANS_MS[DEFAULT_SPAN]),
    };

    // Node lines, greyed where the node was down.
    let status = &props.data.status;
    // Time beyond the window's right edge however it slides before the next render: what
    // lasts "until now" is drawn to here and clipped at the present.
    let onwards = props.playhead.saturating_add(2 * span);
    let x = |t: Time| t as f64 * k;
    let mut downs = Vec::new();
    for node in 1..=n as u32 {
        let mut since: Option<Time> = None;
        for &(t, _, up) in status.iter().filter(|s| s.1 == node) {
            match (up, since) {
                (false, None) => since = Some(t),
                (true, Some(s)) => {
                    downs.push((node, s, t));
                    since = None;
                }
                _ => {}
            }
        }
        if let Some(s) = since {
            downs.push((node, s, onwards));
        }
    }
    let downs = downs
        .into_iter()
        .filter(|(_, _, end)| *end >= from)
        .map(|(node, s, e)| {
            let y = y_of(node, row);
            html! { <line class="st-down" x1={f(x(s))} y1={f(y)} x2={f(x(e))} y2={f(y)} /> }
        });
    let selected_node = match sel {
        Selection::Node(node) => Some(node),
        _ => None,
    };

    let flagged: Rc<BTreeSet<u64>> = Rc::new(
        props
            .highlights
            .iter()
            .flat_map(|h| h.messages.iter().copied())
            .chain(props.pointed.iter().copied())
            .collect(),
    );
    let k_bits = k.to_bits();
    let slices = parts.into_iter().map(|s| {
        let key = s.start.to_string();
        html! {
            <SliceView {key} slice={Rc::new(s)} {row} rows={n}
                k={k_bits} selection={sel} flagged={flagged.clone()} {lang} />
        }
    });
    let live = flying.iter().map(|m| {
        let marks = (sel == Selection::Message(m.id), flagged.contains(&m.id));
        message_html(m, row, k, marks, lang)
    });
    let marks = props
        .highlights
        .iter()
        .enumerate()
        .map(|(i, h)| highlight_html(i, h, lang, onwards, row, k));
    let strip = Strip::new(props.playhead, span, width);
    let (x0, strip_width) = strip.view_box();
    // Time ticks at a round step, over the strip's whole width (they slide with it).
    let step = round_up(span / 5).max(1);
    let ticks = ((strip.from / step).max(1)..=(strip.from + 2 * span) / step + 1).map(|i| {
        let t = i * step;
        let x = t as f64 * k;
        html! {
            <g class="st-tick">
                <line x1={f(x)} y1={f(TOP - 8.0)} x2={f(x)} y2={f(height - 14.0)} />
                <text x={f(x)} y={f(height - 3.0)} font-size="10" text-anchor="middle">
                    { format!("{} ms", crate::geometry::number(t as f64 / 1000.0)) }
                </text>
            </g>
        }
    });

    html! {
        <section class="panel spacetime" data-testid="spacetime">
            <div class="panel-head">
                <h2 class="panel-title">{ lang.t(W::SpaceTime) }</h2>
                <div class="zoom" role="group" aria-label={lang.t(W::Zoom)}>
                    <button type="button" class="ctl small" data-testid="st-zoom-in"
                        disabled={zoom_in.is_none()}
                        onclick={zoom_to(Some(zoom_in.unwrap_or(0)))}
                        aria-label={lang.t(W::ZoomIn)}>{ "+" }</button>
                    <span class="muted" data-testid="st-span">{ zoom_label }</span>
                    <button type="button" class="ctl small" data-testid="st-zoom-out"
                        disabled={zoom_out.is_none()}
                        onclick={zoom_to(Some(zoom_out.unwrap_or(last)))}
                        aria-label={lang.t(W::ZoomOut)}>{ "−" }</button>
                    if props.zoom.is_some() {
                        <button type="button" class="ctl small" data-testid="st-zoom-auto"
                            onclick={zoom_to(None)}>{ lang.t(W::ZoomAuto) }</button>
                    }
                </div>
            </div>
            <div class="st-box" {onclick} role="img"
                aria-label={format!("{} {} – {}", lang.t(W::SpaceTime), clock(from), clock(props.playhead))}
                data-st-span={span.to_string()} data-st-from={strip.from.to_string()}
                data-st-width={width.to_string()}>
                <svg class="st" viewBox={format!("0 0 {width} {}", f(height))}>
                    <Rows {n} {row} {width} selected={selected_node} />
                </svg>
                <div class="st-window" style={strip.window_style()}>
                    <svg class="st-strip" preserveAspectRatio="none" viewBox={format!("{} 0 {} {}", f(x0), f(strip_width), f(height))}
                        style={format!("width:{:.0}%;transform:{}", Strip::WINDOWS * 100.0, strip.strip_transform(props.playhead))}>
                        <defs>
                            <marker id="st-head" viewBox="0 0 10 10" refX="9" refY="5"
                                markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                                <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                            </marker>
                        </defs>
                        <g class="st-content">
                            <g class="st-ticks">{ for ticks }</g>
                            <g class="st-downs">{ for downs }</g>
                            <g class="st-live">{ for live }</g>
                            { for slices }
                            // Over the arrows, so that the labels stay readable.
                            <g class="st-highlights">{ for marks }</g>
                        </g>
                    </svg>
                    // The future: covers what is drawn beyond the present; its edge is the
                    // present's line.
                    <div class="st-future" style={format!("transform:{}", strip.future_transform(props.playhead))}></div>
                </div>
            </div>
            <div class="st-times">
                <span class="st-time st-time-from">{ clock(from) }</span>
                <span class="st-time st-time-now">{ clock(props.playhead) }</span>
            </div>
            if props.data.clipped {
                <p class="muted small">{ lang.t(W::DiagramClipped) }</p>
            }
        </section>
    }
}

/// How the diagram's moving strip is placed: its content is drawn in absolute time (x = t·k)
/// for two windows' worth from the window's start at render time, inside a window of fixed
/// size; as time goes on it slides left (a compositor transform, no repaint) and a cover over
/// the future moves right until the present reaches the window's right edge. The page's
/// painter (`paint.rs`) writes the same two transforms between renders, so the page need not
/// render again before the strip runs out ([`Strip::lasts`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strip {
    /// The window's start (virtual time) when the strip was drawn.
    pub from: Time,
    pub span: Time,
    /// The drawing's width ([`WIDE`] or [`NARROW`]).
    pub width: f64,
}

impl Strip {
    /// The window, in the diagram's units: from just left of the first instant to the right.
    const WINDOW_X: f64 = LEFT - 6.0;
    /// The strip is this many windows wide.
    const WINDOWS: f64 = 2.0;

    pub fn new(playhead: Time, span: Time, width: f64) -> Self {
        Strip {
            from: playhead.saturating_sub(span),
            span,
            width,
        }
    }

    fn window_w(&self) -> f64 {
        self.width - LEFT
    }

    fn k(&self) -> f64 {
        scale(self.span, self.width)
    }

    /// The strip's view box: start and width.
    fn view_box(&self) -> (f64, f64) {
        (
            self.from as f64 * self.k() - (LEFT - Self::WINDOW_X),
            self.window_w() * Self::WINDOWS,
        )
    }

    fn window_style(&self) -> String {
        format!(
            "left:{:.3}%;width:{:.3}%",
            Self::WINDOW_X / self.width * 100.0,
            self.window_w() / self.width * 100.0
        )
    }

    /// The strip's transform at `t`: slid left by what the window moved since it was drawn
    /// (a share of its own width).
    pub fn strip_transform(&self, t: Time) -> String {
        let moved = t.saturating_sub(self.span).saturating_sub(self.from) as f64 * self.k();
        format!(
            "translateX({:.3}%)",
            -moved / (self.window_w() * Self::WINDOWS) * 100.0
        )
    }

    /// The future's cover at `t`: its left edge at the present (a share of the window, which
    /// is its own width).
    pub fn future_transform(&self, t: Time) -> String {
        let since = t - t.saturating_sub(self.span);
        let x = LEFT - Self::WINDOW_X + since as f64 * self.k();
        format!("translateX({:.3}%)", x / self.window_w() * 100.0)
    }

    /// When the window starts sliding: before, the present moves right across it.
    pub fn slides_from(&self) -> Time {
        self.from.saturating_add(self.span)
    }

    /// Until when the strip covers the window: the page renders again by then.
    pub fn lasts(&self) -> Time {
        self.from
            .saturating_add(self.span)
            .saturating_add((self.span as f64 * (Self::WINDOWS - 1.0) * 0.9) as Time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_line_up_on_absolute_time() {
        let (slice, first) = window(230_000, 200_000);
        assert_eq!(slice, 50_000);
        assert_eq!(first, 0);
        let (_, first) = window(290_000, 200_000);
        assert_eq!(first, 50_000, "90 ms rounds down to the 50 ms slice");
        let (_, first) = window(10_000, 200_000);
        assert_eq!(first, 0);
    }

    #[test]
    fn finished_messages_go_where_they_end_and_flying_ones_apart() {
        let m = |id, fate| DiagramMessage {
            id,
            from: 1,
            to: 2,
            kind: "ping",
            sent_at: 1_000,
            sent_event: 0,
            due: 9_000,
            fate,
            held: false,
        };
        let st = SpaceTime {
            from: 0,
            to: 25_000,
            events: vec![],
            messages: vec![
                m(
                    0,
                    Fate::Delivered {
                        event: 1,
                        time: 12_000,
                    },
                ),
                m(1, Fate::InFlight),
            ],
            status: vec![],
            clipped: false,
        };
        let (parts, flying) = slices(&st, 0, 10_000);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].messages.len(), 1);
        assert_eq!(flying.len(), 1);
    }
}

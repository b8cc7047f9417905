//! Pure drawing arithmetic: where nodes sit for each layout, where a message is along its link,
//! how much of a timer is left, the speed slider's scale and the clock's wording. Nothing here
//! touches the browser, so it is tested natively.

use clusterplay_scenario::view::MessageOut;
use clusterplay_sim::{Fate, Time};
use clusterplay_view::Layout;
use std::f64::consts::{PI, TAU};

/// The cluster view's coordinate system: a square `0..SIZE`, centre at `SIZE / 2`.
pub const SIZE: f64 = 1000.0;
pub const CENTER: f64 = SIZE / 2.0;
/// Radius of the circle most layouts put their nodes on.
pub const RADIUS: f64 = 380.0;

/// A point in the view's coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    pub fn lerp(self, to: Point, f: f64) -> Point {
        Point::new(self.x + (to.x - self.x) * f, self.y + (to.y - self.y) * f)
    }

    pub fn distance(self, to: Point) -> f64 {
        (to.x - self.x).hypot(to.y - self.y)
    }
}

/// `count` points on a circle, the first at the top, going clockwise.
pub fn on_circle(center: Point, radius: f64, count: usize, start: f64) -> Vec<Point> {
    (0..count)
        .map(|i| {
            let a = start + TAU * i as f64 / count.max(1) as f64 - PI / 2.0;
            Point::new(center.x + radius * a.cos(), center.y + radius * a.sin())
        })
        .collect()
}

/// Where each of `n` nodes (index order) sits for `layout`.
pub fn positions(layout: &Layout, n: usize) -> Vec<Point> {
    let center = Point::new(CENTER, CENTER);
    match layout {
        Layout::Circle | Layout::Ring => on_circle(center, RADIUS, n, 0.0),
        Layout::Star { center: hub } => {
            let hub = hub.index();
            if hub >= n {
                return on_circle(center, RADIUS, n, 0.0);
            }
            let mut around = on_circle(center, RADIUS, n.saturating_sub(1), 0.0).into_iter();
            (0..n)
                .map(|i| {
                    if i == hub {
                        center
                    } else {
                        around.next().unwrap_or(center)
                    }
                })
                .collect()
        }
        Layout::TwoRings { groups } => {
            let mut out = on_circle(center, RADIUS, n, 0.0);
            let g = groups.len().max(1);
            let big = if g == 1 { 0.0 } else { RADIUS * 0.66 };
            // Small local rings keep the coordinators, which face the middle, far enough
            // apart for their labels ("ring coordinator · queue 0") to sit side by side.
            let small = if g == 1 {
                RADIUS
            } else {
                (big * (PI / g as f64).sin() * 0.8)
                    .min(RADIUS - big)
                    .min(big * 0.45)
            };
            let centers = on_circle(center, big, g, 0.0);
            for (k, group) in groups.iter().enumerate() {
                let c = centers[k];
                // The coordinator (first member) faces the middle, so the global ring is inside.
                let inward = (center.y - c.y).atan2(center.x - c.x) + PI / 2.0;
                let start = if g == 1 { 0.0 } else { inward };
                for (j, p) in on_circle(c, small, group.len(), start)
                    .into_iter()
                    .enumerate()
                {
                    if let Some(id) = group.get(j) {
                        if let Some(slot) = out.get_mut(id.index()) {
                            *slot = p;
                        }
                    }
                }
            }
            out
        }
    }
}

/// Radius of a node's disc when `n` nodes share the view.
pub fn node_radius(layout: &Layout, n: usize) -> f64 {
    let count = match layout {
        Layout::TwoRings { groups } => groups.iter().map(Vec::len).max().unwrap_or(n) * 2,
        _ => n,
    }
    .max(1);
    let spacing = TAU * RADIUS / count as f64;
    (spacing * 0.36).clamp(7.0, 50.0)
}

/// Above this many nodes on a circle, labels under the nodes run into their neighbours'.
pub const CROWDED: usize = 12;
/// The widest label a crowded circle draws, in Latin letters, so that spokes stop short of
/// the middle.
pub const CROWDED_LABEL_CHARS: usize = 22;
/// The smallest label size, which crowded circles use.
const LABEL_MIN: f64 = 17.0;
/// A Latin letter's width in ems, on average, in the page's sans-serif font.
const LETTER_EM: f64 = 0.58;

/// Where a node's label goes, relative to the node's centre, and which way it reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelPlace {
    /// The text's anchor point.
    pub x: f64,
    pub y: f64,
    /// Degrees the text is turned about its anchor point.
    pub rotate: f64,
    /// SVG `text-anchor`.
    pub anchor: &'static str,
    /// How far the text moves across its own baseline (SVG `dy`), to centre it on a radius.
    pub shift: f64,
    pub size: f64,
    /// Along a radius (a crowded circle), not under the node.
    pub radial: bool,
}

/// Under the node while there is room. On a crowded circle the label lies along the radius
/// towards the middle, which the links leave almost empty: neighbours' labels then run side by
/// side like spokes instead of into each other, and every label still reads left to right.
/// A star's hub sits in the middle and keeps its label under it.
pub fn label_place(layout: &Layout, at: Point, n: usize, r: f64) -> LabelPlace {
    let size = (r * 0.5).clamp(LABEL_MIN, 26.0);
    let under = LabelPlace {
        x: 0.0,
        y: r + 8.0 + size,
        rotate: 0.0,
        anchor: "middle",
        shift: 0.0,
        size,
        radial: false,
    };
    let on_circle = matches!(layout, Layout::Circle | Layout::Ring | Layout::Star { .. });
    let (dx, dy) = (at.x - CENTER, at.y - CENTER);
    let d = dx.hypot(dy);
    if !on_circle || n <= CROWDED || d < 1.0 {
        return under;
    }
    let (ux, uy) = (dx / d, dy / d);
    let angle = uy.atan2(ux).to_degrees();
    // Turned so that the text never reads upside down: the left half of the circle is
    // turned half a turn further and anchored at the other end.
    let (rotate, anchor) = if ux >= 0.0 {
        (angle, "end")
    } else if angle > 0.0 {
        (angle - 180.0, "start")
    } else {
        (angle + 180.0, "start")
    };
    LabelPlace {
        x: -ux * (r + 8.0),
        y: -uy * (r + 8.0),
        rotate,
        anchor,
        shift: LABEL_MIN * 0.35,
        size: LABEL_MIN,
        radial: true,
    }
}

/// How wide `c` is in Latin letters: a Chinese character is about two.
fn letter_width(c: char) -> usize {
    if c >= '\u{2E80}' {
        2
    } else {
        1
    }
}

/// How wide `text` is in Latin letters.
fn letters(text: &str) -> usize {
    text.chars().map(letter_width).sum()
}

/// How wide `text` is drawn at `font` size: a Chinese character is as wide as the font is
/// high, a Latin one about 0.62 of it.
pub fn text_width(text: &str, font: f64) -> f64 {
    font * text
        .chars()
        .map(|c| if c.is_ascii() { 0.62 } else { 1.0 })
        .sum::<f64>()
}

/// The lines of a node's label as `place` draws it: one spoke on a crowded circle, cut with
/// "…" at [`CROWDED_LABEL_CHARS`] letters; under the node, [`wrap_label`]ped to `room`.
pub fn label_lines(label: &str, place: &LabelPlace, room: f64) -> Vec<String> {
    if !place.radial {
        return wrap_label(label, room, place.size);
    }
    if letters(label) <= CROWDED_LABEL_CHARS {
        return vec![label.to_owned()];
    }
    let mut width = 0;
    let mut cut: String = label
        .chars()
        .take_while(|&c| {
            width += letter_width(c);
            width < CROWDED_LABEL_CHARS
        })
        .collect();
    cut.push('…');
    vec![cut]
}

/// A label under its node, broken at its " · " separators into lines that fit in `room` (the
/// distance to the nearest other node) at font `size`, so that "payment system / warehouse ·
/// warehouse · stock 1" does not run into its neighbour's label. A part wider than the room
/// keeps a line of its own.
pub fn wrap_label(label: &str, room: f64, size: f64) -> Vec<String> {
    let max = (room / (LETTER_EM * size)).clamp(12.0, 40.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    for part in label.split(" · ") {
        match lines.last_mut() {
            Some(line) if letters(line) + 3 + letters(part) <= max => {
                line.push_str(" · ");
                line.push_str(part);
            }
            _ => lines.push(part.to_owned()),
        }
    }
    lines
}

/// How far (along x) to move a label drawn under the node at `at_x` so that its widest line
/// stays inside the drawing: a node near the frame's edge would otherwise have the start of
/// "acceptor · Z · promised 4" cut off. A label wider than the frame is centred on it.
pub fn label_nudge(at_x: f64, lines: &[String], size: f64) -> f64 {
    const MARGIN: f64 = 4.0;
    let half = lines.iter().map(|l| letters(l)).max().unwrap_or(0) as f64 * LETTER_EM * size / 2.0;
    if 2.0 * half >= SIZE - 2.0 * MARGIN {
        return CENTER - at_x;
    }
    let left = at_x - half - MARGIN;
    let right = at_x + half + MARGIN - SIZE;
    if left < 0.0 {
        -left
    } else if right > 0.0 {
        -right
    } else {
        0.0
    }
}

/// Where a message bubble of `size` (width, height) starts and ends its flight between two
/// nodes of radius `r`: beside them, not on them, so that a bubble never hides a node's number
/// or the `under` high label beneath it. How far the pill reaches along the link is its
/// support in that direction: half its width on a level link, half its height on an upright
/// one. A link too short for that keeps the centres.
pub fn flight_ends(from: Point, to: Point, r: f64, size: (f64, f64), under: f64) -> (Point, Point) {
    let d = from.distance(to).max(1.0);
    let (ux, uy) = ((to.x - from.x) / d, (to.y - from.y) / d);
    let reach = 0.5 * (ux.abs() * size.0 + uy.abs() * size.1);
    let clear_from = r + reach + 4.0 + uy.max(0.0) * under;
    let clear_to = r + reach + 4.0 + (-uy).max(0.0) * under;
    if d > clear_from + clear_to + size.1 {
        (from.lerp(to, clear_from / d), to.lerp(from, clear_to / d))
    } else {
        (from, to)
    }
}

/// How far along its link a message is at `t`: 0 at the sender, 1 at the receiver.
pub fn flight_fraction(sent_at: Time, due: Time, t: Time) -> f64 {
    if due <= sent_at {
        return if t >= due { 1.0 } else { 0.0 };
    }
    ((t.saturating_sub(sent_at)) as f64 / (due - sent_at) as f64).clamp(0.0, 1.0)
}

/// How long (virtual µs) a lost message stays visible, fading, where it was lost.
pub const FADE: Time = 4_000;

/// How a message looks at `t`: where along the link, and how opaque. `None`: not drawn.
pub fn message_at(m: &MessageOut, t: Time) -> Option<(f64, f64)> {
    if m.sent_at > t {
        return None;
    }
    match m.fate {
        Fate::InFlight => Some((flight_fraction(m.sent_at, m.due, t), 1.0)),
        Fate::Delivered { time, .. } => {
            (time > t).then(|| (flight_fraction(m.sent_at, m.due, t), 1.0))
        }
        Fate::Dropped { time, .. } => {
            if time > t {
                Some((flight_fraction(m.sent_at, m.due, t), 1.0))
            } else if t - time < FADE {
                let at = flight_fraction(m.sent_at, m.due, time);
                Some((at, 1.0 - (t - time) as f64 / FADE as f64))
            } else {
                None
            }
        }
    }
}

/// What is left of a timer at `t`: 1 just set, 0 about to fire.
pub fn timer_left(set_at: Time, fires_at: Time, t: Time) -> f64 {
    if fires_at <= set_at {
        return 0.0;
    }
    (fires_at.saturating_sub(t) as f64 / (fires_at - set_at) as f64).clamp(0.0, 1.0)
}

/// The speed slider moves on a log scale: position -1 is 0.1×, 0 is 1×, 1 is 10×.
pub fn speed_from_slider(pos: f64) -> f64 {
    10f64.powf(pos.clamp(-1.0, 1.0))
}

pub fn slider_from_speed(speed: f64) -> f64 {
    speed.clamp(0.1, 10.0).log10()
}

/// Virtual microseconds that pass per real millisecond at 1×: 10 virtual ms per real second.
pub const VIRTUAL_US_PER_REAL_MS: f64 = 10.0;

/// Virtual time for `real_ms` of real time at `speed`.
pub fn virtual_span(real_ms: f64, speed: f64) -> Time {
    if !real_ms.is_finite() || real_ms <= 0.0 || !speed.is_finite() || speed <= 0.0 {
        return 0;
    }
    (real_ms * VIRTUAL_US_PER_REAL_MS * speed).round() as Time
}

/// The clock's wording: virtual milliseconds with one decimal ("93.0 ms").
pub fn clock(t: Time) -> String {
    format!("{:.1} ms", t as f64 / 1000.0)
}

/// A node's own clock beside the truth: "1 100.0 ms (+100.0)".
pub fn local_clock(local: Time, now: Time) -> String {
    let skew = (local as f64 - now as f64) / 1000.0;
    format!("{} ({skew:+.1})", clock(local))
}

/// Milliseconds as a scenario writes them, as engine microseconds (negative or odd: zero).
pub fn ms_to_time(ms: f64) -> Time {
    if ms.is_finite() && ms > 0.0 {
        (ms * 1000.0).round() as Time
    } else {
        0
    }
}

/// A number as people write it: "4", "4.5", "2.33".
pub use clusterplay_scenario::glossary::number;

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplay_sim::NodeId;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn circle_starts_at_the_top_and_goes_clockwise() {
        let p = positions(&Layout::Circle, 4);
        assert_eq!(p.len(), 4);
        assert!(close(p[0].x, CENTER) && close(p[0].y, CENTER - RADIUS));
        assert!(close(p[1].x, CENTER + RADIUS) && close(p[1].y, CENTER));
        assert!(close(p[2].y, CENTER + RADIUS));
    }

    #[test]
    fn star_puts_the_center_node_in_the_middle() {
        let hub = NodeId::from_number(3).expect("node 3");
        let p = positions(&Layout::Star { center: hub }, 5);
        assert_eq!(p.len(), 5);
        assert!(close(p[2].x, CENTER) && close(p[2].y, CENTER));
        for (i, q) in p.iter().enumerate().filter(|(i, _)| *i != 2) {
            assert!(
                close(q.distance(Point::new(CENTER, CENTER)), RADIUS),
                "node {i}"
            );
        }
        // A centre outside the cluster falls back to a circle rather than panicking.
        let far = NodeId::from_number(99).expect("node 99");
        assert_eq!(positions(&Layout::Star { center: far }, 3).len(), 3);
    }

    #[test]
    fn two_rings_keep_groups_apart_and_coordinators_inside() {
        let id = |n| NodeId::from_number(n).expect("node");
        let groups = vec![
            vec![id(1), id(2), id(3)],
            vec![id(4), id(5), id(6)],
            vec![id(7), id(8), id(9)],
        ];
        let p = positions(&Layout::TwoRings { groups }, 9);
        assert_eq!(p.len(), 9);
        let c = Point::new(CENTER, CENTER);
        for coordinator in [0, 3, 6] {
            for member in 1..3 {
                assert!(
                    p[coordinator].distance(c) < p[coordinator + member].distance(c),
                    "coordinator {coordinator} is nearer the middle than its members"
                );
            }
        }
        for (i, a) in p.iter().enumerate() {
            for b in &p[i + 1..] {
                assert!(a.distance(*b) > 20.0, "nodes do not overlap");
            }
        }
    }

    /// The coordinators' labels are about 230 units wide at the 9-node label size; the three
    /// coordinators of the two-layer preset once stood 108 apart and their labels ran together.
    #[test]
    fn two_rings_leave_room_for_the_coordinators_labels() {
        let id = |n| NodeId::from_number(n).expect("node");
        for g in 2..=3u32 {
            let groups: Vec<Vec<NodeId>> = (0..g)
                .map(|k| (1..=3).map(|j| id(k * 3 + j)).collect())
                .collect();
            let layout = Layout::TwoRings { groups };
            let p = positions(&layout, 3 * g as usize);
            let r = node_radius(&layout, 3 * g as usize);
            for k in 0..g as usize {
                for l in k + 1..g as usize {
                    let apart = p[3 * k].distance(p[3 * l]);
                    assert!(apart > 230.0, "{g} rings: coordinators {apart} apart");
                }
            }
            for (i, a) in p.iter().enumerate() {
                for b in &p[i + 1..] {
                    assert!(a.distance(*b) > 2.0 * r, "{g} rings: nodes overlap");
                }
            }
        }
    }

    #[test]
    fn labels_sit_under_the_nodes_while_there_is_room() {
        let p = positions(&Layout::Circle, CROWDED);
        for at in p {
            let place = label_place(&Layout::Circle, at, CROWDED, 40.0);
            assert_eq!((place.x, place.rotate, place.anchor), (0.0, 0.0, "middle"));
            assert!(place.y > 40.0);
        }
    }

    /// The DPoS preset's 21 nodes once had every label under its node, each running over the
    /// next node and its label. Along the radii, the longest label drawn stays a clear line of
    /// text away from its neighbour's all the way to its inner end, and reads left to right.
    #[test]
    fn crowded_circles_turn_labels_into_spokes_that_never_touch() {
        for n in [13, 21, 24] {
            let layout = Layout::Circle;
            let r = node_radius(&layout, n);
            let p = positions(&layout, n);
            let centre = Point::new(CENTER, CENTER);
            let mut size = 0.0;
            let inner_ends: Vec<Point> = p
                .iter()
                .map(|at| {
                    let place = label_place(&layout, *at, n, r);
                    size = place.size;
                    let long = size * 0.6 * CROWDED_LABEL_CHARS as f64;
                    assert!((-90.0..=90.0).contains(&place.rotate), "upright");
                    let start = Point::new(at.x + place.x, at.y + place.y);
                    assert!(
                        start.distance(centre) < at.distance(centre),
                        "points inwards"
                    );
                    start.lerp(centre, long / start.distance(centre))
                })
                .collect();
            for i in 0..n {
                let gap = inner_ends[i].distance(inner_ends[(i + 1) % n]);
                assert!(gap > 1.5 * size, "{n} nodes: labels {gap} apart");
            }
        }
    }

    /// At the positions every layout makes, a bubble as wide as the longest label (22
    /// letters) or as short as one letter, at the start and the end of its flight, never covers
    /// either node's circle.
    #[test]
    fn bubbles_start_and_end_beside_their_nodes() {
        let font = 19.0;
        for n in [2, 3, 5, 9, 12] {
            for layout in [
                Layout::Circle,
                Layout::Star {
                    center: NodeId::from_number(1).expect("node 1"),
                },
            ] {
                let p = positions(&layout, n);
                let r = node_radius(&layout, n);
                for (i, a) in p.iter().enumerate() {
                    for (j, b) in p.iter().enumerate() {
                        if i == j {
                            continue;
                        }
                        for letters in [1.0, 8.0, 22.0] {
                            let (w, h) = (font * (0.62 * letters + 1.0), font * 1.35);
                            let (s, e) = flight_ends(*a, *b, r, (w, h), font * 2.2);
                            if (s, e) == (*a, *b) {
                                assert!(a.distance(*b) < 2.0 * r + w + 2.0 * font * 2.2);
                                continue;
                            }
                            for at in [s, e] {
                                for node in [a, b] {
                                    // The nearest point of the pill's box to the node's centre.
                                    let nx = node.x.clamp(at.x - w / 2.0, at.x + w / 2.0);
                                    let ny = node.y.clamp(at.y - h / 2.0, at.y + h / 2.0);
                                    let gap = Point::new(nx, ny).distance(*node);
                                    assert!(gap > r, "{n} nodes {i}->{j}: {gap} <= {r}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn labels_near_the_frame_edge_move_inwards_to_stay_whole() {
        let lines = ["acceptor · Z · promised 4".to_owned()];
        let half = letters(&lines[0]) as f64 * LETTER_EM * 20.0 / 2.0;
        let nudge = label_nudge(100.0, &lines, 20.0);
        assert!(nudge > 0.0);
        assert!(
            (100.0 + nudge - half - 4.0).abs() < 1e-9,
            "starts at the margin"
        );
        let nudge = label_nudge(SIZE - 100.0, &lines, 20.0);
        assert!(
            (SIZE - 100.0 + nudge + half + 4.0 - SIZE).abs() < 1e-9,
            "ends at it"
        );
        assert_eq!(label_nudge(CENTER, &lines, 20.0), 0.0, "room enough");
        let wide = ["x".repeat(200)];
        assert_eq!(label_nudge(100.0, &wide, 20.0), CENTER - 100.0);
    }

    #[test]
    fn long_labels_break_at_their_separators_to_fit_between_neighbours() {
        let label = "payment system / warehouse · warehouse · stock 1";
        assert_eq!(wrap_label("client · idle", 300.0, 25.0), ["client · idle"]);
        assert_eq!(
            wrap_label(label, 380.0, 25.0),
            ["payment system / warehouse", "warehouse · stock 1"]
        );
        // A part wider than the room keeps a line of its own, and nothing is lost.
        assert_eq!(
            wrap_label(
                "coordinator (transaction manager) · TM · abort",
                300.0,
                25.0
            ),
            ["coordinator (transaction manager)", "TM · abort"]
        );
        // Chinese characters count double.
        assert_eq!(
            wrap_label("受保护的资源 · 存储 · 4 次写入", 250.0, 25.0),
            ["受保护的资源", "存储 · 4 次写入"]
        );
    }

    /// A spoke is cut to the letters the spacing test above allows, a Chinese character
    /// counting two; under the node nothing is cut.
    #[test]
    fn spokes_are_cut_to_their_width_and_labels_under_nodes_wrap() {
        let crowded = label_place(
            &Layout::Circle,
            Point::new(CENTER + RADIUS, CENTER),
            21,
            40.0,
        );
        assert!(crowded.radial);
        assert_eq!(
            label_lines("holder · 13 h58 6.7", &crowded, 0.0),
            ["holder · 13 h58 6.7"]
        );
        let long = label_lines("lock service · redis primary 1 · free", &crowded, 0.0);
        assert_eq!(long, ["lock service · redis …"]);
        let zh = label_lines("锁服务 · Redis 主节点 1 · 空闲", &crowded, 0.0);
        assert_eq!(zh, ["锁服务 · Redis 主节点…"]);
        for line in long.iter().chain(&zh) {
            assert!(letters(line) <= CROWDED_LABEL_CHARS, "{line}");
        }
        let under = label_place(
            &Layout::Circle,
            Point::new(CENTER, CENTER - RADIUS),
            5,
            50.0,
        );
        assert_eq!(
            label_lines(
                "payment system / warehouse · warehouse · stock 1",
                &under,
                380.0
            ),
            wrap_label(
                "payment system / warehouse · warehouse · stock 1",
                380.0,
                under.size
            )
        );
    }

    #[test]
    fn hundred_nodes_fit_without_overlap() {
        let p = positions(&Layout::Ring, 100);
        let r = node_radius(&Layout::Ring, 100);
        assert!(p[0].distance(p[1]) > 2.0 * r);
        for q in &p {
            assert!(q.x - r >= 0.0 && q.x + r <= SIZE && q.y - r >= 0.0 && q.y + r <= SIZE);
        }
    }

    #[test]
    fn messages_move_from_sender_to_receiver() {
        assert_eq!(flight_fraction(100, 200, 100), 0.0);
        assert_eq!(flight_fraction(100, 200, 150), 0.5);
        assert_eq!(flight_fraction(100, 200, 300), 1.0);
        assert_eq!(flight_fraction(100, 200, 50), 0.0);
        assert_eq!(flight_fraction(100, 100, 100), 1.0);
    }

    fn message(fate: Fate) -> MessageOut {
        MessageOut {
            id: 0,
            from: 1,
            to: 2,
            kind: "request",
            label: "request".into(),
            detail: None,
            sent_at: 1_000,
            sent_event: 0,
            due: 11_000,
            copy_of: None,
            fate,
            held: false,
        }
    }

    #[test]
    fn delivered_messages_vanish_and_lost_ones_fade_where_they_were_lost() {
        let flying = message(Fate::InFlight);
        assert_eq!(message_at(&flying, 6_000), Some((0.5, 1.0)));
        assert_eq!(message_at(&flying, 500), None);
        let delivered = message(Fate::Delivered {
            event: 3,
            time: 11_000,
        });
        assert_eq!(message_at(&delivered, 6_000), Some((0.5, 1.0)));
        assert_eq!(message_at(&delivered, 11_000), None);
        let lost = message(Fate::Dropped {
            event: 3,
            time: 6_000,
            reason: clusterplay_sim::DropReason::Dropped,
        });
        assert_eq!(message_at(&lost, 6_000), Some((0.5, 1.0)));
        assert_eq!(message_at(&lost, 8_000), Some((0.5, 0.5)));
        assert_eq!(message_at(&lost, 6_000 + FADE), None);
    }

    #[test]
    fn timers_run_down() {
        assert_eq!(timer_left(0, 100, 0), 1.0);
        assert_eq!(timer_left(0, 100, 25), 0.75);
        assert_eq!(timer_left(0, 100, 200), 0.0);
        assert_eq!(timer_left(5, 5, 5), 0.0);
    }

    #[test]
    fn speed_slider_is_logarithmic() {
        assert!(close(speed_from_slider(-1.0), 0.1));
        assert!(close(speed_from_slider(0.0), 1.0));
        assert!(close(speed_from_slider(1.0), 10.0));
        assert!(close(speed_from_slider(7.0), 10.0));
        assert!(close(slider_from_speed(10.0), 1.0));
        assert_eq!(
            virtual_span(1000.0, 1.0),
            10_000,
            "1× is 10 virtual ms a second"
        );
        assert_eq!(virtual_span(f64::NAN, 1.0), 0);
        assert_eq!(virtual_span(-5.0, 1.0), 0);
    }

    #[test]
    fn words_for_numbers() {
        assert_eq!(clock(93_000), "93.0 ms");
        assert_eq!(clock(25_905), "25.9 ms");
        assert_eq!(number(4.0), "4");
        assert_eq!(number(4.5), "4.5");
        assert_eq!(number(7.0 / 3.0), "2.33");
        assert_eq!(ms_to_time(500.0), 500_000);
        assert_eq!(ms_to_time(-1.0), 0);
    }
}

use crate::geometry::{
    flight_ends, label_lines, label_nudge, label_place, local_clock, message_at, node_radius,
    positions, text_width, timer_left, Point, CENTER, RADIUS, SIZE,
};
use crate::i18n::{Lang, W};
use crate::palette::{kind_color, role_style, shape_points, text_on, ALERT, CRASHED, YELLOW};
use crate::state::Selection;
use clusterplay_scenario::glossary;
use clusterplay_scenario::view::{ClusterView as View, MessageOut, NodeOut};
use clusterplay_sim::Time;
use clusterplay_view::Layout;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::prelude::*;

/// How many message bubbles fly with their words; more fly as dots.
pub const CROWDED_BUBBLES: usize = 12;

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub lang: Lang,
    pub view: Rc<View>,
    pub messages: Rc<Vec<MessageOut>>,
    pub playhead: Time,
    pub selection: Selection,
    /// Nodes picked for a partition.
    #[prop_or_default]
    pub marked: BTreeSet<u32>,
    /// Nodes named by a broken invariant.
    #[prop_or_default]
    pub alert: BTreeSet<u32>,
    pub on_select: Callback<Selection>,
    /// Nodes and messages of the selected event, highlighted with it.
    #[prop_or_default]
    pub related_nodes: BTreeSet<u32>,
    #[prop_or_default]
    pub related_msgs: BTreeSet<clusterplay_sim::MsgId>,
    /// Shift-click: pick a node for a partition.
    #[prop_or_default]
    pub on_mark: Callback<u32>,
}

/// The cluster as an SVG drawing: links, nodes coloured and shaped by role, timers running
/// down, and messages moving along their links in step with virtual time.
#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let view = &*props.view;
    let n = view.nodes.len();
    let pos = positions(&view.layout, n);
    let r = node_radius(&view.layout, n);
    let small = n > 24;

    let links = links(&view.layout, &pos, r, &view.islands);
    let cuts = view.cuts.iter().filter_map(|&(a, b)| {
        let (p, q) = (
            pos.get((a as usize).checked_sub(1)?)?,
            pos.get((b as usize).checked_sub(1)?)?,
        );
        let (p, q) = shorten(*p, *q, r + 4.0);
        Some(html! {
            <line class="cut" x1={f(p.x)} y1={f(p.y)} x2={f(q.x)} y2={f(q.y)}
                marker-end="url(#cp-cut)" />
        })
    });

    let partitioned = view.islands.iter().any(|&i| i != 0);
    // Each node's words go in a layer above every node, so that a neighbour never covers them.
    let (nodes, words): (Vec<Html>, Vec<Html>) = view
        .nodes
        .iter()
        .zip(&pos)
        .map(|(node, p)| {
            let selected = props.selection == Selection::Node(node.id)
                || props.related_nodes.contains(&node.id);
            // Labels are only drawn up to `small`, so this stays a few hundred distances.
            let room = if small {
                0.0
            } else {
                pos.iter()
                    .filter(|q| *q != p)
                    .map(|q| p.distance(*q))
                    .fold(SIZE, f64::min)
            };
            node_html(NodeDraw {
                node,
                at: *p,
                r,
                room,
                layout: &view.layout,
                count: n,
                small,
                roles: &view.roles,
                lang: props.lang,
                t: props.playhead,
                now: view.now,
                selected,
                marked: props.marked.contains(&node.id),
                alert: props.alert.contains(&node.id),
                island: partitioned
                    .then(|| {
                        view.islands
                            .get((node.id as usize).wrapping_sub(1))
                            .copied()
                    })
                    .flatten(),
                on_select: props.on_select.clone(),
                on_mark: props.on_mark.clone(),
            })
        })
        .unzip();

    let font = if small { 13.0 } else { 19.0 };
    // Past this many bubbles on screen their words pile into an unreadable heap (a PoW
    // network relaying every block to everyone): they fly as dots of their kind's colour,
    // and a click on one still tells what it carries.
    let shown = props
        .messages
        .iter()
        .filter(|m| message_at(m, props.playhead).is_some())
        .count();
    let crowded = shown > CROWDED_BUBBLES;
    // Held messages wait half-way on their link: the second one on the same link waits beside
    // the first, and so on, rather than on top of it.
    let mut held_before: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let messages = props.messages.iter().filter_map(|m| {
        let (fraction, opacity) = message_at(m, props.playhead)?;
        let from = *pos.get((m.from as usize).checked_sub(1)?)?;
        let to = *pos.get((m.to as usize).checked_sub(1)?)?;
        let queue = if m.held && matches!(m.fate, clusterplay_sim::Fate::InFlight) {
            let seen = held_before.entry((m.from, m.to)).or_default();
            *seen += 1;
            *seen - 1
        } else {
            0
        };
        // Keep the two directions of a link apart (and a queue of held ones side by side).
        let d = from.distance(to).max(1.0);
        let (nx, ny) = (-(to.y - from.y) / d, (to.x - from.x) / d);
        let aside = font * (0.6 + 1.5 * queue as f64);
        let off = |p: Point| Point::new(p.x + nx * aside, p.y + ny * aside);
        let words = glossary::phrase(&m.label, props.lang.tag());
        let label: String = if crowded {
            String::new()
        } else {
            words.chars().take(if small { 10 } else { 22 }).collect()
        };
        let h = font * 1.35;
        let w = if crowded {
            h
        } else {
            text_width(&label, font) + font
        };
        let under = if small { 0.0 } else { font * 2.2 };
        let (from, to) = flight_ends(from, to, r, (w, h), under);
        // A held message waits half-way for the learner.
        let (from, to) = (off(from), off(if m.held { from.lerp(to, 0.5) } else { to }));
        let fraction = if m.held { (fraction * 2.0).min(1.0) } else { fraction };
        // The bubble is its own small drawing over the cluster, placed in shares of the
        // cluster's size, so that the browser can fly it on the compositor (paint.rs): its
        // flight is a translation by shares of its own size.
        let (dx, dy) = ((to.x - from.x) / w * 100.0, (to.y - from.y) / h * 100.0);
        let fly = format!("{dx:.2} {dy:.2}");
        let place = format!(
            "left:{:.3}%;top:{:.3}%;width:{:.3}%;height:{:.3}%;transform:translate({:.2}%, {:.2}%);opacity:{opacity:.2}",
            (from.x - w / 2.0) / SIZE * 100.0,
            (from.y - h / 2.0) / SIZE * 100.0,
            w / SIZE * 100.0,
            h / SIZE * 100.0,
            dx * fraction,
            dy * fraction,
        );
        let lost_at = match m.fate {
            clusterplay_sim::Fate::Dropped { time, .. } => Some(time),
            _ => None,
        };
        let color = kind_color(m.kind);
        let selected =
            props.selection == Selection::Message(m.id) || props.related_msgs.contains(&m.id);
        let id = m.id;
        let onclick = props.on_select.reform(move |e: MouseEvent| {
            e.stop_propagation();
            Selection::Message(id)
        });
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    on_select.emit(Selection::Message(id));
                }
            })
        };
        let lost = lost_at.is_some_and(|end| end <= props.playhead);
        Some(html! {
            <svg
                key={format!("m{}", m.id)}
                data-testid={format!("message-{}", m.id)}
                data-kind={m.kind}
                data-fly={fly}
                data-sent={m.sent_at.to_string()}
                data-due={m.due.to_string()}
                data-lost-at={lost_at.map(|t| t.to_string())}
                data-held={m.held.then_some("")}
                class={classes!("msg", selected.then_some("selected"), lost.then_some("lost"), m.held.then_some("held"))}
                viewBox={format!("{} {} {} {}", f(-w / 2.0), f(-h / 2.0), f(w), f(h))}
                style={place}
                tabindex="0"
                role="button"
                aria-label={format!("{} {}: {} → {}", props.lang.t(W::Message), words, m.from, m.to)}
                {onclick}
                {onkeydown}
            >
                <rect x={f(-w / 2.0)} y={f(-h / 2.0)} width={f(w)} height={f(h)}
                    rx={f(h / 2.0)} fill={color} />
                if crowded {
                    <title>{ words.to_string() }</title>
                } else {
                    <text class="msg-label" y={f(font * 0.35)} font-size={f(font)}
                        fill={text_on(color)} text-anchor="middle">{ label }</text>
                }
                if lost {
                    <text class="msg-lost" x={f(w / 2.0)} y={f(-h / 2.0)}
                        font-size={f(font)} fill={ALERT} text-anchor="middle">{ "✕" }</text>
                }
            </svg>
        })
    });

    let onclick_background = props.on_select.reform(|_: MouseEvent| Selection::None);
    // "You are the network": a held message stops the clock until the learner decides.
    let waiting = props
        .messages
        .iter()
        .any(|m| m.held && matches!(m.fate, clusterplay_sim::Fate::InFlight));

    html! {
        <div class="cluster-frame">
            // Shown by the painter while time skips a stretch where nothing is in flight.
            <span class="quiet-note" data-quiet="">{ "» " }{ props.lang.t(W::QuietSkip) }</span>
            if waiting {
                <span class="waiting-note" data-testid="waiting-note">{ props.lang.t(W::HeldWaits) }</span>
            } else if crowded {
                <span class="crowded-note" data-testid="crowded-note">
                    { props.lang.t(W::CrowdedBubbles).replace("{n}", &shown.to_string()) }
                </span>
            }
            <div class="cluster-square">
                <svg
                    data-testid="cluster"
                    class="cluster"
                    viewBox={format!("0 0 {SIZE} {SIZE}")}
                    role="group"
                    aria-label={format!("{}: {}", props.lang.t(W::ClusterLabel), props.lang.nodes(n as u32))}
                >
                    <defs>
                        <marker id="cp-arrow" viewBox="0 0 10 10" refX="9" refY="5"
                            markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                        </marker>
                        <marker id="cp-cut" viewBox="0 0 10 10" refX="9" refY="5"
                            markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" fill={ALERT} />
                        </marker>
                    </defs>
                    <rect class="backdrop" x="0" y="0" width={f(SIZE)} height={f(SIZE)}
                        onclick={onclick_background} />
                    <g class="links">{ links }</g>
                    <g class="cuts">{ for cuts }</g>
                    <g class="nodes">{ for nodes }</g>
                    <g class="node-words">{ for words }</g>
                </svg>
                <div class="flights">{ for messages }</div>
            </div>
        </div>
    }
}

/// Coordinates with one decimal: short attributes, no visible loss.
fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// The segment from `a` to `b`, pulled in by `by` at both ends (so it stops at the discs).
fn shorten(a: Point, b: Point, by: f64) -> (Point, Point) {
    let d = a.distance(b);
    if d <= 2.0 * by {
        return (a, b);
    }
    (a.lerp(b, by / d), b.lerp(a, by / d))
}

fn arrow(a: Point, b: Point, r: f64, class: &'static str, head: bool, across: bool) -> Html {
    let (p, q) = shorten(a, b, r + 3.0);
    html! {
        <line class={classes!(class, across.then_some("across"))}
            x1={f(p.x)} y1={f(p.y)} x2={f(q.x)} y2={f(q.y)}
            marker-end={(head && !across).then_some("url(#cp-arrow)")} />
    }
}

/// The links the layout suggests: the ring's direction, the star's spokes, every pair of a
/// small fully connected cluster. A link between two sides of a partition is drawn broken.
fn links(layout: &Layout, pos: &[Point], r: f64, islands: &[u32]) -> Html {
    let n = pos.len();
    let across = |i: usize, j: usize| match (islands.get(i), islands.get(j)) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    };
    match layout {
        Layout::Ring => {
            let heads = n <= 40;
            (0..n)
                .map(|i| {
                    let j = (i + 1) % n;
                    arrow(pos[i], pos[j], r, "link ring", heads, across(i, j))
                })
                .collect()
        }
        Layout::Circle if n <= 12 => {
            let pairs = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
            pairs
                .map(|(i, j)| arrow(pos[i], pos[j], r, "link mesh", false, across(i, j)))
                .collect()
        }
        Layout::Circle => html! {
            <circle class="link mesh" cx={f(CENTER)} cy={f(CENTER)} r={f(RADIUS)} />
        },
        Layout::Star { center } => {
            let hub = center.index();
            match pos.get(hub) {
                Some(c) => pos
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != hub)
                    .map(|(i, p)| arrow(*c, *p, r, "link spoke", false, across(hub, i)))
                    .collect(),
                None => html! {},
            }
        }
        Layout::TwoRings { groups } => {
            let mut out = Vec::new();
            for group in groups {
                let members: Vec<usize> = group
                    .iter()
                    .map(|id| id.index())
                    .filter(|&i| i < n)
                    .collect();
                let m = members.len();
                if m > 1 {
                    for i in 0..m {
                        let (a, b) = (members[i], members[(i + 1) % m]);
                        out.push(arrow(pos[a], pos[b], r, "link ring", m <= 20, across(a, b)));
                    }
                }
            }
            let heads: Vec<usize> = groups
                .iter()
                .filter_map(|g| g.first().map(|id| id.index()))
                .filter(|&i| i < n)
                .collect();
            let h = heads.len();
            if h > 1 {
                for i in 0..h {
                    let (a, b) = (heads[i], heads[(i + 1) % h]);
                    out.push(arrow(pos[a], pos[b], r, "link global", true, across(a, b)));
                }
            }
            out.into_iter().collect()
        }
    }
}

struct NodeDraw<'a> {
    node: &'a NodeOut,
    at: Point,
    r: f64,
    layout: &'a Layout,
    /// How many nodes share the view.
    count: usize,
    /// Distance to the nearest other node: how wide a line of its label may be.
    room: f64,
    small: bool,
    roles: &'a [(&'static str, &'static str, &'static str)],
    lang: Lang,
    t: Time,
    /// Virtual time of the view, which the nodes' local clocks are read at.
    now: Time,
    selected: bool,
    marked: bool,
    alert: bool,
    /// The node's side of a partition, when there is one.
    island: Option<u32>,
    on_select: Callback<Selection>,
    on_mark: Callback<u32>,
}

/// A node's drawing, and apart from it the words beside it (label, local clock, island).
fn node_html(d: NodeDraw<'_>) -> (Html, Html) {
    let NodeDraw { node, at, r, .. } = d;
    let (colour, shape) = role_style(d.roles, node.role);
    let fill = if node.up { colour } else { CRASHED };
    let body = match shape_points(shape, r) {
        Some(points) => html! { <polygon class="body" {points} fill={fill} /> },
        None => html! { <circle class="body" r={f(r)} fill={fill} /> },
    };
    let role_name = d.lang.role(d.roles, node.role).to_owned();
    let id = node.id;
    let onclick = {
        let (on_select, on_mark) = (d.on_select.clone(), d.on_mark.clone());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            if e.shift_key() {
                on_mark.emit(id);
            } else {
                on_select.emit(Selection::Node(id));
            }
        })
    };
    let onkeydown = {
        let on_select = d.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                on_select.emit(Selection::Node(id));
            }
        })
    };
    let timers = node.timers.iter().enumerate().map(|(i, timer)| {
        let left = timer_left(timer.set_at, timer.fires_at, d.t);
        let ring = r + 5.0 + 5.0 * i as f64;
        html! {
            <circle class="timer" r={f(ring)} pathLength="100"
                data-set={timer.set_at.to_string()} data-fires={timer.fires_at.to_string()}
                stroke-dasharray={format!("{:.1} 100", left * 100.0)}
                transform="rotate(-90)">
                <title>{ format!("{} ({:.1} ms)", timer.name, timer.fires_at as f64 / 1000.0) }</title>
            </circle>
        }
    });
    let badges = node.badges.iter().enumerate().map(|(i, badge)| {
        let x = r * 0.85 + i as f64 * r * 0.9;
        let y = -r * 0.85;
        let size = (r * 0.9).max(9.0);
        match *badge {
            "cup" => html! {
                <text class="badge cup" x={f(x)} y={f(y + size * 0.35)} font-size={f(size * 1.2)}
                    text-anchor="middle">{ "☕" }<title>{ "cup" }</title></text>
            },
            "crown" => html! {
                <text class="badge crown" x={f(x)} y={f(y + size * 0.35)} font-size={f(size * 1.2)}
                    text-anchor="middle">{ "♛" }<title>{ "leader" }</title></text>
            },
            // Drawn, not an emoji: a padlock must show on machines without an emoji font.
            "lock" => {
                let w = size * 0.9;
                html! {
                    <g class="badge lock" transform={format!("translate({} {})", f(x), f(y))}>
                        <path d={format!("M {} {} v {} a {} {} 0 0 1 {} 0 v {}",
                            f(-w * 0.28), f(0.0), f(-w * 0.2), f(w * 0.28), f(w * 0.28), f(w * 0.56), f(w * 0.2))}
                            fill="none" stroke="#222" stroke-width={f((w * 0.12).max(1.5))} />
                        <rect x={f(-w * 0.45)} y={f(0.0)} width={f(w * 0.9)} height={f(w * 0.7)}
                            rx={f(w * 0.1)} fill={YELLOW} stroke="#222" stroke-width="1.5" />
                        <title>{ d.lang.t(W::HoldsLocks) }</title>
                    </g>
                }
            }
            "token" | "global-token" => {
                let letter = if *badge == "token" { "T" } else { "G" };
                html! {
                    <g class="badge token" transform={format!("translate({} {})", f(x), f(y))}>
                        <circle r={f(size * 0.6)} fill={YELLOW} />
                        <text y={f(size * 0.28)} font-size={f(size * 0.8)} text-anchor="middle">
                            { letter }
                        </text>
                        <title>{ *badge }</title>
                    </g>
                }
            }
            // A word ("fork") on a tag of its own, out from the node's ring, so that the ring
            // and the word never cross.
            other => {
                let word = glossary::phrase(other, d.lang.tag()).to_string();
                let font = size * 0.75;
                let w = text_width(&word, font) + font * 0.8;
                let h = font * 1.4;
                // Near the drawing's right edge the tag goes on the node's left instead.
                let left = x - h * 0.1;
                let left = if at.x + left + w > SIZE - 2.0 {
                    -left - w
                } else {
                    left
                };
                html! {
                    <g class="badge word" transform={format!("translate({} {})", f(left), f(y - h * 0.45))}>
                        <rect x="0" y={f(-h / 2.0)} width={f(w)} height={f(h)} rx={f(h / 2.0)} />
                        <text x={f(w / 2.0)} y={f(font * 0.35)} font-size={f(font)}
                            text-anchor="middle">{ word }</text>
                    </g>
                }
            }
        }
    });
    let place = label_place(d.layout, at, d.count, r);
    let label_size = place.size;
    let mut label = if node.label.is_empty() {
        role_name.clone()
    } else {
        format!(
            "{role_name} · {}",
            glossary::phrase(&node.label, d.lang.tag())
        )
    };
    if node.paused_until.is_some() {
        label = format!("{label} · {}", d.lang.t(W::Paused));
    }
    let lines = label_lines(&label, &place, d.room);
    let label_x = if place.radial {
        place.x
    } else {
        place.x + label_nudge(at.x, &lines, label_size)
    };
    let line_gap = label_size * 1.15;
    let below_label = line_gap * lines.len().saturating_sub(1) as f64;
    let state = if node.up {
        role_name.clone()
    } else {
        format!("{} ({role_name})", d.lang.t(W::Down))
    };
    let drawing = html! {
        <g
            key={format!("n{}", node.id)}
            data-testid={format!("node-{}", node.id)}
            data-role={node.role}
            data-badges={node.badges.join(" ")}
            data-up={if node.up { "true" } else { "false" }}
            class={classes!(
                "node",
                (!node.up).then_some("down"),
                node.paused_until.is_some().then_some("paused"),
                d.selected.then_some("selected"),
                d.marked.then_some("marked"),
                d.alert.then_some("alert"),
            )}
            transform={format!("translate({} {})", f(at.x), f(at.y))}
            tabindex="0"
            role="button"
            aria-pressed={if d.selected { "true" } else { "false" }}
            aria-label={format!("{} {}: {}", d.lang.t(W::Node), node.id, state)}
            {onclick}
            {onkeydown}
        >
            if d.alert {
                <circle class="halo alert" r={f(r + 14.0)} stroke={ALERT} />
            }
            if d.marked || d.island.is_some() {
                <circle class="halo marked" r={f(r + 9.0)} />
            }
            if d.selected {
                <circle class="halo selected" r={f(r + 6.0)} />
            }
            { body }
            { for timers }
            <text class="node-id" y={f(r * 0.32)} font-size={f((r * 0.9).max(8.0))}
                text-anchor="middle" fill={if node.up { text_on(fill) } else { "#222" }}>
                { node.id }
            </text>
            if !node.up {
                <text class="crash-mark" x={f(-r * 0.8)} y={f(-r * 0.6)}
                    font-size={f(r * 1.1)} text-anchor="middle">{ "✕" }</text>
            }
            { for badges }
        </g>
    };
    let words = html! {
        <g key={format!("w{}", node.id)} class="words"
            transform={format!("translate({} {})", f(at.x), f(at.y))}>
            if !d.small {
                <text class="node-label" x={f(label_x)} y={f(place.y)} dy={f(place.shift)}
                    transform={place.radial.then(|| format!("rotate({} {} {})",
                        f(place.rotate), f(place.x), f(place.y)))}
                    font-size={f(label_size)} text-anchor={place.anchor}>
                    { for lines.iter().enumerate().map(|(i, line)| html! {
                        <tspan x={f(label_x)} dy={(i > 0).then(|| f(line_gap))}>{ line }</tspan>
                    }) }
                </text>
            }
            if node.up && node.local_time != d.now {
                <text class="local-clock" data-testid={format!("local-clock-{}", node.id)}
                    y={f(r + 8.0 + if d.small { label_size * 0.8 } else { label_size * 1.9 + below_label })}
                    font-size={f(label_size * 0.85)} text-anchor="middle">
                    { format!("{}: {}", d.lang.t(W::LocalClock), local_clock(node.local_time, d.now)) }
                </text>
            }
            if let Some(island) = d.island {
                <text class="island" y={f(-r - 12.0)} font-size={f(label_size)} text-anchor="middle">
                    { format!("{} {}", d.lang.t(W::Island), island + 1) }
                </text>
            }
        </g>
    };
    (drawing, words)
}

//! Colours and shapes. The palette is Okabe and Ito's, which stays distinguishable with every
//! common colour-vision deficiency; roles also differ by shape and carry a written label, so
//! colour is never the only cue.

/// Okabe–Ito, without black (kept for text) and yellow (kept for the token).
pub const OKABE_ITO: [&str; 6] = [
    "#0072B2", // blue
    "#E69F00", // orange
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#56B4E9", // sky blue
    "#D55E00", // vermillion
];
pub const YELLOW: &str = "#F0E442";
pub const CRASHED: &str = "#9a9a9a";
pub const ALERT: &str = "#D55E00";

/// The roles every coffee-machine and transaction algorithm shares keep their look.
fn fixed_style(key: &str) -> Option<(&'static str, Shape)> {
    match key {
        "idle" => Some(("#56B4E9", Shape::Circle)),
        "waiting" => Some(("#E69F00", Shape::Diamond)),
        "using" => Some(("#009E73", Shape::Square)),
        "coordinator" => Some(("#CC79A7", Shape::Hexagon)),
        _ => None,
    }
}

const SHAPES: [Shape; 4] = [Shape::Circle, Shape::Square, Shape::Diamond, Shape::Hexagon];

/// Colour and shape of each of a protocol's roles, in the order it lists them: the shared
/// roles keep theirs, the others take the palette's colours in turn, skipping any colour (and
/// then any colour and shape together) another role of the protocol already has, so no two
/// roles of one algorithm look alike.
pub fn role_styles(keys: &[&str]) -> Vec<(&'static str, Shape)> {
    let mut taken: Vec<(&'static str, Shape)> =
        keys.iter().filter_map(|k| fixed_style(k)).collect();
    let mut next = 0;
    keys.iter()
        .map(|key| {
            if let Some(style) = fixed_style(key) {
                return style;
            }
            let free_colour = |c: &str| taken.iter().all(|(t, _)| *t != c);
            let any_free = OKABE_ITO.iter().any(|c| free_colour(c));
            let start = next;
            let found = (start..start + 4 * OKABE_ITO.len()).find(|&i| {
                let style = (OKABE_ITO[i % OKABE_ITO.len()], SHAPES[i % SHAPES.len()]);
                (!any_free || free_colour(style.0)) && !taken.contains(&style)
            });
            match found {
                Some(i) => {
                    next = i + 1;
                    let style = (OKABE_ITO[i % OKABE_ITO.len()], SHAPES[i % SHAPES.len()]);
                    taken.push(style);
                    style
                }
                None => (CRASHED, Shape::Circle),
            }
        })
        .collect()
}

/// The style of role `key` among `roles` (the view's list: key, English, Chinese).
pub fn role_style(
    roles: &[(&'static str, &'static str, &'static str)],
    key: &str,
) -> (&'static str, Shape) {
    let keys: Vec<&str> = roles.iter().map(|(k, _, _)| *k).collect();
    let styles = role_styles(&keys);
    keys.iter()
        .position(|k| *k == key)
        .and_then(|i| styles.get(i).copied())
        .or_else(|| fixed_style(key))
        .unwrap_or((OKABE_ITO[0], Shape::Circle))
}

/// The outline a role is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Hexagon,
}

/// SVG points of `shape` of radius `r` around the origin (`None`: draw a circle).
pub fn shape_points(shape: Shape, r: f64) -> Option<String> {
    let pts: Vec<(f64, f64)> = match shape {
        Shape::Circle => return None,
        Shape::Square => {
            let s = r * 0.9;
            vec![(-s, -s), (s, -s), (s, s), (-s, s)]
        }
        Shape::Diamond => {
            let s = r * 1.2;
            vec![(0.0, -s), (s, 0.0), (0.0, s), (-s, 0.0)]
        }
        Shape::Hexagon => (0..6)
            .map(|i| {
                let a = std::f64::consts::PI / 3.0 * i as f64;
                (r * 1.05 * a.cos(), r * 1.05 * a.sin())
            })
            .collect(),
    };
    Some(
        pts.iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A message kind's colour, the same every time for the same kind. The kinds the algorithms
/// send were coloured so that no two kinds of one algorithm share a colour (a greedy colouring
/// of the graph whose edges join kinds one algorithm sends; the test below checks it against
/// every preset's run), starting from Okabe and Ito's palette and going on with Tol's; a
/// request is blue and an agreement green wherever they occur. A kind not listed takes a
/// colour from its name.
pub fn kind_color(kind: &str) -> &'static str {
    match kind {
        "accept" | "ack-epoch" | "alive" | "block" | "compensate" | "confirm" | "global"
        | "prepared" | "publish" | "request" | "store" | "vote" | "write" => "#0072B2",
        "ack" | "cancel" | "compensated" | "heartbeat" | "id" | "nack" | "ping" | "probe"
        | "query" | "set-nx" | "token" | "global-token" | "tx" => "#E69F00",
        "accepted" | "append-entries" | "can-commit" | "cancelled" | "do" | "election"
        | "grant" | "local" | "ok" | "pong" | "read" | "received" | "set-reply" | "stored" => {
            "#009E73"
        }
        "abort" | "children" | "commit" | "confirmed" | "deliver" | "do-abort"
        | "follower-info" | "heartbeat-reply" | "new-primary" | "prepare" | "regenerate"
        | "release" | "step-result" | "still-here" | "version" | "victory" => "#CC79A7",
        "check-back" | "copy" | "count" | "create" | "do-commit" | "done" | "new-epoch"
        | "promise" | "replicate" | "request-vote" | "try" => "#56B4E9",
        "compare-and-delete" | "copied" | "created" | "half-message" | "have-committed"
        | "keep-alive" | "notification" | "pre-commit" | "read-ok" | "try-result" => "#D55E00",
        "del" | "delete" | "go-on" | "reenter" | "refused" | "rejoin" => "#F0E442",
        "check-result" | "get-children" | "new-coordinator" | "peer-answer" | "renew"
        | "rolled-back" | "written" => "#332288",
        "notify" | "renew-reply" | "select-for-update" | "undone" => "#117733",
        "unlock" | "watch" => "#882255",
        _ => {
            let h = kind
                .bytes()
                .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
            OKABE_ITO[h as usize % OKABE_ITO.len()]
        }
    }
}

/// Black or white, whichever reads better on `background` (a `#rrggbb` colour).
pub fn text_on(background: &str) -> &'static str {
    let hex = background.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0)
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    if luminance > 0.45 {
        "#000000"
    } else {
        "#ffffff"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use clusterplay_scenario::{load, presets, run};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn colours_are_stable_and_from_the_palette() {
        assert_eq!(kind_color("whatever"), kind_color("whatever"));
        assert!(OKABE_ITO.contains(&kind_color("vote")));
        assert_eq!(kind_color("request"), "#0072B2");
        assert_eq!(kind_color("ok"), kind_color("grant"));
        assert_eq!(text_on(YELLOW), "#000000");
        assert_eq!(text_on("#0072B2"), "#ffffff");
    }

    /// Issue 17: Raft's heartbeat and request-vote were both orange, Paxos' prepare, accepted
    /// and nack the same blue. Over every preset's run, no two kinds one algorithm sends share
    /// a colour.
    #[test]
    fn no_two_message_kinds_of_an_algorithm_share_a_colour() {
        let mut kinds: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
        for p in presets() {
            let report = run(&p.scenario).expect("a preset runs");
            kinds
                .entry(report.protocol.clone())
                .or_default()
                .extend(report.messages.by_type.keys().copied());
        }
        for (protocol, kinds) in &kinds {
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            for kind in kinds {
                if let Some(other) = seen.insert(kind_color(kind), kind) {
                    panic!("{protocol}: {kind} and {other} share {}", kind_color(kind));
                }
            }
        }
    }

    /// Issue 17: in 3PC the coordinator and "said No" were both pink hexagons. No two roles of
    /// one algorithm share colour and shape; while the palette lasts, not even colour.
    #[test]
    fn no_two_roles_of_an_algorithm_look_alike() {
        let mut seen = BTreeSet::new();
        for p in presets() {
            let view = load(&p.scenario).expect("a preset loads").cluster();
            if !seen.insert(p.scenario.protocol.clone()) {
                continue;
            }
            let keys: Vec<&str> = view.roles.iter().map(|(k, _, _)| *k).collect();
            let styles = role_styles(&keys);
            let pairs: BTreeSet<_> = styles.iter().map(|(c, s)| (*c, *s as u8)).collect();
            assert_eq!(
                pairs.len(),
                keys.len(),
                "{}: {keys:?} {styles:?}",
                p.scenario.protocol
            );
            let colours: BTreeSet<_> = styles.iter().map(|(c, _)| *c).collect();
            if keys.len() <= OKABE_ITO.len() {
                assert_eq!(
                    colours.len(),
                    keys.len(),
                    "{}: {keys:?} {styles:?}",
                    p.scenario.protocol
                );
            }
        }
    }

    #[test]
    fn shapes_have_points() {
        assert_eq!(shape_points(Shape::Circle, 10.0), None);
        let square = shape_points(Shape::Square, 10.0).expect("a square");
        assert_eq!(square.split(' ').count(), 4);
        let hex = shape_points(Shape::Hexagon, 10.0).expect("a hexagon");
        assert_eq!(hex.split(' ').count(), 6);
    }
}

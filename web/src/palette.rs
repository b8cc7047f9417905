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

/// A role's colour: the common roles keep their colour across protocols, others take the
/// palette in the order the protocol lists its roles.
pub fn role_color(key: &str, index: usize) -> &'static str {
    match key {
        "idle" => "#56B4E9",
        "waiting" => "#E69F00",
        "using" => "#009E73",
        "coordinator" => "#CC79A7",
        _ => OKABE_ITO[index % OKABE_ITO.len()],
    }
}

/// The outline a role is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Hexagon,
}

pub fn role_shape(key: &str, index: usize) -> Shape {
    match key {
        "idle" => Shape::Circle,
        "waiting" => Shape::Diamond,
        "using" => Shape::Square,
        "coordinator" => Shape::Hexagon,
        _ => [Shape::Circle, Shape::Square, Shape::Diamond, Shape::Hexagon][index % 4],
    }
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

/// A message kind's colour, the same every time for the same kind.
pub fn kind_color(kind: &str) -> &'static str {
    match kind {
        "request" => "#0072B2",
        "ok" | "grant" => "#009E73",
        "release" => "#CC79A7",
        "token" | "global-token" => "#E69F00",
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

    #[test]
    fn colours_are_stable_and_from_the_palette() {
        assert_eq!(kind_color("whatever"), kind_color("whatever"));
        assert!(OKABE_ITO.contains(&kind_color("vote")));
        assert!(OKABE_ITO.contains(&role_color("leader", 9)));
        assert_ne!(role_color("idle", 0), role_color("using", 0));
        assert_eq!(text_on(YELLOW), "#000000");
        assert_eq!(text_on("#0072B2"), "#ffffff");
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

//! How much downtime a year an availability allows, computed rather than copied.
//!
//! Text 003 measures availability by the downtime it allows and gives a table of five classes,
//! with the formula beside it: `(1 − 0.99999) × 365 × 24 × 60 = 5.256 min` for five nines. Four
//! of its rows agree with the formula, give or take rounding; the last says 99 % allows under
//! 43.8 minutes a year, where the formula gives 87.6 hours (43.8 minutes is 99.99 % over a
//! month). The page shows the computed figures beside the text's and says where they differ.

use crate::Text;

/// One row of the text's table: its class, its availability in percent, the downtime it
/// states.
pub struct Class {
    pub name: Text,
    pub percent: f64,
    /// The text's figure, as it writes it.
    pub text_says: &'static str,
    /// Its figure in minutes, for comparing with the formula.
    pub text_minutes: f64,
}

/// The text's five classes, from the most available down.
pub const CLASSES: [Class; 5] = [
    Class {
        name: Text::new("fault tolerant", "容错可用性"),
        percent: 99.9999,
        text_says: "< 1 min",
        text_minutes: 1.0,
    },
    Class {
        name: Text::new("extremely high", "极高可用性"),
        percent: 99.999,
        text_says: "< 5 min",
        text_minutes: 5.0,
    },
    Class {
        name: Text::new(
            "recovers from faults by itself",
            "具有故障自动恢复能力的可用性",
        ),
        percent: 99.99,
        text_says: "< 53 min",
        text_minutes: 53.0,
    },
    Class {
        name: Text::new("high", "高可用性"),
        percent: 99.9,
        text_says: "< 8.8 h",
        text_minutes: 8.8 * 60.0,
    },
    Class {
        name: Text::new("commercial", "商品可用性"),
        percent: 99.0,
        text_says: "< 43.8 min",
        text_minutes: 43.8,
    },
];

/// Minutes of downtime a year that `percent` availability allows: the text's own formula,
/// `(1 − a) × 365 × 24 × 60`.
pub fn downtime_minutes_per_year(percent: f64) -> f64 {
    (1.0 - percent / 100.0) * 365.0 * 24.0 * 60.0
}

/// Downtime as a person reads it: minutes below two hours, hours below four days, else days.
pub fn readable(minutes: f64, lang: &str) -> String {
    let zh = lang.starts_with("zh");
    let round = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    if minutes < 120.0 {
        format!("{} {}", round(minutes), if zh { "分钟" } else { "min" })
    } else if minutes < 4.0 * 24.0 * 60.0 {
        format!(
            "{} {}",
            round(minutes / 60.0),
            if zh { "小时" } else { "h" }
        )
    } else {
        format!(
            "{} {}",
            round(minutes / 60.0 / 24.0),
            if zh { "天" } else { "days" }
        )
    }
}

/// Whether the text's figure is what the formula gives: within the rounding of its last
/// digit, or a bound the formula's figure stays under.
pub fn text_agrees(class: &Class) -> bool {
    let exact = downtime_minutes_per_year(class.percent);
    exact <= class.text_minutes * 1.06
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_gives_the_texts_worked_figure_and_finds_its_wrong_row() {
        // The text's own example: five nines, 5.256 minutes a year.
        assert!((downtime_minutes_per_year(99.999) - 5.256).abs() < 1e-6);
        assert!((downtime_minutes_per_year(99.0) - 5256.0).abs() < 1e-6);
        assert_eq!(readable(downtime_minutes_per_year(99.0), "en"), "87.6 h");
        assert_eq!(readable(downtime_minutes_per_year(99.9), "en"), "8.76 h");
        assert_eq!(
            readable(downtime_minutes_per_year(99.99), "zh"),
            "52.56 分钟"
        );
        assert_eq!(
            readable(downtime_minutes_per_year(99.9999), "en"),
            "0.53 min"
        );
        let wrong: Vec<f64> = CLASSES
            .iter()
            .filter(|c| !text_agrees(c))
            .map(|c| c.percent)
            .collect();
        assert_eq!(wrong, [99.0], "only the 99 % row is off");
    }
}

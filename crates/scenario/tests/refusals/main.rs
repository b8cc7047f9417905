//! Every refusal of a scenario or of an algorithm's parameters reads in English as it always
//! did, and in Simplified Chinese for the Chinese page: Chinese words and punctuation, with
//! only what the learner types left as written.

mod rows;

use clusterplay_scenario::ScenarioError;
use rows::{English, Row};

/// The words a refusal's Chinese may keep in English: the bounds of the `[min, max]`
/// notation, and the unit the settings panel writes.
const NOTATION: &[&str] = &["min", "max", "ms"];

/// The parser's or the engine's own English, kept in the Chinese as their note.
const NOTES: &[&str] = &["（解析器的说明：", "（引擎的说明："];

fn is_hanzi(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// `zh` without what it shows verbatim: code and values in backticks or quotes, `[…]`
/// notation, and the notes of [`NOTES`].
fn prose(zh: &str) -> String {
    let mut zh = zh.to_owned();
    for note in NOTES {
        while let Some(start) = zh.find(note) {
            let end = zh[start..]
                .rfind('）')
                .map_or(zh.len(), |i| start + i + '）'.len_utf8());
            zh.replace_range(start..end, "（）");
        }
    }
    let mut out = String::new();
    let mut closing = None;
    for c in zh.chars() {
        match closing {
            Some(close) if c == close => closing = None,
            Some(_) => {}
            None => {
                closing = match c {
                    '`' => Some('`'),
                    '"' => Some('"'),
                    '“' => Some('”'),
                    '[' => Some(']'),
                    _ => None,
                };
                if closing.is_none() {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// What is wrong with `zh` as the Chinese of a refusal, if anything.
fn chinese_faults(zh: &str, protocols: &[&str]) -> Vec<String> {
    let mut faults = Vec::new();
    let prose = prose(zh);
    if !prose.chars().any(is_hanzi) {
        faults.push("has no Chinese characters".to_owned());
    }
    if zh.ends_with(['。', '，', '；', '：']) || zh.trim() != zh {
        faults.push("ends in punctuation or space (the page adds the full stop)".to_owned());
    }
    for word in prose.split(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c))) {
        let identifier = word.contains(['_', '.', '-']);
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        if letters >= 3 && !identifier && !NOTATION.contains(&word) && !protocols.contains(&word) {
            faults.push(format!("keeps the English word {word:?}"));
        }
    }
    for c in prose.chars().filter(|c| ",;:()!?".contains(*c)) {
        faults.push(format!(
            "uses the ASCII {c:?} where Chinese writes it full width"
        ));
    }
    faults
}

/// Check each row: refused, with the English it always had, and a Chinese that reads as
/// Chinese. One failure lists every row that is wrong.
fn check(rows: Vec<Row>) {
    assert!(!rows.is_empty());
    let protocols: Vec<&str> = clusterplay_scenario::algorithms()
        .iter()
        .map(|a| a.id)
        .collect();
    let mut failures = Vec::new();
    for Row { name, refused, en } in rows {
        let e = match refused {
            Ok(()) => {
                failures.push(format!("{name}: was accepted"));
                continue;
            }
            Err(e) => e,
        };
        let english = e.to_string();
        let as_before = match en {
            English::Is(text) => english == text,
            English::StartsWith(text) => english.starts_with(text),
        };
        if !as_before {
            failures.push(format!("{name}: the English changed to {english:?}"));
        }
        let ScenarioError::Invalid { problem_zh, .. } = &e else {
            failures.push(format!("{name}: not a refusal of a value ({e:?})"));
            continue;
        };
        for fault in chinese_faults(problem_zh, &protocols) {
            failures.push(format!("{name}: the Chinese {fault}\n    {problem_zh}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} refusals are wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn refused_parameters_read_as_before_in_english_and_in_chinese_too() {
    check(rows::parameter_rows());
}

#[test]
fn every_algorithm_refuses_an_unknown_parameter_in_both_languages() {
    check(rows::unknown_parameter_rows());
}

#[test]
fn refused_scenarios_read_as_before_in_english_and_in_chinese_too() {
    check(rows::scenario_rows());
}

#[cfg(feature = "explore")]
#[test]
fn what_the_explorer_refuses_reads_as_before_in_english_and_in_chinese_too() {
    check(rows::explore_rows());
}

/// The check above would pass on anything if it found no fault in these.
#[test]
fn the_chinese_check_catches_english_and_half_width_punctuation() {
    let protocols = ["paxos"];
    assert!(chinese_faults("为 7；至少需要一个接受者", &protocols).is_empty());
    assert!(chinese_faults(
        "为“insert”；请只写 `\"mode\": \"for-update\"`，区间 [min, max] 中 min ≤ max，单位 ms",
        &protocols
    )
    .is_empty());
    assert!(chinese_faults(
        "无法读取（解析器的说明：unknown field `x`, expected one）",
        &[]
    )
    .is_empty());
    let faults = |zh| chinese_faults(zh, &protocols);
    let english = faults("is empty; Paxos needs at least one acceptor");
    for fault in [
        "has no Chinese characters",
        "keeps the English word \"acceptor\"",
        "uses the ASCII ';' where Chinese writes it full width",
    ] {
        assert!(english.contains(&fault.to_owned()), "{english:?}");
    }
    assert_eq!(
        faults("为空：Paxos 至少需要一个接受者"),
        ["keeps the English word \"Paxos\""]
    );
    assert_eq!(
        faults("为 7, 至多 3"),
        ["uses the ASCII ',' where Chinese writes it full width"]
    );
    assert_eq!(
        faults("必须大于 0 毫秒。"),
        ["ends in punctuation or space (the page adds the full stop)"]
    );
    assert!(
        faults("（解析器的说明：invalid type）").contains(&"has no Chinese characters".to_owned())
    );
}

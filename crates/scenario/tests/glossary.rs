//! Every word a node view shows on the page has a Chinese form: the glossary is complete for
//! every preset, sampled at sixteen points of its run.

use clusterplay_protocols::glossary::{field, phrase, untranslated, KEPT};
use clusterplay_scenario::{load, presets};
use std::collections::BTreeMap;

#[test]
fn every_word_a_node_shows_has_a_chinese_form() {
    // English word → where it was seen, for a useful failure message.
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    let mut shown = 0;
    for p in presets() {
        let mut sim = load(&p.scenario).expect("preset loads");
        let end = (p.scenario.until_ms * 1000.0) as u64;
        for i in 1..=16 {
            sim.run_until(end * i / 16, 1_000_000);
            for node in sim.cluster().nodes {
                let mut texts = vec![phrase(&node.label, "zh").into_owned()];
                // The page draws these badges as pictures; any other is drawn as its word.
                const PICTURES: [&str; 5] = ["cup", "crown", "lock", "token", "global-token"];
                for badge in node.badges.iter().filter(|b| !PICTURES.contains(b)) {
                    texts.push(phrase(badge, "zh").into_owned());
                }
                for (name, value) in &node.fields {
                    let zh_name = field(name, "zh");
                    if zh_name == *name && !KEPT.contains(name) {
                        missing.insert(format!("field {name:?}"), p.id.to_string());
                    }
                    texts.push(phrase(value, "zh").into_owned());
                }
                for text in texts {
                    shown += 1;
                    for word in untranslated(&text) {
                        missing
                            .entry(word.to_string())
                            .or_insert_with(|| format!("{}: {text}", p.id));
                    }
                }
            }
        }
    }
    assert!(shown > 10_000, "the sample covers the presets ({shown})");
    assert!(
        missing.is_empty(),
        "add these to crates/protocols/src/glossary.rs: {missing:#?}"
    );
}

/// What the invariant panel and the metrics show at the end of every preset reads in Chinese:
/// each broken invariant's name and sentence, each outcome heading and value, each finding
/// marked on the space-time diagram.
#[test]
fn every_finding_and_outcome_a_preset_shows_has_a_chinese_form() {
    use clusterplay_protocols::glossary::{
        invariant, knows_invariant, knows_outcome_key, outcome_lines,
    };
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    let (mut sentences, mut values) = (0, 0);
    for p in presets() {
        let mut sim = load(&p.scenario).expect("preset loads");
        sim.run_until((p.scenario.until_ms * 1000.0) as u64, 1_000_000);
        let report = sim.report();
        for v in &report.violations {
            sentences += 1;
            if !knows_invariant(v.invariant) || invariant(v.invariant, "zh") == v.invariant {
                missing.insert(format!("invariant {:?}", v.invariant), p.id.to_string());
            }
            let zh = phrase(&v.text, "zh");
            for word in untranslated(&zh) {
                missing
                    .entry(word.to_string())
                    .or_insert_with(|| format!("{}: {zh}", p.id));
            }
        }
        for h in &report.highlights {
            for word in untranslated(&phrase(&h.label, "zh")) {
                missing
                    .entry(word.to_string())
                    .or_insert_with(|| format!("{}: highlight {}", p.id, h.label));
            }
        }
        if report.outcome.get("formula").is_some() {
            assert!(
                report.outcome.get("formula_zh").is_some(),
                "{}: a formula without formula_zh",
                p.id
            );
        }
        for (key, value) in outcome_lines(&report.outcome, "zh") {
            values += 1;
            if !knows_outcome_key(key) {
                missing.insert(format!("outcome key {key:?}"), p.id.to_string());
            }
            for word in untranslated(&value) {
                missing
                    .entry(word.to_string())
                    .or_insert_with(|| format!("{}: {key} = {value}", p.id));
            }
        }
    }
    assert!(sentences >= 10, "presets break invariants ({sentences})");
    assert!(values > 300, "the presets' outcomes are covered ({values})");
    assert!(
        missing.is_empty(),
        "add these to crates/protocols/src/glossary.rs: {missing:#?}"
    );
}

/// Every line of every preset's event log reads in Chinese: a sentence template covers each
/// event and each note, and what the template fills in of a note (its values) has no English
/// word the glossary does not know. Message labels, timer and command names stay as written.
#[test]
fn every_line_and_note_of_every_event_log_has_a_chinese_form() {
    use clusterplay_protocols::glossary::{knows_line, line};
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    let mut notes = 0;
    for p in presets() {
        let mut sim = load(&p.scenario).expect("preset loads");
        sim.run_until((p.scenario.until_ms * 1000.0) as u64, 1_000_000);
        for event in sim.log(0, sim.events()) {
            if !knows_line(&event.text) {
                missing.insert(format!("line {:?}", event.text), p.id.to_string());
            }
            for note in &event.notes {
                notes += 1;
                if !knows_line(note) {
                    missing.insert(format!("note {note:?}"), p.id.to_string());
                }
                let zh = line(note, "zh");
                for word in untranslated(&zh) {
                    missing
                        .entry(word.to_string())
                        .or_insert_with(|| format!("{}: {zh}", p.id));
                }
            }
        }
    }
    assert!(notes > 1_000, "the presets' notes are covered ({notes})");
    assert!(
        missing.is_empty(),
        "add these to crates/protocols/src/glossary/log.rs: {missing:#?}"
    );
}

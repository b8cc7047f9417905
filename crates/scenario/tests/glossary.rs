//! Every word the page shows of a run has a Chinese form: node views sampled at sixteen points
//! of every preset, and at each preset's end its findings, outcome and whole event log.

use clusterplay_protocols::glossary::{
    field, invariant, knows_invariant, knows_outcome_key, outcome_lines, phrase, untranslated, KEPT,
};
use clusterplay_scenario::{load, presets, Preset, Simulation};
use clusterplay_sim::Lang;
use std::collections::BTreeMap;

/// What the glossary lacks: an English word or an unknown name → where it was seen, for a
/// failure message that says what to add.
#[derive(Default)]
struct Missing(BTreeMap<String, String>);

impl Missing {
    /// Each English word left in `zh`, a text as the page shows it in Chinese.
    fn words(&mut self, zh: &str, seen: impl Fn() -> String) {
        for word in untranslated(zh) {
            self.0.entry(word.to_string()).or_insert_with(&seen);
        }
    }

    fn name(&mut self, what: String, preset: &Preset) {
        self.0.insert(what, preset.id.to_string());
    }

    fn assert_none(&self, file: &str) {
        assert!(self.0.is_empty(), "add these to {file}: {:#?}", self.0);
    }
}

/// A preset run to its end.
fn ended(p: &Preset) -> Box<dyn Simulation> {
    let mut sim = load(&p.scenario).expect("preset loads");
    sim.run_until((p.scenario.until_ms * 1000.0) as u64, 1_000_000);
    sim
}

#[test]
fn every_word_a_node_shows_has_a_chinese_form() {
    // The page draws these badges as pictures; any other is drawn as its word.
    const PICTURES: [&str; 5] = ["cup", "crown", "lock", "token", "global-token"];
    let mut missing = Missing::default();
    let mut shown = 0;
    for p in presets() {
        let mut sim = load(&p.scenario).expect("preset loads");
        let end = (p.scenario.until_ms * 1000.0) as u64;
        for i in 1..=16 {
            sim.run_until(end * i / 16, 1_000_000);
            for node in sim.cluster().nodes {
                let mut texts = vec![phrase(&node.label, "zh").into_owned()];
                for badge in node.badges.iter().filter(|b| !PICTURES.contains(b)) {
                    texts.push(phrase(badge, "zh").into_owned());
                }
                for (name, value) in &node.fields {
                    if field(name, "zh") == *name && !KEPT.contains(name) {
                        missing.name(format!("field {name:?}"), p);
                    }
                    texts.push(phrase(value, "zh").into_owned());
                }
                for text in texts {
                    shown += 1;
                    missing.words(&text, || format!("{}: {text}", p.id));
                }
            }
        }
    }
    assert!(shown > 10_000, "the sample covers the presets ({shown})");
    missing.assert_none("crates/protocols/src/glossary/mod.rs");
}

/// What the invariant panel and the metrics show at the end of every preset reads in Chinese:
/// each broken invariant's name and sentence, each outcome heading and value, each finding
/// marked on the space-time diagram.
#[test]
fn every_finding_and_outcome_a_preset_shows_has_a_chinese_form() {
    let mut missing = Missing::default();
    let (mut sentences, mut values) = (0, 0);
    for p in presets() {
        let report = ended(p).report();
        for v in &report.violations {
            sentences += 1;
            if !knows_invariant(v.invariant) || invariant(v.invariant, "zh") == v.invariant {
                missing.name(format!("invariant {:?}", v.invariant), p);
            }
            let zh = phrase(&v.text, "zh");
            missing.words(&zh, || format!("{}: {zh}", p.id));
        }
        for h in &report.highlights {
            let zh = phrase(&h.label, "zh");
            missing.words(&zh, || format!("{}: highlight {}", p.id, h.label));
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
                missing.name(format!("outcome key {key:?}"), p);
            }
            missing.words(&value, || format!("{}: {key} = {value}", p.id));
        }
    }
    assert!(sentences >= 10, "presets break invariants ({sentences})");
    assert!(values > 300, "the presets' outcomes are covered ({values})");
    missing.assert_none("crates/protocols/src/glossary/mod.rs");
}

/// Every note of every preset's event log reads in Chinese: rendered in Chinese, a note leaves
/// no English word the texts do not keep themselves, and it does not read as its English. (Event
/// lines are the engine's words around message labels, timer and command names: code names,
/// kept as written.)
#[test]
fn every_note_of_every_event_log_reads_in_chinese() {
    let mut missing = Missing::default();
    let mut notes = 0;
    for p in presets() {
        let sim = ended(p);
        for event in sim.log(0, sim.events()) {
            for note in &event.notes {
                notes += 1;
                let zh = note.render(Lang::Zh);
                if zh == note.en() {
                    missing.name(format!("note {zh:?} reads the same in Chinese"), p);
                }
                missing.words(&zh, || format!("{}: {zh}", p.id));
            }
        }
    }
    assert!(notes > 1_000, "the presets' notes are covered ({notes})");
    missing.assert_none("the algorithm's words.rs");
}

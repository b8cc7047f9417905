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

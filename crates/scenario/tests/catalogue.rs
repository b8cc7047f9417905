//! `web/catalogue.json` (and `web/captions.json`) is the catalogue of the full registry: the page's loader picks a
//! family's module from it and a page of one family lists the other families' presets from it.
//! Rewrite it after adding an algorithm or preset with
//! `CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test catalogue`.

use clusterplay_scenario::{algorithm, preset, presets, Catalogue};
use std::path::Path;

fn written() -> String {
    let catalogue = Catalogue::of_this_build();
    serde_json::to_string(&catalogue).expect("the catalogue serializes") + "\n"
}

/// Every preset's caption by id: a page of one family fetches them for its catalogue of the
/// others' presets once it has started (they are 25 KB gzipped, too many to wait for).
fn captions() -> String {
    let captions: serde_json::Map<String, serde_json::Value> = presets()
        .iter()
        .map(|p| (p.id.clone(), serde_json::json!(p.caption)))
        .collect();
    serde_json::to_string(&captions).expect("captions serialize") + "\n"
}

fn check(file: &str, want: String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../web")
        .join(file);
    if std::env::var_os("CLUSTERPLAY_BLESS").is_some() {
        std::fs::write(&path, &want).expect("web/ is writable");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "web/{file} differs from the registry: rewrite it with \
         CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test catalogue"
    );
}

#[test]
fn the_pages_catalogue_is_the_registry() {
    check("catalogue.json", written());
    check("captions.json", captions());
}

/// Every family is a cargo feature of the page (`web/Cargo.toml`), which is what the build of
/// one family's module passes; a family key without a feature would build an empty page.
#[test]
fn every_family_is_a_page_feature() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/Cargo.toml"))
            .expect("web/Cargo.toml");
    let catalogue = Catalogue::of_this_build();
    for a in &catalogue.algorithms {
        assert!(
            manifest.contains(&format!(
                "\n{} = [\"clusterplay-scenario/{}\"]",
                a.family, a.family
            )),
            "{}'s family `{}` is not a feature of web/Cargo.toml",
            a.id,
            a.family
        );
    }
}

#[test]
fn the_catalogue_answers_for_every_preset() {
    let catalogue = Catalogue::of_this_build();
    assert!(catalogue.preset(&catalogue.default).is_some());
    for p in &catalogue.presets {
        let full = preset(&p.id).expect("a preset");
        let family = catalogue
            .family_of(&p.protocol)
            .expect("its algorithm is listed");
        assert_eq!(family, algorithm(&full.scenario.protocol).unwrap().family);
        assert!(catalogue.families.iter().any(|f| f.id == p.family));
    }
}

/// A preset marked beyond the texts does not also claim to be the text's case.
#[test]
fn what_goes_beyond_the_texts_does_not_claim_them() {
    let beyond: Vec<_> = presets().iter().filter(|p| p.beyond_text).collect();
    assert!(
        beyond.len() >= 10,
        "Figure 8, Multi-Paxos, DPoS, RedLock's failures, Saga…"
    );
    for p in beyond {
        for claim in ["the text's example", "as in the text", "The text's"] {
            assert!(!p.caption.en.contains(claim), "{}: {claim}", p.id);
        }
        assert!(!p.caption.zh.contains("原文的例子"), "{}", p.id);
    }
}

//! README stays true to the catalogue: its tables of algorithms, presets and lessons are exactly
//! what the registry, the preset and the lesson files hold. After adding an algorithm or a preset, rewrite them with
//! `CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs`.

use clusterplay_scenario::lesson::lessons;
use clusterplay_scenario::{algorithms, families, presets};
use std::path::Path;

const START: &str = "## The algorithms";
const END: &str = "## For teachers: embedding";

/// The section as it should read.
fn tables() -> String {
    let mut out = vec![
        START.to_string(),
        String::new(),
        "`clusterplay algorithms` lists them and `clusterplay presets` lists the presets; the page's".into(),
        "picker groups both by family. Each algorithm's module opens with an essay on how it works.".into(),
        String::new(),
        "| family | protocol | name |".into(),
        "|---|---|---|".into(),
    ];
    for family in families() {
        for a in algorithms().iter().filter(|a| a.family == family.id) {
            out.push(format!(
                "| {} | `{}` | {} |",
                family.name.en, a.id, a.name.en
            ));
        }
    }
    out.extend([
        String::new(),
        "Presets reproduce the source texts' worked examples and failure modes; each one's caption says".into(),
        "what the run shows, and a test checks it:".into(),
        String::new(),
        "| preset | protocol | title |".into(),
        "|---|---|---|".into(),
    ]);
    for p in presets() {
        out.push(format!(
            "| `{}` | `{}` | {} |",
            p.id,
            p.scenario.protocol,
            p.title.get("en")
        ));
    }
    out.push(String::new());
    out.join("\n") + "\n"
}

const LESSONS_START: &str = "<!-- lessons -->";
const LESSONS_END: &str = "<!-- /lessons -->";

/// The lessons' table as it should read.
fn lesson_table() -> String {
    let mut out = vec![
        LESSONS_START.to_string(),
        String::new(),
        "| lesson | family | stops | title |".into(),
        "|---|---|---|---|".into(),
    ];
    for l in lessons() {
        out.push(format!(
            "| `{}` | {} | {} | {} |",
            l.id,
            l.family,
            l.stops.len(),
            l.title.en
        ));
    }
    out.extend([String::new(), LESSONS_END.to_string()]);
    out.join("\n")
}

/// One test for both parts of README, so that a rewrite of one never races the other's.
#[test]
fn readme_tables_are_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let mut readme = std::fs::read_to_string(&path).expect("README.md");
    let bless = std::env::var_os("CLUSTERPLAY_BLESS").is_some();
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("README has lost its `{START}` or `{END}` heading");
    };
    let want = tables();
    if bless {
        readme = format!("{}{want}{}", &readme[..a], &readme[b..]);
    } else {
        assert!(
            readme[a..b] == want,
            "README's tables differ from the catalogue: rewrite them with \
             CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs"
        );
    }
    let Some(a) = readme.find(LESSONS_START) else {
        panic!("README has lost its `{LESSONS_START}` marker");
    };
    let b = readme
        .find(LESSONS_END)
        .map_or(a + LESSONS_START.len(), |b| b + LESSONS_END.len());
    let want = lesson_table();
    if bless {
        readme = format!("{}{want}{}", &readme[..a], &readme[b..]);
        std::fs::write(&path, readme).expect("README.md is writable");
    } else {
        assert!(
            readme[a..b] == want,
            "README's lessons differ from the catalogue: rewrite them with \
             CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs"
        );
    }
}

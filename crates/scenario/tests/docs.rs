//! README stays true to the catalogue: its tables of algorithms and presets are exactly what the
//! registry and the preset files hold. After adding an algorithm or a preset, rewrite them with
//! `CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs`.

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

#[test]
fn readme_tables_are_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("README has lost its `{START}` or `{END}` heading");
    };
    let want = tables();
    if std::env::var_os("CLUSTERPLAY_BLESS").is_some() {
        let rewritten = format!("{}{want}{}", &readme[..a], &readme[b..]);
        std::fs::write(&path, rewritten).expect("README.md is writable");
        return;
    }
    assert!(
        readme[a..b] == want,
        "README's tables differ from the catalogue: rewrite them with \
         CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs"
    );
}

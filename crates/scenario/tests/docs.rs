//! README stays true to the catalogue: its tables of algorithms, presets, lessons and compare
//! presets are exactly what the registry and the preset, lesson and compare files hold. After adding an algorithm or a preset, rewrite them with
//! `CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs`.

use clusterplay_scenario::lesson::lessons;
use clusterplay_scenario::{algorithms, compare_presets, families, presets};
use std::path::Path;

const START: &str = "## The algorithms";
const END: &str = "## For teachers: embedding";

/// What the section says about remedies and the CAP table, between its two tables.
const REMEDIES: &str = "\
Where the texts name a remedy, it is a parameter of its algorithm and a preset beside the
failure it fixes, on the same scenario: Ricart–Agrawala's failure detector
(`failure_timeout_ms`), the central coordinator's backup (`backup`: the primary copies its
queue to the backup before every grant, and the backup takes over when the heartbeats stop),
the token ring's recovery of a lost token (`recovery_ms`: acknowledged hand-offs that skip a
crashed program, and a regeneration round that fences the old token before a new one is made;
the texts only say the ring must \"improve its single point of failure\", so this one is marked
beyond the text), 2PC's cooperative termination. Each caption says what the remedy costs and
what it trusts (a timeout longer than any hand-off or heartbeat takes). Under replication's
\"How it works\", a CAP table runs every replication scenario and says what it kept:
consistency by the linearizability checker's verdict, availability by the requests answered.
";

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
        REMEDIES.trim_end().into(),
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

const COMPARES_START: &str = "<!-- compares -->";
const COMPARES_END: &str = "<!-- /compares -->";

/// The compare presets' table as it should read.
fn compare_table() -> String {
    let mut out = vec![
        COMPARES_START.to_string(),
        String::new(),
        "| compare preset | left | right | title |".into(),
        "|---|---|---|---|".into(),
    ];
    for c in compare_presets() {
        let c_ = &c.comparison;
        out.push(format!(
            "| `{}` | {} | {} | {} |",
            c.id, c_.left.label.en, c_.right.label.en, c_.title.en
        ));
    }
    out.extend([String::new(), COMPARES_END.to_string()]);
    out.join("\n")
}

/// Replace (when blessing) or check the part of `readme` between `start` and `end`.
fn marked(readme: &mut String, start: &str, end: &str, want: &str, bless: bool) {
    let Some(a) = readme.find(start) else {
        panic!("README has lost its `{start}` marker");
    };
    let b = readme.find(end).map_or(a + start.len(), |b| b + end.len());
    if bless {
        *readme = format!("{}{want}{}", &readme[..a], &readme[b..]);
    } else {
        assert!(
            readme[a..b] == *want,
            "README's part at {start} differs from the catalogue: rewrite it with \
             CLUSTERPLAY_BLESS=1 cargo test -p clusterplay-scenario --test docs"
        );
    }
}

/// One test for every part of README, so that a rewrite of one never races the other's.
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
    marked(
        &mut readme,
        LESSONS_START,
        LESSONS_END,
        &lesson_table(),
        bless,
    );
    marked(
        &mut readme,
        COMPARES_START,
        COMPARES_END,
        &compare_table(),
        bless,
    );
    if bless {
        std::fs::write(&path, readme).expect("README.md is writable");
    }
}

//! What a learner changed in a preset, in words: the caption stays and says "changed: …"
//! rather than vanishing when the node count, the seed or the network is edited.

use crate::geometry::number;
use crate::i18n::Lang;
use clusterplay_scenario::Scenario;

/// The edits that turn `base` into `now`, each a few words in `lang`; empty when equal.
pub fn changes(base: &Scenario, now: &Scenario, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    if base.nodes != now.nodes {
        out.push(if zh {
            format!("节点 {} → {}", base.nodes, now.nodes)
        } else {
            format!("{} → {} nodes", base.nodes, now.nodes)
        });
    }
    if base.seed != now.seed {
        out.push(
            if zh {
                "换了随机种子"
            } else {
                "another seed"
            }
            .to_owned(),
        );
    }
    if base.until_ms != now.until_ms {
        let ms = number(now.until_ms);
        out.push(if zh {
            format!("运行到 {ms} 毫秒")
        } else {
            format!("runs to {ms} ms")
        });
    }
    if base.network != now.network {
        out.push(
            if zh {
                "网络设置"
            } else {
                "network settings"
            }
            .to_owned(),
        );
    }
    for (key, value) in &now.params {
        if base.params.get(key) != Some(value) {
            out.push(format!("{key} = {value}"));
        }
    }
    for key in base.params.keys().filter(|k| !now.params.contains_key(*k)) {
        out.push(if zh {
            format!("{key} 取默认值")
        } else {
            format!("{key} back to its default")
        });
    }
    let shared = base
        .timeline
        .iter()
        .zip(&now.timeline)
        .take_while(|(a, b)| a == b)
        .count();
    if shared < base.timeline.len() {
        out.push(if zh { "时间线" } else { "the timeline" }.to_owned());
    } else if now.timeline.len() > shared {
        let n = now.timeline.len() - shared;
        out.push(match (zh, n) {
            (true, n) => format!("你的 {n} 个操作"),
            (false, 1) => "an action of yours".to_owned(),
            (false, n) => format!("{n} actions of yours"),
        });
    }
    if base.chaos != now.chaos {
        out.push(if zh { "混沌模式" } else { "chaos" }.to_owned());
    }
    if base.clocks != now.clocks {
        out.push(if zh { "本地时钟" } else { "local clocks" }.to_owned());
    }
    if base.schedule != now.schedule {
        out.push(
            if zh {
                "指定的事件顺序"
            } else {
                "a chosen order of events"
            }
            .to_owned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplay_scenario::preset;

    #[test]
    fn edits_are_named_in_both_languages() {
        let base = preset("raft-election").expect("preset").scenario.clone();
        let mut now = base.clone();
        assert!(changes(&base, &now, Lang::En).is_empty());
        now.nodes = 7;
        now.seed += 1;
        assert_eq!(
            changes(&base, &now, Lang::En),
            ["5 → 7 nodes", "another seed"]
        );
        assert_eq!(
            changes(&base, &now, Lang::Zh),
            ["节点 5 → 7", "换了随机种子"]
        );
    }
}

//! A replicated log as a row of cells, coloured by term, with the committed prefix marked: the
//! picture of Raft's logs that the paper draws and learners compare across nodes.

use crate::i18n::{Lang, W};
use crate::palette::{text_on, OKABE_ITO};
use clusterplay_view::LogView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LogRowProps {
    pub log: LogView,
    pub lang: Lang,
}

#[component]
pub fn LogRow(props: &LogRowProps) -> Html {
    let lang = props.lang;
    let log = &props.log;
    let cells = log.cells.iter().enumerate().map(|(i, cell)| {
        let colour = OKABE_ITO[(cell.term as usize) % OKABE_ITO.len()];
        let committed = i < log.committed;
        let class = classes!("log-cell", committed.then_some("committed"));
        let title = format!(
            "#{} · {} {} · {}",
            i + 1,
            lang.t(W::Term),
            cell.term,
            if committed {
                lang.t(W::Committed)
            } else {
                lang.t(W::Uncommitted)
            }
        );
        html! {
            <li {class} title={title.clone()} aria-label={title}
                style={format!("background:{colour};color:{}", text_on(colour))}>
                <span class="log-term">{ cell.term }</span>
                <span class="log-text">{ &cell.text }</span>
            </li>
        }
    });
    html! {
        <div class="log-view" data-testid="log-view" data-committed={log.committed.to_string()}>
            <span class="muted">{ lang.t(W::ReplicatedLog) }{ format!(" ({} {}/{})", lang.t(W::Committed), log.committed, log.cells.len()) }</span>
            if log.cells.is_empty() {
                <p class="muted">{ "–" }</p>
            } else {
                <ol class="log-cells">{ for cells }</ol>
            }
        </div>
    }
}

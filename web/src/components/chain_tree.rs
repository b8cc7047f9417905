//! A node's block tree: heights left to right, the chain the node follows on the first row,
//! side branches (forks) below it, each block joined to its parent. A fork is a block off the
//! first row; an orphaned branch is one the chain has left behind.

use crate::i18n::{Lang, W};
use crate::palette::{text_on, OKABE_ITO};
use clusterplay_view::ChainView;
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChainTreeProps {
    pub chain: ChainView,
    pub lang: Lang,
}

const COLUMN: f64 = 52.0;
const ROW: f64 = 30.0;
const BLOCK_W: f64 = 40.0;
const BLOCK_H: f64 = 20.0;

/// Each block's row: the followed chain on row 0, each side branch on the first row free at its
/// height, continuing its parent's row where it can.
fn rows(chain: &ChainView) -> Vec<usize> {
    let mut row_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut taken: BTreeMap<(u64, usize), ()> = BTreeMap::new();
    chain
        .blocks
        .iter()
        .map(|b| {
            let row = if b.main {
                0
            } else {
                let wanted = b
                    .parent
                    .as_deref()
                    .and_then(|p| row_of.get(p).copied())
                    .filter(|r| *r > 0 && !taken.contains_key(&(b.height, *r)));
                wanted.unwrap_or_else(|| {
                    (1..)
                        .find(|r| !taken.contains_key(&(b.height, *r)))
                        .unwrap_or(1)
                })
            };
            taken.insert((b.height, row), ());
            row_of.insert(&b.id, row);
            row
        })
        .collect()
}

#[component]
pub fn ChainTree(props: &ChainTreeProps) -> Html {
    let lang = props.lang;
    let chain = &props.chain;
    let rows = rows(chain);
    let low = chain.blocks.iter().map(|b| b.height).min().unwrap_or(0);
    let high = chain.blocks.iter().map(|b| b.height).max().unwrap_or(0);
    let deepest = rows.iter().copied().max().unwrap_or(0);
    let at =
        |height: u64, row: usize| (8.0 + (height - low) as f64 * COLUMN, 6.0 + row as f64 * ROW);
    let place: BTreeMap<&str, (f64, f64)> = chain
        .blocks
        .iter()
        .zip(&rows)
        .map(|(b, r)| (b.id.as_str(), at(b.height, *r)))
        .collect();
    let links = chain.blocks.iter().zip(&rows).filter_map(|(b, r)| {
        let (px, py) = *place.get(b.parent.as_deref()?)?;
        let (x, y) = at(b.height, *r);
        Some(html! {
            <line class="chain-link" x1={(px + BLOCK_W).to_string()} y1={(py + BLOCK_H / 2.0).to_string()}
                x2={x.to_string()} y2={(y + BLOCK_H / 2.0).to_string()} />
        })
    });
    let forks = chain.blocks.iter().filter(|b| !b.main).count();
    let blocks = chain.blocks.iter().zip(&rows).map(|(b, r)| {
        let (x, y) = at(b.height, *r);
        let colour = if b.maker == 0 {
            "#777"
        } else {
            OKABE_ITO[b.maker as usize % OKABE_ITO.len()]
        };
        let class = classes!("chain-block", (!b.main).then_some("off-main"));
        html! {
            <g {class}>
                <rect x={x.to_string()} y={y.to_string()} width={BLOCK_W.to_string()}
                    height={BLOCK_H.to_string()} rx="3" fill={colour}
                    stroke-dasharray={if b.main { "" } else { "4 2" }} />
                <text x={(x + BLOCK_W / 2.0).to_string()} y={(y + 14.0).to_string()}
                    text-anchor="middle" fill={text_on(colour)}>{ &b.id }</text>
                <title>{ format!("{} · {} {}", b.id, lang.t(W::Height), b.height) }</title>
            </g>
        }
    });
    let width = 16.0 + (high - low + 1) as f64 * COLUMN;
    let height = 12.0 + (deepest + 1) as f64 * ROW;
    html! {
        <div class="chain-view" data-testid="chain-view" data-forks={forks.to_string()}>
            <span class="muted">
                { format!("{} ({} {}–{}, {} {})", lang.t(W::Chain), lang.t(W::Height), low, high, forks, lang.t(W::OffChain)) }
            </span>
            <svg class="chain-tree" width={width.to_string()} height={height.to_string()}
                role="img" aria-label={lang.t(W::Chain)}>
                { for links }
                { for blocks }
            </svg>
        </div>
    }
}

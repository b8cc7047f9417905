//! Single-decree Paxos in the catalogue: its names, its parameters (who proposes what with
//! which first number, who accepts, backoffs and timeouts), its presets.

use super::{Paxos, ProposerConfig};
use crate::algorithm::{
    micros, outside, read, span, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS,
};
use crate::consensus::{node, range};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;
use std::collections::BTreeSet;

pub struct Entry;

/// Longest node name: it is drawn under the node.
const MAX_NAME: usize = 12;
/// Largest proposal number or stride a scenario may start with: far from overflow however long
/// proposers duel.
const MAX_NUMBER: u64 = 1_000_000_000;

fn names(names: Vec<String>, cluster: Cluster) -> Result<Vec<String>, ParamError> {
    if names.len() > cluster.nodes {
        return Err(ParamError::new(
            "params.names",
            format!("has {} names for {} nodes", names.len(), cluster.nodes),
            format!(
                "给出了 {} 个名称，但只有 {} 个节点",
                names.len(),
                cluster.nodes
            ),
        ));
    }
    if let Some(n) = names.iter().find(|n| n.chars().count() > MAX_NAME) {
        return Err(ParamError::name_too_long("params.names", n, MAX_NAME));
    }
    Ok(names)
}

/// The acceptors: the listed nodes, or every node.
fn acceptors(list: Option<Vec<NodeId>>, cluster: Cluster) -> Result<Vec<NodeId>, ParamError> {
    let Some(list) = list else {
        return Ok((0..cluster.nodes).map(NodeId::from_index).collect());
    };
    let mut set = BTreeSet::new();
    for (i, a) in list.into_iter().enumerate() {
        let a = node(&format!("params.acceptors[{i}]"), a, cluster)?;
        if !set.insert(a) {
            return Err(ParamError::new(
                "params.acceptors",
                format!("lists node {a} twice"),
                format!("把节点 {a} 列了两次"),
            ));
        }
    }
    if set.is_empty() {
        return Err(ParamError::new(
            "params.acceptors",
            "is empty; Paxos needs at least one acceptor",
            "为空：至少需要一个接受者",
        ));
    }
    Ok(set.into_iter().collect())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposerParams {
    node: NodeId,
    /// The value it proposes if no acceptor has accepted one.
    value: u64,
    /// Its first proposal number.
    n: u64,
    /// When it starts on its own; absent: only when told to (`propose`).
    #[serde(default)]
    start_ms: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaxosParams {
    #[serde(default = "default_proposers")]
    proposers: Vec<ProposerParams>,
    /// Absent: every node accepts.
    #[serde(default)]
    acceptors: Option<Vec<NodeId>>,
    #[serde(default = "default_stride")]
    stride: u64,
    #[serde(default = "default_backoff")]
    backoff_ms: [f64; 2],
    #[serde(default = "default_round_timeout")]
    round_timeout_ms: f64,
    #[serde(default)]
    names: Vec<String>,
    /// Bugs to switch on ([`super::BUGS`]).
    #[serde(default)]
    forget_promise_on_crash: bool,
    #[serde(default)]
    ignore_accepted_value: bool,
}

fn default_proposers() -> Vec<ProposerParams> {
    vec![ProposerParams {
        node: NodeId::from_index(0),
        value: 1,
        n: 1,
        start_ms: Some(0.0),
    }]
}

fn default_stride() -> u64 {
    10
}

fn default_backoff() -> [f64; 2] {
    [20.0, 60.0]
}

fn default_round_timeout() -> f64 {
    200.0
}

impl Algorithm for Entry {
    type Protocol = Paxos;
    const ID: &'static str = "paxos";
    const FAMILY: &'static str = "consensus";
    const NAME: Text = Text::new("Paxos (single decree)", "Paxos（单值）");
    const HOW: Text = Text::new(
        "A proposer sends Prepare(n) to the acceptors; each promises to accept nothing numbered \
         below n and returns the highest proposal it has accepted. With promises from a majority, \
         the proposer sends Accept [n, v], where v is the value of the highest accepted proposal \
         among them, or its own if there is none. A value accepted by a majority is chosen, and \
         never another.",
        "提议者向接受者发送 Prepare(n)；接受者承诺不再接受序号小于 n 的提议，并返回它已接受过的\
         最大序号的提议。收到多数接受者的承诺后，提议者发送 Accept [n, v]，其中 v 取这些响应中序号最大的\
         已接受提议的值，若没有则用自己的值。被多数接受者接受的值即被选定，且不会再选出别的值。",
    );
    const BUGS: &'static [crate::algorithm::Bug] = super::BUGS;
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/paxos-seed.json"),
        include_str!("presets/paxos-duelling-proposers.json"),
        include_str!("presets/paxos-minority-down.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/paxos-worked-example.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Paxos, ParamError> {
        let p: PaxosParams = read(params)?;
        if !(2..=MAX_NUMBER).contains(&p.stride) {
            return Err(outside("params.stride", p.stride, 2, MAX_NUMBER));
        }
        if p.proposers.is_empty() {
            return Err(ParamError::new(
                "params.proposers",
                "is empty; somebody has to propose",
                "为空：总要有节点提出提案",
            ));
        }
        let mut proposers: Vec<ProposerConfig> = Vec::new();
        for (i, q) in p.proposers.into_iter().enumerate() {
            let what = format!("params.proposers[{i}]");
            let id = node(&format!("{what}.node"), q.node, cluster)?;
            if !(1..=MAX_NUMBER).contains(&q.n) {
                return Err(ParamError::new(
                    format!("{what}.n"),
                    format!("is {}; a proposal number is 1 to {MAX_NUMBER}", q.n),
                    format!("为 {}，提案编号须在 1 到 {MAX_NUMBER} 之间", q.n),
                ));
            }
            if let Some(other) = proposers.iter().find(|o| o.node == id) {
                return Err(ParamError::new(
                    &what,
                    format!("makes node {} a proposer twice", other.node),
                    format!("再次把节点 {} 设为提议者", other.node),
                ));
            }
            if let Some(other) = proposers
                .iter()
                .find(|o| o.first % p.stride == q.n % p.stride)
            {
                return Err(ParamError::new(
                    format!("{what}.n"),
                    format!(
                        "is {}, which leaves the same remainder modulo the stride {} as node \
                         {}'s {}: their proposal numbers could collide",
                        q.n, p.stride, other.node, other.first
                    ),
                    format!(
                        "为 {}，除以步长 {} 的余数与节点 {} 的初始编号 {} 相同：两者的提案编号可能冲突",
                        q.n, p.stride, other.node, other.first
                    ),
                ));
            }
            let start = q
                .start_ms
                .map(|ms| micros(&format!("{what}.start_ms"), ms, MAX_SPAN_MS))
                .transpose()?;
            proposers.push(ProposerConfig {
                node: id,
                value: q.value,
                first: q.n,
                start,
            });
        }
        Ok(Paxos {
            proposers,
            acceptors: acceptors(p.acceptors, cluster)?,
            stride: p.stride,
            backoff: range("params.backoff_ms", p.backoff_ms)?,
            round_timeout: span("params.round_timeout_ms", p.round_timeout_ms)?,
            names: names(p.names, cluster)?,
            forget_promise_on_crash: p.forget_promise_on_crash,
            ignore_accepted_value: p.ignore_accepted_value,
        })
    }
}

//! # clusterplay-view
//!
//! What people see of a run, apart from the engine: the engine and the explorer need only an
//! algorithm's [`Protocol`] (its handlers, invariants and symmetry); the page and the command
//! line also need its [`Present`]ation: how each node is drawn, the legend of its roles, the
//! layout, the commands a node offers, its log or block tree, and the outcome of the run.
//! Each algorithm implements both in its own folder.
//!
//! The [`erased`] module runs every algorithm through one engine type, so that the page's
//! download holds the engine once.

pub mod erased;

use clusterplay_sim::{
    Engine, MessageRecord, MsgId, NodeId, NodeSlot, Observed, Protocol, Scheduler, StatusChange,
    Time,
};
use serde::{Deserialize, Serialize};

/// How the page should draw one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeView {
    /// Role key, one of the protocol's [`Present::roles`]: it picks colour, shape and legend.
    pub role: &'static str,
    /// A few characters under the node ("ts 8", "queue 2").
    pub label: String,
    /// Pictograms, such as "cup" for the holder of the coffee machine or "token".
    pub badges: Vec<&'static str>,
    /// Everything the inspector lists: field name and value.
    pub fields: Vec<(&'static str, String)>,
}

/// A replicated log as the inspector draws it: a row of cells coloured by term (or ballot),
/// with the committed prefix marked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogView {
    pub cells: Vec<LogCell>,
    /// How many cells from the left are committed.
    pub committed: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogCell {
    /// What picks the colour: the entry's term, epoch or ballot.
    pub term: u64,
    /// A few characters inside the cell ("x=1").
    pub text: String,
}

/// A block tree as the inspector draws it: the recent blocks one node knows, with the chain it
/// follows marked, so forks show as side branches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChainView {
    /// Parents before children; `parent` is `None` only for the oldest block shown.
    pub blocks: Vec<ChainBlock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainBlock {
    pub id: String,
    pub parent: Option<String>,
    pub height: u64,
    /// The node that made it (0: genesis); picks the colour.
    pub maker: u32,
    /// On the chain this node follows.
    pub main: bool,
}

/// The key under which a protocol's outcome lists its [`Highlight`]s.
pub const HIGHLIGHT_KEY: &str = "highlight";

/// A stretch of one node's time line that explains a finding: the read that returned a value
/// it could not have seen, the write it contradicts. A protocol's `outcome` lists them under
/// [`HIGHLIGHT_KEY`]; the page marks them on the space-time diagram, with their messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub node: NodeId,
    pub from: Time,
    /// `None` while the stretch is still open (an operation not yet answered).
    pub to: Option<Time>,
    /// A few characters drawn beside the mark ("read 0").
    pub label: String,
    /// The messages that carried it.
    pub messages: Vec<MsgId>,
}

/// How the nodes are arranged on the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Layout {
    /// Evenly on a circle.
    Circle,
    /// On a circle, drawn with the ring's direction.
    Ring,
    /// One node in the middle, the rest around it.
    Star { center: NodeId },
    /// Local rings, each led by its first member, whose leaders form a global ring.
    TwoRings { groups: Vec<Vec<NodeId>> },
}

/// Everything [`Present::outcome`] may look at: the whole run so far.
pub struct RunView<'a, P: Protocol> {
    pub nodes: &'a [NodeSlot<P::State>],
    pub observations: &'a [Observed<P::Observation>],
    /// Every message sent so far, in send order.
    pub messages: &'a [MessageRecord<P::Msg>],
    /// Every crash and recovery so far, in order.
    pub status: &'a [StatusChange],
    pub now: Time,
}

/// How an algorithm shows itself: what the page draws and the command line prints.
pub trait Present: Protocol {
    /// How node `id` is drawn now.
    fn view(&self, id: NodeId, state: &Self::State) -> NodeView;

    /// The role keys `view` uses, with their legend names (English, Simplified Chinese).
    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)];

    fn layout(&self, nodes: usize) -> Layout {
        let _ = nodes;
        Layout::Circle
    }

    /// The commands a node offers in its menu right now.
    fn commands(&self, id: NodeId, state: &Self::State) -> Vec<Self::Command> {
        let _ = (id, state);
        Vec::new()
    }

    /// The node's replicated log, for protocols that keep one.
    fn log_view(&self, _id: NodeId, _state: &Self::State) -> Option<LogView> {
        None
    }

    /// The node's block tree, for protocols that keep one.
    fn chain_view(&self, _id: NodeId, _state: &Self::State) -> Option<ChainView> {
        None
    }

    /// What the run achieved, as a JSON object for the command line and the metrics panel.
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value;
}

/// The run of an engine as [`Present::outcome`] sees it, and that outcome.
pub trait RunOf {
    type P: Protocol;
    fn run_view(&self) -> RunView<'_, Self::P>;
    fn outcome(&self) -> serde_json::Value
    where
        Self::P: Present;
}

impl<P: Protocol, S: Scheduler> RunOf for Engine<P, S> {
    type P = P;
    fn run_view(&self) -> RunView<'_, P> {
        RunView {
            nodes: self.world().nodes(),
            observations: &self.trace().observations,
            messages: &self.trace().messages,
            status: &self.trace().status,
            now: self.now(),
        }
    }
    fn outcome(&self) -> serde_json::Value
    where
        P: Present,
    {
        self.protocol().outcome(&self.run_view())
    }
}

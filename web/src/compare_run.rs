//! A comparison on the page (issue 20): two runs of one scenario, side by side, on one clock.
//!
//! The page's state keeps the left run where it keeps any run ([`AppState::sim`]), so that
//! everything that reads one run (the controls, the animation loop, the share button) works on
//! a comparison unchanged; the right run and what names the two sides live here. Moving the
//! clock moves both runs (`AppState::seek`); a step runs the earlier of the two next events;
//! a learner's action on a node or the network applies to both sides or to neither, and one on
//! a message to the side whose message it is.
//!
//! [`AppState::sim`]: crate::state::AppState::sim

use crate::state::SharedSim;
use clusterplay_scenario::compare::{compare_preset, Comparison, Side, Which, VERSION};
use clusterplay_scenario::presets::Words;
use clusterplay_scenario::{Act, Simulation};
use std::rc::Rc;

#[derive(Clone)]
pub struct CompareRun {
    /// The compare preset it started from, if any.
    pub id: Option<String>,
    pub title: Words,
    pub caption: Words,
    pub labels: [Words; 2],
    /// The right side's run (the left's is the page's run).
    pub right: SharedSim,
    /// The side the selection is on: the inspector reads it, and an action on a message goes
    /// to it.
    pub side: Which,
}

impl PartialEq for CompareRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.right, &other.right)
            && self.side == other.side
            && self.id == other.id
            && self.title == other.title
    }
}

impl CompareRun {
    pub fn new(comparison: &Comparison, id: Option<String>, right: Box<dyn Simulation>) -> Self {
        CompareRun {
            id,
            title: comparison.title.clone(),
            caption: comparison.caption.clone(),
            labels: [
                comparison.left.label.clone(),
                comparison.right.label.clone(),
            ],
            right: Rc::new(std::cell::RefCell::new(right)),
            side: Which::Left,
        }
    }

    pub fn label(&self, which: Which) -> &Words {
        match which {
            Which::Left => &self.labels[0],
            Which::Right => &self.labels[1],
        }
    }

    /// The comparison as it stands: both scenarios with the learner's actions so far.
    pub fn comparison(&self, left: &dyn Simulation) -> Comparison {
        Comparison {
            v: VERSION,
            title: self.title.clone(),
            caption: self.caption.clone(),
            left: Side {
                label: self.labels[0].clone(),
                scenario: left.scenario().clone(),
            },
            right: Side {
                label: self.labels[1].clone(),
                scenario: self.right.borrow().scenario().clone(),
            },
        }
    }

    /// The compare preset it is, unchanged: its address can be the short `compare=ID`.
    pub fn unchanged_preset(&self, left: &dyn Simulation) -> Option<&str> {
        let id = self.id.as_deref()?;
        let preset = compare_preset(id).ok()?;
        (preset.comparison == self.comparison(left)).then_some(id)
    }
}

/// Whether `act` is about one message, which exists on one side only.
pub fn on_a_message(act: &Act) -> bool {
    matches!(
        act,
        Act::Drop { .. } | Act::Delay { .. } | Act::Deliver { .. } | Act::Duplicate { .. }
    )
}

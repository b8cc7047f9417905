//! A lesson being taken on the page: which stop comes next and where it falls in the run, what
//! the learner answered, and whether the task they were given is done. The run itself is the
//! page's; this only reads it (`clusterplay_scenario::lesson` replays the scenario to find a
//! stop or read an answer, which gives exactly the run the page shows).

use clusterplay_scenario::lesson::{answer, locate, same, Found, Lesson};
use clusterplay_scenario::{Act, Simulation};
use std::collections::BTreeSet;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// Playing towards the next stop, which falls there.
    Heading(Found),
    /// Paused at the stop: its narration, its question.
    At,
    /// The stop's task is shown; the lesson waits until the learner does it.
    Acting,
    /// They did: what it caused is told, and the lesson plays on when they go next.
    Acted,
    /// The next stop never happens in the run the learner made.
    Lost,
    /// Every stop is behind: the score.
    Done,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    pub lesson: Rc<Lesson>,
    /// The stop the lesson is at or heading to (zero-based).
    pub stop: usize,
    pub phase: Phase,
    /// Per stop with a question: the choice the learner made first, and whether it was right.
    pub answers: Vec<Option<(usize, bool)>>,
    /// The choice the run makes right at the current stop.
    pub truth: Option<usize>,
    /// Nodes the current stop points at: its own list and the node its event happened at.
    pub highlight: BTreeSet<u32>,
    /// Messages the stop's event delivered or sent.
    pub messages: BTreeSet<clusterplay_sim::MsgId>,
    /// Events run when the last stop was reached: the next stop is the first match after
    /// them, even if the page has since run on (a learner's action applies at once).
    pub from: u64,
    /// Per stop: where the run reached it, and whether its task was done there.
    pub reached: Vec<Option<Found>>,
    pub acted: Vec<bool>,
}

impl LessonRun {
    /// Start `lesson` on `sim`, freshly loaded with the lesson's scenario.
    pub fn begin(lesson: Rc<Lesson>, sim: &dyn Simulation) -> LessonRun {
        let stops = lesson.stops.len();
        let mut run = LessonRun {
            lesson,
            stop: 0,
            phase: Phase::Lost,
            answers: vec![None; stops],
            truth: None,
            highlight: BTreeSet::new(),
            messages: BTreeSet::new(),
            from: sim.events(),
            reached: vec![None; stops],
            acted: vec![false; stops],
        };
        run.head(sim);
        run
    }

    /// Find where the current stop falls after what `sim` has run.
    fn head(&mut self, sim: &dyn Simulation) {
        let Some(stop) = self.lesson.stops.get(self.stop) else {
            self.phase = Phase::Done;
            return;
        };
        self.truth = None;
        self.highlight.clear();
        self.messages.clear();
        self.phase = match locate(sim.scenario(), self.from, &stop.when) {
            Ok(Some(found)) => Phase::Heading(found),
            _ => Phase::Lost,
        };
    }

    /// Where the run must pause next, if the lesson is heading there.
    pub fn pause_at(&self) -> Option<Found> {
        match self.phase {
            Phase::Heading(found) => Some(found),
            _ => None,
        }
    }

    /// The run has reached the stop it was heading to: read the answer, point at its nodes.
    pub fn arrive(&mut self, sim: &dyn Simulation) {
        let Phase::Heading(found) = self.phase else {
            return;
        };
        let stop = &self.lesson.stops[self.stop];
        self.phase = Phase::At;
        self.from = found.events();
        self.reached[self.stop] = Some(found);
        self.highlight = stop.highlight.iter().copied().collect();
        if let Some(line) = found.event.and_then(|i| sim.log(i, i + 1).pop()) {
            // The nodes' start-up is everyone's event: nothing to point at.
            if !matches!(stop.when, clusterplay_scenario::lesson::Anchor::Start) {
                self.highlight.extend(line.node);
                self.messages.extend(line.msg);
                self.messages.extend(line.sent);
            }
        }
        self.truth = stop.ask.as_ref().and_then(|q| {
            let value = answer(sim.scenario(), found.events(), &q.answer).ok()??;
            q.options(sim.cluster().nodes.len())
                .iter()
                .position(|(v, _)| same(v, &value))
        });
    }

    /// The learner picks choice `i`: the first pick counts.
    pub fn answer(&mut self, i: usize) {
        if self.phase != Phase::At {
            return;
        }
        let Some(slot) = self.answers.get_mut(self.stop) else {
            return;
        };
        if slot.is_none() {
            *slot = Some((i, self.truth == Some(i)));
        }
    }

    pub fn answered(&self) -> Option<(usize, bool)> {
        self.answers.get(self.stop).copied().flatten()
    }

    /// Go on: to the stop's task if it has one not done yet, else towards the next stop.
    /// Whether the run should play.
    pub fn next(&mut self, sim: &dyn Simulation) -> bool {
        match self.phase {
            Phase::At if self.lesson.stops[self.stop].act.is_some() => {
                self.phase = Phase::Acting;
                false
            }
            Phase::At | Phase::Acted => {
                self.stop += 1;
                self.head(sim);
                matches!(self.phase, Phase::Heading(_))
            }
            _ => false,
        }
    }

    /// The learner did `act` on `sim` (as it was before): the task is done if it asked for
    /// that.
    pub fn acting(&mut self, act: &Act, sim: &dyn Simulation) {
        if self.phase == Phase::Acting {
            let task = self.lesson.stops[self.stop].act.as_ref();
            if task.is_some_and(|t| t.expect.matches(act, sim)) {
                self.phase = Phase::Acted;
                self.acted[self.stop] = true;
            }
        }
    }

    /// The run changed under the lesson (the learner acted): find the next stop again.
    pub fn rehead(&mut self, sim: &dyn Simulation) {
        if matches!(self.phase, Phase::Heading(_)) {
            self.head(sim);
        }
    }

    /// The stop Back returns to and where the run was then: the one before (the last one
    /// once the lesson is done), unless a task done since changed the run, which stepping back
    /// cannot undo.
    pub fn back_to(&self) -> Option<(usize, Found)> {
        let target = match self.phase {
            Phase::Done => self.lesson.stops.len().checked_sub(1)?,
            _ => self.stop.checked_sub(1)?,
        };
        let last = self.stop.min(self.lesson.stops.len() - 1);
        if self.acted[target..=last].iter().any(|&a| a) {
            return None;
        }
        Some((target, self.reached[target]?))
    }

    /// Back at stop `target`, reached at `found` again (the page has stepped the run back).
    pub fn back(&mut self, target: usize, found: Found, sim: &dyn Simulation) {
        self.stop = target;
        self.phase = Phase::Heading(found);
        self.arrive(sim);
    }

    /// Right answers, questions answered, questions in the lesson.
    pub fn score(&self) -> (usize, usize, usize) {
        let right = self.answers.iter().flatten().filter(|(_, r)| *r).count();
        let answered = self.answers.iter().flatten().count();
        let asked = self.lesson.stops.iter().filter(|s| s.ask.is_some()).count();
        (right, answered, asked)
    }
}

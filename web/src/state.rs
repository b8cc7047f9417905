//! App state and the actions that change it, for `use_reducer`.
//!
//! The live [`Simulation`] is always at the playhead: playing runs it forward, stepping back
//! and seeking backwards cut it back with `truncate` and run it forward again, and a learner's
//! action is scheduled at the playhead and recorded in the scenario. The reducer drives the
//! simulation (which sits behind a shared `RefCell`) and returns a new state whose counters say
//! what changed; side effects on the browser (the URL, `localStorage`, `<html lang>`) happen in
//! the components, keyed on those counters.

use crate::catalogue::load;
use crate::compare_run::{on_a_message, CompareRun};
use crate::geometry::{ms_to_time, virtual_span};
use crate::i18n::Lang;
use crate::lesson_run::LessonRun;
use clusterplay_scenario::compare::{Comparison, Which};
use clusterplay_scenario::lesson::Lesson;
use clusterplay_scenario::{link, preset, presets, Act, Scenario, ScenarioError, Simulation};
use clusterplay_sim::{MsgId, Time};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;
use yew::Reducible;

/// The scenario shown when there is no link and nothing saved, or the link is broken.
pub use clusterplay_scenario::DEFAULT_PRESET;
/// Events one animation frame may run: a runaway protocol never freezes the tab.
pub const FRAME_EVENT_CAP: u64 = 20_000;
/// Events one run keeps on the page: its log, checkpoints and messages cost from about 400
/// bytes an event (five nodes) to about 1 KB (101 nodes, whose checkpoints are large), so at
/// most about 120 MB of wasm memory (measured: 101-node Raft, 250 000 events, 243 MB). An hour
/// of chaos at 10× on five Raft nodes stays below it; a long run of many nodes reaches it,
/// stops there and says so (`W::RunFull`).
pub const PAGE_EVENT_CAP: u64 = 120_000;
/// While playing, the report is read again at most this often (real milliseconds).
pub const REPORT_EVERY_MS: f64 = 100.0;
/// Events one seek may run.
pub const SEEK_EVENT_CAP: u64 = 1_000_000;
/// How long "delay" holds a message back.
pub const DELAY_MS: f64 = 20.0;

pub type SharedSim = Rc<RefCell<Box<dyn Simulation>>>;

/// What the inspector shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    None,
    Node(u32),
    Message(MsgId),
    /// An event of the run, by index.
    Event(u64),
}

#[derive(Clone)]
pub struct AppState {
    pub lang: Lang,
    pub sim: SharedSim,
    /// Virtual time shown; the simulation has run every event at or before it.
    pub playhead: Time,
    pub playing: bool,
    /// 0.1 to 10; 1 is 10 virtual ms per real second.
    pub speed: f64,
    pub selection: Selection,
    /// Nodes picked for a partition.
    pub marked: BTreeSet<u32>,
    /// Why the link could not be opened (shown over the default scenario).
    pub error: Option<ScenarioError>,
    /// Why a compare link could not be opened (shown as `error` is).
    pub compare_error: Option<clusterplay_scenario::compare::CompareError>,
    /// The broken link came while a scenario was open, which stayed (rather than at start,
    /// where the default took its place).
    pub error_kept_current: bool,
    /// Why the learner's last action was refused.
    pub notice: Option<String>,
    /// Why the last change of settings was refused (the settings panel shows it).
    pub settings_error: Option<String>,
    /// The system asks for reduced motion: playing moves in visible steps, not a glide.
    pub reduced_motion: bool,
    /// The preset the scenario started from, if any.
    pub preset: Option<String>,
    /// Embed mode: only the cluster and minimal controls.
    pub embed: bool,
    /// Bumped whenever anything drawn may have changed.
    pub frame: u64,
    /// Bumped whenever the scenario itself changed (the URL and storage follow it).
    pub scenario_rev: u64,
    /// Bumped when the report (metrics, violations, outcome) should be read again: after any
    /// change, but while playing at most every [`REPORT_EVERY_MS`] of real time, because a long
    /// run's report costs a few milliseconds and a reader cannot tell it from every frame.
    pub report_rev: u64,
    /// Real milliseconds played since the report was last due.
    report_wait: f64,
    /// Events the run may hold ([`PAGE_EVENT_CAP`]; tests set less).
    pub event_cap: u64,
    /// The run reached `event_cap`: it stops there and the page says why.
    pub full: bool,
    /// Real milliseconds played since `playhead` that the animation loop has not handed over
    /// yet: between two events the page is not re-rendered (`hooks/use_animation.rs`). Any
    /// action first plays them, so that what the learner does happens when they saw it.
    pub unplayed: Rc<Cell<f64>>,
    /// The lesson being taken, if any (`lesson_run.rs`).
    pub lesson: Option<Rc<LessonRun>>,
    /// The comparison shown, if any (`compare_run.rs`): `sim` is then its left side.
    pub compare: Option<Rc<CompareRun>>,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("lang", &self.lang)
            .field("playhead", &self.playhead)
            .field("playing", &self.playing)
            .field("frame", &self.frame)
            .field("scenario_rev", &self.scenario_rev)
            .finish_non_exhaustive()
    }
}

/// Every field counts; the run itself by identity (it is shared, and `frame` says when what it
/// shows changed). Destructured so that a new field cannot be forgotten here.
impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        let AppState {
            lang,
            sim,
            playhead,
            playing,
            speed,
            selection,
            marked,
            error,
            compare_error,
            error_kept_current,
            notice,
            settings_error,
            reduced_motion,
            preset,
            embed,
            frame,
            scenario_rev,
            report_rev,
            report_wait: _,
            event_cap,
            full,
            unplayed: _,
            lesson,
            compare,
        } = self;
        Rc::ptr_eq(sim, &other.sim)
            && *frame == other.frame
            && *scenario_rev == other.scenario_rev
            && *report_rev == other.report_rev
            && *event_cap == other.event_cap
            && *full == other.full
            && *lang == other.lang
            && *playhead == other.playhead
            && *playing == other.playing
            && *speed == other.speed
            && *selection == other.selection
            && *marked == other.marked
            && *error == other.error
            && *compare_error == other.compare_error
            && *error_kept_current == other.error_kept_current
            && *notice == other.notice
            && *settings_error == other.settings_error
            && *reduced_motion == other.reduced_motion
            && *preset == other.preset
            && *embed == other.embed
            && *lesson == other.lesson
            && *compare == other.compare
    }
}

/// Where the first scenario comes from.
pub struct Boot<'a> {
    /// `location.hash` without `#`.
    pub hash: &'a str,
    /// The scenario JSON saved in `localStorage`.
    pub saved: Option<&'a str>,
}

/// The default scenario, started.
fn default_sim() -> (Box<dyn Simulation>, Option<String>) {
    let candidates = preset(DEFAULT_PRESET)
        .into_iter()
        .chain(presets().iter())
        .map(|p| (p.scenario.clone(), Some(p.id.clone())))
        .chain(std::iter::once((Scenario::new("mutex-ra", 3), None)));
    for (scenario, id) in candidates {
        if let Ok(sim) = load(&scenario) {
            return (sim, id);
        }
    }
    // Every compiled-in preset is loaded by the tests; reaching this means a broken build.
    unreachable!("no built-in scenario loads")
}

/// The preset `scenario` was made from: equal to it, or it plus the learner's actions.
pub fn preset_of(scenario: &Scenario) -> Option<String> {
    presets()
        .iter()
        .find(|p| {
            let mut base = scenario.clone();
            base.timeline.truncate(p.scenario.timeline.len());
            base == p.scenario
        })
        .map(|p| p.id.clone())
}

impl AppState {
    /// The default scenario, in `lang`.
    pub fn new(lang: Lang) -> Self {
        Self::boot(
            lang,
            Boot {
                hash: "",
                saved: None,
            },
        )
    }

    /// Start from a link if there is one (a broken link: its error over the default), else
    /// from the saved scenario if it still loads, else from the default.
    pub fn boot(lang: Lang, from: Boot<'_>) -> Self {
        let embed = crate::browser::is_embed(from.hash);
        let mut error = None;
        let mut chosen: Option<Box<dyn Simulation>> = None;
        let mut view = None;
        if let Some(linked) = crate::browser::scenario_in(from.hash) {
            match linked.and_then(|s| load(&s)) {
                Ok(sim) => {
                    chosen = Some(sim);
                    view = Some(crate::browser::view_of(from.hash));
                }
                Err(e) => error = Some(e),
            }
        } else if let Some(saved) = from.saved {
            chosen = link::from_json(saved.as_bytes())
                .and_then(|s| load(&s))
                .ok();
        }
        let (sim, preset) = match chosen {
            Some(sim) => {
                let preset = preset_of(sim.scenario());
                (sim, preset)
            }
            None => default_sim(),
        };
        let mut state = AppState {
            lang,
            sim: Rc::new(RefCell::new(sim)),
            playhead: 0,
            playing: false,
            speed: 1.0,
            selection: Selection::None,
            marked: BTreeSet::new(),
            error,
            compare_error: None,
            error_kept_current: false,
            notice: None,
            settings_error: None,
            reduced_motion: false,
            preset,
            embed,
            frame: 0,
            scenario_rev: 0,
            report_rev: 0,
            report_wait: 0.0,
            event_cap: PAGE_EVENT_CAP,
            full: false,
            unplayed: Rc::default(),
            lesson: None,
            compare: None,
        };
        if let Some(view) = view {
            state.apply_view(view);
        }
        if crate::browser::asks_for_compare(from.hash) {
            return (*Rc::new(state).apply(Action::OpenLink(from.hash.to_owned()))).clone();
        }
        match crate::browser::lesson_in(from.hash) {
            Some(Ok(lesson)) => {
                (*Rc::new(state).apply(Action::OpenLesson(Rc::new(lesson)))).clone()
            }
            Some(Err(e)) => {
                state.notice = Some(lang.lesson_error(&e));
                state
            }
            None => state,
        }
    }

    /// The time on screen: the playhead, and while playing what the animation loop has
    /// played since the last render.
    pub fn shown_time(&self) -> Time {
        if self.playing {
            self.playhead
                .saturating_add(virtual_span(self.unplayed.get(), self.speed))
                .min(self.until())
        } else {
            self.playhead
        }
    }

    /// Open as a link's [`View`](crate::browser::View) asks: at its time, speed, playing.
    fn apply_view(&mut self, view: crate::browser::View) {
        if let Some(speed) = view.speed {
            self.speed = speed;
        }
        if let Some(t) = view.t_ms {
            self.seek(ms_to_time(t), SEEK_EVENT_CAP);
        }
        if view.autoplay && self.playhead < self.until() && !self.full {
            self.playing = true;
        }
    }

    /// The end of the run, in engine time.
    pub fn until(&self) -> Time {
        ms_to_time(self.sim.borrow().scenario().until_ms)
    }

    pub fn scenario(&self) -> Scenario {
        self.sim.borrow().scenario().clone()
    }

    fn changed(&self) -> Self {
        let mut next = self.clone();
        next.frame += 1;
        next.report_rev += 1;
        next.report_wait = 0.0;
        next
    }

    /// Start `scenario` afresh (a new scenario: the URL follows).
    fn start(&self, scenario: &Scenario, preset: Option<String>) -> Self {
        let mut next = self.changed();
        match load(scenario) {
            Ok(sim) => next.fresh(sim, preset, None),
            Err(e) => next.notice = Some(self.lang.scenario_error(&e)),
        }
        next
    }

    /// A new run (or comparison, `sim` its left side) at its start, nothing selected.
    fn fresh(
        &mut self,
        sim: Box<dyn Simulation>,
        preset: Option<String>,
        compare: Option<Rc<CompareRun>>,
    ) {
        self.sim = Rc::new(RefCell::new(sim));
        self.compare = compare;
        self.playhead = 0;
        self.playing = false;
        self.full = false;
        self.selection = Selection::None;
        self.marked.clear();
        self.preset = preset;
        self.notice = None;
        self.scenario_rev += 1;
        self.lesson = None;
    }

    /// Show `comparison` from its start (`id`: the compare preset it is); one that does not
    /// load leaves everything as it was and says why.
    fn start_compare(&self, comparison: &Comparison, id: Option<String>) -> Self {
        // A link that carries a compare preset whole is that preset (its picker entry).
        let id = id.or_else(|| {
            clusterplay_scenario::compare_presets()
                .iter()
                .find(|p| p.comparison == *comparison)
                .map(|p| p.id.to_owned())
        });
        let mut next = self.changed();
        match comparison.load() {
            Ok([left, right]) => {
                let compare = CompareRun::new(comparison, id, right);
                next.fresh(left, None, Some(Rc::new(compare)));
            }
            Err(e) => next.notice = Some(self.lang.compare_error(&e)),
        }
        next
    }

    /// Every run on the page: one, or a comparison's two (left first).
    pub fn runs(&self) -> Vec<SharedSim> {
        std::iter::once(self.sim.clone())
            .chain(self.compare.as_ref().map(|c| c.right.clone()))
            .collect()
    }

    /// The run the selection is on.
    pub fn selected_run(&self) -> SharedSim {
        match &self.compare {
            Some(c) if c.side == Which::Right => c.right.clone(),
            _ => self.sim.clone(),
        }
    }

    /// When the next event of any run on the page happens.
    pub fn next_time(&self) -> Option<Time> {
        self.runs()
            .iter()
            .filter_map(|r| r.borrow().next_time())
            .min()
    }

    /// The comparison as it stands, learner's actions included.
    pub fn comparison(&self) -> Option<Comparison> {
        let compare = self.compare.as_ref()?;
        Some(compare.comparison(self.sim.borrow().as_ref()))
    }

    /// The preset `scenario` comes from: the one it is (or it plus actions), else the one the
    /// page showed if `scenario` is an edit of it (the same algorithm), so that its caption
    /// stays, with what changed.
    fn origin(&self, scenario: &Scenario) -> Option<String> {
        preset_of(scenario).or_else(|| {
            self.preset
                .clone()
                .filter(|id| preset(id).is_ok_and(|p| p.scenario.protocol == scenario.protocol))
        })
    }

    /// Start `scenario` (changed settings, or one sent by a course page) and bring it to where
    /// the playhead was; a scenario that does not load leaves everything as it was.
    fn reconfigure(&self, scenario: &Scenario) -> Self {
        let preset = self.origin(scenario);
        let mut next = self.start(scenario, preset);
        if next.notice.is_some() && Rc::ptr_eq(&next.sim, &self.sim) {
            next.settings_error = next.notice.take();
            return next;
        }
        next.settings_error = None;
        next.seek(self.playhead, SEEK_EVENT_CAP);
        next
    }

    /// Move the playhead to `t`, running or cutting back the simulation to match; `cap`
    /// bounds the events this one move may run, `event_cap` the events the run may hold.
    /// Whether moving the playhead to `target` reaches the lesson's next stop; if so the run
    /// goes exactly to it (the event it anchors to, and none after) and pauses there.
    fn reaches_stop(&mut self, target: Time) -> bool {
        let Some(found) = self.lesson.as_ref().and_then(|l| l.pause_at()) else {
            return false;
        };
        if target < found.time {
            return false;
        }
        self.seek(found.time.saturating_sub(1), SEEK_EVENT_CAP);
        {
            let mut sim = self.sim.borrow_mut();
            while sim.events() < found.events() && sim.step().is_some() {}
        }
        self.playhead = found.time;
        self.arrive_if_there();
        true
    }

    /// Pause at the lesson's next stop if the run has got there.
    fn arrive_if_there(&mut self) {
        let Some(lesson) = &self.lesson else {
            return;
        };
        let Some(found) = lesson.pause_at() else {
            return;
        };
        let there = {
            let sim = self.sim.borrow();
            sim.events() >= found.events() && self.playhead >= found.time
        };
        if there {
            // Run on past the stop's event at the same instant (the learner's action applies
            // at once, with whatever it causes then): back to just after it.
            if self.playhead == found.time {
                let mut sim = self.sim.borrow_mut();
                if sim.events() > found.events() {
                    sim.truncate(found.events());
                }
            }
            let mut lesson = (**lesson).clone();
            lesson.arrive(self.sim.borrow().as_ref());
            self.lesson = Some(Rc::new(lesson));
            self.playing = false;
        }
    }

    fn seek(&mut self, t: Time, cap: u64) {
        let t = t.min(self.until());
        self.full = false;
        self.playhead = t;
        // A comparison's two runs move together: the playhead is where both have got to.
        for run in self.runs() {
            let mut sim = run.borrow_mut();
            if t < sim.now() {
                let keep = sim.last_event_at_or_before(t).map_or(0, |i| i + 1);
                sim.truncate(keep);
            }
            let room = self.event_cap.saturating_sub(sim.events());
            let ran = sim.run_until(t, cap.min(room));
            if ran >= cap.min(room) {
                self.playhead = self.playhead.min(sim.now());
            }
            self.full |= ran >= room && sim.next_time().is_some_and(|next| next <= t);
        }
        if self.full {
            self.playing = false;
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SetLang(Lang),
    /// Open a preset.
    OpenPreset(String),
    /// Real milliseconds since the last animation frame.
    Tick(f64),
    TogglePlay,
    /// Play (from the start when the run is over); nothing if already playing.
    Play,
    Pause,
    Step,
    StepBack,
    Seek(Time),
    SetSpeed(f64),
    Select(Selection),
    /// Select on one side of a comparison (on a single run, the same as `Select`).
    SelectOn(Which, Selection),
    /// Open a compare preset.
    OpenCompare(String),
    /// A comparison from elsewhere (a course page): show it from its start.
    LoadCompare(Box<Comparison>),
    /// Leave the comparison for one of its sides alone, at the same time.
    OpenSide(Which),
    /// Add a node to, or take it out of, the nodes picked for a partition.
    ToggleMark(u32),
    ClearMarks,
    /// A learner's action at the playhead.
    Act(Act),
    /// Run the scenario again from the start.
    Reset,
    /// The same scenario with another seed.
    NewSeed(u64),
    /// Changed settings (nodes, network, modes): the new scenario, at the same playhead.
    Configure(Scenario),
    /// A scenario from elsewhere (a course page): start it from the beginning.
    Load(Scenario),
    /// The address's fragment changed (a link pasted into this tab, the back button): open
    /// the scenario it holds, or say why not and keep the current one.
    OpenLink(String),
    /// A settings value that is not even a number.
    SettingsError(String),
    SetReducedMotion(bool),
    /// Take a lesson from its first stop.
    OpenLesson(Rc<Lesson>),
    /// The learner picks a choice of the lesson's question.
    LessonAnswer(usize),
    /// On to the stop's task, or to the next stop.
    LessonNext,
    /// Do what the lesson's task asks, for a learner without the inspector at hand (an embed,
    /// a phone).
    LessonDoTask,
    /// Back to the lesson's previous stop, the run stepped back to it.
    LessonBack,
    /// Leave the lesson; the run stays.
    LessonExit,
    DismissError,
    DismissNotice,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let unplayed = self.unplayed.take();
        let this = if unplayed > 0.0 {
            self.reduce(Action::Tick(unplayed))
        } else {
            self
        };
        this.apply(action)
    }
}

impl AppState {
    fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::SetLang(lang) if lang == self.lang => self,
            Action::SetLang(lang) => {
                let mut next = (*self).clone();
                next.lang = lang;
                Rc::new(next)
            }
            Action::OpenPreset(id) => match preset(&id) {
                Ok(p) => Rc::new(self.start(&p.scenario, Some(p.id.clone()))),
                Err(_) => self,
            },
            Action::Tick(_) if !self.playing => self,
            Action::Tick(real_ms) => {
                let mut next = (*self).clone();
                next.frame += 1;
                next.report_wait += real_ms;
                if next.report_wait >= REPORT_EVERY_MS {
                    next.report_rev += 1;
                    next.report_wait = 0.0;
                }
                let until = next.until();
                let target = next
                    .playhead
                    .saturating_add(virtual_span(real_ms, next.speed))
                    .min(until);
                if next.reaches_stop(target) {
                    return Rc::new(next);
                }
                next.seek(target, FRAME_EVENT_CAP);
                if next.playhead >= until {
                    next.playing = false;
                    next.report_rev += 1;
                }
                Rc::new(next)
            }
            // A full run plays no further (the banner says why); seeking back makes room.
            Action::TogglePlay if !self.playing && self.full => self,
            Action::TogglePlay => {
                let mut next = self.changed();
                if next.playing {
                    next.playing = false;
                } else {
                    if next.playhead >= next.until() {
                        next.seek(0, SEEK_EVENT_CAP);
                    }
                    next.playing = true;
                }
                Rc::new(next)
            }
            Action::Play if self.playing => self,
            Action::Play => self.apply(Action::TogglePlay),
            Action::Pause if !self.playing => self,
            Action::Pause => {
                let mut next = self.changed();
                next.playing = false;
                Rc::new(next)
            }
            Action::Step => {
                let until = self.until();
                // The earlier of the runs' next events (the left one on a tie).
                let run = self
                    .runs()
                    .into_iter()
                    .filter_map(|r| {
                        let next = r.borrow().next_time()?;
                        Some((next, r))
                    })
                    .min_by_key(|(next, _)| *next);
                let stepped = run.and_then(|(next, run)| {
                    let mut sim = run.borrow_mut();
                    if sim.events() >= self.event_cap || next > until {
                        None
                    } else {
                        sim.step();
                        Some(sim.now())
                    }
                });
                let Some(now) = stepped else {
                    return self;
                };
                let mut next = self.changed();
                next.playing = false;
                next.playhead = next.playhead.max(now);
                next.arrive_if_there();
                Rc::new(next)
            }
            Action::StepBack => {
                // Undo the later of the runs' last events (the right one on a tie, the reverse
                // of a step); the playhead goes back to the latest event either run keeps.
                let runs = self.runs();
                let last = runs
                    .iter()
                    .filter(|r| r.borrow().events() > 0)
                    .max_by_key(|r| r.borrow().now())
                    .cloned();
                let stepped = last.map(|run| {
                    {
                        let mut sim = run.borrow_mut();
                        let events = sim.events();
                        sim.truncate(events - 1);
                    }
                    runs.iter().map(|r| r.borrow().now()).max().unwrap_or(0)
                });
                let Some(now) = stepped else {
                    return self;
                };
                let mut next = self.changed();
                next.playing = false;
                next.playhead = now;
                next.full = false;
                Rc::new(next)
            }
            Action::Seek(t) => {
                let mut next = self.changed();
                if !next.reaches_stop(t) {
                    next.seek(t, SEEK_EVENT_CAP);
                }
                Rc::new(next)
            }
            Action::SetSpeed(speed) if !speed.is_finite() || speed == self.speed => self,
            Action::SetSpeed(speed) => {
                let mut next = (*self).clone();
                next.speed = speed.clamp(0.1, 10.0);
                Rc::new(next)
            }
            Action::Select(selection) if selection == self.selection => self,
            Action::Select(selection) => {
                let mut next = self.changed();
                next.selection = selection;
                Rc::new(next)
            }
            Action::ToggleMark(node) => {
                let mut next = self.changed();
                if !next.marked.remove(&node) {
                    next.marked.insert(node);
                }
                Rc::new(next)
            }
            Action::ClearMarks if self.marked.is_empty() => self,
            Action::ClearMarks => {
                let mut next = self.changed();
                next.marked.clear();
                Rc::new(next)
            }
            Action::Act(act) if self.compare.is_some() => Rc::new(self.act_on_both(act)),
            Action::Act(act) => {
                let mut next = self.changed();
                let at = next.playhead;
                if let Some(lesson) = &next.lesson {
                    let mut lesson = (**lesson).clone();
                    lesson.acting(&act, next.sim.borrow().as_ref());
                    next.lesson = Some(Rc::new(lesson));
                }
                let result = next.sim.borrow_mut().act(at, act);
                match result {
                    Ok(()) => {
                        // Apply it now, so that the learner sees what the click did.
                        next.seek(at, SEEK_EVENT_CAP);
                        next.notice = None;
                        next.scenario_rev += 1;
                        // The run changed: the next stop may fall elsewhere, or never.
                        if let Some(lesson) = &next.lesson {
                            let mut lesson = (**lesson).clone();
                            lesson.rehead(next.sim.borrow().as_ref());
                            next.lesson = Some(Rc::new(lesson));
                        }
                    }
                    Err(e) => next.notice = Some(next.lang.scenario_error(&e)),
                }
                Rc::new(next)
            }
            Action::Reset if self.lesson.is_some() => {
                let lesson = self.lesson.as_ref().map(|l| l.lesson.clone());
                self.apply(Action::OpenLesson(lesson.expect("a lesson is open")))
            }
            Action::OpenLesson(lesson) => {
                let scenario = match lesson.scenario() {
                    Ok(s) => s,
                    Err(e) => {
                        let mut next = self.changed();
                        next.notice = Some(next.lang.lesson_error(&e));
                        return Rc::new(next);
                    }
                };
                let mut next = self.start(&scenario, lesson.preset.clone());
                if next.notice.is_some() {
                    return Rc::new(next);
                }
                let run = LessonRun::begin(lesson, next.sim.borrow().as_ref());
                next.lesson = Some(Rc::new(run));
                next.arrive_if_there();
                Rc::new(next)
            }
            Action::LessonAnswer(_)
            | Action::LessonNext
            | Action::LessonDoTask
            | Action::LessonBack
            | Action::LessonExit
                if self.lesson.is_none() =>
            {
                self
            }
            Action::LessonAnswer(choice) => {
                let mut next = self.changed();
                let mut lesson = (**next.lesson.as_ref().expect("checked above")).clone();
                lesson.answer(choice);
                next.lesson = Some(Rc::new(lesson));
                Rc::new(next)
            }
            Action::LessonNext => {
                let mut next = self.changed();
                let mut lesson = (**next.lesson.as_ref().expect("checked above")).clone();
                let play = lesson.next(next.sim.borrow().as_ref());
                next.lesson = Some(Rc::new(lesson));
                next.arrive_if_there();
                if play && next.lesson.as_ref().is_some_and(|l| l.pause_at().is_some()) {
                    next.playing = true;
                }
                Rc::new(next)
            }
            Action::LessonDoTask => {
                let act = {
                    let run = self.lesson.as_ref().expect("checked above");
                    let task = run.lesson.stops.get(run.stop).and_then(|s| s.act.as_ref());
                    match task {
                        Some(task) if run.phase == crate::lesson_run::Phase::Acting => {
                            task.expect.act(self.sim.borrow().as_ref())
                        }
                        _ => return self,
                    }
                };
                match act {
                    Ok(act) => self.apply(Action::Act(act)),
                    Err(why) => {
                        let mut next = self.changed();
                        next.notice = Some(why);
                        Rc::new(next)
                    }
                }
            }
            Action::LessonBack => {
                let mut lesson = (**self.lesson.as_ref().expect("checked above")).clone();
                let Some((target, found)) = lesson.back_to() else {
                    return self;
                };
                let mut next = self.changed();
                next.playing = false;
                next.sim.borrow_mut().truncate(found.events());
                next.playhead = found.time;
                next.full = false;
                lesson.back(target, found, next.sim.borrow().as_ref());
                next.lesson = Some(Rc::new(lesson));
                Rc::new(next)
            }
            Action::LessonExit => {
                let mut next = self.changed();
                next.lesson = None;
                Rc::new(next)
            }
            Action::Reset if self.compare.is_some() => {
                let compare = self.compare.as_ref().expect("checked above");
                let comparison = self.comparison().expect("a comparison is shown");
                let mut next = self.start_compare(&comparison, compare.id.clone());
                next.scenario_rev = self.scenario_rev;
                Rc::new(next)
            }
            Action::NewSeed(seed) if self.compare.is_some() => {
                let mut comparison = self.comparison().expect("a comparison is shown");
                comparison.left.scenario.seed = seed;
                comparison.right.scenario.seed = seed;
                Rc::new(self.start_compare(&comparison, None))
            }
            Action::OpenCompare(id) => match clusterplay_scenario::compare::compare_preset(&id) {
                Ok(p) => Rc::new(self.start_compare(&p.comparison, Some(id))),
                Err(e) => {
                    let mut next = self.changed();
                    next.notice = Some(next.lang.compare_error(&e));
                    Rc::new(next)
                }
            },
            Action::LoadCompare(comparison) => Rc::new(self.start_compare(&comparison, None)),
            Action::SelectOn(which, selection) => {
                let Some(compare) = &self.compare else {
                    return self.apply(Action::Select(selection));
                };
                if compare.side == which && self.selection == selection {
                    return self;
                }
                let mut next = self.changed();
                let mut compare = (**compare).clone();
                compare.side = which;
                next.compare = Some(Rc::new(compare));
                next.selection = selection;
                Rc::new(next)
            }
            Action::OpenSide(which) => {
                let Some(comparison) = self.comparison() else {
                    return self;
                };
                let scenario = comparison.side(which).scenario.clone();
                let preset = preset_of(&scenario);
                let mut next = self.start(&scenario, preset);
                next.seek(self.playhead, SEEK_EVENT_CAP);
                Rc::new(next)
            }
            Action::Reset => {
                let scenario = self.scenario();
                let preset = self.preset.clone();
                let mut next = self.start(&scenario, preset);
                // The same scenario: nothing to write back.
                next.scenario_rev = self.scenario_rev;
                Rc::new(next)
            }
            Action::NewSeed(seed) => {
                let mut scenario = self.scenario();
                scenario.seed = seed;
                let preset = self.preset.clone();
                Rc::new(self.start(&scenario, preset))
            }
            Action::Configure(scenario) => Rc::new(self.reconfigure(&scenario)),
            Action::Load(scenario) => {
                let preset = self.origin(&scenario);
                Rc::new(self.start(&scenario, preset))
            }
            // The page writes its own fragment as the scenario changes; that one is no news.
            // Asked without reading the lesson, so that a teacher's link is inflated once.
            Action::OpenLink(hash) if crate::browser::asks_for_lesson(&hash) => {
                match crate::browser::lesson_in(&hash) {
                    Some(Ok(lesson)) => self.apply(Action::OpenLesson(Rc::new(lesson))),
                    Some(Err(e)) => {
                        let mut next = self.changed();
                        next.notice = Some(next.lang.lesson_error(&e));
                        Rc::new(next)
                    }
                    None => self,
                }
            }
            Action::OpenLink(hash) if crate::browser::asks_for_compare(&hash) => {
                match crate::browser::compare_in(&hash) {
                    Some(Ok((comparison, id))) => {
                        if self.comparison().as_ref() == Some(&comparison) {
                            let view = crate::browser::view_of(&hash);
                            let embed = crate::browser::is_embed(&hash);
                            if view == Default::default() && embed == self.embed {
                                return self;
                            }
                        }
                        let mut next = self.start_compare(&comparison, id);
                        if Rc::ptr_eq(&next.sim, &self.sim) {
                            return Rc::new(next);
                        }
                        next.error = None;
                        next.compare_error = None;
                        next.embed = crate::browser::is_embed(&hash);
                        next.apply_view(crate::browser::view_of(&hash));
                        Rc::new(next)
                    }
                    Some(Err(e)) => {
                        let mut next = self.changed();
                        next.compare_error = Some(e);
                        next.error_kept_current = self.scenario_rev > 0 || self.compare.is_some();
                        Rc::new(next)
                    }
                    None => self,
                }
            }
            Action::OpenLink(hash) => match crate::browser::scenario_in(&hash) {
                None => self,
                Some(linked) => match linked {
                    // A link with `embed=1` opens as an embed, without one as the playground.
                    Ok(scenario) if scenario == self.scenario() => {
                        let view = crate::browser::view_of(&hash);
                        let embed = crate::browser::is_embed(&hash);
                        if view == Default::default() && embed == self.embed {
                            return self;
                        }
                        let mut next = self.changed();
                        next.embed = embed;
                        next.apply_view(view);
                        Rc::new(next)
                    }
                    Ok(scenario) => {
                        let preset = preset_of(&scenario);
                        let mut next = self.start(&scenario, preset);
                        if Rc::ptr_eq(&next.sim, &self.sim) {
                            return Rc::new(next);
                        }
                        next.error = None;
                        next.embed = crate::browser::is_embed(&hash);
                        next.apply_view(crate::browser::view_of(&hash));
                        Rc::new(next)
                    }
                    Err(e) => {
                        let mut next = self.changed();
                        next.error = Some(e);
                        next.error_kept_current = true;
                        Rc::new(next)
                    }
                },
            },
            Action::SettingsError(e) => {
                let mut next = self.changed();
                next.settings_error = Some(e);
                Rc::new(next)
            }
            Action::SetReducedMotion(on) if on == self.reduced_motion => self,
            Action::SetReducedMotion(on) => {
                let mut next = (*self).clone();
                next.reduced_motion = on;
                Rc::new(next)
            }
            Action::DismissError if self.error.is_none() && self.compare_error.is_none() => self,
            Action::DismissError => {
                let mut next = (*self).clone();
                next.error = None;
                next.compare_error = None;
                Rc::new(next)
            }
            Action::DismissNotice if self.notice.is_none() => self,
            Action::DismissNotice => {
                let mut next = (*self).clone();
                next.notice = None;
                Rc::new(next)
            }
        }
    }
}

impl AppState {
    /// A learner's action on a comparison. One on a message goes to the side whose message it
    /// is; any other applies to both sides, or to neither with the reason: a contrast where
    /// one side silently did less would teach the wrong thing.
    fn act_on_both(&self, act: Act) -> Self {
        let mut next = self.changed();
        let at = next.playhead;
        let compare = self.compare.as_ref().expect("a comparison is shown");
        let result = if on_a_message(&act) {
            let run = self.selected_run();
            let side = compare.side;
            let result = run.borrow_mut().act(at, act);
            result.map_err(|e| {
                let label = compare.label(side).get(self.lang.key()).to_owned();
                self.lang.side_error(side, &label, &e)
            })
        } else {
            let step = clusterplay_scenario::Step {
                at_ms: clusterplay_sim::to_ms(at),
                act: act.clone(),
            };
            let comparison = self.comparison().expect("a comparison is shown");
            match comparison.with_step(step) {
                // The side named in the learner's language.
                Err(clusterplay_scenario::CompareError::Side { side, error, .. }) => {
                    let label = compare.label(side).get(self.lang.key()).to_owned();
                    Err(self.lang.side_error(side, &label, &error))
                }
                Err(e) => Err(self.lang.compare_error(&e)),
                Ok(_) => {
                    let mut result = Ok(());
                    for (run, which) in self.runs().iter().zip([Which::Left, Which::Right]) {
                        let done = run.borrow_mut().act(at, act.clone());
                        if let Err(e) = done {
                            // Checked above; should the engine still refuse, start over from
                            // the comparison as it was, so that neither side took it.
                            let label = compare.label(which).get(self.lang.key()).to_owned();
                            result = Err(self.lang.side_error(which, &label, &e));
                            let mut again = self.start_compare(&comparison, compare.id.clone());
                            again.seek(at, SEEK_EVENT_CAP);
                            next.sim = again.sim;
                            next.compare = again.compare;
                            break;
                        }
                    }
                    result
                }
            }
        };
        match result {
            Ok(()) => {
                next.seek(at, SEEK_EVENT_CAP);
                next.notice = None;
                next.scenario_rev += 1;
            }
            Err(why) => next.notice = Some(why),
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::W;
    use clusterplay_sim::NodeId;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(Lang::En))
    }

    /// The Ricart–Agrawala lesson taken as a learner would: a wrong answer, then right ones,
    /// the run pausing by itself at each stop, a task refused until it is the one asked for.
    #[test]
    fn a_lesson_pauses_at_its_stops_asks_waits_for_the_task_and_scores() {
        use crate::lesson_run::Phase;
        let lesson = clusterplay_scenario::lesson::lesson("ra-worked-example").expect("lesson");
        let s = state().reduce(Action::OpenLesson(Rc::new(lesson.clone())));
        let run = |s: &AppState| (*s.lesson.clone().expect("a lesson")).clone();
        assert_eq!(run(&s).phase, Phase::At, "the first stop is the start");
        assert_eq!(run(&s).truth, Some(0), "program 1 goes first");
        let s = s.reduce(Action::LessonAnswer(2));
        assert_eq!(run(&s).answered(), Some((2, false)));
        let s = s.reduce(Action::LessonAnswer(0));
        assert_eq!(
            run(&s).answered(),
            Some((2, false)),
            "the first pick counts"
        );

        let s = s.reduce(Action::LessonNext);
        assert!(s.playing, "on towards the next stop");
        let Phase::Heading(stop) = run(&s).phase else {
            panic!("heading for stop 2")
        };
        let s = s.reduce(Action::Tick(1_000_000.0));
        assert!(!s.playing, "paused at the stop");
        assert_eq!(s.playhead, stop.time);
        assert_eq!(
            s.sim.borrow().events(),
            stop.events(),
            "exactly at its event"
        );
        assert_eq!(run(&s).phase, Phase::At);
        assert!(run(&s).highlight.contains(&1), "the node that received it");
        let s = s.reduce(Action::LessonAnswer(1));
        assert_eq!(run(&s).answered(), Some((1, true)));
        // Back to the start and on again: the same stop, on the same event.
        let back = s.clone().reduce(Action::LessonBack);
        assert_eq!((run(&back).stop, run(&back).phase), (0, Phase::At));
        assert_eq!(back.playhead, 0);
        assert_eq!(
            run(&back).answered(),
            Some((2, false)),
            "the first pick still counts"
        );
        let again = back
            .reduce(Action::LessonNext)
            .reduce(Action::Tick(1_000_000.0));
        assert_eq!(run(&again).stop, 1);
        assert_eq!(again.sim.borrow().events(), stop.events());

        let s = s
            .reduce(Action::LessonNext)
            .reduce(Action::Tick(1_000_000.0));
        assert_eq!(
            run(&s).phase,
            Phase::At,
            "stop 3: program 1 uses the machine"
        );
        let s = s.reduce(Action::LessonAnswer(2)).reduce(Action::LessonNext);
        assert_eq!(run(&s).phase, Phase::Acting);
        let two = NodeId::from_number(2).expect("node 2");
        let s = s.reduce(Action::Act(Act::Crash { node: two }));
        assert_eq!(run(&s).phase, Phase::Acting, "not the node asked for");
        let one = NodeId::from_number(1).expect("node 1");
        let s = s.reduce(Action::Act(Act::Crash { node: one }));
        assert_eq!(run(&s).phase, Phase::Acted);

        let s = s
            .reduce(Action::LessonNext)
            .reduce(Action::Tick(1_000_000.0));
        assert_eq!(s.playhead, 200_000, "stop 4 is at 200 ms");
        assert_eq!(
            run(&s).back_to(),
            None,
            "the crash cannot be stepped back over"
        );
        assert_eq!(run(&s).truth, Some(1), "program 3 never gets the machine");
        let s = s.reduce(Action::LessonAnswer(1)).reduce(Action::LessonNext);
        assert_eq!(run(&s).phase, Phase::Done);
        assert_eq!(run(&s).score(), (3, 4, 4));
        let s = s.reduce(Action::LessonExit);
        assert!(s.lesson.is_none());
    }

    /// Every built-in lesson, taken on the page's state as a learner who answers the first
    /// choice and does each task with "Do it for me", pauses at every stop in order and ends
    /// with its score, on the same events the command line finds.
    #[test]
    fn every_lesson_reaches_every_stop_on_the_page() {
        use crate::lesson_run::Phase;
        for lesson in clusterplay_scenario::lesson::lessons() {
            let walk = lesson.walk().expect("the lesson plays natively");
            let mut s = state().reduce(Action::OpenLesson(Rc::new(lesson.clone())));
            let mut reached = Vec::new();
            for _ in 0..10 * lesson.stops.len() {
                let run = (*s.lesson.clone().expect("a lesson")).clone();
                s = match run.phase {
                    Phase::At
                        if run.answered().is_none() && lesson.stops[run.stop].ask.is_some() =>
                    {
                        reached.push((run.stop, s.sim.borrow().events(), s.playhead));
                        s.reduce(Action::LessonAnswer(0))
                    }
                    Phase::At => {
                        if lesson.stops[run.stop].ask.is_none() {
                            reached.push((run.stop, s.sim.borrow().events(), s.playhead));
                        }
                        s.reduce(Action::LessonNext)
                    }
                    Phase::Acting => s.reduce(Action::LessonDoTask),
                    Phase::Acted => s.reduce(Action::LessonNext),
                    Phase::Heading(_) => s.reduce(Action::Tick(10_000_000.0)),
                    Phase::Lost => panic!("{}: stop {} never happens", lesson.id, run.stop + 1),
                    Phase::Done => break,
                };
            }
            let run = s.lesson.clone().expect("a lesson");
            assert_eq!(run.phase, Phase::Done, "{}", lesson.id);
            let want: Vec<(usize, u64, Time)> = walk
                .stops
                .iter()
                .map(|w| (w.stop - 1, w.at.events(), w.at.time))
                .collect();
            assert_eq!(
                reached, want,
                "{}: the page stops where the walk does",
                lesson.id
            );
        }
    }

    #[test]
    fn a_lesson_link_opens_the_lesson_and_a_broken_one_says_why() {
        let lesson = clusterplay_scenario::lesson::lesson("ra-worked-example").expect("lesson");
        let s = state().reduce(Action::OpenLink(link::lesson_fragment(lesson)));
        assert_eq!(
            s.lesson.as_ref().map(|l| l.lesson.id.as_str()),
            Some("ra-worked-example")
        );
        let s = state().reduce(Action::OpenLink("lesson=ra-worked-example".into()));
        assert!(s.lesson.is_some());
        let s = state().reduce(Action::OpenLink("lesson=nope".into()));
        assert!(s.lesson.is_none());
        assert_eq!(
            s.notice.as_deref(),
            Some("no lesson is called \"nope\" (`clusterplay lessons` lists them)")
        );
    }

    #[test]
    fn set_lang_changes_only_the_language() {
        let state = state();
        let next = state.clone().reduce(Action::SetLang(Lang::Zh));
        assert_eq!(next.lang, Lang::Zh);
        let same = next.clone().reduce(Action::SetLang(Lang::Zh));
        assert!(
            Rc::ptr_eq(&next, &same),
            "an unchanged language keeps the same state"
        );
    }

    #[test]
    fn a_link_pasted_into_the_open_tab_opens_and_a_broken_one_keeps_the_work() {
        let s = state().reduce(Action::Seek(100_000));
        let raft = preset("raft-election").expect("preset").scenario.clone();
        let opened = s.reduce(Action::OpenLink(link::fragment(&raft)));
        assert_eq!(opened.scenario(), raft);
        assert_eq!(opened.playhead, 0);
        assert!(opened.error.is_none());
        let same = opened
            .clone()
            .reduce(Action::OpenLink(link::fragment(&raft)));
        assert!(
            Rc::ptr_eq(&same, &opened),
            "the page's own fragment changes nothing"
        );
        let broken = opened.clone().reduce(Action::OpenLink("s=!!!".into()));
        assert_eq!(broken.scenario(), raft, "the learner keeps the run");
        assert!(broken.error.is_some(), "and is told why the link failed");
        assert!(
            broken.error_kept_current,
            "and that their run is still there"
        );
    }

    #[test]
    fn boot_reads_a_link_and_falls_back_on_a_broken_one() {
        let scenario = &preset("mutex-token-lost").expect("preset").scenario;
        let fragment = link::fragment(scenario);
        let s = AppState::boot(
            Lang::En,
            Boot {
                hash: &fragment,
                saved: None,
            },
        );
        assert_eq!(s.error, None);
        assert_eq!(s.preset.as_deref(), Some("mutex-token-lost"));
        assert!(!s.embed);

        let broken = AppState::boot(
            Lang::En,
            Boot {
                hash: "s=@@@",
                saved: None,
            },
        );
        assert!(broken
            .error
            .as_ref()
            .is_some_and(|e| e.to_string().contains("base64")));
        assert!(Lang::Zh
            .scenario_error(broken.error.as_ref().unwrap())
            .starts_with("链接已损坏"));
        assert_eq!(broken.preset.as_deref(), Some(DEFAULT_PRESET));

        let embed = AppState::boot(
            Lang::En,
            Boot {
                hash: &format!("{fragment}&embed=1"),
                saved: None,
            },
        );
        assert!(embed.embed);
        assert_eq!(embed.preset.as_deref(), Some("mutex-token-lost"));
    }

    #[test]
    fn a_preset_opens_by_its_id_and_a_wrong_id_is_explained() {
        let s = AppState::boot(
            Lang::En,
            Boot {
                hash: "p=raft-election&autoplay=1",
                saved: None,
            },
        );
        assert_eq!(s.error, None);
        assert_eq!(s.preset.as_deref(), Some("raft-election"));
        assert!(s.playing, "the link's view applies too");

        let wrong = AppState::boot(
            Lang::En,
            Boot {
                hash: "p=raft-electoin",
                saved: None,
            },
        );
        assert!(wrong
            .error
            .as_ref()
            .is_some_and(|e| e.to_string().contains("raft-electoin")));
        assert_eq!(wrong.preset.as_deref(), Some(DEFAULT_PRESET));
        let opened = Rc::new(wrong).reduce(Action::OpenLink("p=paxos-seed".into()));
        assert_eq!(opened.preset.as_deref(), Some("paxos-seed"));
        assert!(!opened.embed);
        let embedded = opened.reduce(Action::OpenLink("p=paxos-seed&embed=1".into()));
        assert!(embedded.embed, "the same scenario, now as an embed");
        let other = embedded.reduce(Action::OpenLink("p=raft-election".into()));
        assert!(!other.embed);
    }

    #[test]
    fn boot_restores_the_saved_scenario_only_without_a_link() {
        let scenario = &preset("mutex-central-queue").expect("preset").scenario;
        let json = serde_json::to_string(scenario).expect("json");
        let s = AppState::boot(
            Lang::En,
            Boot {
                hash: "",
                saved: Some(&json),
            },
        );
        assert_eq!(s.preset.as_deref(), Some("mutex-central-queue"));
        let junk = AppState::boot(
            Lang::En,
            Boot {
                hash: "",
                saved: Some("{not json"),
            },
        );
        assert_eq!(junk.preset.as_deref(), Some(DEFAULT_PRESET));
        assert_eq!(junk.error, None, "a bad saved scenario is quietly replaced");
    }

    #[test]
    fn stepping_forward_and_back_moves_the_playhead_by_events() {
        let s = state();
        let start = s.sim.borrow().events();
        let a = s.clone().reduce(Action::Step);
        assert_eq!(a.sim.borrow().events(), start + 1);
        let b = a.clone().reduce(Action::Step).reduce(Action::Step);
        assert_eq!(b.sim.borrow().events(), start + 3);
        let c = b.clone().reduce(Action::StepBack);
        assert_eq!(c.sim.borrow().events(), start + 2);
        assert_eq!(c.playhead, c.sim.borrow().now());
    }

    #[test]
    fn playing_advances_virtual_time_and_stops_at_the_end() {
        let s = state().reduce(Action::TogglePlay);
        assert!(s.playing);
        let s = s.reduce(Action::Tick(1000.0));
        assert_eq!(s.playhead, 10_000, "one real second at 1× is 10 virtual ms");
        let s = s
            .reduce(Action::SetSpeed(10.0))
            .reduce(Action::Tick(100_000.0));
        assert_eq!(s.playhead, s.until());
        assert!(!s.playing, "stops at the end of the run");
        let paused = s.clone().reduce(Action::Tick(10.0));
        assert!(Rc::ptr_eq(&s, &paused), "a paused tick is a no-op");
    }

    #[test]
    fn seeking_back_replays_exactly() {
        let s = state().reduce(Action::Seek(200_000));
        let hash_at_200 = s.sim.borrow().trace_hash();
        let report = s.sim.borrow().report();
        let s = s.reduce(Action::Seek(30_000)).reduce(Action::Seek(200_000));
        assert_eq!(s.sim.borrow().trace_hash(), hash_at_200);
        assert_eq!(s.sim.borrow().report(), report);
        assert_eq!(s.playhead, 200_000);
    }

    #[test]
    fn actions_land_in_the_scenario_and_replay() {
        let s = state().reduce(Action::Seek(20_000));
        let node = NodeId::from_number(2).expect("node 2");
        let rev = s.scenario_rev;
        let s = s.reduce(Action::Act(Act::Crash { node }));
        assert_eq!(s.scenario_rev, rev + 1);
        assert_eq!(s.notice, None);
        let view = s.sim.borrow().cluster();
        assert!(!view.nodes[1].up, "node 2 is down at once");
        let timeline = s.scenario().timeline;
        assert_eq!(timeline.last().map(|st| st.at_ms), Some(20.0));
        // The recorded scenario, replayed from scratch, reaches the same state.
        let replay = AppState::boot(
            Lang::En,
            Boot {
                hash: &link::fragment(&s.scenario()),
                saved: None,
            },
        );
        let replay = Rc::new(replay).reduce(Action::Seek(20_000));
        assert_eq!(
            replay.sim.borrow().trace_hash(),
            s.sim.borrow().trace_hash()
        );
        assert_eq!(replay.preset.as_deref(), Some(DEFAULT_PRESET));
    }

    #[test]
    fn an_action_while_playing_happens_when_the_learner_saw_it() {
        // The animation loop has played 1.5 real seconds (15 virtual ms at 1×) since the
        // last render, without an event; the crash lands at 35 ms, not at the last render's 20.
        let s = state()
            .reduce(Action::Seek(20_000))
            .reduce(Action::TogglePlay);
        s.unplayed.set(1_500.0);
        let node = NodeId::from_number(2).expect("node 2");
        let s = s.reduce(Action::Act(Act::Crash { node }));
        assert_eq!(s.playhead, 35_000);
        assert_eq!(s.scenario().timeline.last().map(|st| st.at_ms), Some(35.0));
        assert_eq!(s.unplayed.get(), 0.0, "handed over once");
        // Pausing keeps the time on screen too.
        let s = s.reduce(Action::Seek(40_000));
        s.unplayed.set(500.0);
        let s = s.reduce(Action::Pause);
        assert!(!s.playing);
        assert_eq!(s.playhead, 45_000);
    }

    #[test]
    fn a_run_stops_at_the_events_the_page_keeps_and_says_so() {
        let mut s = AppState::new(Lang::En);
        s.event_cap = 10;
        let s = Rc::new(s).reduce(Action::TogglePlay);
        let s = s.reduce(Action::Tick(1_000_000.0));
        assert!(s.full, "the run is full");
        assert!(!s.playing, "and stopped");
        assert_eq!(s.sim.borrow().events(), 10);
        assert_eq!(s.playhead, s.sim.borrow().now());
        let held = s.playhead;
        let hash = s.sim.borrow().trace_hash();
        assert_eq!(s.clone().reduce(Action::Step).sim.borrow().events(), 10);
        let again = s.clone().reduce(Action::TogglePlay);
        assert!(
            !again.playing && again.playhead == held,
            "Play does not go on"
        );
        // Going back makes room again (the states share one run: each step acts on it); the
        // same scenario replays to the same place.
        let back = s.reduce(Action::StepBack);
        assert!(!back.full);
        let replay = back.reduce(Action::Seek(0)).reduce(Action::Seek(held));
        assert_eq!(replay.sim.borrow().trace_hash(), hash);
        let beyond = replay.reduce(Action::Seek(held + 500_000));
        assert!(beyond.full, "and cannot go further");
        assert_eq!(beyond.playhead, held);
    }

    #[test]
    fn the_full_run_banner_names_the_cap() {
        let digits = PAGE_EVENT_CAP.to_string();
        let grouped = format!(
            "{} {}",
            &digits[..digits.len() - 3],
            &digits[digits.len() - 3..]
        );
        for lang in [Lang::En, Lang::Zh] {
            assert!(lang.t(W::RunFull).contains(&grouped), "{grouped}");
        }
    }

    #[test]
    fn a_link_opens_where_it_was_shared() {
        let raft = Scenario::new("raft", 5);
        let hash = format!("{}&t=150&speed=4&autoplay=1", link::fragment(&raft));
        let s = AppState::boot(
            Lang::En,
            Boot {
                hash: &hash,
                saved: None,
            },
        );
        assert_eq!(s.playhead, 150_000);
        assert_eq!(s.speed, 4.0);
        assert!(s.playing);
        assert!(s.sim.borrow().now() <= 150_000);
        // The same scenario with another time: the page goes there.
        let s = Rc::new(s).reduce(Action::Pause);
        let there = s.reduce(Action::OpenLink(format!("{}&t=20", link::fragment(&raft))));
        assert_eq!(there.playhead, 20_000);
    }

    #[test]
    fn refused_actions_become_notices_not_panics() {
        let s = state();
        let node = NodeId::from_number(50).expect("node 50");
        let s = s.reduce(Action::Act(Act::Crash { node }));
        assert!(s.notice.is_some());
        assert_eq!(s.scenario_rev, 0);
    }

    #[test]
    fn new_seed_changes_the_scenario_and_reset_keeps_it() {
        let s = state().reduce(Action::Seek(100_000));
        let s = s.reduce(Action::NewSeed(1234));
        assert_eq!(s.scenario().seed, 1234);
        assert_eq!(s.playhead, 0);
        assert_eq!(s.scenario_rev, 1);
        let s = s.reduce(Action::Seek(50_000)).reduce(Action::Reset);
        assert_eq!(s.playhead, 0);
        assert_eq!(s.scenario().seed, 1234);
        assert_eq!(s.scenario_rev, 1);
    }

    #[test]
    fn play_at_the_end_starts_again_from_zero() {
        let s = state()
            .reduce(Action::SetSpeed(10.0))
            .reduce(Action::TogglePlay);
        let s = s.reduce(Action::Tick(100_000.0));
        assert!(!s.playing);
        assert_eq!(s.playhead, s.until());
        let s = s.reduce(Action::Play);
        assert!(s.playing);
        assert_eq!(s.playhead, 0, "play at the end restarts the run");
        assert!(s.sim.borrow().events() <= 3, "only the start-up events");
    }

    #[test]
    fn settings_become_the_scenario_and_bad_ones_are_explained() {
        let s = state().reduce(Action::Seek(50_000));
        let mut wider = s.scenario();
        wider.network.latency_ms = [1.0, 40.0];
        wider.network.manual = true;
        let s = s.reduce(Action::Configure(wider.clone()));
        assert_eq!(s.scenario(), wider);
        assert_eq!(s.settings_error, None);
        assert_eq!(s.playhead, 50_000, "the playhead stays where it was");
        assert_eq!(s.scenario_rev, 1, "the URL follows");

        let mut bad = wider.clone();
        bad.network.latency_ms = [40.0, 1.0];
        let same = s.clone().reduce(Action::Configure(bad));
        assert_eq!(
            same.scenario(),
            wider,
            "a refused change keeps the scenario"
        );
        assert!(same
            .settings_error
            .as_deref()
            .is_some_and(|e| e.contains("minimum is above the maximum")));
        let mut huge = wider;
        huge.nodes = 500;
        let same = s.reduce(Action::Configure(huge));
        assert!(same
            .settings_error
            .as_deref()
            .is_some_and(|e| e.contains("101")));
    }

    #[test]
    fn the_chinese_page_explains_refused_parameters_in_chinese() {
        let s = Rc::new(AppState::new(Lang::Zh));
        let mut bad = s.scenario();
        bad.params.insert("use_ms".into(), (-5).into());
        let same = s.reduce(Action::Configure(bad));
        assert_eq!(
            same.settings_error.as_deref(),
            Some("params.use_ms 为 -5 毫秒，不能为负。")
        );
    }

    fn compare(id: &str) -> Rc<AppState> {
        let s = state().reduce(Action::OpenCompare(id.into()));
        assert!(
            s.compare.is_some(),
            "{id} opens side by side: {:?}",
            s.notice
        );
        s
    }

    fn timelines(s: &AppState) -> [usize; 2] {
        let c = s.comparison().expect("a comparison");
        [
            c.left.scenario.timeline.len(),
            c.right.scenario.timeline.len(),
        ]
    }

    /// Issue 20: one clock moves both runs, and each side is exactly the run its scenario
    /// makes alone (trace hashes), at the end and after stepping back and forth.
    #[test]
    fn a_comparison_plays_both_runs_on_one_clock_each_as_it_runs_alone() {
        let s = compare("compare-2pc-3pc-coordinator-crash");
        let until = s.until();
        let end = s.reduce(Action::Seek(until));
        let comparison = end.comparison().expect("a comparison");
        for (run, side) in end.runs().iter().zip([&comparison.left, &comparison.right]) {
            let mut alone = load(&side.scenario).expect("loads");
            alone.run_until(until, u64::MAX);
            assert_eq!(run.borrow().trace_hash(), alone.trace_hash());
            assert_eq!(run.borrow().events(), alone.events());
        }
        let rows = clusterplay_scenario::compare::rows(
            &end.sim.borrow().live_report(),
            &end.compare.as_ref().unwrap().right.borrow().live_report(),
        );
        let in_doubt = rows.iter().find(|r| r.key == "in_doubt").expect("row");
        assert!(in_doubt.differs, "2PC blocks, 3PC does not: {in_doubt:?}");

        // Steps take the earlier next event of the two; a step back undoes the later.
        let mut s = compare("compare-mutex-messages");
        let mut counts = Vec::new();
        for _ in 0..12 {
            counts.push(s.runs().iter().map(|r| r.borrow().events()).sum::<u64>());
            let t = s.playhead;
            s = s.reduce(Action::Step);
            assert!(s.playhead >= t, "time never runs back on a step");
            let next = s.next_time().unwrap_or(Time::MAX);
            let latest = s.runs().iter().map(|r| r.borrow().now()).max().unwrap();
            assert!(latest <= next, "no run is ahead of the other's next event");
        }
        for expected in counts.iter().rev() {
            s = s.reduce(Action::StepBack);
            let now: u64 = s.runs().iter().map(|r| r.borrow().events()).sum();
            assert_eq!(now, *expected, "a step back undoes exactly one event");
        }
    }

    /// A crash applies to both sides or, refused with the side named, to neither; a dropped
    /// message only to the side it was picked on.
    #[test]
    fn actions_on_a_comparison_apply_to_both_sides_or_neither() {
        // The runs are shared between states (the reducer moves them in place): each case
        // starts its own.
        let at_400 = || compare("compare-even-odd").reduce(Action::Seek(ms_to_time(400.0)));
        let s = at_400();
        let before = timelines(&s);
        let node = |n| NodeId::from_number(n).expect("node");
        let crashed = s.reduce(Action::Act(Act::Crash { node: node(2) }));
        assert_eq!(crashed.notice, None);
        assert_eq!(timelines(&crashed), [before[0] + 1, before[1] + 1]);
        for run in crashed.runs() {
            assert!(
                !run.borrow().cluster().nodes[1].up,
                "node 2 is down on both sides"
            );
        }

        // Node 5 exists on the right (5 nodes) only.
        let refused = at_400().reduce(Action::Act(Act::Crash { node: node(5) }));
        assert_eq!(timelines(&refused), before, "neither side took it");
        let why = refused.notice.clone().expect("a reason");
        assert!(why.contains("left side (4 nodes)"), "{why}");
        let zh = refused.reduce(Action::SetLang(Lang::Zh));
        let zh = zh.reduce(Action::Act(Act::Crash { node: node(5) }));
        assert!(
            zh.notice
                .as_deref()
                .unwrap()
                .starts_with("左侧（4 个节点）"),
            "{:?}",
            zh.notice
        );

        // A message in flight on the right side, picked there and dropped there only.
        let s = compare("compare-mutex-messages").reduce(Action::Seek(ms_to_time(13.0)));
        let right = s.compare.as_ref().unwrap().right.clone();
        let flying = right
            .borrow()
            .messages_since(0)
            .into_iter()
            .find(|m| matches!(m.fate, clusterplay_sim::Fate::InFlight))
            .expect("a message in flight on the right");
        let before = timelines(&s);
        let dropped = s
            .reduce(Action::SelectOn(
                Which::Right,
                Selection::Message(flying.id),
            ))
            .reduce(Action::Act(Act::Drop { msg: flying.id }));
        assert_eq!(dropped.notice, None);
        assert_eq!(timelines(&dropped), [before[0], before[1] + 1]);
        let dropped_right = dropped.compare.as_ref().unwrap().right.clone();
        let fate = dropped_right
            .borrow()
            .message(flying.id)
            .expect("still listed")
            .fate;
        assert!(
            matches!(fate, clusterplay_sim::Fate::Dropped { .. }),
            "{fate:?}"
        );
    }

    /// A compare link reopens the comparison with the learner's actions, at the time it was
    /// shared; a broken one says why in the learner's language and the page keeps its run.
    #[test]
    fn a_compare_link_round_trips_and_a_broken_one_keeps_the_work() {
        let node = NodeId::from_number(1).expect("node");
        let s = compare("compare-bully-raft-rejoin")
            .reduce(Action::Seek(ms_to_time(100.0)))
            .reduce(Action::Act(Act::Crash { node }))
            .reduce(Action::Seek(ms_to_time(300.0)));
        let comparison = s.comparison().expect("a comparison");
        let fragment = format!(
            "{}&t=300",
            crate::browser::compare_fragment_for(&comparison, None, false, Default::default())
        );
        let opened = AppState::boot(
            Lang::En,
            Boot {
                hash: &fragment,
                saved: None,
            },
        );
        assert_eq!(opened.comparison(), Some(comparison));
        assert_eq!(opened.playhead, s.playhead);
        for (a, b) in opened.runs().iter().zip(s.runs()) {
            assert_eq!(a.borrow().trace_hash(), b.borrow().trace_hash());
        }

        let by_id = AppState::boot(
            Lang::En,
            Boot {
                hash: "compare=compare-zk-herd",
                saved: None,
            },
        );
        assert_eq!(
            by_id.compare.as_ref().and_then(|c| c.id.as_deref()),
            Some("compare-zk-herd")
        );

        let broken = Rc::new(opened).reduce(Action::OpenLink("c=AAAA".into()));
        assert!(broken.compare_error.is_some());
        assert!(broken.compare.is_some(), "the comparison on screen stays");
        assert!(broken.error_kept_current);
        let zh = broken.reduce(Action::SetLang(Lang::Zh));
        let text = Lang::Zh.compare_error(zh.compare_error.as_ref().unwrap());
        assert!(
            text.starts_with("链接已损坏") || text.contains("对比"),
            "{text}"
        );

        // Leaving for one side alone keeps its run where it was.
        let right_hash = s.compare.as_ref().unwrap().right.borrow().trace_hash();
        let alone = s.clone().reduce(Action::OpenSide(Which::Right));
        assert!(alone.compare.is_none());
        assert_eq!(alone.scenario().protocol, "raft");
        assert_eq!(alone.playhead, s.playhead);
        assert_eq!(alone.sim.borrow().trace_hash(), right_hash);
    }
}

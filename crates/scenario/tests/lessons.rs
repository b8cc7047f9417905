//! Every lesson plays through as a learner who does what it asks, its questions answered by the
//! run, and a lesson that cannot be played is refused naming the stop.

use clusterplay_scenario::lesson::{self, from_json, lessons, Lesson, LessonError, Read};
use clusterplay_scenario::{link, preset, Act};
use serde_json::json;

fn cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_lesson_reaches_every_stop_in_order_and_asks_and_acts() {
    assert!(!lessons().is_empty());
    let mut ids: Vec<&str> = lessons().iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), lessons().len(), "lesson ids are unique");
    for l in lessons() {
        let walk = l.walk().unwrap_or_else(|e| panic!("{}: {e}", l.id));
        assert_eq!(walk.stops.len(), l.stops.len(), "{}", l.id);
        for pair in walk.stops.windows(2) {
            assert!(
                pair[0].at.time <= pair[1].at.time && pair[0].at.events() <= pair[1].at.events(),
                "{}: stop {} comes before stop {}",
                l.id,
                pair[1].stop,
                pair[0].stop
            );
        }
        let questions = walk.stops.iter().filter(|s| s.answer.is_some()).count();
        let tasks = walk.stops.iter().filter(|s| s.acted.is_some()).count();
        assert!(questions >= 3, "{}: {questions} questions", l.id);
        assert!(tasks >= 1, "{}: {tasks} tasks", l.id);
        let scenario = l.scenario().unwrap();
        if let Some(id) = &l.preset {
            assert_eq!(preset(id).unwrap().family, l.family, "{}", l.id);
        }
        assert!(clusterplay_scenario::algorithm(&scenario.protocol)
            .is_some_and(|a| a.family == l.family));
    }
}

#[test]
fn every_narration_question_and_task_exists_in_both_languages() {
    for l in lessons() {
        let mut words = vec![&l.title, &l.summary];
        for s in &l.stops {
            words.push(&s.say);
            if let Some(q) = &s.ask {
                words.extend([&q.prompt, &q.explain]);
                for (_, label) in q.options(l.scenario().unwrap().nodes as usize) {
                    if let Some(label) = label {
                        assert!(!label.en.is_empty() && !label.zh.is_empty(), "{}", l.id);
                    }
                }
            }
            if let Some(t) = &s.act {
                words.extend([&t.prompt, &t.then]);
            }
        }
        for w in words {
            assert!(!w.en.trim().is_empty(), "{}: an empty English text", l.id);
            assert!(cjk(&w.zh), "{}: no Chinese in {:?}", l.id, w.zh);
            assert!(!cjk(&w.en), "{}: Chinese in the English {:?}", l.id, w.en);
        }
    }
}

/// The answers are the run's: when the texts' example changes, the lesson's answer follows.
/// Program 3 holding the older timestamp (8 against program 1's 12) makes 3 the first to use
/// the coffee machine, and a fourth program makes each use cost 2(n−1) = 6 messages.
#[test]
fn answers_are_read_from_the_run_and_follow_it() {
    let ra = lesson::lesson("ra-worked-example").unwrap();
    let walk = ra.walk().unwrap();
    assert_eq!(walk.stops[0].answer, Some((json!(1), 0)));
    assert_eq!(walk.stops[2].answer, Some((json!(4.0), 2)));
    assert_eq!(walk.stops[3].answer, Some((json!(false), 1)));

    let first = &ra.stops[0].ask.as_ref().unwrap().answer;
    // The order is the timestamps', not the requests' times: clocks that start the other way
    // round give program 3 timestamp 8 and program 1 timestamp 12.
    let mut swapped = ra.scenario().unwrap();
    swapped
        .params
        .insert("start_clocks".into(), json!([11, 0, 7]));
    assert_eq!(lesson::answer(&swapped, 0, first).unwrap(), Some(json!(3)));

    let cost = &ra.stops[2].ask.as_ref().unwrap().answer;
    let mut four = ra.scenario().unwrap();
    four.nodes = 4;
    four.params
        .insert("start_clocks".into(), json!([7, 0, 11, 3]));
    assert_eq!(lesson::answer(&four, 0, cost).unwrap(), Some(json!(6.0)));
}

fn ra_with(edit: impl FnOnce(&mut Lesson)) -> Lesson {
    let mut l = lesson::lesson("ra-worked-example").unwrap().clone();
    edit(&mut l);
    l
}

#[test]
fn a_stop_that_never_happens_or_an_answer_no_choice_names_the_stop() {
    let never = ra_with(|l| {
        l.stops[1].when =
            serde_json::from_value(json!({"on": "deliver", "kind": "request", "from": 2})).unwrap();
    });
    assert_eq!(
        never.walk().unwrap_err(),
        LessonError::NeverReached {
            stop: 2,
            anchor: "request delivered from node 2".into()
        }
    );
    let no_choice = ra_with(|l| {
        let q = l.stops[2].ask.as_mut().unwrap();
        q.answer = Read::Outcome {
            pointer: "/critical_section_order/1".into(),
        };
        q.choices = serde_json::from_value(json!([{"value": 1}, {"value": 2}])).unwrap();
    });
    let e = no_choice.walk().unwrap_err();
    assert_eq!(
        e,
        LessonError::NoChoice {
            stop: 3,
            answer: "3".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "stop 3: the run's answer (3) is none of the choices"
    );
}

#[test]
fn bad_lessons_and_lesson_links_are_refused_with_a_reason() {
    let ra = lesson::lesson("ra-worked-example").unwrap();
    let json = serde_json::to_vec(ra).unwrap();
    assert_eq!(&from_json(&json).unwrap(), ra);
    let back = link::decode_lesson(&format!("https://x/#{}", link::lesson_fragment(ra))).unwrap();
    assert_eq!(&back, ra);

    assert!(matches!(
        from_json(b"{\"id\": 3}"),
        Err(LessonError::NotJson(_))
    ));
    assert!(matches!(
        link::decode_lesson("#l=!!!"),
        Err(LessonError::Scenario(_))
    ));
    let e = from_json(&serde_json::to_vec(&ra_with(|l| l.stops[0].highlight = vec![9])).unwrap())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "stops[0].when names node 9, but the cluster has 3 nodes"
    );
    let e = from_json(&serde_json::to_vec(&ra_with(|l| l.stops.clear())).unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "stops has 0; a lesson has 1 to 40 stops");
    let e = from_json(&serde_json::to_vec(&ra_with(|l| l.stops[1].say.zh.clear())).unwrap())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "stops[1].say needs both English (en) and Chinese (zh)"
    );
    let e = from_json(&serde_json::to_vec(&ra_with(|l| l.preset = Some("nope".into()))).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

/// A task the learner carries out lands in the scenario, so the rest of the lesson plays on
/// the run they made and its link replays it.
#[test]
fn the_learners_action_lands_in_the_scenario() {
    let walk = lesson::lesson("ra-worked-example").unwrap().walk().unwrap();
    let crash = walk.stops[2]
        .acted
        .as_ref()
        .expect("stop 3 asks for a crash");
    assert!(matches!(crash, Act::Crash { node } if node.number() == 1));
    assert!(walk
        .scenario
        .timeline
        .iter()
        .any(|s| matches!(s.act, Act::Crash { node } if node.number() == 1)));
}

#[test]
fn every_family_has_a_lesson() {
    for family in clusterplay_scenario::families() {
        assert!(
            lessons().iter().any(|l| l.family == family.id),
            "no lesson for {}",
            family.id
        );
    }
    assert!(lessons().len() >= 12);
}

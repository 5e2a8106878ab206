//! Organisational life and study in storage, on SQLite and (when PIONEER_TEST_POSTGRES_URL
//! is set) PostgreSQL: quiz attempts under the window, the time limit and the attempts
//! policy, batched submissions that never count twice, course reach per sub-organisation,
//! meeting attendance with its credits, and each organisation's cadence settings.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::orglife::{Attendance, MeetingFields, MeetingKind, OrgLifeSettings, Period};
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_domain::study::courses::{CourseFields, CourseInput};
use pioneer_domain::study::quiz::{QuestionInput, QuizError, QuizWindow};
use pioneer_store::study::quiz::{NewQuiz, Submission};
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);
const NOW: i64 = 1_795_000_000_000;

fn act() -> Act {
    Act::new("test", "study test", Timestamp::from_millisecond(NOW).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    a_quiz_keeps_its_window_time_limit_and_attempts,
    a_double_submission_in_one_batch_counts_once,
    a_course_reaches_each_branch_and_credits_once,
    meetings_keep_attendance_counts_and_settings,
);

struct World {
    root: Uuid,
    branches: [Uuid; 2],
    members: Vec<(Uuid, String)>,
}

async fn world(store: &Store) -> World {
    let f = |name: &str, kind: &str| {
        OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
    };
    let root = store.create_org(&f("工委", "working_committee"), None, &act()).await.unwrap();
    let a = store.create_org(&f("骑手一支部", "mobile_branch"), Some(root), &act()).await.unwrap();
    let b = store.create_org(&f("骑手二支部", "mobile_branch"), Some(root), &act()).await.unwrap();
    let mut members = Vec::new();
    for i in 0..4u32 {
        let org = if i < 3 { a } else { b };
        let p = PersonFields::parse(
            &PersonInput {
                name: format!("骑手{i}"),
                ethnicity: "汉族".into(),
                education: "bachelor".into(),
                worker_category: "rider".into(),
                id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), 600 + i)
                    .as_str()
                    .to_owned(),
                status: "full_member".into(),
                admitted_on: "2014-07-01".into(),
                full_member_on: "2015-07-01".into(),
                org_id: org.to_string(),
                ..Default::default()
            },
            TODAY,
        )
        .unwrap();
        let id = store.create_person(&p, &act()).await.unwrap();
        let (_, path) = store.person_place(id).await.unwrap();
        members.push((id, path));
    }
    World { root, branches: [a, b], members }
}

async fn bank(store: &Store, tenant: Uuid) {
    for i in 0..4 {
        let q = QuestionInput {
            kind: "single".into(),
            tag: "党史".into(),
            text: format!("第{i}题"),
            choices: "甲\n乙\n丙".into(),
            correct: "B".into(),
            explanation: "因为".into(),
        };
        store.add_question(tenant, None, &q, &act()).await.unwrap();
    }
}

fn window(attempts: i64) -> QuizWindow {
    QuizWindow { opens_at: NOW, closes_at: NOW + 3_600_000, time_limit_s: 300, attempts }
}

/// Checks and scores one submission to `quiz`, as the quiz desk does.
async fn score(
    store: &Store,
    s: &Submission,
    quiz: Uuid,
) -> Result<
    (std::sync::Arc<pioneer_store::study::quiz::WeeklyQuiz>, pioneer_domain::study::quiz::Scored),
    StoreError,
> {
    store.score_submissions(&[(s.clone(), quiz)]).await.unwrap().pop().unwrap()
}

async fn a_quiz_keeps_its_window_time_limit_and_attempts(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    bank(&store, w.root).await;
    // A plan the bank cannot fill is refused.
    let greedy = NewQuiz { title: "太多".into(), plan: vec![("党史".into(), 9)], window: window(1) };
    assert!(matches!(store.publish_quiz(w.root, &greedy, &act()).await, Err(StoreError::Invalid(_))));
    let quiz = NewQuiz { title: "第48周".into(), plan: vec![("党史".into(), 3)], window: window(2) };
    let quiz = store.publish_quiz(w.root, &quiz, &act()).await.unwrap();
    let (me, path) = w.members[0].clone();
    let early = store.start_attempt(quiz, me, &path, NOW - 1).await.unwrap_err();
    assert!(matches!(early, StoreError::Quiz(QuizError::NotOpen)));
    let a = store.start_attempt(quiz, me, &path, NOW + 1000).await.unwrap();
    assert_eq!(a.questions.len(), 3);
    let again = store.start_attempt(quiz, me, &path, NOW + 2000).await.unwrap();
    assert_eq!(again.id, a.id, "the running attempt comes back");
    // An answer to a question outside the quiz refuses the sheet and writes nothing.
    let outside = (1..=4).find(|q| !a.questions.iter().any(|(id, _)| id == q)).unwrap();
    let sub =
        |answers: Vec<(u32, Vec<u8>)>, at: i64| Submission { attempt_id: a.id, member_id: me, answers, at };
    let e = score(&store, &sub(vec![(outside, vec![1])], NOW + 3000), quiz).await.unwrap_err();
    assert!(matches!(e, StoreError::Quiz(QuizError::NotInQuiz(_))));
    // After the time limit (and its grace) nothing counts.
    let late = score(&store, &sub(vec![], NOW + 1000 + 300_000 + 15_001), quiz).await.unwrap_err();
    assert!(matches!(late, StoreError::Quiz(QuizError::TimeUp)));
    // Two right, one left out: 4 of 6 points; 10 credits once.
    let answers: Vec<(u32, Vec<u8>)> = a.questions.iter().take(2).map(|(id, _)| (*id, vec![1])).collect();
    let s = sub(answers, NOW + 60_000);
    let (q, scored) = score(&store, &s, quiz).await.unwrap();
    assert_eq!((scored.points, scored.max), (4, 6));
    let out =
        store.write_submissions(vec![(s.clone(), q.clone(), scored.clone())], TODAY, &act()).await.unwrap();
    assert_eq!(out[0].as_ref().unwrap().credited.as_ref().map(|e| e.amount), Some(10));
    let replay = score(&store, &s, quiz).await.unwrap_err();
    assert!(matches!(replay, StoreError::Quiz(QuizError::AlreadySubmitted)));
    // The second attempt draws again, reproducibly; a third is refused.
    let b = store.start_attempt(quiz, me, &path, NOW + 120_000).await.unwrap();
    assert_eq!(b.attempt_no, 2);
    let s2 = Submission { attempt_id: b.id, member_id: me, answers: vec![], at: NOW + 130_000 };
    let (q2, sc2) = score(&store, &s2, quiz).await.unwrap();
    let out = store.write_submissions(vec![(s2, q2, sc2)], TODAY, &act()).await.unwrap();
    assert!(out[0].as_ref().unwrap().credited.is_none(), "credits once per quiz");
    let third = store.start_attempt(quiz, me, &path, NOW + 140_000).await.unwrap_err();
    assert!(matches!(third, StoreError::Quiz(QuizError::NoAttemptsLeft)));
    assert_eq!(store.credit_balance(me).await.unwrap(), 10);
    // Participation: one of three members of the first branch, none of the second.
    let p = store.participation(quiz, w.root).await.unwrap();
    let line = |org: Uuid| {
        p.iter().find(|l| l.org_id == org).map(|l| (l.members, l.submitted, l.average_pct)).unwrap()
    };
    assert_eq!(line(w.branches[0]), (3, 1, 67));
    assert_eq!(line(w.branches[1]), (1, 0, 0));
    // Someone outside the subtree cannot start a quiz published to one branch.
    let narrow = NewQuiz { title: "一支部".into(), plan: vec![("党史".into(), 1)], window: window(1) };
    let narrow = store.publish_quiz(w.branches[0], &narrow, &act()).await.unwrap();
    let (other, other_path) = w.members[3].clone();
    assert!(matches!(
        store.start_attempt(narrow, other, &other_path, NOW + 1).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.quizzes_for(w.root, &other_path).await.unwrap().len(), 1);
    let heads = store.journal_heads().await.unwrap();
    assert!(store.verify_journal(&heads).await.unwrap().broken.is_none());
}

async fn a_double_submission_in_one_batch_counts_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    bank(&store, w.root).await;
    let quiz = NewQuiz { title: "第48周".into(), plan: vec![("党史".into(), 2)], window: window(1) };
    let quiz = store.publish_quiz(w.root, &quiz, &act()).await.unwrap();
    let mut batch = Vec::new();
    for (me, path) in &w.members {
        let a = store.start_attempt(quiz, *me, path, NOW + 10).await.unwrap();
        let s = Submission {
            attempt_id: a.id,
            member_id: *me,
            answers: vec![(a.questions[0].0, vec![1])],
            at: NOW + 20,
        };
        let (q, scored) = score(&store, &s, quiz).await.unwrap();
        batch.push((s.clone(), q.clone(), scored.clone()));
        if batch.len() == 1 {
            batch.push((s, q, scored)); // the double tap
        }
    }
    let out = store.write_submissions(batch, TODAY, &act()).await.unwrap();
    assert_eq!(out.len(), 5);
    assert!(matches!(out[1], Err(StoreError::Quiz(QuizError::AlreadySubmitted))));
    assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 4);
    for (me, _) in &w.members {
        assert_eq!(store.credit_balance(*me).await.unwrap(), 10);
    }
    let heads = store.journal_heads().await.unwrap();
    assert!(store.verify_journal(&heads).await.unwrap().broken.is_none());
}

async fn a_course_reaches_each_branch_and_credits_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let c = CourseFields::parse(&CourseInput {
        series: "党史随手学".into(),
        column: "百年党史".into(),
        title: "遵义会议".into(),
        items: "第一条\n---\n第二条".into(),
    })
    .unwrap();
    let id = store.publish_course(w.root, &c, TODAY, &act()).await.unwrap();
    let course = store.course(id).await.unwrap();
    let [(m0, p0), (m1, p1), _, (m3, p3)] = [0, 1, 2, 3].map(|i| w.members[i].clone());
    store.open_course(&course, m0, &p0, &act()).await.unwrap();
    store.open_course(&course, m0, &p0, &act()).await.unwrap();
    store.open_course(&course, m1, &p1, &act()).await.unwrap();
    let first = store.complete_course(&course, m0, &p0, TODAY, &act()).await.unwrap();
    assert_eq!(first.map(|e| e.amount), Some(2));
    assert!(store.complete_course(&course, m0, &p0, TODAY, &act()).await.unwrap().is_none(), "once");
    store.complete_course(&course, m3, &p3, TODAY, &act()).await.unwrap();
    let reach = store.course_reach(id, w.root).await.unwrap();
    let of = |org: Uuid| {
        reach.iter().find(|r| r.0 == org).map(|r| (r.2.delivered, r.2.opened, r.2.completed)).unwrap()
    };
    assert_eq!(of(w.root), (4, 3, 2));
    assert_eq!(of(w.branches[0]), (3, 2, 1));
    assert_eq!(of(w.branches[1]), (1, 1, 1));
    let people = store.course_reach_members(id, w.branches[0]).await.unwrap();
    assert_eq!(people.iter().filter(|(_, _, p)| p.0.is_some()).count(), 2);
    assert!(store.courses_for(w.root, m1, &p1).await.unwrap()[0].1.0.is_some());
    assert_eq!(store.credit_balance(m0).await.unwrap(), 2);
}

async fn meetings_keep_attendance_counts_and_settings(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let m = MeetingFields {
        kind: MeetingKind::BranchGeneralMeeting,
        held_on: Date::constant(2026, 11, 20),
        topic: "学习".into(),
        first_topic: Some("第一议题".into()),
        speaker: None,
        minutes: "记录".into(),
    };
    let marks = [
        (w.members[0].0, Attendance::Present),
        (w.members[1].0, Attendance::Online),
        (w.members[2].0, Attendance::Leave),
    ];
    let id = store.record_meeting(w.branches[0], &m, &marks, &act()).await.unwrap();
    let got = store.attendance_of(id).await.unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(store.credit_balance(w.members[1].0).await.unwrap(), 5, "online counts as attending");
    assert_eq!(store.credit_balance(w.members[2].0).await.unwrap(), 0, "on leave earns nothing");
    // Someone of another deployment cannot be marked; nothing is written.
    let stranger = Uuid::now_v7();
    let refused = store.record_meeting(w.branches[0], &m, &[(stranger, Attendance::Present)], &act()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))));
    let theme = MeetingFields { kind: MeetingKind::ThemeDay, first_topic: None, ..m };
    store.record_meeting(w.branches[1], &theme, &[], &act()).await.unwrap();
    let counts = store.meeting_counts(w.root, 2026).await.unwrap();
    assert_eq!(counts.len(), 2);
    assert!(counts.iter().all(|c| c.3 == 1));
    assert!(store.meeting_counts(w.root, 2025).await.unwrap().is_empty());
    assert_eq!(store.orglife_settings(w.branches[0]).await.unwrap(), OrgLifeSettings::default());
    let mut s = OrgLifeSettings::default();
    s.periods[0].1 = Some(Period::Month);
    s.first_topic = false;
    store.set_orglife_settings(w.branches[0], &s, &act()).await.unwrap();
    assert_eq!(store.orglife_settings(w.branches[0]).await.unwrap(), s);
    assert_eq!(store.orglife_settings(w.branches[1]).await.unwrap(), OrgLifeSettings::default());
}

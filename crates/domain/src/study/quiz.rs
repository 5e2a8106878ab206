//! 每周小测试 (the weekly quiz): versioned questions (a past quiz stays reproducible), each
//! member's quiz drawn from categories reproducibly from a seed, and scoring on the server —
//! a multiple-choice answer with some right options and no wrong one earns part of the
//! points. `QuizWindow` holds a quiz's open window, time limit and attempts policy;
//! `QuestionInput` is a question as an organiser types it.

use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One right option.
    Single,
    /// One or more right options.
    Multiple,
    /// 对 / 错.
    TrueFalse,
}

/// One version of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id across versions.
    pub id: u32,
    /// Version (a change makes a new version; quizzes keep the one they drew).
    pub version: u32,
    /// Kind.
    pub kind: QuestionKind,
    /// Category (党史, 党章, 安全 …).
    pub tag: String,
    /// The question.
    pub text: String,
    /// The options.
    pub choices: Vec<String>,
    /// Indices of the right options, ascending.
    pub correct: Vec<u8>,
    /// Shown after submitting.
    pub explanation: String,
}

/// Points for a fully right answer; a partly right multiple-choice answer earns half.
pub const POINTS: u32 = 2;

/// Why a question or an answer sheet is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuizError {
    /// The question is malformed (the reason).
    #[error("malformed question: {0}")]
    Malformed(&'static str),
    /// An answer to a question that is not in this member's quiz.
    #[error("question {0} is not in this quiz")]
    NotInQuiz(u32),
    /// Two answers to one question.
    #[error("question {0} answered twice")]
    Twice(u32),
    /// An option that does not exist, or several options for a single-answer question.
    #[error("question {0}: no such option")]
    BadOption(u32),
    /// The quiz has not opened yet.
    #[error("the quiz has not opened yet")]
    NotOpen,
    /// The window has closed.
    #[error("the quiz has closed")]
    Closed,
    /// The time limit of the attempt has passed.
    #[error("the time limit has passed")]
    TimeUp,
    /// Every attempt the policy allows is used.
    #[error("no attempts left")]
    NoAttemptsLeft,
    /// The attempt was submitted already.
    #[error("already submitted")]
    AlreadySubmitted,
    /// The answers name no attempt (the form lost it, or none was started).
    #[error("no attempt")]
    NoAttempt,
}

/// Extra time after a limit for a slow network: a submission sent in time still counts.
pub const GRACE_MS: i64 = 15_000;

/// A quiz's window (milliseconds since the epoch), time limit and attempts policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizWindow {
    /// Opens.
    pub opens_at: i64,
    /// Closes.
    pub closes_at: i64,
    /// Seconds an attempt may take.
    pub time_limit_s: i64,
    /// Attempts allowed per member (at least 1).
    pub attempts: i64,
}

impl QuizWindow {
    /// May a member with `used` attempts start another at `now`?
    pub fn may_start(&self, now: i64, used: i64) -> Result<(), QuizError> {
        if now < self.opens_at {
            Err(QuizError::NotOpen)
        } else if now > self.closes_at {
            Err(QuizError::Closed)
        } else if used >= self.attempts {
            Err(QuizError::NoAttemptsLeft)
        } else {
            Ok(())
        }
    }

    /// When an attempt started at `started_at` must be submitted.
    pub fn deadline(&self, started_at: i64) -> i64 {
        self.closes_at.min(started_at.saturating_add(self.time_limit_s.saturating_mul(1000)))
    }

    /// May an attempt started at `started_at` be submitted at `now`?
    pub fn may_submit(&self, started_at: i64, now: i64) -> Result<(), QuizError> {
        if now > self.closes_at + GRACE_MS {
            Err(QuizError::Closed)
        } else if now > self.deadline(started_at) + GRACE_MS {
            Err(QuizError::TimeUp)
        } else {
            Ok(())
        }
    }
}

impl QuestionKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::TrueFalse]
            .into_iter()
            .find(|k| k.code() == code)
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            QuestionKind::Single => "单选",
            QuestionKind::Multiple => "多选",
            QuestionKind::TrueFalse => "判断",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            QuestionKind::Single => "single choice",
            QuestionKind::Multiple => "multiple choice",
            QuestionKind::TrueFalse => "true / false",
        }
    }
}

/// A question as an organiser types it: the options one per line, the right ones as
/// letters (`A`, `AC`, `A,C`); a true/false question has the options 对 and 错.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuestionInput {
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Category.
    #[serde(default)]
    pub tag: String,
    /// The question.
    #[serde(default)]
    pub text: String,
    /// The options, one per line.
    #[serde(default)]
    pub choices: String,
    /// The right options as letters.
    #[serde(default)]
    pub correct: String,
    /// The explanation shown after submitting.
    #[serde(default)]
    pub explanation: String,
}

/// A quiz as an organiser publishes it: title, plan (`党史:3, 党章:2`), window as
/// `YYYY-MM-DDTHH:MM` China time, time limit in minutes, attempts.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuizInput {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Categories and counts.
    #[serde(default)]
    pub plan: String,
    /// Opens.
    #[serde(default)]
    pub opens: String,
    /// Closes.
    #[serde(default)]
    pub closes: String,
    /// Minutes per attempt.
    #[serde(default)]
    pub minutes: String,
    /// Attempts per member.
    #[serde(default)]
    pub attempts: String,
}

/// A checked quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizFields {
    /// Title.
    pub title: String,
    /// Categories and counts.
    pub plan: Vec<(String, usize)>,
    /// Window, limit, attempts.
    pub window: QuizWindow,
}

fn china_ms(raw: &str) -> Option<i64> {
    let dt: jiff::civil::DateTime = raw.trim().parse().ok()?;
    let z = dt.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))).ok()?;
    Some(z.timestamp().as_millisecond())
}

impl QuizInput {
    /// Checks the input; every refusal is reported.
    pub fn parse(&self) -> Result<QuizFields, crate::ValidationErrors> {
        use crate::{Reason, text};
        let mut e = crate::ValidationErrors::default();
        let title = e.take(text::required("title", &self.title, 100));
        let mut plan: Vec<(String, usize)> = Vec::new();
        for part in self.plan.split([',', '，', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
            let parsed = part.split_once([':', '：']).and_then(|(t, n)| {
                let n: usize = n.trim().parse().ok()?;
                let t = t.trim();
                (!t.is_empty() && (1..=50).contains(&n) && !plan.iter().any(|(x, _)| x == t))
                    .then(|| (t.to_owned(), n))
            });
            match parsed {
                Some(p) => plan.push(p),
                None => {
                    e.push(
                        "plan",
                        Reason::Refused {
                            zh: "抽题方案应为“类别:题数”，以逗号分隔，如 党史:3, 党章:2",
                            en: "the plan is category:count pairs separated by commas, like 党史:3, 党章:2",
                        },
                    );
                    break;
                }
            }
        }
        if plan.is_empty() && !e.0.iter().any(|f| f.field == "plan") {
            e.push("plan", Reason::Required);
        }
        let opens = china_ms(&self.opens);
        if opens.is_none() {
            e.push("opens", Reason::BadDate);
        }
        let closes = china_ms(&self.closes);
        match (opens, closes) {
            (_, None) => e.push("closes", Reason::BadDate),
            (Some(o), Some(c)) if c <= o => e.push("closes", Reason::DateBefore { other: "opens" }),
            _ => {}
        }
        let minutes = self.minutes.trim().parse::<i64>().ok().filter(|m| (1..=180).contains(m));
        if minutes.is_none() {
            e.push("minutes", Reason::NumberOutOfRange { min: 1, max: 180 });
        }
        let attempts = self.attempts.trim().parse::<i64>().ok().filter(|a| (1..=10).contains(a));
        if attempts.is_none() {
            e.push("attempts", Reason::NumberOutOfRange { min: 1, max: 10 });
        }
        e.into_result()?;
        match (title, opens, closes, minutes, attempts) {
            (Some(title), Some(opens_at), Some(closes_at), Some(m), Some(attempts)) => Ok(QuizFields {
                title,
                plan,
                window: QuizWindow { opens_at, closes_at, time_limit_s: m * 60, attempts },
            }),
            _ => Err(crate::ValidationErrors::default()),
        }
    }
}

/// The letter of option `i` (A, B, …).
pub fn letter(i: usize) -> char {
    char::from(b'A' + (i as u8 % 26))
}

impl QuestionInput {
    /// Checks the input into a question with this id and version; every refusal is reported.
    pub fn parse(&self, id: u32, version: u32) -> Result<Question, crate::ValidationErrors> {
        use crate::{Reason, text};
        let mut e = crate::ValidationErrors::default();
        let kind = QuestionKind::from_code(self.kind.trim());
        if kind.is_none() {
            e.push("kind", Reason::UnknownChoice);
        }
        let tag = e.take(text::required("tag", &self.tag, 20));
        let body = e.take(text::required("text", &self.text, 500));
        let explanation = e.take(text::optional("explanation", &self.explanation, 1000)).flatten();
        let choices: Vec<String> = if kind == Some(QuestionKind::TrueFalse) {
            vec!["对".into(), "错".into()]
        } else {
            self.choices.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
        };
        if !(2..=8).contains(&choices.len()) || choices.iter().any(|c| c.chars().count() > 200) {
            e.push(
                "choices",
                Reason::Refused {
                    zh: "选项应为 2 到 8 行，每行一项", en: "2 to 8 options, one per line"
                },
            );
        }
        let mut correct = Vec::new();
        for ch in self.correct.chars().filter(|c| !matches!(c, ',' | '，' | ' ' | '、')) {
            let i = ch.to_ascii_uppercase() as i64 - i64::from(b'A');
            if !(0..choices.len() as i64).contains(&i) {
                e.push(
                    "correct",
                    Reason::Refused {
                        zh: "正确答案应为存在的选项字母，如 A 或 AC",
                        en: "the right options as letters of existing options, like A or AC",
                    },
                );
                break;
            }
            correct.push(i as u8);
        }
        correct.sort_unstable();
        correct.dedup();
        let one = matches!(kind, Some(QuestionKind::Single | QuestionKind::TrueFalse));
        if correct.is_empty() || (one && correct.len() != 1) {
            e.push(
                "correct",
                Reason::Refused {
                    zh: "单选题和判断题只有一个正确答案，多选题至少一个",
                    en: "one right option for single choice and true/false, at least one for multiple choice",
                },
            );
        }
        e.into_result()?;
        match (kind, tag, body) {
            (Some(kind), Some(tag), Some(text)) => {
                let q = Question {
                    id,
                    version,
                    kind,
                    tag,
                    text,
                    choices,
                    correct,
                    explanation: explanation.unwrap_or_default(),
                };
                q.check().map_err(|_| {
                    let mut e = crate::ValidationErrors::default();
                    e.push("choices", Reason::UnknownChoice);
                    e
                })?;
                Ok(q)
            }
            _ => Err(crate::ValidationErrors::default()),
        }
    }
}

impl Question {
    /// Checks the options and the right answers fit the kind.
    pub fn check(&self) -> Result<(), QuizError> {
        let n = self.choices.len();
        if !(2..=8).contains(&n) || self.choices.iter().any(|c| c.trim().is_empty()) {
            return Err(QuizError::Malformed("2 to 8 non-empty options"));
        }
        if self.correct.is_empty() || self.correct.iter().any(|&c| usize::from(c) >= n) {
            return Err(QuizError::Malformed("the right options must exist"));
        }
        if !self.correct.windows(2).all(|w| w[0] < w[1]) {
            return Err(QuizError::Malformed("right options ascending, once each"));
        }
        match self.kind {
            QuestionKind::Single if self.correct.len() != 1 => Err(QuizError::Malformed("one right option")),
            QuestionKind::TrueFalse if n != 2 || self.correct.len() != 1 => {
                Err(QuizError::Malformed("two options, one right"))
            }
            _ => Ok(()),
        }
    }

    /// The points an answer (option indices) earns.
    pub fn score(&self, answer: &[u8]) -> u32 {
        let mut a: Vec<u8> = answer.to_vec();
        a.sort_unstable();
        a.dedup();
        if a == self.correct {
            return POINTS;
        }
        let partial = self.kind == QuestionKind::Multiple
            && !a.is_empty()
            && a.iter().all(|x| self.correct.contains(x));
        if partial { POINTS / 2 } else { 0 }
    }
}

/// Draws a member's quiz for a week: for each `(tag, count)`, `count` questions of that tag
/// (the newest version of each), the same for the same seed, member and week.
pub fn draw(
    bank: &[Question],
    plan: &[(&str, usize)],
    seed: u64,
    member: Uuid,
    week: u32,
) -> Vec<(u32, u32)> {
    let mut picks = Vec::new();
    for (tag, count) in plan {
        let mut newest: Vec<&Question> = Vec::new();
        for q in bank.iter().filter(|q| q.tag == *tag) {
            match newest.iter_mut().find(|x| x.id == q.id) {
                Some(slot) if slot.version < q.version => *slot = q,
                Some(_) => {}
                None => newest.push(q),
            }
        }
        newest.sort_by_key(|q| q.id);
        let tag_hash = tag
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let (hi, lo) = member.as_u64_pair();
        let mut rng =
            SplitMix64::new(seed ^ hi ^ lo.rotate_left(17) ^ u64::from(week).rotate_left(40) ^ tag_hash);
        // Fisher–Yates on the ids, then the first `count`.
        for i in (1..newest.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            newest.swap(i, j);
        }
        picks.extend(newest.iter().take(*count).map(|q| (q.id, q.version)));
    }
    picks
}

/// A scored answer sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max: u32,
    /// Per question: id, points, right options (shown after submitting).
    pub items: Vec<(u32, u32, Vec<u8>)>,
}

/// Scores answers against the member's drawn quiz (`quiz`: the questions drawn, in order);
/// an answer to anything else, or twice to one question, refuses the whole sheet.
pub fn score_sheet(quiz: &[&Question], answers: &[(u32, Vec<u8>)]) -> Result<Scored, QuizError> {
    for (i, (id, options)) in answers.iter().enumerate() {
        let q = quiz.iter().find(|q| q.id == *id).ok_or(QuizError::NotInQuiz(*id))?;
        if answers[..i].iter().any(|(other, _)| other == id) {
            return Err(QuizError::Twice(*id));
        }
        let bad = options.iter().any(|&o| usize::from(o) >= q.choices.len())
            || (q.kind != QuestionKind::Multiple && options.len() > 1);
        if bad {
            return Err(QuizError::BadOption(*id));
        }
    }
    let items: Vec<(u32, u32, Vec<u8>)> = quiz
        .iter()
        .map(|q| {
            let given = answers.iter().find(|(id, _)| *id == q.id).map_or(&[][..], |(_, a)| a.as_slice());
            (q.id, q.score(given), q.correct.clone())
        })
        .collect();
    Ok(Scored { points: items.iter().map(|i| i.1).sum(), max: POINTS * quiz.len() as u32, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: u32, version: u32, kind: QuestionKind, tag: &str, n: usize, correct: &[u8]) -> Question {
        Question {
            id,
            version,
            kind,
            tag: tag.into(),
            text: format!("问题{id}"),
            choices: (0..n).map(|i| format!("选项{i}")).collect(),
            correct: correct.to_vec(),
            explanation: String::new(),
        }
    }

    fn bank() -> Vec<Question> {
        let mut b = Vec::new();
        for id in 0..20 {
            b.push(q(id, 1, QuestionKind::Single, "党史", 4, &[1]));
        }
        for id in 20..30 {
            b.push(q(id, 1, QuestionKind::Multiple, "党章", 4, &[0, 2, 3]));
        }
        b.push(q(25, 2, QuestionKind::Multiple, "党章", 4, &[0, 2]));
        b
    }

    #[test]
    fn the_same_member_and_week_draw_the_same_quiz() {
        let b = bank();
        let plan = [("党史", 3), ("党章", 2)];
        let m = Uuid::from_u128(7);
        let a = draw(&b, &plan, 42, m, 48);
        assert_eq!(a.len(), 5);
        assert_eq!(a, draw(&b, &plan, 42, m, 48));
        let others: Vec<_> = (0..20u128).map(|i| draw(&b, &plan, 42, Uuid::from_u128(100 + i), 48)).collect();
        assert!(others.iter().any(|o| *o != a), "members get different quizzes");
        assert_ne!(draw(&b, &plan, 42, m, 49), a, "and a new one each week");
        assert!(a.iter().filter(|(id, _)| *id == 25).all(|(_, v)| *v == 2), "the newest version");
    }

    #[test]
    fn partial_multiple_choice_answers_earn_half_and_a_wrong_option_nothing() {
        let m = q(1, 1, QuestionKind::Multiple, "党章", 4, &[0, 2, 3]);
        assert_eq!(m.score(&[3, 0, 2]), POINTS);
        assert_eq!(m.score(&[0, 2]), POINTS / 2);
        assert_eq!(m.score(&[0, 1]), 0);
        assert_eq!(m.score(&[]), 0);
        let s = q(2, 1, QuestionKind::Single, "党史", 4, &[1]);
        assert_eq!((s.score(&[1]), s.score(&[2])), (POINTS, 0));
        assert!(q(3, 1, QuestionKind::Single, "x", 4, &[1, 2]).check().is_err());
        assert!(q(4, 1, QuestionKind::TrueFalse, "x", 3, &[0]).check().is_err());
        assert!(q(5, 1, QuestionKind::Multiple, "x", 4, &[2, 1]).check().is_err());
        assert!(m.check().is_ok());
    }

    #[test]
    fn answers_outside_the_quiz_or_twice_refuse_the_sheet() {
        let b = bank();
        let quiz: Vec<&Question> = b.iter().filter(|q| [1, 21].contains(&q.id)).collect();
        let ok = score_sheet(&quiz, &[(1, vec![1]), (21, vec![0, 2])]).unwrap();
        assert_eq!((ok.points, ok.max), (POINTS + POINTS / 2, 2 * POINTS));
        assert_eq!(score_sheet(&quiz, &[(2, vec![1])]), Err(QuizError::NotInQuiz(2)));
        assert_eq!(score_sheet(&quiz, &[(1, vec![1]), (1, vec![2])]), Err(QuizError::Twice(1)));
        assert_eq!(score_sheet(&quiz, &[(1, vec![1, 2])]), Err(QuizError::BadOption(1)));
        assert_eq!(score_sheet(&quiz, &[(21, vec![9])]), Err(QuizError::BadOption(21)));
    }

    #[test]
    fn the_window_refuses_early_late_slow_and_extra_attempts() {
        let w = QuizWindow { opens_at: 1_000_000, closes_at: 2_000_000, time_limit_s: 300, attempts: 2 };
        assert_eq!(w.may_start(999_999, 0), Err(QuizError::NotOpen));
        assert_eq!(w.may_start(1_500_000, 1), Ok(()));
        assert_eq!(w.may_start(1_500_000, 2), Err(QuizError::NoAttemptsLeft));
        assert_eq!(w.may_start(2_000_001, 0), Err(QuizError::Closed));
        assert_eq!(w.deadline(1_100_000), 1_400_000);
        assert_eq!(w.deadline(1_900_000), 2_000_000, "the window's end cuts the time limit");
        assert_eq!(w.may_submit(1_100_000, 1_400_000 + GRACE_MS), Ok(()));
        assert_eq!(w.may_submit(1_100_000, 1_400_001 + GRACE_MS), Err(QuizError::TimeUp));
        assert_eq!(w.may_submit(1_900_000, 2_000_001 + GRACE_MS), Err(QuizError::Closed));
    }

    #[test]
    fn a_typed_question_becomes_a_checked_one() {
        let i = QuestionInput {
            kind: "multiple".into(),
            tag: "党章".into(),
            text: "党的纪律包括？".into(),
            choices: "政治纪律\n组织纪律\n\n廉洁纪律\n".into(),
            correct: "a, C".into(),
            explanation: "六项纪律".into(),
        };
        let q = i.parse(7, 2).unwrap();
        assert_eq!((q.id, q.version, q.choices.len(), q.correct.clone()), (7, 2, 3, vec![0, 2]));
        let tf = QuestionInput { kind: "true_false".into(), correct: "B".into(), ..i.clone() }
            .parse(8, 1)
            .unwrap();
        assert_eq!((tf.choices, tf.correct), (vec!["对".to_owned(), "错".to_owned()], vec![1]));
        let e = QuestionInput { kind: "single".into(), correct: "AB".into(), ..i.clone() }
            .parse(9, 1)
            .unwrap_err();
        assert!(e.0.iter().any(|f| f.field == "correct"));
        let e =
            QuestionInput { correct: "Z".into(), choices: "只有一项".into(), ..i }.parse(9, 1).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert!(fields.contains(&"choices") && fields.contains(&"correct"), "{fields:?}");
    }

    #[test]
    fn a_quiz_form_is_checked_whole() {
        let ok = QuizInput {
            title: "第48周".into(),
            plan: "党史:3，党章：2".into(),
            opens: "2026-11-30T08:00".into(),
            closes: "2026-12-06T22:00".into(),
            minutes: "10".into(),
            attempts: "2".into(),
        };
        let q = ok.parse().unwrap();
        assert_eq!(q.plan, vec![("党史".to_owned(), 3), ("党章".to_owned(), 2)]);
        assert_eq!(q.window.time_limit_s, 600);
        assert_eq!(q.window.opens_at, 1_795_996_800_000, "08:00 China time is 00:00 UTC");
        let bad = QuizInput {
            plan: "党史3".into(),
            closes: "2026-11-29T08:00".into(),
            minutes: "0".into(),
            attempts: "x".into(),
            ..ok
        };
        let fields: Vec<_> = bad.parse().unwrap_err().0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["plan", "closes", "minutes", "attempts"]);
    }
}

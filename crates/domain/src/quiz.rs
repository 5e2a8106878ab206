//! 每周小测试 (the weekly quiz): versioned questions (a past quiz stays reproducible), each
//! member's quiz drawn from categories reproducibly from a seed, and scoring on the server —
//! a multiple-choice answer with some right options and no wrong one earns part of the
//! points. Groundwork for issue 6.

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
}

//! Stage 1, application (steps 1–2): the applicant was of age (DEV-001) and was talked to
//! within a month of the application (DEV-003).

use super::case::{Case, plus_months};
use super::checks::{TALK_LATE, TALK_MISSING, UNDER_AGE};
use crate::development::dossier::step as s;

/// Checks the application and the talk.
pub(super) fn check(c: &mut Case<'_>) {
    let Some(a) = c.at(s::APPLICATION) else { return };
    if let Some(birth) = c.dossier.birth_date
        && a.on < plus_months(birth, 18 * 12)
    {
        c.find(&UNDER_AGE, a.on, Some(a.seq));
    }
    let due = plus_months(a.on, 1);
    match c.at(s::TALK) {
        Some(t) if t.on > due => c.find(&TALK_LATE, t.on, Some(t.seq)),
        Some(_) => {}
        None => {
            c.due(s::TALK, "DEV-003", due);
            if c.today > due {
                c.find(&TALK_MISSING, due, None);
            }
        }
    }
}

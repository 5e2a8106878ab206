//! Synthetic dossiers with realistic histories for tests, the demo and benchmarks: each
//! one valid up to a random step, or carrying exactly one known fault, so a screening run
//! can be compared with what was generated.

use jiff::ToSpan;
use jiff::civil::Date;
use pioneer_domain::calendar::WorkCalendar;
use pioneer_domain::development::dossier::{Dossier, Event, Key, Kind, Value, step as s};
use pioneer_domain::development::engine::{self as e, Check};
use pioneer_domain::rng::SplitMix64;
use uuid::Uuid;

/// The faults the generator can plant, each with the step the dossier must reach for it.
pub const FAULTS: &[(&Check, u8)] = &[
    (&e::UNDER_AGE, s::APPLICATION),
    (&e::TALK_LATE, s::TALK),
    (&e::ACTIVIST_DECIDED, s::ACTIVIST),
    (&e::CONTACT_NOT_FULL, s::CONTACTS),
    (&e::ASSESSMENT_GAP, s::TARGET),
    (&e::ACTIVIST_YEAR, s::TARGET),
    (&e::OPINIONS, s::TARGET),
    (&e::NOTICE_MISSING, s::TARGET),
    (&e::OBJECTION_OPEN, s::TARGET),
    (&e::ACTIVIST_NOT_FILED, s::TARGET),
    (&e::INTRODUCERS_COUNT, s::INTRODUCERS),
    (&e::INTRODUCER_NOT_FULL, s::INTRODUCERS),
    (&e::MOBILE_OPINIONS, s::POLITICAL_REVIEW),
    (&e::TRAINING_SHORT, s::TRAINING),
    (&e::TRAINING_EARLY, s::TRAINING),
    (&e::TARGET_NOT_FILED, s::COMMITTEE_REVIEW),
    (&e::REVIEW_FAILED, s::COMMITTEE_REVIEW),
    (&e::REVIEW_LATE, s::COMMITTEE_REVIEW),
    (&e::FORM_BEFORE_PREREVIEW, s::APPLICATION_FORM),
    (&e::QUORUM, s::ADMISSION_MEETING),
    (&e::MAJORITY, s::ADMISSION_MEETING),
    (&e::BALLOT, s::ADMISSION_MEETING),
    (&e::HIGHER_TALK_MISSING, s::APPROVAL),
    (&e::APPROVAL_LATE, s::APPROVAL),
    (&e::APPROVER, s::APPROVAL),
    (&e::OATH_EARLY, s::OATH),
    (&e::APPROVAL_NOT_FILED, s::CONVERSION_APPLICATION),
    (&e::CONVERSION_EARLY, s::CONVERSION_MEETING),
    (&e::CONVERSION_ORDER, s::CONVERSION_MEETING),
    (&e::EXTENSION_LENGTH, s::CONVERSION_APPROVAL),
    (&e::CONVERTED_ON, s::CONVERSION_APPROVAL),
    (&e::CONVERSION_APPROVAL_LATE, s::CONVERSION_APPROVAL),
    (&e::ARCHIVE_INCOMPLETE, s::ARCHIVING),
];

/// The checks a planted `fault` raises: its own and, where the fault is a step dated before
/// one it must follow, the generic order (AUD-26 is reported beside the narrower rule).
pub fn expected_findings(fault: &'static Check) -> Vec<&'static str> {
    let inversion = [&e::FORM_BEFORE_PREREVIEW, &e::REVIEW_LATE, &e::OATH_EARLY, &e::CONVERSION_EARLY];
    let mut out = vec![fault.code];
    if inversion.iter().any(|c| c.code == fault.code) {
        out.push(e::ORDER.code);
    }
    out
}

/// One generated dossier.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The dossier.
    pub dossier: Dossier,
    /// The last step it reached.
    pub reach: u8,
    /// The fault planted, if any.
    pub fault: Option<&'static Check>,
}

/// Generates dossiers as of `today`.
pub struct DossierGen<'a> {
    rng: SplitMix64,
    today: Date,
    calendar: &'a WorkCalendar,
    /// Percentage of dossiers with a planted fault.
    pub fault_percent: u64,
    /// Organisations the filings and approvals name (the first approves).
    pub upper: [Uuid; 2],
    /// Full members who serve as contacts and introducers.
    pub members: [Uuid; 3],
}

fn plus_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

/// `d`, or the first working day after it (meetings are held on working days).
fn workday(cal: &WorkCalendar, d: Date) -> Date {
    let mut day = d;
    while !cal.is_workday(day) {
        day = plus_days(day, 1);
    }
    day
}

fn plus_months(d: Date, n: i64) -> Date {
    d.checked_add(n.months()).unwrap_or(d)
}

struct Builder {
    events: Vec<Event>,
    reach: u8,
}

impl Builder {
    fn add(&mut self, kind: Kind, on: Date, fields: Vec<(Key, Value)>) -> Option<u32> {
        if kind.number() > self.reach {
            return None;
        }
        let seq = self.events.len() as u32 + 1;
        self.events.push(Event { seq, kind, on, corrects: None, backfill: false, fields });
        Some(seq)
    }
}

impl<'a> DossierGen<'a> {
    /// A generator; the same seed gives the same dossiers.
    pub fn new(seed: u64, today: Date, calendar: &'a WorkCalendar) -> Self {
        Self {
            rng: SplitMix64::new(seed),
            today,
            calendar,
            fault_percent: 10,
            upper: [Uuid::from_u128(1), Uuid::from_u128(2)],
            members: [Uuid::from_u128(11), Uuid::from_u128(12), Uuid::from_u128(13)],
        }
    }

    fn days(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.rng.below((hi - lo + 1) as u64) as i64
    }

    /// The next dossier: a random reach, a planted fault in `fault_percent` of them.
    pub fn next_dossier(&mut self) -> Generated {
        let reach = self.rng.weighted(&[
            (1u8, 6),
            (2, 6),
            (3, 4),
            (5, 4),
            (6, 12),
            (7, 3),
            (9, 3),
            (11, 4),
            (12, 2),
            (14, 2),
            (15, 3),
            (16, 2),
            (17, 3),
            (20, 3),
            (21, 10),
            (22, 3),
            (23, 2),
            (24, 8),
            (25, 20),
        ]);
        let fault = if self.rng.chance(self.fault_percent) {
            let open: Vec<&(&Check, u8)> = FAULTS.iter().filter(|(_, min)| *min <= reach).collect();
            if open.is_empty() { None } else { Some(self.rng.pick(&open).0) }
        } else {
            None
        };
        self.make(reach, fault)
    }

    /// A dossier that reaches step `reach` with the given fault (which must fit the reach).
    pub fn make(&mut self, reach: u8, fault: Option<&'static Check>) -> Generated {
        // Build once to measure the span, then again so the last event falls a few days
        // before `today` (month arithmetic is redone at the real dates).
        let seed = self.rng.next_u64();
        let slack = self.days(0, 20);
        let origin = Date::constant(2000, 1, 1);
        let mut start = origin;
        let mut built = build(&mut GenRng(SplitMix64::new(seed)), self, start, reach, fault);
        for _ in 0..8 {
            let last = built.0.iter().map(|e| e.on).max().unwrap_or(start);
            let shift = (self.today - last).get_days() as i64 - slack;
            // Meetings snap to working days, so a build may land a few days off.
            if start != origin && shift.abs() <= 10 && last <= self.today {
                break;
            }
            start = plus_days(start, shift);
            built = build(&mut GenRng(SplitMix64::new(seed)), self, start, reach, fault);
        }
        // Meetings snap to working days, which can push the last event past `today`, or (when
        // a snap drops a step that fell just before another) leave the case idle for months:
        // take the nearest start whose build ends shortly before `today`.
        let fits = |events: &[Event]| {
            let last = events.iter().map(|e| e.on).max().unwrap_or(self.today);
            last <= self.today && (self.today - last).get_days() as i64 <= slack + 40
        };
        // The nearest start that fits: 0, +1, -1, +2, -2 … days (a case near a step that falls
        // due may need months; 1,000,000 generated dossiers all fit within 400 days).
        for k in 1..=800i64 {
            if fits(&built.0) {
                break;
            }
            let offset = if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) };
            built = build(&mut GenRng(SplitMix64::new(seed)), self, plus_days(start, offset), reach, fault);
        }
        let (events, birth, mobile) = built;
        Generated { dossier: Dossier { birth_date: birth, mobile, events }, reach, fault }
    }
}

struct GenRng(SplitMix64);

impl GenRng {
    fn days(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.0.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, p: u64) -> bool {
        self.0.chance(p)
    }
}

#[expect(clippy::too_many_lines, reason = "one straight timeline of the 25 steps")]
fn build(
    g: &mut GenRng,
    cfg: &DossierGen<'_>,
    a: Date,
    reach: u8,
    fault: Option<&'static Check>,
) -> (Vec<Event>, Option<Date>, bool) {
    let is = |c: &Check| fault.is_some_and(|f| f.code == c.code);
    let mut b = Builder { events: Vec::new(), reach };
    let k = Kind::Step;
    let code = Value::Code;
    let text = |t: &str| Value::Text(t.into());
    let full = code("full");
    let [up, up2] = cfg.upper;
    let [m1, m2, m3] = cfg.members;

    let birth = if is(&e::UNDER_AGE) {
        plus_days(plus_months(a, -17 * 12), -g.days(1, 300))
    } else {
        plus_days(plus_months(a, -12 * g.days(20, 45)), -g.days(0, 300))
    };
    let mobile = g.chance(30) || is(&e::MOBILE_OPINIONS);
    b.add(k(s::APPLICATION), a, vec![]);
    let talk = plus_days(a, if is(&e::TALK_LATE) { g.days(35, 55) } else { g.days(3, 25) });
    b.add(k(s::TALK), talk, vec![(Key::Talker, text("支部委员"))]);
    let activist = workday(cfg.calendar, plus_days(talk, g.days(20, 150)));
    let decided = if is(&e::ACTIVIST_DECIDED) { "secretary" } else { "branch_committee" };
    let route = if g.chance(40) { "mass_org_recommendation" } else { "member_recommendation" };
    b.add(
        k(s::ACTIVIST),
        activist,
        vec![
            (Key::Route, code(route)),
            (
                Key::RecommendedBy,
                text(if route == "member_recommendation" { "党员推荐" } else { "共青团组织推优" }),
            ),
            (Key::DecidedBy, code(decided)),
        ],
    );
    let filed_on = plus_days(activist, g.days(1, 10));
    if let Some(f) = b.add(k(s::ACTIVIST_FILED), filed_on, vec![(Key::ToOrg, Value::Id(up))]) {
        if is(&e::ACTIVIST_NOT_FILED) {
            b.add(
                Kind::FilingReturn,
                plus_days(filed_on, 3),
                vec![(Key::Filing, Value::Int(f.into())), (Key::ReturnReason, text("材料不全"))],
            );
        } else if reach > s::ACTIVIST_FILED {
            b.add(
                Kind::FilingAck,
                plus_days(filed_on, 2),
                vec![(Key::Filing, Value::Int(f.into())), (Key::Receipt, text("BA-2024-001"))],
            );
        }
    }
    let second = if is(&e::CONTACT_NOT_FULL) { code("probationary") } else { full.clone() };
    b.add(
        k(s::CONTACTS),
        plus_days(filed_on, g.days(1, 10)),
        vec![
            (Key::Contact1, Value::Id(m1)),
            (Key::Contact1Status, full.clone()),
            (Key::Contact2, Value::Id(m2)),
            (Key::Contact2Status, second),
        ],
    );
    let span = if is(&e::ACTIVIST_YEAR) { g.days(300, 355) } else { g.days(375, 560) };
    let target = workday(cfg.calendar, plus_days(activist, span));
    let mut at = activist;
    let mut first_gap = is(&e::ASSESSMENT_GAP);
    loop {
        let step = if first_gap { g.days(192, 200) } else { g.days(120, 170) };
        first_gap = false;
        let next = plus_days(at, step);
        if next >= target {
            break;
        }
        b.add(k(s::CULTIVATION), next, vec![(Key::Result, text("表现良好"))]);
        at = next;
    }
    if reach >= s::TARGET && !is(&e::NOTICE_MISSING) {
        let posted = plus_days(target, -g.days(20, 30));
        let ends = cfg.calendar.nth_workday(posted, 5);
        let notice = b.add(
            Kind::PublicNotice,
            posted,
            vec![
                (Key::Point, code("target")),
                (Key::WorkingDays, Value::Int(5)),
                (Key::EndsOn, Value::Date(ends)),
            ],
        );
        if let Some(n) = notice
            && (is(&e::OBJECTION_OPEN) || g.chance(3))
        {
            let o = b.add(
                Kind::Objection,
                plus_days(posted, 2),
                vec![(Key::Notice, Value::Int(n.into())), (Key::Text, text("反映其工作表现问题"))],
            );
            if let (Some(o), false) = (o, is(&e::OBJECTION_OPEN)) {
                b.add(
                    Kind::ObjectionResolved,
                    plus_days(posted, 6),
                    vec![(Key::Objection, Value::Int(o.into())), (Key::Resolution, text("经核实不影响发展"))],
                );
            }
        }
    }
    let heard = if is(&e::OPINIONS) { plus_days(target, 2) } else { plus_days(target, -g.days(3, 10)) };
    b.add(
        k(s::TARGET),
        target,
        vec![(Key::OpinionsHeardOn, Value::Date(heard)), (Key::DecidedBy, code("branch_committee"))],
    );
    let target_filed = plus_days(target, g.days(1, 10));
    if !is(&e::TARGET_NOT_FILED) {
        b.add(k(s::TARGET_FILED), target_filed, vec![(Key::ToOrg, Value::Id(up))]);
    }
    let intro_on = plus_days(target_filed, g.days(1, 20));
    let mut intro = vec![(Key::Introducer1, Value::Id(m1)), (Key::Introducer1Status, full.clone())];
    if !is(&e::INTRODUCERS_COUNT) {
        intro.push((Key::Introducer2, Value::Id(m3)));
        let st = if is(&e::INTRODUCER_NOT_FULL) { code("probationary") } else { full.clone() };
        intro.push((Key::Introducer2Status, st));
    }
    b.add(k(s::INTRODUCERS), intro_on, intro);
    let started =
        if is(&e::TRAINING_EARLY) { plus_days(target, -5) } else { plus_days(intro_on, g.days(1, 30)) };
    let trained = plus_days(started.max(intro_on), g.days(3, 7));
    let (days, hours) = if is(&e::TRAINING_SHORT) { (2, 16) } else { (g.days(3, 7), g.days(24, 56)) };
    let review_on = plus_days(intro_on, g.days(1, 40));
    let committee = workday(cfg.calendar, plus_days(review_on.max(trained).max(intro_on), g.days(5, 20)));
    let review_date = if is(&e::REVIEW_LATE) { plus_days(committee, 2) } else { review_on };
    let conclusion = if is(&e::REVIEW_FAILED) { "fail" } else { "pass" };
    let residence = !is(&e::MOBILE_OPINIONS);
    let mut politics = vec![(Key::Conclusion, code(conclusion))];
    if mobile {
        politics.push((Key::HukouOpinion, Value::Bool(true)));
        politics.push((Key::ResidenceOpinion, Value::Bool(residence)));
    }
    b.add(k(s::POLITICAL_REVIEW), review_date, politics);
    b.add(
        k(s::TRAINING),
        trained,
        vec![
            (Key::Class, text("发展对象培训班")),
            (Key::StartedOn, Value::Date(started)),
            (Key::Days, Value::Int(days)),
            (Key::Hours, Value::Int(hours)),
            (Key::Passed, Value::Bool(true)),
        ],
    );
    b.add(k(s::COMMITTEE_REVIEW), committee, vec![(Key::ReviewResult, code("pass"))]);
    let prereview = plus_days(committee, g.days(10, 30));
    b.add(k(s::PRELIMINARY_REVIEW), prereview, vec![(Key::ReviewResult, code("pass"))]);
    let form = if is(&e::FORM_BEFORE_PREREVIEW) {
        plus_days(prereview, -3)
    } else {
        plus_days(prereview, g.days(1, 10))
    };
    b.add(k(s::APPLICATION_FORM), form, vec![(Key::IntroducerOpinions, Value::Bool(true))]);
    let meeting = workday(cfg.calendar, plus_days(form.max(prereview), g.days(5, 25)));
    b.add(k(s::ADMISSION_MEETING), meeting, vote(g, fault));
    let talk2 = plus_days(meeting, g.days(5, 30));
    if !is(&e::HIGHER_TALK_MISSING) {
        b.add(k(s::HIGHER_TALK), talk2, vec![(Key::Talker, text("党委组织员"))]);
    }
    let approval = if is(&e::APPROVAL_LATE) {
        plus_days(meeting, g.days(190, 240))
    } else {
        plus_days(talk2, g.days(5, 40))
    };
    let approver = if is(&e::APPROVER) {
        approver_fields(up2, "general_branch", false)
    } else {
        approver_fields(up, "committee", true)
    };
    let mut fields = approver.clone();
    fields.push((Key::Decision, code("approved")));
    b.add(k(s::APPROVAL), approval, fields);
    let approval_filed = plus_days(approval, g.days(1, 15));
    if !is(&e::APPROVAL_NOT_FILED) {
        b.add(k(s::APPROVAL_FILED), approval_filed, vec![(Key::ToOrg, Value::Id(up))]);
    }
    let placed = plus_days(approval, g.days(1, 10));
    b.add(k(s::PLACEMENT), placed, vec![(Key::Group, text("第一党小组"))]);
    let oath = if is(&e::OATH_EARLY) {
        plus_days(approval, -2)
    } else {
        plus_days(approval_filed.max(placed), g.days(1, 15))
    };
    b.add(k(s::OATH), oath, vec![]);
    let mut probation_end = plus_months(meeting, 12);
    for q in [90, 180, 270] {
        let d = plus_days(approval, q);
        if d < probation_end {
            b.add(k(s::PROBATION_ASSESSMENT), d, vec![(Key::Result, text("表现良好"))]);
        }
    }
    let early = is(&e::CONVERSION_EARLY);
    let extend = is(&e::EXTENSION_LENGTH) || (g.chance(4) && !early);
    let application = plus_days(probation_end, if early { -30 } else { -g.days(0, 10) });
    b.add(k(s::CONVERSION_APPLICATION), application, vec![]);
    let mut cm = workday(cfg.calendar, plus_days(probation_end, if early { -20 } else { g.days(0, 25) }));
    let mut first = true;
    loop {
        let outcome = if extend && first { "extend" } else { "convert" };
        let group = if is(&e::CONVERSION_ORDER) && first {
            plus_days(application, -2)
        } else {
            plus_days(application, 1).min(cm)
        };
        let mut fields = vec![
            (Key::GroupOpinionOn, Value::Date(group)),
            (Key::PublicOpinionOn, Value::Date(plus_days(application, 2).min(cm))),
            (Key::CommitteeReviewOn, Value::Date(plus_days(application, 3).min(cm))),
        ];
        fields.extend(vote(g, None));
        fields.push((Key::Outcome, code(outcome)));
        let months = if is(&e::EXTENSION_LENGTH) { 5 } else { g.days(6, 12) };
        if outcome == "extend" {
            fields.push((Key::ExtendMonths, Value::Int(months)));
        }
        b.add(k(s::CONVERSION_MEETING), cm, fields);
        let late = is(&e::CONVERSION_APPROVAL_LATE) && outcome == "convert";
        let decided = plus_days(cm, if late { g.days(100, 150) } else { g.days(10, 80) });
        if outcome == "extend" {
            probation_end = plus_months(probation_end, months);
        }
        let mut fields = approver_fields(up, "committee", true);
        fields.push((Key::Decision, code("approved")));
        if outcome == "convert" {
            let on = if is(&e::CONVERTED_ON) { decided } else { probation_end };
            fields.push((Key::ConvertedOn, Value::Date(on)));
        }
        b.add(k(s::CONVERSION_APPROVAL), decided, fields);
        if outcome == "convert" {
            let complete = !is(&e::ARCHIVE_INCOMPLETE);
            b.add(
                k(s::ARCHIVING),
                plus_days(decided, g.days(5, 30)),
                vec![
                    (Key::HasApplicationLetter, Value::Bool(true)),
                    (Key::HasApplicationForm, Value::Bool(true)),
                    (Key::HasPoliticalReview, Value::Bool(complete)),
                    (Key::HasConversionApplication, Value::Bool(true)),
                    (Key::HasCultivationRecords, Value::Bool(true)),
                ],
            );
            break;
        }
        if reach < s::CONVERSION_APPROVAL {
            break;
        }
        first = false;
        cm = workday(cfg.calendar, plus_days(probation_end, g.days(0, 20)).max(plus_days(decided, 1)));
    }
    (b.events, Some(birth), mobile)
}

fn approver_fields(org: Uuid, kind: &'static str, authority: bool) -> Vec<(Key, Value)> {
    vec![
        (Key::Approver, Value::Id(org)),
        (Key::ApproverKind, Value::Code(kind)),
        (Key::ApproverAuthority, Value::Bool(authority)),
        (Key::ApproverTemporary, Value::Bool(false)),
    ]
}

fn vote(g: &mut GenRng, fault: Option<&'static Check>) -> Vec<(Key, Value)> {
    let is = |c: &Check| fault.is_some_and(|f| f.code == c.code);
    let expected = g.days(5, 40);
    let (present, for_, written) = if is(&e::QUORUM) {
        // Too few present, but enough in favour with the written votes.
        let present = expected / 2;
        let needed = expected / 2 + 1;
        (present, present, needed - present)
    } else if is(&e::MAJORITY) {
        let present = expected / 2 + 1 + (expected / 4);
        (present.min(expected), expected / 2, 0)
    } else {
        let present = g.days(expected / 2 + 1, expected);
        (present, g.days(expected / 2 + 1, present), 0)
    };
    let method = if is(&e::BALLOT) { "show_of_hands" } else { "secret_ballot" };
    vec![
        (Key::Expected, Value::Int(expected)),
        (Key::Present, Value::Int(present)),
        (Key::For, Value::Int(for_)),
        (Key::Against, Value::Int(present - for_)),
        (Key::Abstain, Value::Int(0)),
        (Key::WrittenFor, Value::Int(written)),
        (Key::Method, Value::Code(method)),
        (Key::Candidates, Value::Int(1)),
    ]
}

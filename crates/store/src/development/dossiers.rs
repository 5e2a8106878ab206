//! Member-development dossiers in storage: open one for a person, record an event (checked
//! by the rule engine inside the write, journaled, the person's status kept in step), read a
//! dossier back, list an organisation's cases and deadlines, and stream every dossier in a
//! subtree for screening.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::{OrgRecord, parse_date};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::calendar::WorkCalendar;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{self, Dossier, Event, Key, Kind, Value, step as s};
use pioneer_domain::development::engine::{self, DeadlineKind, Evaluation, Refusal, RuleBook, Severity};
use pioneer_domain::development::vote;
use pioneer_domain::orgs;
use pioneer_domain::people::Status;
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// A dossier as stored.
#[derive(Debug, Clone)]
pub struct DossierRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The organisation that has it now.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Its path (scope checks).
    pub org_path: String,
    /// Entered in backfill mode at least once.
    pub backfill: bool,
    /// The events and facts the rules need.
    pub dossier: Dossier,
    /// The organisation each event was recorded under (hand-overs), by seq.
    pub recorded_under: Vec<(u32, Uuid)>,
}

/// One line of a case list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DossierSummary {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Name.
    pub person_name: String,
    /// Organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Stage code.
    pub stage: String,
    /// State code.
    pub state: String,
    /// The earliest open due date.
    pub next_due: Option<Date>,
    /// The step it concerns.
    pub next_due_step: Option<u8>,
    /// Violations when last written.
    pub violations: i64,
    /// Warnings when last written.
    pub warnings: i64,
}

/// What a case list is narrowed to and ordered by.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// The subtree.
    pub org_path: String,
    /// Part of the person's name.
    pub q: Option<String>,
    /// One stage (`application` … `probation`).
    pub stage: Option<String>,
    /// Only open cases with a step due before this day.
    pub overdue_on: Option<Date>,
    /// The order.
    pub sort: DossierSort,
    /// Largest (or latest) first.
    pub descending: bool,
}

/// What a case list is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DossierSort {
    /// The next due date, cases with none last.
    #[default]
    Due,
    /// The person's name.
    Name,
    /// The organisation's name.
    Org,
    /// The stage, in the procedure's order.
    Stage,
    /// Violations, then warnings.
    Findings,
}

/// A page of cases and how many match.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DossierPage {
    /// The cases.
    pub items: Vec<DossierSummary>,
    /// Matches, counted up to [`crate::people::COUNT_CAP`].
    pub total: u64,
    /// More than the cap match.
    pub total_capped: bool,
}

/// What else an event's transaction settles.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Accepting {
    /// An objection received against a notice, accepted with the event.
    Objection(Uuid),
    /// An application submitted online, accepted as the first step.
    Application(Uuid),
}

/// A new event as entered: what, when, the typed fields.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Kind.
    pub kind: Kind,
    /// Date of the act.
    pub on: Date,
    /// Typed fields (captured ones are filled here).
    pub fields: Vec<(Key, Value)>,
    /// The event it corrects.
    pub corrects: Option<u32>,
    /// Backfill mode: record as found, findings and all.
    pub backfill: bool,
}

/// One dossier read for screening.
#[derive(Debug, Clone)]
pub struct ScreenRow {
    /// Dossier id.
    pub id: Uuid,
    /// Its organisation.
    pub org_id: Uuid,
    /// Its organisation's path (settings are inherited along it).
    pub org_path: String,
    /// The dossier.
    pub dossier: Dossier,
}

/// A dossier row as read: id, organisation, its path, birth date, mobile, encoded events.
pub type RawDossierRow = (Uuid, Uuid, String, Option<String>, bool, String);

/// Decodes a row read by [`Store::dossier_rows_after`].
pub fn decode_row(row: RawDossierRow) -> Result<ScreenRow, StoreError> {
    let (id, org_id, org_path, birth, mobile, encoded) = row;
    let events = dossier::decode(&encoded).map_err(|_| StoreError::Corrupt("dossiers.encoded"))?;
    Ok(ScreenRow {
        id,
        org_id,
        org_path,
        dossier: Dossier { birth_date: parse_date("birth_date", birth)?, mobile, events },
    })
}

/// A filing waiting for the upper organisation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FilingItem {
    /// Dossier.
    pub dossier_id: Uuid,
    /// The filing event.
    pub seq: u32,
    /// Step code.
    pub kind: String,
    /// Filed on.
    pub on: Date,
    /// Whose.
    pub person_name: String,
    /// From which organisation.
    pub from_org: String,
}

/// A public notice on the board.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoticeItem {
    /// The notice's public reference (GS-…): the board shows no internal id.
    pub code: String,
    /// Dossier (internal: never shown on the board or in the public API).
    #[serde(skip)]
    pub dossier_id: Uuid,
    /// The notice event (internal).
    #[serde(skip)]
    pub seq: u32,
    /// Before which step (`target`).
    pub point: String,
    /// Posted on.
    pub on: Date,
    /// Runs until.
    pub ends_on: Date,
    /// Whose: what a 公示 shows of the person (name, gender, year and month of birth,
    /// education), nothing more.
    pub person_name: String,
    /// Gender.
    pub gender: pioneer_domain::people::gender::Gender,
    /// Born (year and month, 1995-03).
    pub born: String,
    /// Education.
    pub education: pioneer_domain::people::Education,
    /// Organisation.
    pub org_name: String,
    /// Where objections may also be brought in person (the organisation's address).
    pub org_address: Option<String>,
}

fn refusal(kind: Kind, r: Refusal) -> StoreError {
    let mut e = ValidationErrors::default();
    match r {
        Refusal::InFuture => e.push("on", Reason::DateInFuture),
        Refusal::NotNext { .. } => e.push(
            "on",
            Reason::Broken {
                rule: kind.step().and_then(|st| st.rules.first().copied()).unwrap_or("AUD-26"),
                zh: "该环节现在不能办理：前置环节尚未完成，或已经办理过",
                en: "This step cannot be recorded now: an earlier step is missing, or it is already done",
            },
        ),
        Refusal::NoSuchRecord => e.push("on", Reason::UnknownChoice),
        Refusal::Breaks(findings) => {
            for f in findings {
                e.push(
                    engine::field_of(f.check),
                    Reason::Broken { rule: f.check.rule, zh: f.check.zh, en: f.check.en },
                );
            }
        }
    }
    StoreError::Invalid(e)
}

/// The fields as a JSON object of text values (the `fields` column of `dossier_events`).
pub(crate) fn fields_json(fields: &[(Key, Value)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        fields.iter().map(|(k, v)| (k.code().to_owned(), serde_json::Value::String(v.to_text()))).collect();
    serde_json::Value::Object(map).to_string()
}

/// The columns of an event row that the filing queue, the notice board and the hand-over
/// lists look up: the organisation filed with or transferred to, the record answered, the
/// notice's last day.
pub(crate) fn event_columns(e: &Event) -> (Option<Uuid>, Option<i64>, Option<String>) {
    let to_org = if matches!(
        e.kind,
        Kind::Step(s::ACTIVIST_FILED | s::TARGET_FILED | s::APPROVAL_FILED) | Kind::Transfer
    ) {
        e.id(Key::ToOrg)
    } else {
        None
    };
    let ref_seq = [Key::Filing, Key::Notice, Key::Objection].iter().map(|k| e.int(*k)).find(|n| *n > 0);
    (to_org, ref_seq, e.date(Key::EndsOn).map(|x| x.to_string()))
}

/// Where a dossier stands, as its row keeps it: stage, state, earliest open due date and
/// its step, violations and warnings.
pub(crate) struct RowFigures {
    pub stage: &'static str,
    pub state: &'static str,
    pub due: Option<String>,
    pub due_step: Option<i64>,
    pub violations: i64,
    pub warnings: i64,
}

pub(crate) fn row_figures(e: &Evaluation) -> RowFigures {
    use pioneer_domain::development::procedure::Stage;
    let due = e
        .deadlines
        .iter()
        .filter(|d| d.kind != DeadlineKind::NotBefore)
        .min_by_key(|d| d.due)
        .map(|d| (d.due.to_string(), i64::from(d.step)));
    let violations = e.findings.iter().filter(|f| f.check.severity == Severity::Violation).count() as i64;
    RowFigures {
        stage: match e.stage {
            Stage::Application => "application",
            Stage::Activist => "activist",
            Stage::DevelopmentTarget => "development_target",
            Stage::Admission => "admission",
            Stage::Probation => "probation",
        },
        state: match e.state {
            engine::CaseState::Open => "open",
            engine::CaseState::Rejected => "rejected",
            engine::CaseState::Cancelled => "cancelled",
            engine::CaseState::Converted => "converted",
            engine::CaseState::Archived => "archived",
        },
        due_step: due.as_ref().map(|d| d.1),
        due: due.map(|d| d.0),
        violations,
        warnings: e.findings.len() as i64 - violations,
    }
}

/// Moves a person's status and dates forwards to where their dossier stands, never back,
/// and never the status of someone recorded as having left (STAT-004): bind the person,
/// then [`status_binds`], then the time, then the tenant.
pub(crate) const FOLLOW_STATUS_SQL: &str = "UPDATE people SET status = CASE WHEN $2 > (CASE status \
    WHEN 'non_member' THEN 0 WHEN 'applicant' THEN 1 WHEN 'activist' THEN 2 WHEN 'development_target' THEN 3 \
    WHEN 'probationary_member' THEN 4 ELSE 5 END) \
    AND NOT EXISTS (SELECT 1 FROM departures WHERE departures.tenant_id = $10 AND departures.person_id = $1) \
    THEN $3 ELSE status END, \
    applied_on = COALESCE($4, applied_on), activist_on = COALESCE($5, activist_on), \
    target_on = COALESCE($6, target_on), admitted_on = COALESCE($7, admitted_on), \
    full_member_on = COALESCE($8, full_member_on), updated_at = $9 WHERE tenant_id = $10 AND id = $1";

/// The status rank, status code and the five dates a dossier has reached ($2–$8 of
/// [`FOLLOW_STATUS_SQL`]).
pub(crate) fn status_binds(d: &Dossier) -> (i64, &'static str, [Option<String>; 5]) {
    let (status, dates) = engine::status_reached(d);
    let day = |x: Option<Date>| x.map(|v| v.to_string());
    let rank = match status {
        Status::NonMember => 0,
        Status::Applicant => 1,
        Status::Activist => 2,
        Status::DevelopmentTarget => 3,
        Status::ProbationaryMember => 4,
        Status::FullMember => 5,
    };
    (
        rank,
        status.code(),
        [
            day(dates.applied_on),
            day(dates.activist_on),
            day(dates.target_on),
            day(dates.admitted_on),
            day(dates.full_member_on),
        ],
    )
}

fn summary_from_row(r: &impl RowLike) -> Result<DossierSummary, StoreError> {
    r.summary()
}

/// Reads a list row on either database.
trait RowLike {
    fn summary(&self) -> Result<DossierSummary, StoreError>;
}

macro_rules! impl_row_like {
    ($row:ty) => {
        impl RowLike for $row {
            fn summary(&self) -> Result<DossierSummary, StoreError> {
                let step: Option<i64> = self.try_get("next_due_step")?;
                Ok(DossierSummary {
                    id: self.try_get("id")?,
                    person_id: self.try_get("person_id")?,
                    person_name: self.try_get("person_name")?,
                    org_id: self.try_get("org_id")?,
                    org_name: self.try_get("org_name")?,
                    stage: self.try_get("stage")?,
                    state: self.try_get("state")?,
                    next_due: parse_date("next_due", self.try_get("next_due")?)?,
                    next_due_step: step.and_then(|n| u8::try_from(n).ok()),
                    violations: self.try_get("violations")?,
                    warnings: self.try_get("warnings")?,
                })
            }
        }
    };
}
impl_row_like!(sqlx::sqlite::SqliteRow);
impl_row_like!(sqlx::postgres::PgRow);

const SUMMARY_COLUMNS: &str = "d.id, d.person_id, p.name AS person_name, d.org_id, o.name AS org_name, d.stage, \
    d.state, d.next_due, d.next_due_step, d.violations, d.warnings";

impl Store {
    /// The working-day calendar: the admin's table if one was saved, else the shipped one.
    pub async fn work_calendar(&self) -> Result<WorkCalendar, StoreError> {
        match self.meta("work_calendar").await? {
            Some(text) => WorkCalendar::parse(&text).map_err(|_| StoreError::Corrupt("work_calendar")),
            None => Ok(WorkCalendar::shipped()),
        }
    }

    /// The rules with the deployment's working-day calendar (rest days for AUD-27).
    pub async fn rule_book(&self) -> Result<RuleBook, StoreError> {
        Ok(RuleBook::with_calendar(self.work_calendar().await?))
    }

    /// Replaces the working-day calendar (checked first).
    pub async fn set_work_calendar(&self, text: &str) -> Result<(), StoreError> {
        if WorkCalendar::parse(text).is_err() {
            return Err(FieldError::new("calendar", Reason::UnknownChoice).into());
        }
        self.set_meta("work_calendar", text).await
    }

    /// Every organisation's own settings of the L and U rules (of the request's tenant,
    /// when it works in one).
    pub async fn all_dev_settings(&self) -> Result<HashMap<Uuid, DevSettings>, StoreError> {
        let rows: Vec<(Uuid, String)> = on_db!(self.db(), pool => {
            let sql = match crate::tenancy::current() {
                Some(_) => "SELECT org_id, settings FROM dev_settings WHERE tenant_id = $1",
                None => "SELECT org_id, settings FROM dev_settings",
            };
            crate::tenancy::bind_tenant!(sqlx::query_as(sql)).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, text)| {
                serde_json::from_str(&text).map(|s| (id, s)).map_err(|_| StoreError::Corrupt("dev_settings"))
            })
            .collect()
    }

    /// The settings in force for an organisation: its own, else its nearest ancestor's,
    /// else the defaults.
    pub async fn dev_settings_for(&self, org_path: &str) -> Result<DevSettings, StoreError> {
        let all = self.all_dev_settings().await?;
        Ok(settings_along(&all, org_path))
    }

    /// Saves an organisation's settings (checked first).
    pub async fn set_dev_settings(
        &self,
        org_id: Uuid,
        settings: &DevSettings,
        act: &Act,
    ) -> Result<(), StoreError> {
        settings.check()?;
        let o = self.org(org_id).await?;
        let text = serde_json::to_string(settings).map_err(|_| StoreError::Corrupt("dev_settings"))?;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "dev_settings",
            entity_id: Some(org_id),
            change: serde_json::json!({ "settings": settings }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO dev_settings (org_id, settings, updated_at, tenant_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (tenant_id, org_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
            )
            .bind(org_id)
            .bind(&text)
            .bind(at)
            .bind(o.tenant_id)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The dossier of a person, if one is open.
    pub async fn dossier_of_person(&self, person_id: Uuid) -> Result<Option<Uuid>, StoreError> {
        let id: Option<Uuid> = on_db!(self.db(), pool => {
            let sql = format!("SELECT id FROM dossiers WHERE person_id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(person_id)).fetch_optional(pool).await?
        });
        Ok(id)
    }

    /// The stage a person's dossier stands at (its stored `stage`, written with every event),
    /// if they have one.
    pub async fn dossier_stage_of_person(&self, person_id: Uuid) -> Result<Option<String>, StoreError> {
        let stage: Option<String> = on_db!(self.db(), pool => {
            let sql = format!("SELECT stage FROM dossiers WHERE person_id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(person_id)).fetch_optional(pool).await?
        });
        Ok(stage)
    }

    /// Opens an empty dossier for a person (one per person).
    pub async fn open_dossier(&self, person_id: Uuid, act: &Act) -> Result<Uuid, StoreError> {
        let person = match self.person(person_id).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                return Err(FieldError::new("person_id", Reason::UnknownPerson).into());
            }
            Err(e) => return Err(e),
        };
        if self.dossier_of_person(person_id).await?.is_some() {
            return Err(FieldError::new(
                "person_id",
                Reason::Broken {
                    rule: "DEV-000",
                    zh: "此人已有发展党员档案",
                    en: "This person already has a dossier",
                },
            )
            .into());
        }
        let id = Uuid::now_v7();
        let at = act.at.as_millisecond();
        let change = Change {
            tenant_id: person.tenant_id,
            entity: "dossier",
            entity_id: Some(id),
            change: serde_json::json!({ "opened_for": person_id }),
            rows: vec![("dossiers", id)],
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO dossiers (id, tenant_id, person_id, org_id, org_path, birth_date, mobile, stage, state, \
                 next_due, next_due_step, violations, warnings, backfill, event_count, encoded, is_demo, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'application', 'open', NULL, NULL, 0, 0, FALSE, 0, '', $8, $9, $9)",
            )
            .bind(id)
            .bind(person.tenant_id)
            .bind(person_id)
            .bind(person.fields.org_id)
            .bind(&person.org_path)
            .bind(person.fields.birth_date.to_string())
            .bind(person.fields.is_mobile)
            .bind(person.is_demo)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Reads a dossier.
    pub async fn dossier(&self, id: Uuid) -> Result<DossierRecord, StoreError> {
        on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT d.id, d.tenant_id, d.person_id, p.name AS person_name, d.org_id, o.name AS org_name, \
                 d.org_path, d.backfill, d.birth_date, d.mobile, d.encoded \
                 FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = d.org_id WHERE d.id = $1{}",
                crate::tenancy::and_tenant("d.tenant_id", 2)
            );
            let row = crate::tenancy::bind_tenant!(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id))
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            let encoded: String = row.try_get("encoded")?;
            let events = dossier::decode(&encoded).map_err(|_| StoreError::Corrupt("dossiers.encoded"))?;
            let tenant: Uuid = row.try_get("tenant_id")?;
            let under: Vec<(i64, Uuid)> = sqlx::query_as(
                "SELECT seq, org_id FROM dossier_events WHERE tenant_id = $2 AND dossier_id = $1 ORDER BY seq",
            )
            .bind(id)
            .bind(tenant)
            .fetch_all(pool)
                    .await?;
            Ok(DossierRecord {
                id: row.try_get("id")?,
                tenant_id: row.try_get("tenant_id")?,
                person_id: row.try_get("person_id")?,
                person_name: row.try_get("person_name")?,
                org_id: row.try_get("org_id")?,
                org_name: row.try_get("org_name")?,
                org_path: row.try_get("org_path")?,
                backfill: row.try_get("backfill")?,
                dossier: Dossier {
                    birth_date: parse_date("birth_date", row.try_get("birth_date")?)?,
                    mobile: row.try_get("mobile")?,
                    events,
                },
                recorded_under: under.into_iter().map(|(s, o)| (s as u32, o)).collect(),
            })
        })
    }

    /// Fills the fields the system captures from the records on the event's date.
    async fn capture(&self, d: &DossierRecord, ev: &mut Event) -> Result<(), StoreError> {
        self.capture_fields(d.tenant_id, d.org_id, ev).await
    }

    /// Fills the fields the system captures for an event of a dossier of `tenant` kept by
    /// `org`, from the records on the event's date: each contact's and introducer's standing,
    /// the approver's kind and authority, a notice's last day, a transfer's origin. People and
    /// organisations a historic record declared as outside the deployment ([`Key::Declared`])
    /// keep the standing the file gave them.
    pub async fn capture_fields(&self, tenant: Uuid, org: Uuid, ev: &mut Event) -> Result<(), StoreError> {
        self.capture_with(&mut CaptureCache::default(), tenant, org, ev).await
    }

    /// [`Store::capture_fields`] for many events in a row (an import): the people, their
    /// periods of discipline, the organisations and the calendar are read once into `cache`.
    pub async fn capture_with(
        &self,
        cache: &mut CaptureCache,
        tenant: Uuid,
        org: Uuid,
        ev: &mut Event,
    ) -> Result<(), StoreError> {
        let declared: Vec<Key> = ev.declared().map(|(k, _)| k).collect();
        let is_declared = |k: Key| declared.contains(&k);
        let standing = |p: &crate::people::PersonRecord, on: Date| {
            let dates = &p.fields.dates;
            if dates.full_member_on.is_some_and(|f| f <= on) && p.fields.status == Status::FullMember {
                "full"
            } else if dates.admitted_on.is_some_and(|a| a <= on) && p.fields.status.is_member() {
                "probationary"
            } else {
                "not_member"
            }
        };
        // Each person's standing on the day they were appointed (an introducer may have a day
        // of their own).
        let people = [
            (Key::Contact1, Key::Contact1Status, None),
            (Key::Contact2, Key::Contact2Status, None),
            (Key::Introducer1, Key::Introducer1Status, Some(Key::Introducer1On)),
            (Key::Introducer2, Key::Introducer2Status, Some(Key::Introducer2On)),
        ];
        for (who, status, own_day) in people {
            if is_declared(who) {
                continue;
            }
            if let Some(id) = ev.id(who) {
                if let std::collections::hash_map::Entry::Vacant(slot) = cache.people.entry(id) {
                    let found = match self.person(id).await {
                        Ok(p) if p.tenant_id == tenant => Some((p, self.disciplines(id).await?)),
                        Ok(_) | Err(StoreError::NotFound) => None,
                        Err(e) => return Err(e),
                    };
                    slot.insert(found);
                }
                let Some((p, periods)) = cache.people.get(&id).and_then(Option::as_ref) else {
                    return Err(FieldError::new(who.code(), Reason::UnknownPerson).into());
                };
                let day = own_day.and_then(|k| ev.date(k)).unwrap_or(ev.on);
                // A member under 留党察看 that day may not introduce or cultivate.
                let disciplined = periods.iter().any(|d| d.covers(day));
                let code = if disciplined && standing(p, day) != "not_member" {
                    "disciplined"
                } else {
                    standing(p, day)
                };
                ev.set(status, Value::Code(code));
            }
        }
        for key in [Key::Approver, Key::ToOrg] {
            if is_declared(key) {
                continue;
            }
            if let Some(id) = ev.id(key) {
                let o = match cache.orgs.get(&id) {
                    Some(o) => o.clone(),
                    None => {
                        let o = self.org_in_tenant(id, tenant, key.code()).await?;
                        cache.orgs.insert(id, o.clone());
                        o
                    }
                };
                if key == Key::Approver {
                    ev.set(Key::ApproverKind, Value::Code(o.fields.kind.code()));
                    ev.set(Key::ApproverAuthority, Value::Bool(o.fields.approval_authority));
                    ev.set(Key::ApproverTemporary, Value::Bool(o.fields.temporary));
                }
            }
        }
        if ev.kind == Kind::PublicNotice {
            if cache.calendar.is_none() {
                cache.calendar = Some(self.work_calendar().await?);
            }
            let cal = cache.calendar.as_ref().ok_or(StoreError::Corrupt("work_calendar"))?;
            match (ev.get(Key::WorkingDays).is_some(), ev.date(Key::EndsOn)) {
                // A historic notice as the paper gives it, from one day to another: its length
                // in working days by the calendar.
                (false, Some(end)) if ev.backfill => {
                    let days = cal.workdays_between(ev.on, end);
                    ev.set(Key::WorkingDays, Value::Int(i64::from(days)));
                }
                _ => {
                    let days = u32::try_from(ev.int(Key::WorkingDays)).unwrap_or(5);
                    ev.set(Key::EndsOn, Value::Date(cal.nth_workday(ev.on, days)));
                }
            }
        }
        if ev.kind == Kind::Transfer {
            ev.set(Key::FromOrg, Value::Id(org));
        }
        Ok(())
    }

    async fn org_in_tenant(
        &self,
        id: Uuid,
        tenant: Uuid,
        field: &'static str,
    ) -> Result<OrgRecord, StoreError> {
        match self.org(id).await {
            Ok(o) if o.tenant_id == tenant && o.closed_on.is_none() => Ok(o),
            // Another top organisation's: a transfer between working committees (and on a
            // Citus cluster, between shard groups) is a transfer out here, an entry there.
            Ok(o) if o.tenant_id != tenant => Err(FieldError::new(field, Reason::CrossTenantTransfer).into()),
            Ok(o) if o.closed_on.is_some() => Err(FieldError::new(field, Reason::OrganizationClosed).into()),
            Ok(_) | Err(StoreError::NotFound) => {
                Err(FieldError::new(field, Reason::UnknownOrganization).into())
            }
            Err(e) => Err(e),
        }
    }

    /// Records an event: captures the system's fields, checks it with the rule engine
    /// (refused with the rule's id unless in backfill mode), then writes the event, the
    /// dossier row, the person's status and a journal entry in one transaction. Returns the
    /// evaluation after it.
    pub async fn record_event(
        &self,
        dossier_id: Uuid,
        new: NewEvent,
        today: Date,
        act: &Act,
    ) -> Result<Evaluation, StoreError> {
        self.record_event_and(dossier_id, new, today, act, None).await
    }

    /// Records an event as [`Store::record_event`] does; with `accepting`, in the same
    /// transaction marks that received objection, or that application waiting, accepted
    /// with the event (refused as changed meanwhile, nothing written, when it no longer
    /// waits).
    pub(crate) async fn record_event_and(
        &self,
        dossier_id: Uuid,
        new: NewEvent,
        today: Date,
        act: &Act,
        accepting: Option<Accepting>,
    ) -> Result<Evaluation, StoreError> {
        let d = self.dossier(dossier_id).await?;
        let settings = self.dev_settings_for(&d.org_path).await?;
        let seq = d.dossier.next_seq();
        let mut ev = Event {
            seq,
            kind: new.kind,
            on: new.on,
            corrects: new.corrects,
            backfill: new.backfill,
            fields: new.fields,
        };
        self.capture(&d, &mut ev).await?;
        if vote::is_vote(ev.kind) {
            let full = self.count_full_members(d.org_id, ev.on).await?;
            vote::check_expected_voters(&ev, full).map_err(|e| StoreError::Invalid(e.into()))?;
        }
        let eval = engine::guard(&self.rule_book().await?, &d.dossier, &ev, &settings, today)
            .map_err(|r| refusal(ev.kind, r))?;
        let mut after = d.dossier.clone();
        after.events.push(ev.clone());
        let encoded = dossier::encode(&after.events);
        let figures = row_figures(&eval);
        let (rank, status, dates) = status_binds(&after);
        let transfer_to = if ev.kind == Kind::Transfer { ev.id(Key::ToOrg) } else { None };
        let new_org = match transfer_to {
            Some(id) => Some(self.org_in_tenant(id, d.tenant_id, "to_org").await?),
            None => None,
        };
        let fields = fields_json(&ev.fields);
        let change = Change {
            tenant_id: d.tenant_id,
            entity: "dossier_event",
            entity_id: Some(dossier_id),
            change: serde_json::json!({
                "seq": seq, "kind": ev.kind.code(), "on": ev.on.to_string(), "corrects": ev.corrects,
                "backfill": ev.backfill, "fields": serde_json::from_str::<serde_json::Value>(&fields).unwrap_or_default(),
            }),
            rows: vec![("dossiers", dossier_id), ("people", d.person_id)],
        };
        let event_id = Uuid::now_v7();
        let change = change.row("dossier_events", event_id);
        let (to_org, ref_seq, ends_on) = event_columns(&ev);
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE dossiers SET encoded = $2, event_count = $3, stage = $4, state = $5, next_due = $6, \
                 next_due_step = $7, violations = $8, warnings = $9, backfill = (backfill OR $10), updated_at = $11 \
                 WHERE tenant_id = $13 AND id = $1 AND event_count = $12",
            )
            .bind(dossier_id)
            .bind(&encoded)
            .bind(after.events.len() as i64)
            .bind(figures.stage)
            .bind(figures.state)
            .bind(&figures.due)
            .bind(figures.due_step)
            .bind(figures.violations)
            .bind(figures.warnings)
            .bind(ev.backfill)
            .bind(at)
            .bind(d.dossier.events.len() as i64)
            .bind(d.tenant_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Err(StoreError::Contention);
            }
            sqlx::query(
                "INSERT INTO dossier_events (id, tenant_id, dossier_id, seq, kind, happened_on, corrects, backfill, \
                 fields, org_id, to_org, ref_seq, ends_on, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(event_id)
            .bind(d.tenant_id)
            .bind(dossier_id)
            .bind(i64::from(seq))
            .bind(ev.kind.code())
            .bind(ev.on.to_string())
            .bind(ev.corrects.map(i64::from))
            .bind(ev.backfill)
            .bind(&fields)
            .bind(d.org_id)
            .bind(to_org)
            .bind(ref_seq)
            .bind(&ends_on)
            .bind(at)
            .bind(&act.actor)
            .execute(&mut *tx)
            .await?;
            let [applied, activist, target, admitted, full] = &dates;
            sqlx::query(FOLLOW_STATUS_SQL)
                .bind(d.person_id)
                .bind(rank)
                .bind(status)
                .bind(applied)
                .bind(activist)
                .bind(target)
                .bind(admitted)
                .bind(full)
                .bind(at)
                .bind(d.tenant_id)
            .execute(&mut *tx)
            .await?;
            if let Some(o) = &new_org {
                sqlx::query("UPDATE dossiers SET org_id = $2, org_path = $3 WHERE tenant_id = $4 AND id = $1")
                    .bind(dossier_id)
                    .bind(o.id)
                    .bind(&o.path)
                    .bind(d.tenant_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE people SET org_id = $2, org_path = $3 WHERE tenant_id = $4 AND id = $1")
                    .bind(d.person_id)
                    .bind(o.id)
                    .bind(&o.path)
                    .bind(d.tenant_id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(Accepting::Application(application)) = accepting {
                let n = sqlx::query(
                    "UPDATE applications SET status = 'accepted', decided_at = $2, decided_by = $3, dossier_id = $4 \
                     WHERE tenant_id = $5 AND id = $1 AND status = 'submitted'",
                )
                .bind(application).bind(at).bind(&act.actor).bind(dossier_id).bind(d.tenant_id)
                .execute(&mut *tx).await?.rows_affected();
                if n != 1 {
                    return Err(pioneer_domain::FieldError::new("application", Reason::ChangedMeanwhile).into());
                }
            }
            if let Some(Accepting::Objection(objection)) = accepting {
                let n = sqlx::query(
                    "UPDATE objections SET status = 'accepted', decided_at = $2, decided_by = $3, event_seq = $4 \
                     WHERE tenant_id = $6 AND id = $1 AND dossier_id = $5 AND status = 'received'",
                )
                .bind(objection).bind(at).bind(&act.actor).bind(i64::from(seq)).bind(dossier_id).bind(d.tenant_id)
                .execute(&mut *tx).await?.rows_affected();
                if n != 1 {
                    return Err(pioneer_domain::FieldError::new("objection", Reason::ChangedMeanwhile).into());
                }
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(eval)
    }

    /// Cases of an organisation subtree, the most urgent first.
    pub async fn list_dossiers(&self, org_path: &str, limit: i64) -> Result<Vec<DossierSummary>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             JOIN organizations o ON o.id = d.org_id WHERE d.org_path >= $1 AND d.org_path < $2 \
             ORDER BY CASE WHEN d.next_due IS NULL THEN 1 ELSE 0 END, d.next_due, d.id LIMIT $3"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org_path).bind(&end).bind(limit).fetch_all(pool).await?;
            rows.iter().map(summary_from_row).collect()
        })
    }

    /// Page `page` (1-based, `per_page` at most 200) of a subtree's cases that `f` matches,
    /// in its order, with how many match (counted up to [`crate::people::COUNT_CAP`]).
    pub async fn search_dossiers(
        &self,
        f: &DossierFilter,
        page: u32,
        per_page: u32,
    ) -> Result<DossierPage, StoreError> {
        let mut cond = vec!["d.org_path >= $1".to_owned(), "d.org_path < $2".to_owned()];
        let mut texts: Vec<String> = vec![f.org_path.clone(), orgs::subtree_end(&f.org_path)];
        let mut add = |sql: &str, v: String, cond: &mut Vec<String>| {
            texts.push(v);
            cond.push(sql.replace('?', &format!("${}", texts.len())));
        };
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // Any part of the name: case lists are a subtree's, not a million rows.
            add("p.name LIKE ?", format!("%{}%", q.replace(['%', '_'], "")), &mut cond);
        }
        if let Some(stage) = &f.stage {
            add("d.stage = ?", stage.clone(), &mut cond);
        }
        if let Some(today) = f.overdue_on {
            add(
                "d.state = 'open' AND d.next_due IS NOT NULL AND d.next_due < ?",
                today.to_string(),
                &mut cond,
            );
        }
        let dir = if f.descending { "DESC" } else { "ASC" };
        let order = match f.sort {
            DossierSort::Due => format!("CASE WHEN d.next_due IS NULL THEN 1 ELSE 0 END, d.next_due {dir}"),
            DossierSort::Name => format!("p.name {dir}"),
            DossierSort::Org => format!("o.name {dir}"),
            DossierSort::Stage => format!(
                "CASE d.stage WHEN 'application' THEN 1 WHEN 'activist' THEN 2 WHEN 'development_target' THEN 3 \
                 WHEN 'admission' THEN 4 ELSE 5 END {dir}"
            ),
            DossierSort::Findings => format!("d.violations {dir}, d.warnings {dir}"),
        };
        let where_sql = cond.join(" AND ");
        let per_page = per_page.clamp(1, 200);
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             JOIN organizations o ON o.id = d.org_id WHERE {where_sql} ORDER BY {order}, d.id LIMIT {per_page} OFFSET {offset}"
        );
        let cap = crate::people::COUNT_CAP;
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             WHERE {where_sql} LIMIT {}) AS c",
            cap + 1
        );
        let (items, total) = on_db!(self.db(), pool => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(list_sql));
            let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
            for t in &texts {
                q = q.bind(t.clone());
                c = c.bind(t.clone());
            }
            let rows = q.fetch_all(pool).await?;
            let items = rows.iter().map(summary_from_row).collect::<Result<Vec<_>, StoreError>>()?;
            (items, c.fetch_one(pool).await?)
        });
        let total = u64::try_from(total).unwrap_or(0);
        Ok(DossierPage { items, total: total.min(cap), total_capped: total > cap })
    }

    /// Open cases in a subtree with a step due on or before `until` (overdue ones included).
    pub async fn due_dossiers(
        &self,
        org_path: &str,
        until: Date,
        limit: i64,
    ) -> Result<Vec<DossierSummary>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             JOIN organizations o ON o.id = d.org_id WHERE d.org_path >= $1 AND d.org_path < $2 \
             AND d.state = 'open' AND d.next_due IS NOT NULL AND d.next_due <= $3 ORDER BY d.next_due, d.id LIMIT $4"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org_path)
                .bind(&end)
                .bind(until.to_string())
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(summary_from_row).collect()
        })
    }

    /// One page of a subtree's dossier rows after `after` (path, id), in path order:
    /// `(id, org_id, org_path, birth_date, mobile, encoded)`.
    pub async fn dossier_rows_after(
        &self,
        org_path: &str,
        after: &(String, Uuid),
        batch: i64,
    ) -> Result<Vec<RawDossierRow>, StoreError> {
        // The whole deployment, and a deployment's top organisation (all of its tenant's
        // dossiers), are read in id order: UUIDv7 ids follow insertion, so the table is read
        // front to back instead of hopping along the path index (a cold read's cost).
        let tenant = match orgs::ancestors(org_path)[..] {
            [tenant] => Some(tenant),
            _ => None,
        };
        if org_path == "/" || tenant.is_some() {
            let (filter, first) = if tenant.is_some() { ("tenant_id = $1 AND ", 2) } else { ("", 1) };
            let sql = format!(
                "SELECT id, org_id, org_path, birth_date, mobile, encoded FROM dossiers \
                 WHERE {filter}id > ${first} ORDER BY id LIMIT ${}",
                first + 1
            );
            let rows = on_db!(self.reader(), pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                if let Some(t) = tenant {
                    q = q.bind(t);
                }
                q.bind(after.1).bind(batch).fetch_all(pool).await?
            });
            return Ok(rows);
        }
        let end = orgs::subtree_end(org_path);
        let rows = on_db!(self.reader(), pool => {
            sqlx::query_as(
                "SELECT id, org_id, org_path, birth_date, mobile, encoded FROM dossiers \
                 WHERE (org_path > $1 OR (org_path = $1 AND id > $2)) AND org_path < $3 \
                 ORDER BY org_path, id LIMIT $4",
            )
            .bind(&after.0)
            .bind(after.1)
            .bind(&end)
            .bind(batch)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Reads every dossier row of a subtree, `batch` at a time, handing each page to `page`.
    async fn each_page(
        &self,
        org_path: &str,
        batch: i64,
        mut page: impl FnMut(Vec<RawDossierRow>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut after = (org_path.to_owned(), Uuid::nil());
        loop {
            let rows = self.dossier_rows_after(org_path, &after, batch).await?;
            let Some(last) = rows.last() else { break };
            after = (last.2.clone(), last.0);
            let full = rows.len() as i64 == batch;
            page(rows)?;
            if !full {
                break;
            }
        }
        Ok(())
    }

    /// Streams every dossier of a subtree, `batch` at a time, to `each`.
    pub async fn scan_dossiers(
        &self,
        org_path: &str,
        batch: i64,
        mut each: impl FnMut(ScreenRow) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut n = 0u64;
        self.each_page(org_path, batch, |rows| {
            for raw in rows {
                each(decode_row(raw)?)?;
                n += 1;
            }
            Ok(())
        })
        .await?;
        Ok(n)
    }

    /// The same rows as [`Store::scan_dossiers`] read and dropped: the floor a screening
    /// run is measured against. Returns rows and bytes.
    pub async fn raw_scan_dossiers(&self, org_path: &str, batch: i64) -> Result<(u64, u64), StoreError> {
        let (mut n, mut bytes) = (0u64, 0u64);
        self.each_page(org_path, batch, |rows| {
            n += rows.len() as u64;
            bytes += rows.iter().map(|r| r.5.len() as u64).sum::<u64>();
            Ok(())
        })
        .await?;
        Ok((n, bytes))
    }

    /// Full members of an organisation on `on`: the expected voting members of its branch
    /// general meeting before any exclusion (DEV-026, DEV-029).
    pub async fn count_full_members(&self, org_id: Uuid, on: Date) -> Result<i64, StoreError> {
        let n: i64 = on_db!(self.db(), pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM people WHERE org_id = $1 AND status = 'full_member' \
                 AND (full_member_on IS NULL OR full_member_on <= $2)",
            )
            .bind(org_id)
            .bind(on.to_string())
            .fetch_one(pool)
            .await?
        });
        Ok(n)
    }

    /// Party members of a subtree, for choosing contacts and introducers: `(id, name,
    /// status)`, at most `limit`.
    pub async fn member_choices(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String, String)>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, name, status FROM people WHERE org_path >= $1 AND org_path < $2 \
                 AND status IN ('full_member', 'probationary_member') ORDER BY name, id LIMIT $3",
            )
            .bind(org_path)
            .bind(&end)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// People of a subtree in the procedure (applicants to development targets), for
    /// training attendance: `(id, name)`, at most `limit`.
    pub async fn pipeline_people(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, name FROM people WHERE org_path >= $1 AND org_path < $2 \
                 AND status IN ('applicant', 'activist', 'development_target') ORDER BY name, id LIMIT $3",
            )
            .bind(org_path)
            .bind(&end)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Key staff (backbone) of a subtree who are not yet members: `(id, name)`.
    pub async fn backbone_people(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, name FROM people WHERE org_path >= $1 AND org_path < $2 AND is_backbone \
                 AND status NOT IN ('probationary_member', 'full_member') ORDER BY name, id LIMIT $3",
            )
            .bind(org_path)
            .bind(&end)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Hand-overs of an organisation, newest first: `(dossier, person, date, the other
    /// organisation's name, outgoing)`. The organisation that hands a case over keeps
    /// seeing that it did, and to whom; the one that receives it sees where it came from.
    pub async fn transfers_of(
        &self,
        org_id: Uuid,
    ) -> Result<Vec<(Uuid, String, Date, String, bool)>, StoreError> {
        let rows: Vec<(Uuid, String, String, String, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT e.dossier_id, p.name, e.happened_on, o.name, TRUE FROM dossier_events e \
                 JOIN dossiers d ON d.tenant_id = e.tenant_id AND d.id = e.dossier_id JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = e.to_org WHERE e.kind = 'transfer' AND e.org_id = $1 \
                 UNION ALL \
                 SELECT e.dossier_id, p.name, e.happened_on, o.name, FALSE FROM dossier_events e \
                 JOIN dossiers d ON d.tenant_id = e.tenant_id AND d.id = e.dossier_id JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = e.org_id WHERE e.kind = 'transfer' AND e.to_org = $1 \
                 ORDER BY 3 DESC LIMIT 200",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(d, name, on, other, out)| {
                Ok((
                    d,
                    name,
                    on.parse().map_err(|_| StoreError::Corrupt("dossier_events.happened_on"))?,
                    other,
                    out,
                ))
            })
            .collect()
    }

    /// Filings sent to `org_id` that it has neither acknowledged nor returned.
    pub async fn filing_queue(&self, org_id: Uuid) -> Result<Vec<FilingItem>, StoreError> {
        let rows: Vec<(Uuid, i64, String, String, String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT f.dossier_id, f.seq, f.kind, f.happened_on, p.name, o.name FROM dossier_events f \
                 JOIN dossiers d ON d.tenant_id = f.tenant_id AND d.id = f.dossier_id JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = f.org_id \
                 WHERE f.to_org = $1 AND f.kind IN ('activist_filed', 'target_filed', 'approval_filed') \
                 AND NOT EXISTS (SELECT 1 FROM dossier_events a WHERE a.tenant_id = f.tenant_id AND a.dossier_id = f.dossier_id \
                   AND a.kind IN ('filing_ack', 'filing_return') AND a.ref_seq = f.seq) \
                 ORDER BY f.happened_on, f.dossier_id LIMIT 500",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(dossier_id, seq, kind, on, person_name, from_org)| {
                Ok(FilingItem {
                    dossier_id,
                    seq: seq as u32,
                    kind,
                    on: on.parse().map_err(|_| StoreError::Corrupt("dossier_events.happened_on"))?,
                    person_name,
                    from_org,
                })
            })
            .collect()
    }

    /// Filings sent up from a subtree that were returned and not yet sent again: each
    /// `(dossier, the return's day, the person's name)`, the oldest first.
    pub async fn returned_filings(&self, org_path: &str) -> Result<Vec<(Uuid, Date, String)>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let rows: Vec<(Uuid, String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT a.dossier_id, a.happened_on, p.name FROM dossier_events a \
                 JOIN dossiers d ON d.tenant_id = a.tenant_id AND d.id = a.dossier_id \
                 JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 WHERE d.org_path >= $1 AND d.org_path < $2 AND a.kind = 'filing_return' \
                 AND NOT EXISTS (SELECT 1 FROM dossier_events f WHERE f.tenant_id = a.tenant_id AND f.dossier_id = a.dossier_id \
                   AND f.kind IN ('activist_filed', 'target_filed', 'approval_filed') AND f.seq > a.seq) \
                 ORDER BY a.happened_on, a.dossier_id LIMIT 500",
            )
            .bind(org_path)
            .bind(&end)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(id, on, name)| {
                Ok((id, on.parse().map_err(|_| StoreError::Corrupt("dossier_events.happened_on"))?, name))
            })
            .collect()
    }

    /// Notices running on `today` (the public board).
    pub async fn open_notices(&self, today: Date) -> Result<Vec<NoticeItem>, StoreError> {
        let rows: Vec<NoticeRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT n.dossier_id, n.seq, n.fields, n.happened_on, n.ends_on, p.name, p.gender, p.birth_date, p.education, \
                 o.name, o.address FROM dossier_events n \
                 JOIN dossiers d ON d.tenant_id = n.tenant_id AND d.id = n.dossier_id JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = n.org_id \
                 WHERE n.kind = 'notice' AND n.ends_on >= $1 AND n.happened_on <= $1 \
                 ORDER BY n.ends_on, n.dossier_id LIMIT 500",
            )
            .bind(today.to_string())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(
                |(
                    dossier_id,
                    seq,
                    fields,
                    on,
                    ends,
                    person_name,
                    gender,
                    birth,
                    education,
                    org_name,
                    org_address,
                )| {
                    let f: serde_json::Value = serde_json::from_str(&fields)
                        .map_err(|_| StoreError::Corrupt("dossier_events.fields"))?;
                    let bad = |_| StoreError::Corrupt("dossier_events.happened_on");
                    let seq = u32::try_from(seq).map_err(|_| StoreError::Corrupt("dossier_events.seq"))?;
                    Ok(NoticeItem {
                        code: self.notice_code(dossier_id, seq),
                        dossier_id,
                        seq,
                        point: f["point"].as_str().unwrap_or_default().to_owned(),
                        on: on.parse().map_err(bad)?,
                        ends_on: ends.parse().map_err(bad)?,
                        person_name,
                        gender: pioneer_domain::people::gender::Gender::from_code(&gender)
                            .ok_or(StoreError::Corrupt("people.gender"))?,
                        born: birth.get(..7).unwrap_or_default().to_owned(),
                        education: pioneer_domain::people::Education::from_code(&education)
                            .ok_or(StoreError::Corrupt("people.education"))?,
                        org_name,
                        org_address,
                    })
                },
            )
            .collect()
    }

    /// The public reference of a dossier's notice: a keyed hash, so it reveals nothing and
    /// cannot be guessed from another.
    pub fn notice_code(&self, dossier_id: Uuid, seq: u32) -> String {
        let h = self.vault.index("notice", &format!("{dossier_id}/{seq}"));
        format!("GS-{}", hex::encode_upper(&h[..5]))
    }
}

/// A running notice as read: dossier, seq, fields, dates, the person's name, gender, birth
/// date and education, the organisation's name and address.
type NoticeRow = (Uuid, i64, String, String, String, String, String, String, String, String, Option<String>);

impl Store {
    /// The person with this ID number in the deployment of `tenant_id`, if any.
    pub async fn person_by_id_card(
        &self,
        tenant_id: Uuid,
        id_card: &str,
    ) -> Result<Option<crate::people::PersonRecord>, StoreError> {
        let idx = self.vault().index("id_card", id_card.trim());
        let id: Option<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT id FROM people WHERE id_card_idx = $1 AND tenant_id = $2")
                .bind(&idx)
                .bind(tenant_id)
                .fetch_optional(pool)
                .await?
        });
        match id {
            Some(id) => Ok(Some(self.person(id).await?)),
            None => Ok(None),
        }
    }
}

/// The settings in force at `org_path`: the deepest organisation on the path that has its
/// own, else the defaults.
pub fn settings_along(all: &HashMap<Uuid, DevSettings>, org_path: &str) -> DevSettings {
    orgs::ancestors(org_path).iter().rev().find_map(|id| all.get(id).copied()).unwrap_or_default()
}

/// What [`Store::capture_with`] has read so far: people (with their periods of discipline; `None`
/// for an id of no one in the tenant), organisations and the calendar.
#[derive(Debug, Default)]
pub struct CaptureCache {
    people: HashMap<
        Uuid,
        Option<(crate::people::PersonRecord, Vec<pioneer_domain::people::discipline::DisciplinaryProbation>)>,
    >,
    orgs: HashMap<Uuid, OrgRecord>,
    calendar: Option<WorkCalendar>,
}

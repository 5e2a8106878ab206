//! Signing up for shifts, checking in and out, and the leader's confirmation of the hours,
//! which earns credits under the organisation's rules (the volunteer source) exactly once.
//! A place is taken with a conditional update of the shift's counter, so two volunteers
//! taking the last place at the same instant cannot both have it; a person's own sign-ups
//! go one at a time (their row locked on PostgreSQL, `BEGIN IMMEDIATE` on SQLite).

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use jiff::civil::DateTime;
use pioneer_domain::care::ledger::Entry;
use pioneer_domain::service::{Window, hours, shifts};
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// A shift as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShiftRecord {
    /// Id.
    pub id: Uuid,
    /// The tenant.
    pub tenant_id: Uuid,
    /// The request.
    pub request_id: Uuid,
    /// When.
    pub window: Window,
    /// Places.
    pub capacity: i64,
    /// Places taken.
    pub taken: i64,
    /// What to do.
    pub task: String,
}

/// A shift row: id, tenant, request, start, end, capacity, taken, task.
type Row = (Uuid, Uuid, Uuid, String, String, i64, i64, String);

fn window(start: &str, end: &str) -> Result<Window, StoreError> {
    let p = |s: &str| s.parse::<DateTime>().map_err(|_| StoreError::Corrupt("shifts.starts_at"));
    Ok(Window { start: p(start)?, end: p(end)? })
}

/// One service as the national record rules (志愿服务记录与证明出具办法, 2020) describe it:
/// who, what, where, when, hours, evaluation — confirmed hours only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceRecord {
    /// The shift.
    pub shift_id: Uuid,
    /// Who asked (the community, hospital, institution).
    pub requester: String,
    /// What was needed (request kind code).
    pub kind: String,
    /// The task.
    pub task: String,
    /// Where (district and address).
    pub place: String,
    /// Checked in (local).
    pub from: String,
    /// Checked out (local).
    pub until: String,
    /// Minutes served.
    pub minutes: i64,
    /// The leader's evaluation.
    pub evaluation: Option<String>,
    /// Who confirmed.
    pub confirmed_by: String,
}

/// A certificate's content: a volunteer's confirmed services in a period and their total.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceCertificate {
    /// The volunteer.
    pub person_id: Uuid,
    /// Their name.
    pub name: String,
    /// From (inclusive).
    pub from: jiff::civil::Date,
    /// Until (inclusive).
    pub until: jiff::civil::Date,
    /// Each service, oldest first.
    pub records: Vec<ServiceRecord>,
    /// Minutes in all.
    pub minutes: i64,
}

/// A service record row.
type RecordRow = (Uuid, String, String, String, String, String, String, String, i64, Option<String>, String);

impl Store {
    /// `person_id`'s confirmed services that began from `from` to `until` (inclusive), for
    /// a certificate (证明).
    pub async fn service_certificate(
        &self,
        person_id: Uuid,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<ServiceCertificate, StoreError> {
        let person = self.person(person_id).await?;
        let end = until.tomorrow().map_err(|_| StoreError::NotFound)?;
        let rows: Vec<RecordRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT s.id, r.requester, r.kind, s.task, r.district, r.address, g.checked_in_at, g.checked_out_at, g.minutes, \
                 g.evaluation, g.confirmed_by FROM shift_signups g \
                 JOIN shifts s ON s.tenant_id = g.tenant_id AND s.id = g.shift_id \
                 JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id \
                 WHERE g.tenant_id = $1 AND g.person_id = $2 AND g.confirmed_at IS NOT NULL \
                 AND g.checked_in_at >= $3 AND g.checked_in_at < $4 ORDER BY g.checked_in_at, s.id",
            )
            .bind(person.tenant_id)
            .bind(person_id)
            .bind(from.to_string())
            .bind(end.to_string())
            .fetch_all(pool)
            .await?
        });
        let records: Vec<ServiceRecord> = rows
            .into_iter()
            .map(
                |(
                    shift_id,
                    requester,
                    kind,
                    task,
                    district,
                    address,
                    from,
                    until,
                    minutes,
                    evaluation,
                    confirmed_by,
                )| {
                    ServiceRecord {
                        shift_id,
                        requester,
                        kind,
                        task,
                        place: format!("{district} {address}"),
                        from,
                        until,
                        minutes,
                        evaluation,
                        confirmed_by,
                    }
                },
            )
            .collect();
        let minutes = records.iter().map(|r| r.minutes).sum();
        Ok(ServiceCertificate { person_id, name: person.fields.name, from, until, records, minutes })
    }

    /// A shift (of the request's tenant, when one is set).
    pub async fn shift(&self, id: Uuid) -> Result<ShiftRecord, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT id, tenant_id, request_id, starts_at, ends_at, capacity, taken, task FROM shifts WHERE id = $1{}",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        let (id, tenant_id, request_id, start, end, capacity, taken, task) =
            row.ok_or(StoreError::NotFound)?;
        Ok(ShiftRecord { id, tenant_id, request_id, window: window(&start, &end)?, capacity, taken, task })
    }

    /// Signs `person_id` up for shift `shift_id`: refused when the shift is full or overlaps
    /// one of theirs (the same shift twice included); nothing is written then.
    pub async fn sign_up(&self, shift_id: Uuid, person_id: Uuid, act: &Act) -> Result<(), StoreError> {
        let shift = self.shift(shift_id).await?;
        let person =
            self.person(person_id).await.map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?;
        if person.tenant_id != shift.tenant_id {
            return Err(FieldError::new("person_id", Reason::UnknownPerson).into());
        }
        let tenant = shift.tenant_id;
        let change = Change::new(
            tenant,
            "shift_signup",
            Some(shift_id),
            serde_json::json!({ "person_id": person_id }),
        );
        let lock = if self.db().backend() == crate::Backend::Sqlite { "" } else { " FOR UPDATE" };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let _: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM people WHERE tenant_id = $1 AND id = $2{lock}"
            )))
            .bind(tenant).bind(person_id).fetch_optional(&mut *tx).await?;
            let mine: Vec<(String, String)> = sqlx::query_as(
                "SELECT s.starts_at, s.ends_at FROM shift_signups g JOIN shifts s ON s.tenant_id = g.tenant_id AND s.id = g.shift_id \
                 WHERE g.tenant_id = $1 AND g.person_id = $2",
            )
            .bind(tenant).bind(person_id).fetch_all(&mut *tx).await?;
            let mine = mine.iter().map(|(a, b)| window(a, b)).collect::<Result<Vec<_>, _>>()?;
            shifts::check_sign_up(&shift.window, shift.capacity, 0, &mine)?;
            let took = sqlx::query("UPDATE shifts SET taken = taken + 1 WHERE tenant_id = $1 AND id = $2 AND taken < capacity")
                .bind(tenant).bind(shift_id).execute(&mut *tx).await?.rows_affected();
            if took != 1 {
                return Err(FieldError::new("shift", Reason::ShiftFull).into());
            }
            sqlx::query("INSERT INTO shift_signups (tenant_id, shift_id, person_id, signed_at) VALUES ($1, $2, $3, $4)")
                .bind(tenant).bind(shift_id).bind(person_id).bind(act.at.as_millisecond())
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that `person_id` began shift `shift_id` at `at` (local time), once.
    pub async fn check_in(
        &self,
        shift_id: Uuid,
        person_id: Uuid,
        at: DateTime,
        act: &Act,
    ) -> Result<(), StoreError> {
        let shift = self.shift(shift_id).await?;
        let change = Change::new(
            shift.tenant_id,
            "shift_check_in",
            Some(shift_id),
            serde_json::json!({ "person_id": person_id, "at": at.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE shift_signups SET checked_in_at = $4 WHERE tenant_id = $1 AND shift_id = $2 AND person_id = $3 \
                 AND checked_in_at IS NULL",
            )
            .bind(shift.tenant_id).bind(shift_id).bind(person_id).bind(at.to_string())
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(FieldError::new("checked_in_at", Reason::AlreadyRecorded).into());
            }
            sqlx::query("UPDATE shifts SET on_shift = on_shift + 1 WHERE tenant_id = $1 AND id = $2")
                .bind(shift.tenant_id).bind(shift_id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that `person_id` ended shift `shift_id` at `at`: after their check-in, and at
    /// most 24 hours of service on any day with their other shifts.
    pub async fn check_out(
        &self,
        shift_id: Uuid,
        person_id: Uuid,
        at: DateTime,
        act: &Act,
    ) -> Result<i64, StoreError> {
        let shift = self.shift(shift_id).await?;
        let tenant = shift.tenant_id;
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT checked_in_at, checked_out_at FROM shift_signups WHERE tenant_id = $1 AND shift_id = $2 AND person_id = $3",
            )
            .bind(tenant).bind(shift_id).bind(person_id).fetch_optional(&mut *tx).await?;
            let check_in = match row {
                None => return Err(StoreError::NotFound),
                Some((_, Some(_))) => return Err(FieldError::new("checked_out_at", Reason::AlreadyRecorded).into()),
                Some((None, None)) => return Err(FieldError::new("checked_in_at", Reason::Required).into()),
                Some((Some(i), None)) => i.parse::<DateTime>().map_err(|_| StoreError::Corrupt("shift_signups.checked_in_at"))?,
            };
            let others: Vec<(String, String)> = sqlx::query_as(
                "SELECT checked_in_at, checked_out_at FROM shift_signups WHERE tenant_id = $1 AND person_id = $2 \
                 AND shift_id <> $3 AND checked_in_at IS NOT NULL AND checked_out_at IS NOT NULL",
            )
            .bind(tenant).bind(person_id).bind(shift_id).fetch_all(&mut *tx).await?;
            let others = others.iter().map(|(a, b)| window(a, b)).collect::<Result<Vec<_>, _>>()?;
            let served = hours::check_out(check_in, at, |day| others.iter().map(|w| hours::minutes_on(w, day)).sum())?;
            let minutes = served.minutes();
            sqlx::query(
                "UPDATE shift_signups SET checked_out_at = $4, minutes = $5 WHERE tenant_id = $1 AND shift_id = $2 AND person_id = $3",
            )
            .bind(tenant).bind(shift_id).bind(person_id).bind(at.to_string()).bind(minutes)
            .execute(&mut *tx).await?;
            sqlx::query("UPDATE shifts SET on_shift = on_shift - 1 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(shift_id).execute(&mut *tx).await?;
            let change = Change::new(
                tenant,
                "shift_check_out",
                Some(shift_id),
                serde_json::json!({ "person_id": person_id, "at": at.to_string(), "minutes": minutes }),
            );
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok(minutes)
        })
    }

    /// The team leader confirms `person_id`'s hours on shift `shift_id`, once, with an
    /// evaluation: the hours then count, and earn credits under the rules of the person's
    /// organisation (the volunteer source, with its caps) — once per shift, whatever happens.
    pub async fn confirm_hours(
        &self,
        shift_id: Uuid,
        person_id: Uuid,
        evaluation: Option<&str>,
        on: jiff::civil::Date,
        act: &Act,
    ) -> Result<Option<Entry>, StoreError> {
        let shift = self.shift(shift_id).await?;
        let tenant = shift.tenant_id;
        let person = self.person(person_id).await?;
        let rule = self.credit_rules_at(tenant, &person.org_path).await?.volunteer;
        let key = format!("volunteer-{shift_id}");
        let at = act.at.as_millisecond();
        let credited_entry: Option<Entry> = on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE shift_signups SET confirmed_at = $4, confirmed_by = $5, evaluation = $6 WHERE tenant_id = $1 \
                 AND shift_id = $2 AND person_id = $3 AND checked_out_at IS NOT NULL AND confirmed_at IS NULL",
            )
            .bind(tenant).bind(shift_id).bind(person_id).bind(at).bind(&act.actor).bind(evaluation)
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                let state: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT checked_out_at, confirmed_at FROM shift_signups WHERE tenant_id = $1 AND shift_id = $2 AND person_id = $3",
                )
                .bind(tenant).bind(shift_id).bind(person_id).fetch_optional(&mut *tx).await?;
                return Err(match state {
                    None => StoreError::NotFound,
                    Some((_, Some(_))) => FieldError::new("confirmed", Reason::AlreadyRecorded).into(),
                    Some((None, _)) => FieldError::new("checked_out_at", Reason::Required).into(),
                    Some(_) => StoreError::Contention,
                });
            }
            sqlx::query(
                "UPDATE shifts SET minutes_confirmed = minutes_confirmed + (SELECT COALESCE(minutes, 0) FROM shift_signups \
                 WHERE tenant_id = $1 AND shift_id = $2 AND person_id = $3) WHERE tenant_id = $1 AND id = $2",
            )
            .bind(tenant).bind(shift_id).bind(person_id).execute(&mut *tx).await?;
            let credited = crate::care::credits::earn_in_tx!(tx, person_id, tenant, &key, &rule, on, at);
            let mut rows = vec![("credit_accounts", person_id)];
            rows.extend(credited.as_ref().map(|(_, id)| ("credit_entries", *id)));
            let credited_entry = credited.as_ref().map(|(e, _)| e.clone());
            let change = Change {
                rows,
                ..Change::new(
                    tenant,
                    "shift_hours",
                    Some(shift_id),
                    serde_json::json!({ "person_id": person_id, "evaluation": evaluation, "credits": credited_entry.as_ref().map(|e| e.amount) }),
                )
            };
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok::<_, StoreError>(credited_entry)
        })?;
        let body = format!("您在“{}”的服务时长已由队长确认", shift.task);
        if let Err(e) = self
            .queue_messages(
                tenant,
                &[person_id],
                super::messages::MessageKind::HoursConfirmed,
                shift_id,
                &body,
                at,
            )
            .await
        {
            tracing::warn!(error = %e, shift = %shift_id, "the hours-confirmed message was not queued");
        }
        Ok(credited_entry)
    }
}

/// A subtree's volunteer service in a year (by the day a shift began).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServiceFigures {
    /// Teams of the subtree.
    pub teams: i64,
    /// Volunteers in them (a person in two teams counts once).
    pub volunteers: i64,
    /// Of whom party members (full or probationary).
    pub member_volunteers: i64,
    /// Shifts that began in the year.
    pub shifts: i64,
    /// Confirmed minutes of service in them.
    pub minutes: i64,
    /// Requests confirmed done.
    pub requests_done: i64,
    /// Distinct requesters (communities, institutions) served by those shifts.
    pub requesters_served: i64,
    /// Goods handed out in the year from donations the subtree received (units).
    pub goods_distributed: i64,
}

impl Store {
    /// The volunteer service of the subtree at `org_path` in `year`.
    pub async fn service_figures(&self, org_path: &str, year: i16) -> Result<ServiceFigures, StoreError> {
        let from = jiff::civil::Date::new(year, 1, 1).map_err(|_| StoreError::NotFound)?;
        let until = jiff::civil::Date::new(year, 12, 31).map_err(|_| StoreError::NotFound)?;
        self.service_figures_between(org_path, from, until).await
    }

    /// The volunteer service of the subtree at `org_path` from `first` to `last` (days
    /// inclusive, by the day a shift began or goods were handed out); teams and volunteers
    /// as they stand.
    pub async fn service_figures_between(
        &self,
        org_path: &str,
        first: jiff::civil::Date,
        last: jiff::civil::Date,
    ) -> Result<ServiceFigures, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        // A path begins with its tenant's id: every statement names the tenant (one shard
        // group on a Citus cluster).
        let tenant = org_path
            .split('/')
            .find(|p| !p.is_empty())
            .and_then(|p| uuid::Uuid::try_parse(p).ok())
            .ok_or(StoreError::NotFound)?;
        let from = first.to_string();
        let until = last.tomorrow().map_err(|_| StoreError::NotFound)?.to_string();
        let f = on_db!(self.db(), pool => {
            let teams: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM volunteer_teams WHERE tenant_id = $3 AND org_path >= $1 AND org_path < $2")
                .bind(org_path).bind(&end).bind(tenant).fetch_one(pool).await?;
            let (volunteers, members): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.status IN ('full_member', 'probationary_member') THEN 1 ELSE 0 END), 0) \
                 FROM (SELECT DISTINCT v.tenant_id, v.person_id FROM volunteers v JOIN volunteer_teams t \
                 ON t.tenant_id = v.tenant_id AND t.id = v.team_id WHERE v.tenant_id = $3 AND t.org_path >= $1 AND t.org_path < $2) x \
                 JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id WHERE p.tenant_id = $3",
            )
            .bind(org_path).bind(&end).bind(tenant).fetch_one(pool).await?;
            let (shifts, minutes, served): (i64, i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COALESCE(CAST(SUM(s.minutes_confirmed) AS BIGINT), 0), COUNT(DISTINCT r.requester) \
                 FROM shifts s JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id \
                 WHERE r.tenant_id = $5 AND r.org_path >= $1 AND r.org_path < $2 AND s.starts_at >= $3 AND s.starts_at < $4",
            )
            .bind(org_path).bind(&end).bind(&from).bind(&until).bind(tenant).fetch_one(pool).await?;
            let done: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM service_requests WHERE tenant_id = $5 AND org_path >= $1 AND org_path < $2 AND confirmed_at IS NOT NULL \
                 AND starts_at >= $3 AND starts_at < $4",
            )
            .bind(org_path).bind(&end).bind(&from).bind(&until).bind(tenant).fetch_one(pool).await?;
            let goods: i64 = sqlx::query_scalar(
                "SELECT COALESCE(CAST(SUM(x.quantity) AS BIGINT), 0) FROM distributions x JOIN donations d \
                 ON d.tenant_id = x.tenant_id AND d.id = x.donation_id WHERE d.tenant_id = $5 AND d.org_path >= $1 AND d.org_path < $2 \
                 AND d.kind = 'goods' AND x.given_on >= $3 AND x.given_on < $4",
            )
            .bind(org_path).bind(&end).bind(&from).bind(&until).bind(tenant).fetch_one(pool).await?;
            ServiceFigures {
                teams, volunteers, member_volunteers: members, shifts, minutes, requests_done: done,
                requesters_served: served, goods_distributed: goods,
            }
        });
        Ok(f)
    }
}

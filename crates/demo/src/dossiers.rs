//! Dossiers of the demo deployment: every demo person in the pipeline (applicants,
//! activists, development targets, probationary members) gets a dossier that reaches the
//! step their status implies, a few with a planted fault so screening has something to
//! show, a notice running today on the board, and filings waiting in upper queues; and a
//! training class and one-to-one contacts at Tencent's committee.

use crate::development::dossier_batch::prepare;
use crate::error::StoreError;
use crate::journal::Act;
use crate::{Store, on_db};
use jiff::ToSpan;
use jiff::civil::Date;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{Event, Key, Kind, Value, step as s};
use pioneer_domain::development::engine::{self, RuleBook};
use pioneer_domain::dossier_gen::{DossierGen, FAULTS};
use pioneer_domain::orgs;
use uuid::Uuid;

type PipelineRow = (Uuid, Uuid, Uuid, String, String, String);

impl Store {
    /// Adds the demo dossiers (idempotent: people who have one are skipped).
    pub(crate) async fn load_demo_dossiers(&self, today: Date, act: &Act) -> Result<u64, StoreError> {
        let people: Vec<PipelineRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT p.id, p.tenant_id, p.org_id, p.org_path, p.status, p.birth_date FROM people p \
                 LEFT JOIN dossiers d ON d.person_id = p.id WHERE p.is_demo AND d.id IS NULL \
                 AND p.status IN ('applicant', 'activist', 'development_target', 'probationary_member') \
                 ORDER BY p.id",
            )
            .fetch_all(pool)
            .await?
        });
        if people.is_empty() {
            return Ok(0);
        }
        let calendar = self.work_calendar().await?;
        let mut g = DossierGen::new(2026, today, &calendar);
        let book = RuleBook::standard();
        let settings = DevSettings::default();
        let orgs = self.orgs(None).await?;
        let mut batch = Vec::new();
        let mut notices = 0;
        let mut members_of: std::collections::HashMap<Uuid, Vec<(Uuid,)>> = std::collections::HashMap::new();
        for (i, (person_id, tenant_id, org_id, org_path, status, birth)) in people.into_iter().enumerate() {
            // The nearest committee with approval authority above the person approves and
            // receives filings; full members of the tenant serve as contacts and introducers.
            let approver = orgs::ancestors(&org_path)
                .iter()
                .rev()
                .filter_map(|id| orgs.iter().find(|o| o.id == *id))
                .find(|o| o.fields.approval_authority)
                .map_or(tenant_id, |o| o.id);
            if let std::collections::hash_map::Entry::Vacant(slot) = members_of.entry(tenant_id) {
                let found: Vec<(Uuid,)> = on_db!(self.db(), pool => {
                    sqlx::query_as(
                        "SELECT id FROM people WHERE tenant_id = $1 AND status = 'full_member' ORDER BY id LIMIT 3",
                    )
                    .bind(tenant_id)
                    .fetch_all(pool)
                    .await?
                });
                slot.insert(found);
            }
            let members = &members_of[&tenant_id];
            let reach = match (status.as_str(), i % 4) {
                ("applicant", n) => 1 + (n % 2) as u8,
                ("activist", n) => [3, 5, 6, 6][n],
                ("development_target", n) => [7, 9, 11, 14][n],
                (_, n) => [17, 20, 21, 21][n],
            };
            let fault = if i % 5 == 3 {
                let fits: Vec<_> =
                    FAULTS.iter().filter(|(c, min)| *min <= reach && c.code != "under_age").collect();
                fits.get(i % fits.len().max(1)).map(|f| f.0)
            } else {
                None
            };
            let mut d = g.make(reach, fault).dossier;
            d.birth_date = birth.parse().ok();
            for e in &mut d.events {
                for key in [Key::ToOrg, Key::Approver] {
                    if e.id(key).is_some() {
                        e.set(key, Value::Id(approver));
                    }
                }
                for (slot, key) in
                    [Key::Contact1, Key::Contact2, Key::Introducer1, Key::Introducer2].iter().enumerate()
                {
                    if e.id(*key).is_some()
                        && let Some((m,)) = members.get(slot % members.len().max(1))
                    {
                        e.set(*key, Value::Id(*m));
                    }
                }
            }
            // Two activists ready for the decision get a notice running today.
            let ready = reach == s::CULTIVATION && fault.is_none() && notices < 2;
            if ready {
                let posted = today.checked_sub(1.day()).unwrap_or(today);
                let ends = calendar.nth_workday(posted, 5);
                let seq = d.next_seq();
                d.events.push(
                    Event::new(seq, Kind::PublicNotice, posted)
                        .with(Key::Point, Value::Code("target"))
                        .with(Key::WorkingDays, Value::Int(5))
                        .with(Key::EndsOn, Value::Date(ends)),
                );
                notices += 1;
            }
            let eval = engine::evaluate(&book, &d, &settings, today);
            let (st, dates) = engine::status_reached(&d);
            let day = |x: Option<Date>| x.map(|v| v.to_string());
            on_db!(self.db(), pool => {
                sqlx::query(
                    "UPDATE people SET status = $2, applied_on = $3, activist_on = $4, target_on = $5, \
                     admitted_on = $6, full_member_on = $7 WHERE id = $1",
                )
                .bind(person_id)
                .bind(st.code())
                .bind(day(dates.applied_on))
                .bind(day(dates.activist_on))
                .bind(day(dates.target_on))
                .bind(day(dates.admitted_on))
                .bind(day(dates.full_member_on))
                .execute(pool)
                .await?;
            });
            batch.push(prepare((person_id, tenant_id, org_id, org_path), d, &eval));
        }
        let n = batch.len() as u64;
        for chunk in batch.chunks(200) {
            self.insert_dossier_batch(chunk, act).await?;
        }
        self.load_demo_training_and_contacts(today, act).await?;
        Ok(n)
    }

    /// A development-target class at Tencent's committee attended by its development
    /// targets, and its key staff paired with full members (some contacted, some overdue).
    async fn load_demo_training_and_contacts(&self, today: Date, act: &Act) -> Result<(), StoreError> {
        let orgs = self.orgs(None).await?;
        let Some(tencent) = orgs.iter().find(|o| o.fields.name == "中共腾讯公司委员会" && o.is_demo)
        else {
            return Ok(());
        };
        if !self.classes_in(&tencent.path).await?.is_empty() {
            return Ok(());
        }
        let starts = today.checked_sub(60.days()).unwrap_or(today);
        let class = pioneer_domain::development::training::TrainingClass {
            kind: pioneer_domain::development::training::ClassKind::Target,
            title: "2026年第二期发展对象集中培训班".into(),
            starts_on: starts,
            ends_on: starts.checked_add(2.days()).unwrap_or(starts),
            days: 3,
            hours: 24,
        };
        let class_id = self.create_class(tencent.id, &class, act).await?;
        let end = orgs::subtree_end(&tencent.path);
        let people: Vec<(Uuid, String, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, status, is_backbone FROM people WHERE org_path >= $1 AND org_path < $2 AND is_demo ORDER BY id",
            )
            .bind(&tencent.path)
            .bind(&end)
            .fetch_all(pool)
            .await?
        });
        for (i, (id, _, _)) in people.iter().filter(|p| p.1 == "development_target").take(8).enumerate() {
            self.record_attendance(class_id, *id, if i % 4 == 3 { 16 } else { 24 }, true, act).await?;
        }
        let members: Vec<Uuid> =
            people.iter().filter(|p| p.1 == "full_member").map(|p| p.0).take(3).collect();
        let backbone =
            people.iter().filter(|p| p.2 && !matches!(p.1.as_str(), "full_member" | "probationary_member"));
        let since = today.checked_sub(45.days()).unwrap_or(today);
        for (i, (id, _, _)) in backbone.take(6).enumerate() {
            let Some(member) = members.get(i % members.len().max(1)) else { break };
            let link = self.assign_contact(*id, *member, 30, since, act).await?;
            if i % 2 == 0 {
                let on = today.checked_sub(10.days()).unwrap_or(today);
                self.record_contact(link, on, "了解工作和思想情况", today, act).await?;
            }
        }
        Ok(())
    }
}

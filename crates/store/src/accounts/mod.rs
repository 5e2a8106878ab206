//! Accounts, the roles granted to them on organisations, and login sessions.
//!
//! Passwords are stored only as Argon2id hashes (made by the caller); a session is stored
//! only as the SHA-256 of its cookie value, so a copy of the database opens no session.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use pioneer_domain::accounts::access::{Grant, Role};
use pioneer_domain::{FieldError, Reason};
use sqlx::Row;
use uuid::Uuid;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// Argon2id hash in PHC string form.
    pub password_hash: String,
    /// When the password was last set (ms).
    pub password_changed_at: i64,
    /// Must choose a new password at the next login.
    pub must_change_password: bool,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Locked until (ms), if locked.
    pub locked_until: Option<i64>,
    /// The person this account is (members and applicants).
    pub person_id: Option<Uuid>,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Sealed TOTP secret, if enrolment started.
    pub totp_secret_enc: Option<Vec<u8>>,
    /// Enrolment confirmed with a valid code.
    pub totp_confirmed: bool,
    /// SHA-256 hashes (hex) of unused recovery codes.
    pub recovery_codes: Vec<String>,
}

/// A login session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The account.
    pub user_id: Uuid,
    /// The CSRF token of this session.
    pub csrf: String,
    /// Created (ms).
    pub created_at: i64,
    /// Last request (ms).
    pub last_seen: i64,
    /// The second factor was given (or is not needed).
    pub second_factor_ok: bool,
}

/// The system chain of the journal: account events that belong to no one tenant.
pub const SYSTEM_CHAIN: Uuid = Uuid::nil();

const USER_COLUMNS: &str = "id, username, display_name, password_hash, password_changed_at, must_change_password, \
    failed_logins, locked_until, person_id, disabled, totp_secret_enc, totp_confirmed, recovery_codes";

macro_rules! user_from_row {
    ($row:expr) => {{
        let r = $row;
        UserRecord {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            password_hash: r.try_get("password_hash")?,
            password_changed_at: r.try_get("password_changed_at")?,
            must_change_password: r.try_get("must_change_password")?,
            failed_logins: r.try_get("failed_logins")?,
            locked_until: r.try_get("locked_until")?,
            person_id: r.try_get("person_id")?,
            disabled: r.try_get("disabled")?,
            totp_secret_enc: r.try_get("totp_secret_enc")?,
            totp_confirmed: r.try_get("totp_confirmed")?,
            recovery_codes: serde_json::from_str(&r.try_get::<String, _>("recovery_codes")?)
                .map_err(|_| StoreError::Corrupt("users.recovery_codes"))?,
        }
    }};
}

/// A session, its account, the account's person's deployment and organisation path, and
/// the account's grants.
#[derive(Debug, Clone)]
pub struct SessionUser {
    /// The session.
    pub session: SessionRecord,
    /// Its account.
    pub user: UserRecord,
    /// The account's person's deployment and organisation path, if it has a person.
    pub place: Option<(Uuid, String)>,
    /// The account's grants.
    pub grants: Vec<Grant>,
}

/// Grants as read (role, organisation, its path); a grant whose organisation is gone
/// reaches nothing (never the whole deployment).
fn grants_from(rows: Vec<(String, Option<Uuid>, Option<String>)>) -> Result<Vec<Grant>, StoreError> {
    rows.into_iter()
        .filter(|(_, org_id, org_path)| org_id.is_none() || org_path.is_some())
        .map(|(role, org_id, org_path)| {
            Ok(Grant {
                role: Role::from_code(&role).ok_or(StoreError::Corrupt("grants.role"))?,
                org_id,
                // No organisation: every path starts with "/".
                org_path: org_path.unwrap_or_else(|| "/".to_owned()),
            })
        })
        .collect()
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login name (3–40 characters: letters, digits, `.`, `_`, `-`).
    pub username: &'a str,
    /// Name shown.
    pub display_name: &'a str,
    /// Argon2id hash.
    pub password_hash: &'a str,
    /// Must change the password at first login.
    pub must_change_password: bool,
    /// Roles and where (None = the whole deployment).
    pub grants: &'a [(Role, Option<Uuid>)],
    /// The person (for members and applicants).
    pub person_id: Option<Uuid>,
}

/// Checks a login name.
pub fn check_username(username: &str) -> Result<(), FieldError> {
    let ok = (3..=40).contains(&username.chars().count())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok { Ok(()) } else { Err(FieldError::new("username", Reason::BadUsername)) }
}

impl Store {
    /// Creates an account with its grants, journaled on the system chain.
    pub async fn create_user(&self, new: &NewUser<'_>, act: &Act) -> Result<Uuid, StoreError> {
        check_username(new.username)?;
        for (_, org) in new.grants {
            if let Some(org) = org {
                self.org(*org).await.map_err(|_| FieldError::new("org", Reason::UnknownOrganization))?;
            }
        }
        if self.user_by_name(new.username).await?.is_some() {
            return Err(FieldError::new("username", Reason::UsernameTaken).into());
        }
        let person_tenant = match new.person_id {
            Some(p) => Some(
                self.person(p)
                    .await
                    .map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?
                    .tenant_id,
            ),
            None => None,
        };
        let id = Uuid::now_v7();
        let ms = act.at.as_millisecond();
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "user",
            entity_id: Some(id),
            change: serde_json::json!({
                "created": new.username,
                "grants": new.grants.iter().map(|(r, o)| serde_json::json!({"role": r.code(), "org_id": o})).collect::<Vec<_>>(),
                "person_id": new.person_id,
            }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO users (id, username, display_name, password_hash, password_changed_at, must_change_password, \
                 failed_logins, locked_until, person_id, disabled, created_at, person_tenant_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, FALSE, $5, $8)",
            )
            .bind(id)
            .bind(new.username)
            .bind(new.display_name)
            .bind(new.password_hash)
            .bind(ms)
            .bind(new.must_change_password)
            .bind(new.person_id)
            .bind(person_tenant)
            .execute(&mut *tx)
            .await?;
            for (role, org) in new.grants {
                sqlx::query("INSERT INTO grants (id, user_id, role, org_id) VALUES ($1, $2, $3, $4)")
                    .bind(Uuid::now_v7())
                    .bind(id)
                    .bind(role.code())
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// An account by login name.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        on_db!(self.db(), pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await?;
            Ok(match row { Some(r) => Some(user_from_row!(&r)), None => None })
        })
    }

    /// An account by id.
    pub async fn user(&self, id: Uuid) -> Result<UserRecord, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        on_db!(self.db(), pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            match row { Some(r) => Ok(user_from_row!(&r)), None => Err(StoreError::NotFound) }
        })
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(user_from_row!(r))).collect()
        })
    }

    /// How many accounts exist.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(
            on_db!(self.db(), pool => { sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await? }),
        )
    }

    /// The roles of an account, with the paths of the organisations they reach.
    pub async fn grants_of(&self, user_id: Uuid) -> Result<Vec<Grant>, StoreError> {
        let rows: Vec<(String, Option<Uuid>, Option<String>)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT g.role, g.org_id, o.path FROM grants g LEFT JOIN organizations o ON o.id = g.org_id WHERE g.user_id = $1",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        grants_from(rows)
    }

    /// Grants `role` on `org` (None: the whole deployment) to an account (journaled);
    /// false when the account holds it there already.
    pub async fn add_grant(
        &self,
        user_id: Uuid,
        role: Role,
        org: Option<Uuid>,
        act: &Act,
    ) -> Result<bool, StoreError> {
        let user = self.user(user_id).await?;
        if let Some(org) = org {
            self.org(org).await.map_err(|_| FieldError::new("org", Reason::UnknownOrganization))?;
        }
        if self.grants_of(user_id).await?.iter().any(|g| g.role == role && g.org_id == org) {
            return Ok(false);
        }
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "grant",
            entity_id: Some(user_id),
            change: serde_json::json!({ "user": user.username, "role": role.code(), "org_id": org }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO grants (id, user_id, role, org_id) VALUES ($1, $2, $3, $4)")
                .bind(Uuid::now_v7()).bind(user_id).bind(role.code()).bind(org).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Records a failed login (or second-factor code) in one statement: the count goes up
    /// and, on reaching `threshold`, the account locks until `lock_until`. A lock that has
    /// ended takes its count with it: the first failure after it counts as the first.
    /// Lockouts are journaled. Returns whether the account is now locked.
    pub async fn login_failed(
        &self,
        user: &UserRecord,
        threshold: u32,
        lock_until: i64,
        now: i64,
        act: &Act,
    ) -> Result<bool, StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let (failures, locked): (i64, Option<i64>) = sqlx::query_as(
                "UPDATE users SET \
                 failed_logins = CASE WHEN locked_until <= $4 THEN 1 ELSE failed_logins + 1 END, \
                 locked_until = CASE \
                   WHEN locked_until <= $4 THEN CASE WHEN 1 >= $2 THEN $3 ELSE NULL END \
                   WHEN locked_until IS NULL AND failed_logins + 1 >= $2 THEN $3 \
                   ELSE locked_until END \
                 WHERE id = $1 RETURNING failed_logins, locked_until",
            )
            .bind(user.id)
            .bind(i64::from(threshold))
            .bind(lock_until)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            // Newly locked by this failure (not a failure during an existing lock).
            let locked_now = locked == Some(lock_until) && user.locked_until.is_none_or(|t| t <= now);
            if locked_now {
                let change = Change {
                    tenant_id: SYSTEM_CHAIN,
                    entity: "user",
                    entity_id: Some(user.id),
                    change: serde_json::json!({ "locked_until": lock_until, "failed_logins": failures }), rows: Vec::new() };
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            Ok(locked.is_some_and(|l| l > now))
        })
    }

    /// Records a completed sign-in: failures reset, lock lifted.
    pub async fn login_succeeded(&self, user_id: Uuid) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1").bind(user_id).execute(pool).await?;
        });
        Ok(())
    }

    /// Sets a new password hash.
    pub async fn set_password(&self, user_id: Uuid, hash: &str, act: &Act) -> Result<(), StoreError> {
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "user",
            entity_id: Some(user_id),
            change: serde_json::json!({ "password": "changed" }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = FALSE WHERE id = $1")
                .bind(user_id)
                .bind(hash)
                .bind(act.at.as_millisecond())
                .execute(&mut *tx)
                .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Journals a refusal that matters (access outside the account's scope).
    pub async fn journal_denial(
        &self,
        user_id: Option<Uuid>,
        what: serde_json::Value,
        act: &Act,
    ) -> Result<(), StoreError> {
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "access_denied",
            entity_id: user_id,
            change: what,
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores a new session (by the hash of its cookie value).
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: Uuid,
        csrf: &str,
        now_ms: i64,
        second_factor_ok: bool,
    ) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, second_factor_ok) \
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
                .bind(id_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now_ms)
                .bind(second_factor_ok)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// A session by the hash of its cookie value.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<(Uuid, String, i64, i64, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT user_id, csrf, created_at, last_seen, second_factor_ok FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(user_id, csrf, created_at, last_seen, second_factor_ok)| SessionRecord {
            user_id,
            csrf,
            created_at,
            last_seen,
            second_factor_ok,
        }))
    }

    /// A live session with its account, the account's person's deployment and organisation
    /// path, and the account's grants (every signed-in request asks): in one statement on
    /// one server (one row per grant); on a Citus cluster the session with its account (the
    /// session's shard, the account a local reference row), then the person on their
    /// tenant's shard and the grants.
    pub async fn session_with_user(&self, id_hash: &str) -> Result<Option<SessionUser>, StoreError> {
        let user_columns: Vec<String> = USER_COLUMNS.split(',').map(|c| format!("u.{}", c.trim())).collect();
        let joined = if self.distributed() {
            "NULL AS person_path, NULL AS g_role, NULL AS g_org, NULL AS g_path \
             FROM sessions s JOIN users u ON u.id = s.user_id"
        } else {
            "p.org_path AS person_path, g.role AS g_role, g.org_id AS g_org, o.path AS g_path \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN people p ON p.tenant_id = u.person_tenant_id AND p.id = u.person_id \
             LEFT JOIN grants g ON g.user_id = u.id LEFT JOIN organizations o ON o.id = g.org_id"
        };
        let sql = format!(
            "SELECT s.user_id, s.csrf, s.created_at, s.last_seen, s.second_factor_ok, u.person_tenant_id, {}, {joined} \
             WHERE s.id_hash = $1",
            user_columns.join(", ")
        );
        let (session, user, place, grants) = on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id_hash).fetch_all(pool).await?;
            let Some(r) = rows.first() else {
                return Ok(None);
            };
            let session = SessionRecord {
                user_id: r.try_get("user_id")?,
                csrf: r.try_get("csrf")?,
                created_at: r.try_get("created_at")?,
                last_seen: r.try_get("last_seen")?,
                second_factor_ok: r.try_get("second_factor_ok")?,
            };
            let user = user_from_row!(r);
            let joined: Option<String> = r.try_get("person_path")?;
            let place = match (r.try_get::<Option<Uuid>, _>("person_tenant_id")?, user.person_id) {
                (Some(tenant), Some(_)) if !self.distributed() => joined.map(|p| (tenant, p)),
                (Some(tenant), Some(person)) => {
                    let path: Option<String> =
                        sqlx::query_scalar("SELECT org_path FROM people WHERE tenant_id = $1 AND id = $2")
                            .bind(tenant)
                            .bind(person)
                            .fetch_optional(pool)
                            .await?;
                    path.map(|p| (tenant, p))
                }
                _ => None,
            };
            let mut grants = Vec::new();
            for r in &rows {
                if let Some(role) = r.try_get::<Option<String>, _>("g_role")? {
                    grants.push((role, r.try_get::<Option<Uuid>, _>("g_org")?, r.try_get::<Option<String>, _>("g_path")?));
                }
            }
            (session, user, place, grants)
        });
        let grants = if self.distributed() { self.grants_of(user.id).await? } else { grants_from(grants)? };
        Ok(Some(SessionUser { session, user, place, grants }))
    }

    /// Marks sessions as used at the given times (the sign-in middleware collects them and
    /// writes them every few seconds, off the requests' path): each session is set to the
    /// earliest time of the batch, so a session never looks more recent than it was; one
    /// statement per few hundred sessions.
    pub async fn touch_sessions(&self, seen: &[(String, i64)]) -> Result<(), StoreError> {
        let Some(at) = seen.iter().map(|(_, t)| *t).min() else {
            return Ok(());
        };
        for chunk in seen.chunks(500) {
            // Numbered placeholders on both databases (SQLite would number a `?` after `$1` from 1).
            let list = crate::db::placeholders(false, 2, chunk.len());
            let sql =
                format!("UPDATE sessions SET last_seen = $1 WHERE last_seen < $1 AND id_hash IN ({list})");
            on_db!(self.db(), pool => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at);
                for (hash, _) in chunk {
                    q = q.bind(hash);
                }
                q.execute(pool).await?;
            });
        }
        Ok(())
    }

    /// Records that the code of `step` was used; false if that step (or a later one) was
    /// already used, so a code cannot be replayed.
    pub async fn use_totp_step(&self, user_id: Uuid, step: i64) -> Result<bool, StoreError> {
        let n = on_db!(self.db(), pool => {
            sqlx::query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2")
                .bind(user_id)
                .bind(step)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// Marks a session's second factor as given.
    pub async fn second_factor_given(&self, id_hash: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE sessions SET second_factor_ok = TRUE WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Starts (or restarts) TOTP enrolment with a new secret.
    pub async fn set_totp_secret(&self, user_id: Uuid, secret: &[u8]) -> Result<(), StoreError> {
        let sealed = self.vault().seal("totp", &hex::encode(secret));
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE users SET totp_secret_enc = $2, totp_confirmed = FALSE WHERE id = $1")
                .bind(user_id)
                .bind(sealed)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The TOTP secret of an account, opened.
    pub fn totp_secret(&self, user: &UserRecord) -> Result<Option<Vec<u8>>, StoreError> {
        match &user.totp_secret_enc {
            None => Ok(None),
            Some(s) => {
                let hexed = self.vault().open("totp", s).map_err(|_| StoreError::Corrupt("users.totp"))?;
                hex::decode(hexed).map(Some).map_err(|_| StoreError::Corrupt("users.totp"))
            }
        }
    }

    /// Confirms TOTP enrolment and stores the recovery codes' hashes (journaled).
    pub async fn confirm_totp(
        &self,
        user_id: Uuid,
        recovery_hashes: &[String],
        act: &Act,
    ) -> Result<(), StoreError> {
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "user",
            entity_id: Some(user_id),
            change: serde_json::json!({ "second_factor": "enrolled", "recovery_codes": recovery_hashes.len() }),
            rows: Vec::new(),
        };
        let codes = serde_json::to_string(recovery_hashes).unwrap_or_else(|_| "[]".into());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET totp_confirmed = TRUE, recovery_codes = $2 WHERE id = $1")
                .bind(user_id)
                .bind(&codes)
                .execute(&mut *tx)
                .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Uses up one recovery code (by its hash); false if it is not an unused code.
    pub async fn use_recovery_code(
        &self,
        user: &UserRecord,
        code_hash: &str,
        act: &Act,
    ) -> Result<bool, StoreError> {
        if !user.recovery_codes.iter().any(|c| c == code_hash) {
            return Ok(false);
        }
        let left: Vec<&String> = user.recovery_codes.iter().filter(|c| *c != code_hash).collect();
        let codes = serde_json::to_string(&left).unwrap_or_else(|_| "[]".into());
        let change = Change {
            tenant_id: SYSTEM_CHAIN,
            entity: "user",
            entity_id: Some(user.id),
            change: serde_json::json!({ "recovery_code": "used", "left": left.len() }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            // Only if nobody used a code in between: a code cannot be spent twice in parallel.
            let done = sqlx::query("UPDATE users SET recovery_codes = $2 WHERE id = $1 AND recovery_codes = $3")
                .bind(user.id)
                .bind(&codes)
                .bind(serde_json::to_string(&user.recovery_codes).unwrap_or_default())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Ok(false);
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Ends every session of an account but one (after a password change).
    pub async fn delete_other_sessions(&self, user_id: Uuid, keep: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2").bind(user_id).bind(keep).execute(pool).await?;
        });
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
        });
        Ok(())
    }
}

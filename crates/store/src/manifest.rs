//! Backup manifests: every backup file `F` has `F.manifest` beside it — the format version,
//! the database kind and schema version, the key check, the SHA-256 and size of the data,
//! the journal's heads at backup time — signed with the deployment's checkpoint key. A
//! restore verifies all of it (and, on SQLite, the copy's `integrity_check`) before it
//! touches live data, and counts the journal entries the restore would discard.

use crate::error::StoreError;
use crate::{Store, on_db};
use ed25519_dalek::Signer;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The manifest format this version writes and reads.
pub const FORMAT: &str = "pioneer-backup-1";

/// What a backup holds, signed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The last migration applied.
    pub schema_version: i64,
    /// The deployment's key check (which keys seal its numbers); a backup without one is
    /// refused.
    #[serde(default)]
    pub key_check: Option<String>,
    /// SHA-256 of the backup file (hex).
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The journal's heads at backup time: (tenant, entries, last hash).
    pub journal_heads: Vec<(Uuid, i64, String)>,
    /// When it was made (ms).
    pub made_at: i64,
    /// Ed25519 signature (hex) of the fields above, by the deployment's checkpoint key.
    #[serde(default)]
    pub signature: String,
}

impl Manifest {
    /// The bytes the signature covers: the manifest as JSON without its signature.
    fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = Self { signature: String::new(), ..self.clone() };
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }
}

/// The manifest file of backup `file`.
pub fn manifest_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest");
    PathBuf::from(name)
}

/// A verified backup and what restoring it would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePlan {
    /// The manifest.
    pub manifest: Manifest,
    /// Journal entries written since the backup, which the restore discards.
    pub discarded: u64,
}

fn refuse(reason: impl Into<String>) -> StoreError {
    StoreError::Backup(reason.into())
}

/// SHA-256 (hex) and size of a file, read in blocks.
pub fn file_digest(file: &Path) -> Result<(String, u64), StoreError> {
    use std::io::Read;
    let mut f = std::fs::File::open(file).map_err(|e| refuse(format!("{}: {e}", file.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| refuse(format!("{}: {e}", file.display())))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

impl Store {
    /// The last migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM pioneer_migrations").fetch_one(pool).await?
        }))
    }

    /// Writes the signed manifest of backup `file`, made with the journal's heads `heads`.
    pub async fn write_manifest(
        &self,
        file: &Path,
        heads: Vec<(Uuid, i64, String)>,
        made_at: i64,
    ) -> Result<Manifest, StoreError> {
        let (sha256, bytes) = file_digest(file)?;
        let key = self.vault().signing_key().ok_or_else(|| refuse("the key file has no signing key"))?;
        let mut m = Manifest {
            format: FORMAT.into(),
            backend: self.db().backend().code().into(),
            schema_version: self.schema_version().await?,
            key_check: self.meta("key_check").await?,
            sha256,
            bytes,
            journal_heads: heads,
            made_at,
            signature: String::new(),
        };
        m.signature = hex::encode(key.sign(&m.signed_bytes()).to_bytes());
        let text = serde_json::to_string_pretty(&m).map_err(|e| refuse(e.to_string()))?;
        let path = manifest_path(file);
        crate::vault::write_private(&path, text).map_err(|e| refuse(format!("{}: {e}", path.display())))?;
        Ok(m)
    }

    /// Verifies backup `file` against its manifest and this deployment, without touching
    /// live data: refused when there is no manifest, the key check is missing or another
    /// deployment's, the signature is not this deployment's, the data is not what the
    /// manifest says (truncated, a flipped byte), the schema or database kind differs, or
    /// (SQLite) the copy fails `integrity_check` or its own key check or heads disagree.
    pub async fn plan_restore(&self, file: &Path) -> Result<RestorePlan, StoreError> {
        if !file.is_file() {
            return Err(refuse(format!("{} is not a file", file.display())));
        }
        let text = std::fs::read_to_string(manifest_path(file)).map_err(|_| {
            refuse(format!(
                "not a pioneer backup: {} has no manifest {} beside it",
                file.display(),
                manifest_path(file).display()
            ))
        })?;
        let m: Manifest = serde_json::from_str(&text).map_err(|_| {
            refuse(format!("not a pioneer backup: {} does not read", manifest_path(file).display()))
        })?;
        if m.format != FORMAT {
            return Err(refuse(format!("unknown backup format {} (this version reads {FORMAT})", m.format)));
        }
        match &m.key_check {
            None => {
                return Err(refuse(
                    "the backup carries no key check: refused (its keys cannot be confirmed)",
                ));
            }
            Some(k) if *k != self.vault().key_check() => return Err(StoreError::WrongKeys),
            Some(_) => {}
        }
        let public = self.vault().journal_public_key().unwrap_or_default();
        if !signature_ok(&m, &public) {
            return Err(refuse(
                "the manifest is not signed by this deployment's key (altered, or another deployment's)",
            ));
        }
        if m.backend != self.db().backend().code() {
            return Err(refuse(format!(
                "the backup is of a {} database; this one is {}",
                m.backend,
                self.db().backend().code()
            )));
        }
        if m.schema_version != self.schema_version().await? {
            return Err(refuse("the backup was made by another schema version"));
        }
        let (sha, bytes) = file_digest(file)?;
        if bytes != m.bytes {
            return Err(refuse(format!(
                "the backup has {bytes} bytes, its manifest says {}: truncated or altered",
                m.bytes
            )));
        }
        if sha != m.sha256 {
            return Err(refuse("the backup's SHA-256 differs from its manifest: altered (a changed byte)"));
        }
        if let crate::Db::Sqlite(pool) = self.db() {
            verify_sqlite_copy(pool, file, &m).await?;
        }
        let discarded = self.entries_after(&m.journal_heads).await?;
        Ok(RestorePlan { manifest: m, discarded })
    }

    /// Journal entries now stored beyond `heads` (all of a chain the heads do not name).
    pub async fn entries_after(&self, heads: &[(Uuid, i64, String)]) -> Result<u64, StoreError> {
        let mut n = 0u64;
        for h in self.journal_heads().await? {
            let kept = heads.iter().find(|(t, _, _)| *t == h.tenant_id).map_or(0, |(_, seq, _)| *seq);
            n += u64::try_from(h.seq - kept).unwrap_or(0);
        }
        Ok(n)
    }
}

fn signature_ok(m: &Manifest, public: &str) -> bool {
    crate::checkpoint::signature_ok(public, &m.signed_bytes(), &m.signature)
}

/// The SQLite copy opens, passes `integrity_check`, and holds the key check and heads its
/// manifest names.
async fn verify_sqlite_copy(pool: &sqlx::SqlitePool, file: &Path, m: &Manifest) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("ATTACH DATABASE $1 AS probe").bind(file.display().to_string()).execute(&mut *conn).await?;
    let result = async {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA probe.integrity_check")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| refuse(format!("the backup is not a readable database: {e}")))?;
        if rows != ["ok"] {
            return Err(refuse(format!("the backup fails SQLite's integrity check: {}", rows.join("; "))));
        }
        let key: Option<String> = sqlx::query_scalar("SELECT value FROM probe.meta WHERE key = 'key_check'")
            .fetch_optional(&mut *conn)
            .await
            .map_err(|_| refuse("not a pioneer backup (no meta table)"))?;
        if key.is_none() {
            return Err(refuse("the backup carries no key check: refused (its keys cannot be confirmed)"));
        }
        if key != m.key_check {
            return Err(StoreError::WrongKeys);
        }
        let mut heads: Vec<(Uuid, i64, String)> =
            sqlx::query_as("SELECT tenant_id, seq, hash FROM probe.journal_heads")
                .fetch_all(&mut *conn)
                .await?;
        heads.sort();
        let mut want = m.journal_heads.clone();
        want.sort();
        if heads != want {
            return Err(refuse("the backup's journal heads differ from its manifest"));
        }
        Ok(())
    }
    .await;
    let _ = sqlx::query("DETACH DATABASE probe").execute(&mut *conn).await;
    result
}

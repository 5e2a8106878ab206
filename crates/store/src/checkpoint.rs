//! Signed checkpoints of the journal: each chain's head (entries, last hash) at a moment,
//! signed with Ed25519 and appended to a file outside the database (one JSON line each), so
//! that a journal cut back, emptied or rebuilt in the database no longer reaches the heads
//! the file vouches for.
//!
//! The server writes one periodically when the heads moved and at shutdown; `pioneer
//! journal checkpoint` writes one on demand. [`Store::audit_journal`] verifies every chain
//! (hashes and authentication codes) and then the latest checkpoint against it, with the
//! public key from the key file or, better, the one the auditor kept at set-up.

use crate::error::StoreError;
use crate::journal::{Break, Head, Verification};
use crate::{Store, on_db};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// One checkpoint as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// When (ms since the epoch).
    pub at: i64,
    /// Every chain's head: (tenant, entries, last hash).
    pub heads: Vec<(Uuid, i64, String)>,
    /// The public key that signed it (hex).
    pub key: String,
    /// The Ed25519 signature (hex) of [`Checkpoint::signed_bytes`].
    pub signature: String,
}

impl Checkpoint {
    /// The bytes the signature covers.
    pub fn signed_bytes(at: i64, heads: &[(Uuid, i64, String)]) -> Vec<u8> {
        let mut out = b"pioneer-checkpoint-v1\n".to_vec();
        out.extend_from_slice(at.to_string().as_bytes());
        for (t, seq, hash) in heads {
            out.extend_from_slice(format!("\n{t} {seq} {hash}").as_bytes());
        }
        out
    }

    /// True when the signature verifies under `key` (hex).
    pub fn verifies(&self, key: &str) -> bool {
        signature_ok(key, &Self::signed_bytes(self.at, &self.heads), &self.signature)
    }
}

/// True when `signature` (hex) is an Ed25519 signature of `bytes` under public key `key`
/// (hex): checkpoints and backup manifests are signed so.
pub(crate) fn signature_ok(key: &str, bytes: &[u8], signature: &str) -> bool {
    let Some(key) = hex::decode(key).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    let Some(sig) = hex::decode(signature).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify(bytes, &Signature::from_bytes(&sig)).is_ok()
}

/// The file of checkpoints.
#[derive(Debug, Clone)]
pub struct CheckpointLog {
    path: PathBuf,
}

/// The file name inside the checkpoint folder.
pub const FILE: &str = "journal-checkpoints.jsonl";

impl CheckpointLog {
    /// The log in folder `dir` (created 0700 when first written).
    pub fn in_dir(dir: &Path) -> Self {
        Self { path: dir.join(FILE) }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many checkpoints the file holds and the latest of them (none when there is no
    /// file); only the latest is read, and a latest line that does not read is an error.
    pub fn latest(&self) -> Result<(usize, Option<Checkpoint>), StoreError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, None)),
            Err(e) => return Err(StoreError::Checkpoint(e.to_string())),
        };
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let n = lines.clone().count();
        let Some(last) = lines.next_back() else { return Ok((0, None)) };
        let cp = serde_json::from_str(last).map_err(|_| {
            StoreError::Checkpoint(format!("{} line {n}: not a checkpoint", self.path.display()))
        })?;
        Ok((n, Some(cp)))
    }

    /// Appends one checkpoint and syncs it (the file is the owner's alone).
    fn append(&self, cp: &Checkpoint) -> Result<(), StoreError> {
        use std::io::Write;
        let io = |e: std::io::Error| StoreError::Checkpoint(format!("{}: {e}", self.path.display()));
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
            }
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&self.path).map_err(io)?;
        let line = serde_json::to_string(cp).map_err(|e| StoreError::Checkpoint(e.to_string()))?;
        f.write_all(format!("{line}\n").as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)
    }

    /// Sets the log aside (renamed with `suffix`) so a restored journal starts a new one.
    pub fn set_aside(&self, suffix: &str) -> Result<Option<PathBuf>, StoreError> {
        if !self.path.exists() {
            return Ok(None);
        }
        let to = self.path.with_extension(format!("{suffix}.jsonl"));
        std::fs::rename(&self.path, &to)
            .map_err(|e| StoreError::Checkpoint(format!("{}: {e}", self.path.display())))?;
        Ok(Some(to))
    }
}

/// A journal verified against its latest checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// The chains verified (hashes, links, authentication codes, and the checkpoint).
    pub verification: Verification,
    /// Checkpoints in the file.
    pub checkpoints: usize,
    /// When the latest was written (ms), if any.
    pub latest_at: Option<i64>,
    /// No checkpoint log is configured, or it holds none yet: a cut tail cannot be caught.
    pub unprotected: bool,
}

impl Store {
    /// Uses the checkpoint log in folder `dir`.
    pub fn with_checkpoints(mut self, dir: &Path) -> Self {
        self.checkpoints = Some(CheckpointLog::in_dir(dir));
        self
    }

    /// The checkpoint log, when one is configured.
    pub fn checkpoint_log(&self) -> Option<&CheckpointLog> {
        self.checkpoints.as_ref()
    }

    /// Signs the chains' heads as they stand at `at_ms` and appends them to the log. With
    /// `only_if_moved`, nothing is written when the heads equal the latest checkpoint's.
    pub async fn write_checkpoint(
        &self,
        at_ms: i64,
        only_if_moved: bool,
    ) -> Result<Option<Checkpoint>, StoreError> {
        let log = self
            .checkpoints
            .as_ref()
            .ok_or(StoreError::Checkpoint("no checkpoint folder is configured".into()))?;
        let key = self
            .vault
            .signing_key()
            .ok_or(StoreError::Checkpoint("the key file has no signing key".into()))?;
        let heads: Vec<(Uuid, i64, String)> =
            self.journal_heads().await?.into_iter().map(|h| (h.tenant_id, h.seq, h.hash)).collect();
        if only_if_moved && log.latest()?.1.is_some_and(|last| last.heads == heads) {
            return Ok(None);
        }
        let sig = key.sign(&Checkpoint::signed_bytes(at_ms, &heads));
        let cp = Checkpoint {
            at: at_ms,
            heads,
            key: hex::encode(key.verifying_key().as_bytes()),
            signature: hex::encode(sig.to_bytes()),
        };
        log.append(&cp)?;
        Ok(Some(cp))
    }

    /// Verifies every chain, then the latest checkpoint (the one a verdict rests on): it
    /// must be signed by `trusted_key` (hex; default: the key file's own), and each head it
    /// vouches for must still be in the journal with the same hash.
    pub async fn audit_journal(&self, trusted_key: Option<&str>) -> Result<Audit, StoreError> {
        let (count, latest) = match &self.checkpoints {
            Some(log) => log.latest()?,
            None => (0, None),
        };
        let own = self.vault.journal_public_key();
        let key = trusted_key.map(str::to_owned).or(own);
        let mut audit = Audit {
            verification: Verification::default(),
            checkpoints: count,
            latest_at: latest.as_ref().map(|c| c.at),
            unprotected: latest.is_none(),
        };
        if latest.as_ref().is_some_and(|c| !key.as_deref().is_some_and(|k| c.verifies(k))) {
            audit.verification.broken = Some(Break {
                tenant_id: Uuid::nil(),
                seq: 0,
                reason: format!(
                    "checkpoint {count} (the latest) of the log does not verify under the trusted public key \
                     (the log was altered, or signed by another key)"
                ),
            });
            return Ok(audit);
        }
        let expected: Vec<Head> = latest
            .map(|c| {
                c.heads.into_iter().map(|(tenant_id, seq, hash)| Head { tenant_id, seq, hash }).collect()
            })
            .unwrap_or_default();
        audit.verification = self.verify_journal(&expected).await?;
        Ok(audit)
    }

    /// Authenticates, under the current journal key, the entries written before the key
    /// file had one (after checking their hash chain), once, when the key file gains its
    /// journal key. Returns how many were sealed.
    pub async fn seal_unauthenticated_journal(&self) -> Result<u64, StoreError> {
        let mut sealed = 0u64;
        for head in self.journal_heads().await? {
            let mut seen = 0;
            if let Some(b) = self.verify_chain(head.tenant_id, Some(&head), &mut seen, false).await? {
                return Err(StoreError::Checkpoint(format!(
                    "{b}: the journal is not sealed; run `pioneer journal verify`"
                )));
            }
            let mut after = 0i64;
            loop {
                let rows: Vec<(i64, String)> = on_db!(self.db(), pool => {
                    sqlx::query_as(
                        "SELECT seq, hash FROM journal WHERE tenant_id = $1 AND seq > $2 AND mac IS NULL ORDER BY seq LIMIT 1000",
                    )
                    .bind(head.tenant_id)
                    .bind(after)
                    .fetch_all(pool)
                    .await?
                });
                let n = rows.len();
                for (seq, hash) in rows {
                    let (k, m) = self
                        .vault
                        .journal_mac(head.tenant_id, seq, &hash)
                        .ok_or(StoreError::Checkpoint("the key file has no journal key".into()))?;
                    on_db!(self.db(), pool => {
                        sqlx::query("UPDATE journal SET mac_key = $3, mac = $4 WHERE tenant_id = $1 AND seq = $2")
                            .bind(head.tenant_id)
                            .bind(seq)
                            .bind(k)
                            .bind(&m)
                            .execute(pool)
                            .await?;
                    });
                    sealed += 1;
                    after = seq;
                }
                if n < 1000 {
                    break;
                }
            }
        }
        Ok(sealed)
    }
}

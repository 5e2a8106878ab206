//! Encryption at rest of ID card and phone numbers.
//!
//! Each value is sealed with XChaCha20-Poly1305 under a versioned key (the first byte of
//! the stored value names the key version, so keys can be rotated) with the column name
//! as associated data, so a value copied into another column does not open. Search uses
//! a keyed hash (HMAC-SHA256, a "blind index") of the normalised value, never the value.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Why a key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the file failed.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file's content is not a key file.
    #[error("key file {0}: not a pioneer key file (expected lines index=…, key.N=…, current=N)")]
    Format(String),
    /// Others than its owner may read the file (as ssh refuses a private key).
    #[error(
        "key file {path} is readable by group or others (mode {mode:o}): run `chmod 600 {path}`; pioneer does not use a key others can read"
    )]
    Exposed {
        /// The file.
        path: String,
        /// Its permission bits.
        mode: u32,
    },
}

/// The secret keys: data keys by version, the current version, the index key, the journal's
/// authentication keys (versioned with the data keys) and the checkpoint signing key.
#[derive(Clone)]
pub struct KeyRing {
    keys: BTreeMap<u8, [u8; 32]>,
    current: u8,
    index: [u8; 32],
    journal: BTreeMap<u8, [u8; 32]>,
    signing: Option<[u8; 32]>,
    /// The file it came from, re-read when a value sealed under a newer key turns up
    /// (another process rotated the keys while this one runs).
    source: Option<PathBuf>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyRing(current={}, versions={:?}, secrets hidden)", self.current, self.keys.keys())
    }
}

fn random_key() -> [u8; 32] {
    XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

impl KeyRing {
    /// Fresh random keys (version 1).
    pub fn generate() -> Self {
        Self {
            keys: BTreeMap::from([(1, random_key())]),
            current: 1,
            index: random_key(),
            journal: BTreeMap::from([(1, random_key())]),
            signing: Some(random_key()),
            source: None,
        }
    }

    /// True when the ring lacks the journal's keys (a key file from before they existed).
    pub fn lacks_journal_keys(&self) -> bool {
        self.journal.is_empty() || self.signing.is_none()
    }

    /// Adds the journal's authentication and signing keys a key file from before them lacks.
    pub fn add_journal_keys(&mut self) {
        if self.journal.is_empty() {
            self.journal.insert(self.current, random_key());
        }
        if self.signing.is_none() {
            self.signing = Some(random_key());
        }
    }

    /// Reads the key file at `path`: None when there is none; refused when it is not a key
    /// file or others than its owner may read it.
    pub fn load(path: &Path) -> Result<Option<Self>, KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyError::Exposed { path: path.display().to_string(), mode });
            }
        }
        Self::parse(&text)
            .map(|r| Some(Self { source: Some(path.to_owned()), ..r }))
            .ok_or_else(|| KeyError::Format(path.display().to_string()))
    }

    /// Writes fresh keys to a new key file at `path` (mode 0600; refused if one exists).
    pub fn create(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        let ring = Self::generate();
        write_private(path, ring.to_text()).map_err(io)?;
        Ok(Self { source: Some(path.to_owned()), ..ring })
    }

    /// A short fingerprint of the keys (the first 16 hex digits of the SHA-256 of the index
    /// key), to print at set-up and compare with a backup of the key file.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let h = hex::encode(Sha256::digest(self.index));
        [&h[0..4], &h[4..8], &h[8..12], &h[12..16]].join("-")
    }

    /// The key file text.
    pub fn to_text(&self) -> String {
        let mut s = String::from("# pioneer data keys: keep secret, back up with the database\n");
        s.push_str(&format!("index={}\n", hex::encode(self.index)));
        for (v, k) in &self.keys {
            s.push_str(&format!("key.{v}={}\n", hex::encode(k)));
        }
        s.push_str(&format!("current={}\n", self.current));
        for (v, k) in &self.journal {
            s.push_str(&format!("journal.{v}={}\n", hex::encode(k)));
        }
        if let Some(k) = &self.signing {
            s.push_str(&format!("signing={}\n", hex::encode(k)));
        }
        s
    }

    /// Parses key file text.
    pub fn parse(text: &str) -> Option<Self> {
        let mut keys = BTreeMap::new();
        let mut journal = BTreeMap::new();
        let mut signing = None;
        let mut index = None;
        let mut current = None;
        let key32 = |h: &str| -> Option<[u8; 32]> { hex::decode(h.trim()).ok()?.try_into().ok() };
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (k, v) = line.split_once('=')?;
            match k.trim() {
                "index" => index = Some(key32(v)?),
                "current" => current = Some(v.trim().parse().ok()?),
                "signing" => signing = Some(key32(v)?),
                other if other.starts_with("journal.") => {
                    let version: u8 = other.strip_prefix("journal.")?.parse().ok()?;
                    journal.insert(version, key32(v)?);
                }
                other => {
                    let version: u8 = other.strip_prefix("key.")?.parse().ok()?;
                    keys.insert(version, key32(v)?);
                }
            }
        }
        let current = current?;
        keys.contains_key(&current).then_some(Self {
            keys,
            current,
            index: index?,
            journal,
            signing,
            source: None,
        })
    }

    /// Adds a fresh data key and makes it current; returns its version. Older keys stay
    /// so values sealed under them still open until they are re-sealed.
    pub fn rotate(&mut self) -> u8 {
        let next = self.keys.keys().max().copied().unwrap_or(0).saturating_add(1);
        self.keys.insert(next, random_key());
        self.journal.insert(next, random_key());
        self.current = next;
        next
    }

    /// The current key version.
    pub fn current(&self) -> u8 {
        self.current
    }

    /// Writes the key file atomically (a new file, then a rename), mode 0600.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        let tmp = path.with_extension("key.new");
        let _ = std::fs::remove_file(&tmp);
        write_private(&tmp, self.to_text()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// Writes a new file (refused if one exists) that only its owner may read, and syncs it.
#[cfg(unix)]
pub(crate) fn write_private(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_ref())?;
    f.sync_all()
}

/// Writes a new file (refused if one exists).
#[cfg(not(unix))]
pub(crate) fn write_private(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Seals, opens and indexes sensitive values with a [`KeyRing`].
#[derive(Clone)]
pub struct Vault {
    ring: Arc<RwLock<Arc<KeyRing>>>,
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error)]
#[error("sealed value does not open")]
pub struct OpenError;

impl Vault {
    /// A vault over `ring`.
    pub fn new(ring: KeyRing) -> Self {
        Self { ring: Arc::new(RwLock::new(Arc::new(ring))) }
    }

    fn ring(&self) -> Arc<KeyRing> {
        self.ring.read().map_or_else(|poisoned| poisoned.into_inner().clone(), |r| r.clone())
    }

    /// Re-reads the key file, if the ring came from one; true when it now knows `version`.
    fn reload_for(&self, version: u8) -> bool {
        let Some(path) = self.ring().source.clone() else { return false };
        let Some(fresh) = std::fs::read_to_string(&path).ok().and_then(|t| KeyRing::parse(&t)) else {
            return false;
        };
        if fresh.index != self.ring().index
            || !(fresh.keys.contains_key(&version) || fresh.journal.contains_key(&version))
        {
            return false;
        }
        let fresh = KeyRing { source: Some(path), ..fresh };
        if let Ok(mut w) = self.ring.write() {
            *w = Arc::new(fresh);
        }
        tracing::info!(version, "data keys re-read after a rotation");
        true
    }

    /// The key version a sealed value was sealed under.
    pub fn version_of(sealed: &[u8]) -> Option<u8> {
        sealed.first().copied()
    }

    /// The current key version.
    pub fn current_version(&self) -> u8 {
        self.ring().current
    }

    /// Encrypts `value` for `column`: `[version][24-byte nonce][ciphertext and tag]`.
    pub fn seal(&self, column: &str, value: &str) -> Vec<u8> {
        let ring = self.ring();
        let key = &ring.keys[&ring.current];
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, Payload { msg: value.as_bytes(), aad: column.as_bytes() })
            .unwrap_or_default();
        let mut out = Vec::with_capacity(1 + 24 + sealed.len());
        out.push(ring.current);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts a value sealed for `column`.
    pub fn open(&self, column: &str, sealed: &[u8]) -> Result<String, OpenError> {
        if sealed.len() < 1 + 24 + 16 {
            return Err(OpenError);
        }
        let mut ring = self.ring();
        if !ring.keys.contains_key(&sealed[0]) && self.reload_for(sealed[0]) {
            ring = self.ring();
        }
        let key = ring.keys.get(&sealed[0]).ok_or(OpenError)?;
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce = XNonce::from_slice(&sealed[1..25]);
        let plain = cipher
            .decrypt(nonce, Payload { msg: &sealed[25..], aad: column.as_bytes() })
            .map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }

    /// The keyed hash used to find a value without storing it.
    pub fn index(&self, column: &str, value: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.ring().index).unwrap_or_else(|_| unreachable!());
        mac.update(column.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The journal's authentication code of an entry's hash under the current journal key:
    /// `(key version, hex code)`; None when the ring has no journal key.
    pub fn journal_mac(&self, tenant: uuid::Uuid, seq: i64, hash: &str) -> Option<(i64, String)> {
        let ring = self.ring();
        let (version, key) = ring.journal.last_key_value()?;
        Some((i64::from(*version), journal_code(key, tenant, seq, hash)))
    }

    /// True when `mac` is the authentication code of the entry's hash under journal key
    /// `version` (re-reading the key file once if the version is newer than the ring).
    pub fn journal_mac_ok(&self, version: i64, tenant: uuid::Uuid, seq: i64, hash: &str, mac: &str) -> bool {
        let Ok(version) = u8::try_from(version) else { return false };
        let mut ring = self.ring();
        if !ring.journal.contains_key(&version) && self.reload_for(version) {
            ring = self.ring();
        }
        let Some(key) = ring.journal.get(&version) else { return false };
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        journal_code_input(&mut m, tenant, seq, hash);
        hex::decode(mac).is_ok_and(|code| m.verify_slice(&code).is_ok())
    }

    /// The key that signs journal checkpoints, when the ring has one.
    pub fn signing_key(&self) -> Option<ed25519_dalek::SigningKey> {
        self.ring().signing.map(|seed| ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// The public key of checkpoint signatures (hex), for the auditor to keep.
    pub fn journal_public_key(&self) -> Option<String> {
        self.signing_key().map(|k| hex::encode(k.verifying_key().as_bytes()))
    }

    /// A value that proves which index key is in use, without revealing it.
    pub fn key_check(&self) -> String {
        hex::encode(self.index("key_check", "pioneer"))
    }
}

fn journal_code_input(m: &mut Hmac<Sha256>, tenant: uuid::Uuid, seq: i64, hash: &str) {
    m.update(b"pioneer-journal-mac-v1\0");
    m.update(tenant.as_bytes());
    m.update(&seq.to_be_bytes());
    m.update(hash.as_bytes());
}

fn journal_code(key: &[u8; 32], tenant: uuid::Uuid, seq: i64, hash: &str) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    journal_code_input(&mut m, tenant, seq, hash);
    hex::encode(m.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_column_and_keys() {
        let v = Vault::new(KeyRing::generate());
        let s = v.seal("id_card", "11010519491231002X");
        assert_eq!(v.open("id_card", &s).unwrap(), "11010519491231002X");
        assert!(v.open("phone", &s).is_err());
        assert!(Vault::new(KeyRing::generate()).open("id_card", &s).is_err());
        let mut tampered = s.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(v.open("id_card", &tampered).is_err());
        assert_ne!(v.seal("id_card", "x"), v.seal("id_card", "x"), "nonces differ");
        assert!(!s.windows(6).any(|w| w == b"110105"));
    }

    #[test]
    fn key_files_round_trip() {
        let ring = KeyRing::generate();
        let back = KeyRing::parse(&ring.to_text()).unwrap();
        let (a, b) = (Vault::new(ring), Vault::new(back));
        assert_eq!(a.index("phone", "13812345678"), b.index("phone", "13812345678"));
        assert_eq!(b.open("phone", &a.seal("phone", "13812345678")).unwrap(), "13812345678");
        assert!(KeyRing::parse("index=zz\ncurrent=1").is_none());
        assert!(KeyRing::parse("").is_none());
    }

    #[test]
    fn rotation_keeps_old_values_readable_and_seals_under_the_new_key() {
        let mut ring = KeyRing::generate();
        let old = Vault::new(ring.clone());
        let sealed_old = old.seal("phone", "13812345678");
        assert_eq!(ring.rotate(), 2);
        let new = Vault::new(ring);
        assert_eq!(new.open("phone", &sealed_old).unwrap(), "13812345678");
        let sealed_new = new.seal("phone", "13812345678");
        assert_eq!(Vault::version_of(&sealed_new), Some(2));
        assert!(old.open("phone", &sealed_new).is_err(), "the old ring lacks key 2");
        assert_eq!(old.index("phone", "x"), new.index("phone", "x"), "the index key is unchanged");
    }
}

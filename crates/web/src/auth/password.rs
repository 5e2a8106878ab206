//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1: the argon2 crate's defaults,
//! OWASP's recommended minimum), run off the async threads and at most one per core at a
//! time: a burst of sign-ins waits its turn instead of holding 19 MiB per request at once,
//! so memory stays bounded and the other requests keep their threads.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The turns: one per core.
fn turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Hashes a password (PHC string).
pub async fn hash(password: String) -> String {
    let Ok(_turn) = turns().acquire().await else { return String::new() };
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
    .await
    .unwrap_or_default()
}

/// Hashes a password on this thread (command-line use).
pub fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

/// Checks a password against a stored hash. With no hash (unknown account) it checks a
/// dummy hash, so an unknown name and a wrong password take the same time.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_turn) = turns().acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        hasher().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

fn dummy() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("a password nobody has"))
}

/// A random token: `bytes` random bytes, hex-encoded.
pub fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A one-time password that passes both policies: 4 groups of 4 from an unambiguous set.
pub fn one_time_password() -> String {
    const SET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    let mut buf = [0u8; 16];
    OsRng.fill_bytes(&mut buf);
    let chars: Vec<char> = buf.iter().map(|b| char::from(SET[usize::from(*b) % SET.len()])).collect();
    let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
    format!("{}-7Aa", groups.join("-"))
}

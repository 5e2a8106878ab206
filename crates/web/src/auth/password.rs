//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1: the argon2 crate's defaults,
//! OWASP's recommended minimum), run off the async threads and at most one per core at a
//! time: a burst of sign-ins waits its turn. Each turn owns a working memory allocated once
//! and reused (the crate would allocate and free 19 MiB per hash, which the allocator keeps
//! per thread), so the server's memory stays bounded and the other requests keep their
//! threads.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Mutex, OnceLock};
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes at once: one per core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The turns.
fn turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| Semaphore::new(cores()))
}

/// Runs `f` with a working memory of `blocks` blocks: one of the kept ones when it has that
/// size (at most one per turn is kept), a new one otherwise.
fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    static KEPT: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    let kept = KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
    let mut memory = kept.filter(|m| m.len() == blocks).unwrap_or_else(|| vec![Block::default(); blocks]);
    let out = f(&mut memory);
    let mut kept = KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if kept.len() < cores() {
        kept.push(memory);
    }
    out
}

/// A password's PHC string under a new salt (empty if hashing failed).
fn hash_now(password: &str) -> String {
    let argon = hasher();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return String::new() };
    let mut out = [0u8; 32];
    let hashed = with_memory(argon.params().block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
    });
    let (Ok(()), Ok(hash), Ok(params)) = (hashed, Output::new(&out), ParamsString::try_from(argon.params()))
    else {
        return String::new();
    };
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(u32::from(Version::V0x13)),
        params,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    phc.to_string()
}

/// Whether `password` gives the stored PHC string (under its own algorithm and parameters).
fn verify_now(password: &str, stored: &str) -> bool {
    let Ok(phc) = PasswordHash::new(stored) else { return false };
    let (Ok(params), Ok(algorithm)) = (Params::try_from(&phc), Algorithm::try_from(phc.algorithm)) else {
        return false;
    };
    let Ok(version) = phc.version.map_or(Ok(Version::default()), Version::try_from) else { return false };
    let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return false };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let hashed = with_memory(argon.params().block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
    });
    // `Output`'s comparison takes the same time wherever the bytes differ.
    hashed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes a password (PHC string).
pub async fn hash(password: String) -> String {
    let Ok(_turn) = turns().acquire().await else { return String::new() };
    tokio::task::spawn_blocking(move || hash_now(&password)).await.unwrap_or_default()
}

/// Hashes a password on this thread (command-line use).
pub fn hash_blocking(password: &str) -> String {
    hash_now(password)
}

/// Checks a password against a stored hash. With no hash (unknown account) it checks a
/// dummy hash, so an unknown name and a wrong password take the same time.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_turn) = turns().acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy().to_owned());
        verify_now(&password, &stored) && known
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

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordVerifier;

    #[test]
    fn hashes_are_the_argon2_crate_s_and_verify_both_ways() {
        let ours = hash_now("Demo@Shenzhen2026");
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        // The crate's own verifier accepts our hash, and ours accepts the crate's.
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(hasher().verify_password(b"Demo@Shenzhen2026", &parsed).is_ok());
        assert!(hasher().verify_password(b"demo@Shenzhen2026", &parsed).is_err());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon2::PasswordHasher::hash_password(&hasher(), b"x-7Aa", &salt).unwrap().to_string();
        assert!(verify_now("x-7Aa", &theirs));
        assert!(!verify_now("x-7Ab", &theirs));
        assert!(!verify_now("x-7Aa", "not a hash"));
        // A hash under other parameters (an older policy) still verifies.
        let cheap = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 1, 1, None).unwrap());
        let old = argon2::PasswordHasher::hash_password(&cheap, b"old", &salt).unwrap().to_string();
        assert!(verify_now("old", &old) && !verify_now("new", &old));
    }
}

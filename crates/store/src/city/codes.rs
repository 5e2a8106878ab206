//! The code a badge's or sticker's QR carries: its tenant and id and an 8-byte
//! authentication code under the deployment's index key, in lower-case base32 (64
//! characters). A forged code, or a copied one with any character changed, does not verify.

use crate::vault::Vault;
use uuid::Uuid;

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// Bytes of authentication code kept.
const MAC_LEN: usize = 8;

fn mac(vault: &Vault, tenant: Uuid, id: Uuid) -> Vec<u8> {
    let mut payload = Vec::with_capacity(32);
    payload.extend_from_slice(tenant.as_bytes());
    payload.extend_from_slice(id.as_bytes());
    let mut full = vault.index("badge_code", &hex::encode(&payload));
    full.truncate(MAC_LEN);
    full
}

/// The code of badge `id` of `tenant`.
pub fn encode(vault: &Vault, tenant: Uuid, id: Uuid) -> String {
    let mut bytes = Vec::with_capacity(40);
    bytes.extend_from_slice(tenant.as_bytes());
    bytes.extend_from_slice(id.as_bytes());
    bytes.extend_from_slice(&mac(vault, tenant, id));
    base32(&bytes)
}

/// The tenant and badge of a code, or None when it is malformed or does not verify.
pub fn decode(vault: &Vault, code: &str) -> Option<(Uuid, Uuid)> {
    let bytes = unbase32(code.trim())?;
    if bytes.len() != 32 + MAC_LEN {
        return None;
    }
    let tenant = Uuid::from_slice(&bytes[..16]).ok()?;
    let id = Uuid::from_slice(&bytes[16..32]).ok()?;
    let expected = mac(vault, tenant, id);
    // Constant-time comparison.
    let diff = expected.iter().zip(&bytes[32..]).fold(0u8, |d, (a, b)| d | (a ^ b));
    (diff == 0).then_some((tenant, id))
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

fn unbase32(s: &str) -> Option<Vec<u8>> {
    if s.len() > 128 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c.to_ascii_lowercase())? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KeyRing, Vault};

    #[test]
    fn a_code_verifies_and_any_change_to_it_does_not() {
        let vault = Vault::new(KeyRing::generate());
        let (t, id) = (Uuid::now_v7(), Uuid::now_v7());
        let code = encode(&vault, t, id);
        assert_eq!(code.len(), 64);
        assert_eq!(decode(&vault, &code), Some((t, id)));
        assert_eq!(decode(&vault, &code.to_uppercase()), Some((t, id)));
        for i in 0..code.len() {
            let mut b = code.clone().into_bytes();
            b[i] = if b[i] == b'a' { b'b' } else { b'a' };
            let altered = String::from_utf8(b).unwrap();
            assert_eq!(decode(&vault, &altered), None, "position {i}");
        }
        // Another badge's id with this code's authentication code.
        let other = encode(&vault, t, Uuid::now_v7());
        let forged = format!("{}{}", &other[..51], &code[51..]);
        assert_eq!(decode(&vault, &forged), None);
        // Another deployment's key.
        assert_eq!(decode(&Vault::new(KeyRing::generate()), &code), None);
        assert_eq!(decode(&vault, "not a code!"), None);
    }
}

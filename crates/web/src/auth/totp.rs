//! The second factor: time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits, one step of clock drift either way), the `otpauth://` URI and its QR
//! code drawn on the server as SVG, and single-use recovery codes.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The 6-digit code for `secret` at `unix_secs`.
pub fn code(secret: &[u8], unix_secs: i64) -> u32 {
    let counter = u64::try_from(unix_secs.max(0) / 30).unwrap_or(0);
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(secret) else { return 0 };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = usize::from(h[19] & 0x0f);
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    bin % 1_000_000
}

/// Whether `typed` is the code now, a step before or a step after.
pub fn verify(secret: &[u8], typed: &str, unix_secs: i64) -> bool {
    matching_step(secret, typed, unix_secs).is_some()
}

/// The 30-second step whose code `typed` is (now, a step before or a step after).
pub fn matching_step(secret: &[u8], typed: &str, unix_secs: i64) -> Option<i64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = digits.parse::<u32>().ok()?;
    [-30, 0, 30].iter().map(|d| unix_secs + d).find(|t| code(secret, *t) == n).map(|t| t / 30)
}

/// RFC 4648 base32 without padding (what authenticator apps take).
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(ALPHABET[((buffer >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The enrolment URI for an authenticator app.
pub fn uri(username: &str, secret: &[u8]) -> String {
    format!("otpauth://totp/pioneer:{username}?secret={}&issuer=pioneer&digits=6&period=30", base32(secret))
}

/// The URI as a QR code, an SVG drawn here (no image service, no script).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build()
        }
        Err(_) => String::new(),
    }
}

/// The stored form of a recovery code.
pub fn hash_recovery(code: &str) -> String {
    let normal: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Eight fresh recovery codes (shown once).
pub fn recovery_codes() -> Vec<String> {
    (0..8)
        .map(|_| {
            let t = super::password::token(5);
            format!("{}-{}", &t[..5], &t[5..])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(code(secret, 59), 287_082);
        assert_eq!(code(secret, 1_111_111_109), 81_804);
        assert_eq!(code(secret, 1_234_567_890), 5_924);
        assert_eq!(code(secret, 2_000_000_000), 279_037);
        assert!(verify(secret, "287082", 59));
        assert!(verify(secret, "287 082", 80), "the next step still accepts it");
        assert!(!verify(secret, "287082", 200));
        assert!(!verify(secret, "28708", 59));
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        assert!(
            qr_svg(&uri("zhao", b"12345678901234567890")).starts_with("<?xml")
                || qr_svg("x").contains("<svg")
        );
    }

    #[test]
    fn recovery_codes_are_hashed_ignoring_case_and_dashes() {
        assert_eq!(hash_recovery("ab12c-3d4e5"), hash_recovery("AB12C3D4E5"));
        assert_eq!(recovery_codes().len(), 8);
    }
}

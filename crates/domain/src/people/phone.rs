//! Mainland China mobile phone numbers: 11 digits starting with 1 (a `+86` or `86`
//! prefix, spaces and hyphens are accepted and removed).

use crate::error::{FieldError, Reason};
use crate::text::mask;

/// A normalised 11-digit mobile number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a phone number, reporting errors against `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let mut digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if let Some(rest) = digits.strip_prefix("+86") {
            digits = rest.to_owned();
        } else if digits.len() == 13 && digits.starts_with("86") {
            digits = digits[2..].to_owned();
        }
        let b = digits.as_bytes();
        let ok = b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && b[1] >= b'3';
        if ok { Ok(Self(digits)) } else { Err(FieldError::new(field, Reason::PhoneFormat)) }
    }

    /// The full number, for encryption and keyed hashing only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown masked: 138****5678.
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 4)
    }
}

impl std::fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_prefixes_and_separators() {
        for raw in ["13812345678", "+86 138-1234-5678", "8613812345678", " 138 1234 5678 "] {
            assert_eq!(PhoneNumber::parse("phone", raw).unwrap().as_str(), "13812345678", "{raw}");
        }
        assert_eq!(PhoneNumber::parse("phone", "13812345678").unwrap().masked(), "138****5678");
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        for raw in ["1381234567", "23812345678", "12812345678", "138123456789", "1381234567a", ""] {
            assert_eq!(PhoneNumber::parse("phone", raw).unwrap_err().reason, Reason::PhoneFormat, "{raw}");
        }
    }
}

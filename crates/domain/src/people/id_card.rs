//! The resident ID card number (居民身份证号码) under GB 11643-1999: 18 characters,
//! 6 region digits, 8 birth-date digits, 3 sequence digits (odd = male) and a check
//! character computed with ISO 7064 MOD 11-2.

use crate::error::{FieldError, Reason};
use crate::people::gender::Gender;
use crate::text::mask;
use jiff::civil::Date;

/// A checked 18-character ID card number; the check character is upper case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdCardNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize]
}

impl IdCardNumber {
    /// Parses and checks an ID number, reporting errors against `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let s: String = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if s.is_empty() {
            return Err(FieldError::new(field, Reason::Required));
        }
        let shape = b.len() == 18
            && b[..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X');
        if !shape {
            return Err(FieldError::new(field, Reason::IdCardFormat));
        }
        if birth_date_of(b).is_none() {
            return Err(FieldError::new(field, Reason::IdCardBirthDate));
        }
        if check_char(&b[..17]) != b[17] {
            return Err(FieldError::new(field, Reason::IdCardChecksum));
        }
        Ok(Self(s))
    }

    /// The birth date written in the number.
    pub fn birth_date(&self) -> Date {
        // Parse guaranteed a valid date.
        birth_date_of(self.0.as_bytes()).unwrap_or(Date::constant(1900, 1, 1))
    }

    /// The gender encoded by the sequence digit (odd = male).
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female }
    }

    /// The full number, for encryption and keyed hashing only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown masked: the first 4 and last 4 characters.
    pub fn masked(&self) -> String {
        mask(&self.0, 4, 4)
    }

    /// Builds a valid number from region, birth date and sequence (for demo and generated data).
    pub fn compose(region: u32, birth: Date, sequence: u32) -> Self {
        let mut s = format!(
            "{:06}{:04}{:02}{:02}{:03}",
            region % 1_000_000,
            birth.year(),
            birth.month(),
            birth.day(),
            sequence % 1000
        );
        let c = check_char(s.as_bytes());
        s.push(char::from(c));
        Self(s)
    }
}

impl std::fmt::Debug for IdCardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdCardNumber({})", self.masked())
    }
}

fn birth_date_of(b: &[u8]) -> Option<Date> {
    let num = |r: std::ops::Range<usize>| -> Option<i32> { std::str::from_utf8(&b[r]).ok()?.parse().ok() };
    let y = num(6..10)?;
    let m = num(10..12)?;
    let d = num(12..14)?;
    if y < 1900 {
        return None;
    }
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A number from the GB 11643 standard's own example.
    const SAMPLE: &str = "11010519491231002X";

    #[test]
    fn accepts_the_standard_example_and_lower_case_x() {
        let id = IdCardNumber::parse("id_card", "11010519491231002x").unwrap();
        assert_eq!(id.as_str(), SAMPLE);
        assert_eq!(id.birth_date(), Date::constant(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn refuses_each_kind_of_bad_number() {
        let cases = [
            ("110105194912310021", Reason::IdCardChecksum),
            ("11010519491231002", Reason::IdCardFormat),
            ("1101051949123100211", Reason::IdCardFormat),
            ("11010519491231A02X", Reason::IdCardFormat),
            ("110105194902300027", Reason::IdCardBirthDate),
            ("", Reason::Required),
        ];
        for (raw, reason) in cases {
            assert_eq!(IdCardNumber::parse("id_card", raw).unwrap_err().reason, reason, "{raw}");
        }
    }

    #[test]
    fn composed_numbers_always_parse_back() {
        for seq in 0..1000 {
            let id = IdCardNumber::compose(440305, Date::constant(1996, 2, 29), seq);
            let back = IdCardNumber::parse("id_card", id.as_str()).unwrap();
            assert_eq!(back.birth_date(), Date::constant(1996, 2, 29));
            assert_eq!(back.gender() == Gender::Male, seq % 2 == 1);
        }
    }
}

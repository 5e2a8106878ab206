//! Password policies: `mlps3` (the default: at least 8 characters of 3 classes, expiry
//! after 90 days, lockout after 5 failures) and `asvs5` (length-based: at least 12
//! characters, not a common password, no expiry, lockout after 10 failures).

use serde::{Deserialize, Serialize};

/// A password policy profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordPolicy {
    /// 等保三级 (MLPS level 3).
    #[default]
    Mlps3,
    /// OWASP ASVS 5.
    Asvs5,
}

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Too short.
    #[error("at least {0} characters")]
    TooShort(usize),
    /// Too few character classes.
    #[error("characters of at least 3 kinds (lower case, upper case, digits, symbols)")]
    TooFewClasses,
    /// A common or guessable password.
    #[error("a common password")]
    Common,
    /// Contains the account name.
    #[error("contains the account name")]
    ContainsUsername,
    /// Too long to hash safely.
    #[error("at most 128 characters")]
    TooLong,
}

impl PasswordProblem {
    /// The reason in Chinese.
    pub fn zh(&self) -> String {
        match self {
            PasswordProblem::TooShort(n) => format!("密码至少 {n} 个字符"),
            PasswordProblem::TooFewClasses => "密码须包含小写字母、大写字母、数字、符号中的至少三类".into(),
            PasswordProblem::Common => "这是常见密码，容易被猜中".into(),
            PasswordProblem::ContainsUsername => "密码不能包含账号名".into(),
            PasswordProblem::TooLong => "密码不能超过 128 个字符".into(),
        }
    }
}

/// Passwords refused by `asvs5` (and by `mlps3` too): the most common ones, lower case.
const COMMON: &[&str] = &[
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwerty",
    "qwerty123",
    "abc123",
    "111111",
    "123123",
    "iloveyou",
    "admin",
    "admin123",
    "welcome",
    "welcome1",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "aa123456",
    "a123456",
    "woaini1314",
    "5201314",
    "88888888",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "changeme",
    "letmein",
    "pioneer",
    "pioneer123",
    "xianfeng",
    "dangjian",
    "qwertyuiop",
    "asdfghjkl",
    "000000",
    "666666",
    "11111111",
    "abcd1234",
    "abcdefg",
];

impl PasswordPolicy {
    /// Parses a profile name.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "mlps3" => Some(PasswordPolicy::Mlps3),
            "asvs5" => Some(PasswordPolicy::Asvs5),
            _ => None,
        }
    }

    /// Checks a new password for an account.
    pub fn check(self, password: &str, username: &str) -> Result<(), PasswordProblem> {
        let n = password.chars().count();
        if n > 128 {
            return Err(PasswordProblem::TooLong);
        }
        let min = match self {
            PasswordPolicy::Mlps3 => 8,
            PasswordPolicy::Asvs5 => 12,
        };
        if n < min {
            return Err(PasswordProblem::TooShort(min));
        }
        if self == PasswordPolicy::Mlps3 {
            let classes = [
                password.chars().any(|c| c.is_ascii_lowercase()),
                password.chars().any(|c| c.is_ascii_uppercase()),
                password.chars().any(|c| c.is_ascii_digit()),
                password.chars().any(|c| !c.is_ascii_alphanumeric()),
            ];
            if classes.iter().filter(|c| **c).count() < 3 {
                return Err(PasswordProblem::TooFewClasses);
            }
        }
        let lower = password.to_lowercase();
        if COMMON
            .iter()
            .any(|c| lower == *c || lower.trim_end_matches(|ch: char| !ch.is_alphanumeric()) == *c)
        {
            return Err(PasswordProblem::Common);
        }
        if username.chars().count() >= 3 && lower.contains(&username.to_lowercase()) {
            return Err(PasswordProblem::ContainsUsername);
        }
        Ok(())
    }

    /// Days after which a password must be changed (None = never).
    pub fn expiry_days(self) -> Option<i64> {
        match self {
            PasswordPolicy::Mlps3 => Some(90),
            PasswordPolicy::Asvs5 => None,
        }
    }

    /// Consecutive failures that lock an account.
    pub fn lockout_after(self) -> u32 {
        match self {
            PasswordPolicy::Mlps3 => 5,
            PasswordPolicy::Asvs5 => 10,
        }
    }

    /// How long a locked account stays locked, in minutes.
    pub fn lockout_minutes(self) -> i64 {
        30
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mlps3_wants_eight_characters_of_three_kinds() {
        let p = PasswordPolicy::Mlps3;
        assert_eq!(p.check("Ab1!", "zhao"), Err(PasswordProblem::TooShort(8)));
        assert_eq!(p.check("abcdefgh", "zhao"), Err(PasswordProblem::TooFewClasses));
        assert_eq!(p.check("P@ssw0rd", "zhao"), Err(PasswordProblem::Common));
        assert_eq!(p.check("Zhao2026!x", "zhao"), Err(PasswordProblem::ContainsUsername));
        assert_eq!(p.check("Hui-Lang7", "zhao"), Ok(()));
        assert_eq!(p.expiry_days(), Some(90));
        assert_eq!(p.lockout_after(), 5);
    }

    #[test]
    fn asvs5_is_about_length_and_common_passwords() {
        let p = PasswordPolicy::Asvs5;
        assert_eq!(p.check("Short1!", "zhao"), Err(PasswordProblem::TooShort(12)));
        assert_eq!(p.check("qwertyuiop", "zhao"), Err(PasswordProblem::TooShort(12)));
        assert_eq!(p.check("long enough lower case only", "zhao"), Ok(()));
        assert_eq!(p.expiry_days(), None);
        assert_eq!(p.check(&"x".repeat(129), "zhao"), Err(PasswordProblem::TooLong));
    }
}

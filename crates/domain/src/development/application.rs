//! An application to join submitted online (入党申请书): the letter's text, and if sent a
//! scan of the signed letter (PDF, JPEG or PNG, known by its first bytes); who may apply
//! (a non-member without a dossier, one application waiting at a time); and how the branch
//! decides (accepted as the procedure's first step on the day it was submitted, or declined
//! with a reason).

use crate::people::Status;
use crate::{FieldError, Reason, ValidationErrors};

/// The shortest letter accepted, in characters.
pub const TEXT_MIN: usize = 20;
/// The longest letter accepted, in characters.
pub const TEXT_MAX: usize = 10_000;
/// The largest scan accepted.
pub const SCAN_MAX: usize = 5 << 20;
/// The longest reason for declining.
pub const REASON_MAX: usize = 500;

/// The kinds of scan accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    /// PDF.
    Pdf,
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
}

impl ScanKind {
    /// The media type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ScanKind::Pdf => "application/pdf",
            ScanKind::Jpeg => "image/jpeg",
            ScanKind::Png => "image/png",
        }
    }

    /// The file name's ending.
    pub fn extension(self) -> &'static str {
        match self {
            ScanKind::Pdf => "pdf",
            ScanKind::Jpeg => "jpg",
            ScanKind::Png => "png",
        }
    }

    /// From a stored media type.
    pub fn from_content_type(t: &str) -> Option<Self> {
        [ScanKind::Pdf, ScanKind::Jpeg, ScanKind::Png].into_iter().find(|k| k.content_type() == t)
    }
}

/// An application as checked: the letter and the scan, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationInput {
    /// The letter, trimmed.
    pub text: String,
    /// The scan and its kind.
    pub scan: Option<(ScanKind, Vec<u8>)>,
}

/// What a scan is, judged by its first bytes; refused by field when too large or not a PDF,
/// JPEG or PNG.
pub fn check_scan(bytes: &[u8]) -> Result<ScanKind, FieldError> {
    if bytes.len() > SCAN_MAX {
        return Err(FieldError::new(
            "scan",
            Reason::Refused { zh: "扫描件不能超过 5 MB", en: "a scan must be at most 5 MB" },
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok(ScanKind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ScanKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ScanKind::Png)
    } else {
        Err(FieldError::new(
            "scan",
            Reason::Refused {
                zh: "扫描件只接受 PDF、JPEG 或 PNG 文件",
                en: "a scan must be a PDF, JPEG or PNG file",
            },
        ))
    }
}

/// Checks an application: the letter of [`TEXT_MIN`]…[`TEXT_MAX`] characters, and the scan
/// (empty: none sent). Every bad field is named.
pub fn parse(text: &str, scan: &[u8]) -> Result<ApplicationInput, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        e.push("text", Reason::Required);
    } else if chars < TEXT_MIN {
        e.push(
            "text",
            Reason::Refused {
                zh: "申请书至少 20 个字",
                en: "the letter must be at least 20 characters long",
            },
        );
    } else if chars > TEXT_MAX {
        e.push("text", Reason::TooLong { max: TEXT_MAX });
    }
    let scan = if scan.is_empty() { None } else { e.take(check_scan(scan)).map(|k| (k, scan.to_vec())) };
    e.into_result().map(|()| ApplicationInput { text: text.to_owned(), scan })
}

/// Whether a person may apply: a non-member (群众) without a dossier and with no application
/// waiting. Refused on the letter's field with why.
pub fn may_apply(status: Status, has_dossier: bool, waiting: bool) -> Result<(), FieldError> {
    let refuse = |zh, en| Err(FieldError::new("text", Reason::Refused { zh, en }));
    if has_dossier || status != Status::NonMember {
        return refuse(
            "你已在入党程序中或已是党员，无需再次申请；进程见“我的入党进程”",
            "you are already in the procedure or a member; see your progress",
        );
    }
    if waiting {
        return refuse(
            "你的入党申请书正在等待支部接收，请勿重复提交",
            "your application is waiting for the branch to accept it",
        );
    }
    Ok(())
}

/// A reason for declining: required, at most [`REASON_MAX`] characters.
pub fn decline_reason(raw: &str) -> Result<String, FieldError> {
    crate::text::required("reason", raw, REASON_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<ApplicationInput, ValidationErrors>) -> Vec<&'static str> {
        r.err().map(|e| e.0.iter().map(|f| f.field).collect()).unwrap_or_default()
    }

    #[test]
    fn a_letter_and_a_scan_are_checked_by_field() {
        let letter = "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务。";
        let ok = parse(letter, b"%PDF-1.7 ...").unwrap();
        assert_eq!(ok.scan.map(|s| s.0), Some(ScanKind::Pdf));
        assert_eq!(parse(&format!("  {letter}\n"), b"").unwrap().text, letter);
        assert_eq!(fields(parse("", b"")), vec!["text"]);
        assert_eq!(fields(parse("我要入党", b"")), vec!["text"]);
        assert_eq!(fields(parse(&"字".repeat(TEXT_MAX + 1), b"")), vec!["text"]);
        assert_eq!(fields(parse(letter, b"MZ\x90\x00 an executable")), vec!["scan"]);
        assert_eq!(fields(parse("短", b"GIF89a")), vec!["text", "scan"]);
        let mut big = b"%PDF-".to_vec();
        big.resize(SCAN_MAX + 1, 0);
        assert_eq!(fields(parse(letter, &big)), vec!["scan"]);
        assert_eq!(check_scan(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(ScanKind::Jpeg));
    }

    #[test]
    fn only_a_non_member_without_a_case_or_a_waiting_letter_applies() {
        assert!(may_apply(Status::NonMember, false, false).is_ok());
        assert!(may_apply(Status::NonMember, true, false).is_err());
        assert!(may_apply(Status::NonMember, false, true).is_err());
        assert!(may_apply(Status::FullMember, false, false).is_err());
        assert!(may_apply(Status::Applicant, false, false).is_err());
        assert_eq!(decline_reason("  "), Err(FieldError::new("reason", Reason::Required)));
        assert_eq!(decline_reason(" 材料不全 ").unwrap(), "材料不全");
    }
}

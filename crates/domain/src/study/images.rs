//! Course images stored by pioneer: an upload is accepted only as a PNG, JPEG, GIF or WebP
//! file (known by its first bytes, whatever its name says) of at most [`MAX_BYTES`], and a
//! course item refers to it by its address on this site (`/images/<id>`), so the content
//! security policy can keep allowing images from the site itself only.

use crate::{FieldError, Reason};

/// The largest image accepted.
pub const MAX_BYTES: usize = 2 << 20;

/// The kinds of image accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
}

impl ImageKind {
    /// The media type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// From a stored media type.
    pub fn from_content_type(t: &str) -> Option<Self> {
        [ImageKind::Png, ImageKind::Jpeg, ImageKind::Gif, ImageKind::Webp]
            .into_iter()
            .find(|k| k.content_type() == t)
    }
}

/// What an uploaded file is, judged by its first bytes; refused by field when empty, too
/// large or not one of the kinds accepted.
pub fn check(bytes: &[u8]) -> Result<ImageKind, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", Reason::Required));
    }
    if bytes.len() > MAX_BYTES {
        return Err(FieldError::new(
            "file",
            Reason::Refused { zh: "图片不能超过 2 MB", en: "an image must be at most 2 MB" },
        ));
    }
    let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageKind::Webp)
    } else {
        None
    };
    kind.ok_or(FieldError::new(
        "file",
        Reason::Refused {
            zh: "只接受 PNG、JPEG、GIF 或 WebP 图片",
            en: "only PNG, JPEG, GIF or WebP images are accepted",
        },
    ))
}

/// The address of a stored image.
pub fn address(id: uuid::Uuid) -> String {
    format!("/images/{id}")
}

/// Whether an address names a stored image (`/images/<uuid>`).
pub fn is_stored(address: &str) -> bool {
    address.strip_prefix("/images/").is_some_and(|id| uuid::Uuid::try_parse(id).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_known_by_its_first_bytes() {
        assert_eq!(check(b"\x89PNG\r\n\x1a\n....").unwrap(), ImageKind::Png);
        assert_eq!(check(&[0xFF, 0xD8, 0xFF, 0xE0, 0]).unwrap(), ImageKind::Jpeg);
        assert_eq!(check(b"GIF89a..").unwrap(), ImageKind::Gif);
        assert_eq!(check(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), ImageKind::Webp);
        for bad in [&b"<svg onload=alert(1)>"[..], b"%PDF-1.7", b""] {
            assert_eq!(check(bad).unwrap_err().field, "file");
        }
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_BYTES + 1, 0);
        assert!(check(&big).is_err());
        let id = uuid::Uuid::from_u128(0x0190_a0b0_0000_7000_8000_0000_0000_0001);
        assert!(
            is_stored(&address(id)) && !is_stored("https://example.org/a.jpg") && !is_stored("/images/x")
        );
    }
}

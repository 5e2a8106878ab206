//! Study content (党史随手学): courses in series and columns, each made of short items — a
//! paragraph of text with an optional image, or a link — published to an organisation
//! subtree. `CourseInput` is a course as an organiser types it: items separated by a line
//! `---`; in an item a line `图片: /images/…` (or `image:`, an image uploaded to pioneer) adds
//! its image and `链接: URL` (or
//! `link: URL`) makes it a link.

use serde::{Deserialize, Serialize};

/// One item of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The text (short: read in a minute).
    pub text: String,
    /// An image's address.
    pub image: Option<String>,
    /// A link's address.
    pub link: Option<String>,
}

/// A course's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFields {
    /// Series (系列), e.g. 党史随手学.
    pub series: String,
    /// Column (专栏), e.g. 百年党史.
    pub column: String,
    /// Title.
    pub title: String,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// A course as typed in the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CourseInput {
    /// Series.
    #[serde(default)]
    pub series: String,
    /// Column.
    #[serde(default)]
    pub column: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// The items, separated by `---` lines.
    #[serde(default)]
    pub items: String,
}

/// Most items in a course.
pub const MAX_ITEMS: usize = 30;

fn address(raw: &str) -> Option<String> {
    let v = raw.trim();
    let ok = (v.starts_with("https://") || v.starts_with("http://") || v.starts_with('/'))
        && v.len() <= 500
        && !v.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    ok.then(|| v.to_owned())
}

fn item(block: &str) -> Result<Item, crate::Reason> {
    let mut text = Vec::new();
    let (mut image, mut link) = (None, None);
    for line in block.lines() {
        let l = line.trim();
        let tagged = |tags: &[&str]| {
            tags.iter().find_map(|t| l.strip_prefix(t)).map(|rest| rest.trim_start_matches([':', '：']))
        };
        if let Some(v) = tagged(&["图片", "image"]) {
            // Only an image stored by pioneer: the content security policy allows no other.
            image =
                Some(address(v).filter(|a| super::images::is_stored(a)).ok_or(crate::Reason::Refused {
                    zh: "图片须先在课程管理页上传，再填写本站的图片地址（/images/…）",
                    en: "upload the image on the course page first, then give its address here (/images/…)",
                })?);
        } else if let Some(v) = tagged(&["链接", "link"]) {
            link = Some(address(v).ok_or(crate::Reason::Refused {
                zh: "链接地址应以 https:// 开头",
                en: "a link address starts with https://",
            })?);
        } else if !l.is_empty() {
            text.push(l);
        }
    }
    let text = text.join("\n");
    if text.is_empty() && link.is_none() {
        return Err(crate::Reason::Refused {
            zh: "每一条学习内容要有文字或链接",
            en: "each item needs text or a link",
        });
    }
    if text.chars().count() > 1000 {
        return Err(crate::Reason::TooLong { max: 1000 });
    }
    Ok(Item { text, image, link })
}

impl CourseFields {
    /// Checks the input; every refusal is reported.
    pub fn parse(i: &CourseInput) -> Result<CourseFields, crate::ValidationErrors> {
        use crate::text;
        let mut e = crate::ValidationErrors::default();
        let series = e.take(text::required("series", &i.series, 50));
        let column = e.take(text::required("column", &i.column, 50));
        let title = e.take(text::required("title", &i.title, 100));
        let mut items = Vec::new();
        for block in i.items.split("\n---").map(|b| b.trim_start_matches('-')) {
            if block.trim().is_empty() {
                continue;
            }
            match item(block) {
                Ok(it) => items.push(it),
                Err(r) => {
                    e.push("items", r);
                    break;
                }
            }
        }
        if items.is_empty() || items.len() > MAX_ITEMS {
            e.push(
                "items",
                crate::Reason::Refused {
                    zh: "课程应有 1 到 30 条内容", en: "a course has 1 to 30 items"
                },
            );
        }
        e.into_result()?;
        match (series, column, title) {
            (Some(series), Some(column), Some(title)) => Ok(CourseFields { series, column, title, items }),
            _ => Err(crate::ValidationErrors::default()),
        }
    }
}

/// A publication's reach in one sub-organisation (or for one member: 0 or 1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// Members it was delivered to (members in the subtree).
    pub delivered: u64,
    /// Of them, those who opened it.
    pub opened: u64,
    /// Of them, those who completed it.
    pub completed: u64,
    /// Reflections (心得体会) on it approved by their secretaries.
    pub reflections: u64,
}

impl Reach {
    /// Completed as a whole percentage of delivered, rounded like every other percentage
    /// ([`crate::stats::pct`]).
    pub fn completed_pct(&self) -> u64 {
        crate::stats::pct(self.completed, self.delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(items: &str) -> CourseInput {
        CourseInput {
            series: "党史随手学".into(),
            column: "百年党史".into(),
            title: "遵义会议".into(),
            items: items.into(),
        }
    }

    #[test]
    fn items_are_split_with_their_images_and_links() {
        let c = CourseFields::parse(&input(
            "1935年1月，遵义会议召开。\n图片: /images/0190a0b0-0000-7000-8000-000000000001\n---\n链接：https://example.org/zunyi\n延伸阅读\n---\n\n",
        ))
        .unwrap();
        assert_eq!(c.items.len(), 2);
        assert_eq!(c.items[0].image.as_deref(), Some("/images/0190a0b0-0000-7000-8000-000000000001"));
        assert_eq!(
            (c.items[1].text.as_str(), c.items[1].link.as_deref()),
            ("延伸阅读", Some("https://example.org/zunyi"))
        );
    }

    #[test]
    fn a_bad_address_or_an_empty_course_is_refused() {
        let e = CourseFields::parse(&input("文字\n图片: javascript:alert(1)")).unwrap_err();
        assert_eq!(e.0[0].field, "items");
        let e =
            CourseFields::parse(&CourseInput { items: " \n---\n".into(), ..Default::default() }).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["series", "column", "title", "items"]);
    }

    #[test]
    fn reach_percentages_never_divide_by_zero() {
        assert_eq!(Reach::default().completed_pct(), 0);
        assert_eq!(Reach { delivered: 8, opened: 5, completed: 2, reflections: 0 }.completed_pct(), 25);
        assert_eq!(
            Reach { delivered: 8, opened: 5, completed: 1, reflections: 0 }.completed_pct(),
            13,
            "12.5 rounds up"
        );
    }
}

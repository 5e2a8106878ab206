//! What pages and the API receive: organisation and person fields (one type each for the
//! HTML form and the JSON body: checkboxes arrive as "on" or not at all, JSON flags as
//! booleans), the people-list query shared by the page and the API, and errors by field.

use crate::i18n::Tr;
use pioneer_domain::orgs::OrgInput;
use pioneer_domain::people::age::AgeBand;
use pioneer_domain::people::{Education, Gender, PersonInput, Status, WorkerCategory};
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::people::{PeopleFilter, PeopleSort};
use serde::Deserialize;
use uuid::Uuid;

/// A flag as a browser sends it (`on`, or nothing when unticked) or as JSON sends it
/// (`true`/`false`): anything else is refused as a malformed body.
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;
    impl serde::de::Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("true, false or \"on\"")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            match v {
                "on" | "true" | "1" | "yes" => Ok(true),
                "" | "off" | "false" | "0" | "no" => Ok(false),
                other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
            }
        }
    }
    d.deserialize_any(Flag)
}

/// A new or edited organisation, from the form or as JSON.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrgForm {
    /// Name (1–100 characters).
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    /// Kind code.
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    /// Parent id (create only; empty or null for a working committee).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// May approve probationary members (only a permanent committee; DEV-034).
    #[serde(default, deserialize_with = "flag")]
    pub approval_authority: bool,
    /// Temporary organisation.
    #[serde(default, deserialize_with = "flag")]
    pub temporary: bool,
    /// Enterprise.
    #[serde(default)]
    pub enterprise: String,
    /// Station.
    #[serde(default)]
    pub station: String,
    /// Address.
    #[serde(default)]
    pub address: String,
}

impl OrgForm {
    /// The domain input.
    pub fn input(&self) -> OrgInput {
        OrgInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            approval_authority: self.approval_authority,
            temporary: self.temporary,
            enterprise: self.enterprise.clone(),
            station: self.station.clone(),
            address: self.address.clone(),
        }
    }

    /// The parent id as typed (empty when none).
    pub fn parent(&self) -> &str {
        self.parent_id.as_deref().unwrap_or("").trim()
    }
}

/// A new or edited person, from the form or as JSON. On edit, an empty `id_card` or
/// `phone` keeps the stored number.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[expect(missing_docs, reason = "each field is the PersonInput field of the same name")]
pub struct PersonForm {
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    /// Empty: taken from the ID number.
    #[serde(default)]
    pub gender: String,
    /// Empty: taken from the ID number.
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    #[schema(required = true)]
    pub ethnicity: String,
    #[serde(default)]
    #[schema(required = true)]
    pub education: String,
    #[serde(default)]
    #[schema(required = true)]
    pub worker_category: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub station: String,
    /// 11-digit mainland mobile number.
    #[serde(default)]
    pub phone: String,
    /// 18-character ID number (GB 11643).
    #[serde(default)]
    pub id_card: String,
    #[serde(default)]
    #[schema(required = true)]
    pub status: String,
    #[serde(default)]
    #[schema(required = true)]
    pub org_id: String,
    #[serde(default, deserialize_with = "flag")]
    pub is_mobile: bool,
    #[serde(default)]
    pub home_organization: String,
    #[serde(default, deserialize_with = "flag")]
    pub is_backbone: bool,
    #[serde(default, deserialize_with = "flag")]
    pub is_key_position: bool,
    #[serde(default)]
    pub applied_on: String,
    #[serde(default)]
    pub activist_on: String,
    #[serde(default)]
    pub target_on: String,
    #[serde(default)]
    pub admitted_on: String,
    #[serde(default)]
    pub full_member_on: String,
}

impl PersonForm {
    /// The domain input.
    pub fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            gender: self.gender.clone(),
            birth_date: self.birth_date.clone(),
            ethnicity: self.ethnicity.clone(),
            education: self.education.clone(),
            worker_category: self.worker_category.clone(),
            employer: self.employer.clone(),
            station: self.station.clone(),
            phone: self.phone.clone(),
            id_card: self.id_card.clone(),
            status: self.status.clone(),
            org_id: self.org_id.clone(),
            is_mobile: self.is_mobile,
            home_organization: self.home_organization.clone(),
            is_backbone: self.is_backbone,
            is_key_position: self.is_key_position,
            applied_on: self.applied_on.clone(),
            activist_on: self.activist_on.clone(),
            target_on: self.target_on.clone(),
            admitted_on: self.admitted_on.clone(),
            full_member_on: self.full_member_on.clone(),
        }
    }

    /// The value of a text field by name (for templates that loop over fields).
    pub fn value(&self, field: &str) -> &str {
        match field {
            "applied_on" => &self.applied_on,
            "activist_on" => &self.activist_on,
            "target_on" => &self.target_on,
            "admitted_on" => &self.admitted_on,
            "full_member_on" => &self.full_member_on,
            _ => "",
        }
    }
}

static EMPTY: String = String::new();

/// The people-list query of the page and the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// The start of a name, a phone number or an ID number.
    #[serde(default)]
    pub q: String,
    /// Only people in this organisation and below.
    #[serde(default)]
    pub org: String,
    /// Status code.
    #[serde(default)]
    pub status: String,
    /// Worker category code.
    #[serde(default)]
    pub worker_category: String,
    /// Education code.
    #[serde(default)]
    pub education: String,
    /// `yes` = 大专及以上 only, `no` = below.
    #[serde(default)]
    pub college: String,
    /// Age band code (30_and_under, 31_35, …, 61_and_over).
    #[serde(default)]
    pub age_band: String,
    /// `yes` = mobile members only, `no` = others.
    #[serde(default)]
    pub mobile: String,
    /// Gender code.
    #[serde(default)]
    pub gender: String,
    /// The order: newest (default), name or age.
    #[serde(default)]
    pub sort: String,
    /// asc (default) or desc.
    #[serde(default)]
    pub dir: String,
    /// Page, from 1.
    #[serde(default)]
    pub page: String,
}

fn opt<T>(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let v = parse(t);
    if v.is_none() {
        e.push(field, Reason::UnknownChoice);
    }
    v
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

impl PeopleQuery {
    /// The store filter and page, or the refused parameters.
    pub fn filter(&self) -> Result<(PeopleFilter, u32), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.q.chars().count() > 50 {
            e.push("q", Reason::TooLong { max: 50 });
        } else if self.q.chars().any(char::is_control) {
            e.push("q", Reason::UnknownChoice);
        }
        let f = PeopleFilter {
            org: opt(&mut e, "org", &self.org, |s| Uuid::try_parse(s).ok()),
            q: Some(self.q.trim().to_owned()).filter(|s| !s.is_empty()),
            status: opt(&mut e, "status", &self.status, Status::from_code),
            worker_category: opt(&mut e, "worker_category", &self.worker_category, WorkerCategory::from_code),
            education: opt(&mut e, "education", &self.education, Education::from_code),
            college: opt(&mut e, "college", &self.college, yes_no),
            age_band: opt(&mut e, "age_band", &self.age_band, AgeBand::from_code),
            is_mobile: opt(&mut e, "mobile", &self.mobile, yes_no),
            gender: opt(&mut e, "gender", &self.gender, Gender::from_code),
            sort: opt(&mut e, "sort", &self.sort, |s| match s {
                "newest" => Some(PeopleSort::Newest),
                "name" => Some(PeopleSort::Name),
                "age" => Some(PeopleSort::Age),
                _ => None,
            })
            .unwrap_or_default(),
            descending: opt(&mut e, "dir", &self.dir, |s| match s {
                "asc" => Some(false),
                "desc" => Some(true),
                _ => None,
            })
            .unwrap_or_default(),
        };
        let page =
            opt(&mut e, "page", &self.page, |s| s.parse::<u32>().ok().filter(|p| (1..=100_000).contains(p)))
                .unwrap_or(1);
        e.into_result().map(|()| (f, page))
    }

    /// The query string of this search on another page.
    pub fn with_page(&self, page: u32) -> String {
        let mut parts = self.parts(true);
        parts.push(format!("page={page}"));
        parts.join("&")
    }

    /// The query string that orders this search by `sort` (from its first page): ascending,
    /// or descending when it is the order shown ascending now; with the order shown now
    /// (`ascending`, `descending` or empty).
    pub fn sorted_by(&self, sort: &str) -> (String, &'static str) {
        let now = if self.sort.is_empty() { "newest" } else { self.sort.as_str() };
        let shown = match (now == sort, self.dir == "desc") {
            (false, _) => "",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        let mut parts = self.parts(false);
        parts.push(format!("sort={sort}"));
        parts.push(format!("dir={}", if shown == "ascending" { "desc" } else { "asc" }));
        (parts.join("&"), shown)
    }

    /// The search's parts as `key=value`, with the order or without.
    fn parts(&self, order: bool) -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        let sort = if order {
            [("sort", &self.sort), ("dir", &self.dir)]
        } else {
            [("sort", &EMPTY), ("dir", &EMPTY)]
        };
        for (k, v) in [
            ("q", &self.q),
            ("org", &self.org),
            ("status", &self.status),
            ("worker_category", &self.worker_category),
            ("education", &self.education),
            ("college", &self.college),
            ("age_band", &self.age_band),
            ("mobile", &self.mobile),
            ("gender", &self.gender),
            sort[0],
            sort[1],
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        parts
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Refusals by field, already in the user's language, for showing beside each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<(&'static str, String)>);

impl FormErrors {
    /// Translates refusals.
    pub fn new(errors: &ValidationErrors, t: &Tr) -> Self {
        Self(errors.0.iter().map(|e: &FieldError| (e.field, t.reason(e))).collect())
    }

    /// The message for a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    /// Whether anything was refused.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// Whether `path` is a safe place to send a browser back to: a local path (`/x`), not
/// `//host`, no backslash, and no control or space characters (browsers drop tabs and
/// newlines from URLs, which would turn `/\t/evil` into `//evil`).
pub fn is_local_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
        && !path.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

//! The roster (花名册) as a table: one person a row in a documented set of columns, written by
//! the export and read by the import. A column is named by its Chinese name, its code or
//! both (`姓名 name`); choices are written in Chinese or as codes; dates as spreadsheets write
//! them. Reading checks every row with the same rules as the person form and reports each
//! problem by line, column and reason, one problem a cell (an impossible date such as
//! `2023-02-30` is reported once, as a day that does not exist).
//!
//! The organisation column ([`OrgNames`]) accepts an unambiguous name (one that exactly one
//! organisation the reader may name has), a qualified name (the names along the path from any
//! ancestor down, separated by ` / `: `中共腾讯公司委员会 / 机关党支部`), or the
//! organisation's id. The export writes the shortest of these that no other organisation of
//! the deployment (tenant) shares, so an exported roster reads back as it was; a bare name
//! two organisations share is refused, naming each candidate's qualified name.

use crate::development::dossier_import::{Problem, read_date};
use crate::error::Reason;
use crate::people::{Education, Gender, PersonFields, PersonInput, Status, WorkerCategory};
use jiff::civil::Date;
use std::borrow::Cow;
use std::collections::HashMap;
use uuid::Uuid;

/// The columns: code, Chinese name, required.
pub const COLUMNS: [(&str, &str, bool); 21] = [
    ("name", "姓名", true),
    ("id_card", "身份证号", true),
    ("gender", "性别", false),
    ("birth_date", "出生日期", false),
    ("ethnicity", "民族", true),
    ("education", "学历", true),
    ("worker_category", "就业类别", true),
    ("phone", "手机号", false),
    ("org", "所在党组织", true),
    ("status", "政治面貌", true),
    ("applied_on", "递交入党申请日期", false),
    ("activist_on", "确定为积极分子日期", false),
    ("target_on", "确定为发展对象日期", false),
    ("admitted_on", "接收为预备党员日期", false),
    ("full_member_on", "转为正式党员日期", false),
    ("is_mobile", "流动党员", false),
    ("home_organization", "组织关系所在党组织", false),
    ("employer", "工作单位", false),
    ("station", "站点", false),
    ("is_backbone", "业务骨干", false),
    ("is_key_position", "关键岗位", false),
];

/// The organisation of the template's example row: a branch of the demo deployment, so the
/// example imports into the demo as it stands; elsewhere it is the one problem the row has
/// (an unknown organisation) until the reader writes their own.
pub const EXAMPLE_ORG: &str = "美团骑手流动党支部（南山科技园站）";

/// The template's example row, in the order of [`COLUMNS`]: a valid ID number (the same
/// person as the dossier template's examples), and every required column filled.
pub fn example_row() -> Vec<String> {
    let id = crate::development::dossier_import::example_id_card();
    COLUMNS
        .iter()
        .map(|(code, _, _)| match *code {
            "name" => "王小骑",
            "id_card" => id.as_str(),
            "ethnicity" => "汉族",
            "education" => "大专",
            "worker_category" => "外卖骑手",
            "org" => EXAMPLE_ORG,
            "status" => "入党申请人",
            "applied_on" => "2025-03-01",
            "is_mobile" | "is_backbone" | "is_key_position" => "否",
            _ => "",
        })
        .map(str::to_owned)
        .collect()
}

/// The header the export writes and the template shows: `中文名 code`.
pub fn header() -> Vec<String> {
    COLUMNS.iter().map(|(code, zh, _)| format!("{zh} {code}")).collect()
}

fn flag(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "是" } else { "否" })
}

fn day(d: Option<Date>) -> Cow<'static, str> {
    d.map_or(Cow::Borrowed(""), |d| Cow::Owned(d.to_string()))
}

fn text(t: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(t.as_deref().unwrap_or_default())
}

/// A person as a row, in the order of [`COLUMNS`].
pub fn row(p: &PersonFields, org_name: &str) -> Vec<String> {
    cells(p, Cow::Borrowed(org_name)).into_iter().map(Cow::into_owned).collect()
}

/// A person's cells, in the order of [`COLUMNS`], borrowed where they can be (an export of
/// a million people writes them without copying each one).
pub fn cells<'a>(p: &'a PersonFields, org_name: Cow<'a, str>) -> [Cow<'a, str>; 21] {
    [
        Cow::Borrowed(&p.name),
        Cow::Borrowed(p.id_card.as_str()),
        Cow::Borrowed(p.gender.zh()),
        Cow::Owned(p.birth_date.to_string()),
        Cow::Borrowed(&p.ethnicity),
        Cow::Borrowed(p.education.zh()),
        Cow::Borrowed(p.worker_category.zh()),
        Cow::Borrowed(p.phone.as_ref().map_or("", |x| x.as_str())),
        org_name,
        Cow::Borrowed(p.status.zh()),
        day(p.dates.applied_on),
        day(p.dates.activist_on),
        day(p.dates.target_on),
        day(p.dates.admitted_on),
        day(p.dates.full_member_on),
        flag(p.is_mobile),
        text(&p.home_organization),
        text(&p.employer),
        text(&p.station),
        flag(p.is_backbone),
        flag(p.is_key_position),
    ]
}

/// The organisations a roster may name, by name, qualified name or id: see the module doc.
/// Build it from every organisation of a deployment ([`OrgNames::new`]); the labels the
/// export writes ([`OrgNames::label`]) are unique among all of them, and the reader resolves
/// only among those still open (unless [`OrgNames::closed_too`]) and kept by [`OrgNames::only`].
#[derive(Debug, Clone, Default)]
pub struct OrgNames {
    /// Each organisation: its id, the names along its path from the top down, whether it is
    /// open, and whether [`OrgNames::only`] kept it.
    orgs: Vec<(Uuid, Vec<String>, bool, bool)>,
    /// Each organisation's label, the shortest unambiguous form.
    labels: HashMap<Uuid, String>,
    /// Whether a closed organisation may be named too (a dossier's history).
    closed_too: bool,
}

/// What separates the names of a qualified name.
const PATH_SEP: &str = " / ";

impl OrgNames {
    /// From every organisation of a deployment: `(id, parent, name, open)`. A closed
    /// organisation keeps its label but may not be named.
    pub fn new(rows: impl IntoIterator<Item = (Uuid, Option<Uuid>, String, bool)>) -> Self {
        let rows: Vec<(Uuid, Option<Uuid>, String, bool)> = rows.into_iter().collect();
        let by_id: HashMap<Uuid, (Option<Uuid>, &str)> =
            rows.iter().map(|(id, parent, name, _)| (*id, (*parent, name.as_str()))).collect();
        let orgs: Vec<(Uuid, Vec<String>, bool, bool)> = rows
            .iter()
            .map(|(id, _, _, open)| {
                let mut path = Vec::new();
                let mut at = Some(*id);
                // A tree has no cycle; the bound keeps a corrupt one from looping.
                while let Some(here) = at
                    && path.len() <= rows.len()
                {
                    let Some((parent, name)) = by_id.get(&here) else { break };
                    path.push((*name).to_owned());
                    at = *parent;
                }
                path.reverse();
                (*id, path, *open, true)
            })
            .collect();
        let mut labels = HashMap::new();
        let deepest = orgs.iter().map(|(_, p, _, _)| p.len()).max().unwrap_or(0);
        let mut left: Vec<&(Uuid, Vec<String>, bool, bool)> = orgs.iter().collect();
        for k in 1..=deepest {
            let mut count: HashMap<&[String], usize> = HashMap::new();
            for (_, path, _, _) in &orgs {
                *count.entry(&path[path.len().saturating_sub(k)..]).or_default() += 1;
            }
            left.retain(|(id, path, _, _)| {
                let tail = &path[path.len().saturating_sub(k)..];
                if count.get(tail) == Some(&1) {
                    labels.insert(*id, tail.join(PATH_SEP));
                    false
                } else {
                    true
                }
            });
        }
        // Two siblings of one name: only the id tells them apart.
        for (id, _, _, _) in left {
            labels.insert(*id, id.to_string());
        }
        Self { orgs, labels, closed_too: false }
    }

    /// Keeps only the organisations `keep` accepts as nameable (the ones an account may
    /// write to); the others read as unknown.
    pub fn only(&mut self, keep: impl Fn(Uuid) -> bool) {
        for (id, _, _, kept) in &mut self.orgs {
            *kept = *kept && keep(*id);
        }
    }

    /// Lets a closed organisation be named too (a dossier's past events may name one).
    pub fn closed_too(mut self) -> Self {
        self.closed_too = true;
        self
    }

    /// Whether a row may name this organisation.
    fn nameable(&self, open: bool, kept: bool) -> bool {
        (open || self.closed_too) && kept
    }

    /// The shortest form no other organisation of the deployment shares: the bare name,
    /// else the qualified name from the nearest ancestor that tells it apart, else the id.
    pub fn label(&self, id: Uuid) -> String {
        self.label_of(id).into_owned()
    }

    /// [`OrgNames::label`], borrowed when it can be.
    pub fn label_of(&self, id: Uuid) -> Cow<'_, str> {
        self.labels.get(&id).map_or_else(|| Cow::Owned(id.to_string()), |l| Cow::Borrowed(l.as_str()))
    }

    /// The organisation a cell names, or why none.
    pub fn resolve(&self, text: &str) -> Result<Uuid, Reason> {
        let t = text.trim();
        if let Ok(id) = Uuid::parse_str(t)
            && self.orgs.iter().any(|(o, _, open, kept)| *o == id && self.nameable(*open, *kept))
        {
            return Ok(id);
        }
        let parts: Vec<&str> = t.split('/').map(str::trim).collect();
        let ends_with = |path: &[String], parts: &[&str]| {
            path.len() >= parts.len()
                && path[path.len() - parts.len()..].iter().zip(parts).all(|(a, b)| a == b)
        };
        let named = |want: &[&str]| -> Vec<Uuid> {
            self.orgs
                .iter()
                .filter(|(_, path, open, kept)| self.nameable(*open, *kept) && ends_with(path, want))
                .map(|(id, _, _, _)| *id)
                .collect()
        };
        let mut found = named(&parts);
        if found.is_empty() && parts.len() > 1 {
            // A name that holds a slash itself.
            found = named(&[t]);
        }
        match found[..] {
            [] => Err(Reason::UnknownOrganization),
            [id] => Ok(id),
            _ => {
                let mut candidates: Vec<String> = found.iter().map(|id| self.label(*id)).collect();
                candidates.sort();
                Err(Reason::AmbiguousOrganization { name: t.to_owned(), candidates })
            }
        }
    }
}

/// Which column of [`COLUMNS`] a header cell names.
fn column_of(cell: &str) -> Option<usize> {
    let t = cell.trim();
    COLUMNS.iter().position(|(code, zh, _)| {
        t == *code || t == *zh || t == format!("{zh} {code}") || t.split_whitespace().any(|w| w == *code)
    })
}

/// A choice written in Chinese or as its code, as the code.
fn choice<'a>(text: &'a str, all: &[(&'static str, &'static str)]) -> &'a str {
    let t = text.trim();
    all.iter().find(|(code, zh)| t == *code || t == *zh).map_or(t, |(code, _)| code)
}

fn boolean(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "否" | "no" | "false" | "0" | "N" | "n" => Some(false),
        "是" | "yes" | "true" | "1" | "Y" | "y" => Some(true),
        _ => None,
    }
}

/// Reads a table: the people that pass every check with the line they came from, and
/// every problem. `orgs` names the organisations rows may name; `today` bounds dates.
pub fn read(
    header: &[String],
    rows: &[Vec<String>],
    orgs: &OrgNames,
    today: Date,
) -> (Vec<(usize, PersonFields)>, Vec<Problem>) {
    match Reader::new(header, orgs, today) {
        Ok(mut r) => r.rows(rows),
        Err(problems) => (Vec::new(), problems),
    }
}

/// A roster read in pieces (a large file): the header once, then rows in order; an ID
/// number seen in an earlier piece still counts as a duplicate.
pub struct Reader<'a> {
    at: Vec<Option<usize>>,
    orgs: &'a OrgNames,
    today: Date,
    /// The ID numbers read so far, each as the number its first 17 digits make (the
    /// 18th is their check digit), so a million of them fit in ~20 MB.
    seen: std::collections::HashSet<u64>,
    line: usize,
}

impl<'a> Reader<'a> {
    /// Checks the header: every required column must be there.
    pub fn new(header: &[String], orgs: &'a OrgNames, today: Date) -> Result<Self, Vec<Problem>> {
        let at: Vec<Option<usize>> = header.iter().map(|h| column_of(h)).collect();
        let missing: Vec<Problem> = COLUMNS
            .iter()
            .enumerate()
            .filter(|(i, (_, _, required))| *required && !at.contains(&Some(*i)))
            .map(|(_, (code, zh, _))| Problem {
                line: 1,
                column: format!("{zh} {code}"),
                reason: Reason::Required,
            })
            .collect();
        if missing.is_empty() {
            Ok(Self { at, orgs, today, seen: std::collections::HashSet::new(), line: 1 })
        } else {
            Err(missing)
        }
    }

    /// The next rows: the people that pass every check, with their lines, and the problems.
    pub fn rows(&mut self, rows: &[Vec<String>]) -> (Vec<(usize, PersonFields)>, Vec<Problem>) {
        let (at, orgs, today) = (&self.at, self.orgs, self.today);
        let mut problems = Vec::new();
        let genders: Vec<(&str, &str)> = Gender::ALL.iter().map(|g| (g.code(), g.zh())).collect();
        let educations: Vec<(&str, &str)> = Education::ALL.iter().map(|g| (g.code(), g.zh())).collect();
        let categories: Vec<(&str, &str)> = WorkerCategory::ALL.iter().map(|g| (g.code(), g.zh())).collect();
        let statuses: Vec<(&str, &str)> = Status::ALL.iter().map(|g| (g.code(), g.zh())).collect();
        let mut people = Vec::new();
        let seen = &mut self.seen;
        for cells in rows {
            self.line += 1;
            let line = self.line;
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let get = |code: &str| -> String {
                let i = COLUMNS.iter().position(|(c, _, _)| *c == code).unwrap_or(0);
                at.iter()
                    .position(|a| *a == Some(i))
                    .and_then(|j| cells.get(j))
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default()
            };
            let mut row_problems = Vec::new();
            let date = |code: &str, raw: String, out: &mut Vec<Problem>| -> String {
                if raw.is_empty() {
                    return raw;
                }
                match read_date(&raw) {
                    Ok(d) => d.to_string(),
                    Err(reason) => {
                        out.push(Problem { line, column: label(code), reason });
                        // Reported here; the person's own check sees no date (one problem a cell).
                        String::new()
                    }
                }
            };
            let org_name = get("org");
            let org_id = match orgs.resolve(&org_name) {
                Ok(id) => id.to_string(),
                // An empty cell is the person's check's to report (required).
                Err(_) if org_name.is_empty() => String::new(),
                Err(reason) => {
                    row_problems.push(Problem { line, column: label("org"), reason });
                    String::new()
                }
            };
            let flag_of = |code: &str, out: &mut Vec<Problem>| -> bool {
                boolean(&get(code)).unwrap_or_else(|| {
                    out.push(Problem { line, column: label(code), reason: Reason::UnknownChoice });
                    false
                })
            };
            let is_mobile = flag_of("is_mobile", &mut row_problems);
            let is_backbone = flag_of("is_backbone", &mut row_problems);
            let is_key_position = flag_of("is_key_position", &mut row_problems);
            let input = PersonInput {
                name: get("name"),
                gender: choice(&get("gender"), &genders).to_owned(),
                birth_date: date("birth_date", get("birth_date"), &mut row_problems),
                ethnicity: get("ethnicity"),
                education: choice(&get("education"), &educations).to_owned(),
                worker_category: choice(&get("worker_category"), &categories).to_owned(),
                employer: get("employer"),
                station: get("station"),
                phone: get("phone"),
                id_card: get("id_card").to_uppercase(),
                status: choice(&get("status"), &statuses).to_owned(),
                org_id,
                is_mobile,
                home_organization: get("home_organization"),
                is_backbone,
                is_key_position,
                applied_on: date("applied_on", get("applied_on"), &mut row_problems),
                activist_on: date("activist_on", get("activist_on"), &mut row_problems),
                target_on: date("target_on", get("target_on"), &mut row_problems),
                admitted_on: date("admitted_on", get("admitted_on"), &mut row_problems),
                full_member_on: date("full_member_on", get("full_member_on"), &mut row_problems),
            };
            match PersonFields::parse(&input, today) {
                Ok(p) if row_problems.is_empty() => {
                    if !seen.insert(id_key(&p.id_card)) {
                        problems.push(Problem {
                            line,
                            column: label("id_card"),
                            reason: Reason::Refused {
                                zh: "同一身份证号在文件中出现了两次，请合并为一行",
                                en: "the same ID number appears twice in the file; merge the rows",
                            },
                        });
                    } else {
                        people.push((line, p));
                    }
                }
                Ok(_) => problems.extend(row_problems),
                Err(e) => {
                    for f in e.0 {
                        let column = label(if f.field == "org_id" { "org" } else { f.field });
                        // A cell the reading reported already (a date, the organisation) is
                        // reported once.
                        if !row_problems.iter().any(|p| p.column == column) {
                            row_problems.push(Problem { line, column, reason: f.reason });
                        }
                    }
                    problems.extend(row_problems);
                }
            }
        }
        (people, problems)
    }
}

/// An ID number as a key: its first 17 digits as a number (the 18th, the check digit,
/// follows from them), so two valid numbers have the same key only when they are equal.
fn id_key(id: &crate::people::id_card::IdCardNumber) -> u64 {
    id.as_str().bytes().take(17).fold(0u64, |n, b| n * 10 + u64::from(b.wrapping_sub(b'0')))
}

/// The header name of a column (or the field's name when it is not a column).
fn label(code: &str) -> String {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(c, zh, _)| format!("{zh} {c}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::id_card::IdCardNumber;
    use jiff::civil::date;

    fn orgs() -> OrgNames {
        OrgNames::new([(Uuid::from_u128(9), None, "骑手支部".to_owned(), true)])
    }

    /// Two committees under one top, each with a 机关党支部, and a closed 旧支部.
    fn tree() -> OrgNames {
        let u = Uuid::from_u128;
        OrgNames::new([
            (u(1), None, "中共某市委".to_owned(), true),
            (u(2), Some(u(1)), "中共腾讯公司委员会".to_owned(), true),
            (u(3), Some(u(1)), "中共美团公司委员会".to_owned(), true),
            (u(4), Some(u(2)), "机关党支部".to_owned(), true),
            (u(5), Some(u(3)), "机关党支部".to_owned(), true),
            (u(6), Some(u(2)), "骑手支部".to_owned(), true),
            (u(7), Some(u(2)), "旧支部".to_owned(), false),
        ])
    }

    #[test]
    fn organisations_are_named_by_unique_name_qualified_name_or_id() {
        let t = tree();
        let u = Uuid::from_u128;
        assert_eq!(t.resolve("骑手支部"), Ok(u(6)));
        assert_eq!(t.resolve("中共腾讯公司委员会 / 机关党支部"), Ok(u(4)));
        assert_eq!(t.resolve("中共某市委 / 中共美团公司委员会 / 机关党支部"), Ok(u(5)));
        assert_eq!(t.resolve("中共美团公司委员会/机关党支部"), Ok(u(5)));
        assert_eq!(t.resolve(&u(5).to_string()), Ok(u(5)));
        assert_eq!(t.resolve("中共美团公司委员会 / 骑手支部"), Err(Reason::UnknownOrganization));
        assert_eq!(t.resolve("旧支部"), Err(Reason::UnknownOrganization), "closed");
        assert_eq!(tree().closed_too().resolve("旧支部"), Ok(u(7)), "a dossier's past may name it");
        let refused = t.resolve("机关党支部").unwrap_err();
        assert_eq!(
            refused,
            Reason::AmbiguousOrganization {
                name: "机关党支部".into(),
                candidates: vec![
                    "中共美团公司委员会 / 机关党支部".into(),
                    "中共腾讯公司委员会 / 机关党支部".into()
                ],
            }
        );
        assert_eq!(
            refused.zh(),
            "有 2 个党组织名为「机关党支部」：中共美团公司委员会 / 机关党支部、中共腾讯公司委员会 / 机关党支部；请写上级名称"
        );
        // The labels the export writes are the shortest forms, and each reads back as itself.
        assert_eq!(t.label(u(6)), "骑手支部");
        assert_eq!(t.label(u(4)), "中共腾讯公司委员会 / 机关党支部");
        for n in 1..=6 {
            assert_eq!(t.resolve(&t.label(u(n))), Ok(u(n)), "{n}");
        }
        // Out of the account's reach, a name reads as unknown, and the other one is unique.
        let mut mine = tree();
        mine.only(|id| id != u(5));
        assert_eq!(mine.resolve("机关党支部"), Ok(u(4)));
        assert_eq!(mine.resolve(&u(5).to_string()), Err(Reason::UnknownOrganization));
    }

    #[test]
    fn two_siblings_of_one_name_are_labelled_by_id() {
        let u = Uuid::from_u128;
        let t = OrgNames::new([
            (u(1), None, "党委".to_owned(), true),
            (u(2), Some(u(1)), "支部".to_owned(), true),
            (u(3), Some(u(1)), "支部".to_owned(), true),
        ]);
        assert_eq!(t.label(u(2)), u(2).to_string());
        assert_eq!(t.resolve(&t.label(u(3))), Ok(u(3)));
    }

    #[test]
    fn an_impossible_date_is_reported_once_as_impossible() {
        let mut impossible = line(&id(14));
        impossible[10] = "2023-02-30".into();
        let mut slashed = line(&id(15));
        slashed[3] = "2023/2/30".into();
        let mut badly = line(&id(16));
        badly[10] = "2023-02-3x".into();
        let (_, problems) = read(&header(), &[impossible, slashed, badly], &orgs(), date(2026, 11, 29));
        let got: Vec<(usize, &str, Reason)> =
            problems.iter().map(|p| (p.line, p.column.as_str(), p.reason.clone())).collect();
        assert_eq!(
            got,
            [
                (2, "递交入党申请日期 applied_on", Reason::NoSuchDate),
                (3, "出生日期 birth_date", Reason::NoSuchDate),
                (4, "递交入党申请日期 applied_on", Reason::BadDate),
            ]
        );
        assert_eq!(Reason::NoSuchDate.words(), ("日期不存在".into(), "the date does not exist".into()));
    }

    fn id(n: u32) -> String {
        IdCardNumber::compose(440305, date(1995, 5, 5), n).as_str().to_owned()
    }

    fn line(id_card: &str) -> Vec<String> {
        let mut r = vec![String::new(); COLUMNS.len()];
        for (code, v) in [
            ("name", "王骑手"),
            ("id_card", id_card),
            ("ethnicity", "汉族"),
            ("education", "大专"),
            ("worker_category", "外卖骑手"),
            ("org", "骑手支部"),
            ("status", "入党申请人"),
            ("applied_on", "2025/3/1"),
            ("is_backbone", "是"),
        ] {
            r[COLUMNS.iter().position(|c| c.0 == code).unwrap()] = v.to_owned();
        }
        r
    }

    #[test]
    fn the_template_example_row_passes_every_check() {
        let demo = OrgNames::new([(Uuid::from_u128(9), None, EXAMPLE_ORG.to_owned(), true)]);
        let (people, problems) = read(&header(), &[example_row()], &demo, date(2026, 11, 29));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(people[0].1.id_card.as_str(), example_row()[1]);
        // Where the demo's branch is missing, the organisation is the row's only problem.
        let (_, problems) = read(&header(), &[example_row()], &orgs(), date(2026, 11, 29));
        let got: Vec<(usize, Reason)> = problems.into_iter().map(|p| (p.line, p.reason)).collect();
        assert_eq!(got, [(2, Reason::UnknownOrganization)]);
    }

    #[test]
    fn a_row_written_is_read_back_the_same() {
        let (people, problems) = read(&header(), &[line(&id(11))], &orgs(), date(2026, 11, 29));
        assert!(problems.is_empty(), "{problems:?}");
        let (_, p) = &people[0];
        assert_eq!((p.education, p.is_backbone), (Education::JuniorCollege, true));
        assert_eq!(p.dates.applied_on, Some(date(2025, 3, 1)));
        let again = row(p, "骑手支部");
        let (back, problems) = read(&header(), &[again], &orgs(), date(2026, 11, 29));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(&back[0].1, p);
    }

    #[test]
    fn every_problem_is_named_by_line_column_and_reason() {
        let codes_only: Vec<String> = COLUMNS.iter().map(|c| c.0.to_owned()).collect();
        let mut bad_org = line(&id(12));
        bad_org[8] = "不存在的支部".into();
        let mut bad_date = line(&id(13));
        bad_date[10] = "去年春天".into();
        let mut bad_id = line("440305199505051234");
        bad_id[0] = String::new();
        let rows = vec![line(&id(11)), bad_org, bad_date, bad_id, line(&id(11))];
        let (people, problems) = read(&codes_only, &rows, &orgs(), date(2026, 11, 29));
        assert_eq!(people.len(), 1);
        let seen: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert!(seen.contains(&(3, "所在党组织 org")), "{seen:?}");
        assert!(seen.contains(&(4, "递交入党申请日期 applied_on")), "{seen:?}");
        assert!(seen.contains(&(5, "身份证号 id_card")) && seen.contains(&(5, "姓名 name")), "{seen:?}");
        assert!(seen.contains(&(6, "身份证号 id_card")), "the duplicate: {seen:?}");
        let (_, missing) = read(&["姓名".to_owned()], &rows, &orgs(), date(2026, 11, 29));
        assert!(missing.iter().all(|p| p.line == 1) && missing.len() == 6, "{missing:?}");
    }
}

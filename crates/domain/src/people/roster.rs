//! The roster (花名册) as a table: one person a row in a documented set of columns, written by
//! the export and read by the import. A column is named by its Chinese name, its code or
//! both (`姓名 name`); choices are written in Chinese or as codes; dates as spreadsheets write
//! them; the organisation by its name. Reading checks every row with the same rules as the
//! person form and reports each problem by line, column and reason.

use crate::development::dossier_import::{Problem, table_date};
use crate::error::Reason;
use crate::people::{Education, Gender, PersonFields, PersonInput, Status, WorkerCategory};
use jiff::civil::Date;
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

fn flag(b: bool) -> String {
    if b { "是".into() } else { "否".into() }
}

fn day(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A person as a row, in the order of [`COLUMNS`].
pub fn row(p: &PersonFields, org_name: &str) -> Vec<String> {
    vec![
        p.name.clone(),
        p.id_card.as_str().to_owned(),
        p.gender.zh().to_owned(),
        p.birth_date.to_string(),
        p.ethnicity.clone(),
        p.education.zh().to_owned(),
        p.worker_category.zh().to_owned(),
        p.phone.as_ref().map(|x| x.as_str().to_owned()).unwrap_or_default(),
        org_name.to_owned(),
        p.status.zh().to_owned(),
        day(p.dates.applied_on),
        day(p.dates.activist_on),
        day(p.dates.target_on),
        day(p.dates.admitted_on),
        day(p.dates.full_member_on),
        flag(p.is_mobile),
        p.home_organization.clone().unwrap_or_default(),
        p.employer.clone().unwrap_or_default(),
        p.station.clone().unwrap_or_default(),
        flag(p.is_backbone),
        flag(p.is_key_position),
    ]
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
/// every problem. `orgs` maps an organisation's name to its id; `today` bounds dates.
pub fn read(
    header: &[String],
    rows: &[Vec<String>],
    orgs: &HashMap<String, Uuid>,
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
    orgs: &'a HashMap<String, Uuid>,
    today: Date,
    /// The ID numbers read so far, each as the number its first 17 digits make (the
    /// 18th is their check digit), so a million of them fit in ~20 MB.
    seen: std::collections::HashSet<u64>,
    line: usize,
}

impl<'a> Reader<'a> {
    /// Checks the header: every required column must be there.
    pub fn new(
        header: &[String],
        orgs: &'a HashMap<String, Uuid>,
        today: Date,
    ) -> Result<Self, Vec<Problem>> {
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
                match table_date(&raw) {
                    Some(d) => d.to_string(),
                    None => {
                        out.push(Problem { line, column: label(code), reason: Reason::BadDate });
                        raw
                    }
                }
            };
            let org_name = get("org");
            let org_id = match orgs.get(&org_name) {
                Some(id) => id.to_string(),
                None => {
                    row_problems.push(Problem {
                        line,
                        column: label("org"),
                        reason: Reason::UnknownOrganization,
                    });
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
                    problems.extend(row_problems);
                    for f in e.0 {
                        // The organisation was reported by name already.
                        if f.field == "org_id"
                            && !problems.iter().any(|p| p.line == line && p.column == label("org"))
                        {
                            problems.push(Problem { line, column: label("org"), reason: f.reason });
                        } else if f.field != "org_id" {
                            problems.push(Problem { line, column: label(f.field), reason: f.reason });
                        }
                    }
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

    fn orgs() -> HashMap<String, Uuid> {
        HashMap::from([("骑手支部".to_owned(), Uuid::from_u128(9))])
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
        let demo = HashMap::from([(EXAMPLE_ORG.to_owned(), Uuid::from_u128(9))]);
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

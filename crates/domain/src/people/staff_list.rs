//! The employer's staff list (人力花名册): the HR export an enterprise committee imports, read
//! whole (every problem by line and column; a repeated employee number or ID number refuses
//! the file), and its reconciliation with the people registry by ID number. The differences
//! are to-dos for a person to decide; nothing here changes anyone.

use crate::development::dossier_import::{Problem, read_date};
use crate::error::Reason;
use crate::people::id_card::IdCardNumber;
use crate::text;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The template's columns: code, Chinese header, required.
pub const COLUMNS: [(&str, &str, bool); 9] = [
    ("employee_no", "工号", true),
    ("name", "姓名", true),
    ("id_card", "身份证号", true),
    ("department", "部门", true),
    ("post", "岗位", false),
    ("key_post", "关键岗位", false),
    ("hired_on", "入职日期", false),
    ("left_on", "离职日期", false),
    ("party_status", "政治面貌", false),
];

/// One member of staff, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// 工号.
    pub employee_no: String,
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id_card: IdCardNumber,
    /// 部门.
    pub department: String,
    /// 岗位.
    pub post: Option<String>,
    /// A key post (关键岗位): the backbone the committee cultivates.
    pub key_post: bool,
    /// 入职日期.
    pub hired_on: Option<Date>,
    /// 离职日期.
    pub left_on: Option<Date>,
    /// Says they are a party member (中共党员 or 预备党员).
    pub says_member: bool,
}

/// A yes/no cell: 是/否, Y/N, 1/0, true/false; empty is no.
fn yes_no(raw: &str) -> Result<bool, Reason> {
    match raw.trim().to_lowercase().as_str() {
        "" | "否" | "n" | "no" | "0" | "false" => Ok(false),
        "是" | "y" | "yes" | "1" | "true" => Ok(true),
        _ => Err(Reason::UnknownChoice),
    }
}

/// Whether a 政治面貌 cell says party member.
fn says_member(raw: &str) -> Result<bool, Reason> {
    match raw.trim() {
        "中共党员" | "中共预备党员" | "党员" | "预备党员" | "full_member" | "probationary_member" => {
            Ok(true)
        }
        "" | "群众" | "共青团员" | "团员" | "民主党派" | "无党派人士" | "non_member" => {
            Ok(false)
        }
        _ => Err(Reason::UnknownChoice),
    }
}

/// Reads a whole table: the rows, or every problem by line (the header is line 1) and
/// column.
pub fn read(header: &[String], rows: &[Vec<String>]) -> Result<Vec<StaffRow>, Vec<Problem>> {
    let index: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|(code, zh, _)| header.iter().position(|h| h.trim() == *code || h.trim() == *zh))
        .collect();
    let missing: Vec<Problem> = COLUMNS
        .iter()
        .zip(&index)
        .filter(|((_, _, required), i)| *required && i.is_none())
        .map(|((_, zh, _), _)| Problem { line: 1, column: (*zh).to_owned(), reason: Reason::Required })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (n, row) in rows.iter().enumerate() {
        let line = n + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| index[i].and_then(|c| row.get(c)).map_or("", String::as_str);
        let mut bad = |i: usize, reason: Reason| {
            problems.push(Problem { line, column: COLUMNS[i].1.to_owned(), reason })
        };
        let employee_no = text::required("employee_no", cell(0), 40).map_err(|e| bad(0, e.reason)).ok();
        let name = text::required("name", cell(1), 50).map_err(|e| bad(1, e.reason)).ok();
        let id_card = IdCardNumber::parse("id_card", cell(2)).map_err(|e| bad(2, e.reason)).ok();
        let department = text::required("department", cell(3), 100).map_err(|e| bad(3, e.reason)).ok();
        let post = text::optional("post", cell(4), 100).map_err(|e| bad(4, e.reason)).ok();
        let key_post = yes_no(cell(5)).map_err(|r| bad(5, r)).ok();
        let date = |s: &str| if s.trim().is_empty() { Ok(None) } else { read_date(s).map(Some) };
        let hired_on = date(cell(6)).map_err(|r| bad(6, r)).ok();
        let left_on = date(cell(7)).map_err(|r| bad(7, r)).ok();
        let member = says_member(cell(8)).map_err(|r| bad(8, r)).ok();
        let repeated = |column: &str, zh: &'static str, en: &'static str| Problem {
            line,
            column: column.to_owned(),
            reason: Reason::Refused { zh, en },
        };
        if let Some(no) = &employee_no
            && numbers.insert(no.clone(), line).is_some()
        {
            problems.push(repeated(
                "工号",
                "工号与前面一行重复",
                "the employee number repeats an earlier line",
            ));
        }
        if let Some(id) = &id_card
            && ids.insert(id.as_str().to_owned(), line).is_some()
        {
            problems.push(repeated(
                "身份证号",
                "身份证号与前面一行重复",
                "the ID number repeats an earlier line",
            ));
        }
        if let (Some(Some(h)), Some(Some(l))) = (hired_on, left_on)
            && l < h
        {
            problems.push(repeated("离职日期", "离职日期早于入职日期", "left before being hired"));
        }
        if let (
            Some(employee_no),
            Some(name),
            Some(id_card),
            Some(department),
            Some(post),
            Some(key_post),
            Some(hired_on),
            Some(left_on),
            Some(says_member),
        ) = (employee_no, name, id_card, department, post, key_post, hired_on, left_on, member)
        {
            out.push(StaffRow {
                employee_no,
                name,
                id_card,
                department,
                post,
                key_post,
                hired_on,
                left_on,
                says_member,
            });
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(Problem { line: 2, column: "工号".into(), reason: Reason::Required });
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// What the reconciliation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// A member of the committee's organisations left the company: transfer the
    /// relationship or make them a mobile member.
    MemberLeft,
    /// A member of the committee's organisations is not on the staff list.
    MemberNotListed,
    /// Staff who say they are members but whose membership is not here: a transfer in to
    /// chase.
    MemberElsewhere,
    /// A member changed department: the branch may change.
    DepartmentChanged,
    /// Staff in a key post not yet in contact with a committee member (one-to-one
    /// cultivation).
    KeyPostNoContact,
}

impl Difference {
    /// Code.
    pub fn code(self) -> &'static str {
        match self {
            Self::MemberLeft => "member_left",
            Self::MemberNotListed => "member_not_listed",
            Self::MemberElsewhere => "member_elsewhere",
            Self::DepartmentChanged => "department_changed",
            Self::KeyPostNoContact => "key_post_no_contact",
        }
    }

    /// From its code.
    pub fn from_code(c: &str) -> Option<Self> {
        [
            Self::MemberLeft,
            Self::MemberNotListed,
            Self::MemberElsewhere,
            Self::DepartmentChanged,
            Self::KeyPostNoContact,
        ]
        .into_iter()
        .find(|d| d.code() == c)
    }

    /// In the user's words, with what to do.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::MemberLeft => (
                "党员已离职：转出组织关系或纳入流动党员管理",
                "member left the company: transfer out or make mobile",
            ),
            Self::MemberNotListed => (
                "党员不在人力花名册中：核实是否已离职",
                "member not on the staff list: check whether they left",
            ),
            Self::MemberElsewhere => (
                "自述党员但组织关系不在本单位：督促转入",
                "says member but the membership is elsewhere: chase a transfer in",
            ),
            Self::DepartmentChanged => {
                ("党员调换部门：考虑调整所在支部", "member changed department: consider another branch")
            }
            Self::KeyPostNoContact => {
                ("关键岗位员工尚无党委委员一对一联系", "key-post staff without a committee member in contact")
            }
        }
    }
}

/// A person of the committee's registry as the reconciliation sees them.
#[derive(Debug, Clone)]
pub struct Known<P> {
    /// The person's id.
    pub person: P,
    /// A party member (probationary or full) of the committee's organisations.
    pub member: bool,
    /// Already a mobile member.
    pub mobile: bool,
    /// Has a one-to-one contact.
    pub contacted: bool,
}

/// One staff row as the reconciliation sees it: its number, its ID number's key, department,
/// key post, left on, says member.
#[derive(Debug, Clone)]
pub struct Listed<K> {
    /// 工号.
    pub employee_no: String,
    /// The ID number's keyed hash.
    pub key: K,
    /// 部门.
    pub department: String,
    /// Key post.
    pub key_post: bool,
    /// Left on.
    pub left_on: Option<Date>,
    /// Says member.
    pub says_member: bool,
}

/// A to-do: what, whose (employee number and/or person), and a detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo<P> {
    /// What.
    pub kind: Difference,
    /// The staff row's number, when there is one.
    pub employee_no: Option<String>,
    /// The person, when matched.
    pub person: Option<P>,
    /// What changed (the department move: `old → new`).
    pub detail: Option<String>,
}

/// The differences between a staff list and the registry, as of `today`. `people` maps ID
/// keys to the committee's people; `members` lists every member of the committee's
/// organisations (to find those not listed); `previous` holds each employee number's
/// department in the list imported before.
pub fn reconcile<K: Eq + Hash, P: Clone + Eq + Hash>(
    staff: &[Listed<K>],
    people: &HashMap<K, Known<P>>,
    members: &[P],
    previous: &HashMap<String, String>,
    today: Date,
) -> Vec<Todo<P>> {
    let mut out = Vec::new();
    let mut listed: HashSet<P> = HashSet::new();
    for s in staff {
        let known = people.get(&s.key);
        if let Some(k) = known {
            listed.insert(k.person.clone());
        }
        let left = s.left_on.is_some_and(|d| d <= today);
        let todo = |kind, detail| Todo {
            kind,
            employee_no: Some(s.employee_no.clone()),
            person: known.map(|k| k.person.clone()),
            detail,
        };
        match known {
            Some(k) if k.member && left && !k.mobile => out.push(todo(Difference::MemberLeft, None)),
            Some(k) if k.member && !left => {
                if let Some(old) = previous.get(&s.employee_no).filter(|d| **d != s.department) {
                    out.push(todo(Difference::DepartmentChanged, Some(format!("{old} → {}", s.department))));
                }
            }
            Some(k) if !k.member && s.says_member && !left => {
                out.push(todo(Difference::MemberElsewhere, None))
            }
            None if s.says_member && !left => out.push(todo(Difference::MemberElsewhere, None)),
            _ => {}
        }
        let member = known.is_some_and(|k| k.member);
        if s.key_post && !left && !member && !known.is_some_and(|k| k.contacted) {
            out.push(todo(Difference::KeyPostNoContact, None));
        }
    }
    for m in members {
        if !listed.contains(m) {
            out.push(Todo {
                kind: Difference::MemberNotListed,
                employee_no: None,
                person: Some(m.clone()),
                detail: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn a_file_is_read_whole_and_repeats_are_refused() {
        let header = s(&["工号", "姓名", "身份证号", "部门", "关键岗位", "政治面貌"]);
        let rows = vec![
            s(&["T001", "张伟", "11010519491231002X", "微信事业群", "是", "中共党员"]),
            s(&["T001", "李娜", "110105194912310021", "云与智慧产业事业群", "否", "群众"]),
            s(&["T003", "王芳", "11010519491231002X", "互动娱乐", "maybe", ""]),
        ];
        let problems = read(&header, &rows).unwrap_err();
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(got, [(3, "身份证号"), (3, "工号"), (4, "关键岗位"), (4, "身份证号")]);
        let ok = read(&header, &rows[..1]).unwrap();
        assert!(ok[0].key_post && ok[0].says_member);
        assert_eq!(read(&s(&["姓名"]), &[]).unwrap_err().len(), 3);
    }

    #[test]
    fn the_differences_are_found() {
        let today = jiff::civil::date(2026, 11, 29);
        let row = |no: &str, key: u8, dept: &str, key_post: bool, left: bool, says: bool| Listed {
            employee_no: no.into(),
            key,
            department: dept.into(),
            key_post,
            left_on: left.then_some(jiff::civil::date(2026, 10, 1)),
            says_member: says,
        };
        let known =
            |p: u32, member: bool, contacted: bool| Known { person: p, member, mobile: false, contacted };
        let people: HashMap<u8, Known<u32>> = [
            (1, known(1, true, false)),
            (2, known(2, true, false)),
            (3, known(3, false, false)),
            (5, known(5, false, true)),
        ]
        .into_iter()
        .collect();
        let staff = [
            row("A", 1, "新部门", false, false, true),
            row("B", 2, "x", false, true, true),
            row("C", 3, "x", true, false, false),
            row("D", 4, "x", false, false, true),
            row("E", 5, "x", true, false, false),
        ];
        let previous: HashMap<String, String> = [("A".to_owned(), "旧部门".to_owned())].into_iter().collect();
        let todos = reconcile(&staff, &people, &[1, 2, 9], &previous, today);
        let got: Vec<(Difference, Option<u32>)> = todos.iter().map(|t| (t.kind, t.person)).collect();
        assert_eq!(
            got,
            [
                (Difference::DepartmentChanged, Some(1)),
                (Difference::MemberLeft, Some(2)),
                (Difference::KeyPostNoContact, Some(3)),
                (Difference::MemberElsewhere, None),
                (Difference::MemberNotListed, Some(9)),
            ]
        );
        assert_eq!(todos[0].detail.as_deref(), Some("旧部门 → 新部门"));
    }
}

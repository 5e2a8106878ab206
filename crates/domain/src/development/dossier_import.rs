//! Importing existing dossiers from a table (xlsx or CSV) to be screened: one row per
//! event — the person's ID number, the kind of event (step code, Chinese name or number),
//! the date, and the kind's fields by column. The whole table is checked first and every
//! problem reported by row and column; imported events are historic records (backfill).
//!
//! A backfill records what happened: a field the procedure requires but the record lacks
//! (no recommendation, no date of the opinions heard, no vote counts) is left empty for the
//! screening to find. Only what cannot be read or contradicts itself is refused: an
//! impossible date, a value that is not one of the choices, vote counts that exceed those
//! present, rows of one dossier number naming two people.

use crate::development::dossier::{Event, Key, Kind, Source, Ty, Value};
use crate::development::procedure::STEPS;
use crate::error::Reason;
use crate::people::id_card::IdCardNumber;
use jiff::civil::Date;

/// The fixed columns before the field columns.
pub const FIXED: [(&str, &str); 3] = [("id_card", "身份证号"), ("kind", "环节"), ("on", "日期")];

/// The optional column that groups rows into one paper dossier (its number on the file).
pub const DOSSIER_NO: (&str, &str) = ("dossier_no", "档案编号");

/// The keys a template offers as columns (every key a file may fill; a row fills those of
/// its kind). The standing of people and the kind of organisations are derived from the
/// deployment's records; their columns are for people and organisations outside it.
pub fn field_columns() -> impl Iterator<Item = Key> {
    Key::ALL.iter().copied().filter(|k| *k != Key::Declared)
}

/// The template's header: `中文名 code` for each column.
pub fn template_header() -> Vec<String> {
    FIXED
        .iter()
        .map(|(code, zh)| format!("{zh} {code}"))
        .chain(field_columns().map(|k| format!("{} {}", k.zh(), k.code())))
        .collect()
}

/// The ID number of the templates' example person (the roster template's example row and
/// the dossier template's): a valid GB 11643 number, so an example row passes the checks.
pub fn example_id_card() -> IdCardNumber {
    IdCardNumber::compose(440305, Date::constant(1996, 3, 3), 1)
}

/// The template's two example rows: the example person's application and the talk after
/// it. They pass every check of [`read_rows`] as they stand; importing them needs the
/// person on the roster (the roster template's example row is that person).
pub fn example_rows() -> [Vec<String>; 2] {
    let header = template_header();
    let id = example_id_card();
    let example = |kind: &str, on: &str, extra: &[(&str, &str)]| -> Vec<String> {
        header
            .iter()
            .map(|h| match h.rsplit(' ').next().unwrap_or("") {
                "id_card" => id.as_str().to_owned(),
                "kind" => kind.to_owned(),
                "on" => on.to_owned(),
                code => {
                    extra.iter().find(|(c, _)| *c == code).map_or(String::new(), |(_, v)| (*v).to_owned())
                }
            })
            .collect()
    };
    [example("递交入党申请书", "2024-01-05", &[]), example("talk", "2024-01-20", &[("talker", "支部书记")])]
}

/// One problem of a table: 1-based line (the header is line 1), column, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line of the file.
    pub line: usize,
    /// Column name as in the header.
    pub column: String,
    /// Why.
    pub reason: Reason,
}

/// One row read: whose, which event, and the person or organisation references still to
/// be resolved (ID numbers, organisation names or ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Line of the file.
    pub line: usize,
    /// The person's ID number, as written.
    pub id_card: String,
    /// The event (seq 0 until the dossier is assembled).
    pub event: Event,
    /// References to resolve: key and the text written.
    pub refs: Vec<(Key, String)>,
}

enum Column {
    IdCard,
    Kind,
    On,
    DossierNo,
    Field(Key),
}

fn column_of(name: &str) -> Option<Column> {
    let name = name.trim();
    let code = name.rsplit(char::is_whitespace).next().unwrap_or(name);
    if code == DOSSIER_NO.0 || name == DOSSIER_NO.1 {
        return Some(Column::DossierNo);
    }
    for (c, zh) in FIXED {
        if code == c || name == zh {
            return Some(match c {
                "id_card" => Column::IdCard,
                "kind" => Column::Kind,
                _ => Column::On,
            });
        }
    }
    field_columns().find(|k| k.code() == code || k.zh() == name).map(Column::Field)
}

fn kind_of(text: &str) -> Option<Kind> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=25).contains(&n).then_some(Kind::Step(n));
    }
    Kind::from_code(t).or_else(|| {
        STEPS
            .iter()
            .find(|s| s.zh == t)
            .map(|s| Kind::Step(s.number))
            .or_else(|| Kind::all().find(|k| k.zh() == t))
    })
}

/// Reads a date as written in spreadsheets: `2024-03-01`, `2024/3/1`, `2024.3.1`, or an
/// Excel serial number.
pub fn table_date(text: &str) -> Option<Date> {
    read_date(text).ok()
}

/// A date as [`table_date`] reads it, or why not: [`Reason::NoSuchDate`] for a day the
/// calendar lacks (`2023-02-30`), [`Reason::BadDate`] for anything else.
pub fn read_date(text: &str) -> Result<Date, Reason> {
    let t = text.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Ok(d);
    }
    if t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit()) {
        let n: i64 = t.parse().map_err(|_| Reason::BadDate)?;
        return Date::constant(1899, 12, 30)
            .checked_add(jiff::Span::new().days(n))
            .map_err(|_| Reason::BadDate);
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    if let [y, m, d] = parts[..]
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    {
        return Date::new(y, m, d).map_err(|_| crate::text::no_such_date_or_bad(m, d));
    }
    Err(Reason::BadDate)
}

/// Checks every row of a table: the rows that read, and every problem (a bad header
/// stops at the header).
pub fn read_rows(header: &[String], rows: &[Vec<String>]) -> (Vec<Row>, Vec<Problem>) {
    let mut problems = Vec::new();
    let columns: Vec<Option<Column>> = header.iter().map(|h| column_of(h)).collect();
    for (h, c) in header.iter().zip(&columns) {
        if c.is_none() && !h.trim().is_empty() {
            problems.push(Problem { line: 1, column: h.clone(), reason: Reason::UnknownChoice });
        }
    }
    for (code, _) in FIXED {
        let present = columns.iter().any(|c| {
            matches!(
                (c, code),
                (Some(Column::IdCard), "id_card") | (Some(Column::Kind), "kind") | (Some(Column::On), "on")
            )
        });
        if !present {
            problems.push(Problem { line: 1, column: code.to_owned(), reason: Reason::Required });
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut out = Vec::with_capacity(rows.len());
    // Dossier number → the ID number its first row named.
    let mut dossier_of: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (i, cells) in rows.iter().enumerate() {
        let line = i + 2;
        let mut bad =
            |column: &str, reason: Reason| problems.push(Problem { line, column: column.to_owned(), reason });
        let cell = |want: fn(&Column) -> bool| {
            columns.iter().zip(header).enumerate().find(|(_, (c, _))| c.as_ref().is_some_and(want)).map(
                |(j, (_, h))| (h.clone(), cells.get(j).map(String::as_str).unwrap_or("").trim().to_owned()),
            )
        };
        let (id_col, id_card) = cell(|c| matches!(c, Column::IdCard)).unwrap_or_default();
        if id_card.is_empty() {
            bad(&id_col, Reason::Required);
        } else if let Err(e) = IdCardNumber::parse("id_card", &id_card) {
            bad(&id_col, e.reason);
        }
        let (kind_col, kind_text) = cell(|c| matches!(c, Column::Kind)).unwrap_or_default();
        let kind = kind_of(&kind_text);
        if kind.is_none() {
            bad(&kind_col, if kind_text.is_empty() { Reason::Required } else { Reason::UnknownChoice });
        }
        let (on_col, on_text) = cell(|c| matches!(c, Column::On)).unwrap_or_default();
        let on = read_date(&on_text);
        if let Err(why) = &on {
            bad(&on_col, if on_text.is_empty() { Reason::Required } else { why.clone() });
        }
        let on = on.ok();
        if let Some((no_col, no)) = cell(|c| matches!(c, Column::DossierNo))
            && !no.is_empty()
            && !id_card.is_empty()
        {
            let first = dossier_of.entry(no).or_insert_with(|| id_card.clone());
            if *first != id_card {
                bad(&no_col, Reason::TwoPeopleInOneDossier);
            }
        }
        let Some(kind) = kind else { continue };
        let specs = kind.fields();
        let mut fields = Vec::new();
        let mut refs = Vec::new();
        for (j, (c, h)) in columns.iter().zip(header).enumerate() {
            let Some(Column::Field(key)) = c else { continue };
            let text = cells.get(j).map(String::as_str).unwrap_or("").trim();
            let spec = specs.iter().find(|s| s.key == *key);
            match (spec, text.is_empty()) {
                (None, true) => {}
                (None, false) => bad(h, Reason::UnknownChoice),
                // What the record lacks stays lacking: the screening finds it. A yes-or-no the
                // procedure requires reads as "no".
                (Some(s), true) => {
                    if s.source == Source::Required && key.ty() == Ty::Bool {
                        fields.push((*key, Value::Bool(false)));
                    }
                }
                (Some(_), false) => match key.ty() {
                    Ty::Person | Ty::Org => refs.push((*key, text.to_owned())),
                    Ty::Date => match read_date(text) {
                        Ok(d) => fields.push((*key, Value::Date(d))),
                        Err(why) => bad(h, why),
                    },
                    ty => match Value::parse(ty, text) {
                        Ok(v) => fields.push((*key, v)),
                        Err(r) => bad(h, r),
                    },
                },
            }
        }
        let mut event = Event::new(0, kind, on.unwrap_or(Date::MIN));
        event.backfill = true;
        event.fields = fields;
        for problem in contradictions(&event) {
            let column = header
                .iter()
                .zip(&columns)
                .find(|(_, c)| matches!(c, Some(Column::Field(k)) if k.code() == problem.field))
                .map_or(problem.field.to_owned(), |(h, _)| h.clone());
            bad(&column, problem.reason);
        }
        if on.is_some() && !id_card.is_empty() {
            out.push(Row { line, id_card, event, refs });
        }
    }
    (out, problems)
}

/// What a record says against itself: vote counts beyond those present or expected. Counts
/// the record lacks altogether are no contradiction (a meeting without a vote record).
fn contradictions(event: &Event) -> Vec<crate::error::FieldError> {
    if event.kind == Kind::PublicNotice
        && let Some(end) = event.date(Key::EndsOn)
        && end < event.on
    {
        return vec![crate::error::FieldError::new("ends_on", Reason::DateBefore { other: "on" })];
    }
    if !crate::development::vote::is_vote(event.kind) {
        return Vec::new();
    }
    let counted = [Key::Expected, Key::Present, Key::For, Key::Against, Key::Abstain];
    if counted.iter().all(|k| event.get(*k).is_none()) {
        return Vec::new();
    }
    let record = crate::development::engine::vote_record(event);
    match crate::development::vote::tally(&record) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.into_iter().filter(|f| matches!(f.reason, Reason::CountExceeds { .. })).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        template_header()
    }

    fn row(cells: &[(&str, &str)]) -> Vec<String> {
        let h = header();
        h.iter()
            .map(|col| {
                let code = col.rsplit(' ').next().unwrap();
                cells.iter().find(|(c, _)| *c == code).map_or(String::new(), |(_, v)| (*v).to_owned())
            })
            .collect()
    }

    #[test]
    fn the_template_example_rows_pass_every_check() {
        let (got, problems) = read_rows(&header(), &example_rows());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|r| r.id_card == example_id_card().as_str()));
        assert_eq!((got[0].event.kind, got[1].event.on), (Kind::Step(1), Date::constant(2024, 1, 20)));
    }

    #[test]
    fn a_bad_id_number_is_named_by_line_and_column() {
        let rows = vec![row(&[("id_card", "440305199603030011"), ("kind", "1"), ("on", "2024-01-05")])];
        let (_, problems) = read_rows(&header(), &rows);
        let got: Vec<(usize, Reason)> = problems.into_iter().map(|p| (p.line, p.reason)).collect();
        assert_eq!(got, [(2, Reason::IdCardChecksum)]);
    }

    #[test]
    fn rows_read_with_codes_names_numbers_and_spreadsheet_dates() {
        let rows = vec![
            row(&[("id_card", "440305199603030016"), ("kind", "递交入党申请书"), ("on", "2024/1/5")]),
            row(&[("id_card", "440305199603030016"), ("kind", "2"), ("on", "45306"), ("talker", "张")]),
            row(&[
                ("id_card", "440305199603030016"),
                ("kind", "introducers"),
                ("on", "2025-03-20"),
                ("introducer1", "440305198001010013"),
                ("introducer1_status", "full"),
            ]),
        ];
        let (got, problems) = read_rows(&header(), &rows);
        assert!(problems.is_empty());
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].event.kind, Kind::Step(1));
        assert_eq!(got[1].event.on, Date::constant(2024, 1, 15));
        assert!(got[1].event.backfill);
        assert_eq!(got[2].refs, vec![(Key::Introducer1, "440305198001010013".to_owned())]);
        assert_eq!(got[2].event.code(Key::Introducer1Status), Some("full"));
    }

    #[test]
    fn every_problem_is_named_by_line_and_column() {
        let rows = vec![
            row(&[("id_card", ""), ("kind", "nope"), ("on", "2024-13-01")]),
            row(&[("id_card", "440305199603030016"), ("kind", "talk"), ("on", "2024-01-01")]),
            row(&[
                ("id_card", "440305199603030016"),
                ("kind", "application_letter"),
                ("on", "2024-01-01"),
                ("talker", "多余"),
            ]),
        ];
        let (_, p) = read_rows(&header(), &rows);
        let got: Vec<(usize, &str)> =
            p.iter().map(|x| (x.line, x.column.rsplit(' ').next().unwrap())).collect();
        // Line 3, a talk without the talker, is a faithful record of a faulty step: accepted.
        assert_eq!(got, vec![(2, "id_card"), (2, "kind"), (2, "on"), (4, "talker")]);
        let (_, missing) = read_rows(&["身份证号".to_owned(), "日期".to_owned(), "color".to_owned()], &[]);
        let cols: Vec<&str> = missing.iter().map(|x| x.column.as_str()).collect();
        assert_eq!(cols, vec!["color", "kind"]);
    }

    #[test]
    fn an_impossible_date_is_told_apart_from_a_badly_written_one() {
        let rows = vec![
            row(&[("id_card", "440305199603030016"), ("kind", "application_letter"), ("on", "2023-02-30")]),
            row(&[("id_card", "440305199603030016"), ("kind", "application_letter"), ("on", "2023-2-3x")]),
        ];
        let (_, p) = read_rows(&header(), &rows);
        let got: Vec<(usize, Reason)> = p.into_iter().map(|x| (x.line, x.reason)).collect();
        assert_eq!(got, vec![(2, Reason::NoSuchDate), (3, Reason::BadDate)]);
        assert_eq!(read_date("2024/2/29"), Ok(jiff::civil::date(2024, 2, 29)));
        assert_eq!(read_date("2023.4.31"), Err(Reason::NoSuchDate));
        assert_eq!(read_date("2023.13.1"), Err(Reason::BadDate));
    }

    #[test]
    fn faulty_procedure_is_recorded_and_contradictions_refused() {
        let id = "440305199603030016";
        let other = "440305198001010013";
        let rows = vec![
            // An activist decided orally with no recommendation, a target without opinions.
            row(&[
                ("id_card", id),
                ("kind", "activist_chosen"),
                ("on", "2024-03-01"),
                ("decided_by", "oral"),
            ]),
            row(&[("id_card", id), ("kind", "target_chosen"), ("on", "2025-03-02")]),
            // A meeting with no vote record at all.
            row(&[("id_card", id), ("kind", "admission_meeting"), ("on", "2025-09-02")]),
        ];
        let (got, problems) = read_rows(&header(), &rows);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].event.get(Key::Route), None);
        assert_eq!(got[1].event.get(Key::OpinionsHeardOn), None);
        let mut h = header();
        h.push("档案编号".to_owned());
        let with_no = |cells: &[(&str, &str)], no: &str| {
            let mut r = row(cells);
            r.push(no.to_owned());
            r
        };
        let rows = vec![
            with_no(&[("id_card", id), ("kind", "1"), ("on", "2024-01-05")], "A-7"),
            with_no(&[("id_card", other), ("kind", "2"), ("on", "2024-01-20"), ("talker", "张")], "A-7"),
            with_no(
                &[
                    ("id_card", id),
                    ("kind", "admission_meeting"),
                    ("on", "2025-09-02"),
                    ("expected", "9"),
                    ("present", "5"),
                    ("for", "6"),
                    ("against", "0"),
                    ("abstain", "0"),
                    ("method", "secret_ballot"),
                    ("candidates", "1"),
                ],
                "A-7x",
            ),
        ];
        let (_, p) = read_rows(&h, &rows);
        let got: Vec<(usize, &str, Reason)> =
            p.iter().map(|x| (x.line, x.column.rsplit(' ').next().unwrap(), x.reason.clone())).collect();
        assert_eq!(
            got,
            vec![
                (3, "档案编号", Reason::TwoPeopleInOneDossier),
                (4, "for", Reason::CountExceeds { limit: "present" })
            ]
        );
    }
}

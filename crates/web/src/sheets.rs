//! Spreadsheets pioneer writes: the statistics workbooks, and tables (the screening's rows,
//! the roster, templates) as xlsx or CSV.
//!
//! Every text cell is written as text: xlsx cells with `write_string`, never as a formula;
//! CSV cells through [`csv_safe`], which keeps a spreadsheet from running a cell that looks
//! like a formula (OWASP "CSV injection"); [`csv_plain`] undoes it when a CSV is read back.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// What a statistics workbook is about: the organisation, the date, the first year.
pub struct StatsTitle<'a> {
    /// The organisation's name.
    pub org: &'a str,
    /// The reference date.
    pub on: jiff::civil::Date,
    /// The first year of the yearly figures.
    pub since: i16,
}

/// Writes `rows` of (label, count, figure code) under a bold header at `row`; returns the
/// row after the table.
fn table(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    head: &[&str],
    rows: &[(String, Vec<f64>, String)],
    bold: &Format,
) -> Result<u32, XlsxError> {
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, bold)?;
    }
    for (i, (label, values, figure)) in rows.iter().enumerate() {
        let r = row + 1 + i as u32;
        sheet.write_string(r, 0, label)?;
        for (c, v) in values.iter().enumerate() {
            sheet.write_number(r, 1 + c as u16, *v)?;
        }
        if !figure.is_empty() {
            sheet.write_string(r, 1 + values.len() as u16, figure)?;
        }
    }
    Ok(row + 2 + rows.len() as u32)
}

fn column_chart(sheet_name: &str, title: &str, first: u32, last: u32) -> rust_xlsxwriter::Chart {
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.title().set_name(title);
    chart
        .add_series()
        .set_name(title)
        .set_categories((sheet_name, first, 0, last, 0))
        .set_values((sheet_name, first, 1, last, 1));
    chart.legend().set_hidden();
    chart
}

/// The dashboard as an xlsx workbook: the figures, each with the code of its drill-down
/// (`/stats/people?figure=CODE`), and native Excel charts of the age bands, new members and
/// applications per year.
pub fn stats_xlsx(
    t: &StatsTitle<'_>,
    d: &pioneer_domain::stats::Dashboard,
    orgs: &pioneer_store::stats::OrgFigures,
) -> Result<Vec<u8>, XlsxError> {
    use pioneer_domain::stats::{Figure, pct};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let name = "统计";
    let sheet = book.add_worksheet().set_name(name)?;
    sheet.write_string_with_format(0, 0, format!("{} 党内统计（截至 {}）", t.org, t.on), &bold)?;
    let members = d.members;
    let share =
        |label: &str, n: u64, f: Figure| (label.to_owned(), vec![n as f64, pct(n, members) as f64], f.code());
    let mut rows: Vec<(String, Vec<f64>, String)> = d
        .by_status
        .iter()
        .map(|(s, n)| (s.zh().to_owned(), vec![*n as f64], Figure::Status(*s).code()))
        .collect();
    let mut r = table(sheet, 2, &["政治面貌", "人数", "明细代码"], &rows, &bold)?;
    rows = vec![
        share("30岁及以下", d.up_to_30, Figure::UpTo30),
        share("35岁及以下", d.up_to_35, Figure::UpTo35),
        share("大专及以上学历", d.college, Figure::College),
        share("女党员", d.women, Figure::Women),
        share("少数民族党员", d.minorities, Figure::Minorities),
        share("流动党员", d.mobile, Figure::Mobile),
    ];
    r = table(sheet, r, &["党员构成", "人数", "占党员%", "明细代码"], &rows, &bold)?;
    let bands_at = r + 1;
    rows =
        d.bands.iter().map(|(b, n)| (b.zh().to_owned(), vec![*n as f64], Figure::Band(*b).code())).collect();
    r = table(sheet, r, &["年龄", "党员", "明细代码"], &rows, &bold)?;
    let bands_end = r - 2;
    rows = d
        .categories
        .iter()
        .map(|(c, n)| (c.zh().to_owned(), vec![*n as f64], Figure::Category(*c).code()))
        .collect();
    r = table(sheet, r, &["就业类别", "党员", "明细代码"], &rows, &bold)?;
    let new_at = r + 1;
    rows = d
        .new_members
        .iter()
        .map(|y| {
            let v = [y.count, y.up_to_30, y.up_to_35, y.college, y.converted].map(|n| n as f64).to_vec();
            (y.year.to_string(), v, Figure::NewIn(y.year).code())
        })
        .collect();
    r = table(
        sheet,
        r,
        &["年份", "发展党员", "30岁及以下", "35岁及以下", "大专及以上", "转正", "明细代码"],
        &rows,
        &bold,
    )?;
    let new_end = r - 2;
    let apps_at = r + 1;
    rows = d
        .applications
        .iter()
        .map(|y| {
            (
                y.year.to_string(),
                vec![y.count as f64, y.growth_pct.unwrap_or(0) as f64],
                Figure::AppliedIn(y.year).code(),
            )
        })
        .collect();
    r = table(sheet, r, &["年份", "入党申请", "同比增长%", "明细代码"], &rows, &bold)?;
    let apps_end = r - 2;
    rows = orgs.by_kind.iter().map(|(k, n)| (k.zh().to_owned(), vec![*n as f64], String::new())).collect();
    rows.push(("建立党组织的企业".into(), vec![orgs.enterprises as f64], String::new()));
    table(sheet, r, &["党组织", "个数"], &rows, &bold)?;
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(7, 16)?;
    sheet.insert_chart(2, 9, &column_chart(name, "党员年龄分布", bands_at, bands_end))?;
    sheet.insert_chart(18, 9, &column_chart(name, "每年发展党员", new_at, new_end))?;
    sheet.insert_chart(34, 9, &column_chart(name, "每年入党申请", apps_at, apps_end))?;
    let _ = t.since;
    book.save_to_buffer()
}

/// The annual statistical report (STAT-001…004) for a year, as at its 31 December: one
/// sheet per table — members (age, education, women, minorities), occupation (our worker
/// categories; the official occupation mapping is unconfirmed, STAT-003), new members
/// and their shares, conversions, the applicant pool, organisations. Every figure carries
/// the code of its drill-down. Members leaving are counted by the organisation that handled
/// the case (its subtree), deaths apart from 出党 proper.
pub fn annual_report_xlsx(
    t: &StatsTitle<'_>,
    d: &pioneer_domain::stats::Dashboard,
    orgs: &pioneer_store::stats::OrgFigures,
    service: &pioneer_store::service::shifts::ServiceFigures,
    housekeeping: &crate::stats::housekeeping::Housekeeping,
) -> Result<Vec<u8>, XlsxError> {
    use pioneer_domain::people::Status;
    use pioneer_domain::people::departure::DepartureKind;
    use pioneer_domain::stats::{Departures, Figure, pct};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let year = t.on.year();
    let title = format!("{} 党内统计年报（{} 年 12 月 31 日）", t.org, year);
    let members = d.members;
    let of_members = |n: u64| vec![n as f64, pct(n, members) as f64];
    let sheet = book.add_worksheet().set_name("党员基本情况")?;
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    let mut rows = vec![
        ("党员总数".to_owned(), vec![members as f64, 100.0], Figure::Members.code()),
        (
            "其中：预备党员".to_owned(),
            of_members(d.by_status.iter().find(|(s, _)| *s == Status::ProbationaryMember).map_or(0, |x| x.1)),
            Figure::Status(Status::ProbationaryMember).code(),
        ),
        ("女党员".to_owned(), of_members(d.women), Figure::Women.code()),
        ("少数民族党员".to_owned(), of_members(d.minorities), Figure::Minorities.code()),
        ("大专及以上学历".to_owned(), of_members(d.college), Figure::College.code()),
        ("35岁及以下".to_owned(), of_members(d.up_to_35), Figure::UpTo35.code()),
        ("流动党员".to_owned(), of_members(d.mobile), Figure::Mobile.code()),
    ];
    let r = table(sheet, 2, &["项目", "人数", "占党员%", "明细代码"], &rows, &bold)?;
    rows =
        d.bands.iter().map(|(b, n)| (b.zh().to_owned(), of_members(*n), Figure::Band(*b).code())).collect();
    table(sheet, r, &["年龄（周岁，截至12月31日）", "人数", "占党员%", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 28)?;
    let sheet = book.add_worksheet().set_name("学历")?;
    rows = d
        .education
        .iter()
        .map(|(e, n)| (e.zh().to_owned(), of_members(*n), Figure::Education(*e).code()))
        .collect();
    table(sheet, 0, &["学历", "人数", "占党员%", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 16)?;
    let sheet = book.add_worksheet().set_name("职业")?;
    sheet.write_string(
        0,
        0,
        "按新就业群体类别统计；与《党内统计公报》职业分类的对应尚待组织部门确认（STAT-003）。",
    )?;
    rows = d
        .categories
        .iter()
        .map(|(c, n)| (c.zh().to_owned(), of_members(*n), Figure::Category(*c).code()))
        .collect();
    table(sheet, 2, &["类别", "人数", "占党员%", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 16)?;
    let sheet = book.add_worksheet().set_name("发展党员")?;
    let y = d.new_members.iter().find(|n| n.year == year).copied().unwrap_or_default();
    let of_new = |n: u64| vec![n as f64, pct(n, y.count) as f64];
    rows = vec![
        ("发展党员".to_owned(), vec![y.count as f64, 100.0], Figure::NewIn(year).code()),
        ("30岁及以下（接收时）".to_owned(), of_new(y.up_to_30), String::new()),
        ("35岁及以下（接收时）".to_owned(), of_new(y.up_to_35), String::new()),
        ("大专及以上学历".to_owned(), of_new(y.college), String::new()),
        ("女".to_owned(), of_new(y.women), String::new()),
        ("少数民族".to_owned(), of_new(y.minorities), String::new()),
    ];
    table(sheet, 0, &["项目", "人数", "占发展党员%", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 22)?;
    let sheet = book.add_worksheet().set_name("预备党员转正")?;
    rows = vec![("转为正式党员".to_owned(), vec![y.converted as f64], Figure::ConvertedIn(year).code())];
    table(sheet, 0, &["项目", "人数", "明细代码"], &rows, &bold)?;
    let sheet = book.add_worksheet().set_name("入党申请人和积极分子")?;
    let status = |s: Status| d.by_status.iter().find(|(x, _)| *x == s).map_or(0, |x| x.1);
    let apps = d.applications.iter().find(|a| a.year == year).copied();
    rows = vec![
        (
            "入党申请人（年末）".to_owned(),
            vec![status(Status::Applicant) as f64],
            Figure::Status(Status::Applicant).code(),
        ),
        (
            "入党积极分子（年末）".to_owned(),
            vec![status(Status::Activist) as f64],
            Figure::Status(Status::Activist).code(),
        ),
        (
            "发展对象（年末）".to_owned(),
            vec![status(Status::DevelopmentTarget) as f64],
            Figure::Status(Status::DevelopmentTarget).code(),
        ),
        (
            "本年递交入党申请".to_owned(),
            vec![apps.map_or(0, |a| a.count) as f64],
            Figure::AppliedIn(year).code(),
        ),
    ];
    table(sheet, 0, &["项目", "人数", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 22)?;
    let sheet = book.add_worksheet().set_name("出党情况")?;
    sheet.write_string(0, 0, "本年党员减少，按办理的党组织统计（STAT-004）；死亡不计入出党。")?;
    let left = d
        .departures
        .iter()
        .find(|l| l.year == year)
        .cloned()
        .unwrap_or(Departures { year, by_kind: DepartureKind::ALL.iter().map(|k| (*k, 0)).collect() });
    rows = vec![
        ("党员减少合计".to_owned(), vec![left.total() as f64], Figure::LeftIn(year, None).code()),
        ("其中：出党".to_owned(), vec![left.exits() as f64], String::new()),
    ];
    rows.extend(
        left.by_kind
            .iter()
            .map(|(k, n)| (format!("　{}", k.zh()), vec![*n as f64], Figure::LeftIn(year, Some(*k)).code())),
    );
    table(sheet, 2, &["项目", "人数", "明细代码"], &rows, &bold)?;
    sheet.set_column_width(0, 22)?;
    let sheet = book.add_worksheet().set_name("党组织")?;
    rows = orgs.by_kind.iter().map(|(k, n)| (k.zh().to_owned(), vec![*n as f64], String::new())).collect();
    rows.push(("建立党组织的企业".into(), vec![orgs.enterprises as f64], String::new()));
    table(sheet, 0, &["党组织", "个数"], &rows, &bold)?;
    sheet.set_column_width(0, 18)?;
    let sheet = book.add_worksheet().set_name("志愿服务")?;
    sheet.write_string_with_format(0, 0, format!("{} 志愿服务（{} 年）", t.org, year), &bold)?;
    let v = service;
    let rows: Vec<(String, Vec<f64>, String)> = [
        ("志愿服务队（个）", v.teams as f64),
        ("志愿者（人）", v.volunteers as f64),
        ("　其中：党员", v.member_volunteers as f64),
        ("　　　　群众", (v.volunteers - v.member_volunteers) as f64),
        ("服务班次（个）", v.shifts as f64),
        ("确认服务时长（小时）", (v.minutes as f64 / 6.0).round() / 10.0),
        ("完成并确认的服务需求（项）", v.requests_done as f64),
        ("服务社区和机构（个）", v.requesters_served as f64),
        ("发放捐赠物资（件）", v.goods_distributed as f64),
    ]
    .into_iter()
    .map(|(label, n)| (label.to_owned(), vec![n], String::new()))
    .collect();
    table(sheet, 2, &["项目", "数量"], &rows, &bold)?;
    sheet.set_column_width(0, 26)?;
    let h = housekeeping;
    let sheet = book.add_worksheet().set_name("换届与党费")?;
    sheet.write_string_with_format(0, 0, format!("{} 换届与党费（{} 年）", t.org, year), &bold)?;
    let yuan = |fen: i64| fen as f64 / 100.0;
    let mut rows: Vec<(String, Vec<f64>, String)> = vec![
        ("应换届的组织（个）".into(), vec![h.elected as f64], String::new()),
        ("　其中：任期已满未换届".into(), vec![h.terms_expired as f64], String::new()),
        ("　　　　6 个月内应换届".into(), vec![h.terms_due_soon as f64], String::new()),
        ("　　　　未录入换届信息".into(), vec![h.terms_unknown as f64], String::new()),
        ("全年收缴党费（元）".into(), vec![yuan(h.dues_collected_fen)], String::new()),
        ("全年上缴党费（元）".into(), vec![yuan(h.dues_remitted_fen)], String::new()),
    ];
    rows.extend(
        h.dues_months
            .iter()
            .map(|(m, c, r, n)| (format!("　{m}"), vec![yuan(*c), yuan(*r), *n as f64], String::new())),
    );
    table(sheet, 2, &["项目", "数量或收缴（元）", "上缴（元）", "交纳人数"], &rows, &bold)?;
    sheet.set_column_width(0, 26)?;
    book.save_to_buffer()
}

/// A table as CSV in UTF-8 with a byte-order mark (Excel then opens it as UTF-8).
pub fn table_csv(header: &[String], rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
    let mut out = CsvOut::new(Vec::new(), header)?;
    for r in rows {
        out.row(r)?;
    }
    out.into_inner()
}

/// Rows as CSV without a header or byte-order mark: the pieces after the first of a
/// streamed CSV.
pub fn csv_rows<C: AsRef<str>>(rows: &[impl AsRef<[C]>]) -> std::io::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for r in rows {
        write_safe(&mut out, r.as_ref())?;
    }
    out.into_inner().map_err(|e| e.into_error())
}

/// What makes a spreadsheet read a cell as a formula when it begins with it (OWASP).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as every CSV pioneer writes holds it: one that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
/// running it (OWASP). So does one that [`csv_plain`] would otherwise change (a `'` before
/// one of those or before another `'`), so that reading gives back exactly what was written.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) || csv_plain(cell).len() != cell.len() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A CSV cell back as it was before [`csv_safe`]: the one leading `'` before `=`, `+`, `-`,
/// `@`, a tab, a carriage return or another `'` is dropped; any other cell is left alone.
pub fn csv_plain(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// One record, each cell through [`csv_safe`].
fn write_safe<W: std::io::Write>(out: &mut csv::Writer<W>, cells: &[impl AsRef<str>]) -> std::io::Result<()> {
    for c in cells {
        out.write_field(csv_safe(c.as_ref()).as_bytes()).map_err(std::io::Error::other)?;
    }
    // An empty record ends the one whose fields were written.
    out.write_record(None::<&[u8]>).map_err(std::io::Error::other)
}

/// A table as an xlsx workbook of one sheet, every cell text (ID numbers keep their digits).
pub fn table_xlsx(sheet_name: &str, header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name(sheet_name)?;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, 14)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    book.save_to_buffer()
}

/// CSV written row by row to any writer (a file for a large export), UTF-8 with a
/// byte-order mark; every cell through [`csv_safe`].
pub struct CsvOut<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> CsvOut<W> {
    /// Starts the file: the byte-order mark and the header.
    pub fn new(mut w: W, header: &[String]) -> std::io::Result<Self> {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut out = csv::Writer::from_writer(w);
        write_safe(&mut out, header)?;
        Ok(Self(out))
    }

    /// One row, each cell through [`csv_safe`].
    pub fn row(&mut self, cells: &[impl AsRef<str>]) -> std::io::Result<()> {
        write_safe(&mut self.0, cells)
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.0.flush()
    }

    /// The writer, with everything written.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.0.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_that_looks_like_a_formula_is_written_as_text_and_read_back() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("=HYPERLINK(\"http://x\",\"x\")", "'=HYPERLINK(\"http://x\",\"x\")"),
            ("+86 13800000000", "'+86 13800000000"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            // A quote that reading would drop is itself kept by one more.
            ("'=1+1", "''=1+1"),
            ("''", "'''"),
            // Anything else is written as it is.
            ("'abc", "'abc"),
            ("'", "'"),
            ("王小骑", "王小骑"),
            ("a=b", "a=b"),
            ("2024-03-01", "2024-03-01"),
            ("", ""),
        ] {
            assert_eq!(csv_safe(cell), written, "{cell:?}");
            assert_eq!(csv_plain(written), cell, "{written:?}");
        }
        // A spreadsheet's own text prefix, typed by hand, is dropped too.
        assert_eq!(csv_plain("'-5"), "-5");
        assert_eq!(csv_plain("'5"), "'5");
    }

    proptest::proptest! {
        #[test]
        fn csv_plain_undoes_csv_safe(cell in "['=+\\-@\t\r a王]{0,6}", any in proptest::prelude::any::<String>()) {
            for c in [cell, any] {
                let written = csv_safe(&c);
                proptest::prop_assert!(!written.starts_with(FORMULA_START));
                proptest::prop_assert_eq!(csv_plain(&written), c.as_str());
            }
        }
    }

    #[test]
    fn every_csv_writer_escapes_its_cells() {
        let header = vec!["姓名 name".to_owned(), "备注 note".to_owned()];
        let rows = vec![vec!["=1+1".to_owned(), "@x".to_owned()], vec!["-2".to_owned(), "王".to_owned()]];
        let table = String::from_utf8(table_csv(&header, &rows).unwrap()).unwrap();
        assert_eq!(table, "\u{feff}姓名 name,备注 note\n'=1+1,'@x\n'-2,王\n");
        let streamed = String::from_utf8(csv_rows(&rows).unwrap()).unwrap();
        assert_eq!(streamed, "'=1+1,'@x\n'-2,王\n");
        let mut out = CsvOut::new(Vec::new(), &header).unwrap();
        out.row(&rows[0]).unwrap();
        assert!(String::from_utf8(out.into_inner().unwrap()).unwrap().ends_with("\n'=1+1,'@x\n"));
    }

    #[test]
    fn an_xlsx_cell_that_looks_like_a_formula_is_text() {
        use calamine::{Data, Reader};
        let header = vec!["姓名 name".to_owned()];
        let rows: Vec<Vec<String>> =
            ["=1+1", "+1", "-1", "@SUM(A1)"].iter().map(|c| vec![(*c).to_owned()]).collect();
        let bytes = table_xlsx("花名册", &header, &rows).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let cells = book.worksheet_range("花名册").unwrap();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(cells.get((i + 1, 0)), Some(&Data::String(row[0].clone())));
        }
        assert!(book.worksheet_formula("花名册").unwrap().is_empty(), "no formula anywhere");
    }
}

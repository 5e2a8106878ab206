//! Spreadsheets pioneer writes: the screening report (xlsx), laid out for organisers to
//! file and filter in Excel.

use pioneer_domain::engine::Severity;
use pioneer_domain::screening::ScreenReport;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The screening report as an xlsx file: one row per rule, with links to its first cases
/// (`case_url` is prefixed to each dossier id).
pub fn screening_xlsx(report: &ScreenReport, case_url: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("排查结果")?;
    sheet.write_string_with_format(0, 0, "档案数 Dossiers", &bold)?;
    sheet.write_number(0, 1, report.dossiers as f64)?;
    sheet.write_string_with_format(1, 0, "有违规的档案 With violations", &bold)?;
    sheet.write_number(1, 1, report.with_violations as f64)?;
    sheet.write_string_with_format(2, 0, "仅有提醒的档案 Warnings only", &bold)?;
    sheet.write_number(2, 1, report.with_warnings_only as f64)?;
    let head = [
        "规则 Rule",
        "审计项 Audit",
        "确定性 Status",
        "性质 Severity",
        "问题",
        "Finding",
        "依据 Citation",
        "档案数 Count",
        "档案 Cases",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(4, c as u16, *h, &bold)?;
    }
    for (i, g) in report.groups.iter().enumerate() {
        let r = 5 + i as u32;
        sheet.write_string(r, 0, g.check.rule)?;
        sheet.write_string(r, 1, g.check.audit)?;
        sheet.write_string(r, 2, format!("{:?}", g.check.status()))?;
        sheet.write_string(
            r,
            3,
            if g.check.severity == Severity::Violation { "违规 violation" } else { "提醒 warning" },
        )?;
        sheet.write_string(r, 4, g.check.zh)?;
        sheet.write_string(r, 5, g.check.en)?;
        sheet.write_string(r, 6, g.check.rule().citation)?;
        sheet.write_number(r, 7, g.count as f64)?;
        let links: Vec<String> = g.cases.iter().map(|id| format!("{case_url}{id}")).collect();
        sheet.write_string(r, 8, links.join(" "))?;
    }
    sheet.set_column_width(4, 40)?;
    sheet.set_column_width(5, 40)?;
    sheet.set_column_width(6, 30)?;
    sheet.set_column_width(8, 60)?;
    book.save_to_buffer()
}

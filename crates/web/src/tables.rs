//! Reading uploaded tables (CSV in UTF-8 with or without BOM, or GBK; xlsx) into rows of
//! text, a CSV cell without the quote `sheets::csv_safe` put before a formula-like start,
//! with limits checked before parsing: file size, the zip's decompressed size and entry
//! count (zip bombs), rows and columns. A hostile file gets an error, never a panic or an
//! unbounded allocation (cells are streamed, never laid out as a full grid).

use crate::error::AppError;
use axum::http::StatusCode;
use axum::response::Response;
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read};

/// What a table may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest upload, in bytes.
    pub file_bytes: usize,
    /// Largest sum of an xlsx's decompressed entries, in bytes.
    pub unzipped_bytes: u64,
    /// Most entries in an xlsx.
    pub zip_entries: usize,
    /// Most data rows.
    pub rows: usize,
    /// Most columns.
    pub columns: usize,
    /// The memory ceiling of reading one file, in bytes: the file, what the xlsx reader
    /// loads whole (the shared strings) and every cell held; checked before parsing and
    /// as each cell is added.
    pub memory_bytes: usize,
}

/// The limits of an import upload.
pub const IMPORT_LIMITS: Limits = Limits {
    file_bytes: 20 << 20,
    unzipped_bytes: 200 << 20,
    zip_entries: 2_000,
    rows: 100_000,
    columns: 100,
    memory_bytes: 256 << 20,
};

/// Set on an upload the CSRF check found over [`IMPORT_LIMITS`] (it reads only the start,
/// for the token, and passes an empty body on): the import answers 413 naming the limit.
#[derive(Debug, Clone, Copy)]
pub struct Oversized;

/// A table: the header row and the data rows, each cell as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows (row `i` is line `i + 2` of the file: the header is line 1).
    pub rows: Vec<Vec<String>>,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Over the size limit.
    #[error("file too large")]
    TooLarge,
    /// More rows or columns than allowed.
    #[error("too many rows or columns")]
    TooManyCells,
    /// An xlsx whose contents decompress to more than allowed (a zip bomb).
    #[error("decompresses to too much")]
    ZipBomb,
    /// Neither a readable xlsx nor text.
    #[error("not a spreadsheet")]
    NotASpreadsheet,
    /// No header row.
    #[error("empty")]
    Empty,
    /// Reading it would need more memory than allowed.
    #[error("over the memory ceiling")]
    OverMemory,
}

impl TableError {
    /// The message in Chinese.
    pub fn zh(&self, limits: &Limits) -> String {
        match self {
            TableError::TooLarge => format!("文件超过 {} MB 上限", limits.file_bytes >> 20),
            TableError::TooManyCells => format!("超过 {} 行或 {} 列上限", limits.rows, limits.columns),
            TableError::ZipBomb => "xlsx 解压后过大或文件条目过多，已拒绝".into(),
            TableError::NotASpreadsheet => "不是 xlsx 或 CSV（UTF-8/GBK）表格文件".into(),
            TableError::Empty => "文件没有表头行".into(),
            TableError::OverMemory => {
                format!(
                    "读取这个表格需要超过 {} MB 内存，已拒绝；请拆分成几个文件",
                    limits.memory_bytes >> 20
                )
            }
        }
    }

    /// The message in English.
    pub fn en(&self, limits: &Limits) -> String {
        match self {
            TableError::TooLarge => format!("the file is over the {} MB limit", limits.file_bytes >> 20),
            TableError::TooManyCells => {
                format!("more than {} rows or {} columns", limits.rows, limits.columns)
            }
            TableError::ZipBomb => {
                "the xlsx decompresses to too much or has too many entries: refused".into()
            }
            TableError::NotASpreadsheet => "not an xlsx or CSV (UTF-8/GBK) table".into(),
            TableError::Empty => "the file has no header row".into(),
            TableError::OverMemory => format!(
                "reading this table would need more than {} MB of memory: refused; split it into several files",
                limits.memory_bytes >> 20
            ),
        }
    }
}

impl TableError {
    /// The status an upload refused for it is answered with: 413 for a file over the size
    /// limit, 422 for the rest.
    pub fn status(&self) -> axum::http::StatusCode {
        match self {
            TableError::TooLarge => axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// Reads an uploaded table: xlsx when it is a zip, CSV otherwise.
pub fn read_table(bytes: &[u8], limits: &Limits) -> Result<Table, TableError> {
    if bytes.len() > limits.file_bytes {
        return Err(TableError::TooLarge);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The xlsx reader is third-party code fed hostile input: a panic in it becomes a
        // refusal, never a crashed request.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx(bytes, limits)))
            .unwrap_or(Err(TableError::NotASpreadsheet))
    } else {
        read_csv(bytes, limits)
    }
}

fn decode_text(bytes: &[u8]) -> Result<String, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    let (text, _, errors) = encoding_rs::GB18030.decode(bytes);
    if errors || text.contains('\0') {
        return Err(TableError::NotASpreadsheet);
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table, TableError> {
    let text = decode_text(bytes)?;
    let mut held = Held::new(limits, bytes.len() + text.len())?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| TableError::NotASpreadsheet)?;
        if record.len() > limits.columns || i > limits.rows {
            return Err(TableError::TooManyCells);
        }
        let cells: Vec<String> = record.iter().map(csv_cell).collect();
        held.add(ROW + cells.iter().map(|c| CELL + c.len()).sum::<usize>())?;
        if i == 0 {
            table.header = cells;
        } else if cells.iter().any(|c| !c.is_empty()) {
            table.rows.push(cells);
        }
    }
    if table.header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    Ok(table)
}

/// A CSV cell as text: trimmed, and without the quote our CSV writers put before a cell
/// that looks like a formula (`crate::sheets::csv_safe`), so a roster exported and
/// imported again is unchanged.
fn csv_cell(cell: &str) -> String {
    crate::sheets::csv_plain(cell.trim()).to_owned()
}

/// What a held cell and a held row cost beyond their text.
const CELL: usize = std::mem::size_of::<String>();
const ROW: usize = std::mem::size_of::<Vec<String>>();

/// The bytes a reading holds, against the memory ceiling.
struct Held {
    bytes: usize,
    ceiling: usize,
}

impl Held {
    /// Starts from what is held before parsing; refuses at once when that is over.
    fn new(limits: &Limits, before: usize) -> Result<Self, TableError> {
        let mut held = Self { bytes: 0, ceiling: limits.memory_bytes };
        held.add(before)?;
        Ok(held)
    }

    fn add(&mut self, n: usize) -> Result<(), TableError> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.ceiling { Err(TableError::OverMemory) } else { Ok(()) }
    }
}

/// Checks the zip's directory before any entry is inflated; returns the inflated size of
/// the shared strings (which the xlsx reader loads whole).
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<usize, TableError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableError::NotASpreadsheet)?;
    if zip.len() > limits.zip_entries {
        return Err(TableError::ZipBomb);
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| TableError::NotASpreadsheet)?;
        total = total.saturating_add(entry.size());
    }
    if total > limits.unzipped_bytes {
        return Err(TableError::ZipBomb);
    }
    // The directory may lie about sizes: inflate each entry with a hard cap.
    let (mut left, mut shared) = (limits.unzipped_bytes, 0);
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| TableError::NotASpreadsheet)?;
        let strings = entry.name().is_ok_and(|n| n.eq_ignore_ascii_case("xl/sharedStrings.xml"));
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|_| TableError::NotASpreadsheet)?;
        if read > left {
            return Err(TableError::ZipBomb);
        }
        if strings {
            shared = usize::try_from(read).unwrap_or(usize::MAX);
        }
        left -= read;
    }
    Ok(shared)
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let base = jiff::civil::Date::constant(1899, 12, 30);
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return serial.to_string();
    }
    base.checked_add(jiff::Span::new().days(days as i64))
        .map_or_else(|_| serial.to_string(), |d| d.to_string())
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        DataRef::DateTime(d) => excel_date(d.as_f64()),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, TableError> {
    // The file, and the shared strings as the reader will hold them (text and a string each).
    let shared = check_zip(bytes, limits)?;
    let mut held = Held::new(limits, bytes.len().saturating_add(shared.saturating_mul(2)))?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| TableError::NotASpreadsheet)?;
    let first = book.sheet_names().first().cloned().ok_or(TableError::Empty)?;
    let mut reader = book.worksheet_cells_reader(&first).map_err(|_| TableError::NotASpreadsheet)?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|_| TableError::NotASpreadsheet)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if r > limits.rows || c >= limits.columns {
            return Err(TableError::TooManyCells);
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if grid.len() <= r {
            held.add((r + 1 - grid.len()) * ROW)?;
            grid.resize_with(r + 1, Vec::new);
        }
        let row = &mut grid[r];
        if row.len() <= c {
            held.add((c + 1 - row.len()) * CELL)?;
            row.resize(c + 1, String::new());
        }
        held.add(text.len())?;
        row[c] = text;
    }
    let mut rows = grid.into_iter();
    let header = rows.next().unwrap_or_default();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    Ok(Table { header, rows: rows.filter(|r| r.iter().any(|c| !c.is_empty())).collect() })
}

/// The data records of a streamed CSV file.
pub type Records = Box<dyn Iterator<Item = Result<Vec<String>, TableError>>>;

/// GB18030 text decoded to UTF-8 as it is read.
struct Gb18030<R: Read> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    done: bool,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> Read for Gb18030<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.pos);
                buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                (self.start, self.end, self.eof) = (0, n, n == 0);
            }
            self.out.resize(self.input.len() * 3 + 16, 0);
            let (result, read, written, errors) =
                self.decoder.decode_to_utf8(&self.input[self.start..self.end], &mut self.out, self.eof);
            if errors {
                return Err(std::io::Error::other("neither UTF-8 nor GB18030"));
            }
            self.start += read;
            self.out.truncate(written);
            self.pos = 0;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

/// A CSV file read record by record, for files too large to hold (a roster from the
/// command line): UTF-8 with or without BOM, or GB18030, told apart by the first 64 KiB.
/// Returns the header and the data records (blank ones skipped), each checked against
/// the column limit; a record that cannot be read ends the file with an error.
pub fn csv_records(path: &std::path::Path, limits: &Limits) -> Result<(Vec<String>, Records), TableError> {
    let open = || std::fs::File::open(path).map_err(|_| TableError::NotASpreadsheet);
    let mut head = vec![0u8; 64 * 1024];
    let n = open()?.read(&mut head).map_err(|_| TableError::NotASpreadsheet)?;
    head.truncate(n);
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let utf8 = bom
        || match std::str::from_utf8(&head) {
            Ok(_) => true,
            // A character cut at the end of the sample is still UTF-8.
            Err(e) => e.error_len().is_none(),
        };
    let mut file = std::io::BufReader::with_capacity(256 * 1024, open()?);
    let source: Box<dyn Read> = if utf8 {
        if bom {
            let mut skip = [0u8; 3];
            file.read_exact(&mut skip).map_err(|_| TableError::NotASpreadsheet)?;
        }
        Box::new(file)
    } else {
        Box::new(Gb18030 {
            inner: file,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            eof: false,
            done: false,
            out: Vec::new(),
            pos: 0,
        })
    };
    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(source);
    let columns = limits.columns;
    let mut records = reader.into_records().map(move |r| {
        let r = r.map_err(|_| TableError::NotASpreadsheet)?;
        if r.len() > columns {
            return Err(TableError::TooManyCells);
        }
        Ok(r.iter().map(csv_cell).collect::<Vec<String>>())
    });
    let header = records.next().ok_or(TableError::Empty)??;
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    let rows = records.filter(|r| !matches!(r, Ok(cells) if cells.iter().all(String::is_empty)));
    Ok((header, Box::new(rows)))
}

/// `?org=ID&apply=true` of an API import (dossiers, roster).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The organisation the file belongs to (default: the caller's own).
    pub org: Option<String>,
    /// Write it; without it, a dry run.
    #[serde(default)]
    pub apply: bool,
}

/// The table an API import sent as its body, or the problem+json answer that refuses the file
/// (too large, not a spreadsheet), naming the limit.
pub fn body_table(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Result<Table, Response>, AppError> {
    use axum::response::IntoResponse;
    let bytes = match body {
        Ok(b) => Ok(b.to_vec()),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(TableError::TooLarge),
        Err(e) => return Err(AppError::BadBody { status: StatusCode::BAD_REQUEST, detail: e.body_text() }),
    };
    Ok(bytes.and_then(|f| read_table(&f, &IMPORT_LIMITS)).map_err(|e| {
        let body = serde_json::json!({"type": "about:blank", "title": e.en(&IMPORT_LIMITS),
            "title_zh": e.zh(&IMPORT_LIMITS), "status": e.status().as_u16()});
        (e.status(), [(axum::http::header::CONTENT_TYPE, "application/problem+json")], body.to_string())
            .into_response()
    }))
}

/// An API import's 422: the problems by line, column and reason in both languages, the first
/// `imports::LISTED` of them, with the total.
pub fn problems_response(problems: &[pioneer_domain::development::dossier_import::Problem]) -> Response {
    use axum::response::IntoResponse;
    let list: Vec<serde_json::Value> = problems
        .iter()
        .take(crate::imports::LISTED)
        .map(|p| {
            let (zh, en) = p.reason.words();
            serde_json::json!({"line": p.line, "column": p.column, "reason_zh": zh, "reason_en": en})
        })
        .collect();
    let body = serde_json::json!({"type": "about:blank", "title": "The file has problems; nothing was imported",
        "status": 422, "total": problems.len(), "listed": list.len(), "problems": list});
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let t = read_table("\u{feff}a,b\n1,张三\n\n".as_bytes(), &IMPORT_LIMITS).unwrap();
        assert_eq!(
            (t.header.clone(), t.rows.clone()),
            (vec!["a".to_owned(), "b".into()], vec![vec!["1".to_owned(), "张三".into()]])
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("甲,乙\n1,李四\n");
        let t = read_table(&gbk, &IMPORT_LIMITS).unwrap();
        assert_eq!(t.rows[0][1], "李四");
    }

    #[test]
    fn a_csv_cell_escaped_by_our_writers_reads_back_as_it_was() {
        let header: Vec<String> = ["a", "b", "c", "d", "e"].map(str::to_owned).to_vec();
        let rows = vec![["=1+1", "'=x", "'abc", "-5", "@王"].map(str::to_owned).to_vec()];
        let bytes = crate::sheets::table_csv(&header, &rows).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains("'=1+1,''=x,'abc,'-5,'@王"));
        let t = read_table(&bytes, &IMPORT_LIMITS).unwrap();
        assert_eq!((t.header, t.rows.clone()), (header.clone(), rows.clone()));
        // And read as it goes, as the command line does.
        let path = std::env::temp_dir().join(format!("pioneer-tables-{}.csv", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let (head, records) = csv_records(&path, &IMPORT_LIMITS).unwrap();
        let read: Vec<Vec<String>> = records.map(Result::unwrap).collect();
        std::fs::remove_file(&path).unwrap();
        assert_eq!((head, read), (header, rows));
    }

    #[test]
    fn hostile_files_are_refused() {
        let small = Limits { file_bytes: 10, ..IMPORT_LIMITS };
        assert_eq!(read_table(b"a,b,c,d,e,f,g", &small), Err(TableError::TooLarge));
        assert_eq!(read_table(b"PK\x03\x04garbage", &IMPORT_LIMITS), Err(TableError::NotASpreadsheet));
        assert_eq!(
            read_table(&[0xff, 0xfe, 0x00, 0x41, 0x00], &IMPORT_LIMITS),
            Err(TableError::NotASpreadsheet)
        );
        let wide = "x,".repeat(120);
        assert_eq!(read_table(wide.as_bytes(), &IMPORT_LIMITS), Err(TableError::TooManyCells));
        assert_eq!(read_table(b"", &IMPORT_LIMITS), Err(TableError::Empty));
    }

    #[test]
    fn a_zip_bomb_is_refused_before_parsing() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let zeros = vec![b' '; 1 << 20];
            for _ in 0..8 {
                z.write_all(&zeros).unwrap();
            }
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 100_000, "8 MB of spaces compress well");
        let tight = Limits { unzipped_bytes: 1 << 20, ..IMPORT_LIMITS };
        assert_eq!(read_table(&bytes, &tight), Err(TableError::ZipBomb));
    }

    #[test]
    fn a_sheet_that_would_need_too_much_memory_is_refused() {
        // Small on disk, wide in memory: one number at the far column of every row.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..5_000u32 {
            sheet.write_number(r, 99, f64::from(r)).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let ceiling = Limits { memory_bytes: bytes.len() + (2 << 20), ..IMPORT_LIMITS };
        assert_eq!(read_table(&bytes, &ceiling), Err(TableError::OverMemory));
        assert_eq!(read_table(&bytes, &IMPORT_LIMITS).map(|t| t.rows.len()), Ok(4_999));
        // Refused before parsing when the file alone is over.
        let tiny = Limits { memory_bytes: 1_000, ..IMPORT_LIMITS };
        assert_eq!(read_table(&sample_xlsx(), &tiny), Err(TableError::OverMemory));
        assert_eq!(read_table("a,b\n1,2\n".repeat(100).as_bytes(), &tiny), Err(TableError::OverMemory));
    }

    fn sample_xlsx() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..5u32 {
            for c in 0..4u16 {
                sheet.write_string(r, c, format!("格{r}{c}")).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        #[test]
        fn no_upload_makes_the_reader_panic(
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000),
            at in 0usize..4000,
            flips in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..16),
        ) {
            let _ = read_table(&noise, &IMPORT_LIMITS);
            let mut zipped = b"PK\x03\x04".to_vec();
            zipped.extend(&noise);
            let _ = read_table(&zipped, &IMPORT_LIMITS);
            // A real xlsx with bytes overwritten somewhere.
            let mut x = sample_xlsx();
            let start = at % x.len();
            for (i, b) in flips.iter().enumerate() {
                if let Some(slot) = x.get_mut(start + i) {
                    *slot = *b;
                }
            }
            let _ = read_table(&x, &IMPORT_LIMITS);
        }
    }

    #[test]
    fn an_xlsx_written_by_us_reads_back() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "身份证号").unwrap();
        sheet.write_string(0, 1, "日期").unwrap();
        sheet.write_string(1, 0, "440305199603030011").unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_datetime_with_format(1, 1, &date, &fmt).unwrap();
        sheet.write_number(2, 1, 45352.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let t = read_table(&bytes, &IMPORT_LIMITS).unwrap();
        assert_eq!(t.header, vec!["身份证号", "日期"]);
        assert_eq!(t.rows[0], vec!["440305199603030011", "2024-03-01"]);
        assert_eq!(t.rows[1][1], "45352");
    }
}

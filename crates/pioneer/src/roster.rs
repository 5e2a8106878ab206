//! `pioneer export roster` and `pioneer import roster`: the roster of an organisation
//! subtree written as xlsx or CSV, and a roster file read back — every row checked (every
//! problem printed by line, column and reason), matched by ID number, shown as a dry run
//! or applied all or nothing — with a progress bar on the terminal.

use crate::error::CliError;
use pioneer_domain::people::roster;
use pioneer_store::orgs::OrgRecord;
use pioneer_store::{Act, Store};
use pioneer_web::tables::{Limits, read_table};
use std::path::Path;

/// What a file from the command line may hold (bigger than an upload).
pub const CLI_LIMITS: Limits = Limits {
    file_bytes: 512 << 20,
    unzipped_bytes: 4 << 30,
    zip_entries: 10_000,
    rows: 2_000_000,
    columns: 100,
    memory_bytes: 2 << 30,
};

/// The organisation named (id or exact name), or the first deployment's top one.
pub async fn org_named(store: &Store, org: Option<&str>) -> Result<OrgRecord, CliError> {
    let all = store.orgs(None).await?;
    let found = match org {
        Some(o) => all.into_iter().find(|r| r.id.to_string() == o || r.fields.name == o),
        None => all.into_iter().find(|r| r.depth == 0),
    };
    found.ok_or_else(|| CliError::Config(format!("no organisation {}", org.unwrap_or("at the top"))))
}

/// Writes the roster of the subtree of `org` to `output`: CSV (when it ends in `.csv`)
/// row by row as the pages are read, or xlsx (built in memory).
pub async fn export(store: &Store, org: Option<&str>, output: &Path, act: &Act) -> Result<(), CliError> {
    let org = org_named(store, org).await?;
    let csv = output.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    // Each organisation as the shortest form that names it alone, so the file reads back.
    let names = store.org_names(org.tenant_id).await?;
    let n = if csv {
        let file = std::io::BufWriter::new(crate::files::create_private(output)?);
        let mut out = pioneer_web::sheets::CsvOut::new(file, &roster::header())?;
        let mut failed = None;
        let total = store.subtree_people(&org.path).await?;
        let mut phase = crate::progress::Phase::start("exporting the roster", Some(total));
        let mut written = 0u64;
        let n = store
            .roster_pages(&org.path, act, |page| {
                written += page.len() as u64;
                phase.set(written);
                for p in page {
                    if let Err(e) = out.row(&roster::cells(&p.fields, names.label_of(p.fields.org_id))) {
                        failed.get_or_insert(e.to_string());
                    }
                }
                Ok(())
            })
            .await?;
        if let Some(e) = failed {
            return Err(CliError::Config(e));
        }
        out.finish()?;
        phase.finish();
        n
    } else {
        // A sheet holds 1,048,576 rows, the header among them.
        let most = 1_048_575;
        let people =
            crate::progress::waiting("reading the roster", store.roster(&org.path, most, act)).await?;
        let people = people.ok_or_else(|| {
            CliError::Config(format!(
                "more than {most} people do not fit in one xlsx sheet: export a .csv instead"
            ))
        })?;
        let rows: Vec<Vec<String>> =
            people.iter().map(|p| roster::row(&p.fields, &names.label(p.fields.org_id))).collect();
        let bytes = crate::progress::waiting("writing the xlsx workbook", async {
            pioneer_web::sheets::table_xlsx("花名册", &roster::header(), &rows)
        })
        .await
        .map_err(|e| CliError::Config(e.to_string()))?;
        crate::files::write_private(output, bytes)?;
        rows.len() as u64
    };
    println!("wrote {n} people of {} to {}", org.fields.name, output.display());
    Ok(())
}

/// Reads, checks, matches and (unless `dry_run`) applies a roster file.
pub async fn import(
    store: &Store,
    file: &Path,
    org: Option<&str>,
    dry_run: bool,
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(), CliError> {
    let top = org_named(store, org).await?;
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        return import_csv(store, file, &top, dry_run, today, act).await;
    }
    let table = crate::progress::waiting(&format!("reading {}", file.display()), async {
        let bytes = std::fs::read(file)?;
        read_table(&bytes, &CLI_LIMITS).map_err(|e| CliError::Config(e.zh(&CLI_LIMITS)))
    })
    .await?;
    eprintln!("{} rows", table.rows.len());
    let names = store.org_names(top.tenant_id).await?;
    let (people, problems) = roster::read(&table.header, &table.rows, &names, today);
    drop(table);
    if !problems.is_empty() {
        return Err(report(&problems, problems.len()));
    }
    let total = people.len();
    let mut rows = people.into_iter().map(|(_, p)| p).peekable();
    let chunks = std::iter::from_fn(move || {
        rows.peek()?;
        Some(Ok(rows.by_ref().take(CHUNK).collect()))
    });
    write(store, top.tenant_id, chunks, total, dry_run, std::time::Instant::now(), act).await
}

/// Writes checked rows in one transaction (rolled back for a dry run), with progress.
async fn write(
    store: &Store,
    tenant: uuid::Uuid,
    chunks: impl Iterator<Item = Result<Vec<pioneer_domain::people::PersonFields>, pioneer_store::StoreError>>,
    total: usize,
    dry_run: bool,
    started: std::time::Instant,
    act: &Act,
) -> Result<(), CliError> {
    let mut phase = crate::progress::Phase::start(
        if dry_run { "checking and matching (dry run)" } else { "checking, matching and writing" },
        Some(total as u64),
    );
    let counts = store
        .import_roster_chunks(tenant, chunks, total as u64, !dry_run, act, |done| phase.set(done))
        .await?;
    phase.finish();
    eprintln!("import took {:.1} s", started.elapsed().as_secs_f64());
    println!("new {} · changed {} · unchanged {}", counts.created, counts.updated, counts.unchanged);
    if dry_run {
        println!("dry run: nothing was written");
    } else {
        if counts.indexes_rebuilt > 0 {
            println!("{} people indexes were built again after the load", counts.indexes_rebuilt);
        }
        println!("imported: {} added, {} changed, in one transaction", counts.created, counts.updated);
    }
    Ok(())
}

/// Rows per chunk of a streamed CSV import.
const CHUNK: usize = 5_000;

/// What the single pass over a CSV roster found.
#[derive(Default)]
struct Checked {
    problems: Vec<pioneer_domain::development::dossier_import::Problem>,
    count: usize,
    unreadable: Option<pioneer_web::tables::TableError>,
}

/// A chunk of checked rows on its way from the reading thread to the database; an error
/// ends the import with nothing written.
type Chunk = Result<Vec<pioneer_domain::people::PersonFields>, pioneer_store::StoreError>;

/// A CSV roster read once as it goes, never held whole: one thread reads and checks the
/// rows while the database matches and writes the chunk before, in one transaction. After a
/// problem nothing more is written, the rest of the file is still checked so every problem
/// is reported, and the transaction is rolled back: nothing is imported.
async fn import_csv(
    store: &Store,
    file: &Path,
    top: &OrgRecord,
    dry_run: bool,
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(), CliError> {
    let names = store.org_names(top.tenant_id).await?;
    let bad = |e: pioneer_web::tables::TableError| CliError::Config(e.zh(&CLI_LIMITS));
    let started = std::time::Instant::now();
    let lines = crate::progress::waiting("counting the file's rows", async { count_lines(file) }).await?;
    // Two chunks in flight at most: the memory stays that of a few chunks.
    let (send, receive) = std::sync::mpsc::sync_channel::<Chunk>(1);
    let path = file.to_owned();
    let reading = std::thread::spawn(move || check_rows(&path, &names, today, &send));
    // The receiving end waits on the reader thread; the database work runs on its own thread.
    let chunks = receive.into_iter();
    let written = write(store, top.tenant_id, chunks, lines, dry_run, started, act).await;
    let checked = reading.join().map_err(|_| CliError::Config("the reading thread failed".into()))?;
    if let Some(e) = checked.unreadable {
        eprintln!();
        return Err(bad(e));
    }
    if checked.count > 0 {
        eprintln!();
        return Err(report(&checked.problems, checked.count));
    }
    written
}

/// Reads and checks the header and every row of a CSV roster, sending chunks of good rows
/// while none has failed; after a problem it checks on, sends nothing more and ends with an
/// error chunk (a bad header or an unreadable file ends it at once).
fn check_rows(
    path: &Path,
    names: &pioneer_domain::people::roster::OrgNames,
    today: jiff::civil::Date,
    send: &std::sync::mpsc::SyncSender<Chunk>,
) -> Checked {
    let mut checked = Checked::default();
    let stop = |why| Err(pioneer_store::StoreError::Corrupt(why));
    let (header, records) = match pioneer_web::tables::csv_records(path, &CLI_LIMITS) {
        Ok(r) => r,
        Err(e) => {
            checked.unreadable = Some(e);
            let _ = send.send(stop("the file does not read"));
            return checked;
        }
    };
    let mut reader = match roster::Reader::new(&header, names, today) {
        Ok(r) => r,
        Err(problems) => {
            (checked.count, checked.problems) = (problems.len(), problems);
            let _ = send.send(stop("the header has problems"));
            return checked;
        }
    };
    let mut records = records.peekable();
    while records.peek().is_some() {
        let mut chunk = Vec::with_capacity(CHUNK);
        for r in records.by_ref().take(CHUNK) {
            match r {
                Ok(cells) => chunk.push(cells),
                Err(e) => {
                    checked.unreadable = Some(e);
                    let _ = send.send(stop("the file does not read"));
                    return checked;
                }
            }
        }
        let (ok, p) = reader.rows(&chunk);
        checked.count += p.len();
        checked.problems.extend(p.into_iter().take(200usize.saturating_sub(checked.problems.len())));
        // The database has stopped (its own error): nothing more to send, nothing to check.
        if checked.count == 0 && send.send(Ok(ok.into_iter().map(|(_, f)| f).collect())).is_err() {
            return checked;
        }
    }
    if checked.count > 0 {
        let _ = send.send(stop("the file has problems"));
    }
    checked
}

/// The lines of a file after its header (rows of a CSV, for the progress bar; a cell
/// holding a line break makes it a little high).
fn count_lines(file: &Path) -> Result<usize, CliError> {
    use std::io::Read;
    let mut f = std::fs::File::open(file)?;
    let (mut buf, mut n) = (vec![0u8; 1 << 20], 0usize);
    loop {
        let got = f.read(&mut buf)?;
        if got == 0 {
            return Ok(n.saturating_sub(1).max(1));
        }
        n += buf[..got].iter().filter(|b| **b == b'\n').count();
    }
}

/// Prints the problems found (the first 200) and the refusal.
fn report(problems: &[pioneer_domain::development::dossier_import::Problem], count: usize) -> CliError {
    for p in problems.iter().take(200) {
        eprintln!("line {}, {}: {}", p.line, p.column, p.reason.zh());
    }
    if count > problems.len().min(200) {
        eprintln!("… and {} more", count - problems.len().min(200));
    }
    CliError::Config(format!("{count} problems; nothing was imported"))
}

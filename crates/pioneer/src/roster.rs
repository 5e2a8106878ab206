//! `pioneer export roster` and `pioneer import roster`: the roster of an organisation
//! subtree written as xlsx or CSV, and a roster file read back — checked whole first
//! (every problem printed by line, column and reason), matched by ID number, shown as a
//! dry run or applied all or nothing — with its progress on the terminal.

use crate::cli::CliError;
use pioneer_domain::roster;
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
    let n = if csv {
        let file = std::io::BufWriter::new(std::fs::File::create(output)?);
        let mut out = pioneer_web::sheets::CsvOut::new(file, &roster::header())?;
        let mut failed = None;
        let n = store
            .roster_pages(&org.path, act, |page| {
                for p in page {
                    if let Err(e) = out.row(&roster::row(&p.fields, &p.org_name)) {
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
        n
    } else {
        let people = store.roster(&org.path, act).await?;
        let rows: Vec<Vec<String>> = people.iter().map(|p| roster::row(&p.fields, &p.org_name)).collect();
        let bytes = pioneer_web::sheets::table_xlsx("花名册", &roster::header(), &rows)
            .map_err(|e| CliError::Config(e.to_string()))?;
        std::fs::write(output, bytes)?;
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
    eprint!("reading {} …", file.display());
    let bytes = std::fs::read(file)?;
    let table = read_table(&bytes, &CLI_LIMITS).map_err(|e| CliError::Config(e.zh(&CLI_LIMITS)))?;
    drop(bytes);
    eprintln!(" {} rows", table.rows.len());
    let names = store.org_names(top.tenant_id).await?;
    let (people, problems) = roster::read(&table.header, &table.rows, &names, today);
    if !problems.is_empty() {
        for p in problems.iter().take(200) {
            eprintln!("line {}, {}: {}", p.line, p.column, p.reason.zh());
        }
        if problems.len() > 200 {
            eprintln!("… and {} more", problems.len() - 200);
        }
        return Err(CliError::Config(format!("{} problems; nothing was imported", problems.len())));
    }
    let total = people.len();
    let plan = store
        .plan_roster(top.tenant_id, people.into_iter().map(|(_, p)| p).collect(), |done| {
            eprint!("\rmatching by ID number: {done}/{total} ({}%)", done * 100 / total.max(1));
        })
        .await?;
    eprintln!("\rmatching by ID number: {total}/{total} (100%)");
    println!("new {} · changed {} · unchanged {}", plan.create.len(), plan.update.len(), plan.unchanged);
    if dry_run {
        println!("dry run: nothing was written");
        return Ok(());
    }
    let (created, updated) = store.apply_roster(top.tenant_id, &plan, act).await?;
    println!("imported: {created} added, {updated} changed, in one transaction");
    Ok(())
}

//! The branch-housekeeping commands: `pioneer dues` runs a month's dues of a subtree
//! (amounts, arrears, AUD-31) and prints the totals with the time taken; `pioneer staff`
//! reconciles an employer's staff list (xlsx or CSV) with the registry, a dry run unless
//! `--apply`, and prints what it found with the time taken.

use crate::error::CliError;
use pioneer_domain::dues::{Month, yuan};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::{Act, Store};
use std::path::Path;
use std::time::Instant;

/// The organisation an id or exact name names.
async fn org(store: &Store, name: &str) -> Result<OrgRecord, CliError> {
    let orgs = store.orgs(None).await?;
    orgs.into_iter()
        .find(|r| r.id.to_string() == name || r.fields.name == name)
        .ok_or_else(|| CliError::Config(format!("no organisation {name}")))
}

/// `pioneer dues --org X [--month YYYY-MM]`.
pub async fn dues(
    store: &Store,
    name: &str,
    month: Option<&str>,
    today: jiff::civil::Date,
) -> Result<(), CliError> {
    let org = org(store, name).await?;
    let month = match month {
        Some(m) => Month::parse("month", m)
            .map_err(|_| CliError::Config(format!("--month {m}: expected YYYY-MM")))?,
        None => Month::of(today),
    };
    let started = Instant::now();
    let (lines, t) = store.dues_run(org.tenant_id, &org.path, month, 10).await?;
    let took = started.elapsed().as_secs_f64();
    println!("{} · {month}", org.fields.name);
    println!("members            {}", t.members);
    println!("without a profile  {}", t.without_profile);
    println!("due this month     {} yuan", yuan(t.due_fen));
    println!("paid this month    {} yuan ({} in full)", yuan(t.paid_fen), t.paid_in_full);
    println!("arrears            {} yuan", yuan(t.owed_fen));
    println!("AUD-31 flagged     {}", t.flagged);
    for l in lines.iter().filter(|l| !l.standing.findings.is_empty()).take(10) {
        println!(
            "  {} · {} months unpaid in a row, {} late back payments",
            l.name, l.standing.longest_run, l.standing.late_back_payments
        );
    }
    println!("dues run: {took:.2} s");
    Ok(())
}

/// `pioneer staff --org X --file F [--apply]`.
pub async fn staff(
    store: &Store,
    name: &str,
    file: &Path,
    apply: bool,
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(), CliError> {
    use sha2::Digest;
    let org = org(store, name).await?;
    let started = Instant::now();
    let bytes = std::fs::read(file)?;
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let table = pioneer_web::tables::read_table(&bytes, &pioneer_web::tables::IMPORT_LIMITS)
        .map_err(|e| CliError::Config(e.en(&pioneer_web::tables::IMPORT_LIMITS)))?;
    let rows = pioneer_domain::people::staff_list::read(&table.header, &table.rows).map_err(|problems| {
        let first: Vec<String> = problems
            .iter()
            .take(10)
            .map(|p| format!("line {} · {} · {}", p.line, p.column, p.reason.en()))
            .collect();
        CliError::Config(format!("{} problems, nothing imported:\n{}", problems.len(), first.join("\n")))
    })?;
    let read = started.elapsed().as_secs_f64();
    let keep = store.staff_keep_days(&org).await?;
    let how = pioneer_store::people::staff_list::StaffImport {
        sha: &sha,
        keep_until: today.checked_add(jiff::Span::new().days(keep)).unwrap_or(today),
        apply,
        today,
    };
    let outcome = store.import_staff_list(&org, &rows, &how, act).await?;
    println!("{} · {} rows ({})", org.fields.name, outcome.rows, if apply { "applied" } else { "dry run" });
    if outcome.unchanged {
        println!("the same file as the list on record: nothing changed");
    }
    for (kind, n) in &outcome.found {
        println!("  {kind:22} {n}");
    }
    if outcome.applied {
        println!("to-dos opened {}, closed {}", outcome.opened, outcome.closed);
    }
    println!("staff list: read {read:.2} s, reconciled in {:.2} s", started.elapsed().as_secs_f64() - read);
    Ok(())
}

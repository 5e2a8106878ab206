//! Fuzzes the roster import's parser: any bytes as an uploaded file (CSV in any encoding,
//! xlsx, zip bombs, garbage) go through the table reader with the upload limits, and any
//! table it accepts through the roster reader. Nothing may panic, hang or allocate without
//! bound. Run with `bench/fuzz.sh` (cargo-fuzz, libFuzzer).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = pioneer_web::tables::IMPORT_LIMITS;
    if let Ok(table) = pioneer_web::tables::read_table(data, &limits) {
        let orgs = pioneer_domain::people::roster::OrgNames::new([(uuid::Uuid::nil(), None, "骑手支部".to_owned(), true)]);
        let today = jiff::civil::date(2026, 11, 29);
        let _ = pioneer_domain::people::roster::read(&table.header, &table.rows, &orgs, today);
    }
});

//! Command-line arguments and what each command does. Every option can also come from a
//! `PIONEER_*` environment variable.

pub use crate::error::CliError;
use clap::{Parser, Subcommand};
use jiff::civil::Date;
use pioneer_demo::accounts::{DEMO_ACCOUNTS, DEMO_APPLICANT, DEMO_PASSWORD, DEMO_RIDER, DEMO_RIDER_BRANCH};
use pioneer_domain::accounts::access::Role;
use pioneer_domain::accounts::password::PasswordPolicy;
use pioneer_domain::development::engine::Severity;
use pioneer_domain::development::screening::ScreenFilter;
use pioneer_store::accounts::NewUser;
use pioneer_store::journal::Head;
use pioneer_store::{Act, KeyRing, Store, StoreError};
use pioneer_web::auth::setup;
use pioneer_web::clock::{Clock, SystemClock};
use pioneer_web::{AppState, router};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// pioneer (先锋): the working platform of a party-building working committee.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// Database: `sqlite:PATH` or `postgres://…`. Default: an SQLite file in the data directory.
    #[arg(long, global = true, env = "PIONEER_DATABASE_URL")]
    database: Option<String>,
    /// A read replica (a streaming standby of the PostgreSQL database, `postgres://…`): the
    /// statistics, screening and roster exports read from it; every write, and every other
    /// read, stays on the database.
    #[arg(long, global = true, env = "PIONEER_DATABASE_REPLICA")]
    database_replica: Option<String>,
    /// Directory for the embedded database and the data key.
    #[arg(long, global = true, env = "PIONEER_DATA_DIR", default_value = "pioneer-data")]
    data_dir: PathBuf,
    /// File with the keys that encrypt ID and phone numbers (created on first start).
    /// Default: `pioneer.key` in the data directory.
    #[arg(long, global = true, env = "PIONEER_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Password policy profile: mlps3 (default) or asvs5.
    #[arg(long, global = true, env = "PIONEER_PASSWORD_POLICY", default_value = "mlps3")]
    password_policy: String,
    /// Log level: error, warn, info, debug or trace.
    #[arg(long, global = true, env = "PIONEER_LOG", default_value = "info")]
    log: String,
    /// Folder of the journal's signed checkpoints (kept outside the database; best on
    /// another disk or copied away). Default: `checkpoints` in the data directory.
    #[arg(long, global = true, env = "PIONEER_CHECKPOINT_DIR")]
    checkpoint_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the web application.
    Serve {
        /// Address to listen on (loopback only until accounts and login exist).
        #[arg(long, env = "PIONEER_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Loads the demo deployment first (a second load adds nothing).
        #[arg(long)]
        demo: bool,
        /// Marks the session cookie Secure (when served behind TLS).
        #[arg(long, env = "PIONEER_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Failed sign-ins one address may make per 15 minutes (signing in never counts).
        #[arg(long, env = "PIONEER_LOGIN_ATTEMPTS", default_value_t = 20)]
        login_attempts: usize,
        /// Take the client's address from X-Forwarded-For (only behind a proxy that sets it).
        #[arg(long, env = "PIONEER_TRUST_PROXY")]
        trust_proxy: bool,
        /// Seconds between signed checkpoints of the journal (written when it moved, and
        /// at shutdown).
        #[arg(long, env = "PIONEER_CHECKPOINT_EVERY", default_value_t = 300)]
        checkpoint_every: u64,
        /// Where messages to volunteers are posted as JSON (`http://host:port/path`, an SMS or
        /// WeChat gateway); without it they are shown in the app only.
        #[arg(long, env = "PIONEER_MESSAGE_ENDPOINT")]
        message_endpoint: Option<String>,
        /// Seconds between rounds of the message sender.
        #[arg(long, env = "PIONEER_MESSAGE_EVERY", default_value_t = 30)]
        message_every: u64,
        /// The address citizens reach this deployment at (`https://host`), printed in badge
        /// QR codes and the portal's feed; without it, the request's host.
        #[arg(long, env = "PIONEER_PUBLIC_URL")]
        public_url: Option<String>,
        /// Reads of the public pages (portal, map, directory, verification) one address may
        /// make per minute (0: no limit).
        #[arg(long, env = "PIONEER_PUBLIC_RATE", default_value_t = 300)]
        public_rate: u32,
        /// The online payment provider for party dues (`http://host:port/path`; see
        /// docs/DUES.md); without it dues are recorded as cash or transfer only.
        #[arg(long, env = "PIONEER_DUES_PROVIDER")]
        dues_provider: Option<String>,
    },
    /// Reconciles every business row with the journal (the digest of the last state it
    /// wrote) and checks the invariants (balances and ledgers, stock and redemptions,
    /// dossiers and their events, statuses), after verifying the journal; lists every
    /// difference by table and id (exit status 2 when any).
    Check {
        /// The checkpoints' public key as printed at set-up (default: the key file's).
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
    },
    /// Manages accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Loads the demo deployment into the database.
    Demo,
    /// Writes a consistent backup of the database to FILE while it runs (SQLite: VACUUM
    /// INTO; PostgreSQL: pg_dump). The data key is not included: back it up too.
    Backup {
        /// A new file.
        file: PathBuf,
    },
    /// Replaces the whole database with a backup, all or nothing (needs the same data key).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Confirms that every table is replaced.
        #[arg(long)]
        yes: bool,
    },
    /// Manages the data keys that seal ID and phone numbers.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Checks or shows the tamper-evident journal.
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
    /// Screens every member-development dossier in scope against the rules and groups the
    /// findings by rule, with counts and the first cases of each (name, branch, stage).
    Screen {
        /// The organisation (its id or exact name); omit for every dossier.
        #[arg(long)]
        org: Option<String>,
        /// Output: a table, JSON, or the rows (one per case and finding, as the page's
        /// download) as an xlsx or CSV file.
        #[arg(long, default_value = "table", value_parser = ["table", "json", "xlsx", "csv"])]
        format: String,
        /// Where the xlsx or CSV goes (default screening.xlsx or screening.csv).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Judge as of this day (YYYY-MM-DD; default today). `--today` is the old name.
        #[arg(long = "as-of", alias = "today")]
        as_of: Option<String>,
        /// Only findings of this rule id (DEV-003) or check code (talk_missing).
        #[arg(long)]
        rule: Option<String>,
        /// Only `violation` or `warning` findings.
        #[arg(long, value_parser = ["violation", "warning"])]
        severity: Option<String>,
        /// Also read the same rows without judging them and print both times (benchmarks).
        #[arg(long)]
        compare_scan: bool,
    },
    /// Runs a month's party dues of a subtree: every member's amount by the rules, what was
    /// paid, arrears and the AUD-31 findings; prints the totals and the time taken.
    Dues {
        /// The organisation (its id or exact name).
        #[arg(long)]
        org: String,
        /// The month (YYYY-MM; default this month).
        #[arg(long)]
        month: Option<String>,
    },
    /// Reconciles an employer's staff list (xlsx or CSV, UTF-8 or GBK, the template's
    /// columns) with the registry of an organisation's subtree: a dry run unless `--apply`.
    Staff {
        /// The enterprise's organisation (its id or exact name).
        #[arg(long)]
        org: String,
        /// The HR export.
        #[arg(long)]
        file: PathBuf,
        /// Keep the list and open the to-dos.
        #[arg(long)]
        apply: bool,
    },
    /// Writes data out: `pioneer export roster`.
    Export {
        /// What to export.
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Reads data in: `pioneer import roster FILE`.
    Import {
        /// What to import.
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Generates synthetic organisations, people and dossiers for benchmarks.
    Generate {
        /// How many people.
        #[arg(long, default_value_t = 0)]
        people: u64,
        /// How many member-development dossiers (for people who have none; realistic
        /// histories, 10% with one planted fault).
        #[arg(long, default_value_t = 0)]
        dossiers: u64,
        /// Random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also writes API search paths for the benchmarks (by ID number, phone, surname,
        /// subtree and filters) to this file, one per line, grouped by kind.
        #[arg(long)]
        sample_urls: Option<PathBuf>,
        /// Also makes this many riders for the weekly-quiz benchmark (full members with an
        /// account, a signed-in session and a started attempt at a quiz published now).
        #[arg(long, default_value_t = 0)]
        quiz_riders: usize,
        /// Where the quiz riders go, one per line: session cookie, CSRF token, quiz,
        /// attempt, question ids (comma-separated), tab-separated.
        #[arg(long, default_value = "quiz-riders.tsv")]
        quiz_file: PathBuf,
        /// Also makes this many volunteer shifts for the sign-up benchmark (one campaign
        /// request at the top organisation, all tomorrow at the same hours).
        #[arg(long, default_value_t = 0)]
        service_shifts: usize,
        /// Places per benchmark shift.
        #[arg(long, default_value_t = 15)]
        service_capacity: usize,
        /// Where the benchmark shifts' ids go, one per line.
        #[arg(long, default_value = "service-shifts.txt")]
        service_file: PathBuf,
        /// Also makes this many places on the service map (for the map benchmark).
        #[arg(long, default_value_t = 0)]
        city_places: usize,
        /// Also makes this many phone-directory entries (for the directory benchmark).
        #[arg(long, default_value_t = 0)]
        directory_entries: usize,
        /// Also makes party dues of every member for this many months up to this one (a
        /// profile each and a payment for each closed month; some stop paying).
        #[arg(long, default_value_t = 0)]
        dues_months: i32,
        /// Also writes an employer's staff list of this many people of the top organisation
        /// (CSV in the template's columns, one in a hundred left, one in a hundred new hires).
        #[arg(long, default_value_t = 0)]
        staff_rows: usize,
        /// Where the staff list goes.
        #[arg(long, default_value = "staff-list.csv")]
        staff_file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// The roster (花名册) of an organisation subtree: xlsx, or CSV when the file ends in
    /// `.csv`. It carries full ID numbers; the export is journaled.
    Roster {
        /// The organisation (id or exact name; default: the top organisation).
        #[arg(long)]
        org: Option<String>,
        /// Where to write.
        #[arg(long, default_value = "roster.xlsx")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// A roster file (xlsx or CSV in UTF-8 or GBK, the columns of the template): every row
    /// checked, people matched by ID number, applied all or nothing (one wrong row: nothing).
    Roster {
        /// The file.
        file: PathBuf,
        /// Check and show what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The deployment's top organisation (id or exact name; default: the first).
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Creates an account with a role on an organisation and prints its one-time password.
    Add {
        /// Login name (3–40 letters, digits, `.`, `_`, `-`).
        #[arg(long)]
        username: String,
        /// Role: system_admin, security_admin, org_admin, organiser, secretary, member, applicant, auditor.
        #[arg(long)]
        role: String,
        /// The organisation (its id or exact name); omit for the whole deployment (the
        /// system, security and audit administrators must omit it).
        #[arg(long)]
        org: Option<String>,
        /// Name shown in the interface (default: the login name).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Adds a new data key to the key file and re-seals every stored number under it,
    /// while the server runs (it re-reads the key file when it meets the new key).
    Rotate,
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Recomputes every hash chain and names the first broken entry (exit status 2).
    Verify {
        /// Head lines printed earlier by `pioneer journal head` (TENANT SEQ HASH), kept
        /// elsewhere: a cut or rewritten tail is then caught too. Repeatable.
        #[arg(long = "expect", value_name = "TENANT:SEQ:HASH")]
        expect: Vec<String>,
        /// The checkpoints' public key as printed at set-up (default: the key file's own;
        /// pass the one you kept, so a replaced key file is caught too).
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
    },
    /// Prints the head of every chain (tenant, entries, hash) to keep elsewhere.
    Head,
    /// Signs every chain's head now and appends it to the checkpoint log.
    Checkpoint,
    /// Prints the public key that checkpoints are signed with (keep it apart).
    PublicKey,
}

impl Args {
    /// The tracing level.
    pub fn log_level(&self) -> tracing::Level {
        self.log.parse().unwrap_or(tracing::Level::INFO)
    }

    fn database_url(&self) -> Result<String, CliError> {
        match &self.database {
            Some(url) => Ok(url.clone()),
            None => {
                crate::files::private_dir(&self.data_dir)?;
                Ok(format!("sqlite:{}", self.data_dir.join("pioneer.sqlite3").display()))
            }
        }
    }

    /// The SQLite file of the database, when it is one.
    fn sqlite_file(&self) -> Option<PathBuf> {
        match &self.database {
            None => Some(self.data_dir.join("pioneer.sqlite3")),
            Some(url) => url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p))),
        }
    }

    fn checkpoint_dir(&self) -> PathBuf {
        self.checkpoint_dir.clone().unwrap_or_else(|| self.data_dir.join("checkpoints"))
    }

    fn key_file(&self) -> PathBuf {
        self.key_file.clone().unwrap_or_else(|| self.data_dir.join("pioneer.key"))
    }

    /// Opens the database with its key file. A new deployment gets a new key file (its
    /// fingerprint printed); a database that holds a deployment and has lost its key file is
    /// refused, never given a new one. A key file others may read is refused.
    async fn open(&self) -> Result<Store, CliError> {
        let key_file = self.key_file();
        let url = self.database_url()?;
        if let Some(parent) = key_file.parent() {
            crate::files::private_dir(parent)?;
        }
        let (mut keys, new) = match KeyRing::load(&key_file)? {
            Some(keys) => (keys, false),
            None => (KeyRing::create(&key_file)?, true),
        };
        // A key file from before the journal's keys gains them once (and the journal
        // written until then is sealed under them, below).
        let upgraded = keys.lacks_journal_keys();
        if upgraded {
            keys.add_journal_keys();
            keys.save(&key_file)?;
        }
        let fingerprint = keys.fingerprint();
        let store = match Store::open(&url, keys).await {
            Ok(store) => store,
            Err(StoreError::WrongKeys) if new => {
                let _ = std::fs::remove_file(&key_file);
                return Err(CliError::Config(format!(
                    "the key file {} is missing, and the database already holds a deployment sealed under its keys: \
                     restore the key file from your backup (pioneer makes a new key only for a new deployment)",
                    key_file.display()
                )));
            }
            Err(e) => return Err(e.into()),
        };
        let mut store = store.with_checkpoints(&self.checkpoint_dir());
        if let Some(replica) = &self.database_replica {
            store = store.with_replica(replica).await?;
        }
        let public_key = store.vault().journal_public_key().unwrap_or_default();
        if upgraded {
            let sealed = store.seal_unauthenticated_journal().await?;
            let act = Act::new("cli", "pioneer (journal keys added)", SystemClock.now());
            let rows = store.baseline_rows(&act).await?;
            eprintln!(
                "the key file {} gained the journal's keys: {sealed} earlier journal entries sealed under them and \
                 {rows} rows' digests journaled; checkpoints are signed with public key {public_key}: keep it apart \
                 (the auditor's copy)",
                key_file.display()
            );
        }
        if new {
            tracing::info!(path = %key_file.display(), fingerprint = %fingerprint, "a new deployment: generated its key file; back it up apart from the database");
            eprintln!(
                "new key file {} (fingerprint {fingerprint}): back it up apart from the database",
                key_file.display()
            );
            eprintln!(
                "the journal's checkpoints are signed with public key {public_key}: keep a copy apart (the auditor's), \
                 and pass it to `pioneer journal verify --public-key`"
            );
        }
        if let Some(db) = self.sqlite_file() {
            crate::files::tighten_sqlite(&db)?;
        }
        Ok(store)
    }
}

/// Runs the chosen command.
pub async fn run(args: Args) -> Result<(), CliError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match &args.command {
        Command::Serve {
            listen,
            demo,
            secure_cookies,
            login_attempts,
            trust_proxy,
            checkpoint_every,
            message_endpoint,
            message_every,
            public_url,
            public_rate,
            dues_provider,
        } => {
            let messages = match message_endpoint {
                Some(url) => {
                    Some(pioneer_web::service::outbox::Endpoint::parse(url).map_err(CliError::Config)?)
                }
                None => None,
            };
            let options = ServeOptions {
                secure_cookies: *secure_cookies,
                login_attempts: *login_attempts,
                trust_proxy: *trust_proxy,
                checkpoint_every: *checkpoint_every,
                messages: messages.map(|e| (e, *message_every)),
                public_url: public_url.clone(),
                public_rate: *public_rate,
                dues_provider: match dues_provider {
                    Some(url) => {
                        Some(pioneer_web::service::outbox::Endpoint::parse(url).map_err(CliError::Config)?)
                    }
                    None => None,
                },
            };
            serve(&args, *listen, *demo, options, clock).await
        }
        Command::User { command: UserCommand::Add { username, role, org, name } } => {
            let store = args.open().await?;
            let role =
                Role::from_code(role).ok_or_else(|| CliError::Config(format!("unknown role {role}")))?;
            if role.is_separated_administrator() && org.is_some() {
                return Err(CliError::Config(format!(
                    "{} is granted on the whole deployment: omit --org (三员分立)",
                    role.code()
                )));
            }
            let org_id = match org {
                None => None,
                Some(o) => {
                    let orgs = store.orgs(None).await?;
                    let found = orgs.iter().find(|r| r.id.to_string() == *o || r.fields.name == *o);
                    Some(found.ok_or_else(|| CliError::Config(format!("no organisation {o}")))?.id)
                }
            };
            let one_time = pioneer_web::auth::password::one_time_password();
            let hash = pioneer_web::auth::password::hash(one_time.clone()).await;
            let new = NewUser {
                username,
                display_name: name.as_deref().unwrap_or(username),
                password_hash: &hash,
                must_change_password: true,
                grants: &[(role, org_id)],
                person_id: None,
            };
            store.create_user(&new, &Act::new("cli", "pioneer user add", clock.now())).await?;
            println!(
                "account {username} created as {}; one-time password (change it at first login): {one_time}",
                role.code()
            );
            Ok(())
        }
        Command::Demo => {
            let store = args.open().await?;
            let act = Act::new("cli", "pioneer demo", clock.now());
            let loaded = load_demo(&store, clock.today(), &act).await?;
            println!(
                "demo loaded: {} organisations, {} people and {} dossiers added",
                loaded.orgs, loaded.people, loaded.dossiers
            );
            Ok(())
        }
        Command::Journal { command } => journal(&args, command).await,
        Command::Check { public_key } => check(&args, public_key.as_deref()).await,
        Command::Export { command: ExportCommand::Roster { org, output } } => {
            let store = args.open().await?;
            let act = Act::new("cli", "pioneer export roster", clock.now());
            crate::roster::export(&store, org.as_deref(), output, &act).await
        }
        Command::Import { command: ImportCommand::Roster { file, dry_run, org } } => {
            let store = args.open().await?;
            let act = Act::new("cli", "pioneer import roster", clock.now());
            crate::roster::import(&store, file, org.as_deref(), *dry_run, clock.today(), &act).await
        }
        Command::Keys { command: KeysCommand::Rotate } => {
            let path = args.key_file();
            if !path.exists() {
                return Err(CliError::Config(format!(
                    "no key file at {}: nothing to rotate",
                    path.display()
                )));
            }
            let mut ring = KeyRing::load(&path)?
                .ok_or_else(|| CliError::Config(format!("no key file at {}", path.display())))?;
            let version = ring.rotate();
            ring.save(&path)?;
            let ring = KeyRing::load(&path)?
                .ok_or_else(|| CliError::Config(format!("no key file at {}", path.display())))?;
            let store = Store::open(&args.database_url()?, ring).await?;
            let n = store.reseal_all(&Act::new("cli", "pioneer keys rotate", clock.now())).await?;
            println!("data key {version} is now current; {n} people re-sealed under it");
            Ok(())
        }
        Command::Backup { file } => {
            let store = args.open().await?;
            let m = crate::progress::waiting(
                &format!("writing the backup {}", file.display()),
                store.backup(&args.database_url()?, file, clock.now().as_millisecond()),
            )
            .await?;
            crate::files::tighten(file)?;
            println!(
                "backup written to {} with its signed manifest {} ({} bytes, SHA-256 {}); keep the data key file with it",
                file.display(),
                pioneer_store::manifest::manifest_path(file).display(),
                m.bytes,
                m.sha256
            );
            Ok(())
        }
        Command::Restore { file, yes } => {
            let store = args.open().await?;
            // Everything is verified before anything is replaced, and the cost is said first.
            let plan = crate::progress::waiting("verifying the backup", store.plan_restore(file)).await?;
            let made = jiff::Timestamp::from_millisecond(plan.manifest.made_at)
                .map(|t| t.to_string())
                .unwrap_or_default();
            println!(
                "backup {} verified: manifest signed by this deployment, key check, SHA-256 and size match{}; made {made}",
                file.display(),
                if plan.manifest.backend == "sqlite" { ", SQLite integrity_check ok" } else { "" }
            );
            println!(
                "restoring it replaces every table and DISCARDS {} journal entries written since the backup (and every change they record)",
                plan.discarded
            );
            if !yes {
                return Err(CliError::Config(
                    "restore replaces every table of the database: run again with --yes to confirm".into(),
                ));
            }
            let act = Act::new("cli", "pioneer restore", clock.now());
            let plan =
                crate::progress::waiting("restoring", store.restore(&args.database_url()?, file, &act))
                    .await?;
            let v = store.verify_journal(&[]).await?;
            println!(
                "restored from {}; {} journal entries discarded; the restore is journaled; journal: {} entries, {}",
                file.display(),
                plan.discarded,
                v.entries,
                v.broken.map_or("no break".to_owned(), |b| b.to_string())
            );
            Ok(())
        }
        Command::Dues { org, month } => {
            let store = args.open().await?;
            crate::housekeeping::dues(&store, org, month.as_deref(), clock.today()).await
        }
        Command::Staff { org, file, apply } => {
            let store = args.open().await?;
            let act = Act::new("cli", "pioneer staff", clock.now());
            crate::housekeeping::staff(&store, org, file, *apply, clock.today(), &act).await
        }
        Command::Screen { org, format, output, as_of, rule, severity, compare_scan } => {
            let store = args.open().await?;
            let path = match org {
                None => "/".to_owned(),
                Some(o) => {
                    let orgs = store.orgs(None).await?;
                    let found = orgs.iter().find(|r| r.id.to_string() == *o || r.fields.name == *o);
                    found.ok_or_else(|| CliError::Config(format!("no organisation {o}")))?.path.clone()
                }
            };
            let today = match as_of {
                Some(t) => {
                    t.parse().map_err(|_| CliError::Config(format!("--as-of {t}: expected YYYY-MM-DD")))?
                }
                None => clock.today(),
            };
            let filter =
                ScreenFilter::parse(rule.as_deref().unwrap_or(""), severity.as_deref().unwrap_or(""))
                    .map_err(|e| CliError::Config(format!("--{}: {}", e.field, e.reason.en())))?;
            screen(&store, &path, today, filter, format, output.as_deref(), *compare_scan).await
        }
        Command::Generate {
            people,
            dossiers,
            seed,
            sample_urls,
            quiz_riders,
            quiz_file,
            service_shifts,
            city_places,
            directory_entries,
            service_capacity,
            service_file,
            dues_months,
            staff_rows,
            staff_file,
        } => {
            let store = args.open().await?;
            let started = Instant::now();
            let mut phase = crate::progress::Phase::start("generating people", Some(*people));
            let loaded = pioneer_demo::generate(
                &store,
                *people,
                *seed,
                clock.today(),
                &Act::new("cli", "pioneer generate", clock.now()),
                |done| phase.set(done),
            )
            .await?;
            phase.finish();
            println!(
                "generated {} organisations and {} people in {:.1} s",
                loaded.orgs,
                loaded.people,
                started.elapsed().as_secs_f64()
            );
            if let Some(path) = sample_urls {
                let lines = sample_urls_for(&store, *people, *seed).await?;
                crate::files::write_private(path, lines.join("\n") + "\n")?;
                println!("wrote {} benchmark paths to {}", lines.len(), path.display());
            }
            if *dossiers > 0 {
                let started = Instant::now();
                let mut phase = crate::progress::Phase::start("generating dossiers", Some(*dossiers));
                let made = pioneer_demo::generate_dossiers(
                    &store,
                    *dossiers,
                    *seed,
                    10,
                    clock.today(),
                    &Act::new("cli", "pioneer generate", clock.now()),
                    |done| phase.set(done),
                )
                .await?;
                phase.finish();
                let planted: u64 = made.planted.values().sum();
                println!(
                    "generated {} dossiers ({} events, {planted} planted faults) in {:.1} s",
                    made.dossiers,
                    made.events,
                    started.elapsed().as_secs_f64()
                );
                for (code, n) in &made.planted {
                    println!("  planted {code:28} {n}");
                }
            }
            if *quiz_riders > 0 {
                quiz_riders_file(
                    &store,
                    *quiz_riders,
                    quiz_file,
                    &Act::new("cli", "pioneer generate", clock.now()),
                )
                .await?;
            }
            if *service_shifts > 0 {
                let act = Act::new("cli", "pioneer generate", clock.now());
                let tomorrow = clock.today().tomorrow().map_err(|e| CliError::Config(e.to_string()))?;
                let shifts = pioneer_demo::service::generate_bench_shifts(
                    &store,
                    *service_shifts,
                    *service_capacity,
                    tomorrow,
                    &act,
                )
                .await?;
                let lines: Vec<String> = shifts.iter().map(ToString::to_string).collect();
                crate::files::write_private(service_file, lines.join("\n") + "\n")?;
                println!(
                    "made {} shifts of {} places; wrote {}",
                    shifts.len(),
                    service_capacity,
                    service_file.display()
                );
            }
            if *city_places > 0 || *directory_entries > 0 {
                let act = Act::new("cli", "pioneer generate", clock.now());
                let (places, entries, code) = pioneer_demo::city::generate_bench_city(
                    &store,
                    *city_places,
                    *directory_entries,
                    clock.today(),
                    &act,
                )
                .await?;
                println!("made {places} map places and {entries} directory entries");
                if let Some(code) = code {
                    println!("verification code: {code}");
                }
            }
            if *dues_months > 0 {
                let act = Act::new("cli", "pioneer generate", clock.now());
                let started = Instant::now();
                let mut phase = crate::progress::Phase::start("generating dues (members)", None);
                let (members, payments) = pioneer_demo::housekeeping::generate_bench_dues(
                    &store,
                    *dues_months,
                    clock.today(),
                    &act,
                    |n| phase.set(n),
                )
                .await?;
                phase.finish();
                println!(
                    "generated dues of {members} members ({payments} payments) in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if *staff_rows > 0 {
                let root = store.orgs(Some(0)).await?.into_iter().next().ok_or(StoreError::NotFound)?;
                let csv =
                    pioneer_demo::housekeeping::bench_staff_csv(&store, &root.path, *staff_rows).await?;
                crate::files::write_private(staff_file, csv)?;
                println!(
                    "wrote a staff list of {staff_rows} people of {} to {}",
                    root.fields.name,
                    staff_file.display()
                );
            }
            Ok(())
        }
    }
}

/// Makes the weekly-quiz benchmark's riders and writes their sessions and attempts.
async fn quiz_riders_file(store: &Store, n: usize, file: &Path, act: &Act) -> Result<(), CliError> {
    use pioneer_web::auth::{password, session::hash_token};
    let started = Instant::now();
    let tokens: Vec<(String, String)> = (0..n).map(|_| (password::token(32), password::token(16))).collect();
    let sessions: Vec<(String, String)> = tokens.iter().map(|(t, c)| (hash_token(t), c.clone())).collect();
    let hash = password::hash(password::token(16)).await;
    let bench = crate::progress::waiting(
        &format!("making {n} quiz riders"),
        pioneer_demo::quiz_riders::generate_quiz_riders(store, &sessions, &hash, act),
    )
    .await?;
    let lines: Vec<String> = bench
        .riders
        .iter()
        .zip(&tokens)
        .map(|(r, (token, csrf))| {
            let qs: Vec<String> = r.questions.iter().map(u32::to_string).collect();
            format!("{token}\t{csrf}\t{}\t{}\t{}", bench.quiz, r.attempt, qs.join(","))
        })
        .collect();
    crate::files::write_private(file, lines.join("\n") + "\n")?;
    println!(
        "made {} quiz riders in {:.1} s; wrote {}",
        bench.riders.len(),
        started.elapsed().as_secs_f64(),
        file.display()
    );
    Ok(())
}

async fn screen(
    store: &Store,
    path: &str,
    today: Date,
    filter: ScreenFilter,
    format: &str,
    output: Option<&Path>,
    compare_scan: bool,
) -> Result<(), CliError> {
    use pioneer_web::development::screening::{DOWNLOAD_KEEP, download_header, download_rows};
    let started = Instant::now();
    let keep = if matches!(format, "xlsx" | "csv") { DOWNLOAD_KEEP } else { 20 };
    // No total beforehand: counting a million dossiers reads their whole index, a third of
    // a cold screening's time. The line shows how many are done and how fast.
    let (counted, done) = store.counting();
    let report = crate::progress::counting(
        "screening the dossiers",
        None,
        &done,
        counted.screen(path, today, keep, filter),
    )
    .await?;
    let took = started.elapsed().as_secs_f64();
    let ids: Vec<_> = report.groups.iter().flat_map(|g| g.cases.iter().map(|c| c.id)).collect();
    let cases = store.screened_cases(&ids).await?;
    match format {
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| CliError::Config(e.to_string()))?
        ),
        "xlsx" | "csv" => {
            // The same rows as the page's download, in Chinese (the deployment's language).
            let t = pioneer_web::i18n::Tr::new(pioneer_web::i18n::Lang::Zh);
            let (header, rows) = (download_header(&t), download_rows(&report, &cases, today, &t));
            let (default, bytes) = if format == "csv" {
                ("screening.csv", pioneer_web::sheets::table_csv(&header, &rows)?)
            } else {
                let bytes = pioneer_web::sheets::table_xlsx("排查结果", &header, &rows)
                    .map_err(|e| CliError::Config(format!("xlsx: {e}")))?;
                ("screening.xlsx", bytes)
            };
            let file = output.unwrap_or(Path::new(default));
            crate::files::write_private(file, bytes)?;
            println!("wrote {} ({} rules, {} rows)", file.display(), report.groups.len(), rows.len());
        }
        _ => {
            println!(
                "{} dossiers screened as of {today}: {} with violations, {} with warnings only",
                report.dossiers, report.with_violations, report.with_warnings_only
            );
            println!("{:<10} {:<7} {:<10} {:>9}  finding", "rule", "audit", "severity", "dossiers");
            for g in &report.groups {
                let sev = if g.check.severity == Severity::Violation { "violation" } else { "warning" };
                println!(
                    "{:<10} {:<7} {:<10} {:>9}  {}",
                    g.check.rule, g.check.audit, sev, g.count, g.check.zh
                );
                for c in g.cases.iter().take(3) {
                    let (name, branch) =
                        cases.get(&c.id).map_or(("", ""), |n| (n.person_name.as_str(), n.org_name.as_str()));
                    println!("{:40}{name} · {branch} · {} · /dossiers/{}", "", c.stage.zh(), c.id);
                }
            }
        }
    }
    eprintln!("screening took {took:.2} s");
    if compare_scan {
        let started = Instant::now();
        let (rows, bytes) =
            store.raw_scan_dossiers(path, pioneer_store::development::screening::SCREEN_BATCH).await?;
        let scan = started.elapsed().as_secs_f64();
        eprintln!(
            "raw scan of the same rows: {rows} rows, {:.0} MB in {scan:.2} s; screening / scan = {:.2}",
            bytes as f64 / 1e6,
            took / scan.max(1e-9)
        );
    }
    Ok(())
}

async fn journal(args: &Args, command: &JournalCommand) -> Result<(), CliError> {
    let store = args.open().await?;
    match command {
        JournalCommand::Head => {
            for h in store.journal_heads().await? {
                println!("{}:{}:{}", h.tenant_id, h.seq, h.hash);
            }
            Ok(())
        }
        JournalCommand::Checkpoint => {
            let cp = store.write_checkpoint(SystemClock.now().as_millisecond(), false).await?;
            let log = store.checkpoint_log().map(|l| l.path().display().to_string()).unwrap_or_default();
            let chains = cp.map_or(0, |c| c.heads.len());
            println!("checkpoint of {chains} chain(s) signed and appended to {log}");
            Ok(())
        }
        JournalCommand::PublicKey => {
            println!("{}", store.vault().journal_public_key().unwrap_or_default());
            Ok(())
        }
        JournalCommand::Verify { expect, public_key } => {
            let mut expected = Vec::new();
            for e in expect {
                let mut parts = e.splitn(3, ':');
                let parsed = (|| {
                    let tenant_id = uuid::Uuid::try_parse(parts.next()?).ok()?;
                    let seq = parts.next()?.parse().ok()?;
                    let hash = parts.next()?.to_owned();
                    Some(Head { tenant_id, seq, hash })
                })();
                expected.push(parsed.ok_or_else(|| {
                    CliError::Config(format!(
                        "--expect {e}: want TENANT:SEQ:HASH as printed by `pioneer journal head`"
                    ))
                })?);
            }
            let audit = verify_with_progress(&store, public_key.as_deref()).await?;
            let mut v = audit.verification;
            if v.broken.is_none() && !expected.is_empty() {
                v = store.verify_journal(&expected).await?;
            }
            match v.broken {
                None => {
                    println!("journal verified: {} entries in {} chain(s), no break", v.entries, v.chains);
                    println!("{}", checkpoint_line(&audit.latest_at, audit.checkpoints));
                    Ok(())
                }
                Some(b) => {
                    println!("JOURNAL BROKEN: {b} ({} entries verified before it)", v.entries);
                    Err(CliError::Broken)
                }
            }
        }
    }
}

/// The journal verified against the checkpoints, with its entries counted as they are.
async fn verify_with_progress(
    store: &Store,
    public_key: Option<&str>,
) -> Result<pioneer_store::checkpoint::Audit, CliError> {
    let total: i64 = store.journal_heads().await?.iter().map(|h| h.seq).sum();
    let (counted, done) = store.counting();
    let audit = crate::progress::counting(
        "verifying the journal",
        u64::try_from(total).ok(),
        &done,
        counted.audit_journal(public_key),
    )
    .await?;
    Ok(audit)
}

/// `pioneer check`: the journal verified, then every row and invariant; differences listed.
async fn check(args: &Args, public_key: Option<&str>) -> Result<(), CliError> {
    let store = args.open().await?;
    let started = Instant::now();
    let audit = verify_with_progress(&store, public_key).await?;
    let v = &audit.verification;
    match &v.broken {
        None => println!("journal verified: {} entries in {} chain(s), no break", v.entries, v.chains),
        Some(b) => println!("JOURNAL BROKEN: {b} ({} entries verified before it)", v.entries),
    }
    println!("{}", checkpoint_line(&audit.latest_at, audit.checkpoints));
    let (counted, rows) = store.counting();
    let report =
        crate::progress::counting("checking every row and invariant (rows)", None, &rows, counted.check())
            .await?;
    for d in &report.differences {
        println!("DIFFERENCE {} {}: {}", d.table, d.id, d.what);
    }
    if report.found as usize > report.differences.len() {
        println!("… and {} more", report.found as usize - report.differences.len());
    }
    println!(
        "checked {} rows and {} dossiers in {:.1} s: {} difference(s)",
        report.rows,
        report.dossiers,
        started.elapsed().as_secs_f64(),
        report.found
    );
    if report.clean() && v.broken.is_none() { Ok(()) } else { Err(CliError::Broken) }
}

/// What the checkpoints vouch for, in one line.
fn checkpoint_line(latest_at: &Option<i64>, n: usize) -> String {
    match latest_at.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()) {
        Some(at) => format!(
            "checked against the latest of {n} signed checkpoint(s), of {at}: entries written after it are protected by their \
             authentication codes only (a cut tail after it would not be seen)"
        ),
        None => "NO CHECKPOINT YET: entries cut from the end of a chain would not be seen; run `pioneer journal checkpoint` \
                 (the server writes them periodically)"
            .to_owned(),
    }
}

/// How the web server treats its network.
struct ServeOptions {
    secure_cookies: bool,
    login_attempts: usize,
    trust_proxy: bool,
    checkpoint_every: u64,
    /// The message sender's endpoint and seconds between rounds.
    messages: Option<(pioneer_web::service::outbox::Endpoint, u64)>,
    /// The address citizens reach the deployment at.
    public_url: Option<String>,
    /// Public reads per address per minute.
    public_rate: u32,
    dues_provider: Option<pioneer_web::service::outbox::Endpoint>,
}

async fn serve(
    args: &Args,
    listen: SocketAddr,
    demo: bool,
    options: ServeOptions,
    clock: Arc<dyn Clock>,
) -> Result<(), CliError> {
    let ServeOptions {
        secure_cookies,
        login_attempts,
        trust_proxy,
        checkpoint_every,
        messages,
        public_url,
        public_rate,
        dues_provider,
    } = options;
    // Passwords and session cookies must not cross a network in clear: beyond loopback,
    // pioneer serves only behind TLS (a reverse proxy), which --secure-cookies declares.
    if !listen.ip().is_loopback() && !secure_cookies {
        return Err(CliError::Config(format!(
            "refusing to listen on {listen} without TLS: serve on a loopback address (e.g. 127.0.0.1:8080) behind a \
             TLS reverse proxy, or pass --secure-cookies to declare that one terminates TLS in front of this address"
        )));
    }
    let started = Instant::now();
    let store = args.open().await?;
    if demo {
        let act = Act::new("cli", "pioneer serve --demo", clock.now());
        let loaded = load_demo(&store, clock.today(), &act).await?;
        tracing::info!(
            orgs = loaded.orgs,
            people = loaded.people,
            dossiers = loaded.dossiers,
            "demo deployment loaded (演示数据)"
        );
    }
    let first_admin =
        setup::ensure_first_admin(&store, &Act::new("system", "first start", clock.now())).await?;
    let policy = PasswordPolicy::from_code(&args.password_policy).ok_or_else(|| {
        CliError::Config(format!("unknown password policy {} (mlps3 or asvs5)", args.password_policy))
    })?;
    // The second factor is waived only for a database holding the demo deployment.
    let is_demo = store.is_demo().await?;
    let state = AppState::new(store.clone(), clock.clone())
        .with_policy(policy)
        .with_secure_cookies(secure_cookies)
        .with_demo(is_demo)
        .with_second_factor_waived(is_demo)
        .with_login_attempts(login_attempts)
        .with_trusted_proxy(trust_proxy)
        .with_public_reads(public_rate)
        .with_public_url(public_url)
        .with_dues_provider(dues_provider);
    // The statistics snapshots are read now, in the background, not by the first request.
    store.warm_stats(clock.now().as_millisecond());
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = ?store.db().backend(), ms = started.elapsed().as_millis() as u64, "ready");
    println!("pioneer is running at http://{addr}/  (Ctrl-C stops it)");
    if demo {
        println!("demo data loaded: open http://{addr}/ in a browser and sign in with one of these accounts");
        println!(
            "(demo only: all share the password {}; the second factor is waived in the demo)",
            DEMO_PASSWORD
        );
        for a in DEMO_ACCOUNTS {
            println!(
                "  {:<18} {:<10} {}",
                a.username,
                a.role.zh(),
                a.org_name.unwrap_or("全部 / everywhere")
            );
        }
        println!("  {:<18} {:<10} {}（本人 / himself）", DEMO_RIDER, Role::Member.zh(), DEMO_RIDER_BRANCH);
        println!(
            "  {:<18} {:<10} {}（本人，未入党 / self, not a member）",
            DEMO_APPLICANT,
            Role::Applicant.zh(),
            DEMO_RIDER_BRANCH
        );
    }
    if let Some(pw) = first_admin {
        println!("first start: account `admin` created with the one-time password {pw}");
        println!("(it is shown only now; you will choose a new password at first sign-in)");
        println!(
            "administrators are separated (三员分立): `admin` creates accounts; set up who grants roles \
             and who reads the journal with `pioneer user add --username NAME --role security_admin` and \
             `--role auditor`"
        );
    }
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // The signal handlers are in place before the first request is answered: a SIGTERM sent
    // as soon as /readyz says 200 stops the server gracefully, not by the default action.
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    #[cfg(not(unix))]
    let term = None;
    let checkpoints = tokio::spawn(checkpoint_periodically(store.clone(), checkpoint_every, clock.clone()));
    let sender = messages.map(|(to, every)| {
        let every = std::time::Duration::from_secs(every.max(1));
        tokio::spawn(pioneer_web::service::outbox::run(store.clone(), clock.clone(), to, every))
    });
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal(term)).await?;
    checkpoints.abort();
    if let Some(s) = sender {
        s.abort();
    }
    if let Err(e) = store.write_checkpoint(clock.now().as_millisecond(), true).await {
        tracing::error!(error = %e, "could not write the journal's checkpoint at shutdown");
    }
    store.db().close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Signs the journal's heads every `seconds` while they move (a failure is logged; the
/// next round tries again).
async fn checkpoint_periodically(store: Store, seconds: u64, clock: Arc<dyn Clock>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(seconds.max(1)));
    loop {
        every.tick().await;
        match store.write_checkpoint(clock.now().as_millisecond(), true).await {
            Ok(Some(cp)) => tracing::info!(chains = cp.heads.len(), "journal checkpoint signed"),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "could not write the journal's checkpoint"),
        }
    }
}

#[cfg(unix)]
type TermSignal = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type TermSignal = Option<()>;

async fn shutdown_signal(term: TermSignal) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match term {
            Some(mut s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = {
        let _ = term;
        std::future::pending::<()>()
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// `kind<TAB>path` lines of people searches over generated data, for `bench/`.
async fn sample_urls_for(store: &Store, people: u64, seed: u64) -> Result<Vec<String>, CliError> {
    use pioneer_demo::deployment::{fixed_uuid, generated_orgs};
    use pioneer_web::forms::encode;
    let mut out = Vec::new();
    let picks = 200u64.min(people);
    for k in 0..picks {
        let i = k * (people / picks.max(1));
        let p = store.person(fixed_uuid(4, (seed << 40) ^ i)).await?;
        out.push(format!("id\t/api/v1/people?q={}", p.fields.id_card.as_str()));
        if let Some(phone) = &p.fields.phone {
            out.push(format!("phone\t/api/v1/people?q={}", phone.as_str()));
        }
        let surname: String = p.fields.name.chars().take(1).collect();
        out.push(format!("name\t/api/v1/people?q={}", encode(&surname)));
        out.push(format!("name_filtered\t/api/v1/people?q={}&status=full_member", encode(&p.fields.name)));
    }
    let orgs = generated_orgs(people, seed);
    for o in orgs.iter().filter(|o| o.fields.kind == pioneer_domain::orgs::OrgKind::Committee).take(50) {
        out.push(format!("subtree\t/api/v1/people?org={}&status=full_member", o.id));
        out.push(format!("subtree\t/api/v1/people?org={}&age_band=30_and_under&college=yes", o.id));
    }
    let root = orgs[0].id;
    for status in ["applicant", "activist", "development_target", "probationary_member", "full_member"] {
        out.push(format!("filters\t/api/v1/people?org={root}&status={status}&mobile=yes"));
        out.push(format!("filters\t/api/v1/people?status={status}&age_band=31_35&worker_category=rider"));
    }
    for page in 1..=20 {
        out.push(format!("list\t/api/v1/people?page={page}"));
    }
    Ok(out)
}

/// Loads the demo deployment and its accounts (each with the demo password); a second load
/// adds nothing.
async fn load_demo(store: &Store, today: Date, act: &Act) -> Result<pioneer_demo::Loaded, CliError> {
    let loaded = pioneer_demo::load_demo(store, today, act).await?;
    let hash = pioneer_web::auth::password::hash(DEMO_PASSWORD.to_owned()).await;
    pioneer_demo::accounts::ensure_demo_accounts(store, &hash, act).await?;
    Ok(loaded)
}

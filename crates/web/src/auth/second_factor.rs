//! Pages of the second factor: enrolment (QR code, confirm with a code, recovery codes
//! shown once) and the code asked after the password.

use super::handlers::{Peer, sign_in_completed, sign_in_failed};
use super::{CurrentUser, Who, totp};
use crate::AppState;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::{Reason, ValidationErrors};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "totp_enrol.html")]
struct EnrolPage {
    c: Chrome,
    qr: String,
    secret: String,
    errors: FormErrors,
    confirmed: bool,
    recovery: Vec<String>,
}

/// `GET /account/totp`: the QR code to scan (a new secret until confirmed).
pub async fn enrol_form(
    State(s): State<AppState>,
    c: Chrome,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let record = s.store.user(user.id).await?;
    if record.totp_confirmed {
        let page = EnrolPage {
            c,
            qr: String::new(),
            secret: String::new(),
            errors: FormErrors::default(),
            confirmed: true,
            recovery: vec![],
        };
        return Ok(html(page.render()?));
    }
    let secret = match s.store.totp_secret(&record)? {
        Some(secret) => secret,
        None => {
            let fresh = hex::decode(super::password::token(20)).unwrap_or_default();
            s.store.set_totp_secret(user.id, &fresh).await?;
            fresh
        }
    };
    Ok(html(enrol_page(c, &user, &secret, FormErrors::default()).render()?))
}

fn enrol_page(c: Chrome, user: &CurrentUser, secret: &[u8], errors: FormErrors) -> EnrolPage {
    let uri = totp::uri(&user.username, secret);
    EnrolPage {
        c,
        qr: totp::qr_svg(&uri),
        secret: totp::base32(secret),
        errors,
        confirmed: false,
        recovery: vec![],
    }
}

/// A typed code.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// `POST /account/totp`: confirms enrolment with a code; shows the recovery codes once.
pub async fn enrol(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let record = s.store.user(who.user.id).await?;
    let secret = s.store.totp_secret(&record)?.ok_or(AppError::NotFound)?;
    if record.totp_confirmed || !totp::verify(&secret, &f.code, s.clock.now().as_second()) {
        let mut e = ValidationErrors::default();
        e.push("code", Reason::WrongCode);
        let errors = FormErrors::new(&e, &c.t);
        return Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            enrol_page(c, &who.user, &secret, errors).render()?,
        ));
    }
    if let Some(step) = totp::matching_step(&secret, &f.code, s.clock.now().as_second()) {
        s.store.use_totp_step(who.user.id, step).await?;
    }
    let codes = totp::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::hash_recovery(c)).collect();
    s.store.confirm_totp(who.user.id, &hashes, &who.act).await?;
    s.store.second_factor_given(&who.user.session_hash).await?;
    let page = EnrolPage {
        c,
        qr: String::new(),
        secret: String::new(),
        errors: FormErrors::default(),
        confirmed: true,
        recovery: codes,
    };
    Ok(html(page.render()?))
}

#[derive(Template)]
#[template(path = "totp_login.html")]
struct CodePage {
    c: Chrome,
    next: String,
    errors: FormErrors,
}

/// `GET /login/totp`.
pub async fn code_form(
    c: Chrome,
    axum::extract::Query(q): axum::extract::Query<NextOnly>,
) -> Result<Response, AppError> {
    Ok(html(CodePage { c, next: q.next.unwrap_or_default(), errors: FormErrors::default() }.render()?))
}

/// Where to go afterwards.
#[derive(Debug, Deserialize)]
pub struct NextOnly {
    next: Option<String>,
}

/// `POST /login/totp`: a current code, or one unused recovery code. Wrong codes count like
/// wrong passwords, and a locked account refuses only the addresses that failed against it.
pub async fn code(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    peer: Peer,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let record = s.store.user(who.user.id).await?;
    let secret = s.store.totp_secret(&record)?;
    let step = match secret {
        Some(sec) if record.totp_confirmed => totp::matching_step(&sec, &f.code, s.clock.now().as_second()),
        _ => None,
    };
    // A code works once: its step must be later than the last one used.
    let by_code = match step {
        Some(step) => s.store.use_totp_step(who.user.id, step).await?,
        None => false,
    };
    let (now, address, limits) = (s.clock.now().as_millisecond(), peer.address(), s.sign_in_limits());
    let locked = record.locked_until.is_some_and(|t| t > now);
    // Counted as a failure from here until the code is found right.
    let allowed = s.throttle.with(|t| {
        t.attempt(&address, &limits, now) && t.attempt_account(record.id, &address, locked, &limits, now)
    });
    let ok = allowed
        && (by_code || s.store.use_recovery_code(&record, &totp::hash_recovery(&f.code), &who.act).await?);
    if !ok {
        // The account locks at the policy's count, and the half-open session of an address
        // kept from the account ends.
        if !allowed || sign_in_failed(&s, &record, &address, now, &who.act).await? {
            s.store.delete_session(&who.user.session_hash).await?;
            return Ok(Redirect::to("/login").into_response());
        }
        let mut e = ValidationErrors::default();
        e.push("code", Reason::WrongCode);
        let errors = FormErrors::new(&e, &c.t);
        return Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            CodePage { c, next: f.next, errors }.render()?,
        ));
    }
    s.throttle.with(|t| t.passed(record.id, &address, now));
    s.store.second_factor_given(&who.user.session_hash).await?;
    sign_in_completed(&s, record.id, &address).await?;
    Ok(Redirect::to(&super::handlers::safe_next(&f.next)).into_response())
}

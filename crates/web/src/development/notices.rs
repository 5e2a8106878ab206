//! The public notice board (公示栏): notices running today, each with an objection form.
//! Only what must be public is shown: the name, the organisation, the step and the period.

use crate::AppState;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pioneer_domain::development::dossier::{Key, Kind, Value, choice_label};
use pioneer_domain::{FieldError, Reason};
use pioneer_store::development::dossiers::{NewEvent, NoticeItem};
use pioneer_store::{Act, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "notices.html")]
struct BoardPage {
    c: Chrome,
    notices: Vec<(NoticeItem, &'static str)>,
}

/// `GET /notices`.
pub async fn board(State(s): State<AppState>, c: Chrome) -> Result<Response, AppError> {
    let notices = s.store.open_notices(s.clock.today()).await?;
    let notices = notices
        .into_iter()
        .map(|n| {
            let (zh, en) = choice_label(&n.point);
            let label = c.t.l(zh, en);
            (n, label)
        })
        .collect();
    Ok(html(BoardPage { c, notices }.render()?))
}

/// `?seq=N`: which notice of the dossier.
#[derive(Debug, Deserialize)]
pub struct SeqQuery {
    #[serde(default)]
    seq: String,
}

#[derive(Template)]
#[template(path = "objection.html")]
struct ObjectionPage {
    c: Chrome,
    notice: NoticeItem,
    point: &'static str,
    text: String,
    errors: FormErrors,
    done: bool,
}

async fn running(s: &AppState, dossier: &str, seq: &str) -> Result<NoticeItem, AppError> {
    let id = path_id(dossier)?;
    let seq: u32 = seq.trim().parse().map_err(|_| AppError::NotFound)?;
    let all = s.store.open_notices(s.clock.today()).await?;
    all.into_iter().find(|n| n.dossier_id == id && n.seq == seq).ok_or(AppError::NotFound)
}

/// `GET /notices/{id}/objection?seq=N`.
pub async fn objection_form(
    State(s): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    Query(q): Query<SeqQuery>,
) -> Result<Response, AppError> {
    let notice = running(&s, &id, &q.seq).await?;
    let (zh, en) = choice_label(&notice.point);
    let point = c.t.l(zh, en);
    Ok(html(
        ObjectionPage { c, notice, point, text: String::new(), errors: FormErrors::default(), done: false }
            .render()?,
    ))
}

/// The objection form.
#[derive(Debug, Deserialize)]
pub struct ObjectionForm {
    #[serde(default)]
    text: String,
}

/// `POST /notices/{id}/objection?seq=N`: files the objection in the dossier.
pub async fn object(
    State(s): State<AppState>,
    c: Chrome,
    peer: crate::auth::handlers::Peer,
    Path(id): Path<String>,
    Query(q): Query<SeqQuery>,
    Form(f): Form<ObjectionForm>,
) -> Result<Response, AppError> {
    let notice = running(&s, &id, &q.seq).await?;
    let (zh, en) = choice_label(&notice.point);
    let point = c.t.l(zh, en);
    // The form is public: each address gets as many objections per window as sign-in failures.
    let (address, now) = (peer.0.unwrap_or_else(|| "unknown".to_owned()), s.clock.now().as_millisecond());
    if !s.throttle.with(|t| t.spend("objection", &address, &s.sign_in_limits(), now)) {
        let errors = FormErrors(vec![("text", c.t.s("objection_throttled").to_owned())]);
        let page = ObjectionPage { c, notice, point, text: f.text, errors, done: false };
        return Ok(html_status(StatusCode::TOO_MANY_REQUESTS, page.render()?));
    }
    let text = f.text.trim().to_owned();
    let refused = |e: FieldError| FormErrors::new(&e.into(), &c.t);
    let error = match Value::parse(Key::Text.ty(), &text) {
        _ if text.is_empty() => Some(refused(FieldError::new("text", Reason::Required))),
        Err(r) => Some(refused(FieldError::new("text", r))),
        Ok(v) => {
            let new = NewEvent {
                kind: Kind::Objection,
                on: s.clock.today(),
                fields: vec![(Key::Notice, Value::Int(notice.seq.into())), (Key::Text, v)],
                corrects: None,
                backfill: false,
            };
            let act = Act::new("public", "POST /notices/{id}/objection", s.clock.now());
            match s.store.record_event(notice.dossier_id, new, s.clock.today(), &act).await {
                Ok(_) => None,
                Err(StoreError::Invalid(e)) => Some(FormErrors::new(&e, &c.t)),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let done = error.is_none();
    let status = if done { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ObjectionPage {
        c,
        notice,
        point,
        text: if done { String::new() } else { text },
        errors: error.unwrap_or_default(),
        done,
    };
    Ok(html_status(status, page.render()?))
}

//! 留党察看 on a person's page and its API twin: the member's periods and recording one. A
//! refusal shows the person's page again with the reasons (422), and nothing is written.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::views::PersonId;
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::people::pages::detail;
use crate::people::{self, DisciplineBody};
use crate::scope::path_id;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use pioneer_domain::people::discipline::DisciplinaryProbation;

/// `POST /people/{id}/discipline`: records a period, back to the person's page.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DisciplineBody>,
) -> Result<Response, AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    let v = match people::record_discipline(&s, &who, &p, &f).await {
        Ok(()) => return Ok(Redirect::to(&format!("/people/{}#discipline", p.id)).into_response()),
        Err(AppError::Invalid(v)) => v,
        Err(e) => return Err(e),
    };
    let errors = FormErrors::new(&v, &c.t);
    let mut page = detail(&s, c, &who, p.into_record(), false, FormErrors::default()).await?;
    page.discipline_errors = errors;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
}

/// A period of 留党察看.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DisciplineView {
    /// The first day.
    #[schema(format = Date)]
    pub from: String,
    /// The last day.
    #[schema(format = Date)]
    pub until: String,
    /// The decision and its document number.
    pub decision: String,
}

impl From<DisciplinaryProbation> for DisciplineView {
    fn from(d: DisciplinaryProbation) -> Self {
        Self { from: d.from.to_string(), until: d.until.to_string(), decision: d.decision }
    }
}

/// A person's periods of 留党察看, the earliest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/discipline", params(PersonId),
    responses((status = 200, body = Vec<DisciplineView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Vec<DisciplineView>>, AppError> {
    let p = people::readable(&s, &who, path_id(&id)?).await?;
    Ok(Json(s.store.disciplines(p.id).await?.into_iter().map(DisciplineView::from).collect()))
}

/// Records a period of 留党察看 for a member (at most two years, with its decision).
#[utoipa::path(post, path = "/api/v1/people/{id}/discipline", params(PersonId), request_body = DisciplineBody,
    responses((status = 201, body = Vec<DisciplineView>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisciplineBody>,
) -> Result<(StatusCode, Json<Vec<DisciplineView>>), AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    people::record_discipline(&s, &who, &p, &body).await?;
    let all = s.store.disciplines(p.id).await?.into_iter().map(DisciplineView::from).collect();
    Ok((StatusCode::CREATED, Json(all)))
}

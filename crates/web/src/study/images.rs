//! Course images: uploaded by those who publish courses (type and size checked by the
//! domain, stored by the store), then served from the site at `/images/<id>` to anyone
//! signed in, so the content security policy allows images from the site only. The page
//! and the API twin call the same function.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use crate::study::courses::AdminPage;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::study::courses::CourseInput;
use pioneer_domain::study::images;
use pioneer_store::orgs::OrgRecord;
use serde_json::json;

/// The body limit of an upload: the largest image and the form around it.
pub const BODY_LIMIT: usize = images::MAX_BYTES + 64 * 1024;

/// Checks and stores an image for `org`'s courses; answers its address on the site.
pub async fn save(s: &AppState, who: &Who, org: &OrgRecord, bytes: &[u8]) -> Result<String, AppError> {
    let id = s.store.save_image(org.id, bytes, &who.act).await?;
    Ok(images::address(id))
}

async fn org(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// `POST /admin/images?org=ID` (multipart `file`): the course page again, with the
/// new image's address to put in an item.
pub async fn upload(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    oversized: Option<axum::Extension<crate::tables::Oversized>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, &q).await?;
    let (file, _) = crate::development::dossier_import::read_form(form, oversized).await?;
    let bytes = file.unwrap_or_else(|_| vec![0; images::MAX_BYTES + 1]);
    match save(&s, &who, &org, &bytes).await {
        Ok(address) => {
            let p = AdminPage::of(&s, c, org, CourseInput::default(), FormErrors::default(), Some(address))
                .await?;
            Ok(html_status(StatusCode::CREATED, p.render()?))
        }
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            let p = AdminPage::of(&s, c, org, CourseInput::default(), errors, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
        Err(e) => Err(e),
    }
}

/// Uploads a course image (the body is the image's bytes: PNG, JPEG, GIF or WebP, judged by
/// the bytes whatever the content type says, at most 2 MB); answers its address on the site,
/// for a course item's `图片:` line.
#[utoipa::path(
    post,
    path = "/api/v1/images",
    params(crate::development::api::OrgParam),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, body = Object),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
pub async fn api_upload(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, &q).await?;
    let bytes = match body {
        Ok(b) => b.to_vec(),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => vec![0; images::MAX_BYTES + 1],
        Err(e) => return Err(AppError::BadBody { status: StatusCode::BAD_REQUEST, detail: e.body_text() }),
    };
    let address = save(&s, &who, &org, &bytes).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({ "address": address }))).into_response())
}

/// `GET /images/{id}`: a stored image, for anyone signed in; its content never changes.
pub async fn serve(
    State(s): State<AppState>,
    _who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let image = s.store.image(path_id(&id)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, image.kind.content_type()),
            (header::CACHE_CONTROL, "private, max-age=31536000, immutable"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        image.bytes,
    )
        .into_response())
}

//! Study: courses, the weekly quiz for members and its administration, the quiz desk that
//! writes submissions in batches, and reflections; here, what finds a member's course.

pub mod api;
pub mod courses;
pub mod images;
pub mod quiz;
pub mod quiz_admin;
pub mod quiz_desk;
pub mod reflections;

use crate::AppState;
use crate::error::AppError;
use crate::scope::path_id;
use pioneer_store::study::courses::CourseRecord;
use uuid::Uuid;

/// A course published to the member's organisation or one above it (another branch's is
/// not found).
pub(crate) async fn reachable(
    s: &AppState,
    id: &str,
    tenant: Uuid,
    member_path: &str,
) -> Result<CourseRecord, AppError> {
    let course = s.store.course(path_id(id)?).await?;
    if course.tenant_id != tenant || !member_path.starts_with(&course.org_path) {
        return Err(AppError::NotFound);
    }
    Ok(course)
}

//! Study: courses, the weekly quiz for members and its administration, and the quiz desk
//! that writes submissions in batches.

pub mod api;
pub mod courses;
pub mod images;
pub mod quiz;
pub mod quiz_admin;
pub mod quiz_desk;
pub mod reflections;

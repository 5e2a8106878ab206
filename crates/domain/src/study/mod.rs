//! Study: courses in series and columns (党史随手学) and the weekly quiz.

pub mod courses;
pub mod images;
pub mod quiz;
pub mod reflections;

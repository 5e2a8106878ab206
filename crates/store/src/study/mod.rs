//! Study in storage: courses and reading progress, the quiz bank and attempts, and the
//! quiz desk's batched submissions.

pub mod courses;
pub mod images;
pub mod quiz;
pub mod quiz_batch;
pub mod reflections;

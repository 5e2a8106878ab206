//! Organisational life: meetings, attendance and this year's cadence.

pub mod api;
pub mod meetings;

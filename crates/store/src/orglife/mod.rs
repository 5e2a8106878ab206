//! Organisational life in storage: meetings, attendance and cadence settings.

pub mod meetings;

//! Account administration.

pub mod admin;

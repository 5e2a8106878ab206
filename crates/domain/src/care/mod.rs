//! Credits for care (学分送关怀): the append-only credit ledger, its rules and redemptions.

pub mod ledger;
pub mod tenancy;

//! Credits and care benefits in storage: the ledger, balances and redemptions.

pub mod credits;

//! Credits and care benefits in storage: the ledger, balances and redemptions, and the
//! credit rules each organisation sets for its subtree.

pub mod credits;
pub mod rules;

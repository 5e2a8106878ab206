//! Accounts: who may do what where (roles, permissions, scope) and password policies.

pub mod access;
pub mod password;

//! Volunteer service in storage: teams and their volunteers, service requests (the
//! contact's phone sealed like every phone), the shifts a request becomes, sign-ups, and
//! the hours that count. Each write is journaled in the tenant's chain.

pub mod board;
pub mod donations;
pub mod lists;
pub mod messages;
pub mod requests;
pub mod shifts;
pub mod teams;

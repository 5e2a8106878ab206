//! The tenant a request works in: lookups by id (a person, a dossier, a quiz) then read
//! that tenant's rows only, which on a Citus cluster sends them to one shard group instead
//! of every shard. The web layer sets it from the signed-in account (see
//! `web::auth::session::resolve`); without it a lookup searches every tenant, as before.

use std::future::Future;
use uuid::Uuid;

tokio::task_local! {
    static TENANT: Uuid;
}

/// Runs `body` inside `tenant` (or inside none, searching every tenant).
pub async fn within<F: Future>(tenant: Option<Uuid>, body: F) -> F::Output {
    match tenant {
        Some(t) => TENANT.scope(t, body).await,
        None => body.await,
    }
}

/// The tenant of the running request, if it works in one.
pub fn current() -> Option<Uuid> {
    TENANT.try_with(|t| *t).ok()
}

/// `AND {column} = ${n}` when a tenant is set (then bind [`current`] as parameter `n`),
/// else nothing.
pub(crate) fn and_tenant(column: &str, n: usize) -> String {
    if current().is_some() { format!(" AND {column} = ${n}") } else { String::new() }
}

/// Binds [`current`] to a query built with [`and_tenant`], when a tenant is set.
macro_rules! bind_tenant {
    ($q:expr) => {{
        let q = $q;
        match $crate::tenancy::current() {
            Some(t) => q.bind(t),
            None => q,
        }
    }};
}
pub(crate) use bind_tenant;

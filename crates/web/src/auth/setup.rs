//! The account a deployment starts with: a first system administrator with a one-time
//! password on an empty database. (The demo's accounts are in the demo crate.)

use super::password;
use pioneer_domain::accounts::access::Role;
use pioneer_store::accounts::NewUser;
use pioneer_store::{Act, Store, StoreError};

/// On a database without accounts, creates `admin` (system administrator) with a random
/// one-time password to change at first login, and returns that password.
pub async fn ensure_first_admin(store: &Store, act: &Act) -> Result<Option<String>, StoreError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let one_time = password::one_time_password();
    let new = NewUser {
        username: "admin",
        display_name: "系统管理员",
        password_hash: &password::hash(one_time.clone()).await,
        must_change_password: true,
        grants: &[(Role::SystemAdmin, None)],
        person_id: None,
    };
    store.create_user(&new, act).await?;
    Ok(Some(one_time))
}

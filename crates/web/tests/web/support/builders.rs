//! Fixtures a test makes for itself instead of finding the demo's people by name.
//!
//! ```ignore
//! let branch = app.branch("三支部").await;         // a new branch under the demo's working committee
//! let sec = branch.secretary().await;             // a secretary account on it, signed in (a Client)
//! let rider = branch.member("王骑手").await;        // a full member with a valid, unused ID number
//! let other = app.branch("四支部").await.secretary().await;
//! assert_eq!(sec.get(&format!("/api/v1/people/{}", rider.id)).await.status, StatusCode::OK);
//! assert_eq!(other.get(&format!("/api/v1/people/{}", rider.id)).await.status, StatusCode::FORBIDDEN);
//! ```
//!
//! Organisations, accounts and people are written through the store's public API, as an
//! administrator would; sessions come from the real sign-in (`POST /login`). Every sign-in
//! counts against the one in-process address's budget (20 per 15 minutes): a test that
//! signs in more often moves the clock on, as the access matrix does.

use super::{Client, TestApp};
use jiff::civil::date;
use pioneer_domain::accounts::access::Role;
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_store::Act;
use pioneer_store::accounts::NewUser;
use pioneer_web::clock::Clock;
use std::sync::atomic::Ordering;
use uuid::Uuid;

/// An organisation a test works in: its id and name, and builders for what lives in it.
pub struct Org<'a> {
    app: &'a TestApp,
    /// Its id (as the API and the URLs show it once formatted).
    pub id: Uuid,
    /// Its name.
    pub name: String,
}

/// A person a test registered.
pub struct Person {
    /// Their id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their full ID number (valid, and used by no one else).
    pub id_card: String,
}

impl TestApp {
    /// The demo's working committee, the top of every demo organisation.
    pub async fn root(&self) -> Org<'_> {
        self.demo_org(pioneer_demo::DEMO_ROOT_NAME).await
    }

    /// An organisation of the demo, by name (to build inside it, e.g. a branch under a
    /// general branch).
    pub async fn demo_org(&self, name: &str) -> Org<'_> {
        let orgs = self.store.orgs(None).await.unwrap();
        let org =
            orgs.iter().find(|o| o.fields.name == name).unwrap_or_else(|| panic!("no organisation {name}"));
        Org { app: self, id: org.id, name: org.fields.name.clone() }
    }

    /// A new, empty branch under the demo's working committee.
    pub async fn branch(&self, name: &str) -> Org<'_> {
        self.root().await.branch(name).await
    }

    /// A new browser on this application, signed out.
    pub fn client(&self) -> Client {
        Client::new(self.client.router.clone())
    }

    /// A new browser signed in as `username` (a demo account, or one a builder made).
    pub async fn sign_in(&self, username: &str) -> Client {
        let client = self.client();
        client.login(username).await;
        client
    }

    /// A valid ID number no one in the deployment has (a region the demo never uses, and a
    /// sequence number this app has not handed out before).
    pub fn new_id_card(&self) -> String {
        let n = self.serial.fetch_add(1, Ordering::Relaxed);
        let birth = date(1990, 1, 1).checked_add(jiff::Span::new().days(i64::from(n / 1000))).unwrap();
        IdCardNumber::compose(440300, birth, n % 1000).as_str().to_owned()
    }

    /// Who and when, for the store: the test's builder, at the clock's time.
    fn act(&self) -> Act {
        Act::new("test", "test fixture", self.clock.now())
    }
}

impl<'a> Org<'a> {
    /// A new, empty branch under this organisation.
    pub async fn branch(&self, name: &str) -> Org<'a> {
        let input = OrgInput { name: name.into(), kind: "branch".into(), ..Default::default() };
        let fields = OrgFields::parse(&input).unwrap();
        let id = self.app.store.create_org(&fields, Some(self.id), &self.app.act()).await.unwrap();
        Org { app: self.app, id, name: name.to_owned() }
    }

    /// A new secretary of this organisation, signed in.
    pub async fn secretary(&self) -> Client {
        self.account(Role::Secretary).await
    }

    /// A new account with `role` granted on this organisation (the demo password, no
    /// password change due), signed in.
    pub async fn account(&self, role: Role) -> Client {
        let n = self.app.serial.fetch_add(1, Ordering::Relaxed);
        let username = format!("{}.{n}", role.code());
        let new = NewUser {
            username: &username,
            display_name: &username,
            password_hash: &self.app.password_hash,
            must_change_password: false,
            grants: &[(role, Some(self.id))],
            person_id: None,
        };
        self.app.store.create_user(&new, &self.app.act()).await.unwrap();
        self.app.sign_in(&username).await
    }

    /// A new self-service account of `person` (a member's, or a non-member volunteer's
    /// with `Role::Applicant`), signed in.
    pub async fn account_of(&self, person: &Person, role: Role) -> Client {
        let n = self.app.serial.fetch_add(1, Ordering::Relaxed);
        let username = format!("{}.{n}", role.code());
        let new = NewUser {
            username: &username,
            display_name: &person.name,
            password_hash: &self.app.password_hash,
            must_change_password: false,
            grants: &[(role, Some(self.id))],
            person_id: Some(person.id),
        };
        self.app.store.create_user(&new, &self.app.act()).await.unwrap();
        self.app.sign_in(&username).await
    }

    /// A new full member of this organisation.
    pub async fn member(&self, name: &str) -> Person {
        self.person(PersonInput {
            name: name.into(),
            status: "full_member".into(),
            admitted_on: "2019-07-01".into(),
            full_member_on: "2020-07-01".into(),
            ..Default::default()
        })
        .await
    }

    /// A new applicant in this organisation (applied on 2026-10-01).
    pub async fn applicant(&self, name: &str) -> Person {
        self.person(PersonInput {
            name: name.into(),
            status: "applicant".into(),
            applied_on: "2026-10-01".into(),
            ..Default::default()
        })
        .await
    }

    /// A new person in this organisation as `input` describes them; the organisation, a
    /// fresh ID number and any of ethnicity, education and worker category left empty are
    /// filled in.
    pub async fn person(&self, mut input: PersonInput) -> Person {
        input.org_id = self.id.to_string();
        if input.id_card.is_empty() {
            input.id_card = self.app.new_id_card();
        }
        for (field, default) in [
            (&mut input.ethnicity, "汉族"),
            (&mut input.education, "bachelor"),
            (&mut input.worker_category, "rider"),
        ] {
            if field.is_empty() {
                *field = default.to_owned();
            }
        }
        let fields = PersonFields::parse(&input, self.app.clock.today())
            .unwrap_or_else(|e| panic!("{} is not a valid person: {e:?}", input.name));
        let id = self.app.store.create_person(&fields, &self.app.act()).await.unwrap();
        Person { id, name: input.name, id_card: input.id_card }
    }
}

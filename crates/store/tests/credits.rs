//! Credits in storage: replays write nothing, the balance is the sum and never negative,
//! reversals, caps, and simultaneous redemptions of the last item or the last credits —
//! on SQLite and, when PIONEER_TEST_POSTGRES_URL is set, PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::care::ledger::{Applied, EarnRule, LedgerError, Source};
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_store::care::credits::{CreditRequest, NewCareBenefit};
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);
const QUIZ: EarnRule = EarnRule { source: Source::Quiz, amount: 10, daily_cap: 0, weekly_cap: 0 };

fn act() -> Act {
    Act::new("test", "credits test", Timestamp::from_second(1_795_000_000).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    a_redemption_takes_the_price_from_the_budget_and_waits_for_fulfilment,
    the_ledger_keeps_its_rules_in_storage,
    the_last_item_goes_to_one_of_two_riders,
    the_last_credits_pay_for_one_redemption,
    a_member_sees_their_own_redemptions_among_many
);

fn benefit(name: &'static str, cost: i64, stock: i64) -> NewCareBenefit<'static> {
    NewCareBenefit { name, cost, stock, price: 0, budget: 0 }
}

async fn setup(store: &Store, riders: u32) -> (Uuid, Vec<Uuid>) {
    let f = |name: &str, kind: &str| {
        OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
    };
    let root = store.create_org(&f("工委", "working_committee"), None, &act()).await.unwrap();
    let branch = store.create_org(&f("骑手流动党支部", "mobile_branch"), Some(root), &act()).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..riders {
        let p = PersonFields::parse(
            &PersonInput {
                name: format!("骑手{i}"),
                ethnicity: "汉族".into(),
                education: "bachelor".into(),
                worker_category: "rider".into(),
                id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), 500 + i)
                    .as_str()
                    .to_owned(),
                status: "full_member".into(),
                admitted_on: "2014-07-01".into(),
                full_member_on: "2015-07-01".into(),
                org_id: branch.to_string(),
                ..Default::default()
            },
            TODAY,
        )
        .unwrap();
        ids.push(store.create_person(&p, &act()).await.unwrap());
    }
    (branch, ids)
}

async fn the_ledger_keeps_its_rules_in_storage(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, riders) = setup(&store, 1).await;
    let r = riders[0];
    let pack = store.create_benefit(branch, &benefit("关爱礼包", 15, 5), &act()).await.unwrap();
    store.credit(r, "q1", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    let replay = store.credit(r, "q1", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    assert!(matches!(replay, Applied::Replayed(_)));
    assert_eq!(store.credit_balance(r).await.unwrap(), 10);
    let refused = store.credit(r, "b1", &CreditRequest::Redeem(pack), TODAY, &act()).await.unwrap_err();
    assert!(matches!(refused, StoreError::Ledger(LedgerError::Insufficient { balance: 10, needed: 15 })));
    store.credit(r, "q2", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    store.credit(r, "b1", &CreditRequest::Redeem(pack), TODAY, &act()).await.unwrap();
    assert_eq!((store.credit_balance(r).await.unwrap(), store.benefit_stock(pack).await.unwrap()), (5, 4));
    let again = store.credit(r, "b1", &CreditRequest::Redeem(pack), TODAY, &act()).await.unwrap();
    assert!(matches!(again, Applied::Replayed(_)));
    assert_eq!(store.benefit_stock(pack).await.unwrap(), 4, "a replay takes no stock");
    store.credit(r, "x1", &CreditRequest::Reverse("b1".into()), TODAY, &act()).await.unwrap();
    assert_eq!(store.credit_balance(r).await.unwrap(), 20);
    let entries = store.credit_entries(r).await.unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries.iter().map(|e| e.amount).sum::<i64>(), store.credit_balance(r).await.unwrap());
    let heads = store.journal_heads().await.unwrap();
    assert!(store.verify_journal(&heads).await.unwrap().broken.is_none());
}

async fn the_last_item_goes_to_one_of_two_riders(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, riders) = setup(&store, 2).await;
    let insurance = store.create_benefit(branch, &benefit("意外险", 10, 1), &act()).await.unwrap();
    for r in &riders {
        store.credit(*r, "q", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    }
    let tasks: Vec<_> = riders
        .iter()
        .map(|r| {
            let (store, r) = (store.clone(), *r);
            tokio::spawn(async move {
                store.credit(r, "take", &CreditRequest::Redeem(insurance), TODAY, &act()).await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Applied::New(_)) => won += 1,
            Err(StoreError::OutOfStock | StoreError::Contention) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.benefit_stock(insurance).await.unwrap(), 0);
    let total: i64 =
        [store.credit_balance(riders[0]).await.unwrap(), store.credit_balance(riders[1]).await.unwrap()]
            .iter()
            .sum();
    assert_eq!(total, 10, "only the winner paid");
}

async fn the_last_credits_pay_for_one_redemption(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, riders) = setup(&store, 1).await;
    let r = riders[0];
    let card = store.create_benefit(branch, &benefit("乘车卡", 10, 100), &act()).await.unwrap();
    store.credit(r, "q", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store.credit(r, &format!("take{i}"), &CreditRequest::Redeem(card), TODAY, &act()).await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Applied::New(_)) => won += 1,
            Err(StoreError::Ledger(LedgerError::Insufficient { .. }) | StoreError::Contention) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.credit_balance(r).await.unwrap(), 0);
    assert_eq!(store.benefit_stock(card).await.unwrap(), 99);
}

async fn a_redemption_takes_the_price_from_the_budget_and_waits_for_fulfilment(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, riders) = setup(&store, 1).await;
    let r = riders[0];
    let tenant = store.person(r).await.unwrap().tenant_id;
    // Stock for three, budget for two.
    let pack = NewCareBenefit { name: "关爱礼包", cost: 2, stock: 3, price: 40, budget: 80 };
    let pack = store.create_benefit(branch, &pack, &act()).await.unwrap();
    store.credit(r, "q", &CreditRequest::Earn(QUIZ), TODAY, &act()).await.unwrap();
    for key in ["a", "b"] {
        store.credit(r, key, &CreditRequest::Redeem(pack), TODAY, &act()).await.unwrap();
    }
    let over = store.credit(r, "c", &CreditRequest::Redeem(pack), TODAY, &act()).await.unwrap_err();
    assert!(matches!(over, StoreError::OverBudget), "{over:?}");
    assert_eq!(store.credit_balance(r).await.unwrap(), 6, "the refused redemption cost nothing");
    let b = store.benefits_of(tenant).await.unwrap().into_iter().find(|b| b.id == pack).unwrap();
    assert_eq!((b.stock, b.budget), (1, 0));
    let open = store.redemptions_of(r).await.unwrap();
    assert_eq!(open.len(), 2);
    assert!(open.iter().all(|x| x.fulfilled.is_none()));
    assert!(store.fulfil_redemption(tenant, "/", open[0].id, &act()).await.unwrap());
    assert!(
        !store.fulfil_redemption(tenant, "/", open[0].id, &act()).await.unwrap(),
        "twice changes nothing"
    );
    let after = store.redemptions_of(r).await.unwrap();
    assert_eq!(after.iter().filter(|x| x.fulfilled.is_some()).count(), 1);
    assert!(matches!(
        store.fulfil_redemption(tenant, "/", Uuid::now_v7(), &act()).await,
        Err(StoreError::NotFound)
    ));
    let bad = NewCareBenefit { name: "x", cost: 0, stock: -1, price: 0, budget: 0 };
    assert!(matches!(store.create_benefit(branch, &bad, &act()).await, Err(StoreError::Invalid(_))));
}

/// A member's list holds every redemption of their own, however many others the
/// deployment made since (the deployment's list keeps only its latest 200).
async fn a_member_sees_their_own_redemptions_among_many(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, riders) = setup(&store, 2).await;
    let (me, busy) = (riders[0], riders[1]);
    let tenant = store.person(me).await.unwrap().tenant_id;
    let pack = store.create_benefit(branch, &benefit("暖心关爱包", 1, 500), &act()).await.unwrap();
    let at = |s: i64| Act::new("test", "credits test", Timestamp::from_second(1_795_000_000 + s).unwrap());
    store.credit(me, "earn", &CreditRequest::Earn(QUIZ), TODAY, &at(0)).await.unwrap();
    store.credit(me, "mine", &CreditRequest::Redeem(pack), TODAY, &at(1)).await.unwrap();
    for i in 0..21 {
        store.credit(busy, &format!("earn-{i}"), &CreditRequest::Earn(QUIZ), TODAY, &at(2)).await.unwrap();
    }
    for i in 0..201 {
        let key = format!("redeem-{i}");
        store.credit(busy, &key, &CreditRequest::Redeem(pack), TODAY, &at(10 + i)).await.unwrap();
    }
    let latest = store.redemptions(tenant, "/").await.unwrap();
    assert_eq!(latest.len(), 200);
    assert!(latest.iter().all(|r| r.member_id == busy), "mine is older than the latest 200");
    let mine = store.redemptions_of(me).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].member_id, me);
    assert_eq!(store.redemptions_of(busy).await.unwrap().len(), 201);
}

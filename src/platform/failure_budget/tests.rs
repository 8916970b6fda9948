//! The shared budget with two "instances" (two budgets, each with its own in-process gate) on
//! one SQLite database.

use super::*;
use crate::platform::budget_store::scratch_db;
use crate::platform::ids::UnixTime;

const WINDOW: i64 = 60;
const WAIT: Duration = Duration::from_millis(300);
/// When a reservation made at 100 has expired.
const EXPIRED: UnixTime = UnixTime(100 + SETTLE_MARGIN_SECS + 1);

fn budget(db: &Db, max: u32) -> FailureBudget {
    FailureBudget::new(
        db.clone(),
        BudgetSettings {
            scope: "test",
            max,
            window_secs: WINDOW,
            max_wait: WAIT,
        },
    )
}

fn keys(key: &str) -> Vec<String> {
    vec![key.to_owned()]
}

fn refused(result: Result<Attempt<'_>, LimitError>) -> Option<u64> {
    match result {
        Err(LimitError::Refused { retry_after }) => Some(retry_after),
        _ => None,
    }
}

// SEC-43: failures on one instance fill the budget of the other.
#[tokio::test]
async fn failures_on_any_instance_fill_one_budget_until_the_window_ends() {
    let (_dir, db) = scratch_db().await;
    let (a, b) = (budget(&db, 3), budget(&db, 3));
    a.reserve(keys("ip:1"), UnixTime(100))
        .await
        .unwrap()
        .failed()
        .await;
    b.reserve(keys("ip:1"), UnixTime(110))
        .await
        .unwrap()
        .failed()
        .await;
    a.reserve(keys("ip:1"), UnixTime(120))
        .await
        .unwrap()
        .failed()
        .await;
    assert_eq!(
        refused(b.reserve(keys("ip:1"), UnixTime(130)).await),
        Some(30)
    );
    assert!(
        b.reserve(keys("ip:2"), UnixTime(130)).await.is_ok(),
        "keys are independent"
    );
    assert_eq!(b.failures("ip:1", UnixTime(130)).await.unwrap(), 3);
    assert!(
        b.reserve(keys("ip:1"), UnixTime(160)).await.is_ok(),
        "a new window"
    );
}

// SEC-43: attempts in flight on one instance hold their places on the other.
#[tokio::test]
async fn attempts_in_flight_anywhere_hold_their_place_until_settled() {
    let (_dir, db) = scratch_db().await;
    let (a, b) = (budget(&db, 2), budget(&db, 2));
    let first = a.reserve(keys("k"), UnixTime(100)).await.unwrap();
    let second = a.reserve(keys("k"), UnixTime(100)).await.unwrap();
    assert_eq!(
        refused(b.reserve(keys("k"), UnixTime(100)).await),
        Some(1),
        "the third waits while two are in flight, then gives up"
    );
    first.succeeded().await;
    let third = b.reserve(keys("k"), UnixTime(100)).await.unwrap();
    second.failed().await;
    third.failed().await;
    assert_eq!(a.failures("k", UnixTime(100)).await.unwrap(), 2);
    assert_eq!(
        refused(a.reserve(keys("k"), UnixTime(100)).await),
        Some(WINDOW as u64)
    );
}

// SEC-43: a waiting attempt gets the place an attempt on another instance gives back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_gets_the_place_another_instance_gives_back() {
    let (_dir, db) = scratch_db().await;
    let (a, b) = (budget(&db, 1), budget(&db, 1));
    let held = a.reserve(keys("k"), UnixTime(100)).await.unwrap();
    let (waited, ()) = tokio::join!(b.reserve(keys("k"), UnixTime(100)), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        held.succeeded().await;
    });
    assert!(waited.is_ok());
}

#[tokio::test]
async fn a_refused_key_gives_back_the_ones_reserved_before_it() {
    let (_dir, db) = scratch_db().await;
    let (a, b) = (budget(&db, 1), budget(&db, 1));
    a.reserve(keys("account"), UnixTime(100))
        .await
        .unwrap()
        .failed()
        .await;
    let both = vec!["ip".to_owned(), "account".to_owned()];
    assert!(refused(b.reserve(both, UnixTime(100)).await).is_some());
    assert_eq!(a.failures("ip", UnixTime(100)).await.unwrap(), 0);
    assert!(a.reserve(keys("ip"), UnixTime(100)).await.is_ok());
}

#[tokio::test]
async fn a_dropped_attempt_counts_as_a_failure_everywhere_and_reset_forgets() {
    let (_dir, db) = scratch_db().await;
    let (a, b) = (budget(&db, 5), budget(&db, 5));
    drop(a.reserve(keys("k"), UnixTime(100)).await.unwrap());
    for _ in 0..50 {
        if b.failures("k", UnixTime(100)).await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(b.failures("k", UnixTime(100)).await.unwrap(), 1);
    b.reset("k").await;
    assert_eq!(a.failures("k", UnixTime(100)).await.unwrap(), 0);
}

// SEC-43: the reservations of a crashed instance expire as failures; a late settlement of an
// expired reservation changes nothing.
#[tokio::test]
async fn reservations_never_settled_expire_as_failures() {
    use crate::platform::clock::ManualClock;
    let (_dir, db) = scratch_db().await;
    // Expiry reads the system clock (a test clock's jumps must not expire attempts in flight).
    let wall = ManualClock::new();
    let walled = |b: FailureBudget| b.with_wall_clock(Arc::new(wall.clone()));
    let (crashed, b) = (walled(budget(&db, 3)), walled(budget(&db, 3)));
    std::mem::forget(crashed.reserve(keys("k"), UnixTime(100)).await.unwrap());
    let late = crashed.reserve(keys("k"), UnixTime(100)).await.unwrap();
    let third = b.reserve(keys("k"), UnixTime(100)).await.unwrap();
    assert_eq!(
        refused(b.reserve(keys("k"), UnixTime(100)).await),
        Some(1),
        "all in flight"
    );
    third.succeeded().await;

    wall.advance(SETTLE_MARGIN_SECS + 1);
    let fresh = b.reserve(keys("k"), EXPIRED).await.unwrap();
    assert_eq!(
        b.failures("k", EXPIRED).await.unwrap(),
        2,
        "both expired as failures"
    );
    late.succeeded().await;
    assert_eq!(
        b.failures("k", EXPIRED).await.unwrap(),
        2,
        "a late success is not given back"
    );
    fresh.failed().await;
    assert_eq!(b.failures("k", EXPIRED).await.unwrap(), 3);
    assert_eq!(
        refused(b.reserve(keys("k"), EXPIRED).await),
        Some(WINDOW as u64)
    );
}

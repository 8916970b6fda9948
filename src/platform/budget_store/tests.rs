//! The budget statements on a scratch SQLite database.

use super::*;
use crate::platform::ids::UnixTime;

// SEC-43: housekeeping deletes a row only once it counts nothing.
#[tokio::test]
async fn sweep_deletes_only_rows_that_count_nothing() {
    let (_dir, db) = scratch_db().await;
    let rate = Rule {
        scope: "rate",
        max: 5,
        window_secs: 60,
        reservation_secs: 0,
    };
    let budget = Rule {
        scope: "budget",
        reservation_secs: 90,
        ..rate
    };
    assert!(hit(&db, &rate, "k", UnixTime(100)).await.unwrap());
    assert!(
        reserve(&db, &budget, "k", UnixTime(100), UnixTime(100))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(sweep(&db, UnixTime(159)).await.unwrap(), 0);
    assert_eq!(
        sweep(&db, UnixTime(160)).await.unwrap(),
        1,
        "the window is over"
    );
    assert_eq!(
        sweep(&db, UnixTime(249)).await.unwrap(),
        0,
        "a reservation may still expire"
    );
    assert_eq!(sweep(&db, UnixTime(250)).await.unwrap(), 1);
}

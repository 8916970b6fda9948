//! When each account last opened the sessions page: what makes a session "New".

use crate::platform::db::Db;

/// Records a visit of the page at `now` and returns the previous visit (`None`: the first). The
/// previous visit is kept as `seen_before`, so later reloads of the list during this visit
/// ([`page_seen_before`]) show the same sessions as new.
pub async fn mark_page_seen(db: &Db, user_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let previous: Option<(i64,)> =
        sqlx::query_as("SELECT seen_at FROM session_page_visits WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let previous = previous.map(|(at,)| at);
    sqlx::query(
        "INSERT INTO session_page_visits (user_id, seen_at, seen_before) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET seen_before = excluded.seen_before, \
         seen_at = excluded.seen_at",
    )
    .bind(user_id)
    .bind(now)
    .bind(previous)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(previous)
}

/// The visit before the latest one: sessions created after it are new during this visit.
pub async fn page_seen_before(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT seen_before FROM session_page_visits WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(at,)| at))
}

//! Building a suspended view once during server rendering.
//!
//! On the server, `<Suspense>`/`<Transition>` walks its children with `dry_resolve` once their
//! resources have loaded, to find resource reads nested deeper in the view. For children written
//! as `move || Suspend::new(async move { data.await; view })` that walk calls the closure, finds
//! the future ready, builds the whole view and drops it; the HTML pass then calls the closure
//! again and builds the view a second time. For the sessions list that first build was about a
//! quarter of the page's CPU (BENCHMARKS.md, "Where the server's time goes").
//!
//! [`build_once`] is awaited between the data and the view: on the server it is pending exactly
//! once (and wakes its task at once), so the walk's single poll stops before the view is built,
//! while the HTML pass, which awaits the future, goes on and builds it once. In the browser it is
//! ready at once: hydration polls the future a single time and must find the view there.
//!
//! Only for views that read no resource other than those awaited before it: a read nested in the
//! view would no longer be found by the walk, and the page would render before it loaded.

/// Pending once on the server, ready at once in the browser. See the module documentation.
pub async fn build_once() {
    #[cfg(feature = "ssr")]
    {
        let mut polled = false;
        std::future::poll_fn(move |cx| {
            if polled {
                std::task::Poll::Ready(())
            } else {
                polled = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await
    }
}

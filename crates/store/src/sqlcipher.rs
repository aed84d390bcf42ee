//! SQLCipher's process-wide life: its set-up before the first key, and the
//! process's exit held until every connection has closed.
//!
//! SQLCipher registers its own `atexit` handler, which frees its private heap
//! and its mutexes. sqlx closes a dropped pool's connections in their worker
//! threads, after the pool's owner has moved on; a process that exits just
//! then (a test binary whose last test dropped its store, or the app quitting
//! without closing) has a worker still freeing a connection's cipher context
//! in a heap that is already gone, and crashes (SIGSEGV in `sqlcipher_free`,
//! seen in CI). So this module counts the connections SQLite has not yet
//! closed, and an exit handler of ours, which runs before SQLCipher's, waits
//! for the count to reach nought.

use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use sqlx::SqliteConnection;

use crate::error::{StoreError, StoreResult};

/// How long an exiting process waits for connections still closing. A
/// connection closes in milliseconds; the bound only matters for one that was
/// leaked open, which is idle and so no danger to SQLCipher's clean-up.
const EXIT_WAIT: Duration = Duration::from_secs(3);

/// The collation whose destructor marks a connection closed. Nothing sorts
/// with it.
const OPEN_MARKER: &str = "tsunagu_connection_open";

static OPEN_CONNECTIONS: Mutex<usize> = Mutex::new(0);
static ALL_CLOSED: Condvar = Condvar::new();

/// SQLite marks itself initialised and releases its lock *before* calling
/// SQLCipher's set-up (`SQLITE_EXTRA_INIT`, see `sqlite3_initialize` in the
/// amalgamation). A thread opening its first connection in that window skips
/// the set-up, and its `PRAGMA key` fails with "sqlcipher not initialized"
/// (seen once in CI, when four tests opened their stores at once).
/// `sqlcipher_extra_init` takes SQLite's main lock and returns at once when
/// the set-up is done, so calling it ourselves means that whoever started the
/// set-up, it has finished before this process keys any connection.
///
/// The set-up registers SQLCipher's exit handler; ours is registered after
/// it, and exit handlers run last-registered first.
#[expect(
    unsafe_code,
    reason = "SQLCipher's set-up and the C exit hook have no safe binding; the only unsafe in the workspace"
)]
pub(crate) fn initialize_once() -> StoreResult<()> {
    unsafe extern "C" {
        fn sqlcipher_extra_init(arg: *const std::ffi::c_char) -> std::ffi::c_int;
        fn atexit(handler: extern "C" fn()) -> std::ffi::c_int;
    }
    static INITIALIZED: OnceLock<std::ffi::c_int> = OnceLock::new();
    let rc = *INITIALIZED.get_or_init(|| {
        // SAFETY: both SQLite functions take no pointers we own (a null
        // argument is what SQLite itself passes) and may be called any number
        // of times from any thread; each serialises on SQLite's own mutexes.
        // `atexit` takes a function that lives as long as the program.
        unsafe {
            match libsqlite3_sys::sqlite3_initialize() {
                libsqlite3_sys::SQLITE_OK => match sqlcipher_extra_init(std::ptr::null()) {
                    libsqlite3_sys::SQLITE_OK => {
                        // If the hook cannot be registered the process still
                        // works; it may only crash on the way out.
                        atexit(wait_for_connections_to_close);
                        libsqlite3_sys::SQLITE_OK
                    }
                    failed => failed,
                },
                failed => failed,
            }
        }
    });
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(StoreError::Io(std::io::Error::other(format!(
            "SQLCipher failed to initialise (code {rc})"
        ))))
    }
}

/// Counts `conn` as open until SQLite has closed it. SQLite drops a
/// collation's data when the connection closes, after the pages and the
/// cipher context are freed, so the count falls only once SQLCipher is done
/// with the connection.
pub(crate) async fn track(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let open = OpenConnection::count();
    conn.lock_handle()
        .await?
        .create_collation(OPEN_MARKER, move |a, b| {
            let _held_until_close = &open;
            a.cmp(b)
        })
}

/// One connection SQLite has not closed yet.
struct OpenConnection;

impl OpenConnection {
    fn count() -> OpenConnection {
        *OPEN_CONNECTIONS
            .lock()
            .unwrap_or_else(PoisonError::into_inner) += 1;
        OpenConnection
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        let mut open = OPEN_CONNECTIONS
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *open = open.saturating_sub(1);
        if *open == 0 {
            ALL_CLOSED.notify_all();
        }
    }
}

/// The exit handler: must not panic (it runs from C).
extern "C" fn wait_for_connections_to_close() {
    let open = OPEN_CONNECTIONS
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    drop(ALL_CLOSED.wait_timeout_while(open, EXIT_WAIT, |open| *open > 0));
}

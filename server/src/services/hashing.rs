//! Argon2id work, bounded. Each password check takes about 19 MiB and a
//! core for a while; unbounded, a burst of sign-ins (which need no
//! account) takes the server's memory. So at most one hash runs per CPU,
//! a short queue waits for them, and whoever comes beyond the queue, or
//! waits too long in it, is turned away at once with "busy".
//!
//! The bound is per process by nature (it guards this process's memory
//! and cores); every limit on attempts lives in PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::services::accounts::{UserError, hash_password, verify_password};

/// Requests that may wait for a hashing slot, per CPU.
const QUEUE_PER_CPU: usize = 8;
/// The longest a request waits in the queue before it is turned away.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// Too many password checks at once: try again shortly.
#[derive(Debug)]
pub(crate) struct Busy;

#[derive(Clone)]
pub struct HashingGate {
    /// Hashes running now: about the CPU count.
    running: Arc<Semaphore>,
    /// Hashes running or waiting: beyond this, refused without waiting.
    admitted: Arc<Semaphore>,
}

impl HashingGate {
    /// `slots` hashes at once, `queue` more waiting.
    pub fn new(slots: usize, queue: usize) -> HashingGate {
        let slots = slots.max(1);
        HashingGate {
            running: Arc::new(Semaphore::new(slots)),
            admitted: Arc::new(Semaphore::new(slots + queue)),
        }
    }

    /// One hash per CPU, eight waiting per CPU.
    pub fn for_this_machine() -> HashingGate {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        HashingGate::new(cpus, cpus * QUEUE_PER_CPU)
    }

    /// `work` on a blocking thread once a slot is free; `Busy` if the
    /// queue is full or the wait too long. A caller that goes away while
    /// waiting gives its place up; once started, the hash finishes.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| Busy)?;
        let running = tokio::time::timeout(MAX_WAIT, self.running.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop((running, admitted));
            result
        })
        .await
        .map_err(|_| Busy)
    }

    /// Whether `password` matches the stored PHC string.
    pub(crate) async fn verify(&self, password: String, stored: String) -> Result<bool, Busy> {
        self.run(move || verify_password(&password, &stored)).await
    }

    /// A new Argon2id hash of `password`.
    pub(crate) async fn hash(&self, password: String) -> Result<Result<String, UserError>, Busy> {
        self.run(move || hash_password(&password)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_slots_and_the_queue_requests_are_turned_away_at_once() {
        let gate = HashingGate::new(1, 1);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(move || hold.recv().is_ok()).await })
        };
        // The first holds the one slot; the second waits in the queue.
        while gate.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let second = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| true).await })
        };
        while gate.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert!(gate.run(|| true).await.is_err(), "the third is turned away");
        release.send(()).unwrap();
        assert!(first.await.unwrap().unwrap());
        assert!(second.await.unwrap().unwrap());
        assert!(gate.run(|| true).await.is_ok(), "and later served again");
    }
}

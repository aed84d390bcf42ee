//! The frame every pushed operation passes through: one transaction, the
//! operation locked by `(device, op_seq)`, an earlier answer repeated (or,
//! for another operation under the same number, `seq_taken`), a refusal
//! rolled back to a savepoint, and the outcome remembered.

use sqlx::PgPool;
use tsunagu_protocol::{OpBody, OpOutcome, OpResult, Operation};

use crate::db;
use crate::db::savepoint::{self, Savepoint};
use crate::services::actor::{Actor, Failure, Refusal, refuse};
use crate::services::audit;
use crate::services::enrollment::Device;
use crate::services::sync::ops;

/// Claims that found nothing, per device within 15 minutes, before its
/// claims are refused for a while: with 2^40 codes, guessing one takes far
/// longer than anyone has.
pub const MAX_CLAIM_MISSES: i64 = 10;

/// Why a push could not be answered at all (a refused operation is an
/// answer).
#[derive(Debug)]
pub(crate) enum SyncError {
    Database(sqlx::Error),
    /// A stored value the server cannot read.
    BadData,
    /// The push was written against another lifetime of this database
    /// (it was restored since): nothing applied.
    EpochChanged,
}

impl From<sqlx::Error> for SyncError {
    fn from(e: sqlx::Error) -> Self {
        SyncError::Database(e)
    }
}

/// Applies a push's operations in order, each exactly once. After an
/// operation whose number was taken, none is applied: the client numbers
/// them again and sends them in the same order.
pub(crate) async fn push(
    pool: &PgPool,
    device: &Device,
    epoch: Option<uuid::Uuid>,
    ops: Vec<Operation>,
) -> Result<Vec<OpResult>, SyncError> {
    if let Some(seen) = epoch
        && seen != db::sync_log::epoch(pool).await?
    {
        return Err(SyncError::EpochChanged);
    }
    let mut results = Vec::with_capacity(ops.len());
    let mut taken = None;
    for op in ops {
        let result = match taken {
            Some(next) => OpResult {
                op_seq: op.op_seq,
                outcome: OpOutcome::SeqTaken { next },
            },
            None => push_one(pool, device, op).await?,
        };
        if let OpOutcome::SeqTaken { next } = result.outcome {
            taken = Some(next);
        }
        results.push(result);
    }
    Ok(results)
}

/// Applies one pushed operation exactly once.
async fn push_one(pool: &PgPool, device: &Device, op: Operation) -> Result<OpResult, SyncError> {
    let mut tx = pool.begin().await?;
    // Two pushes of the same operation wait for each other here.
    db::sync_log::lock_operation(&mut tx, device.id, op.op_seq).await?;
    if let Some(earlier) = db::sync_log::earlier_result(&mut tx, device.id, op.op_seq).await? {
        let outcome = if reused(earlier.op_id, op.op_id) {
            OpOutcome::SeqTaken {
                next: db::sync_log::next_free_seq(&mut tx, device.id).await?,
            }
        } else {
            serde_json::from_value(earlier.result).map_err(|_| SyncError::BadData)?
        };
        tx.rollback().await?;
        return Ok(OpResult {
            op_seq: op.op_seq,
            outcome,
        });
    }
    // A refused operation leaves nothing but its remembered refusal.
    savepoint::create(&mut tx, Savepoint::Operation).await?;
    let actor = Actor::from(device);
    let claiming = matches!(op.body, OpBody::ReferralClaimed { .. });
    let guessing =
        claiming && db::attempts::claim_misses(&mut tx, device.id).await? >= MAX_CLAIM_MISSES;
    let applied = if guessing {
        Err(refuse(
            "見つからない追跡コードが続いたため、しばらく受け付けません。15分ほど待ってから、紹介状の追跡コードを確かめてください",
        ))
    } else {
        ops::apply(&mut tx, &actor, &op.body).await
    };
    let outcome = match applied {
        Ok(()) => OpOutcome::Applied,
        Err(Failure::Refused(Refusal(reason))) => {
            savepoint::rollback_to(&mut tx, Savepoint::Operation).await?;
            if claiming {
                db::attempts::add_claim_miss(&mut tx, device.id).await?;
            }
            audit::record_refused_push(&mut tx, &actor.audit, op.op_seq, &reason).await?;
            OpOutcome::Refused { reason }
        }
        Err(Failure::Database(e)) => return Err(e.into()),
    };
    let stored = db::json(&outcome)?;
    db::sync_log::remember(&mut tx, device.id, op.op_seq, op.op_id, stored).await?;
    tx.commit().await?;
    Ok(OpResult {
        op_seq: op.op_seq,
        outcome,
    })
}

/// Another operation under a number already answered: both carry ids and
/// they differ. (An operation without an id, from a client before version
/// 4, can only be told by its number, as then.)
fn reused(remembered: Option<uuid::Uuid>, sent: Option<uuid::Uuid>) -> bool {
    matches!((remembered, sent), (Some(a), Some(b)) if a != b)
}

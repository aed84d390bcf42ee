//! The push half of an exchange: the outbox sent in order, in requests
//! bounded by count and by bytes, so that no batch is ever too large for
//! the server. An operation that alone would be too large is a conflict
//! the user sees, and the rest goes on. When the server says an operation
//! number was another operation's (this store was restored from a backup,
//! or its folder copied to another PC), the waiting operations are
//! numbered again where the server says and sent again.

use tsunagu_domain::ConsentGiver;
use tsunagu_protocol::{
    ErrorBody, ErrorCode as WireCode, MAX_REQUEST_BYTES, OpBody, OpOutcome, Operation,
    PROTOCOL_VERSION, PushRequest, PushResponse, WireEvent, WireEventDetails, WireFamilyGiver,
    WireLetterSummary,
};
use tsunagu_store::{OutboxItem, PendingOperation, Settlement, StoredEvent};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::exchange::json;
use crate::exchange::team::Uploaded;
use crate::sync::{garbled, read, unreachable};

/// Operations per push request (the server takes up to 500).
const PUSH_BATCH: u32 = 200;
/// Bytes per push request: a quarter of what the server reads, so that a
/// request is never refused for its size and a slow link sends it in good
/// time.
const PUSH_BUDGET: usize = MAX_REQUEST_BYTES / 4;
/// An operation larger than this can never be sent (the request around it
/// needs a little room).
const LARGEST_OPERATION: usize = MAX_REQUEST_BYTES - 4 * 1024;
/// Renumberings in one exchange before giving up: one is expected after a
/// restore; more mean another install keeps using this device's numbers.
const MAX_RENUMBERINGS: u32 = 3;

pub(crate) const TOO_LARGE: &str =
    "内容が大きすぎるため地域連携サーバーに送れません。記録の文章を短くして記録し直してください。";

/// What a push round did.
#[derive(Debug, Default)]
pub(super) struct Pushed {
    pub sent: usize,
    pub refused: usize,
    /// The server was restored since the last pull: it applied nothing
    /// more, and the feed must be read again before anything is sent.
    pub server_restored: bool,
    /// A post's file could not be uploaded: the post and everything after
    /// it wait for the next exchange (the pull still runs).
    pub upload_failed: Option<AppError>,
}

/// Where the requests go.
pub(super) struct Link<'a> {
    pub http: &'a reqwest::Client,
    pub server_url: &'a str,
    pub credential: &'a str,
}

impl App {
    /// Sends what waits until nothing does (or the server turns out to
    /// have been restored since `epoch` was seen).
    pub(super) async fn push_outbox(
        &self,
        link: &Link<'_>,
        epoch: Option<Uuid>,
    ) -> Result<Pushed, AppError> {
        let mut pushed = Pushed::default();
        let mut renumberings = 0;
        loop {
            let pending = self.store.pending_operations(PUSH_BATCH).await?;
            if pending.is_empty() {
                return Ok(pushed);
            }
            let pending = match next_step(&pending) {
                Step::Upload(uploads) => {
                    match self.upload_attachments(link, uploads).await {
                        Ok(Uploaded::Done) => {}
                        // The server will never take this file: the post is
                        // refused on its own, and the rest goes on.
                        Ok(Uploaded::Refused(reason)) => {
                            pushed.refused += 1;
                            pushed.sent += 1;
                            self.store
                                .settle_operations(
                                    &[(pending[0].op_seq, Settlement::Refused(reason))],
                                    self.clock.now(),
                                )
                                .await?;
                        }
                        Err(e) => {
                            pushed.upload_failed = Some(e);
                            return Ok(pushed);
                        }
                    }
                    continue;
                }
                Step::Push(count) => &pending[..count],
            };
            let batch = Batch::fill(pending, epoch)?;
            if !batch.too_large.is_empty() {
                let refusals: Vec<_> = batch
                    .too_large
                    .iter()
                    .map(|op_seq| (*op_seq, Settlement::Refused(TOO_LARGE.to_string())))
                    .collect();
                pushed.refused += refusals.len();
                pushed.sent += refusals.len();
                self.store
                    .settle_operations(&refusals, self.clock.now())
                    .await?;
            }
            if batch.request.ops.is_empty() {
                continue;
            }
            let response = link
                .http
                .post(format!("{}/v1/push", link.server_url))
                .bearer_auth(link.credential)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(batch.body)
                .send()
                .await
                .map_err(unreachable)?;
            if response.status() == reqwest::StatusCode::CONFLICT {
                let bytes = response.bytes().await.map_err(unreachable)?;
                let refusal: ErrorBody = serde_json::from_slice(&bytes).map_err(|_| garbled())?;
                if refusal.code == WireCode::EpochChanged {
                    pushed.server_restored = true;
                    return Ok(pushed);
                }
                return Err(AppError::new(ErrorCode::Network, refusal.message));
            }
            let answer = Answer::read(&batch.request, read(response).await?)?;
            pushed.refused += answer
                .settled
                .iter()
                .filter(|(_, s)| matches!(s, Settlement::Refused(_)))
                .count();
            pushed.sent += answer.settled.len();
            self.store
                .settle_operations(&answer.settled, self.clock.now())
                .await?;
            if let Some((from, next)) = answer.taken {
                renumberings += 1;
                if renumberings > MAX_RENUMBERINGS {
                    return Err(AppError::new(
                        ErrorCode::Network,
                        "地域連携サーバーと送信の番号が合いません。同じ登録の端末が他にないか確認してください（データフォルダーを別のPCに複製した場合は、どちらかを登録し直してください）。",
                    ));
                }
                self.store.renumber_pending(from, next).await?;
            }
        }
    }
}

/// What to do with the oldest waiting operations.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    /// The first waits for these files: upload them, then look again.
    Upload(&'a [Uuid]),
    /// Push the first `n` (the ones before a post still waiting for its
    /// files, or all).
    Push(usize),
}

/// A post goes only after its files: what comes before it is pushed
/// first, then its files are uploaded, then it goes. Whatever fails, the
/// outbox's order is kept.
fn next_step(pending: &[PendingOperation]) -> Step<'_> {
    let waiting = pending
        .iter()
        .position(|op| matches!(&op.item, OutboxItem::Team { uploads, .. } if !uploads.is_empty()));
    match waiting.map(|i| (i, &pending[i].item)) {
        Some((0, OutboxItem::Team { uploads, .. })) => Step::Upload(uploads),
        Some((before, _)) => Step::Push(before),
        None => Step::Push(pending.len()),
    }
}

/// One request's worth of the oldest waiting operations, and those too
/// large to send at all.
struct Batch {
    request: PushRequest,
    body: Vec<u8>,
    too_large: Vec<i64>,
}

impl Batch {
    fn fill(pending: &[PendingOperation], epoch: Option<Uuid>) -> Result<Batch, AppError> {
        let mut ops = Vec::new();
        let mut too_large = Vec::new();
        let mut bytes = 0;
        for item in pending {
            let op = pushed_operation(item)?;
            let size = json(&op)?.len();
            if size > LARGEST_OPERATION {
                too_large.push(op.op_seq);
                continue;
            }
            if !ops.is_empty() && bytes + size > PUSH_BUDGET {
                break;
            }
            bytes += size;
            ops.push(op);
        }
        let request = PushRequest {
            version: PROTOCOL_VERSION,
            epoch,
            ops,
        };
        let body = json(&request)?;
        Ok(Batch {
            request,
            body,
            too_large,
        })
    }
}

/// The server's answers: the operations settled, and where the numbers
/// were found taken (the first such operation's number and the server's
/// next free one); nothing after that was applied.
#[derive(Debug)]
struct Answer {
    settled: Vec<(i64, Settlement)>,
    taken: Option<(i64, i64)>,
}

impl Answer {
    /// The server answers each operation sent, in order; anything else is
    /// not trusted (and nothing is marked sent).
    fn read(request: &PushRequest, response: PushResponse) -> Result<Answer, AppError> {
        if response.results.len() != request.ops.len()
            || response
                .results
                .iter()
                .zip(&request.ops)
                .any(|(r, op)| r.op_seq != op.op_seq)
        {
            return Err(garbled());
        }
        let mut settled = Vec::with_capacity(response.results.len());
        for r in response.results {
            let settlement = match r.outcome {
                OpOutcome::Applied => Settlement::Applied,
                OpOutcome::Refused { reason } => Settlement::Refused(reason),
                OpOutcome::SeqTaken { next } if next > r.op_seq => {
                    return Ok(Answer {
                        settled,
                        taken: Some((r.op_seq, next)),
                    });
                }
                OpOutcome::SeqTaken { .. } => return Err(garbled()),
            };
            settled.push((r.op_seq, settlement));
        }
        Ok(Answer {
            settled,
            taken: None,
        })
    }
}

/// What an outbox row is sent as. Public, like `pulled_changes`, so that
/// tests can read the wire's operation without a server.
pub fn pushed_operation(pending: &PendingOperation) -> Result<Operation, AppError> {
    let body = match &pending.item {
        OutboxItem::Patient { patient } => OpBody::PatientShared {
            patient_id: patient.id,
            name: patient.fields.name.clone(),
            kana: patient.fields.kana.clone(),
            birth_date: patient.fields.birth_date,
            sex: patient.fields.sex.code().to_string(),
        },
        OutboxItem::Consent { record } => OpBody::ConsentRecorded {
            consent_id: record.id,
            patient_id: record.patient_id,
            obtained_on: record.consent.obtained_on,
            obtained_by: record.consent.obtained_by.clone(),
            desk: record.consent.share_with_desk,
            destination_hospital: record.consent.share_with_hospital,
            withdrawn_on: record.consent.withdrawn_on,
            team: record.share_with_team,
            preregistration: record.preregistration,
            preregistered_with: record.preregistered_with.clone(),
            family: match &record.given_by {
                ConsentGiver::Patient => None,
                ConsentGiver::Family { name, relation } => Some(WireFamilyGiver {
                    name: name.clone(),
                    relation: relation.clone(),
                }),
            },
        },
        OutboxItem::ReferralOpened {
            referral_id,
            patient_id,
            tracking_code,
            destination,
            sent,
            letter_input,
            ..
        } => OpBody::ReferralOpened {
            referral_id: *referral_id,
            patient_id: *patient_id,
            tracking_code: tracking_code.clone(),
            destination: *destination,
            sent: wire_event(sent)?,
            letter: letter_input
                .as_deref()
                .map(letter_summary)
                .transpose()?
                .flatten()
                .map(Box::new),
        },
        OutboxItem::Event { referral_id, event } => OpBody::EventAppended {
            referral_id: *referral_id,
            event: wire_event(event)?,
        },
        OutboxItem::Team { payload, .. } => {
            OpBody::Team(serde_json::from_str(payload).map_err(|_| {
                AppError::from(tsunagu_store::StoreError::Corrupt("team operation"))
            })?)
        }
        OutboxItem::DischargeAnswer { payload } => {
            OpBody::DischargeRequestAnswered(serde_json::from_str(payload).map_err(|_| {
                AppError::from(tsunagu_store::StoreError::Corrupt("discharge answer"))
            })?)
        }
        OutboxItem::LetterRevised {
            referral_id,
            version,
            letter_input,
        } => OpBody::LetterRevised {
            referral_id: *referral_id,
            version: *version,
            letter: Box::new(letter_summary(letter_input)?.ok_or_else(|| {
                AppError::from(tsunagu_store::StoreError::Corrupt("corrected letter"))
            })?),
        },
        OutboxItem::Intake { payload } => serde_json::from_str(payload)
            .map_err(|_| AppError::from(tsunagu_store::StoreError::Corrupt("intake operation")))?,
    };
    Ok(Operation {
        op_seq: pending.op_seq,
        op_id: Some(pending.op_id),
        body,
    })
}

fn wire_event(event: &StoredEvent) -> Result<WireEvent, AppError> {
    Ok(WireEvent {
        id: event.id,
        details: event.details.as_ref().map(WireEventDetails::from),
        voids: event.voids,
        note: event.note.clone(),
    })
}

/// What the region is told of a referral letter (who the family doctor is,
/// and why the patient was referred), read with the letters crate's own
/// type so a renamed field is a compile error, not an empty copy.
fn letter_summary(input: &str) -> Result<Option<WireLetterSummary>, AppError> {
    let letter: tsunagu_letters::Letter = serde_json::from_str(input)
        .map_err(|_| AppError::from(tsunagu_store::StoreError::Corrupt("letter input")))?;
    Ok(match letter {
        tsunagu_letters::Letter::Referral(l) => Some(WireLetterSummary {
            clinic: l.header.from.clinic,
            doctor: l.header.from.doctor,
            phone: l.header.from.phone,
            fax: l.header.from.fax,
            address: l.header.from.address,
            purpose: l.purpose,
            diagnoses: l.diagnoses,
        }),
        tsunagu_letters::Letter::Discharge(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tsunagu_store::EventSource;

    fn note_of(op_seq: i64, bytes: usize) -> PendingOperation {
        PendingOperation {
            op_seq,
            op_id: Uuid::from_u128(op_seq as u128),
            item: OutboxItem::Event {
                referral_id: Uuid::from_u128(1),
                event: StoredEvent {
                    id: Uuid::from_u128(1000 + op_seq as u128),
                    details: None,
                    voids: None,
                    note: "x".repeat(bytes),
                    source: EventSource::Clinic,
                    actor: "os:doctor".into(),
                    at: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
                },
            },
        }
    }

    fn team_op(op_seq: i64, uploads: Vec<Uuid>) -> PendingOperation {
        PendingOperation {
            op_seq,
            op_id: Uuid::from_u128(op_seq as u128),
            item: OutboxItem::Team {
                payload: "{}".into(),
                uploads,
            },
        }
    }

    #[test]
    fn a_post_goes_only_after_its_files_and_nothing_overtakes_it() {
        let file = Uuid::from_u128(77);
        let pending = vec![
            note_of(1, 10),
            team_op(2, vec![]),
            team_op(3, vec![file]),
            note_of(4, 10),
        ];
        assert_eq!(
            next_step(&pending),
            Step::Push(2),
            "the ones before it go first"
        );
        assert_eq!(next_step(&pending[2..]), Step::Upload(&[file]));
        assert_eq!(next_step(&pending[..2]), Step::Push(2));
        assert_eq!(next_step(&[]), Step::Push(0));
    }

    #[test]
    fn a_batch_stays_within_its_budget_and_sets_aside_what_can_never_be_sent() {
        let quarter = PUSH_BUDGET / 4;
        let pending = vec![
            note_of(1, quarter),
            note_of(2, MAX_REQUEST_BYTES),
            note_of(3, quarter),
            note_of(4, quarter),
            note_of(5, quarter),
            note_of(6, 10),
        ];
        let batch = Batch::fill(&pending, None).unwrap();
        let sent: Vec<i64> = batch.request.ops.iter().map(|op| op.op_seq).collect();
        assert_eq!(sent, [1, 3, 4], "the fourth quarter would pass the budget");
        assert_eq!(batch.too_large, [2]);
        assert!(batch.body.len() <= PUSH_BUDGET, "{}", batch.body.len());
        assert_eq!(batch.request.ops[0].op_id, Some(Uuid::from_u128(1)));

        // One operation larger than the budget (but one the server can
        // read) goes on its own.
        let big = vec![note_of(7, PUSH_BUDGET + 1), note_of(8, 10)];
        let batch = Batch::fill(&big, None).unwrap();
        let sent: Vec<i64> = batch.request.ops.iter().map(|op| op.op_seq).collect();
        assert_eq!(sent, [7]);
        assert!(batch.too_large.is_empty());
    }
}

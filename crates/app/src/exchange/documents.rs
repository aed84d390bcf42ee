//! A hospital's 返書 and 退院時サマリー (ADR 0041): the feed names each
//! document; after the pull its bytes are fetched
//! (`GET /v1/referral-documents/{id}`), checked against the size and
//! SHA-256 the feed gave and by the scanned reply's own rule
//! (`check_attachment`), and recorded as the referral's reply. A failure
//! is tried again at the next exchange, after the others.

use std::time::Duration;

use sha2::{Digest, Sha256};
use tsunagu_domain::ReplyFindings;
use tsunagu_protocol::WireHospitalDocument;
use tsunagu_store::{HospitalDocument, NewReply, PulledChange};

use super::push::Link;
use crate::App;
use crate::error::AppError;
use crate::replies::{AttachmentFile, attachment_of};
use crate::sync::{garbled, unreachable};
use tsunagu_domain::hospital_document::HospitalDocumentKind;

/// A document may be 20 MiB: on a slow clinic line that takes a while.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(300);
/// Documents fetched after one pull (the rest wait for the next exchange).
const FETCHES_PER_EXCHANGE: u32 = 20;

/// The feed's word of a document; none for a kind this version does not
/// know (a newer server's), which stays unread rather than stop the pull.
pub(super) fn pulled_document(d: WireHospitalDocument) -> Result<Vec<PulledChange>, AppError> {
    let Some(kind) = HospitalDocumentKind::from_code(&d.kind) else {
        return Ok(Vec::new());
    };
    Ok(vec![PulledChange::HospitalDocument(HospitalDocument {
        id: d.id,
        referral_id: d.referral_id,
        kind,
        name: d.name,
        size: i64::try_from(d.size).map_err(|_| garbled())?,
        sha256: d.sha256,
        actor: d.actor,
        uploaded_at: d.uploaded_at,
    })])
}

impl App {
    /// Fetches the documents waiting and records each as its referral's
    /// reply; how many were recorded.
    pub(super) async fn fetch_hospital_documents(
        &self,
        link: &Link<'_>,
    ) -> Result<usize, AppError> {
        let mut recorded = 0;
        for document in self
            .store
            .hospital_documents_waiting(FETCHES_PER_EXCHANGE)
            .await?
        {
            let bytes = async {
                let response = link
                    .http
                    .get(format!(
                        "{}/v1/referral-documents/{}",
                        link.server_url, document.id
                    ))
                    .bearer_auth(link.credential)
                    .timeout(TRANSFER_TIMEOUT)
                    .send()
                    .await
                    .map_err(unreachable)?;
                if !response.status().is_success() {
                    return Err(garbled());
                }
                response.bytes().await.map_err(unreachable)
            }
            .await;
            let good = bytes.ok().filter(|b| {
                i64::try_from(b.len()).is_ok_and(|n| n == document.size)
                    && hex::encode(Sha256::digest(b)) == document.sha256
            });
            let reply = good.and_then(|bytes| self.reply_of(&document, bytes.to_vec()));
            match reply {
                Some(reply) => {
                    self.store.record_hospital_document(&reply).await?;
                    recorded += 1;
                }
                None => {
                    self.store
                        .hospital_document_fetch_failed(document.id)
                        .await?;
                }
            }
        }
        Ok(recorded)
    }

    /// The reply a document becomes: its file under the scanned reply's
    /// checks, received on the day it was sent (in Japan), findings left to
    /// the PDF and a note saying where it came from. `None` if the file
    /// fails the checks.
    fn reply_of(&self, document: &HospitalDocument, bytes: Vec<u8>) -> Option<NewReply> {
        let attachment = attachment_of(AttachmentFile {
            name: document.name.clone(),
            bytes,
        })
        .ok()?;
        let received_on = tsunagu_domain::japan_day(document.uploaded_at);
        let findings = ReplyFindings {
            received_on,
            initial_diagnosis: String::new(),
            final_diagnosis: String::new(),
            findings: String::new(),
            treatment: String::new(),
            recommendations: String::new(),
            medication_changes: String::new(),
            note: document.kind.reply_note(),
        };
        Some(NewReply {
            id: document.id,
            referral_id: document.referral_id,
            received_on,
            findings: serde_json::to_string(&findings).ok()?,
            attachment: Some(attachment),
            recorded_by: document.actor.clone(),
            recorded_at: self.clock.now(),
        })
    }
}

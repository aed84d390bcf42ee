//! Reply letters (返書): what the hospital wrote back, recorded against the
//! referral with the scan attached. A received reply closes the loop.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tsunagu_domain::Capability;
use tsunagu_domain::{ReplyDraft, ReplyFindings, check_attachment, check_reply, format_wareki};
use tsunagu_store::{NewReply, ReplyAttachment, ReplyRecord};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::patients::parse_id;
use crate::referrals::{ReferralView, state_of};

/// A file the physician chose to attach, as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyView {
    pub id: Uuid,
    /// 和暦
    pub received_on: String,
    pub findings: ReplyFindings,
    pub attachment_name: Option<String>,
    pub attachment_size: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl ReplyView {
    pub(crate) fn of(record: ReplyRecord) -> Result<ReplyView, AppError> {
        let findings = serde_json::from_str(&record.findings)
            .map_err(|_| AppError::from(tsunagu_store::StoreError::Corrupt("reply")))?;
        Ok(ReplyView {
            id: record.id,
            received_on: format_wareki(record.received_on),
            findings,
            attachment_name: record.attachment_name,
            attachment_size: record.attachment_size,
            recorded_by: record.recorded_by,
            recorded_at: record.recorded_at,
        })
    }
}

impl App {
    /// Records the hospital's reply, with its scan if one was chosen. The
    /// form's mistakes come back by field; a file that is not a PDF or an
    /// image, or is over 20 MB, is refused and nothing is stored.
    pub async fn record_reply(
        &self,
        referral_id: &str,
        draft: &ReplyDraft,
        attachment: Option<AttachmentFile>,
    ) -> Result<ReferralView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let referral_id = parse_id(referral_id)?;
        let record = self.store.referral(referral_id).await?;
        let state = state_of(&record)?;
        let attachment = attachment.map(attachment_of).transpose()?;
        let findings = check_reply(
            draft,
            state.sent_on,
            self.clock.today(),
            attachment.is_some(),
        )
        .map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|e| FieldMessage {
                        field: e.field.key().to_string(),
                        message: format!("{}。", e.message),
                    })
                    .collect(),
            )
        })?;
        let reply = NewReply {
            id: tsunagu_domain::new_id(),
            referral_id,
            received_on: findings.received_on,
            findings: serde_json::to_string(&findings)
                .map_err(|_| AppError::from(tsunagu_store::StoreError::Corrupt("reply")))?,
            attachment,
            recorded_by: self.actor(),
            recorded_at: self.clock.now(),
        };
        self.store.record_reply(&reply).await?;
        self.referral(&referral_id.to_string()).await
    }

    /// A reply's scan, to open in the OS viewer. Recorded in the audit log.
    pub async fn reply_attachment(&self, reply_id: &str) -> Result<ReplyAttachment, AppError> {
        self.require(Capability::ReadClinicalText)?;
        Ok(self
            .store
            .reply_attachment(parse_id(reply_id)?, &self.actor(), self.clock.now())
            .await?)
    }
}

pub(crate) fn attachment_of(file: AttachmentFile) -> Result<ReplyAttachment, AppError> {
    let kind = check_attachment(file.bytes.len() as u64, &file.bytes)
        .map_err(|e| AppError::field("attachment", format!("{e}。")))?;
    let name: String = file.name.trim().chars().take(200).collect();
    Ok(ReplyAttachment {
        name: if name.is_empty() {
            format!("返書.{}", kind.extension())
        } else {
            name
        },
        media_type: kind.media_type().to_string(),
        sha256: hex::encode(Sha256::digest(&file.bytes)),
        bytes: file.bytes,
    })
}

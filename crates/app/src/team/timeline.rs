//! Writing on the timeline: posts (連絡, 訪問報告 with vital signs,
//! 相談・依頼, 緊急), replies and corrections, files, 「確認しました」, read
//! receipts and closing a 相談. Posts are immutable: a correction is a new
//! post that strikes the old one.

use sha2::{Digest, Sha256};
use tsunagu_domain::Capability;
use tsunagu_domain::team::{
    EntryKind, RequestActor, RequestState, VitalsDraft, check_body, check_correction,
    check_may_post, check_reply_target, check_team_attachment, check_vitals,
};
use tsunagu_protocol::{MAX_READ_PER_OP, TeamOp, WireNewEntry};
use tsunagu_store::{EntryRecord, EntryState, NewAttachment, TeamOperation, TeamWrite};
use uuid::Uuid;

use super::{TeamContext, team_error, timeline_facts};
use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};
use crate::exchange::wire_vitals;
use crate::patients::parse_id;

/// At most this many files on one post.
pub const MAX_FILES_PER_POST: usize = 10;

/// The post form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostDraft {
    /// The domain's `EntryKind` code.
    pub kind: String,
    pub body: String,
    /// Filled for a 訪問報告 only.
    pub vitals: VitalsDraft,
    /// The post this one answers.
    pub reply_to: Option<String>,
    /// The clinic's own post this one corrects.
    pub strikes: Option<String>,
}

/// A checked post, not yet written (see `App::prepare_team_post`).
#[derive(Debug, Clone)]
pub(crate) struct PreparedPost {
    pub entry: EntryRecord,
    pub attachments: Vec<NewAttachment>,
    pub answered: Option<(Uuid, RequestState)>,
    pub operation: Option<TeamOperation>,
}

/// A file the user chose in the OS dialog, as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAttachmentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl App {
    /// Posts on the patient's timeline. The form's mistakes come back by
    /// field (本文, vital signs, files); what the team's rules refuse comes
    /// back with the domain's message. Nothing is stored then.
    pub async fn post_to_team(
        &self,
        team_id: &str,
        draft: &PostDraft,
        files: Vec<TeamAttachmentFile>,
    ) -> Result<EntryRecord, AppError> {
        let post = self.prepare_team_post(team_id, draft, files).await?;
        let actor = self.actor();
        self.store
            .post_team_entry(
                &post.entry,
                &post.attachments,
                post.answered,
                &TeamWrite {
                    operation: post.operation.as_ref(),
                    actor: &actor,
                    now: post.entry.posted_at,
                },
            )
            .await?;
        Ok(post.entry)
    }

    /// Checks a post and makes it ready to write, writing nothing: on its
    /// own (`post_to_team`) or with a record it shares, in one transaction.
    pub(crate) async fn prepare_team_post(
        &self,
        team_id: &str,
        draft: &PostDraft,
        files: Vec<TeamAttachmentFile>,
    ) -> Result<PreparedPost, AppError> {
        let ctx = self.team_context(team_id).await?;
        let author = self.team_author()?;
        let now = self.clock.now();
        let kind = EntryKind::from_code(&draft.kind)
            .filter(|k| !k.is_system())
            .ok_or_else(|| AppError::field("kind", "投稿の種類を選んでください。"))?;
        let mut fields = Vec::new();
        let vitals = match check_vitals(&draft.vitals) {
            Ok(vitals) => vitals,
            Err(errors) => {
                fields.extend(
                    errors
                        .into_iter()
                        .map(|(f, message)| FieldMessage::new(f.key(), message)),
                );
                None
            }
        };
        let body = check_body(kind, &draft.body, vitals.is_some())
            .map_err(|e| fields.push(FieldMessage::new("body", e.0)))
            .ok();
        let mut attachments = Vec::new();
        if files.len() > MAX_FILES_PER_POST {
            fields.push(FieldMessage::new(
                "attachments",
                format!("添付できるファイルは1回の投稿につき{MAX_FILES_PER_POST}個までです。"),
            ));
        }
        for file in files {
            let head = &file.bytes[..file.bytes.len().min(16)];
            match check_team_attachment(&file.name, file.bytes.len() as u64, head) {
                Ok(checked) => attachments.push(NewAttachment {
                    id: tsunagu_domain::new_id(),
                    name: checked.name,
                    media_type: checked.kind.media_type().to_string(),
                    sha256: hex::encode(Sha256::digest(&file.bytes)),
                    bytes: file.bytes,
                }),
                Err(e) => fields.push(FieldMessage::new("attachments", e.0)),
            }
        }
        check_may_post(
            &ctx.own.as_member(),
            author.profession,
            kind,
            vitals.is_some(),
            ctx.may_share,
            now,
        )
        .map_err(team_error)?;
        let Some(body) = body.filter(|_| fields.is_empty()) else {
            return Err(AppError::validation(fields));
        };
        let entries = self.store.team_entries(ctx.team.id).await?;
        let find = |id: &Option<String>, field: &str| -> Result<Option<&EntryRecord>, AppError> {
            match id {
                None => Ok(None),
                Some(id) => {
                    let id = parse_id(id)?;
                    entries
                        .iter()
                        .find(|e| e.id == id)
                        .map(Some)
                        .ok_or_else(|| AppError::field(field, "対象の投稿が見つかりません。"))
                }
            }
        };
        let reply_to = find(&draft.reply_to, "replyTo")?;
        let strikes = find(&draft.strikes, "strikes")?;
        if let Some(target) = reply_to {
            check_reply_target(&timeline_facts(target, &entries)).map_err(team_error)?;
        }
        if let Some(original) = strikes {
            check_correction(
                &timeline_facts(original, &entries),
                kind,
                reply_to.map(|r| r.id.to_string()).as_deref(),
                &ctx.own.id.to_string(),
            )
            .map_err(team_error)?;
        }
        // A reply to a 相談 answers it (unless the asker replies), as the
        // server will say; a closed one takes no more replies.
        let answered = match reply_to {
            Some(request) if request.kind == EntryKind::Request && request.reply_to.is_none() => {
                let replier = if request.author_member == Some(ctx.own.id) {
                    RequestActor::Asker
                } else {
                    RequestActor::Physician
                };
                match request.request_state {
                    Some(state) => {
                        Some((request.id, state.after_reply(replier).map_err(team_error)?))
                    }
                    None => None,
                }
            }
            _ => None,
        };
        let entry = EntryRecord {
            id: tsunagu_domain::new_id(),
            team_id: ctx.team.id,
            seq: None,
            kind,
            body,
            author_member: Some(ctx.own.id),
            author: format!("{} {}", ctx.own.name, author.name)
                .trim()
                .to_string(),
            reply_to: reply_to.map(|r| r.id),
            strikes: strikes.map(|s| s.id),
            vitals,
            request_state: (kind == EntryKind::Request && reply_to.is_none())
                .then_some(tsunagu_domain::team::RequestState::Open),
            posted_at: now,
            state: EntryState::Pending,
            attachments: Vec::new(),
        };
        let op = self.team_operation(
            ctx.may_share,
            entry.id,
            &TeamOp::Posted {
                team_id: ctx.team.id,
                entry: WireNewEntry {
                    id: entry.id,
                    kind: kind.code().to_string(),
                    body: entry.body.clone(),
                    reply_to: entry.reply_to,
                    strikes: entry.strikes,
                    vitals: entry.vitals.map(wire_vitals),
                    attachments: attachments.iter().map(|a| a.id).collect(),
                    written_at: now,
                },
                by: author.wire(),
            },
        )?;
        Ok(PreparedPost {
            entry,
            attachments,
            answered,
            operation: op,
        })
    }

    /// 「確認しました」 on another member's entry (and so read). Once is
    /// enough: a second click changes nothing.
    pub async fn acknowledge_team_entry(
        &self,
        team_id: &str,
        entry_id: &str,
    ) -> Result<(), AppError> {
        let ctx = self.team_context(team_id).await?;
        let entry_id = parse_id(entry_id)?;
        let entries = self.store.team_entries(ctx.team.id).await?;
        let entry = entries
            .iter()
            .find(|e| e.id == entry_id)
            .ok_or_else(AppError::not_found)?;
        if entry.author_member == Some(ctx.own.id) {
            return Ok(());
        }
        let already = self
            .store
            .team_receipts(ctx.team.id)
            .await?
            .iter()
            .any(|r| {
                r.entry_id == entry_id && r.member_id == ctx.own.id && r.acknowledged_at.is_some()
            });
        if already {
            return Ok(());
        }
        let author = self.team_author()?;
        // The outbox row names a record of its own: naming the entry would
        // make a refused acknowledgement read as a refused post.
        let op = self.team_operation(
            ctx.may_share,
            tsunagu_domain::new_id(),
            &TeamOp::Acknowledged {
                team_id: ctx.team.id,
                entry_id,
                by: author.wire(),
            },
        )?;
        self.receipts(&ctx, &author.name, &[entry_id], true, op.as_ref())
            .await
    }

    /// Marks every entry by others that the clinic has not read as read
    /// (the timeline was shown): read receipts are automatic. One
    /// operation per [`MAX_READ_PER_OP`] entries.
    pub async fn mark_team_read(&self, team_id: &str) -> Result<usize, AppError> {
        let ctx = self.team_context(team_id).await?;
        let entries = self.store.team_entries(ctx.team.id).await?;
        let receipts = self.store.team_receipts(ctx.team.id).await?;
        let unread: Vec<Uuid> = entries
            .iter()
            .filter(|e| {
                e.state == EntryState::Confirmed
                    && e.author_member != Some(ctx.own.id)
                    && !receipts
                        .iter()
                        .any(|r| r.entry_id == e.id && r.member_id == ctx.own.id)
            })
            .map(|e| e.id)
            .collect();
        if unread.is_empty() {
            return Ok(0);
        }
        let author = self.team_author()?;
        for chunk in unread.chunks(MAX_READ_PER_OP) {
            let op = self.team_operation(
                ctx.may_share,
                tsunagu_domain::new_id(),
                &TeamOp::Read {
                    team_id: ctx.team.id,
                    entry_ids: chunk.to_vec(),
                    by: author.wire(),
                },
            )?;
            self.receipts(&ctx, &author.name, chunk, false, op.as_ref())
                .await?;
        }
        Ok(unread.len())
    }

    /// Ends a 相談・依頼: its asker or the physician (the clinic owns the
    /// team, so it may close any).
    pub async fn close_team_request(&self, team_id: &str, entry_id: &str) -> Result<(), AppError> {
        let ctx = self.team_context(team_id).await?;
        let entry_id = parse_id(entry_id)?;
        let entries = self.store.team_entries(ctx.team.id).await?;
        let entry = entries
            .iter()
            .find(|e| e.id == entry_id)
            .ok_or_else(AppError::not_found)?;
        let state = match (entry.kind, entry.request_state) {
            (EntryKind::Request, Some(state)) if entry.reply_to.is_none() => state,
            _ => return Err(team_error(tsunagu_domain::team::TeamError::NotARequest)),
        };
        let closer = if entry.author_member == Some(ctx.own.id) {
            RequestActor::Asker
        } else {
            RequestActor::Physician
        };
        state.close(closer).map_err(team_error)?;
        let author = self.team_author()?;
        let op = self.team_operation(
            ctx.may_share,
            tsunagu_domain::new_id(),
            &TeamOp::RequestClosed {
                team_id: ctx.team.id,
                entry_id,
                by: author.wire(),
            },
        )?;
        let actor = self.actor();
        self.store
            .close_team_request(
                ctx.team.id,
                entry_id,
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now: self.clock.now(),
                },
            )
            .await?;
        Ok(())
    }

    /// A file on the timeline, to open in the OS viewer or save: its name,
    /// media type and bytes. Audited.
    pub async fn team_attachment(
        &self,
        attachment_id: &str,
    ) -> Result<(String, String, Vec<u8>), AppError> {
        self.require(Capability::ReadClinicalText)?;
        let (meta, bytes) = self
            .store
            .team_attachment(parse_id(attachment_id)?, &self.actor(), self.clock.now())
            .await?;
        let bytes = bytes.ok_or_else(|| {
            AppError::new(
                ErrorCode::Conflict,
                "このファイルはまだ受信していません。同期が終わってから開いてください。",
            )
        })?;
        Ok((meta.name, meta.media_type, bytes))
    }

    async fn receipts(
        &self,
        ctx: &TeamContext,
        reader: &str,
        entries: &[Uuid],
        acknowledged: bool,
        operation: Option<&tsunagu_store::TeamOperation>,
    ) -> Result<(), AppError> {
        let actor = self.actor();
        self.store
            .record_team_receipts(
                ctx.team.id,
                ctx.own.id,
                reader,
                entries,
                acknowledged,
                &TeamWrite {
                    operation,
                    actor: &actor,
                    now: self.clock.now(),
                },
            )
            .await?;
        Ok(())
    }
}

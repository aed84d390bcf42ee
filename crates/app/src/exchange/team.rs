//! The team's side of an exchange (ADR 0023): the feed's team changes and
//! directory in the store's terms, the files a post needs uploaded before
//! it is pushed, and the files the feed named fetched afterwards.

use std::time::Duration;

use sha2::{Digest, Sha256};
use tsunagu_domain::team::conference::{Attendance, ConferenceState};
use tsunagu_domain::team::{
    EntryKind, FirstContactTopic, MemberState, OrganisationKind, RequestState, TeamRole, Vitals,
};
use tsunagu_protocol::{
    ErrorBody, ErrorCode as WireCode, TeamChangeBody, WireAttachment, WireConference,
    WireDirectoryEntry, WireVitals,
};
use tsunagu_store::{
    AttachmentMeta, ConferenceRecord, DirectoryEntry, EntryRecord, EntryState, InviteeRecord,
    MemberRecord, PulledChange, TeamPulled,
};
use uuid::Uuid;

use super::push::Link;
use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::sync::{garbled, unreachable};

/// A file may be 20 MiB: on a slow clinic line that takes a while.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(300);
/// Files fetched after one pull (the rest wait for the next exchange).
const FETCHES_PER_EXCHANGE: u32 = 50;

pub(super) fn pulled_team(body: TeamChangeBody) -> Result<PulledChange, AppError> {
    let change = match body {
        TeamChangeBody::Started {
            team_id,
            patient_id,
            started_at,
        } => TeamPulled::Started {
            team_id,
            patient_id,
            started_at,
        },
        TeamChangeBody::Member { team_id, member } => TeamPulled::Member(MemberRecord {
            id: member.id,
            team_id,
            organisation_id: member.organisation_id,
            name: member.name,
            kind: match member.kind.as_str() {
                "" => None,
                code => Some(OrganisationKind::from_code(code).ok_or_else(garbled)?),
            },
            role: TeamRole::from_code(&member.role).ok_or_else(garbled)?,
            state: MemberState::from_code(&member.state).ok_or_else(garbled)?,
            person: member.person,
            phone: member.phone,
            fax: member.fax,
            relation: member.relation,
            expires_at: member.expires_at,
            needs_approval: member.needs_approval,
            access_until: member.access_until,
            first_contact_for: member
                .first_contact_for
                .iter()
                .map(|t| FirstContactTopic::from_code(t).ok_or_else(garbled))
                .collect::<Result<_, _>>()?,
            invited_by: member.invited_by,
        }),
        TeamChangeBody::Entry { team_id, entry } => TeamPulled::Entry(EntryRecord {
            id: entry.id,
            team_id,
            seq: Some(entry.seq),
            kind: EntryKind::from_code(&entry.kind).ok_or_else(garbled)?,
            body: entry.body,
            author_member: entry.author_member,
            author: entry.author,
            reply_to: entry.reply_to,
            strikes: entry.strikes,
            vitals: entry.vitals.map(vitals_of),
            request_state: entry
                .request_state
                .map(|s| RequestState::from_code(&s).ok_or_else(garbled))
                .transpose()?,
            posted_at: entry.posted_at,
            state: EntryState::Confirmed,
            attachments: entry
                .attachments
                .into_iter()
                .map(attachment_of)
                .collect::<Result<_, _>>()?,
        }),
        TeamChangeBody::Receipt {
            entry_id, receipt, ..
        } => TeamPulled::Receipt {
            entry_id,
            member_id: receipt.member_id,
            reader: receipt.reader,
            read_at: receipt.read_at,
            acknowledged_at: receipt.acknowledged_at,
        },
        TeamChangeBody::RequestState {
            entry_id, state, ..
        } => TeamPulled::RequestState {
            entry_id,
            state: RequestState::from_code(&state).ok_or_else(garbled)?,
        },
        TeamChangeBody::Conference {
            team_id,
            conference,
        } => TeamPulled::Conference(conference_of(team_id, conference)?),
        TeamChangeBody::History {
            team_id,
            what: change,
            member_id,
            actor,
            at,
        } => TeamPulled::History {
            team_id,
            change,
            member_id,
            actor,
            at,
        },
    };
    Ok(PulledChange::Team(change))
}

pub(super) fn pulled_directory(entry: WireDirectoryEntry) -> Result<PulledChange, AppError> {
    Ok(PulledChange::Team(TeamPulled::Directory(DirectoryEntry {
        id: entry.id,
        name: entry.name,
        kind: OrganisationKind::from_code(&entry.kind).ok_or_else(garbled)?,
        phone: entry.phone,
        fax: entry.fax,
        stopped: entry.stopped,
    })))
}

/// A conference as the feed brings it; a state or an answer this build
/// does not know is a garbled answer (the wire's version says what it may
/// carry).
fn conference_of(team_id: Uuid, c: WireConference) -> Result<ConferenceRecord, AppError> {
    Ok(ConferenceRecord {
        id: c.id,
        team_id,
        starts_at: c.starts_at,
        place: c.place,
        link: c.link,
        note: c.note,
        state: ConferenceState::from_code(&c.state).ok_or_else(garbled)?,
        organiser_member: c.organiser_member,
        organiser: c.organiser,
        invitees: c
            .invitees
            .into_iter()
            .map(|i| {
                Ok(InviteeRecord {
                    member_id: i.member_id,
                    attendance: Attendance::from_code(&i.attendance).ok_or_else(garbled)?,
                    answered_by: i.answered_by,
                    answered_at: i.answered_at,
                })
            })
            .collect::<Result<_, AppError>>()?,
        minutes_entry: c.minutes_entry,
        scheduled_at: c.scheduled_at,
    })
}

fn vitals_of(v: WireVitals) -> Vitals {
    Vitals {
        body_temperature: v.body_temperature,
        systolic: v.systolic,
        diastolic: v.diastolic,
        pulse: v.pulse,
        spo2: v.spo2,
        respiratory_rate: v.respiratory_rate,
        weight: v.weight,
    }
}

pub(crate) fn wire_vitals(v: Vitals) -> WireVitals {
    WireVitals {
        body_temperature: v.body_temperature,
        systolic: v.systolic,
        diastolic: v.diastolic,
        pulse: v.pulse,
        spo2: v.spo2,
        respiratory_rate: v.respiratory_rate,
        weight: v.weight,
    }
}

fn attachment_of(a: WireAttachment) -> Result<AttachmentMeta, AppError> {
    let sha256 = a.sha256.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(garbled());
    }
    Ok(AttachmentMeta {
        id: a.id,
        name: a.name,
        media_type: a.media_type,
        size: i64::try_from(a.size).map_err(|_| garbled())?,
        sha256,
        held: false,
        uploaded: true,
    })
}

/// A file name in a query string: everything but the unreserved
/// characters percent-encoded (UTF-8), so a Japanese name arrives whole.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What an upload of a post's files came to.
#[derive(Debug)]
pub(super) enum Uploaded {
    Done,
    /// The server will never take one of them; its reason, in Japanese.
    Refused(String),
}

pub(super) fn upload_failed() -> AppError {
    AppError::new(
        ErrorCode::Network,
        "添付ファイルを地域連携サーバーに送れませんでした。投稿は未送信のまま残り、次の同期で送り直します。",
    )
}

impl App {
    /// Uploads `ids` (a waiting post's files), each marked once the server
    /// has it. The first failure stops: the post and all after it wait
    /// (`Err`), unless the server will never take the file (`Refused`).
    pub(super) async fn upload_attachments(
        &self,
        link: &Link<'_>,
        ids: &[Uuid],
    ) -> Result<Uploaded, AppError> {
        for id in ids {
            let (name, bytes) = self.store.team_attachment_bytes(*id).await?;
            let response = link
                .http
                .put(format!(
                    "{}/v1/attachments/{id}?name={}",
                    link.server_url,
                    percent_encode(&name)
                ))
                .bearer_auth(link.credential)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .timeout(TRANSFER_TIMEOUT)
                .body(bytes)
                .send()
                .await
                .map_err(|_| upload_failed())?;
            let status = response.status();
            let body = response.bytes().await.map_err(|_| upload_failed())?;
            if !status.is_success() {
                let refusal: ErrorBody =
                    serde_json::from_slice(&body).map_err(|_| upload_failed())?;
                return match refusal.code {
                    // The file itself is refused (its content, name or size,
                    // or an id that is another organisation's): sending it
                    // again changes nothing.
                    WireCode::Malformed | WireCode::TooLarge | WireCode::Forbidden => {
                        Ok(Uploaded::Refused(refusal.message))
                    }
                    _ => Err(upload_failed()),
                };
            }
            let stored: WireAttachment = serde_json::from_slice(&body).map_err(|_| garbled())?;
            if stored.id != *id {
                return Err(garbled());
            }
            self.store.mark_attachment_uploaded(*id).await?;
        }
        Ok(Uploaded::Done)
    }

    /// Fetches the files the feed named and this install lacks, checks
    /// each against its SHA-256 and keeps it. A failure is counted and
    /// tried again at a later exchange; it fails nothing else.
    pub(super) async fn fetch_attachments(&self, link: &Link<'_>) -> Result<usize, AppError> {
        let mut fetched = 0;
        for missing in self
            .store
            .missing_team_attachments(FETCHES_PER_EXCHANGE)
            .await?
        {
            let bytes = async {
                let response = link
                    .http
                    .get(format!("{}/v1/attachments/{}", link.server_url, missing.id))
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
                i64::try_from(b.len()).is_ok_and(|n| n == missing.size)
                    && hex::encode(Sha256::digest(b)) == missing.sha256
            });
            match good {
                Some(bytes) => {
                    self.store.keep_team_attachment(missing.id, &bytes).await?;
                    fetched += 1;
                }
                None => self.store.team_attachment_fetch_failed(missing.id).await?,
            }
        }
        Ok(fetched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_percent_encoded_whole() {
        assert_eq!(percent_encode("a b.pdf"), "a%20b.pdf");
        assert_eq!(percent_encode("創部.jpg"), "%E5%89%B5%E9%83%A8.jpg");
        assert_eq!(percent_encode("x&name=y"), "x%26name%3Dy");
    }
}

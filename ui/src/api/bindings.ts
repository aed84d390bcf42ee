// Generated from the Rust IPC types (src-tauri/ipc/) by ts-rs.
// Do not edit by hand: run `make bindings`.

export type Sex = "male" | "female" | "other";

export type ClinicProfile = { name: string, 
/**
 * Empty when the clinic has not entered one.
 */
institutionCode: string, postalCode: string, address: string, phone: string, fax: string, doctorName: string, };

export type PatientInput = { name: string, kana: string, birthDate: string, sex: Sex | null, address: string, phone: string, keyPersonName: string, keyPersonRelation: string, keyPersonPhone: string, chartNumber: string, memo: string, };

export type Patient = { id: string, name: string, kana: string, 
/**
 * ISO 8601 date, e.g. 1950-04-01.
 */
birthDate: string, 
/**
 * e.g. 昭和25年4月1日
 */
birthDateWareki: string, 
/**
 * e.g. 昭和25年4月1日（76歳）
 */
birthDateDisplay: string, age: number, sex: Sex, address: string, phone: string, keyPersonName: string, keyPersonRelation: string, keyPersonPhone: string, chartNumber: string | null, memo: string, deleted: boolean, createdAt: string, updatedAt: string, };

export type PatientSummary = { id: string, name: string, kana: string, birthDate: string, birthDateDisplay: string, sex: Sex, chartNumber: string | null, deleted: boolean, };

export type SearchResult = { patients: Array<PatientSummary>, 
/**
 * How many match in all; `patients` holds at most 100 of them.
 */
total: number, 
/**
 * More than `total` match: counting stopped there (shown as 「1,000件以上」).
 */
totalCapped: boolean, };

export type BirthDatePreview = { iso: string, display: string, };

export type ErrorCode = "validation" | "not_found" | "conflict" | "store_unavailable" | "store_key_missing" | "store_key_wrong" | "store_file_missing" | "keyring_unavailable" | "network" | "signed_out" | "locked" | "forbidden" | "internal";

export type FieldError = { field: string, message: string, };

export type AppError = { code: ErrorCode, message: string, fields: Array<FieldError>, };

export type StartupState = { "status": "ready", clinic: ClinicProfile | null, dataDir: string, } | { "status": "failed", error: AppError, dataDir: string, } | { "status": "new", dataDir: string, };

export type SignedInAccount = { login: string, displayName: string, 
/**
 * `doctor`, `nurse` or `clerk`.
 */
role: string, 
/**
 * 医師, 看護師 or 事務.
 */
roleLabel: string, isAdmin: boolean, 
/**
 * A temporary password from the administrator: change it first.
 */
mustChangePassword: boolean, hasPin: boolean, };

export type Session = { firstAccountNeeded: boolean, account: SignedInAccount | null, locked: boolean, pinUnlocks: boolean, lockMinutes: number, };

export type Account = { id: string, login: string, displayName: string, role: string, roleLabel: string, isAdmin: boolean, disabled: boolean, mustChangePassword: boolean, };

export type AccountInput = { login: string, displayName: string, role: string, isAdmin: boolean, password: string, };

export type ChosenBackup = { 
/**
 * Pass back with the passphrase to restore it.
 */
token: string, name: string, 
/**
 * When the backup was made, e.g. 2026年11月24日 18:00.
 */
madeAt: string, };

export type LetterKind = "referral" | "discharge";

export type LabRowDraft = { item: string, value: string, unit: string, referenceRange: string, 
/**
 * 検査日 as typed, e.g. 2026-05-08.
 */
takenOn: string, };

export type LetterDraftContent = { toInstitution: string, toDepartment: string, toDoctor: string, 
/**
 * 御侍史 / 御机下; empty chooses by whether a doctor is named.
 */
toHonorific: string, purpose: string, diagnoses: string, history: string, course: string, treatment: string, prescriptions: string, remarks: string, enclosures: string, admittedOn: string, dischargedOn: string, reason: string, admissionDiagnoses: string, chiefComplaint: string, presentIllness: string, hospitalCourse: string, dischargeDiagnoses: string, dischargePrescriptions: string, plan: string, contact: string, 
/**
 * 検査結果, typed or imported from a CSV; printed as a table in
 * 症状経過及び検査結果 (入院中経過 on a discharge letter).
 */
labResults: Array<LabRowDraft>, };

export type LetterDraft = { id: string, patientId: string, kind: LetterKind, content: LetterDraftContent, 
/**
 * The issued letter this draft corrects.
 */
supersedes: string | null, 
/**
 * RFC 3339.
 */
updatedAt: string, };

export type Destination = { institution: string, department: string, doctor: string, };

export type Destinations = { recent: Array<Destination>, favourites: Array<Destination>, 
/**
 * Hospitals registered on the regional server.
 */
registered: Array<string>, };

export type IssuedLetter = { id: string, kind: LetterKind, version: number, supersedes: string | null, supersededBy: string | null, trackingCode: string | null, 
/**
 * The referral's status in Japanese, e.g. 紹介済.
 */
referralStatus: string | null, to: Destination, sha256: string, pdfSize: number, 
/**
 * e.g. 令和8年5月12日
 */
issuedOn: string, };

export type PatientLetters = { drafts: Array<LetterDraft>, letters: Array<IssuedLetter>, };

export type SavedFile = { path: string | null, };

export type SavedWithFhir = { pdfPath: string | null, fhirPath: string | null, };

export type EventInput = { 
/**
 * A status code: received, visited, admitted, discharge_planned, …
 */
status: string, date: string, department: string, ward: string, attending: string, 
/**
 * 転院先
 */
hospital: string, expectedDate: string, 
/**
 * this_clinic, other_home_care_doctor, facility or other (or empty).
 */
destination: string, 
/**
 * The other doctor, the facility, or a note, by `destination`.
 */
destinationName: string, place: string, reason: string, note: string, 
/**
 * 退院調整: the home-care team being arranged.
 */
team: string, };

export type ReferralEvent = { id: string, 
/**
 * e.g. 入院中, or 記録の取り消し
 */
title: string, 
/**
 * The status code, absent for a voiding entry.
 */
status: string | null, 
/**
 * 和暦, the day it happened.
 */
date: string | null, summary: string, note: string, 
/**
 * Who recorded it: この医院 / 地域連携窓口 / 病院 地域連携室 / 在宅チーム
 */
source: string, actor: string, 
/**
 * RFC 3339.
 */
recordedAt: string, 
/**
 * Marked as entered in error by a later entry.
 */
voided: boolean, 
/**
 * This clinic's entry that no longer fits the hospital's or desk's
 * record: it does not count (a conflict, shown as such).
 */
setAside: boolean, };

export type Referral = { id: string, patientId: string, patientName: string, trackingCode: string, status: string, statusLabel: string, hospital: string, whereNow: string, 
/**
 * 和暦
 */
sentOn: string, 
/**
 * 和暦
 */
lastNews: string, daysSinceNews: number, open: boolean, 
/**
 * Oldest first.
 */
events: Array<ReferralEvent>, 
/**
 * Reply letters (返書), oldest first.
 */
replies: Array<Reply>, 
/**
 * The registered hospital the region routed it to, when not `hospital`.
 */
routedTo: string | null, };

export type PatientReferrals = { 
/**
 * e.g. 豊島中央病院 入院中（5階東病棟）, 自院通院中
 */
whereNow: string, 
/**
 * Newest first.
 */
referrals: Array<Referral>, };

export type WorklistItem = { 
/**
 * What the item is about; pass it back to dismiss it.
 */
key: string, referralId: string, patientId: string, patientName: string, hospital: string, title: string, detail: string, 
/**
 * 和暦
 */
since: string, 
/**
 * Shows 確認済みにする (a 相談 leaves the list when answered or closed).
 */
dismissible: boolean, };

export type Worklist = { 
/**
 * Newest first.
 */
items: Array<WorklistItem>, total: number, };

export type Reply = { id: string, 
/**
 * 和暦
 */
receivedOn: string, initialDiagnosis: string, finalDiagnosis: string, findings: string, treatment: string, recommendations: string, medicationChanges: string, note: string, attachmentName: string | null, attachmentSize: number | null, recordedBy: string, };

export type ReplyInput = { receivedOn: string, initialDiagnosis: string, finalDiagnosis: string, findings: string, treatment: string, recommendations: string, medicationChanges: string, note: string, };

export type ChosenFile = { 
/**
 * Pass back to store it.
 */
token: string, name: string, size: number, };

export type BoardFilter = { 
/**
 * open (default), closed or all.
 */
scope: string, 
/**
 * A status code.
 */
status: string, hospital: string, sentFrom: string, sentTo: string, 
/**
 * Part of a name, its reading, a hospital, or a tracking code.
 */
text: string, overdueOnly: boolean, 
/**
 * attention (default), status, hospital or sent.
 */
order: string, 
/**
 * From 0.
 */
page: number, };

export type BoardRow = { referralId: string, patientId: string, patientName: string, trackingCode: string, status: string, statusLabel: string, referredTo: string, hospital: string, whereNow: string, 
/**
 * 和暦
 */
sentOn: string, 
/**
 * 和暦
 */
lastNews: string, daysSinceNews: number, open: boolean, 
/**
 * Why it is overdue (受付の連絡なし, 退院予定日超過, 返書未着), if it is.
 */
overdue: string | null, replied: boolean, };

export type Board = { rows: Array<BoardRow>, total: number, page: number, pageSize: number, hospitals: Array<string>, };

export type WorklistSettings = { 
/**
 * Days after sending with no word from the hospital.
 */
daysToAcknowledgement: number, 
/**
 * Days after the first visit or admission with no reply letter.
 */
daysToReply: number, };

export type FiguresPeriod = { from: string, to: string, };

export type FigureRow = { 
/**
 * 全体 for the overall row.
 */
hospital: string, sent: number, acknowledged: number, replied: number, acknowledgedPct: number | null, repliedPct: number | null, medianDaysToAcknowledgement: number | null, medianDaysToReply: number | null, 
/**
 * 自院へ戻った, 他の在宅医, 施設, 死亡, 不明・継続中 (in `outcomeLabels` order).
 */
outcomes: Array<number>, lost: number, };

export type LoopFigures = { 
/**
 * 和暦
 */
from: string, to: string, overall: FigureRow, byHospital: Array<FigureRow>, cancelled: number, outcomeLabels: Array<string>, 
/**
 * Days without news after which an unknown outcome counts as lost.
 */
lostAfterDays: number, };

export type SyncStatus = { serverUrl: string, organisationName: string, deviceId: string, 
/**
 * RFC 3339.
 */
enrolledAt: string, };

export type EnrollInput = { serverUrl: string, code: string, deviceName: string, };

export type SyncState = { 
/**
 * RFC 3339; `None` before the first complete exchange.
 */
lastSyncedAt: string | null, lastAttemptAt: string | null, 
/**
 * Why the last attempt failed, in Japanese.
 */
lastError: string | null, pending: bigint, refused: bigint, 
/**
 * Rises when a background exchange brings news: the UI reloads.
 */
newsArrivals: number, };

export type SyncConflict = { what: string, patientId: string, patientName: string, reason: string, 
/**
 * RFC 3339.
 */
at: string, };

export type SyncReport = { pushed: number, refused: number, pulled: number, news: number, };

export type RegionalHospital = { id: string, name: string, };

export type Consent = { id: string, 
/**
 * YYYY-MM-DD, for the form.
 */
obtainedOn: string, 
/**
 * 和暦, for display.
 */
obtainedOnLabel: string, obtainedBy: string, shareWithDesk: boolean, shareWithHospital: boolean, 
/**
 * 在宅チーム
 */
shareWithTeam: boolean, 
/**
 * 事前登録（地域の病院）
 */
preregistration: boolean, 
/**
 * The hospitals chosen for it, in the order chosen; none (with
 * `preregistration`): every participating hospital.
 */
preregisteredWith: Array<RegionalHospital>, 
/**
 * 同意した人: a family member (else the patient).
 */
byFamily: boolean, familyName: string, familyRelation: string, 
/**
 * 「本人」 or 「家族（妻 山田 花子）」.
 */
givenByLabel: string, withdrawnOn: string | null, withdrawnOnLabel: string | null, inForce: boolean, };

export type ConsentInput = { obtainedOn: string, obtainedBy: string, shareWithDesk: boolean, shareWithHospital: boolean, 
/**
 * 在宅チーム
 */
shareWithTeam: boolean, 
/**
 * Given by a family member (name and relation below), not the patient.
 */
byFamily: boolean, familyName: string, familyRelation: string, 
/**
 * Empty while the consent stands.
 */
withdrawnOn: string, 
/**
 * 事前登録 with the region's hospitals.
 */
preregistration: boolean, 
/**
 * The hospitals chosen for it (their ids, as `RegionalHospital`
 * gives them); none: all of them.
 */
preregisteredWith: Array<string>, };

export type BackupStatus = { 
/**
 * The chosen folder (USB disk, NAS), or null before one is chosen.
 */
folder: string | null, passphraseSet: boolean, 
/**
 * RFC 3339; null before the first backup.
 */
lastSuccess: string | null, 
/**
 * 「最終バックアップ: …」
 */
lastBackupLabel: string, 
/**
 * Why backups need attention (要確認), or null.
 */
attention: string | null, };

export type TeamPanel = { 
/**
 * `null` before 「チームを作る」.
 */
team: Team | null, 
/**
 * The patient's consent names the team (a team can be made and share).
 */
consentNamesTeam: boolean, 
/**
 * The account may start and change the team and read its timeline
 * (医師・看護師); a clerk sees the members and their numbers only.
 */
mayManage: boolean, };

export type Team = { id: string, startedAt: string, 
/**
 * The server has it; a team made offline waits to be sent.
 */
confirmed: boolean, members: Array<TeamMember>, history: Array<TeamHistoryLine>, };

export type TeamMember = { id: string, name: string, 
/**
 * 訪問看護ステーション…; empty for a family contact.
 */
kindLabel: string, 
/**
 * The domain's `TeamRole` code.
 */
role: string, roleLabel: string, person: string, phone: string, fax: string, 
/**
 * A family contact's relation (妻, 長女…).
 */
relation: string, 
/**
 * The state now (the domain's code): an invitation past its time is `expired`.
 */
state: string, 
/**
 * 招待中 / 参加中 / 辞退 / 期限切れ…
 */
stateLabel: string, expiresAt: string | null, 
/**
 * Ward staff's access ends then (from their hospital's discharge or
 * transfer of the patient).
 */
accessUntil: string | null, 
/**
 * `FirstContactTopic` codes.
 */
firstContactFor: Array<string>, 
/**
 * 夜間・休日… for display.
 */
firstContactLabels: Array<string>, isOwn: boolean, mayResend: boolean, mayCancel: boolean, mayRemove: boolean, mayBeFirstContact: boolean, };

export type TeamHistoryLine = { label: string, memberName: string, actor: string, at: string, };

export type TeamTimeline = { teamId: string, 
/**
 * Posts in the team's order (oldest first), each with its replies.
 */
posts: Array<TeamEntry>, unread: number, mayPost: boolean, };

export type TeamEntry = { id: string, 
/**
 * The domain's `EntryKind` code.
 */
kind: string, kindLabel: string, 
/**
 * Plain text, shown as typed (never as markup).
 */
body: string, author: string, postedAt: string, 
/**
 * `pending` (未送信), `confirmed`, `withheld` (同意撤回で未送信), `refused`.
 */
state: string, mine: boolean, unread: boolean, vitals: TeamVitals | null, requestState: string | null, requestStateLabel: string | null, struckBy: string | null, strikes: string | null, 
/**
 * The post this one answers.
 */
replyTo: string | null, attachments: Array<TeamAttachment>, 
/**
 * 既読 3/5
 */
readLabel: string, 
/**
 * 確認 2/5
 */
acknowledgedLabel: string, receipts: Array<TeamReceipt>, acknowledgedByUs: boolean, mayAcknowledge: boolean, mayReply: boolean, mayCorrect: boolean, mayClose: boolean, replies: Array<TeamEntry>, };

export type TeamVitals = { bodyTemperature: number | null, systolic: number | null, diastolic: number | null, pulse: number | null, spo2: number | null, respiratoryRate: number | null, weight: number | null, };

export type TeamAttachment = { id: string, name: string, mediaType: string, size: number, 
/**
 * The file is on this PC (else it comes with the next sync).
 */
held: boolean, };

export type TeamReceipt = { reader: string, readAt: string, acknowledgedAt: string | null, pending: boolean, };

export type TeamBadge = { unread: number, openRequests: number, };

export type DirectoryOrganisation = { id: string, name: string, 
/**
 * The domain's `OrganisationKind` code.
 */
kind: string, kindLabel: string, phone: string, fax: string, };

export type InviteInput = { organisationId: string, role: string, person: string, };

export type FamilyContactInput = { name: string, relation: string, phone: string, };

export type VitalsInput = { bodyTemperature: string, systolic: string, diastolic: string, pulse: string, spo2: string, respiratoryRate: string, weight: string, };

export type PostInput = { kind: string, body: string, vitals: VitalsInput, replyTo: string | null, strikes: string | null, };

export type DischargeRequest = { id: string, referralId: string, patientId: string, patientName: string, hospital: string, 
/**
 * Who sent it (e.g. 北病院 MSW・連携担当者 山本).
 */
sentBy: string, 
/**
 * RFC 3339.
 */
sentAt: string, 
/**
 * 退院予定日 (和暦).
 */
expectedDate: string, 
/**
 * 回答期限 (和暦).
 */
replyBy: string, 
/**
 * The domain's `CareNeed` codes.
 */
needs: Array<string>, 
/**
 * 在宅酸素, 看取り… (必要な医療), in the order of `needs`.
 */
needLabels: Array<string>, note: string, 
/**
 * Where it stands today: `open`, `accepted`, `declined`, `consult`,
 * `cancelled` or `expired` (the answer given here while it stands).
 */
state: string, 
/**
 * 回答待ち, 引き受ける…
 */
stateLabel: string, 
/**
 * A decline's reason, or what the physician wants to talk about.
 */
answerText: string, answeredBy: string, 
/**
 * RFC 3339.
 */
answeredAt: string | null, 
/**
 * The answer given here waits to be sent (送信待ち).
 */
sending: boolean, 
/**
 * Why the server refused the latest answer sent from here.
 */
refusal: string | null, 
/**
 * Open today: 引き受ける / 引き受けられない / 相談したい are offered
 * to an account that `mayDecide`.
 */
mayAnswer: boolean, 
/**
 * The signed-in account may answer (医師); others see a note instead
 * of the buttons.
 */
mayDecide: boolean, };

export type TeamConferences = { teamId: string, 
/**
 * The earliest first.
 */
conferences: Array<TeamConference>, 
/**
 * 「カンファレンスを設定する」 is offered (医師, under the team's consent).
 */
maySchedule: boolean, 
/**
 * The members a conference may invite now.
 */
invitable: Array<ConferenceInvitable>, };

export type TeamConference = { id: string, 
/**
 * RFC 3339.
 */
startsAt: string, 
/**
 * 12月10日(木) 14:00, in Japan's time.
 */
when: string, place: string, 
/**
 * A web-meeting address (http or https), or empty. Shown as text,
 * never opened in the window.
 */
link: string, note: string, 
/**
 * `scheduled`, `held` or `cancelled` (a calling off given here counts).
 */
state: string, 
/**
 * 予定 / 開催済み / 中止
 */
stateLabel: string, organiser: string, organisedByUs: boolean, invitees: Array<ConferenceInvitee>, 
/**
 * The clinic's own answer (`pending`, `attend`, `absent`, `online`),
 * null when it is not invited.
 */
ownAttendance: string | null, 
/**
 * 出席 / オンライン / 欠席 are offered.
 */
mayAnswer: boolean, 
/**
 * 中止にする is offered.
 */
mayCancel: boolean, 
/**
 * Something about it sent from here waits (送信待ち).
 */
sending: boolean, 
/**
 * Set here and never sent (consent withdrawn first).
 */
withheld: boolean, 
/**
 * Why the server refused what was sent from here.
 */
refusal: string | null, 
/**
 * Its minutes are on the timeline.
 */
hasMinutes: boolean, };

export type ConferenceInvitee = { memberId: string, name: string, 
/**
 * The domain's `Attendance` code.
 */
attendance: string, 
/**
 * 未回答 / 出席 / 欠席 / オンライン
 */
attendanceLabel: string, answeredBy: string, answeredAt: string | null, isOwn: boolean, };

export type ConferenceInvitable = { id: string, name: string, isOwn: boolean, };

export type ConferenceInput = { 
/**
 * E.g. 2026-12-10.
 */
date: string, 
/**
 * E.g. 14:00 (Japan's time).
 */
time: string, place: string, link: string, note: string, inviteeMemberIds: Array<string>, };

export type DirectorySearchInput = { 
/**
 * Kanji or kana, any width; 旧字体 and 新字体 find each other.
 */
name: string, 
/**
 * An organisation kind's code.
 */
kind: string, 
/**
 * Offer codes: a result offers every one.
 */
offers: Array<string>, 
/**
 * A 市区町村 the result serves.
 */
municipality: string, 
/**
 * Only those taking new patients (受入可).
 */
acceptingOnly: boolean, 
/**
 * A ward type's code: only hospitals with free beds of it.
 */
openBeds: string, };

export type DirectoryResults = { 
/**
 * The first results, those taking new patients first, then by reading.
 */
listings: Array<DirectoryListing>, 
/**
 * How many answer in all.
 */
total: number, };

export type DirectoryListing = { id: string, name: string, nameKana: string, 
/**
 * The organisation kind's code.
 */
kind: string, kindLabel: string, phone: string, fax: string, address: string, hours: string, municipalities: Array<string>, areaDetail: string, radiusKm: number | null, offers: Array<DirectoryOffer>, 
/**
 * `yes`, `ask`, `no`, or null when not said.
 */
accepting: string | null, 
/**
 * 受入可 / 要相談 / 受入不可.
 */
acceptingLabel: string | null, careManagers: number | null, beds: Array<DirectoryBeds>, 
/**
 * 「2026年11月2日に確認」, or how long it has not been.
 */
freshnessLabel: string, 
/**
 * Some part not confirmed for 90 days: shown in the warning colour.
 */
stale: boolean, };

export type DirectoryOffer = { code: string, label: string, };

export type DirectoryBeds = { wardType: string, wardLabel: string, capacity: number, available: number, 
/**
 * RFC 3339: when the hospital said it.
 */
updatedAt: string, };

export type IntakeInput = { 
/**
 * Years, or empty.
 */
age: string, 
/**
 * `male`, `female`, `other` or empty.
 */
sex: string, municipality: string, 
/**
 * Offer codes (what the patient will need).
 */
needs: Array<string>, 
/**
 * 開始の希望日 (YYYY-MM-DD or 和暦), or empty.
 */
startOn: string, summary: string, };

export type IntakeFormStart = { draft: IntakeInput, 
/**
 * 氏名・住所など患者さんを特定できることは書かないでください…
 */
summaryHint: string, };

export type IntakeRequest = { id: string, 
/**
 * This clinic asked it (else it was asked of this clinic).
 */
sentByUs: boolean, fromName: string, fromPhone: string, toOrg: string, toName: string, 
/**
 * 訪問看護ステーション… (empty for a kind this build does not know).
 */
toKindLabel: string, age: number | null, 
/**
 * 男性, 女性…, or empty.
 */
sexLabel: string, municipality: string, 
/**
 * The domain's `Offer` codes.
 */
needs: Array<string>, 
/**
 * In the order of `needs`.
 */
needLabels: Array<string>, 
/**
 * 和暦, or empty.
 */
startOn: string, summary: string, 
/**
 * `open`, `accepted`, `declined`, `consult` or `withdrawn`.
 */
state: string, 
/**
 * 回答待ち, 受けられる…
 */
stateLabel: string, sentBy: string, 
/**
 * RFC 3339.
 */
sentAt: string, answerText: string, answeredBy: string, 
/**
 * RFC 3339.
 */
answeredAt: string | null, 
/**
 * The patient it was sent about (on the PC that sent it).
 */
patientId: string | null, patientName: string | null, 
/**
 * The latest step from here waits to be sent (送信待ち).
 */
sending: boolean, 
/**
 * Why the server refused the latest step sent from here.
 */
refusal: string | null, 
/**
 * Asked of this clinic and open: the three answers are offered to an
 * account that `mayDecide`.
 */
mayAnswer: boolean, 
/**
 * Sent by this clinic and open: 取り下げる.
 */
mayWithdraw: boolean, 
/**
 * The signed-in account may answer (医師).
 */
mayDecide: boolean, };

export type AcpParticipantInput = { role: string, name: string, relation: string, };

export type AcpWishInput = { treatment: string, wish: string, };

export type AcpInput = { 
/**
 * 話し合った日 (YYYY-MM-DD or 和暦).
 */
heldOn: string, participants: Array<AcpParticipantInput>, 
/**
 * 大切にしていること
 */
values: string, placeOfCare: string, placeOfCareNote: string, placeOfDeath: string, placeOfDeathNote: string, wishes: Array<AcpWishInput>, wishesNote: string, surrogateName: string, surrogateRelation: string, surrogatePhone: string, notes: string, };

export type AcpParticipant = { role: string, name: string, relation: string, 
/**
 * 「家族（長女 山田 花子）」
 */
label: string, };

export type AcpWish = { treatment: string, treatmentLabel: string, wish: string, 
/**
 * 「希望しない（DNAR）」 for CPR declined.
 */
wishLabel: string, };

export type Acp = { id: string, 
/**
 * YYYY-MM-DD
 */
heldOn: string, 
/**
 * 和暦
 */
heldOnLabel: string, participants: Array<AcpParticipant>, values: string, placeOfCare: string, placeOfCareNote: string, placeOfCareLabel: string, placeOfDeath: string, placeOfDeathNote: string, placeOfDeathLabel: string, wishes: Array<AcpWish>, wishesNote: string, surrogateName: string, surrogateRelation: string, surrogatePhone: string, notes: string, 
/**
 * 「医師 鈴木 一郎」
 */
recordedBy: string, 
/**
 * RFC 3339
 */
recordedAt: string, };

export type AcpHistory = { versions: Array<Acp>, 
/**
 * Why the wishes should be talked over again, when they should.
 */
review: string | null, };

export type RecordedAcp = { history: AcpHistory, 
/**
 * The new wishes were posted on the team's timeline.
 */
sharedOnTimeline: boolean, };

export type CareSummaryInput = { 
/**
 * 主な病名, one a line, most important first.
 */
problems: string, 
/**
 * 服用中の薬, one a line, most important first.
 */
medications: string, allergies: string, 
/**
 * 医療機器・処置, one a line.
 */
devices: string, 
/**
 * 次回の訪問・受診予定日 (YYYY-MM-DD or 和暦), or empty.
 */
nextVisit: string, cautions: string, 
/**
 * 夜間・休日の連絡先.
 */
afterHoursPhone: string, };

export type CareSummary = { problems: Array<string>, medications: Array<string>, allergies: string, devices: Array<string>, 
/**
 * 和暦
 */
nextVisitLabel: string | null, cautions: string, afterHoursPhone: string, 
/**
 * The form as it opens to change the summary.
 */
input: CareSummaryInput, 
/**
 * 「看護師 佐藤 花子」
 */
recordedBy: string, 
/**
 * RFC 3339
 */
recordedAt: string, };

export type SavedCareSummary = { summary: CareSummary, 
/**
 * Its pinned copy goes to the team (a team whose consent stands).
 */
sharedWithTeam: boolean, };

export type SharingFeeInput = { 
/**
 * `YYYY-MM`
 */
month: string, 
/**
 * 次回の訪問診療の予定日 (YYYY-MM-DD or 和暦).
 */
nextVisit: string, 
/**
 * 治療方針の変更: null until answered.
 */
policyChanged: boolean | null, changeSummary: string, carePoints: string, };

export type SharingFeeRecord = { id: string, 
/**
 * `2026-12`
 */
month: string, 
/**
 * 令和8年12月
 */
monthLabel: string, 
/**
 * `YYYY-MM-DD`
 */
nextVisit: string, 
/**
 * 和暦
 */
nextVisitLabel: string, policyChanged: boolean, changeSummary: string, carePoints: string, 
/**
 * Posted on the team's timeline.
 */
shared: boolean, 
/**
 * The latest version of its month: the one that counts.
 */
counts: boolean, 
/**
 * 「医師 佐藤 花子」
 */
recordedBy: string, 
/**
 * RFC 3339
 */
recordedAt: string, };

export type SharingFeeCheck = { 
/**
 * The domain's `SharingFeeRequirement` code.
 */
code: string, label: string, 
/**
 * The report column's heading.
 */
shortLabel: string, met: boolean, };

export type SharingFeeReportRow = { patientId: string, patientName: string, patientKana: string, chartNumber: string | null, record: SharingFeeRecord | null, othersPosts: number, othersRead: number, othersAcknowledged: number, 
/**
 * Every requirement, in the rule's order.
 */
checks: Array<SharingFeeCheck>, complete: boolean, };

export type SharingFeeReport = { month: string, monthLabel: string, rows: Array<SharingFeeReportRow>, complete: number, };

export type NursingOrderDiagnosis = { name: string, code: string, };

export type NursingOrderForm = { 
/**
 * `regular` (別紙様式16) or `special` (別紙様式18).
 */
kind: string, patientId: string, 
/**
 * 宛先: the station's name (…殿).
 */
station: string, 
/**
 * 指示日
 */
issuedOn: string, startsOn: string, endsOn: string, 
/**
 * Both empty when no 点滴注射 is ordered.
 */
infusionStartsOn: string, infusionEndsOn: string, 
/**
 * Up to three; empty rows are skipped.
 */
diagnoses: Array<NursingOrderDiagnosis>, 
/**
 * 病状・治療状態 (様式18: 病状・主訴)
 */
condition: string, 
/**
 * 投与中の薬剤の用量・用法
 */
medication: string, bedriddenLevel: string, dementiaLevel: string, careLevel: string, ulcerDepth: string, 
/**
 * 装着・使用医療機器等 (codes).
 */
devices: Array<string>, 
/**
 * The name after 「13.その他」.
 */
deviceOther: string, deviceDetails: string, 
/**
 * Ⅰ 療養生活指導上の留意事項 (様式18: 留意事項及び指示事項)
 */
careNotes: string, rehabMinutesPerDay: string, rehabTimesPerWeek: string, woundCare: string, deviceCare: string, otherInstructions: string, 
/**
 * 在宅患者訪問点滴注射に関する指示
 */
infusionInstructions: string, emergencyContact: string, whenAbsent: string, specialNotes: string, 
/**
 * 他の訪問看護ステーションへの指示 (empty for 無).
 */
otherStation: string, 
/**
 * たんの吸引等実施のための訪問介護事業所への指示 (empty for 無).
 */
suctionProvider: string, 
/**
 * 様式18: 一時的に訪問看護が頻回に必要な理由
 */
frequentVisitReason: string, };

export type NursingOrderInput = { 
/**
 * A station of `nursingOrderStations` (its member id), or null when the
 * station's name is typed in `form.station` (only when `mayTypeName`).
 */
stationMemberId: string | null, form: NursingOrderForm, };

export type NursingOrderDraft = { id: string, patientId: string, kind: string, 
/**
 * 「訪問看護指示書」 or 「特別訪問看護指示書」
 */
kindLabel: string, form: NursingOrderForm, stationMemberId: string | null, 
/**
 * The issued order this draft renews.
 */
renews: string | null, 
/**
 * RFC 3339
 */
updatedAt: string, };

export type NursingOrder = { id: string, patientId: string, kind: string, kindLabel: string, 
/**
 * 「別紙様式16」 or 「別紙様式18」
 */
formNumber: string, station: string, stationMemberId: string | null, 
/**
 * YYYY-MM-DD
 */
issuedOn: string, 
/**
 * 和暦
 */
issuedOnLabel: string, 
/**
 * YYYY-MM-DD
 */
startsOn: string, 
/**
 * YYYY-MM-DD
 */
endsOn: string, 
/**
 * 「令和8年12月1日～令和9年5月31日」
 */
periodLabel: string, 
/**
 * `current`, `due` (its last day is near) or `expired`.
 */
state: string, stateLabel: string, renews: string | null, renewedBy: string | null, 
/**
 * 「更新」 is offered.
 */
mayRenew: boolean, 
/**
 * 「更新しない」 is offered (a regular order neither renewed nor ended).
 */
mayEnd: boolean, 
/**
 * 「更新しない：理由（誰、日）」 once decided.
 */
ending: string | null, sha256: string, pdfSize: number, 
/**
 * RFC 3339
 */
issuedAt: string, issuedBy: string, };

export type PatientNursingOrders = { drafts: Array<NursingOrderDraft>, orders: Array<NursingOrder>, };

export type IssuedNursingOrder = { order: NursingOrder, 
/**
 * Posted on the patient's team timeline with its PDF.
 */
sharedOnTimeline: boolean, };

export type NursingOrderStation = { memberId: string, organisationId: string | null, name: string, person: string, phone: string, fax: string, };

export type NursingOrderStations = { stations: Array<NursingOrderStation>, 
/**
 * A station may be typed by name (no station is on the team yet).
 */
mayTypeName: boolean, };

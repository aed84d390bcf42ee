import { useEffect, useState } from "preact/hooks";
import {
  addFamilyContact,
  inviteToTeam,
  patientTeam,
  setFirstContact,
  startTeam,
  teamDirectory,
  teamMemberAction,
  toApiError,
  type DirectoryOrganisation,
  type FamilyContactInput,
  type Team,
  type TeamMember,
  type TeamPanel,
} from "../api";
import { TextField } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import { formatDateTime, toFieldErrors } from "../lib/format";
import {
  FIRST_CONTACT_TOPICS,
  accessLine,
  contactLine,
  filterDirectory,
  kindsListed,
  memberStateClass,
  rolesFor,
  sortMembers,
} from "../lib/team";
import { useAction } from "../lib/useAction";
import { DirectoryWithIntake } from "./IntakeRequests";
import { TeamConferencesPanel } from "./TeamConferences";
import { TeamTimelinePanel } from "./TeamTimeline";

/**
 * 在宅チーム: the patient's home-care team (members, roles, numbers,
 * invitations) and its shared タイムライン. `refreshKey` rises when a sync
 * brought news, so a member's post appears without reopening the patient.
 */
export function PatientTeamPanel({
  patientId,
  refreshKey,
  patient,
  initialInvite,
}: {
  patientId: string;
  refreshKey: number;
  /** Who the 地域の機関をさがす search is for: their address suggests the area. */
  patient?: { name: string; address: string } | undefined;
  /** An organisation to invite at once (from an accepted 受入相談). */
  initialInvite?: string | undefined;
}) {
  const [panel, setPanel] = useState<TeamPanel | null>(null);
  const { busy, error, setError, run } = useAction();
  const [searching, setSearching] = useState(false);
  // An organisation chosen in the directory, handed to the team's invitation form.
  const [inviting, setInviting] = useState<{ id: string; at: number } | null>(
    initialInvite === undefined ? null : { id: initialInvite, at: 1 },
  );

  useEffect(() => {
    patientTeam(patientId).then(setPanel, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [patientId, refreshKey]);

  return (
    <section class="page-card team" aria-labelledby="team-heading" id="team-panel">
      <div class="page-header">
        <h2 id="team-heading" class="section-title">
          在宅チーム
        </h2>
        {panel !== null && (
          <div class="header-buttons">
            <button
              type="button"
              id="team-directory"
              class="button button-ghost"
              aria-pressed={searching}
              onClick={() => {
                setSearching((s) => !s);
              }}
            >
              地域の機関をさがす
            </button>
          </div>
        )}
        {panel !== null && panel.team === null && panel.mayManage && (
          <div class="header-buttons">
            <button
              type="button"
              id="team-start"
              class="button"
              disabled={busy || !panel.consentNamesTeam}
              onClick={() => void run(async () => { setPanel(await startTeam(patientId)); })}
            >
              チームを作る
            </button>
          </div>
        )}
      </div>
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      {panel === null && error === null && <p class="list-status">読み込み中…</p>}
      {searching && (
        <DirectoryWithIntake
          patient={patient}
          patientId={patientId}
          onInvite={
            panel?.team != null && panel.mayManage
              ? (listing) => {
                  setInviting({ id: listing.id, at: Date.now() });
                  setSearching(false);
                }
              : undefined
          }
          onClose={() => {
            setSearching(false);
          }}
        />
      )}
      {panel !== null && panel.team === null && (
        <p class="consent-none" id="team-none">
          {panel.consentNamesTeam
            ? "まだチームはありません。「チームを作る」と、訪問看護・ケアマネジャー・薬局などを招待できます。"
            : "在宅チームで共有する同意が記録されていません。上の「地域連携の同意」で共有先に「在宅チーム」を含めて記録してください。"}
        </p>
      )}
      {panel?.team != null && (
        <>
          <TeamMembers team={panel.team} mayManage={panel.mayManage} onPanel={setPanel} inviting={inviting} />
          {panel.mayManage ? (
            <>
              <TeamConferencesPanel teamId={panel.team.id} refreshKey={refreshKey} />
              <TeamTimelinePanel teamId={panel.team.id} refreshKey={refreshKey} />
            </>
          ) : (
            <p class="field-hint" id="team-timeline-closed">
              タイムラインは医師・看護師のアカウントだけが見られます。
            </p>
          )}
        </>
      )}
    </section>
  );
}

function TeamMembers({
  team,
  mayManage,
  onPanel,
  inviting,
}: {
  team: Team;
  /** 医師・看護師: a clerk sees who is on the team and their numbers only. */
  mayManage: boolean;
  onPanel: (p: TeamPanel) => void;
  /** An organisation chosen in 地域の機関をさがす to invite. */
  inviting: { id: string; at: number } | null;
}) {
  const [adding, setAdding] = useState<"none" | "invite" | "family">("none");
  useEffect(() => {
    if (inviting !== null) setAdding("invite");
  }, [inviting]);
  // Cancelling and removing ask once more, inline (as deleting a patient does).
  const [confirming, setConfirming] = useState<{ member: TeamMember; action: "cancel" | "remove" } | null>(null);
  const { busy, error, run } = useAction();
  const act = (m: TeamMember, action: "resend" | "cancel" | "remove") => {
    setConfirming(null);
    void run(async () => {
      onPanel(await teamMemberAction(team.id, m.id, action));
    });
  };
  const firstContactHolders = (topic: string) => team.members.filter((m) => m.firstContactFor.includes(topic));

  return (
    <div class="team-members">
      {!team.confirmed && (
        <p class="field-hint" id="team-unconfirmed">
          このチームはまだ地域連携サーバーに送られていません（次の同期で送られます）。
        </p>
      )}
      {error !== null && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
      <table class="team-table" id="team-members">
        <thead>
          <tr>
            <th scope="col">役割</th>
            <th scope="col">機関・担当者</th>
            <th scope="col">連絡先</th>
            <th scope="col">状態</th>
            <th scope="col">
              <span class="visually-hidden">操作</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sortMembers(team.members).map((m) => (
            <tr key={m.id} data-testid="team-member" data-member-id={m.id}>
              <td>{m.roleLabel}</td>
              <td>
                <span class="team-member-name">{m.name}</span>
                {m.kindLabel !== "" && <span class="team-member-kind">（{m.kindLabel}）</span>}
                {m.person !== "" && <span class="team-member-person"> {m.person}</span>}
                {m.relation !== "" && <span class="team-member-person">（{m.relation}）</span>}
                {m.firstContactLabels.map((label) => (
                  <span key={label} class="badge badge-first-contact" title="最初の連絡先">
                    {label}の連絡先
                  </span>
                ))}
              </td>
              <td class="team-contact">{contactLine(m)}</td>
              <td>
                <span class={memberStateClass(m.state)} data-testid="team-member-state">
                  {m.stateLabel}
                </span>
                {m.expiresAt !== null && (m.state === "invited" || m.state === "awaiting_approval") && (
                  <span class="letter-meta"> {formatDateTime(m.expiresAt)}まで</span>
                )}
                {accessLine(m, new Date()) !== null && (
                  <span class="letter-meta" data-testid="team-member-access"> {accessLine(m, new Date())}</span>
                )}
              </td>
              <td class="team-actions">
                {m.mayResend && (
                  <button type="button" class="button button-ghost button-small" disabled={busy} onClick={() => { act(m, "resend"); }}>
                    再送
                  </button>
                )}
                {m.mayCancel && (
                  <button
                    type="button"
                    class="button button-ghost button-small"
                    disabled={busy}
                    onClick={() => {
                      setConfirming({ member: m, action: "cancel" });
                    }}
                  >
                    取消
                  </button>
                )}
                {m.mayRemove && (
                  <button
                    type="button"
                    class="button button-ghost button-small button-danger"
                    disabled={busy}
                    onClick={() => {
                      setConfirming({ member: m, action: "remove" });
                    }}
                  >
                    外す
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming !== null && (
        <div class="alert alert-warning" role="alertdialog" id="team-confirm">
          <p>
            {confirming.action === "cancel"
              ? `${confirming.member.name}への招待を取り消しますか？`
              : `${confirming.member.name}をチームから外しますか？以後、この患者の記録は見られなくなります。`}
          </p>
          <div class="form-actions">
            <button
              type="button"
              class="button button-danger"
              disabled={busy}
              onClick={() => {
                act(confirming.member, confirming.action);
              }}
            >
              {confirming.action === "cancel" ? "招待を取り消す" : "チームから外す"}
            </button>
            <button
              type="button"
              class="button button-ghost"
              onClick={() => {
                setConfirming(null);
              }}
            >
              やめる
            </button>
          </div>
        </div>
      )}
      {mayManage && (
        <div class="team-first-contacts">
          {FIRST_CONTACT_TOPICS.map((topic) => {
            const holder = firstContactHolders(topic.code)[0];
            return (
              <label key={topic.code} class="team-first-contact">
                <span>{topic.label}の連絡先</span>
                <select
                  value={holder?.id ?? ""}
                  disabled={busy}
                  data-topic={topic.code}
                  onChange={(e) => {
                    const memberId = e.currentTarget.value;
                    if (memberId !== "") void run(async () => { onPanel(await setFirstContact(team.id, memberId, topic.code)); });
                  }}
                >
                  <option value="">未設定</option>
                  {team.members
                    .filter((m) => m.mayBeFirstContact)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name}
                      </option>
                    ))}
                </select>
              </label>
            );
          })}
        </div>
      )}
      {mayManage && (
        <div class="form-actions">
          <button type="button" id="team-invite" class="button" onClick={() => { setAdding("invite"); }} disabled={adding === "invite"}>
            チームに招待
          </button>
          <button type="button" class="button button-ghost" onClick={() => { setAdding("family"); }} disabled={adding === "family"}>
            家族の連絡先を追加
          </button>
        </div>
      )}
      {adding === "invite" && (
        <InviteForm
          key={inviting?.at ?? 0}
          teamId={team.id}
          initialOrganisationId={inviting?.id ?? ""}
          onDone={(p) => {
            if (p !== null) onPanel(p);
            setAdding("none");
          }}
        />
      )}
      {adding === "family" && (
        <FamilyForm
          teamId={team.id}
          onDone={(p) => {
            if (p !== null) onPanel(p);
            setAdding("none");
          }}
        />
      )}
      {team.history.length > 0 && (
        <details class="consent-history" id="team-history">
          <summary>チームの履歴（{team.history.length}件）</summary>
          <ul>
            {team.history.map((h, i) => (
              <li key={i}>
                {formatDateTime(h.at)} {h.memberName}：{h.label}
                {h.actor !== "" && `（${h.actor}）`}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function InviteForm({
  teamId,
  initialOrganisationId,
  onDone,
}: {
  teamId: string;
  /** Chosen in 地域の機関をさがす; "" for none. */
  initialOrganisationId: string;
  onDone: (p: TeamPanel | null) => void;
}) {
  const [directory, setDirectory] = useState<DirectoryOrganisation[] | null>(null);
  const [kind, setKind] = useState("");
  const [text, setText] = useState("");
  const [organisationId, setOrganisationId] = useState(initialOrganisationId);
  const [role, setRole] = useState("");
  const [person, setPerson] = useState("");
  const { busy, error, setError, run } = useAction();
  useEffect(() => {
    teamDirectory().then(
      (organisations) => {
        setDirectory(organisations);
        // One role fits most kinds: choose it rather than ask.
        const fits = rolesFor(organisations.find((o) => o.id === initialOrganisationId)?.kind ?? "");
        if (fits.length === 1) setRole(fits[0]?.code ?? "");
      },
      (e: unknown) => {
        setError(toApiError(e));
      },
    );
  }, [initialOrganisationId]);
  const chosen = directory?.find((o) => o.id === organisationId) ?? null;
  const roles = chosen === null ? [] : rolesFor(chosen.kind);
  const shown = directory === null ? [] : filterDirectory(directory, kind, text);
  const errors = toFieldErrors(error?.fields ?? []);

  return (
    <form
      class="form team-form"
      id="team-invite-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => { onDone(await inviteToTeam(teamId, { organisationId, role, person })); });
      }}
    >
      <h3 class="subsection-title">チームに招待</h3>
      <FormAlert error={error} formId="team-invite" labels={{ organisationId: "招待する機関", role: "役割", person: "担当者" }} />
      {directory !== null && directory.length === 0 && (
        <p class="field-hint">地域連携サーバーから機関の一覧をまだ受け取っていません。同期してからもう一度開いてください。</p>
      )}
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          <label class="field">
            <span class="field-label">種類</span>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value);
                setOrganisationId("");
                setRole("");
              }}
            >
              <option value="">すべて</option>
              {kindsListed(directory ?? []).map((k) => (
                <option key={k.code} value={k.code}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <TextField formId="team-invite" name="search" label="名前で絞り込む" value={text} onInput={(_, v) => { setText(v); }} />
        </div>
        <label class="field">
          <span class="field-label">招待する機関</span>
          <select
            id="team-invite-organisation"
            value={organisationId}
            aria-invalid={errors.organisationId !== undefined}
            onChange={(e) => {
              const id = e.currentTarget.value;
              setOrganisationId(id);
              const next = directory?.find((o) => o.id === id);
              const fits = next === undefined ? [] : rolesFor(next.kind);
              // One role fits most kinds: choose it rather than ask.
              setRole(fits.length === 1 ? (fits[0]?.code ?? "") : "");
            }}
          >
            <option value="">選んでください（{shown.length}件）</option>
            {shown.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}（{o.kindLabel}）
              </option>
            ))}
          </select>
          {errors.organisationId !== undefined && <p class="field-error">{errors.organisationId}</p>}
        </label>
        <div class="form-grid form-grid-3">
          <label class="field">
            <span class="field-label">チームでの役割</span>
            <select id="team-invite-role" value={role} onChange={(e) => { setRole(e.currentTarget.value); }} disabled={chosen === null}>
              <option value="">選んでください</option>
              {roles.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </select>
            {errors.role !== undefined && <p class="field-error">{errors.role}</p>}
          </label>
          <TextField
            formId="team-invite"
            name="person"
            label="担当者（任意）"
            value={person}
            error={errors.person}
            onInput={(_, v) => { setPerson(v); }}
            placeholder="例: 看護師 田中"
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="team-invite-submit" disabled={organisationId === "" || role === ""}>
            招待する
          </button>
          <button type="button" class="button button-ghost" onClick={() => { onDone(null); }}>
            やめる
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function FamilyForm({ teamId, onDone }: { teamId: string; onDone: (p: TeamPanel | null) => void }) {
  const [values, setValues] = useState<FamilyContactInput>({ name: "", relation: "", phone: "" });
  const { busy, error, run } = useAction();
  const errors = toFieldErrors(error?.fields ?? []);
  const labels = { name: "お名前", relation: "続柄", phone: "電話番号" } as const;
  const onInput = (name: string, value: string) => { setValues((v) => ({ ...v, [name]: value })); };
  return (
    <form
      class="form team-form"
      id="team-family-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => { onDone(await addFamilyContact(teamId, values)); });
      }}
    >
      <h3 class="subsection-title">家族の連絡先（連絡先として載せるだけで、タイムラインは使いません）</h3>
      <FormAlert error={error} formId="team-family" labels={labels} />
      <fieldset class="plain-fieldset" disabled={busy}>
        <div class="form-grid form-grid-3">
          {(["name", "relation", "phone"] as const).map((name) => (
            <TextField
              key={name}
              formId="team-family"
              name={name}
              label={labels[name]}
              value={values[name]}
              error={errors[name]}
              onInput={onInput}
              type={name === "phone" ? "tel" : "text"}
            />
          ))}
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            追加する
          </button>
          <button type="button" class="button button-ghost" onClick={() => { onDone(null); }}>
            やめる
          </button>
        </div>
      </fieldset>
    </form>
  );
}

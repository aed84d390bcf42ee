import { useEffect, useState } from "preact/hooks";
import {
  discardNursingOrderDraft,
  issueNursingOrder,
  nursingOrderStations,
  openNursingOrderPdf,
  patientNursingOrders,
  endNursingOrder,
  renewNursingOrder,
  saveNursingOrderDraft,
  saveNursingOrderPdf,
  startNursingOrder,
  toApiError,
  type NursingOrder,
  type NursingOrderDraft,
  type NursingOrderForm,
  type NursingOrderStations,
  type PatientNursingOrders,
} from "../api";
import { BEDRIDDEN_LEVELS, CARE_LEVELS, DEMENTIA_LEVELS, MEDICAL_DEVICES, ULCER_DEPTHS } from "../api/vocabulary";
import { FieldErrorText, TextAreaField, TextField, fieldId } from "../components/Field";
import { FormAlert } from "../components/FormAlert";
import {
  OTHER_DEVICE,
  addresseeMode,
  isSpecial,
  issuedMessage,
  kindTitle,
  mayRenew,
  orderFieldLabels,
  orderFormState,
  orderInput,
  periodLabel,
  stateBadge,
  toggledChoice,
  withDevice,
  withDiagnosis,
  type OrderFormState,
} from "../lib/nursingOrders";
import { formatDateTime, toFieldErrors, type FieldErrors } from "../lib/format";
import { useAction } from "../lib/useAction";

const FORM_ID = "nursing-order-field";

/** The form's free-text boxes. */
type TextKey = { [K in keyof NursingOrderForm]: NursingOrderForm[K] extends string ? K : never }[keyof NursingOrderForm];

/**
 * 訪問看護指示書 on the patient page: the orders issued (latest first) with where
 * each stands today, to print, save and renew; the drafts; and the form of
 * 別紙様式16 / 18 as it prints. Only a doctor writes and issues; the server's
 * refusal is shown to others as it comes.
 */
export function PatientNursingOrdersPanel({ patientId }: { patientId: string }) {
  const [orders, setOrders] = useState<PatientNursingOrders | null>(null);
  const [editing, setEditing] = useState<OrderFormState | null>(null);
  const [stations, setStations] = useState<NursingOrderStations | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [ending, setEnding] = useState<{ id: string; reason: string } | null>(null);
  const { busy, error, setError, run } = useAction();

  const reload = async () => {
    setOrders(await patientNursingOrders(patientId));
  };

  useEffect(() => {
    setOrders(null);
    setEditing(null);
    patientNursingOrders(patientId).then(setOrders, (e: unknown) => {
      setError(toApiError(e));
    });
  }, [patientId]);

  const edit = async (draft: NursingOrderDraft) => {
    setStations(await nursingOrderStations(patientId));
    setEditing(orderFormState(draft));
    setMessage(null);
  };

  const act = (action: () => Promise<string | null>) =>
    run(async () => {
      setMessage(null);
      const done = await action();
      if (done !== null) {
        setMessage(done);
      }
    });

  const create = (kind: string) =>
    act(async () => {
      await edit(await startNursingOrder(patientId, kind));
      await reload();
      return null;
    });

  const renew = (order: NursingOrder) =>
    act(async () => {
      await edit(await renewNursingOrder(order.id));
      await reload();
      return null;
    });

  const save = (state: OrderFormState) =>
    act(async () => {
      const draft = await saveNursingOrderDraft(state.draftId, orderInput(state));
      setEditing(orderFormState(draft));
      await reload();
      return "下書きを保存しました。";
    });

  const issue = (state: OrderFormState) =>
    act(async () => {
      await saveNursingOrderDraft(state.draftId, orderInput(state));
      const issued = await issueNursingOrder(state.draftId);
      setEditing(null);
      await reload();
      return issuedMessage(issued);
    });

  const close = () => {
    setEditing(null);
    setError(null);
    void reload().catch(() => undefined);
  };

  return (
    <section class="page-card nursing-orders" aria-labelledby="nursing-orders-heading" id="nursing-orders-panel">
      <div class="page-header">
        <h2 id="nursing-orders-heading" class="section-title">
          訪問看護指示書
        </h2>
        {orders !== null && editing === null && (
          <div class="header-buttons">
            <button type="button" id="nursing-order-new" class="button button-primary" disabled={busy} onClick={() => void create("regular")}>
              指示書を作成
            </button>
            <button type="button" id="nursing-order-new-special" class="button" disabled={busy} onClick={() => void create("special")}>
              特別指示書を作成
            </button>
          </div>
        )}
      </div>
      {orders === null && error === null && <p class="list-status">読み込み中…</p>}
      {editing === null && error !== null && (
        <p class="alert alert-error" role="alert" id="nursing-order-error">
          {error.message}
        </p>
      )}
      {message !== null && (
        <p class="alert alert-success" role="status" id="nursing-order-message">
          {message}
        </p>
      )}
      {orders !== null && editing === null && (
        <OrderLists
          orders={orders}
          busy={busy}
          onContinue={(d) => void act(async () => (await edit(d), null))}
          onDiscard={(d) =>
            void act(async () => {
              await discardNursingOrderDraft(d.id);
              await reload();
              return "下書きを破棄しました。";
            })
          }
          ending={ending}
          endingError={toFieldErrors(error?.fields ?? []).reason}
          onEnding={setEnding}
          onEnd={(id, reason) =>
            void act(async () => {
              await endNursingOrder(id, reason);
              setEnding(null);
              await reload();
              return "更新しないことを記録しました。この指示書の期限のお知らせは出なくなります。";
            })
          }
          onOpen={(o) => void act(async () => (await openNursingOrderPdf(o.id), null))}
          onSave={(o) =>
            void act(async () => {
              const saved = await saveNursingOrderPdf(o.id);
              return saved.path === null ? null : `PDFを保存しました：${saved.path}`;
            })
          }
          onRenew={(o) => void renew(o)}
        />
      )}
      {editing !== null && (
        <OrderFormView
          state={editing}
          stations={stations}
          busy={busy}
          errors={toFieldErrors(error?.fields ?? [])}
          alert={<FormAlert error={error} formId={FORM_ID} labels={orderFieldLabels(editing.kind)} />}
          onChange={setEditing}
          onSave={() => void save(editing)}
          onIssue={() => void issue(editing)}
          onClose={close}
        />
      )}
    </section>
  );
}

function OrderLists(props: {
  orders: PatientNursingOrders;
  busy: boolean;
  onContinue: (d: NursingOrderDraft) => void;
  onDiscard: (d: NursingOrderDraft) => void;
  onOpen: (o: NursingOrder) => void;
  onSave: (o: NursingOrder) => void;
  onRenew: (o: NursingOrder) => void;
  /** The order whose 「更新しない」 is being written, with the reason typed. */
  ending: { id: string; reason: string } | null;
  /** Why the reason was refused, if it was. */
  endingError: string | undefined;
  onEnding: (next: { id: string; reason: string } | null) => void;
  onEnd: (id: string, reason: string) => void;
}) {
  const { orders, busy, ending } = props;
  return (
    <>
      {orders.drafts.length > 0 && (
        <ul class="letter-list" aria-label="作成中の指示書">
          {orders.drafts.map((d) => (
            <li key={d.id} class="letter-row is-draft" data-testid="nursing-order-draft">
              <span class="badge">下書き</span>
              <span class="letter-title">{kindTitle(d.kind)}</span>
              <span class="letter-to">{d.form.station === "" ? "宛先未入力" : `${d.form.station} 殿`}</span>
              <span class="letter-meta">
                {d.renews !== null && <span>更新の下書き</span>}
                <span>
                  {d.form.startsOn}～{d.form.endsOn}
                </span>
                <span>更新 {formatDateTime(d.updatedAt)}</span>
              </span>
              <span class="letter-actions">
                <button type="button" class="button continue-order" disabled={busy} onClick={() => { props.onContinue(d); }}>
                  続きを書く
                </button>
                <button type="button" class="button button-danger-outline discard-order" disabled={busy} onClick={() => { props.onDiscard(d); }}>
                  破棄
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {orders.orders.length === 0 ? (
        <p class="list-empty" id="nursing-orders-none">
          発行した訪問看護指示書はありません。
        </p>
      ) : (
        <ul class="letter-list" aria-label="発行した指示書">
          {orders.orders.map((o) => {
            const badge = stateBadge(o);
            return (
              <li key={o.id} class="letter-row" data-testid="nursing-order" data-state={o.state}>
                <span class={`badge badge-order-${badge.tone}`} data-testid="nursing-order-state">
                  {badge.label}
                </span>
                <span class="letter-title">
                  {o.kindLabel}（{o.formNumber.replace("別紙", "")}）
                </span>
                <span class="letter-to">{o.station} 殿</span>
                <span class="letter-meta">
                  <span data-testid="nursing-order-period">指示期間 {o.periodLabel}</span>
                  <span>指示日 {o.issuedOnLabel}</span>
                  {o.renewedBy !== null && <span class="status status-muted">更新済み</span>}
                  {o.ending !== null && (
                    <span class="status status-muted" data-testid="nursing-order-ending">
                      {o.ending}
                    </span>
                  )}
                </span>
                <span class="letter-actions">
                  <button type="button" class="button open-order-pdf" disabled={busy} onClick={() => { props.onOpen(o); }}>
                    開いて印刷
                  </button>
                  <button type="button" class="button save-order-pdf" disabled={busy} onClick={() => { props.onSave(o); }}>
                    PDFを保存
                  </button>
                  {mayRenew(o) && (
                    <button type="button" class="button renew-order" disabled={busy} onClick={() => { props.onRenew(o); }}>
                      更新
                    </button>
                  )}
                  {o.mayEnd && ending?.id !== o.id && (
                    <button type="button" class="button end-order" disabled={busy} onClick={() => { props.onEnding({ id: o.id, reason: "" }); }}>
                      更新しない
                    </button>
                  )}
                </span>
                {ending?.id === o.id && (
                  <form
                    class="order-ending"
                    onSubmit={(e) => {
                      e.preventDefault();
                      props.onEnd(o.id, ending.reason);
                    }}
                  >
                    <label class="field-label" for={`order-ending-${o.id}`}>
                      更新しない理由（入院、転医、訪問看護の終了など）
                    </label>
                    <input
                      id={`order-ending-${o.id}`}
                      class="input order-ending-reason"
                      aria-invalid={props.endingError !== undefined}
                      value={ending.reason}
                      maxLength={200}
                      onInput={(e) => {
                        props.onEnding({ id: o.id, reason: e.currentTarget.value });
                      }}
                    />
                    <button type="submit" class="button button-primary order-ending-save" disabled={busy}>
                      記録する
                    </button>
                    <button type="button" class="button" disabled={busy} onClick={() => { props.onEnding(null); }}>
                      キャンセル
                    </button>
                    {props.endingError !== undefined && (
                      <p class="field-error order-ending-error" role="alert">
                        {props.endingError}
                      </p>
                    )}
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

interface FormProps {
  state: OrderFormState;
  stations: NursingOrderStations | null;
  busy: boolean;
  errors: FieldErrors;
  alert: preact.ComponentChildren;
  onChange: (next: OrderFormState) => void;
  onSave: () => void;
  onIssue: () => void;
  onClose: () => void;
}

function OrderFormView({ state, stations, busy, errors, alert, onChange, onSave, onIssue, onClose }: FormProps) {
  const { form, kind } = state;
  const special = isSpecial(kind);
  const setForm = (next: NursingOrderForm) => {
    onChange({ ...state, form: next });
  };
  const set = (name: string, value: string) => {
    setForm({ ...form, [name]: value });
  };
  const text = (name: TextKey, label: string, hint?: string) => (
    <TextAreaField formId={FORM_ID} name={name} label={label} rows={3} value={form[name]} error={errors[name]} onInput={set} hint={hint} />
  );
  return (
    <form
      id="nursing-order-form"
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onIssue();
      }}
    >
      <h3 class="subsection-title" id="nursing-order-form-title">
        {kindTitle(kind)}
        {state.renews !== null && "（更新）"}
      </h3>
      {alert}
      <fieldset class="plain-fieldset" disabled={busy}>
        <Addressee state={state} stations={stations} errors={errors} onChange={onChange} />

        <fieldset class="field group">
          <legend class="field-label">{special ? "特別看護指示期間・点滴注射指示期間" : "指示期間・点滴注射指示期間"}</legend>
          <div class="form-grid form-grid-3">
            <TextField
              formId={FORM_ID}
              name="issuedOn"
              label="指示日"
              value={form.issuedOn}
              error={errors.issuedOn}
              onInput={set}
              placeholder="例: R8.12.1"
              hint="空欄のまま発行すると今日の日付になります"
            />
          </div>
          <div class="form-grid form-grid-3" id={fieldId(FORM_ID, "period")}>
            <TextField formId={FORM_ID} name="startsOn" label={`${periodLabel(kind)}（開始）`} value={form.startsOn} onInput={set} />
            <TextField formId={FORM_ID} name="endsOn" label={`${periodLabel(kind)}（終了）`} value={form.endsOn} onInput={set} />
          </div>
          <FieldErrorText id={fieldId(FORM_ID, "period")} name="period" message={errors.period} />
          <p class="field-hint">
            {special ? "特別指示は14日以内です。" : "指示期間は6か月以内です。"}日付は 2026-12-01 や R8.12.1 の形で入力できます。
          </p>
          <div class="form-grid form-grid-3" id={fieldId(FORM_ID, "infusionPeriod")}>
            <TextField formId={FORM_ID} name="infusionStartsOn" label="点滴注射指示期間（開始）" value={form.infusionStartsOn} onInput={set} />
            <TextField formId={FORM_ID} name="infusionEndsOn" label="点滴注射指示期間（終了）" value={form.infusionEndsOn} onInput={set} />
          </div>
          <FieldErrorText id={fieldId(FORM_ID, "infusionPeriod")} name="infusionPeriod" message={errors.infusionPeriod} />
        </fieldset>

        {!special && (
          <fieldset class="field group" id={fieldId(FORM_ID, "diagnoses")}>
            <legend class="field-label">主たる傷病名（3つまで。傷病名コードは任意）</legend>
            {form.diagnoses.map((d, i) => (
              <div class="form-grid form-grid-3 order-diagnosis" key={i}>
                <TextField
                  formId={FORM_ID}
                  name={`diagnosis-${String(i)}`}
                  label={`(${String(i + 1)}) 傷病名`}
                  value={d.name}
                  onInput={(_, value) => {
                    setForm(withDiagnosis(form, i, { name: value }));
                  }}
                />
                <TextField
                  formId={FORM_ID}
                  name={`diagnosis-code-${String(i)}`}
                  label="傷病名コード（7桁）"
                  inputMode="numeric"
                  value={d.code}
                  onInput={(_, value) => {
                    setForm(withDiagnosis(form, i, { code: value }));
                  }}
                />
              </div>
            ))}
            <FieldErrorText id={fieldId(FORM_ID, "diagnoses")} name="diagnoses" message={errors.diagnoses} />
          </fieldset>
        )}

        <fieldset class="field group">
          <legend class="field-label">現在の状況</legend>
          {text("condition", special ? "病状・主訴" : "病状・治療状態")}
          {special && text("frequentVisitReason", "一時的に訪問看護が頻回に必要な理由")}
          {!special && (
            <>
              {text("medication", "投与中の薬剤の用量・用法", "1行に1剤")}
              <Choice name="bedriddenLevel" label="日常生活自立度：寝たきり度" items={BEDRIDDEN_LEVELS} value={form.bedriddenLevel} errors={errors} onInput={set} />
              <Choice name="dementiaLevel" label="日常生活自立度：認知症の状況" items={DEMENTIA_LEVELS} value={form.dementiaLevel} errors={errors} onInput={set} />
              <Choice name="careLevel" label="要介護認定の状況" items={CARE_LEVELS} value={form.careLevel} errors={errors} onInput={set} />
              <Choice
                name="ulcerDepth"
                label="褥瘡の深さ"
                items={ULCER_DEPTHS.map((d) => ({ code: d.code, label: `${d.classification} ${d.label}` }))}
                value={form.ulcerDepth}
                errors={errors}
                onInput={set}
              />
              <fieldset class="field group" id={fieldId(FORM_ID, "devices")}>
                <legend class="field-label">装着・使用医療機器等</legend>
                <div class="radio-row order-devices">
                  {MEDICAL_DEVICES.map((d) => (
                    <label key={d.code} class="checkbox">
                      <input
                        type="checkbox"
                        name="order-device"
                        value={d.code}
                        checked={form.devices.includes(d.code)}
                        onChange={(e) => {
                          setForm(withDevice(form, d.code, e.currentTarget.checked));
                        }}
                      />
                      {d.label}
                    </label>
                  ))}
                </div>
                <FieldErrorText id={fieldId(FORM_ID, "devices")} name="devices" message={errors.devices} />
                {(form.devices.includes(OTHER_DEVICE) || form.deviceOther !== "") && (
                  <TextField formId={FORM_ID} name="deviceOther" label="「13.その他」の名称" value={form.deviceOther} error={errors.deviceOther} onInput={set} />
                )}
                {text("deviceDetails", "医療機器等の詳細", "酸素流量、カテーテルのサイズと交換頻度、人工呼吸器の設定など")}
              </fieldset>
            </>
          )}
        </fieldset>

        <fieldset class="field group">
          <legend class="field-label">留意事項及び指示事項</legend>
          {text("careNotes", special ? "留意事項及び指示事項" : "Ⅰ 療養生活指導上の留意事項")}
          {!special && (
            <>
              <div class="form-grid form-grid-3" id={fieldId(FORM_ID, "rehabilitation")}>
                <TextField formId={FORM_ID} name="rehabMinutesPerDay" label="Ⅱ1 理学療法士等の訪問：1日あたり（分）" inputMode="numeric" value={form.rehabMinutesPerDay} onInput={set} />
                <TextField formId={FORM_ID} name="rehabTimesPerWeek" label="週（回）" inputMode="numeric" value={form.rehabTimesPerWeek} onInput={set} />
              </div>
              <FieldErrorText id={fieldId(FORM_ID, "rehabilitation")} name="rehabilitation" message={errors.rehabilitation} />
              {text("woundCare", "Ⅱ2 褥瘡の処置等")}
              {text("deviceCare", "Ⅱ3 装着・使用医療機器等の操作援助・管理")}
              {text("otherInstructions", "Ⅱ4 その他")}
            </>
          )}
        </fieldset>

        <fieldset class="field group">
          <legend class="field-label">点滴注射</legend>
          {text("infusionInstructions", "在宅患者訪問点滴注射に関する指示（投与薬剤・投与量・投与方法等）", "点滴注射を指示するときは、点滴注射指示期間も入力してください")}
        </fieldset>

        <fieldset class="field group">
          <legend class="field-label">緊急時の連絡先・不在時の対応</legend>
          <TextField formId={FORM_ID} name="emergencyContact" label="緊急時の連絡先" value={form.emergencyContact} error={errors.emergencyContact} onInput={set} />
          {!special && (
            <TextField formId={FORM_ID} name="whenAbsent" label="不在時の対応" value={form.whenAbsent} error={errors.whenAbsent} onInput={set} />
          )}
        </fieldset>

        {!special && (
          <>
            {text("specialNotes", "特記すべき留意事項", "薬の相互作用・副作用についての留意点、薬物アレルギーの既往、定期巡回・随時対応型訪問介護看護及び複合型サービス利用時の留意事項等")}
            <fieldset class="field group">
              <legend class="field-label">他の事業所への指示（なければ空欄＝無）</legend>
              <div class="form-grid form-grid-2">
                <TextField formId={FORM_ID} name="otherStation" label="他の訪問看護ステーションへの指示" value={form.otherStation} error={errors.otherStation} onInput={set} />
                <TextField
                  formId={FORM_ID}
                  name="suctionProvider"
                  label="たんの吸引等実施のための訪問介護事業所への指示"
                  value={form.suctionProvider}
                  error={errors.suctionProvider}
                  onInput={set}
                />
              </div>
            </fieldset>
          </>
        )}

        <div class="form-actions">
          <button type="submit" class="button button-primary" id="nursing-order-issue">
            発行
          </button>
          <button type="button" class="button" id="nursing-order-save" onClick={onSave}>
            下書き保存
          </button>
          <button type="button" class="button" id="nursing-order-close" onClick={onClose}>
            閉じる
          </button>
        </div>
        <p class="field-hint">発行すると内容は変えられません（PDFとして保存されます）。閉じても下書きは残ります（「下書き保存」を押したところまで）。</p>
      </fieldset>
    </form>
  );
}

function Addressee({
  state,
  stations,
  errors,
  onChange,
}: {
  state: OrderFormState;
  stations: NursingOrderStations | null;
  errors: FieldErrors;
  onChange: (next: OrderFormState) => void;
}) {
  const mode = addresseeMode(stations);
  const id = fieldId(FORM_ID, "station");
  if (mode === "type") {
    return (
      <TextField
        formId={FORM_ID}
        name="station"
        label="宛先：訪問看護ステーション"
        value={state.form.station}
        error={errors.station}
        hint="患者のチームに訪問看護ステーションがまだいないため、名称を入力できます。"
        onInput={(_, value) => {
          onChange({ ...state, stationMemberId: "", form: { ...state.form, station: value } });
        }}
      />
    );
  }
  return (
    <div class="field">
      <label class="field-label" for={id}>
        宛先：訪問看護ステーション
      </label>
      {mode === "none" ? (
        <p class="field-hint">宛先を選べる訪問看護ステーションがありません。</p>
      ) : (
        <select
          id={id}
          name="station"
          value={state.stationMemberId}
          aria-invalid={errors.station !== undefined}
          onChange={(e) => {
            const memberId = e.currentTarget.value;
            const name = stations?.stations.find((s) => s.memberId === memberId)?.name ?? "";
            onChange({ ...state, stationMemberId: memberId, form: { ...state.form, station: name } });
          }}
        >
          <option value="">選んでください</option>
          {stations?.stations.map((s) => (
            <option key={s.memberId} value={s.memberId}>
              {s.name}
              {s.person === "" ? "" : `（${s.person}）`}
            </option>
          ))}
        </select>
      )}
      <FieldErrorText id={id} name="station" message={errors.station} />
    </div>
  );
}

function Choice(props: {
  name: "bedriddenLevel" | "dementiaLevel" | "careLevel" | "ulcerDepth";
  label: string;
  items: readonly { code: string; label: string }[];
  value: string;
  errors: FieldErrors;
  onInput: (name: string, value: string) => void;
}) {
  const { name, label, items, value, errors, onInput } = props;
  return (
    <fieldset class="field group" id={fieldId(FORM_ID, name)}>
      <legend class="field-label">{label}（もう一度押すと選択を外します）</legend>
      <div class="radio-row">
        {items.map((item) => (
          <label key={item.code} class="checkbox">
            <input
              type="radio"
              name={`order-${name}`}
              value={item.code}
              checked={value === item.code}
              onClick={() => {
                onInput(name, toggledChoice(value, item.code));
              }}
              onChange={() => undefined}
            />
            {item.label}
          </label>
        ))}
      </div>
      <FieldErrorText id={fieldId(FORM_ID, name)} name={name} message={errors[name]} />
    </fieldset>
  );
}

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  directoryAreaOf,
  directoryMunicipalities,
  searchDirectory,
  toApiError,
  type ApiError,
  type DirectoryListing,
  type DirectoryResults,
  type DirectorySearchInput,
} from "../api";
import { FormAlert } from "../components/FormAlert";
import {
  ORGANISATION_KINDS,
  WARD_TYPES,
  acceptingClass,
  areaOf,
  bedLines,
  contactOf,
  emptySearch,
  mayBeLetterDestination,
  mayInvite,
  offersForKind,
  resultCount,
  toggleOffer,
  withKind,
} from "../lib/directory";

const FORM_ID = "directory";

/** Where the screen was opened from, and what a result may then be used for. */
export interface DirectoryContext {
  /** Opened from a patient: the area their address lies in is suggested. */
  patient?: { name: string; address: string } | undefined;
  /** 「チームに招待」: opens the team's invitation with this organisation chosen. */
  onInvite?: ((listing: DirectoryListing) => void) | undefined;
  /** 「紹介状の宛先にする」: the letter form takes the organisation as its destination. */
  onChooseDestination?: ((listing: DirectoryListing) => void) | undefined;
  /**
   * 受入相談: the place in each result row for the consultation request's button
   * (issue 18's next part); nothing is shown until it is given.
   */
  consultationAction?: (listing: DirectoryListing) => ComponentChildren;
  onClose?: (() => void) | undefined;
}

/** 地域の機関をさがす: the region's directory, searched on this PC's copy. */
export function DirectorySearch(context: DirectoryContext) {
  const [input, setInput] = useState<DirectorySearchInput>(emptySearch());
  const [municipalities, setMunicipalities] = useState<string[]>([]);
  const [suggestedArea, setSuggestedArea] = useState<string | null>(null);
  const [results, setResults] = useState<DirectoryResults | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const address = context.patient?.address ?? "";

  useEffect(() => {
    directoryMunicipalities().then(setMunicipalities, () => {
      // Suggestions are a convenience; the search works without them.
    });
    if (address.trim() !== "") {
      directoryAreaOf(address).then(
        (area) => {
          if (area !== null) {
            setSuggestedArea(area);
            setInput((i) => (i.municipality === "" ? { ...i, municipality: area } : i));
          }
        },
        () => undefined,
      );
    }
  }, [address]);

  useEffect(() => {
    let stale = false;
    searchDirectory(input).then(
      (r) => {
        if (!stale) {
          setResults(r);
          setError(null);
        }
      },
      (e: unknown) => {
        if (!stale) setError(toApiError(e));
      },
    );
    return () => {
      stale = true;
    };
  }, [input]);

  const offers = offersForKind(input.kind);
  const labels = { name: "名称", municipality: "市区町村" };

  return (
    <section class="page-card directory" aria-labelledby="directory-heading" id="directory-search">
      <div class="page-header">
        <h2 id="directory-heading" class="section-title">
          地域の機関をさがす
          {context.patient !== undefined && <span class="page-subtitle">{context.patient.name} さん</span>}
        </h2>
        {context.onClose !== undefined && (
          <button type="button" class="button button-ghost" id="directory-close" onClick={context.onClose}>
            閉じる
          </button>
        )}
      </div>
      {/* Not a <form>: the search also opens inside the letter form, and Enter
          here must never submit that one. Results follow each change. */}
      <div
        class="form directory-form"
        id="directory-form"
        role="search"
        onKeyDown={(e) => {
          if (e.key === "Enter") e.preventDefault();
        }}
      >
        <FormAlert error={error} formId={FORM_ID} labels={labels} />
        <div class="form-grid form-grid-3">
          <label class="field span-2">
            <span class="field-label">名称（漢字・かな）</span>
            <input
              id="directory-name"
              type="search"
              value={input.name}
              autoComplete="off"
              placeholder="例: さいとう、斎藤内科"
              onInput={(e) => {
                const name = e.currentTarget.value;
                setInput((i) => ({ ...i, name }));
              }}
            />
          </label>
          <label class="field">
            <span class="field-label">種別</span>
            <select
              id="directory-kind"
              value={input.kind}
              onChange={(e) => {
                const kind = e.currentTarget.value;
                setInput((i) => withKind(i, kind));
              }}
            >
              <option value="">すべて</option>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field-label">市区町村</span>
            <input
              id="directory-municipality"
              list="directory-municipalities"
              value={input.municipality}
              autoComplete="off"
              placeholder="例: 豊島区"
              onInput={(e) => {
                const municipality = e.currentTarget.value;
                setInput((i) => ({ ...i, municipality }));
              }}
            />
            <datalist id="directory-municipalities">
              {municipalities.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
            {suggestedArea !== null && input.municipality === suggestedArea && (
              <span class="field-hint" id="directory-area-hint">
                患者さんの住所から
              </span>
            )}
          </label>
          <label class="field">
            <span class="field-label">空床あり（病床種別）</span>
            <select
              id="directory-open-beds"
              value={input.openBeds}
              disabled={input.kind !== "" && input.kind !== "hospital"}
              onChange={(e) => {
                const openBeds = e.currentTarget.value;
                setInput((i) => ({ ...i, openBeds }));
              }}
            >
              <option value="">問わない</option>
              {WARD_TYPES.map((w) => (
                <option key={w.code} value={w.code}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <label class="checkbox directory-accepting">
            <input
              id="directory-accepting-only"
              type="checkbox"
              checked={input.acceptingOnly}
              onChange={(e) => {
                const acceptingOnly = e.currentTarget.checked;
                setInput((i) => ({ ...i, acceptingOnly }));
              }}
            />
            新規受入可のみ
          </label>
        </div>
        {offers.length > 0 && (
          <fieldset class="group directory-offers">
            <legend>対応できること</legend>
            <div class="directory-offer-grid">
              {offers.map((o) => (
                <label key={o.code} class="checkbox">
                  <input
                    type="checkbox"
                    name="offers"
                    value={o.code}
                    checked={input.offers.includes(o.code)}
                    onChange={() => {
                      setInput((i) => toggleOffer(i, o.code));
                    }}
                  />
                  {o.label}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {input.kind === "" && <p class="field-hint">種別を選ぶと「対応できること」で絞り込めます。</p>}
      </div>
      {results !== null && (
        <>
          <p class="list-status" id="directory-count" aria-live="polite">
            {results.total === 0 ? "見つかりませんでした。条件を減らしてみてください。" : resultCount(results.listings.length, results.total)}
          </p>
          <ul class="directory-results" id="directory-results">
            {results.listings.map((l) => (
              <ListingRow key={l.id} listing={l} context={context} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ListingRow({ listing: l, context }: { listing: DirectoryListing; context: DirectoryContext }) {
  const contact = contactOf(l);
  const area = areaOf(l);
  const beds = bedLines(l.beds);
  const actions = [
    context.onInvite !== undefined && mayInvite(l.kind) && (
      <button
        key="invite"
        type="button"
        class="button"
        data-testid="directory-invite"
        onClick={() => {
          context.onInvite?.(l);
        }}
      >
        チームに招待
      </button>
    ),
    context.onChooseDestination !== undefined && mayBeLetterDestination(l.kind) && (
      <button
        key="letter"
        type="button"
        class="button button-ghost"
        data-testid="directory-letter-destination"
        onClick={() => {
          context.onChooseDestination?.(l);
        }}
      >
        紹介状の宛先にする
      </button>
    ),
    // 受入相談 goes here (DirectoryContext.consultationAction).
    context.consultationAction?.(l),
  ].filter((a) => a !== false && a !== undefined && a !== null);
  return (
    <li class="directory-result" data-testid="directory-result">
      <div class="directory-result-head">
        <h3 class="directory-name">
          {l.name}
          {l.nameKana !== "" && <span class="directory-kana">{l.nameKana}</span>}
        </h3>
        <span class="badge">{l.kindLabel}</span>
        <span class={acceptingClass(l.accepting)}>{l.acceptingLabel ?? "受入状況の記載なし"}</span>
        <span class={l.stale ? "freshness freshness-stale" : "freshness"} data-testid="directory-freshness">
          {l.freshnessLabel}
        </span>
      </div>
      <dl class="directory-facts">
        {contact !== "" && (
          <>
            <dt>連絡先</dt>
            <dd>{contact}</dd>
          </>
        )}
        {l.address !== "" && (
          <>
            <dt>所在地</dt>
            <dd>{l.address}</dd>
          </>
        )}
        {l.hours !== "" && (
          <>
            <dt>受付時間</dt>
            <dd>{l.hours}</dd>
          </>
        )}
        {area !== "" && (
          <>
            <dt>対応地域</dt>
            <dd>{area}</dd>
          </>
        )}
        {beds.length > 0 && (
          <>
            <dt>空床</dt>
            <dd>
              {beds.map((b) => (
                <span key={b.text} class={b.free ? "bed bed-free" : "bed"} title={`${b.at} 時点`}>
                  {b.text}
                  <small>（{b.at}）</small>
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {l.offers.length > 0 && (
        <ul class="chips directory-offer-chips" aria-label="対応できること">
          {l.offers.map((o) => (
            <li key={o.code} class="chip">
              {o.label}
            </li>
          ))}
        </ul>
      )}
      {actions.length > 0 && <div class="directory-actions">{actions}</div>}
    </li>
  );
}

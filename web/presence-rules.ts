// What the presence card decides, shared by web/heartbeat.js (bundled into it by `make
// web-minify`) and the React hook (web/use-online-status.ts): the state, busy, what the owner is
// doing, the note and its end, the owner's clock and the last activity, read from the status
// answer; how that answer is asked for (its max-age, its one warning), kept for the rest of the
// visit in sessionStorage and asked for again; the usual hours. What the card says and how it
// looks is web/card-look.ts. Plain TypeScript with nothing newer than heartbeat.js may use
// (web/README.md, "Size"): no `?.`, no `??`.

export type OnlineState = "online" | "away" | "offline" | "unknown";

/** The status JSON as the server sends it (every field checked before use). */
export interface StatusBody {
  state?: unknown;
  lastSeen?: unknown;
  timezone?: unknown;
  note?: { text?: unknown; busy?: unknown; until?: unknown } | null;
  activity?: { kind?: unknown; title?: unknown; artist?: unknown; app?: unknown } | null;
}

/** What the card shows of a status answer (see describe). The note and the activity are the
 *  answer's own objects, once they passed the checks. */
export interface Status {
  state: OnlineState;
  /** Online, at the computer but not to be disturbed: a note marked busy, or in a call. */
  busy: boolean;
  /** The owner's note, while it lasts. */
  note: { text: string; busy?: unknown; until?: unknown } | null;
  /** What the owner is doing, of a kind the card knows, while online. */
  activity: { kind: "listening"; title: string; artist?: unknown; app?: unknown } |
    { kind: "coding"; app?: unknown } | { kind: "call" } | null;
  /** The owner's IANA time zone, when the server is configured with one. */
  timeZone: string | null;
  /** The owner's clock in the language of the tag ("14:05"), when the zone is known. */
  localTime: string | null;
  /** The last activity (ms), when the server reveals it; NaN otherwise. */
  lastSeen: number;
}

/** A string with something in it, else null. */
export const textOf = (value: unknown) => (typeof value === "string" && value ? value : null);

/** The status answer at `now` (ms), its times in the language of `tag`; body: null while not
 *  known yet, {} after an error (offline). */
export function describe(body: StatusBody | null, now: number, tag: string): Status {
  const known: StatusBody = body || {}, timeZone = textOf(known.timezone);
  const state: OnlineState = !body ? "unknown" : known.state === "online" || known.state === "away" ? known.state : "offline";
  // The server sends it only while online; a saved answer or a stray field never shows it else.
  let note = known.note, activity = state === "online" && known.activity || null, localTime = null;
  const kind = activity && activity.kind;
  // Gone once its `until` has passed, at the next minute, before the next check.
  if (note && (!textOf(note.text) || Date.parse(note.until as string) <= now)) note = null;
  // Only the kinds the card knows; a song needs its title.
  if (!(kind === "call" || kind === "coding" || kind === "listening" && textOf(activity!.title))) activity = null;
  try {
    if (timeZone) localTime = new Intl.DateTimeFormat(tag, { hour: "numeric", minute: "2-digit", timeZone }).format(now);
  } catch {} // a zone this browser does not know: no clock
  return {
    state,
    // Away or offline, the state wins and the note stays (an activity is there only online).
    busy: kind === "call" || state === "online" && !!note && note.busy === true,
    note: note as Status["note"],
    activity: activity as Status["activity"],
    timeZone,
    localTime,
    lastSeen: Date.parse(known.lastSeen as string),
  };
}

/** The page's language as a canonical tag ("pt-BR"): `lang`, else the browser's, else "en". */
export function languageOf(lang?: string | null): string {
  try {
    return Intl.getCanonicalLocales(lang || navigator.language)[0];  // one for one tag
  } catch {
    return "en"; // not a language tag
  }
}

/** When a check was made (ms) and its answer's max-age (s), to ask again no sooner. */
export interface Checked {
  at: number;
  maxAge: number;
}

/** A request: when it was made, its Cache-Control's max-age once the answer came, the answer. */
export interface Request<Body> extends Checked {
  answer: Promise<Body>;
}

/** One GET that the browser's HTTP cache may answer (never cache-busted), with no cookies.
 *  A failure (a network error, an error status) rejects and logs one warning, none for a 404
 *  when `quiet`. */
export function getJson(url: string, quiet?: boolean): Request<unknown> {
  const request = { at: Date.now(), maxAge: 0 } as Request<unknown>;
  (request.answer = fetch(url, { credentials: "omit" }).then((response) => {
    if (!response.ok) throw Error("HTTP " + response.status);
    const maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control") as string);
    request.maxAge = maxAge ? +maxAge[1] : 0;
    return response.json();
  })).catch((error: Error) => {
    if (!quiet || error.message !== "HTTP 404") console.warn("heartbeat: " + url + ": " + error.message);
  });
  return request;
}

// The entry shared by the widget and the hook: an online answer and when its max-age ends (ms).
const KEY = "heartbeat:";

/** The status answer ({} after a failure: offline). An online one is kept for the rest of the
 *  visit (savedStatus), any other removes what was kept. */
export function checkStatus(src: string): Request<StatusBody> {
  const request = getJson(src) as Request<StatusBody>;
  request.answer = request.answer.then((body) => body || {}, () => ({})).then((body: StatusBody) => {
    try {
      if (body.state === "online") sessionStorage.setItem(KEY + src, JSON.stringify({ until: Date.now() + request.maxAge * 1e3, body }));
      else sessionStorage.removeItem(KEY + src);
    } catch {} // storage blocked by the browser's settings, or full
    return body;
  });
  return request;
}

/** The kept online answer while its max-age lasts, else null (then the page load asks again). */
export function savedStatus(src: string): StatusBody | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY + src) as string);
    return saved.until > Date.now() ? saved.body : null;  // only online answers are kept
  } catch {
    return null; // none, blocked, or another program's entry
  }
}

/** With refresh, on return to the tab: check again now? Never more often than the last
 *  answer's max-age allows. */
export const dueAgain = (last: Checked) =>
  document.visibilityState === "visible" && Date.now() - last.at >= last.maxAge * 1e3;

/** Each minute on the minute (the owner's clock, "active … ago", a note's end; no request).
 *  Returns the function that stops it. */
export function everyMinute(callback: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const next = () => {
    timer = setTimeout(() => {
      callback();
      next();
    }, 6e4 - Date.now() % 6e4);
  };
  next();
  return () => clearTimeout(timer);
}

/** The usual hours' URL (`?format=hours`; its heatmap adds `.svg`). */
export const hoursUrl = (src: string) => src + (src.includes("?") ? "&" : "?") + "format=hours";

/** The usual hours at that URL (the hours JSON, docs/protocol.md); a 404 (the owner keeps no
 *  history) rejects with no warning. */
export const getHours = (url: string) => getJson(url, true);

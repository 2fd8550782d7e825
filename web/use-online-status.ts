// usePresence: everything the heartbeat card shows, as a React hook (useOnlineStatus: the state).
//
//   const presence = usePresence("https://example.com/cgi-bin/status.fcgi", { hours: true });
//   presence.state      "unknown" while loading, then "online" | "away" | "offline"
//   presence.busy       online, but the owner's note asks not to be disturbed, or in a call
//   presence.activity   what the owner is doing while online ({ kind: "listening", title,
//                       artist, app }, { kind: "coding", app }, { kind: "call" }), else null
//   presence.note       { text, busy, until } or null (also null once `until` has passed)
//   presence.localTime  the owner's clock ("14:05", in the page's language), each minute
//   presence.lastSeen   a Date when the server reveals it (config `last_seen`), else null
//   presence.hours      the usual hours ({ hours: true } only), else null
//
// While online, no request until the answer's max-age has passed (the answer kept in
// sessionStorage, shared with heartbeat.js), a fresh check on each page load otherwise; the
// browser's HTTP cache is respected. A network error or an error status shows "offline" and
// logs one warning. With { refresh: true } it checks again when the tab becomes visible, never
// more often than the last answer's max-age. The clock and the note's end are looked at each
// minute, with no request.
import { useEffect, useState } from "react";

export type OnlineState = "online" | "away" | "offline" | "unknown";

export interface Note {
  text: string;
  busy: boolean;
  until: Date | null;
}

/** What the owner is doing, when the owner shares it (server config `activity`), while online. */
export type Activity =
  | { kind: "listening"; title: string; artist: string | null; app: string | null }
  | { kind: "coding"; app: string | null }
  | { kind: "call" };

export interface UsualHours {
  timezone: string;
  /** Days with data. */
  days: number;
  /** 7 rows, Monday first, of 24 shares 0..1: on how many of the days the owner was active then. */
  hours: number[][];
  /** A short text such as "Mon–Fri 09:00–18:00", null when there is too little data. */
  usually: string | null;
}

export interface Presence {
  state: OnlineState;
  busy: boolean;
  activity: Activity | null;
  note: Note | null;
  /** The owner's IANA time zone, when the server is configured with one. */
  timeZone: string | null;
  localTime: string | null;
  lastSeen: Date | null;
  hours: UsualHours | null;
}

export interface PresenceOptions {
  /** Check again when the tab becomes visible (like data-heartbeat-refresh). */
  refresh?: boolean;
  /** Fetch the usual hours (?format=hours) too. */
  hours?: boolean;
  /** The language of localTime; default: the page's lang, else the browser's. */
  lang?: string;
}

/** The status JSON as the server sends it (every field checked before use). */
interface StatusBody {
  state?: unknown;
  lastSeen?: unknown;
  timezone?: unknown;
  note?: { text?: unknown; busy?: unknown; until?: unknown } | null;
  activity?: { kind?: unknown; title?: unknown; artist?: unknown; app?: unknown } | null;
}

const PREFIX = "heartbeat:";

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

// The entry shared with heartbeat.js: an online answer and when its max-age ends (ms).
interface Saved {
  until: number;
  body: StatusBody;
}

/** The saved online answer, while its max-age lasts (after that the next load asks again). */
function savedOnline(src: string): StatusBody | null {
  try {
    const saved = JSON.parse(sessionStore()?.getItem(PREFIX + src) ?? "null") as Saved | null;
    return saved && saved.until > Date.now() && saved.body.state === "online" ? saved.body : null;
  } catch {
    return null; // another program's entry
  }
}

export function pageLanguage(lang?: string): string {
  try {
    return Intl.getCanonicalLocales(lang || document.documentElement.lang || navigator.language)[0] ?? "en";
  } catch {
    return "en"; // not a language tag
  }
}

async function getJson(url: string): Promise<{ body: unknown; maxAge: number }> {
  const response = await fetch(url, { credentials: "omit" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control") ?? "");
  return { body: await response.json(), maxAge: maxAge ? Number(maxAge[1]) : 0 };
}

// Only the kinds this hook knows, with their texts; anything else is no activity.
function readActivity(raw: StatusBody["activity"]): Activity | null {
  const text = (value: unknown) => (typeof value === "string" && value ? value : null);
  const title = text(raw?.title);
  switch (raw?.kind) {
    case "call": return { kind: "call" };
    case "coding": return { kind: "coding", app: text(raw.app) };
    case "listening": return title ? { kind: "listening", title, artist: text(raw.artist), app: text(raw.app) } : null;
    default: return null;
  }
}

function describe(body: StatusBody | null, now: number, lang: string): Omit<Presence, "hours"> {
  const state: OnlineState = !body ? "unknown" : body.state === "online" || body.state === "away" ? body.state : "offline";
  const raw = body?.note;
  const until = typeof raw?.until === "string" ? new Date(raw.until) : null;
  const note: Note | null = raw && typeof raw.text === "string" && !(until && until.getTime() <= now)
    ? { text: raw.text, busy: raw.busy === true, until }
    : null;
  const timeZone = typeof body?.timezone === "string" ? body.timezone : null;
  let localTime: string | null = null;
  if (timeZone) {
    try {
      localTime = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZone }).format(now);
    } catch {
      localTime = null; // a zone this browser does not know
    }
  }
  const seen = typeof body?.lastSeen === "string" ? new Date(body.lastSeen) : null;
  // The server sends it only while online; a saved answer or a stray field never shows it else.
  const activity = state === "online" ? readActivity(body?.activity) : null;
  return {
    state,
    busy: state === "online" && (note?.busy === true || activity?.kind === "call"),
    activity,
    note,
    timeZone,
    localTime,
    lastSeen: seen && !Number.isNaN(seen.getTime()) ? seen : null,
  };
}

function readHours(body: unknown): UsualHours | null {
  const hours = body as { timezone?: unknown; days?: unknown; hours?: unknown; usually?: unknown } | null;
  if (!hours || !Array.isArray(hours.hours)) return null;
  return {
    timezone: String(hours.timezone),
    days: Number(hours.days),
    hours: hours.hours as number[][],
    usually: typeof hours.usually === "string" ? hours.usually : null,
  };
}

export function usePresence(src: string, options: PresenceOptions = {}): Presence {
  const { refresh = false, hours: wantHours = false } = options;
  const lang = pageLanguage(options.lang);
  const [body, setBody] = useState<StatusBody | null>(() => savedOnline(src));
  const [hours, setHours] = useState<UsualHours | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    let checkedAt = 0;
    let maxAge = 0;
    const store = sessionStore();

    const check = async () => {
      checkedAt = Date.now();
      try {
        const answer = await getJson(src);
        const status = (answer.body ?? {}) as StatusBody;
        maxAge = answer.maxAge;
        const saved: Saved = { until: Date.now() + answer.maxAge * 1000, body: status };
        if (status.state === "online") store?.setItem(PREFIX + src, JSON.stringify(saved));
        else store?.removeItem(PREFIX + src);
        if (!cancelled) {
          setNow(Date.now());
          setBody(status);
        }
      } catch (error) {
        maxAge = 0;
        store?.removeItem(PREFIX + src);
        console.warn(`heartbeat: ${src}: ${(error as Error).message}`);
        if (!cancelled) setBody({});
      }
    };

    const saved = savedOnline(src);
    if (saved) {
      checkedAt = Date.now();
      setBody(saved);
    } else {
      setBody(null);
      void check();
    }

    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - checkedAt >= maxAge * 1000) {
        void check();
      }
    };
    if (refresh) document.addEventListener("visibilitychange", onVisible);
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [src, refresh]);

  useEffect(() => {
    if (!wantHours) return;
    let cancelled = false;
    const url = `${src}${src.includes("?") ? "&" : "?"}format=hours`;
    getJson(url).then(
      (answer) => { if (!cancelled) setHours(readHours(answer.body)); },
      (error: Error) => {
        // 404: the owner keeps no history; nothing to show and nothing to warn about.
        if (error.message !== "HTTP 404") console.warn(`heartbeat: ${url}: ${error.message}`);
      },
    );
    return () => { cancelled = true; };
  }, [src, wantHours]);

  // Each minute on the minute: the owner's clock, "active ... ago" and the note's end.
  useEffect(() => {
    let timer = 0;
    const next = () => {
      timer = window.setTimeout(() => {
        setNow(Date.now());
        next();
      }, 60000 - (Date.now() % 60000));
    };
    next();
    return () => window.clearTimeout(timer);
  }, []);

  return { ...describe(body, now, lang), hours };
}

/** The state alone, as in 0.1: "unknown" while loading, then "online" | "away" | "offline". */
export function useOnlineStatus(src: string, options: Pick<PresenceOptions, "refresh"> = {}): OnlineState {
  return usePresence(src, options).state;
}

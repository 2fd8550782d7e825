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
// minute, with no request. What it decides, it decides as heartbeat.js does: both use
// presence-rules.ts.
import { useEffect, useState } from "react";
import {
  checkStatus, describe, dueAgain, everyMinute, getHours, hoursUrl, languageOf, savedStatus, textOf,
  type Checked, type OnlineState, type Status, type StatusBody,
} from "./presence-rules";

export type { OnlineState } from "./presence-rules";

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

export function pageLanguage(lang?: string): string {
  return languageOf(lang || document.documentElement.lang);
}

const dateOf = (value: unknown) => {
  const date = typeof value === "string" || typeof value === "number" ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

// presence-rules.ts decides; this gives its answer the hook's types (Dates, nulls for absent texts).
function typed(status: Status): Omit<Presence, "hours"> {
  const { note, activity } = status;
  return {
    ...status,
    note: note && { text: note.text, busy: note.busy === true, until: dateOf(note.until) },
    activity: !activity || activity.kind === "call" ? activity as Activity | null
      : activity.kind === "coding" ? { kind: "coding", app: textOf(activity.app) }
      : { kind: "listening", title: activity.title, artist: textOf(activity.artist), app: textOf(activity.app) },
    lastSeen: dateOf(status.lastSeen),
  };
}

function readHours(body: unknown): UsualHours | null {
  const hours = body as { timezone?: unknown; days?: unknown; hours?: unknown; usually?: unknown } | null;
  if (!hours || !Array.isArray(hours.hours)) return null;
  return {
    timezone: String(hours.timezone),
    days: Number(hours.days),
    hours: hours.hours as number[][],
    usually: textOf(hours.usually),
  };
}

export function usePresence(src: string, options: PresenceOptions = {}): Presence {
  const { refresh = false, hours: wantHours = false } = options;
  const lang = pageLanguage(options.lang);
  const [body, setBody] = useState<StatusBody | null>(() => savedStatus(src));
  const [hours, setHours] = useState<UsualHours | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    const saved = savedStatus(src);
    // While the owner was seen online, no request until that answer's max-age has passed.
    let last: Checked = { at: saved ? Date.now() : 0, maxAge: 0 };
    const check = () => {
      const request = last = checkStatus(src);
      void request.answer.then((status) => {
        if (cancelled) return;
        setNow(Date.now());
        setBody(status);
      });
    };
    setBody(saved);
    if (!saved) check();

    const onVisible = () => { if (dueAgain(last)) check(); };
    if (refresh) document.addEventListener("visibilitychange", onVisible);
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [src, refresh]);

  useEffect(() => {
    if (!wantHours) return;
    let cancelled = false;
    // A 404 (the owner keeps no history) is nothing to show and nothing to warn about.
    getHours(hoursUrl(src)).answer.then((answer) => { if (!cancelled) setHours(readHours(answer)); }, () => {});
    return () => { cancelled = true; };
  }, [src, wantHours]);

  // Each minute on the minute: the owner's clock, "active ... ago" and the note's end.
  useEffect(() => everyMinute(() => setNow(Date.now())), []);

  return { ...typed(describe(body, now, lang)), hours };
}

/** The state alone, as in 0.1: "unknown" while loading, then "online" | "away" | "offline". */
export function useOnlineStatus(src: string, options: Pick<PresenceOptions, "refresh"> = {}): OnlineState {
  return usePresence(src, options).state;
}

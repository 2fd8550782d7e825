// useOnlineStatus: the heartbeat widget's behaviour as a React hook.
//
//   const state = useOnlineStatus("https://example.com/cgi-bin/status.fcgi");
//   // "unknown" while loading, then "online" | "away" | "offline"
//
// One request per visit while online (remembered in sessionStorage, shared with heartbeat.js),
// a fresh check on each page load otherwise; the browser's HTTP cache is respected. A network
// error or an error status shows "offline" and logs one warning. With { refresh: true } it checks
// again when the tab becomes visible, never more often than the last answer's max-age.
import { useEffect, useState } from "react";

export type OnlineState = "online" | "away" | "offline" | "unknown";

export interface OnlineStatusOptions {
  refresh?: boolean;
}

const PREFIX = "heartbeat:";

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

interface Answer {
  state: Exclude<OnlineState, "unknown">;
  maxAge: number;
}

async function fetchState(src: string): Promise<Answer> {
  const response = await fetch(src, { credentials: "omit" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control") ?? "");
  const body: unknown = await response.json();
  const state = (body as { state?: unknown } | null)?.state;
  return {
    state: state === "online" || state === "away" ? state : "offline",
    maxAge: maxAge ? Number(maxAge[1]) : 0,
  };
}

export function useOnlineStatus(src: string, options: OnlineStatusOptions = {}): OnlineState {
  const { refresh = false } = options;
  const [state, setState] = useState<OnlineState>(() =>
    sessionStore()?.getItem(PREFIX + src) === "online" ? "online" : "unknown",
  );

  useEffect(() => {
    let cancelled = false;
    let checkedAt = 0;
    let maxAge = 0;
    const store = sessionStore();

    const check = async () => {
      checkedAt = Date.now();
      try {
        const answer = await fetchState(src);
        maxAge = answer.maxAge;
        if (answer.state === "online") store?.setItem(PREFIX + src, "online");
        else store?.removeItem(PREFIX + src);
        if (!cancelled) setState(answer.state);
      } catch (error) {
        maxAge = 0;
        store?.removeItem(PREFIX + src);
        console.warn(`heartbeat: ${src}: ${(error as Error).message}`);
        if (!cancelled) setState("offline");
      }
    };

    if (store?.getItem(PREFIX + src) === "online") {
      checkedAt = Date.now();
      setState("online");
    } else {
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

  return state;
}

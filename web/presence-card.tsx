// PresenceCard: the heartbeat.js card as a React component, on usePresence.
//
//   <PresenceCard src="https://example.com/cgi-bin/status.fcgi" hours="map" />
//
// The same markup, words and looks as heartbeat.js (class names hb-*, data-state), so a page's
// own CSS for the widget styles both. Props: src; lang (default: the page's); refresh; hours
// (true: the "usually" line, "map": the heatmap too); labels (your own words, as data-label-*).
import { usePresence, pageLanguage, type PresenceOptions } from "./use-online-status";

export type LabelKey = "online" | "away" | "offline" | "unknown" | "busy" | "time" | "seen" | "usually" | "hours";
export type Labels = Record<LabelKey, string>;

const KEYS: LabelKey[] = ["online", "away", "offline", "unknown", "busy", "time", "seen", "usually", "hours"];

// The words of heartbeat.js, in the order of KEYS; "{}" stands for the value.
const WORDS: Record<string, string> = {
  en: "Online now|Away|Offline|Checking…|Busy|{} for me|active {}|usually online {}|Usual hours",
  de: "Jetzt online|Abwesend|Offline|Wird geprüft…|Beschäftigt|bei mir {}|aktiv {}|meist online {}|Übliche Zeiten",
  fr: "En ligne|Absent|Hors ligne|Vérification…|Occupé|{} chez moi|actif {}|en ligne d’habitude {}|Heures habituelles",
  es: "En línea|Ausente|Desconectado|Comprobando…|Ocupado|{} aquí|activo {}|suele estar en línea {}|Horario habitual",
  pt: "Online agora|Ausente|Offline|Verificando…|Ocupado|{} aqui|ativo {}|costuma estar online {}|Horário habitual",
  ja: "オンライン|離席中|オフライン|確認中…|取り込み中|こちらは{}|{}にアクティブ|普段のオンライン: {}|普段のオンライン時間",
  zh: "在线|离开|离线|检查中…|忙碌|我这里{}|{}活跃|通常在线：{}|通常在线时间",
};

/** The built-in words for a language tag ("pt-BR" uses pt; unknown languages use en). */
export function labelsFor(lang: string, overrides: Partial<Labels> = {}): Labels {
  const words = (WORDS[lang.split("-")[0]] ?? WORDS.en).split("|");
  const labels = {} as Labels;
  KEYS.forEach((key, i) => { labels[key] = overrides[key] || words[i]; });
  return labels;
}

const fill = (template: string, value: string) => template.replace("{}", () => value);

// "5 minutes ago", "3 hours ago", "yesterday", in the page's language.
function ago(since: Date, now: number, lang: string): string {
  const minutes = Math.max(0, Math.floor((now - since.getTime()) / 60000));
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  if (minutes < 60) return rtf.format(-minutes, "minute");
  if (minutes < 1440) return rtf.format(-Math.floor(minutes / 60), "hour");
  return rtf.format(-Math.floor(minutes / 1440), "day");
}

// The server writes English day names; each becomes the language's (5 Jan 1970 was a Monday).
function localDays(text: string, lang: string): string {
  const names = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" });
  return text.replace(/Mon|Tue|Wed|Thu|Fri|Sat|Sun/g,
    (day) => names.format(("MonTueWedThuFriSatSun".indexOf(day) / 3 + 4) * 86400000));
}

// The stylesheet of heartbeat.js (the browser test compares the two).
const STYLE =
  ".hb{display:inline-flex;flex-direction:column;align-items:flex-start;gap:.15em;line-height:1.3}" +
  ".hb-status{display:inline-flex;align-items:center;gap:.45em}" +
  ".hb-dot{flex:none;box-sizing:border-box;width:.75em;height:.75em;border-radius:50%;border:.15em solid #7d8590}" +
  ".hb[data-state=unknown] .hb-dot{border-style:dotted}" +
  ".hb[data-state=online] .hb-dot{border-color:#1f883d;background:#1f883d;animation:hb-pulse 2s infinite}" +
  ".hb[data-state=away] .hb-dot{border-color:#b58100;background:linear-gradient(90deg,#b58100 50%,#0000 50%)}" +
  ".hb[data-state=busy] .hb-dot{border-color:#de3b3b;background:linear-gradient(#fff,#fff) 50%/70% 22% no-repeat #de3b3b}" +
  ".hb-meta,.hb-usual{font-size:.9em}.hb-map{max-width:100%;height:auto}" +
  "@keyframes hb-pulse{0%{box-shadow:0 0 0 0 #1f883d66}70%{box-shadow:0 0 0 .35em #1f883d00}}" +
  "@media (prefers-reduced-motion:reduce){.hb-dot{animation:none!important}}";

export interface PresenceCardProps extends Omit<PresenceOptions, "hours"> {
  src: string;
  hours?: boolean | "map";
  labels?: Partial<Labels>;
  className?: string;
}

export function PresenceCard({ src, lang, refresh, hours, labels, className }: PresenceCardProps) {
  const tag = pageLanguage(lang);
  const presence = usePresence(src, { refresh, hours: Boolean(hours), lang: tag });
  const words = labelsFor(tag, labels);
  const shown = presence.busy ? "busy" : presence.state;
  const online = presence.state === "online";
  const meta = [
    presence.localTime && fill(words.time, presence.localTime),
    !online && presence.lastSeen && fill(words.seen, ago(presence.lastSeen, Date.now(), tag)),
  ].filter(Boolean).join(" · ");
  const usually = presence.hours?.usually;
  const widest = Math.max(...KEYS.slice(0, 5).map((key) => words[key].length));
  return (
    <span className={className ? `hb ${className}` : "hb"} data-state={shown} lang={lang}>
      <style href="heartbeat-card" precedence="default">{STYLE}</style>
      {/* Only the state is a live region: the clock ticking below it is never announced. */}
      <span className="hb-status" role="status">
        <span className="hb-dot" aria-hidden="true" />
        <span className="hb-label" style={{ minWidth: `${widest * 0.6}em` }}>{words[shown]}</span>
      </span>
      {presence.note && <span className="hb-note">{presence.note.text}</span>}
      {meta && <span className="hb-meta">{meta}</span>}
      {usually && <span className="hb-usual">{fill(words.usually, localDays(usually, tag))}</span>}
      {hours === "map" && presence.hours && (
        <img className="hb-map" alt={words.hours} src={`${src}${src.includes("?") ? "&" : "?"}format=hours.svg`} />
      )}
    </span>
  );
}

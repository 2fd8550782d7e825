// What the presence card says and how it looks, shared by web/heartbeat.js (bundled into it by
// `make web-minify`) and the React card (web/presence-card.tsx): the words of each language, the
// stylesheet (and how it reaches the page), and the lines made of what web/presence-rules.ts
// decides: "active 5 minutes ago", the usual hours in the page's language, what the owner is
// doing ("Listening to Reckoner — Radiohead").

export type LabelKey = "online" | "away" | "offline" | "unknown" | "busy" | "time" | "seen" | "usually" | "hours" |
  "listening" | "coding" | "coding-in" | "call";
export type Labels = Record<LabelKey, string>;

// The first five are the states, whose longest word sets the label's width.
export const LABEL_KEYS = "online away offline unknown busy time seen usually hours listening coding coding-in call".split(" ") as LabelKey[];

// Built-in words, in the order of LABEL_KEYS; "{}" stands for the value (a time, "5 minutes ago",
// "Reckoner — Radiohead", the app's name...).
const WORDS: Record<string, string> = {
  en: "Online now|Away|Offline|Checking\u2026|Busy|{} for me|active {}|usually online {}|Usual hours|Listening to {}|Coding|Coding in {}|In a call",
  de: "Jetzt online|Abwesend|Offline|Wird gepr\u00fcft\u2026|Besch\u00e4ftigt|bei mir {}|aktiv {}|meist online {}|\u00dcbliche Zeiten|H\u00f6rt {}|Programmiert|Programmiert in {}|Im Anruf",
  fr: "En ligne|Absent|Hors ligne|V\u00e9rification\u2026|Occup\u00e9|{} chez moi|actif {}|en ligne d\u2019habitude {}|Heures habituelles|\u00c9coute {}|En train de coder|Code dans {}|En appel",
  es: "En l\u00ednea|Ausente|Desconectado|Comprobando\u2026|Ocupado|{} aqu\u00ed|activo {}|suele estar en l\u00ednea {}|Horario habitual|Escuchando {}|Programando|Programando en {}|En una llamada",
  pt: "Online agora|Ausente|Offline|Verificando\u2026|Ocupado|{} aqui|ativo {}|costuma estar online {}|Hor\u00e1rio habitual|Ouvindo {}|Programando|Programando em {}|Em uma chamada",
  ja: "\u30aa\u30f3\u30e9\u30a4\u30f3|\u96e2\u5e2d\u4e2d|\u30aa\u30d5\u30e9\u30a4\u30f3|\u78ba\u8a8d\u4e2d\u2026|\u53d6\u308a\u8fbc\u307f\u4e2d|\u3053\u3061\u3089\u306f{}|{}\u306b\u30a2\u30af\u30c6\u30a3\u30d6|\u666e\u6bb5\u306e\u30aa\u30f3\u30e9\u30a4\u30f3: {}|\u666e\u6bb5\u306e\u30aa\u30f3\u30e9\u30a4\u30f3\u6642\u9593|\u518d\u751f\u4e2d: {}|\u30b3\u30fc\u30c7\u30a3\u30f3\u30b0\u4e2d|{}\u3067\u30b3\u30fc\u30c7\u30a3\u30f3\u30b0\u4e2d|\u901a\u8a71\u4e2d",
  zh: "\u5728\u7ebf|\u79bb\u5f00|\u79bb\u7ebf|\u68c0\u67e5\u4e2d\u2026|\u5fd9\u788c|\u6211\u8fd9\u91cc{}|{}\u6d3b\u8dc3|\u901a\u5e38\u5728\u7ebf\uff1a{}|\u901a\u5e38\u5728\u7ebf\u65f6\u95f4|\u6b63\u5728\u542c\uff1a{}|\u7f16\u7a0b\u4e2d|\u6b63\u5728\u7528 {} \u7f16\u7a0b|\u901a\u8bdd\u4e2d",
};

/** The words for a language tag ("pt-BR" uses pt; unknown languages use en), each replaced by
 *  `own(key)` where that gives one (a data-label-* attribute, a React prop). */
export function wordsFor(tag: string, own: (key: LabelKey) => string | null | undefined): Labels {
  const words = (WORDS[tag.split("-")[0]] || WORDS.en).split("|");
  const labels = {} as Labels;
  LABEL_KEYS.forEach((key, i) => { labels[key] = own(key) || words[i]; });
  return labels;
}

export const fill = (template: string, value: string) => template.replace("{}", () => value);

/** What the owner is doing, as the status JSON carries it (the hook's Activity is one). */
export interface ActivityFields { kind?: unknown; title?: unknown; artist?: unknown; app?: unknown }

// "Listening to Reckoner — Radiohead", "Coding in Xcode", "In a call"; "" for nothing. The
// activity is one web/presence-rules.ts let through (a kind the card knows, while online).
export function activityText(words: Labels, activity?: ActivityFields | null): string {
  const { kind, title, artist, app } = activity || {};
  return kind === "call" ? words.call : kind === "coding" ? app ? fill(words["coding-in"], app as string) : words.coding
    : kind ? fill(words.listening, title + (artist ? " \u2014 " + artist : "")) : "";
}

// Reserve the width of the longest state word so that nothing moves when the answer comes.
export const labelWidth = (labels: Labels) =>
  Math.max(...LABEL_KEYS.slice(0, 5).map((key) => labels[key].length)) * 0.6 + "em";

// "5 minutes ago", "3 hours ago", "yesterday", in the language of `tag`.
export function seenAgo(at: number, now: number, tag: string): string {
  const minutes = Math.max(0, Math.floor((now - at) / 6e4));
  const format = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
  if (minutes < 60) return format.format(-minutes, "minute");
  if (minutes < 1440) return format.format(-Math.floor(minutes / 60), "hour");
  return format.format(-Math.floor(minutes / 1440), "day");
}

// The line under the note: the owner's clock, and the last activity (ms or a Date; NaN or null
// when not revealed) while not online ("2:05 PM for me · active 5 minutes ago").
export function metaText(words: Labels, status: { state: string; localTime: string | null; lastSeen: number | Date | null },
  now: number, tag: string): string {
  return [status.localTime && fill(words.time, status.localTime),
    status.state !== "online" && status.lastSeen && fill(words.seen, seenAgo(+status.lastSeen, now, tag))].filter(Boolean).join(" \u00b7 ");
}

// "usually online Mon–Fri 09:00–18:00": the server writes English day names; each becomes the
// language's (5 Jan 1970 was a Monday).
export function usualText(words: Labels, usually: string, tag: string): string {
  const names = new Intl.DateTimeFormat(tag, { weekday: "short", timeZone: "UTC" });
  return fill(words.usually, usually.replace(/Mon|Tue|Wed|Thu|Fri|Sat|Sun/g,
    (day) => names.format(("MonTueWedThuFriSatSun".indexOf(day) / 3 + 4) * 864e5)));
}

// One set of colours with at least 3:1 against white and against near-black backgrounds;
// the shape tells the state without colour: filled, half-filled, barred, ring, dotted ring.
export const STYLE =
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

// The stylesheet, once per document, as a constructed sheet: a Content-Security-Policy's
// style-src governs <style> elements and style="" attributes, not adoptedStyleSheets, so the
// card keeps its looks under `style-src 'self'`. A browser without them gets a <style> element
// (or, under such a policy, the page links heartbeat.css).
export function adoptStyle(doc: Document & { hbStyled?: boolean }) {
  if (doc.hbStyled) return;
  doc.hbStyled = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    doc.adoptedStyleSheets.push(sheet); // a frozen array (before 2022) throws: the fallback
  } catch {
    const style = doc.createElement("style");
    style.textContent = STYLE;  // before it is in the page: one check by a policy, not two
    doc.head.append(style);
  }
}

// PresenceCard: the heartbeat.js card as a React component, on usePresence.
//
//   <PresenceCard src="https://example.com/cgi-bin/status.fcgi" hours="map" />
//
// The same markup, words and looks as heartbeat.js (class names hb-*, data-state; the words and
// the stylesheet are card-look.ts, which both use), so a page's own CSS for the widget styles
// both. Props: src; lang (default: the page's); refresh; hours (true: the "usually" line, "map":
// the heatmap too); labels (your own words, as data-label-*).
import { useLayoutEffect } from "react";
import { usePresence, pageLanguage, type PresenceOptions } from "./use-online-status";
import { activityText, adoptStyle, labelWidth, metaText, usualText, wordsFor, type Labels } from "./card-look";
import { hoursUrl } from "./presence-rules";

export type { LabelKey, Labels } from "./card-look";

/** The built-in words for a language tag ("pt-BR" uses pt; unknown languages use en). */
export function labelsFor(lang: string, overrides: Partial<Labels> = {}): Labels {
  return wordsFor(lang, (key) => overrides[key]);
}

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
  const meta = metaText(words, presence, Date.now(), tag);
  const usually = presence.hours?.usually;
  const activity = activityText(words, presence.activity);
  // Before the first paint; a constructed sheet, so that a strict style-src allows it.
  useLayoutEffect(() => adoptStyle(document), []);
  const width = labelWidth(words);
  return (
    <span className={className ? `hb ${className}` : "hb"} data-state={shown} lang={lang}>
      {/* Only the state is a live region: the clock ticking below it is never announced. */}
      <span className="hb-status" role="status">
        <span className="hb-dot" aria-hidden="true" />
        {/* Through the CSSOM, not a style="" attribute (which a strict style-src refuses when
            the card is rendered on a server). */}
        <span className="hb-label" ref={(node) => { if (node) node.style.minWidth = width; }}>{words[shown]}</span>
      </span>
      {activity && <span className="hb-activity">{activity}</span>}
      {presence.note && <span className="hb-note">{presence.note.text}</span>}
      {meta && <span className="hb-meta">{meta}</span>}
      {usually && <span className="hb-usual">{usualText(words, usually, tag)}</span>}
      {/* An empty grid tells a visitor nothing: the heatmap once there are usual hours. */}
      {hours === "map" && usually && (
        <img className="hb-map" alt={words.hours} src={`${hoursUrl(src)}.svg`} />
      )}
    </span>
  );
}

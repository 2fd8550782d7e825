// A tiny React page for the browser tests of the hook and the card: bundled by esbuild into
// build/web/www/hook.js. The body's data-* say what to render: data-mode "state" (0.1's
// useOnlineStatus), "data" (usePresence's whole answer as JSON) or "card" (PresenceCard, with
// data-label-busy or data-labels, a JSON object, as its labels).
import { createRoot } from "react-dom/client";
import { useOnlineStatus, usePresence } from "../../web/use-online-status";
import { PresenceCard } from "../../web/presence-card";

const { src = "/cgi-bin/status.fcgi", mode = "state", lang, hours, labelBusy, labels } = document.body.dataset;

function State() {
  const state = useOnlineStatus(src);
  return <p data-testid="presence" data-state={state}>{state}</p>;
}

function Data() {
  const presence = usePresence(src, { hours: hours !== undefined, lang });
  return <pre data-testid="presence" data-state={presence.state}>{JSON.stringify(presence)}</pre>;
}

function Card() {
  return <PresenceCard src={src} lang={lang} hours={hours === "map" ? "map" : hours !== undefined}
    labels={labels ? JSON.parse(labels) : labelBusy ? { busy: labelBusy } : undefined} />;
}

createRoot(document.getElementById("root")!).render(mode === "card" ? <Card /> : mode === "data" ? <Data /> : <State />);

// A tiny React page for the hook's browser test: bundled by esbuild into build/web/www/hook.js.
import { createRoot } from "react-dom/client";
import { useOnlineStatus } from "../../web/use-online-status";

function Presence({ src }: { src: string }) {
  const state = useOnlineStatus(src);
  return <p data-testid="presence" data-state={state}>{state}</p>;
}

const src = document.body.dataset.src ?? "/cgi-bin/status.fcgi";
createRoot(document.getElementById("root")!).render(<Presence src={src} />);

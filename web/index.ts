// The package's main entry (web/package.json): the React hook and the React card. The plain
// widget is "heartbeat-presence/widget" (heartbeat.js), its stylesheet "heartbeat-presence/heartbeat.css".
export * from "./use-online-status";
export * from "./presence-card";

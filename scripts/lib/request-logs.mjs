// The Worker's log lines as the local server prints them. The per-request JSON line (src/observability/request-log.ts),
// which the Worker writes only with --verbose (`npm run dev`; otherwise REQUEST_LOG=off), becomes one readable line;
// everything else is printed as is.
const readable = (r) =>
  [r.operation, r.status, r.errorCode ?? "", `${r.latencyMs}ms`, r.account ?? "-", r.region ?? "-", r.arn ?? ""].filter(Boolean).join("  ");

export function requestLogs({ level, message }) {
  if (message.startsWith('{"event":"request"')) console.log(readable(JSON.parse(message)));
  else if (level === "error" || level === "warn") console.error(message);
  else console.log(message);
}

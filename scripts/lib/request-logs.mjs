// The Worker's log lines as the local server prints them. The per-request JSON line (src/observability/request-log.ts)
// becomes one readable line with --verbose (`npm run dev`) and is dropped otherwise; everything else is printed as is.
const readable = (r) =>
  [r.operation, r.status, r.errorCode ?? "", `${r.latencyMs}ms`, r.account ?? "-", r.region ?? "-", r.arn ?? ""].filter(Boolean).join("  ");

export function requestLogs(verbose) {
  return ({ level, message }) => {
    if (message.startsWith('{"event":"request"')) {
      if (verbose) console.log(readable(JSON.parse(message)));
      return;
    }
    if (level === "error" || level === "warn") console.error(message);
    else console.log(message);
  };
}

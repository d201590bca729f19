// Worker entry: the HTTP app, the cron sweeper, and the Durable Object classes.
import { app } from "./app";
import type { Env } from "./env";
import { sweep } from "./scheduled";

export { AuditTrail } from "./audit/trail-object";
export { AuditExport } from "./audit/log-export";
export { D1Writer } from "./outbox/d1-writer";
export { SecretObject } from "./secret-object/secret-object";

export default {
  fetch: app.fetch,
  scheduled: (_controller, env, ctx) => ctx.waitUntil(sweep(env, Date.now())),
} satisfies ExportedHandler<Env>;

// `npm ci` in a fresh clone needs a lockfile that lists every optional package of every dependency, whatever the
// platform that wrote it: each optionalDependency of a locked package is itself locked, at the version asked for
// (workerd's darwin, linux and windows builds among them). CI (.ci/run) runs `npm ci` itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "./server";

interface Locked {
  version: string;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Locked> };

it("locks every optional dependency of every locked package, for every platform", () => {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      const locked = lock.packages[`${path ? `${path}/` : ""}node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
      if (!locked || (/^\d/.test(range) && locked.version !== range)) missing.push(`${path || "(root)"} → ${name}@${range}`);
    }
  }
  expect(missing).toEqual([]);
  const workerd = lock.packages["node_modules/workerd"]!;
  expect(Object.keys(workerd.optionalDependencies ?? {}).sort()).toEqual(
    ["darwin-64", "darwin-arm64", "linux-64", "linux-arm64", "windows-64"].map((p) => `@cloudflare/workerd-${p}`),
  );
});

// Dotted paths into results (`label.Versions.0.VersionId`, `SecretList.*.DeletedDate`), shared by the JavaScript
// driver and the expectation lookups; drivers/common.py implements the same rules for the Python drivers.

/** Every value at `path` in `root`; `*` fans out over an array's items or an object's values. */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const key of path.split(".").filter((k) => k !== "")) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== "object") continue;
      if (key === "*") next.push(...(Array.isArray(value) ? value : Object.values(value)));
      else if (Array.isArray(value) ? /^\d+$/.test(key) && Number(key) < value.length : Object.hasOwn(value, key)) {
        next.push((value as Record<string, unknown>)[key]);
      }
    }
    current = next;
  }
  return current;
}

/** The single value at `path` (no wildcards), or undefined. */
export const valueAt = (root: unknown, path: string): unknown => valuesAt(root, path)[0];

/** Whether a body meets a step's `until` condition. */
export function satisfied(body: unknown, until: { path: string; length?: number; exists?: boolean }): boolean {
  const found = valuesAt(body, until.path);
  if (until.exists !== undefined) return found.some((v) => v !== undefined) === until.exists;
  const [value] = found;
  return until.length === undefined || (Array.isArray(value) && value.length === until.length);
}

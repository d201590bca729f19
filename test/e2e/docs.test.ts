// The README and docs/ stand alone: every relative link resolves to a file (and heading) inside the repository,
// and nothing points at material outside it (../shared) or cites its evidence tags.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "./server";

const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = (markdown: string) =>
  new Set([...markdown.matchAll(/^#+\s+(.*)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")));

it.each(docs)("%s links only inside the repository, to files and headings that exist", (doc) => {
  const text = readFileSync(join(ROOT, doc), "utf8");
  expect(text).not.toMatch(/\.\.\/shared|shared\/reference|DESIGN\.md/);
  // Evidence tags of reference files outside the repository (E49, LS-T, MOTO-V, §6): facts are stated in words.
  expect(text).not.toMatch(/\b(E\d{1,3}|LS-[A-Z]+|MOTO-V|UG-\d{4})\b|§\d/);
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue;
    const [path, anchor] = target!.split("#");
    const file = path ? join(dirname(join(ROOT, doc)), path) : join(ROOT, doc);
    expect(relative(ROOT, file).startsWith(".."), `${doc}: ${target} leaves the repository`).toBe(false);
    expect(existsSync(file), `${doc}: ${target} does not exist`).toBe(true);
    if (anchor && file.endsWith(".md")) expect(anchors(readFileSync(file, "utf8")), `${doc}: ${target}`).toContain(anchor);
  }
});

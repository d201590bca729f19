// Builds the web console's script (console/src → public/console/console.js) with esbuild: one minified ES module,
// the AWS SDK included, nothing fetched at run time. wrangler runs it before every bundle ([build] in wrangler.toml:
// `npm start`, `wrangler dev`, `npm run deploy`); several servers may build at once, so the file is renamed into place.
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}public/console/console.js`;

const result = await build({
  entryPoints: [`${root}console/src/main.ts`],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  legalComments: "none",
  write: false,
  logLevel: "warning",
});
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, result.outputFiles[0].contents);
renameSync(temporary, target);

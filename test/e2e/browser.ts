// Debian's Chromium, headless, driven by playwright-core for the console's browser tests. The flags keep it off the
// network (no updates, sync or QUIC: this machine refuses outside connections); playwright gives every launch a
// fresh temporary profile (its own --user-data-dir, which it refuses to take from the arguments).
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

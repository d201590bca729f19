// What may be logged of an error that could quote what it was handling (a secret value, a statement, a function's
// payload): its type and where it was thrown, never its message.

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const MAX_FRAMES = 12;

/** The error's type (its name, when it looks like one) and the code locations of its stack. */
export function errorTrace(error: unknown): { errorType: string; frames: string[] } {
  if (!(error instanceof Error)) return { errorType: typeof error, frames: [] };
  const errorType = NAME.test(error.name) ? error.name : "Error";
  // V8 stacks are the message's lines, then one "    at …" line per frame: only the frames are kept.
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)).slice(0, MAX_FRAMES).map((line) => line.trim());
  return { errorType, frames };
}

import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);

// src/platform/errors.ts
var UsageError = class extends Error {
  exitCode = 2;
};
var BuildError = class extends Error {
  exitCode = 1;
};
function exitCodeOf(err) {
  if (err && typeof err === "object" && "exitCode" in err && typeof err.exitCode === "number") return err.exitCode;
  return 1;
}
function messageOf(err) {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n").map((l) => l.trim()).filter(Boolean).join(" \u2014 ");
}

export {
  UsageError,
  BuildError,
  exitCodeOf,
  messageOf
};

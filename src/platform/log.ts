/**
 * Human output goes to stderr so `--json` keeps stdout machine-readable. Every line passes through
 * redact(): credentials found in index URLs are registered here and never printed.
 */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  /** Runs one pipeline phase, prints its duration, records it in timings (ms). */
  phase<T>(name: string, fn: () => Promise<T>): Promise<T>;
  readonly timings: Record<string, number>;
  addSecret(secret: string): void;
  redact(text: string): string;
}

export interface LogSink {
  info(line: string): void;
  warn(line: string): void;
  startGroup?(name: string): void;
  endGroup?(): void;
}

export const stderrSink: LogSink = {
  info: (line) => process.stderr.write(line + '\n'),
  warn: (line) => process.stderr.write('warning: ' + line + '\n'),
};

/** TEXT with every secret replaced by ***. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first so a "user:token" pair is masked whole before its parts.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

export function createLogger(sink: LogSink = stderrSink, quiet = false): Logger {
  const secrets = new Set<string>();
  const timings: Record<string, number> = {};
  const redact = (text: string): string => redactSecrets(text, secrets);
  return {
    timings,
    addSecret(secret) {
      if (secret && secret.length >= 3) secrets.add(secret);
      try {
        const dec = decodeURIComponent(secret);
        if (dec !== secret && dec.length >= 3) secrets.add(dec);
      } catch {
        /* not URI-encoded */
      }
    },
    redact,
    info(msg) {
      if (!quiet) sink.info(redact(msg));
    },
    warn(msg) {
      sink.warn(redact(msg));
    },
    async phase(name, fn) {
      const t0 = performance.now();
      sink.startGroup?.(name);
      let ok = false;
      try {
        const result = await fn();
        ok = true;
        return result;
      } finally {
        const ms = Math.round(performance.now() - t0);
        timings[name] = (timings[name] ?? 0) + ms;
        // A failed phase is reported once, by the error line; its timing would only add noise.
        if (ok && !quiet) sink.info(redact(`  ${name.padEnd(14)} ${formatMs(ms)}`));
        sink.endGroup?.();
      }
    },
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

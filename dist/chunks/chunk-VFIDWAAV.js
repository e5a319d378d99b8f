import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);

// src/platform/errors.ts
var UsageError = class extends Error {
  exitCode = 2;
  hint;
  constructor(message, details = {}) {
    super(message);
    this.hint = details.hint;
  }
};
var BuildError = class extends Error {
  exitCode = 1;
  hint;
  constructor(message, details = {}) {
    super(message);
    this.hint = details.hint;
  }
};
function optionRef(key) {
  return `{{option:${key}}}`;
}
var cliDefault = (key) => `--${key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`;
function renderOptionRefs(text, name = cliDefault) {
  return text.replace(/\{\{option:([A-Za-z0-9-]+)\}\}/g, (_, key) => name(key));
}
var oneLine = (s) => s.split("\n").map((l) => l.trim()).filter(Boolean).join(" \u2014 ");
var SYSTEM_HINTS = {
  EACCES: "check the permissions of that path",
  EPERM: "check the permissions of that path",
  ENOSPC: "free some disk space and run again",
  EROFS: "that file system is read-only: choose a writable directory",
  ENOENT: "check that the path exists",
  EMFILE: "too many open files: raise the limit (ulimit -n) and run again"
};
function describeError(err, name = cliDefault) {
  const typed = err instanceof UsageError || err instanceof BuildError;
  let message = oneLine(renderOptionRefs(err instanceof Error ? err.message : String(err), name)) || "unknown error";
  let hint = typed && err.hint ? oneLine(renderOptionRefs(err.hint, name)) : null;
  if (typed && err.hint === void 0) {
    const at = message.indexOf(" \u2014 ");
    if (at > 0) {
      hint = message.slice(at + 3);
      message = message.slice(0, at);
    }
  }
  if (!typed) {
    const code = err && typeof err === "object" && "code" in err && typeof err.code === "string" ? err.code : "";
    hint = SYSTEM_HINTS[code] ?? "an unexpected error: set PEXPRESS_DEBUG=1 for where it came from, and report it if it looks like a bug";
  }
  return { message, hint, exitCode: exitCodeOf(err) };
}
function renderError(report) {
  return report.hint ? `${report.message} \u2014 ${report.hint}` : report.message;
}
function exitCodeOf(err) {
  if (err && typeof err === "object" && "exitCode" in err && typeof err.exitCode === "number") return err.exitCode;
  return 1;
}
function messageOf(err, name = cliDefault) {
  const msg = renderOptionRefs(err instanceof Error ? err.message : String(err), name);
  const hint = (err instanceof UsageError || err instanceof BuildError) && err.hint ? ` \u2014 ${renderOptionRefs(err.hint, name)}` : "";
  return oneLine(msg + hint);
}
function writeError(path, err) {
  if (err instanceof UsageError || err instanceof BuildError) return err;
  const code = err?.code;
  if (code === "ENOSPC" || code === "EDQUOT")
    return new BuildError(`no space left on the device writing ${path} \u2014 free some space there (or point it elsewhere) and build again`);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return new BuildError(`cannot write ${path} (${code}) \u2014 make it writable or point it elsewhere`);
  return new BuildError(`writing ${path} failed: ${code ?? err?.message ?? String(err)}`);
}

// src/store/store.ts
var BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
function isBucketName(name) {
  return BUCKET_NAME.test(name) && !name.includes("..");
}
var archiveKey = (sha256) => `sha256/${sha256}.pex`;
var depsIndexKey = (fingerprint) => `deps/${fingerprint}.json`;
var manifestKey = (sha256) => `manifests/${sha256}.json`;
function refKey(ref, scope) {
  if (!scope) return `refs/${sanitizeRef(ref)}.json`;
  const parts = scope.repository?.split("/") ?? [];
  const repo = parts.length === 2 && parts.every((p) => /^[\w.-]+$/.test(p) && !/^\.+$/.test(p)) ? parts.join("/") : "_local";
  const project = scope.project === "." || scope.project === "" ? "%2E" : encodeURIComponent(scope.project).replace(/^\.\.?$/, "_");
  return `refs/${repo}/${project}/${sanitizeRef(`${scope.python}-${scope.platform}`)}/${sanitizeRef(ref)}.json`;
}
var isSha256 = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
var ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
var envKey = (env) => `envs/${env}.json`;
var projectMetadataKey = (declarations) => `meta/${declarations}.json`;
function sanitizeRef(ref) {
  const cleaned = ref.replace(/^refs\/(heads|tags)\//, "").replace(/[^A-Za-z0-9._/-]/g, "_").split("/").filter((p) => p && p !== "." && p !== "..").join("/");
  return cleaned || "unnamed";
}
var fullKey = (store, key) => store.prefix ? `${store.prefix}/${key}` : key;

// src/platform/env.ts
var MiB = 1024 * 1024;
var ENV_VARS = {
  PEXPRESS_STORE: {
    type: "string",
    default: "",
    help: "The store URL (`file:///dir`, a path, or `s3://bucket/prefix`) when the CLI gets no `--store`. Empty: `file://<project>/.pexpress/store`."
  },
  PEXPRESS_RESOLVER: {
    type: "choice",
    choices: ["auto", "uv", "pip"],
    default: "auto",
    help: "The resolver when the CLI gets no `--resolver`."
  },
  PEXPRESS_CACHE_DIR: {
    type: "path",
    default: "$XDG_CACHE_HOME/pexpress, else ~/.cache/pexpress",
    help: "Every cache pexpress keeps: verified wheels by sha256, uv's cache, the tool venv uv is installed into, the per-project caches."
  },
  PEXPRESS_PYTHON: {
    type: "path",
    default: "python3",
    help: "The host interpreter: runs pip, builds sdists for a host-matching target, and runs `pexpress run` when no `python<X.Y>` is on PATH."
  },
  PEXPRESS_UV: {
    type: "path",
    default: "uv on PATH, else pexpress's tool venv (installed there on first use)",
    help: "The uv executable to resolve with."
  },
  PEXPRESS_PROGRESS: {
    type: "boolean",
    default: "true",
    help: "false or 0: no progress lines for long transfers (they are off anyway with `--json`)."
  },
  PEXPRESS_PROGRESS_INTERVAL_MS: {
    type: "integer",
    default: "5000",
    min: 0,
    help: "When stderr is not a terminal (CI logs), at most one progress line this often."
  },
  PEXPRESS_RESOLVE_TIMEOUT_MS: {
    type: "integer",
    default: String(15 * 6e4),
    min: 1,
    help: "How long uv or pip may run (resolving, evaluating `setup.py`, building an sdist) before the build stops and names what hung."
  },
  PEXPRESS_DOWNLOAD_TIMEOUT_MS: {
    type: "integer",
    default: "60000",
    min: 1,
    help: "A wheel download that receives nothing for this long is abandoned and retried."
  },
  PEXPRESS_S3_TIMEOUT_MS: {
    type: "integer",
    default: "30000",
    min: 1,
    help: "Connection and socket timeout of every S3 request; a request that times out is retried like other transient failures."
  },
  PEXPRESS_DEBUG: {
    type: "boolean",
    default: "false",
    help: "true or 1: print the stack trace of an error after its one-line message."
  },
  PEXPRESS_S3_ENDPOINT: {
    type: "url",
    default: "",
    help: "An S3-compatible endpoint URL (path-style addressing) when no `--s3-endpoint` / `s3-endpoint` is given."
  },
  PEXPRESS_S3_MULTIPART_THRESHOLD: {
    type: "integer",
    default: String(16 * MiB),
    min: 1,
    help: "Bytes from which an archive is uploaded in parts."
  },
  PEXPRESS_S3_PART_SIZE: {
    type: "integer",
    default: String(8 * MiB),
    min: 5 * MiB,
    help: "Bytes per part of a multipart upload (S3's minimum is 5 MiB; raised when an archive would need more than 9000 parts)."
  },
  PEXPRESS_S3_MAX_ATTEMPTS: {
    type: "integer",
    default: "8",
    min: 1,
    help: "Attempts per S3 request (throttling, 5xx, timeouts and resets are retried with backoff)."
  },
  AWS_ENDPOINT_URL_S3: {
    type: "url",
    default: "",
    external: true,
    help: "The AWS SDK's S3 endpoint variable, used after `PEXPRESS_S3_ENDPOINT`."
  },
  AWS_REGION: {
    type: "string",
    default: "",
    external: true,
    help: "The S3 region when none is given (as set by aws-actions/configure-aws-credentials)."
  },
  AWS_DEFAULT_REGION: {
    type: "string",
    default: "us-east-1",
    external: true,
    help: "The S3 region when neither a region option nor `AWS_REGION` is set."
  },
  XDG_CACHE_HOME: {
    type: "path",
    default: "~/.cache",
    external: true,
    help: "The base of the default `PEXPRESS_CACHE_DIR`."
  }
};
var TRUE = ["1", "true", "True", "TRUE"];
var FALSE = ["0", "false", "False", "FALSE"];
function problemOf(spec, text) {
  switch (spec.type) {
    case "boolean":
      return TRUE.includes(text) || FALSE.includes(text) ? null : "is not a boolean";
    case "integer":
      if (!/^\d+$/.test(text)) return "is not a whole number";
      if (spec.min !== void 0 && Number(text) < spec.min) return `is below the minimum ${spec.min}`;
      return null;
    case "choice":
      return spec.choices.includes(text) ? null : "is not one of the accepted values";
    case "url":
      try {
        const u = new URL(text);
        return u.protocol === "http:" || u.protocol === "https:" ? null : "is not an http(s) URL";
      } catch {
        return "is not a URL";
      }
    default:
      return /[\r\n\0]/.test(text) ? "must be a single line" : null;
  }
}
function readEnv(name, env = process.env) {
  const spec = ENV_VARS[name];
  const raw = env[name];
  const text = raw === void 0 || raw === "" ? null : raw;
  if (text !== null) {
    const problem = problemOf(spec, text);
    if (problem) {
      const shown = text.length > 60 ? text.slice(0, 57) + "\u2026" : text;
      throw new UsageError(`environment variable ${name}=${JSON.stringify(shown)} ${problem}`, {
        hint: `unset it or set it to ${describeType(spec)}`
      });
    }
  }
  const value = text ?? (spec.type === "boolean" || spec.type === "integer" ? spec.default : null);
  if (spec.type === "boolean") return TRUE.includes(value);
  if (spec.type === "integer") return Number(value);
  return value ?? void 0;
}
function readEnvOr(name, fallback, env = process.env) {
  try {
    return readEnv(name, env);
  } catch {
    return fallback;
  }
}
function describeType(spec) {
  switch (spec.type) {
    case "boolean":
      return "1, 0, true or false";
    case "integer":
      return spec.min !== void 0 && spec.min > 1 ? `a whole number \u2265 ${spec.min}` : "a whole number";
    case "choice":
      return spec.choices.slice(0, -1).join(", ") + " or " + spec.choices.at(-1);
    case "url":
      return "an http(s) URL";
    case "path":
      return "a path";
    default:
      return "a string";
  }
}

// src/platform/log.ts
var stderrSink = {
  info: (line) => process.stderr.write(line + "\n"),
  warn: (line) => process.stderr.write("warning: " + line + "\n")
};
function redactSecrets(text, secrets) {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join("***");
  return out;
}
function createLogger(sink = stderrSink, quiet = false) {
  const secrets = /* @__PURE__ */ new Set();
  const timings = {};
  const redact = (text) => redactSecrets(text, secrets);
  return {
    timings,
    addSecret(secret) {
      if (secret && secret.length >= 3) secrets.add(secret);
      try {
        const dec = decodeURIComponent(secret);
        if (dec !== secret && dec.length >= 3) secrets.add(dec);
      } catch {
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
        if (ok && !quiet) sink.info(redact(`  ${name.padEnd(14)} ${formatMs(ms)}`));
        sink.endGroup?.();
      }
    }
  };
}
function formatMs(ms) {
  return ms < 1e3 ? `${ms} ms` : `${(ms / 1e3).toFixed(ms < 1e4 ? 2 : 1)} s`;
}
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// src/platform/progress.ts
var wanted = true;
var isEnabled = () => wanted && readEnvOr("PEXPRESS_PROGRESS", true);
function setProgressEnabled(on) {
  wanted = on;
}
function rate(bytes, ms) {
  return ms > 0 ? `${formatBytes(Math.round(bytes * 1e3 / ms))}/s` : "";
}
function describe(t, now) {
  const ms = now - t.started;
  const parts = [
    t.total ? `${formatBytes(t.loaded)} / ${formatBytes(t.total)} (${Math.floor(t.loaded * 100 / t.total)}%)` : formatBytes(t.loaded)
  ];
  const r = rate(t.loaded, ms);
  if (r) parts.push(r);
  if (t.total && t.loaded > 0 && t.loaded < t.total) parts.push(`ETA ${formatMs(Math.round((t.total - t.loaded) * ms / t.loaded))}`);
  return `${t.label}: ${parts.join(", ")}`;
}
function createProgress(opts = {}) {
  const write = opts.write ?? ((s) => process.stderr.write(s));
  const tty = opts.isTTY ?? !!process.stderr.isTTY;
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? readEnvOr("PEXPRESS_PROGRESS_INTERVAL_MS", 5e3);
  const ttyDelay = Math.min(interval, 500);
  const active = /* @__PURE__ */ new Set();
  let timer = null;
  let drawn = false;
  let lastLine = -Infinity;
  function render() {
    const t = now();
    const due = [...active].filter((a) => t - a.started >= (tty ? ttyDelay : interval));
    if (!due.length) return;
    const line = due.map((a) => describe(a, t)).join(" \xB7 ");
    if (tty) {
      write(`\r\x1B[K${line}`);
      drawn = true;
    } else if (t - lastLine >= interval) {
      write(line + "\n");
      lastLine = t;
    }
  }
  function start(label, total = null) {
    if (!isEnabled() && !opts.write) return { add() {
    }, set() {
    }, total() {
    }, done() {
    } };
    const a = { label, loaded: 0, total, started: now() };
    active.add(a);
    if (!timer && !opts.manual) {
      timer = setInterval(render, tty ? 200 : Math.max(50, Math.min(interval, 1e3)));
      timer.unref();
    }
    let finished = false;
    return {
      add: (n) => void (a.loaded += n),
      set: (n) => void (a.loaded = n),
      total: (n) => void (a.total = n),
      done() {
        if (finished) return;
        finished = true;
        active.delete(a);
        const ms = now() - a.started;
        if (tty && drawn) {
          write("\r\x1B[K");
          drawn = false;
          if (active.size) render();
        } else if (!tty && ms >= interval) {
          write(`${a.label}: ${formatBytes(a.loaded)} in ${formatMs(Math.round(ms))}${ms > 0 ? ` (${rate(a.loaded, ms)})` : ""}
`);
        }
        if (!active.size && timer) {
          clearInterval(timer);
          timer = null;
        }
      }
    };
  }
  return { start, render };
}
var shared = null;
function startTransfer(label, total = null) {
  if (!isEnabled()) return { add() {
  }, set() {
  }, total() {
  }, done() {
  } };
  shared ??= createProgress();
  return shared.start(label, total);
}

// src/platform/net.ts
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
function envVar(env, name) {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || void 0;
}
function envName(env, name) {
  return env[name.toLowerCase()] ? name.toLowerCase() : name.toUpperCase();
}
function bypassesProxy(url, env = process.env) {
  const list = envVar(env, "no_proxy");
  if (!list) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of list.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    let entryPort = "";
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) [, entry, entryPort] = m;
    entry = entry.replace(/^\[|\]$/g, "").replace(/^\*?\./, "");
    if (entryPort && entryPort !== port) continue;
    if (host === entry || host.endsWith("." + entry)) return true;
  }
  return false;
}
function proxyFor(url, env = process.env) {
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const name = url.protocol === "https:" ? "https_proxy" : "http_proxy";
  const raw = envVar(env, name);
  if (!raw || bypassesProxy(url, env)) return null;
  let proxy = null;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
  }
  if (!proxy || !/^https?:$/.test(proxy.protocol) || !proxy.hostname)
    throw new UsageError(`${envName(env, name)}=${redactProxy(raw)} is not a proxy URL \u2014 set it to http://host:port (or unset it)`);
  return proxy;
}
function redactProxy(proxy) {
  return String(proxy).replace(/\/\/[^@/]*@/, "//");
}
function extraCa(env = process.env) {
  const file = env.SSL_CERT_FILE;
  if (!file) return null;
  const read = (path, what) => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new UsageError(
        `${what}=${path} cannot be read (${err.code ?? "error"}) \u2014 point it at a PEM bundle or unset it`
      );
    }
  };
  const ca = [...rootCertificates, read(file, "SSL_CERT_FILE")];
  if (env.NODE_EXTRA_CA_CERTS) ca.push(read(env.NODE_EXTRA_CA_CERTS, "NODE_EXTRA_CA_CERTS"));
  return ca;
}
function needsDispatcher(env) {
  const proxied = !!(envVar(env, "https_proxy") || envVar(env, "http_proxy"));
  if (proxied)
    for (const scheme of ["https", "http"]) proxyFor(new URL(`${scheme}://pexpress.invalid/`), { ...env, no_proxy: "", NO_PROXY: "" });
  return proxied || !!env.SSL_CERT_FILE;
}
var loaded = /* @__PURE__ */ new Map();
async function loadUndici(env) {
  const mod = await import("./undici-2IVD5NNS.js");
  const { fetch: fetch2, Agent, ProxyAgent } = mod.default ?? mod;
  const ca = extraCa(env);
  const tls = ca ? { ca } : {};
  return {
    fetch: fetch2,
    direct: new Agent({ connect: tls }),
    proxied: /* @__PURE__ */ new Map(),
    make: (proxy) => new ProxyAgent({ uri: proxy.href, requestTls: tls, proxyTls: tls })
  };
}
async function netFetch(input, init = {}, env = process.env) {
  if (!needsDispatcher(env)) return fetch(input, init);
  const key = `${env.SSL_CERT_FILE ?? ""}
${env.NODE_EXTRA_CA_CERTS ?? ""}`;
  if (!loaded.has(key)) loaded.set(key, loadUndici(env));
  const d = await loaded.get(key);
  const url = new URL(input);
  const proxy = proxyFor(url, env);
  let dispatcher = d.direct;
  if (proxy) {
    if (!d.proxied.has(proxy.href)) d.proxied.set(proxy.href, d.make(proxy));
    dispatcher = d.proxied.get(proxy.href);
  }
  try {
    return await d.fetch(url, { ...init, dispatcher });
  } catch (err) {
    const cause = err.cause;
    if (err.name === "AbortError" || err.name === "TimeoutError" || !cause) throw err;
    const via = proxy ? ` via the proxy ${redactProxy(proxy.origin)}` : "";
    throw new Error(`${cause.code ?? cause.message ?? "network error"} connecting to ${url.host}${via}`, { cause: err });
  }
}
function toolTrustEnv(env, dir) {
  if (env.SSL_CERT_FILE) return env.PIP_CERT ? {} : { PIP_CERT: env.SSL_CERT_FILE };
  if (!env.NODE_EXTRA_CA_CERTS) return {};
  let extra;
  try {
    extra = readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8");
  } catch {
    return {};
  }
  const pem = [...rootCertificates, extra].join("\n") + "\n";
  const bundle = join(dir, `${createHash("sha256").update(pem).digest("hex").slice(0, 16)}.pem`);
  if (!existsSync(bundle)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, pem);
    renameSync(tmp, bundle);
  }
  return { SSL_CERT_FILE: bundle, ...env.PIP_CERT ? {} : { PIP_CERT: bundle } };
}

export {
  UsageError,
  BuildError,
  optionRef,
  renderOptionRefs,
  describeError,
  renderError,
  messageOf,
  writeError,
  isBucketName,
  archiveKey,
  depsIndexKey,
  manifestKey,
  refKey,
  isSha256,
  ENV_NAME,
  envKey,
  projectMetadataKey,
  sanitizeRef,
  fullKey,
  readEnv,
  readEnvOr,
  stderrSink,
  redactSecrets,
  createLogger,
  formatMs,
  formatBytes,
  setProgressEnabled,
  startTransfer,
  proxyFor,
  extraCa,
  needsDispatcher,
  netFetch,
  toolTrustEnv
};

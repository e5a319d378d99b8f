import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  PEXPRESS_VERSION,
  build,
  cacheDir,
  createLogger,
  defaultStoreUrl,
  formatBytes,
  formatMs
} from "./chunks/chunk-3KS363RN.js";
import {
  UsageError,
  messageOf
} from "./chunks/chunk-LLOP3HRW.js";
import {
  endGroup,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  startGroup,
  summary,
  warning
} from "./chunks/chunk-GYX7XPGM.js";
import "./chunks/chunk-NWACEIQ6.js";

// src/action/main.ts
import { readFileSync } from "node:fs";

// src/action/inputs.ts
import { statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
var INPUT_DEFAULTS = {
  "project-dir": ".",
  "python-version": "",
  platform: "",
  manylinux: "",
  "entry-point": "",
  requirements: "requirements.txt",
  exclude: "",
  extras: "",
  "s3-bucket": "",
  "s3-prefix": "",
  "s3-region": "",
  "s3-endpoint": "",
  store: "",
  "force-full-build": "false",
  "deps-cache-epoch": "",
  resolver: "auto",
  "comment-on-pr": "true",
  "github-token": "${{ github.token }}"
};
var InputError = class extends UsageError {
  constructor(problems) {
    super(problems.map((p) => p.message).join("; "));
    this.problems = problems;
  }
  problems;
};
function envInputReader(env = process.env) {
  return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
var RESOLVERS = ["auto", "uv", "pip"];
var PLATFORMS = ["linux_x86_64", "linux_aarch64"];
var ENTRY_POINT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$/;
var BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
var REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
var show = (v) => `'${v.length > 60 ? v.slice(0, 57) + "\u2026" : v}'`;
function readInputs(read = envInputReader(), env = process.env) {
  const problems = [];
  const bad = (input, message) => {
    problems.push({ input, message: `input '${input}': ${message}` });
    return void 0;
  };
  const get = (name) => {
    const v = read(name);
    return v === "" ? INPUT_DEFAULTS[name] : v;
  };
  const bool = (name) => {
    const v = get(name);
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    bad(name, `${show(v)} is not a boolean \u2014 use true or false`);
    return INPUT_DEFAULTS[name] === "true";
  };
  const optional = (name) => get(name) || void 0;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const rawDir = get("project-dir");
  const projectDir = resolve(workspace, rawDir);
  let projectDirLabel = relative(workspace, projectDir).split(sep).join("/") || ".";
  if (projectDirLabel.startsWith("..") || isAbsolute(projectDirLabel)) projectDirLabel = projectDir.split(sep).join("/");
  try {
    if (!statSync(projectDir).isDirectory())
      bad("project-dir", `${show(rawDir)} is not a directory \u2014 give the Python project's directory, relative to the workspace`);
  } catch {
    bad(
      "project-dir",
      `${show(rawDir)} does not exist in the workspace (${workspace}) \u2014 did a checkout step run first? Give the Python project's directory, relative to the workspace`
    );
  }
  const python = optional("python-version");
  if (python !== void 0) {
    const m = /^3\.(\d{1,2})$/.exec(python);
    if (!m || Number(m[1]) < 9)
      bad(
        "python-version",
        `${show(python)} is not a supported target \u2014 use X.Y, 3.9 or later (e.g. 3.12), or leave it empty for the runner's python3`
      );
  }
  const platform = optional("platform");
  if (platform !== void 0 && !PLATFORMS.includes(platform))
    bad("platform", `${show(platform)} is not supported \u2014 use ${PLATFORMS.join(" or ")}, or leave it empty for the runner's`);
  const manylinux = optional("manylinux");
  if (manylinux !== void 0 && !/^manylinux(_2_\d{1,2}|2014|2010|1)$/.test(manylinux)) {
    bad("manylinux", `${show(manylinux)} is not a manylinux tag \u2014 use manylinux_2_NN (e.g. manylinux_2_28) or manylinux2014`);
  }
  const entryPoint = optional("entry-point") ?? null;
  if (entryPoint !== null && !ENTRY_POINT.test(entryPoint))
    bad("entry-point", `${show(entryPoint)} is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)`);
  const requirementsFile = get("requirements");
  if (isAbsolute(requirementsFile) || requirementsFile.split(/[\\/]/).includes("..")) {
    bad("requirements", `${show(requirementsFile)} must be a path inside project-dir (e.g. requirements/prod.txt)`);
  }
  const excludes = get("exclude").split("\n").map((l) => l.trim()).filter(Boolean);
  const extras = [
    ...new Set(
      get("extras").split(/[\s,]+/).filter(Boolean)
    )
  ].sort();
  for (const e of extras)
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))
      bad("extras", `${show(e)} is not an extra name \u2014 a comma-separated list like web,cli`);
  const resolverRaw = get("resolver");
  const resolver = RESOLVERS.includes(resolverRaw) ? resolverRaw : (bad("resolver", `${show(resolverRaw)} is not a resolver \u2014 use ${RESOLVERS.join(", ")}`), "auto");
  const store = optional("store");
  const bucket = optional("s3-bucket");
  const prefixRaw = get("s3-prefix");
  const prefix = prefixRaw.replace(/^\/+|\/+$/g, "");
  if (prefix && prefix.split("/").some((p) => p === ".." || p === "." || p === ""))
    bad(
      "s3-prefix",
      `${show(prefixRaw)} is not a key prefix \u2014 use segments separated by single slashes, without . or .. (e.g. pexpress/myapp)`
    );
  else if (/[^A-Za-z0-9!_.*'()/-]/.test(prefix))
    bad("s3-prefix", `${show(prefixRaw)} has characters that are unsafe in S3 keys \u2014 use letters, digits and - _ . / only`);
  if (bucket !== void 0) {
    if (bucket.startsWith("s3://"))
      bad("s3-bucket", `${show(bucket)}: give the bucket name only (no s3://), and the key prefix in s3-prefix`);
    else if (!BUCKET.test(bucket) || bucket.includes(".."))
      bad("s3-bucket", `${show(bucket)} is not a valid bucket name \u2014 3 to 63 lowercase letters, digits, dots and hyphens`);
  }
  if (store !== void 0) {
    if (bucket !== void 0) bad("store", `set either store or s3-bucket, not both`);
    else if (!/^(file:\/\/\/|s3:\/\/[^/])/.test(store))
      bad("store", `${show(store)} is not a store URL \u2014 use file:///absolute/dir or s3://bucket/prefix`);
  }
  let storeUrl;
  if (store !== void 0) storeUrl = store;
  else if (bucket !== void 0) storeUrl = `s3://${bucket}${prefix ? "/" + prefix : ""}`;
  else storeUrl = defaultStoreUrl(projectDir);
  if (store === void 0 && bucket === void 0 && prefix) bad("s3-prefix", `is set but s3-bucket is empty \u2014 set s3-bucket too`);
  const s3Region = optional("s3-region");
  if (s3Region !== void 0 && !REGION.test(s3Region)) bad("s3-region", `${show(s3Region)} is not a region name \u2014 e.g. eu-west-1`);
  const s3Endpoint = optional("s3-endpoint");
  if (s3Endpoint !== void 0) {
    let ok = false;
    try {
      const u = new URL(s3Endpoint);
      ok = (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
    } catch {
    }
    if (!ok)
      bad(
        "s3-endpoint",
        `${show(s3Endpoint)} is not an endpoint URL \u2014 use http(s)://host[:port] without credentials (e.g. http://localhost:9000)`
      );
  }
  const epoch = get("deps-cache-epoch");
  if (/[\r\n]/.test(epoch)) bad("deps-cache-epoch", "must be a single line");
  const forceFull = bool("force-full-build");
  const commentOnPr = bool("comment-on-pr");
  const tokenRaw = read("github-token");
  const githubToken = tokenRaw.includes("${{") ? "" : tokenRaw;
  if (problems.length) throw new InputError(problems);
  return {
    projectDirLabel,
    projectDir,
    python,
    platform,
    manylinux,
    entryPoint,
    requirementsFile,
    excludes,
    extras,
    storeUrl,
    localStore: store === void 0 && bucket === void 0,
    s3Region,
    s3Endpoint,
    forceFull,
    epoch,
    resolver,
    commentOnPr,
    githubToken
  };
}
function buildOptionsOf(inputs, extra = {}) {
  return {
    projectDir: inputs.projectDir,
    storeUrl: inputs.storeUrl,
    storeOptions: { s3Endpoint: inputs.s3Endpoint, s3Region: inputs.s3Region },
    python: inputs.python,
    platform: inputs.platform,
    manylinux: inputs.manylinux,
    entryPoint: inputs.entryPoint,
    forceFull: inputs.forceFull,
    outDir: join(inputs.projectDir, ".pexpress", "out"),
    resolver: inputs.resolver,
    epoch: inputs.epoch,
    excludes: inputs.excludes,
    extras: inputs.extras,
    requirementsFile: inputs.requirementsFile,
    ...extra
  };
}

// src/action/cache.ts
var loadActionsCache = async () => import("./chunks/cache-CH7QX54Q.js");
var CACHE_VERSION = "v1";
function cacheKeys(t, env = process.env) {
  const host = `${env.RUNNER_OS ?? process.platform}-${env.RUNNER_ARCH ?? process.arch}`;
  const targetPrefix = `pexpress-${CACHE_VERSION}-${host}-cp${t.python}-${t.platform}-`;
  return { primary: targetPrefix + t.fingerprint, restoreKeys: [targetPrefix] };
}
var ResolverCache = class {
  constructor(dir, log, backend = loadActionsCache, env = process.env) {
    this.dir = dir;
    this.log = log;
    this.env = env;
    if (typeof backend === "function") this.load = backend;
    else this.backend = backend;
  }
  dir;
  log;
  env;
  restoredKey;
  restoreTried = false;
  backend = null;
  load = loadActionsCache;
  /** The backend when the cache service is there, else null. */
  async available() {
    try {
      this.backend ??= await this.load();
      return this.backend.isFeatureAvailable() ? this.backend : null;
    } catch (err) {
      this.log.warn(`resolver cache: unavailable (${messageOf(err)})`);
      return null;
    }
  }
  /** Before resolving: bring back the closest cache for this fingerprint/target. Once per run. */
  async restore(t) {
    if (this.restoreTried) return this.restoredKey;
    this.restoreTried = true;
    const backend = await this.available();
    if (!backend) {
      this.log.info("resolver cache: the Actions cache service is not available here; resolving without it");
      return void 0;
    }
    const { primary, restoreKeys } = cacheKeys(t, this.env);
    try {
      this.restoredKey = await backend.restoreCache([this.dir], primary, restoreKeys);
      this.log.info(
        this.restoredKey ? `resolver cache: restored ${this.restoredKey}${this.restoredKey === primary ? " (exact)" : ""} into ${this.dir}` : `resolver cache: nothing restored for ${primary}`
      );
    } catch (err) {
      this.log.warn(`resolver cache: restore failed, resolving without it: ${messageOf(err)}`);
    }
    return this.restoredKey;
  }
  /** After a successful full build: save under the fingerprint's key unless that is what was restored. */
  async save(t) {
    const backend = await this.available();
    if (!backend) return false;
    const { primary } = cacheKeys(t, this.env);
    if (this.restoredKey === primary) {
      this.log.info(`resolver cache: ${primary} is already saved`);
      return false;
    }
    try {
      const id = await backend.saveCache([this.dir], primary);
      if (id === -1) return false;
      this.log.info(`resolver cache: saved ${primary}`);
      return true;
    } catch (err) {
      this.log.warn(`resolver cache: not saved (${messageOf(err)}); the next full build resolves without it`);
      return false;
    }
  }
};

// src/action/github.ts
var GitHubError = class extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
  status;
  /** 401/403/404 on comment endpoints: a read-only token (fork PRs, Dependabot) or missing permission. */
  get isPermission() {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
};
function nextLink(link) {
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2])) return m[1];
  }
  return null;
}
var GitHubClient = class {
  constructor(opts) {
    this.opts = opts;
    if (!/^[\w.-]+\/[\w.-]+$/.test(opts.repository))
      throw new Error(`GITHUB_REPOSITORY ${JSON.stringify(opts.repository)} is not owner/name`);
    this.base = new URL((opts.apiUrl || "https://api.github.com").replace(/\/+$/, "") + "/");
    this.doFetch = opts.fetch ?? fetch;
    this.attempts = opts.attempts ?? 3;
    this.retryDelayMs = opts.retryDelayMs ?? 1e3;
    this.timeoutMs = opts.timeoutMs ?? 3e4;
  }
  opts;
  base;
  doFetch;
  attempts;
  retryDelayMs;
  timeoutMs;
  url(path) {
    return new URL(path.replace(/^\//, ""), this.base);
  }
  async request(method, url, body2) {
    if (url.origin !== this.base.origin)
      throw new GitHubError(`refusing to send the token to ${url.origin} (API is ${this.base.origin})`, 0);
    let lastError;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let res;
      try {
        res = await this.doFetch(url, {
          method,
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${this.opts.token}`,
            "user-agent": `pexpress-action/${PEXPRESS_VERSION}`,
            "x-github-api-version": "2022-11-28",
            ...body2 === void 0 ? {} : { "content-type": "application/json" }
          },
          body: body2 === void 0 ? void 0 : JSON.stringify(body2),
          signal: AbortSignal.timeout(this.timeoutMs)
        });
      } catch (err) {
        lastError = new GitHubError(`${method} ${url.pathname}: ${err.message}`, 0);
        if (attempt < this.attempts) await sleep(this.retryDelayMs * attempt);
        continue;
      }
      if (res.ok) return res;
      const text = await res.text().catch(() => "");
      let detail = text.slice(0, 200);
      try {
        detail = JSON.parse(text).message ?? detail;
      } catch {
      }
      lastError = new GitHubError(`${method} ${url.pathname}: ${res.status} ${detail}`.trim(), res.status);
      const retryable = res.status >= 500 || res.status === 429;
      if (!retryable || attempt === this.attempts) break;
      await sleep(this.retryDelayMs * attempt);
    }
    throw lastError;
  }
  issuePath(issue) {
    return `repos/${this.opts.repository}/issues/${issue}/comments`;
  }
  /** Every comment of an issue or PR, following the Link header page by page (100 a page). */
  async *iterateIssueComments(issue) {
    let url = this.url(`${this.issuePath(issue)}?per_page=100`);
    for (let pages = 0; url && pages < 1e3; pages++) {
      const res = await this.request("GET", url);
      const page = await res.json();
      if (!Array.isArray(page)) throw new GitHubError(`GET ${url.pathname}: expected a list of comments`, res.status);
      yield* page;
      const next = nextLink(res.headers.get("link"));
      url = next ? new URL(next, this.base) : null;
    }
  }
  async listIssueComments(issue) {
    const all = [];
    for await (const c of this.iterateIssueComments(issue)) all.push(c);
    return all;
  }
  async createIssueComment(issue, body2) {
    return (await this.request("POST", this.url(this.issuePath(issue)), { body: body2 })).json();
  }
  async updateIssueComment(id, body2) {
    return (await this.request("PATCH", this.url(`repos/${this.opts.repository}/issues/comments/${id}`), { body: body2 })).json();
  }
};
async function upsertComment(client, issue, marker, body2) {
  for await (const c of client.iterateIssueComments(issue)) {
    if (typeof c.body === "string" && c.body.trimStart().startsWith(marker)) {
      return { action: "updated", comment: await client.updateIssueComment(c.id, body2) };
    }
  }
  return { action: "created", comment: await client.createIssueComment(issue, body2) };
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// src/action/report.ts
var COMMENT_MAX = 65e3;
function commentMarker(projectDir) {
  return `<!-- pexpress:${projectDir.replace(/-->/g, "--&gt;")} -->`;
}
function escapeMd(text, max = 2e3) {
  const line = text.replace(/\s*\r?\n\s*/g, " ").trim();
  const cut = line.length > max ? line.slice(0, max - 1) + "\u2026" : line;
  return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\\`*_[\]|~]/g, "\\$&");
}
function code(text) {
  const t = text.replace(/\r?\n/g, " ");
  if (!t.includes("`")) return "`" + t + "`";
  return "`` " + t + " ``";
}
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
var short = (sha) => sha.slice(0, 12);
function commitText(sha, ctx) {
  if (!sha) return null;
  const label = code(sha.slice(0, 7));
  if (ctx.repository && ctx.serverUrl && /^[0-9a-f]{7,64}$/.test(sha))
    return `[${label}](${ctx.serverUrl.replace(/\/+$/, "")}/${ctx.repository}/commit/${sha})`;
  return label;
}
function archiveRow(name, a) {
  const status = a.uploaded ? "\u2B06\uFE0F uploaded" : "\u267B\uFE0F reused";
  return `| ${code(name)} | ${code(short(a.sha256))} | ${formatBytes(a.size)} | ${code(a.key)} | ${status} |`;
}
function headline(ctx, kind) {
  const title = { full: "\u{1F528} **full build**", fast: "\u26A1 **fast build**", failed: "\u274C **build failed**" }[kind];
  return `### pexpress \xB7 ${code(ctx.projectDir)} \xB7 ${title}`;
}
function isS3(url) {
  return url.startsWith("s3://");
}
function body(r, ctx) {
  const keyHeader = isS3(ctx.storeUrl) ? "S3 key" : "store key";
  const lines = [headline(ctx, r.buildType), ""];
  lines.push(
    r.buildType === "fast" ? `**Fast:** only source.pex was built \u2014 ${escapeMd(r.reason)}` : `**Full:** deps.pex was rebuilt \u2014 ${escapeMd(r.reason)}`,
    "",
    `| archive | sha256 | size | ${keyHeader} | |`,
    "|:--|:--|--:|:--|:--|",
    archiveRow("deps.pex", r.deps),
    archiveRow("source.pex", r.source),
    ""
  );
  const facts = [
    `Built in **${formatMs(r.timings.total ?? 0)}**`,
    (() => {
      const head = commitText(ctx.commit ?? r.commit, ctx);
      if (!head) return null;
      const merge = ctx.commit && r.commit && ctx.commit !== r.commit ? ` (checked out as ${commitText(r.commit, ctx)})` : "";
      return `commit ${head}${merge}`;
    })(),
    `ref ${code(r.ref)}`,
    `CPython ${r.target.python} \xB7 ${r.target.platform}`,
    `fingerprint ${code(short(r.fingerprint))}`
  ].filter(Boolean);
  lines.push(facts.join(" \xB7 "), "");
  if (ctx.localStore) {
    lines.push(
      `> [!NOTE]
> No \`s3-bucket\` is set: the archives are in the runner's local store (${code(ctx.storeUrl)}) and go away with the job.`,
      ""
    );
  }
  const store = ` --store ${shellQuote(ctx.storeUrl)}`;
  lines.push(
    "<details><summary>Look up and run these archives</summary>",
    "",
    "```sh",
    `# deps.pex`,
    `pexpress lookup ${r.deps.sha256}${store}`,
    `# source.pex`,
    `pexpress lookup ${r.source.sha256}${store}`,
    `pexpress run ${r.source.sha256}${store}`,
    "```",
    "",
    `Manifest: ${code(r.manifest.key)}`,
    "",
    "| phase | time |",
    "|:--|--:|",
    ...Object.entries(r.timings).filter(([k]) => k !== "total").map(([k, ms]) => `| ${escapeMd(k)} | ${formatMs(ms)} |`),
    `| **total** | **${formatMs(r.timings.total ?? 0)}** |`,
    "",
    "</details>"
  );
  return lines;
}
function footer(ctx) {
  return ctx.runUrl ? ["", `<sub>[workflow run](${ctx.runUrl}) \xB7 updated on every push</sub>`] : [];
}
function renderComment(r, ctx) {
  return clamp([commentMarker(ctx.projectDir), ...body(r, ctx), ...footer(ctx)].join("\n") + "\n");
}
function renderSummary(r, ctx) {
  return body(r, ctx).join("\n") + "\n";
}
function failureBody(f, ctx) {
  const facts = [
    f.durationMs !== void 0 ? `Failed after **${formatMs(f.durationMs)}**` : null,
    ctx.commit ? `commit ${commitText(ctx.commit, ctx)}` : null,
    f.ref ? `ref ${code(f.ref)}` : null
  ].filter(Boolean);
  return [
    headline(ctx, "failed"),
    "",
    `**Why:** ${escapeMd(f.message)}`,
    "",
    ...facts.length ? [facts.join(" \xB7 ")] : [],
    ...ctx.runUrl ? ["", `See the [run log](${ctx.runUrl}) for details.`] : []
  ];
}
function renderFailureComment(f, ctx) {
  return clamp([commentMarker(ctx.projectDir), ...failureBody(f, ctx)].join("\n") + "\n");
}
function renderFailureSummary(f, ctx) {
  return failureBody(f, ctx).join("\n") + "\n";
}
function clamp(text) {
  return text.length <= COMMENT_MAX ? text : text.slice(0, COMMENT_MAX - 20) + "\n\n\u2026(truncated)\n";
}

// src/action/main.ts
var PR_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
function readRunContext(env = process.env) {
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  let payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
    } catch (err) {
      warning(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${messageOf(err)}`);
    }
  }
  const n = payload.pull_request?.number ?? payload.number;
  const prNumber = PR_EVENTS.has(eventName) && typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
  const head = payload.pull_request?.head?.sha;
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const repository = env.GITHUB_REPOSITORY ?? "";
  return {
    eventName,
    prNumber,
    headSha: typeof head === "string" ? head : null,
    repository,
    sha: env.GITHUB_SHA || null,
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || null,
    serverUrl,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    runUrl: repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : void 0
  };
}
function actionLogger() {
  const base = createLogger({
    info: (line) => info(line),
    warn: (line) => warning(line),
    startGroup: (name) => startGroup(name),
    endGroup: () => endGroup()
  });
  return {
    ...base,
    addSecret(secret) {
      base.addSecret(secret);
      if (secret && secret.length >= 3) setSecret(secret);
      try {
        const dec = decodeURIComponent(secret);
        if (dec !== secret && dec.length >= 3) setSecret(dec);
      } catch {
      }
    }
  };
}
function setOutputs(r, inputs) {
  const outputs = {
    "build-type": r.buildType,
    reason: r.reason,
    fingerprint: r.fingerprint,
    "deps-sha256": r.deps.sha256,
    "deps-key": r.deps.key,
    "source-sha256": r.source.sha256,
    "source-key": r.source.key,
    "manifest-key": r.manifest.key,
    "deps-path": r.deps.path ?? "",
    "source-path": r.source.path ?? "",
    "store-url": inputs.storeUrl
  };
  for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
}
async function comment(gh, inputs, body2) {
  if (gh.prNumber === null || !inputs.commentOnPr) return;
  const where = `PR #${gh.prNumber}`;
  if (!inputs.githubToken) {
    warning(`no github-token: no comment on ${where} \u2014 the job summary has the report`);
    return;
  }
  try {
    const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl });
    const { action, comment: comment2 } = await upsertComment(client, gh.prNumber, commentMarker(inputs.projectDirLabel), body2);
    info(`${action} the comment on ${where}${comment2.html_url ? ": " + comment2.html_url : ""}`);
  } catch (err) {
    if (err instanceof GitHubError && err.isPermission) {
      warning(
        `cannot comment on ${where} (${err.message}): the token is read-only or lacks permission \u2014 fork PRs and Dependabot get a read-only token; otherwise give the job 'permissions: pull-requests: write'. The job summary has the report.`
      );
    } else {
      warning(`cannot comment on ${where}: ${messageOf(err)} \u2014 the job summary has the report`);
    }
  }
}
async function writeSummary(markdown, env) {
  if (!env.GITHUB_STEP_SUMMARY) {
    info("no GITHUB_STEP_SUMMARY: no job summary (not on a GitHub runner?)");
    return;
  }
  try {
    await summary.addRaw(markdown, true).write();
  } catch (err) {
    warning(`cannot write the job summary: ${messageOf(err)}`);
  }
}
async function run(env = process.env) {
  const t0 = performance.now();
  let inputs;
  try {
    inputs = readInputs(envInputReader(env), env);
  } catch (err) {
    setFailed(messageOf(err));
    return;
  }
  if (inputs.githubToken) setSecret(inputs.githubToken);
  const gh = readRunContext(env);
  const log = actionLogger();
  const cache = new ResolverCache(cacheDir(env), { info: (m) => info(m), warn: (m) => warning(m) }, void 0, env);
  if (inputs.localStore) info(`no s3-bucket: archives go to the runner's local store ${inputs.storeUrl} (gone when the job ends)`);
  let result;
  let failure;
  try {
    result = await build(
      {
        ...buildOptionsOf(inputs),
        beforeResolve: async ({ fingerprint, target }) => {
          await group(
            "restore resolver cache",
            () => cache.restore({ fingerprint, python: target.python, platform: target.platform })
          );
        }
      },
      log
    );
  } catch (err) {
    failure = err;
  }
  const ctx = {
    projectDir: inputs.projectDirLabel,
    storeUrl: inputs.storeUrl,
    localStore: inputs.localStore,
    commit: gh.headSha ?? gh.sha,
    repository: gh.repository || void 0,
    serverUrl: gh.serverUrl,
    runUrl: gh.runUrl
  };
  let commentBody;
  if (result) {
    setOutputs(result, inputs);
    const r = result;
    info(`${r.buildType} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`);
    info(
      `  deps.pex   ${r.deps.sha256.slice(0, 12)}  ${formatBytes(r.deps.size)}  ${r.deps.uploaded ? "uploaded" : "reused"}  ${r.deps.key}`
    );
    info(
      `  source.pex ${r.source.sha256.slice(0, 12)}  ${formatBytes(r.source.size)}  ${r.source.uploaded ? "uploaded" : "reused"}  ${r.source.key}`
    );
    if (r.buildType === "full") {
      await group(
        "save resolver cache",
        () => cache.save({ fingerprint: r.fingerprint, python: r.target.python, platform: r.target.platform })
      );
    }
    await writeSummary(log.redact(renderSummary(r, ctx)), env);
    commentBody = log.redact(renderComment(r, ctx));
  } else {
    const failureInfo = { message: log.redact(messageOf(failure)), durationMs: Math.round(performance.now() - t0), ref: gh.ref };
    await writeSummary(log.redact(renderFailureSummary(failureInfo, ctx)), env);
    commentBody = log.redact(renderFailureComment(failureInfo, ctx));
  }
  await comment(gh, inputs, commentBody);
  info(`pexpress: done in ${formatMs(Math.round(performance.now() - t0))}`);
  if (!result) {
    if (env.PEXPRESS_DEBUG && failure instanceof Error) info(log.redact(failure.stack ?? ""));
    setFailed(log.redact(messageOf(failure)));
  }
}

// src/action/index.ts
try {
  await run();
} catch (err) {
  setFailed(`pexpress: unexpected error: ${messageOf(err)}`);
}

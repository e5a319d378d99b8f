import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  BUILT_WHEELS_DIR,
  OPTIONS,
  OPTION_KEYS,
  OptionsError,
  PEXPRESS_VERSION,
  actionName,
  build,
  buildOptionsFrom,
  cacheDir,
  defaultStoreUrl,
  openStore,
  parseOptions,
  promote,
  quote
} from "./chunks/chunk-WDKWC52Z.js";
import {
  UsageError,
  createLogger,
  describeError,
  formatBytes,
  formatMs,
  messageOf,
  netFetch,
  readEnv,
  readEnvOr,
  renderError,
  renderOptionRefs
} from "./chunks/chunk-VFIDWAAV.js";
import {
  endGroup,
  error,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  startGroup,
  summary,
  warning
} from "./chunks/chunk-MYCPMTLB.js";
import "./chunks/chunk-LEUJG33J.js";
import "./chunks/chunk-NWACEIQ6.js";

// src/action/main.ts
import { readFileSync } from "node:fs";

// src/action/inputs.ts
import { statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
var ACTION_KEYS = OPTION_KEYS.filter((k) => "action" in OPTIONS[k]);
var INPUT_DEFAULTS = Object.fromEntries(
  ACTION_KEYS.map((k) => [OPTIONS[k].action.input, OPTIONS[k].default])
);
var InputError = class extends OptionsError {
  constructor(problems) {
    super(problems, "action");
  }
};
function envInputReader(env = process.env) {
  return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
var URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
function readInputs(read = envInputReader(), env = process.env) {
  const given = {};
  for (const key of ACTION_KEYS) {
    const input = OPTIONS[key].action.input;
    const value = read(input);
    if (value !== "") given[key] = { value, from: `input '${input}'` };
  }
  const { values: o, problems } = parseOptions(given, ACTION_KEYS);
  const bad = (key, message, hint) => problems.push({ key, from: actionName(key), message, hint });
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const rawDir = o.projectDir;
  const projectDir = resolve(workspace, rawDir);
  let projectDirLabel = relative(workspace, projectDir).split(sep).join("/") || ".";
  if (projectDirLabel.startsWith("..") || isAbsolute(projectDirLabel)) projectDirLabel = projectDir.split(sep).join("/");
  try {
    if (!statSync(projectDir).isDirectory())
      bad("projectDir", `${quote(rawDir)} is not a directory`, "give the Python project's directory, relative to the workspace");
  } catch {
    bad(
      "projectDir",
      `${quote(rawDir)} does not exist in the workspace (${workspace})`,
      "did a checkout step run first? Give the Python project's directory, relative to the workspace"
    );
  }
  const store = o.store;
  const bucket = o.s3Bucket;
  const prefix = (o.s3Prefix ?? "").replace(/^\/+|\/+$/g, "");
  if (store !== void 0 && bucket !== void 0) bad("store", "set either store or s3-bucket, not both");
  if (store === void 0 && bucket === void 0 && prefix) bad("s3Prefix", "is set but s3-bucket is empty", "set s3-bucket too");
  let storeUrl;
  if (store !== void 0) storeUrl = URL_LIKE.test(store) ? store : "file://" + resolve(workspace, store);
  else if (bucket !== void 0) storeUrl = `s3://${bucket}${prefix ? "/" + prefix : ""}`;
  else storeUrl = defaultStoreUrl(projectDir);
  const tokenRaw = read("github-token");
  const githubToken = tokenRaw.includes("${{") ? "" : tokenRaw;
  if (problems.length) {
    const order = (p) => ACTION_KEYS.indexOf(p.key);
    throw new InputError(problems.sort((a, b) => order(a) - order(b)));
  }
  return {
    projectDirLabel,
    projectDir,
    python: o.python,
    platform: o.platform,
    manylinux: o.manylinux,
    entryPoint: o.entryPoint ?? null,
    requirementsFile: o.requirements ?? null,
    excludes: o.exclude,
    extras: o.extras,
    storeUrl,
    localStore: store === void 0 && bucket === void 0,
    s3Region: o.s3Region,
    s3Endpoint: o.s3Endpoint,
    forceFull: o.forceFull,
    epoch: o.epoch ?? "",
    resolver: o.resolver,
    commentOnPr: o.commentOnPr,
    githubToken,
    values: o
  };
}
function buildOptionsOf(inputs, extra = {}) {
  const at = { projectDir: inputs.projectDir, storeUrl: inputs.storeUrl, outDir: join(inputs.projectDir, ".pexpress", "out") };
  return { ...buildOptionsFrom(inputs.values, at), ...extra };
}

// src/action/context.ts
import { existsSync } from "node:fs";
import { isAbsolute as isAbsolute2, relative as relative2, resolve as resolve2, sep as sep2 } from "node:path";
function historyOf(gh, inputs) {
  const base = gh.repository || null;
  const fallbacks = [];
  for (const ref of [gh.baseRef, gh.defaultBranch]) {
    if (ref && !fallbacks.some((f) => f.ref === ref)) fallbacks.push({ ref, repository: base });
  }
  return { repository: gh.headRepository || base, project: inputs.projectDirLabel, fallbacks };
}
function failureLocation(message, inputs, workspace) {
  const m = /^([^\s:'"]+):(\d+): /.exec(message);
  if (!m) return null;
  const abs = resolve2(inputs.projectDir, m[1]);
  const file = relative2(workspace, abs).split(sep2).join("/");
  if (file.startsWith("..") || isAbsolute2(file) || !existsSync(abs)) return null;
  return { file, startLine: Number(m[2]) };
}

// src/action/cache.ts
import { join as join2 } from "node:path";
var loadActionsCache = async () => import("./chunks/cache-P3EPMLVG.js");
var CACHE_VERSION = "v2";
var CACHED_SUBDIRS = ["wheels", BUILT_WHEELS_DIR, "uv", "pip"];
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
    this.paths = CACHED_SUBDIRS.map((d) => join2(dir, d));
  }
  dir;
  log;
  env;
  restoredKey;
  restoreTried = false;
  backend = null;
  paths;
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
      this.restoredKey = await backend.restoreCache(this.paths, primary, restoreKeys);
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
      const id = await backend.saveCache(this.paths, primary);
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
var DEFAULT_ATTEMPTS = 3;
var DEFAULT_RETRY_DELAY_MS = 1e3;
var DEFAULT_TIMEOUT_MS = 3e4;
var PER_PAGE = 100;
var MAX_PAGES = 1e3;
var GitHubClient = class {
  constructor(opts) {
    this.opts = opts;
    if (!/^[\w.-]+\/[\w.-]+$/.test(opts.repository))
      throw new UsageError(`GITHUB_REPOSITORY ${JSON.stringify(opts.repository)} is not owner/name`, {
        hint: "run the Action on GitHub Actions, or set GITHUB_REPOSITORY to owner/name"
      });
    this.base = new URL((opts.apiUrl || "https://api.github.com").replace(/\/+$/, "") + "/");
    this.doFetch = opts.fetch ?? ((url, init) => netFetch(url, init));
    this.attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
    this.retryDelayMs = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
    let url = this.url(`${this.issuePath(issue)}?per_page=${PER_PAGE}`);
    for (let pages = 0; url && pages < MAX_PAGES; pages++) {
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
  /**
   * The login the token acts as, from GraphQL's `viewer` (REST `GET /user` refuses installation
   * tokens such as GITHUB_TOKEN; `viewer` answers them with the app's bot, `github-actions[bot]`).
   */
  async viewerLogin(graphqlUrl) {
    const url = graphqlUrl ? new URL(graphqlUrl) : this.url("graphql");
    const res = await this.request("POST", url, { query: "query { viewer { login } }" });
    const body2 = await res.json();
    const login = body2.data?.viewer?.login;
    if (typeof login !== "string" || !login)
      throw new GitHubError(
        `POST ${url.pathname}: no viewer login${body2.errors?.[0]?.message ? ` (${body2.errors[0].message})` : ""}`,
        res.status
      );
    return login;
  }
  async createIssueComment(issue, body2) {
    return (await this.request("POST", this.url(this.issuePath(issue)), { body: body2 })).json();
  }
  async updateIssueComment(id, body2) {
    return (await this.request("PATCH", this.url(`repos/${this.opts.repository}/issues/comments/${id}`), { body: body2 })).json();
  }
};
async function findComment(client, issue, marker, author) {
  for await (const c of client.iterateIssueComments(issue)) {
    if (typeof c.body !== "string" || !c.body.trimStart().startsWith(marker)) continue;
    if (author !== null && c.user?.login !== author) continue;
    return c;
  }
  return null;
}
async function upsertComment(client, issue, marker, body2, author = null) {
  const found = await findComment(client, issue, marker, author);
  if (found) return { action: "updated", comment: await client.updateIssueComment(found.id, body2) };
  return { action: "created", comment: await client.createIssueComment(issue, body2) };
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// src/action/report.ts
import { fileURLToPath } from "node:url";
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
  return `| ${code(name)} | ${code(short(a.sha256))} | ${formatBytes(a.size)} | ${status} |`;
}
function projectName(ctx) {
  if (ctx.projectDir === "." && ctx.repository) return code(ctx.repository.split("/").pop());
  return code(ctx.projectDir);
}
function headline(ctx, kind) {
  const title = { full: "\u{1F528} **full build**", fast: "\u26A1 **fast build**", failed: "\u274C **build failed**" }[kind];
  return `### pexpress \xB7 ${projectName(ctx)} \xB7 ${title}`;
}
function isS3(url) {
  return url.startsWith("s3://");
}
var signed = (n) => n === 0 ? "\xB10 B" : `${n > 0 ? "+" : "\u2212"}${formatBytes(Math.abs(n))}`;
function sizeCell(before, after) {
  if (after && !before) return after.size === null ? "" : signed(after.size);
  if (before && !after) return before.size === null ? "" : signed(-before.size);
  if (!before || !after || after.size === null) return "";
  return before.size === null ? formatBytes(after.size) : `${formatBytes(after.size)} (${signed(after.size - before.size)})`;
}
function depsTable(change, deps, ctx) {
  const b = change.base;
  const against = `${b.base ? `${code(b.ref)}'s last build` : "the last build"}${b.commit ? ` (${commitText(b.commit, ctx)})` : ""}`;
  const rows = change.packages.map((p) => {
    const [mark, version] = !p.before ? ["\u2795", escapeMd(p.after.version)] : !p.after ? ["\u2796", escapeMd(p.before.version)] : ["\u{1F504}", `${escapeMd(p.before.version)} \u2192 ${escapeMd(p.after.version)}`];
    return `| ${mark} ${code(p.name)} | ${version} | ${sizeCell(p.before, p.after)} |`;
  });
  const total = b.size === null ? formatBytes(deps.size) : `${formatBytes(deps.size)} (${signed(deps.size - b.size)})`;
  const counts = ["added", "removed", "changed"].map(
    (k) => [k, change.packages.filter((p) => k === "added" ? !p.before : k === "removed" ? !p.after : p.before && p.after).length]
  ).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return [
    `**What changed in deps.pex** against ${against}: ${counts.join(", ") || "the same packages (rebuilt)"}`,
    "",
    "| package | version | size |",
    "|:--|:--|--:|",
    ...rows,
    `| **deps.pex** | ${code(short(b.sha256))} \u2192 ${code(short(deps.sha256))} | **${total}** |`,
    ""
  ];
}
function fetchCommands(r, ctx) {
  const endpoint = ctx.s3Endpoint ? ` --endpoint-url ${shellQuote(ctx.s3Endpoint)}` : "";
  const copy = (a, name) => {
    if (isS3(a.url)) return `aws s3 cp${endpoint} ${shellQuote(a.url)} ${name}`;
    if (a.url.startsWith("file://")) return `cp ${shellQuote(fileURLToPath(a.url))} ${name}`;
    return `# ${name}: ${a.url}`;
  };
  return [
    copy(r.deps, "deps.pex"),
    copy(r.source, "source.pex"),
    `printf '%s  %s\\n' ${r.deps.sha256} deps.pex ${r.source.sha256} source.pex | sha256sum -c -`,
    "PEX_PATH=deps.pex python3 source.pex"
  ];
}
function body(r, ctx) {
  const lines = [headline(ctx, r.buildType), ""];
  lines.push(
    r.buildType === "fast" ? `**Fast:** only source.pex was built \u2014 ${escapeMd(r.reason)}` : `**Full:** deps.pex was rebuilt \u2014 ${escapeMd(r.reason)}`,
    ""
  );
  if (r.depsChange) lines.push(...depsTable(r.depsChange, r.deps, ctx));
  lines.push("| archive | sha256 | size | |", "|:--|:--|--:|:--|", archiveRow("deps.pex", r.deps), archiveRow("source.pex", r.source), "");
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
  const keyLabel = isS3(ctx.storeUrl) ? "S3 key" : "store key";
  lines.push(
    "<details><summary>Fetch, verify and run these archives</summary>",
    "",
    `On the deploy host, without pexpress (${isS3(ctx.storeUrl) ? "the AWS CLI" : "a shell"}, \`sha256sum\` and python3):`,
    "",
    "```sh",
    ...fetchCommands(r, ctx),
    "```",
    "",
    "With the pexpress CLI (verifies, caches and runs in one step):",
    "",
    "```sh",
    `# deps.pex`,
    `pexpress lookup ${r.deps.sha256}${store}`,
    `# source.pex`,
    `pexpress lookup ${r.source.sha256}${store}`,
    `pexpress run ${r.source.sha256}${store}`,
    "```",
    "",
    `| ${keyLabel} | |`,
    "|:--|:--|",
    `| ${code(r.deps.key)} | deps.pex |`,
    `| ${code(r.source.key)} | source.pex |`,
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
  const headRepo = payload.pull_request?.head?.repo?.full_name;
  const defaultBranch = payload.repository?.default_branch;
  return {
    eventName,
    prNumber,
    headSha: typeof head === "string" ? head : null,
    repository,
    headRepository: PR_EVENTS.has(eventName) && typeof headRepo === "string" && headRepo ? headRepo : repository,
    baseRef: PR_EVENTS.has(eventName) && env.GITHUB_BASE_REF || null,
    defaultBranch: typeof defaultBranch === "string" && defaultBranch ? defaultBranch : null,
    sha: env.GITHUB_SHA || null,
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || null,
    serverUrl,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    runUrl: repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : void 0
  };
}
function actionLogger() {
  const base = createLogger({
    // Warnings from the core may name options (optionRef): as inputs here.
    info: (line) => info(renderOptionRefs(line, actionName)),
    warn: (line) => warning(renderOptionRefs(line, actionName)),
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
    "store-url": inputs.storeUrl,
    "promoted-to": ""
  };
  for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
}
function tokenIdentity(gh, inputs, env) {
  if (gh.prNumber === null || inputs.commentOnPr === "never" || !inputs.githubToken) return null;
  const fallback = "github-actions[bot]";
  return (async () => {
    try {
      const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl, attempts: 2 });
      return await client.viewerLogin(env.GITHUB_GRAPHQL_URL || void 0);
    } catch (err) {
      info(`cannot tell who the token is (${messageOf(err)}): looking for comments by ${fallback}`);
      return fallback;
    }
  })();
}
async function comment(gh, inputs, body2, kind, identity) {
  if (gh.prNumber === null || inputs.commentOnPr === "never") return;
  const where = `PR #${gh.prNumber}`;
  if (!inputs.githubToken || !identity) {
    warning(`no github-token: no comment on ${where} \u2014 the job summary has the report`);
    return;
  }
  try {
    const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl });
    const author = await identity;
    const marker = commentMarker(inputs.projectDirLabel);
    if (inputs.commentOnPr === "on-full" && kind === "fast") {
      const earlier = await findComment(client, gh.prNumber, marker, author);
      if (!earlier) {
        info(`comment-on-pr is on-full: a fast build, no comment on ${where}`);
        return;
      }
      const c = await client.updateIssueComment(earlier.id, body2);
      info(`updated the comment on ${where} (dependencies unchanged now)${c.html_url ? ": " + c.html_url : ""}`);
      return;
    }
    const { action, comment: comment2 } = await upsertComment(client, gh.prNumber, marker, body2, author);
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
async function promoteIfAsked(gh, inputs, r) {
  if (!inputs.values.promoteTo) return;
  const env = inputs.values.promoteTo;
  const branch = inputs.values.promoteBranch || gh.defaultBranch || "main";
  if (gh.eventName !== "push" || gh.ref !== branch) {
    info(
      `promote-to ${env}: not promoted (only pushes to ${branch} are; this is a ${gh.eventName || "local"} build of ${gh.ref ?? "no ref"})`
    );
    return;
  }
  const store = await openStore(inputs.storeUrl, {
    s3Endpoint: inputs.s3Endpoint,
    s3Region: inputs.s3Region,
    warn: (m) => warning(m)
  });
  const p = await promote(store, r.source.sha256, env, (m) => warning(m));
  setOutput("promoted-to", env);
  info(
    `promoted ${p.current.source.sha256.slice(0, 12)} to ${p.env}${p.previous ? ` (was ${p.previous.source.sha256.slice(0, 12)})` : ""}`
  );
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
function actionError(err) {
  return renderError(describeError(err, actionName));
}
async function run(env = process.env) {
  const t0 = performance.now();
  let inputs;
  try {
    readEnv("PEXPRESS_DEBUG", env);
    inputs = readInputs(envInputReader(env), env);
  } catch (err) {
    setFailed(actionError(err));
    return;
  }
  if (inputs.githubToken) setSecret(inputs.githubToken);
  const gh = readRunContext(env);
  const identity = tokenIdentity(gh, inputs, env);
  const log = actionLogger();
  const cache = new ResolverCache(cacheDir(env), { info: (m) => info(m), warn: (m) => warning(m) }, void 0, env);
  if (inputs.localStore) info(`no s3-bucket: archives go to the runner's local store ${inputs.storeUrl} (gone when the job ends)`);
  let result;
  let failure;
  let promoteFailure;
  try {
    result = await build(
      {
        ...buildOptionsOf(inputs),
        history: historyOf(gh, inputs),
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
    runUrl: gh.runUrl,
    s3Endpoint: inputs.s3Endpoint
  };
  let commentBody;
  let failedMessage = "";
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
    await promoteIfAsked(gh, inputs, r).catch((err) => promoteFailure = err);
    if (r.buildType === "full") {
      await group(
        "save resolver cache",
        () => cache.save({ fingerprint: r.fingerprint, python: r.target.python, platform: r.target.platform })
      );
    }
    await writeSummary(log.redact(renderSummary(r, ctx)), env);
    commentBody = log.redact(renderComment(r, ctx));
  } else {
    failedMessage = log.redact(actionError(failure));
    const failureInfo = { message: failedMessage, durationMs: Math.round(performance.now() - t0), ref: gh.ref };
    await writeSummary(log.redact(renderFailureSummary(failureInfo, ctx)), env);
    commentBody = log.redact(renderFailureComment(failureInfo, ctx));
  }
  await comment(gh, inputs, commentBody, result?.buildType ?? "failed", identity);
  info(`pexpress: done in ${formatMs(Math.round(performance.now() - t0))}`);
  if (!result) {
    if (readEnvOr("PEXPRESS_DEBUG", false, env) && failure instanceof Error) info(log.redact(failure.stack ?? ""));
    const at = failureLocation(failedMessage, inputs, env.GITHUB_WORKSPACE || process.cwd());
    process.exitCode = 1;
    error(failedMessage, at ? { title: "pexpress", ...at } : {});
  } else if (promoteFailure) {
    setFailed(log.redact(`the build succeeded but promotion failed: ${actionError(promoteFailure)}`));
  }
}

// src/action/index.ts
try {
  await run();
} catch (err) {
  setFailed(actionError(err));
}

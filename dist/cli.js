#!/usr/bin/env node
import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  OPTIONS,
  OPTION_KEYS,
  OptionsError,
  PEXPRESS_VERSION,
  asEnvRecord,
  build,
  buildOptionsFrom,
  cacheDir,
  checkEnvName,
  cliName,
  defaultStoreUrl,
  fetchArchive,
  fingerprintProject,
  lookup,
  mapLimit,
  openStore,
  parseOptions,
  prepareRun,
  promote,
  promotedSource,
  readJson,
  readManifest,
  resolveSha,
  which
} from "./chunks/chunk-WDKWC52Z.js";
import {
  UsageError,
  archiveKey,
  createLogger,
  describeError,
  formatBytes,
  formatMs,
  isSha256,
  readEnv,
  readEnvOr,
  renderError,
  renderOptionRefs,
  setProgressEnabled,
  stderrSink
} from "./chunks/chunk-VFIDWAAV.js";
import "./chunks/chunk-NWACEIQ6.js";

// src/cli/main.ts
import { spawn } from "node:child_process";
import { dirname, join as join2 } from "node:path";

// src/deploy/history.ts
import { basename } from "node:path";
var READ_CONCURRENCY = 16;
var shaOfKey = (key) => basename(key).replace(/\.(pex|json)$/, "");
async function readManifests(store, listed, warn, enough = () => false) {
  const out = [];
  for (let i = 0; i < listed.length; i += READ_CONCURRENCY * 4) {
    const batch = listed.slice(i, i + READ_CONCURRENCY * 4);
    const read = await mapLimit(batch, READ_CONCURRENCY, async (o) => ({
      listed: o,
      manifest: isSha256(shaOfKey(o.key)) ? await readManifest(store, shaOfKey(o.key), warn) : null
    }));
    out.push(...read);
    if (enough(out.flatMap((r) => r.manifest ? [r.manifest] : []))) break;
  }
  return out;
}
async function buildHistory(store, opts) {
  const manifests = await store.scan("manifests/");
  manifests.sort((a, b) => b.modified.getTime() - a.modified.getTime());
  const wanted = (m) => !opts.ref || m.ref === opts.ref || m.ref === `refs/heads/${opts.ref}`;
  const read = await readManifests(store, manifests, opts.warn, (found) => found.filter(wanted).length >= opts.limit);
  const shown = read.flatMap((r) => r.manifest && wanted(r.manifest) ? [r.manifest] : []).sort((a, b) => Date.parse(b.builtAt) - Date.parse(a.builtAt)).slice(0, opts.limit);
  const shas = [...new Set(shown.flatMap((m) => [m.source.sha256, m.deps.sha256]))];
  const heads = await mapLimit(shas, READ_CONCURRENCY, async (sha) => [sha, (await store.head(archiveKey(sha)))?.size ?? null]);
  const sizes = new Map(heads);
  return shown.map((m) => ({
    builtAt: m.builtAt,
    ref: m.ref,
    commit: m.commit,
    buildType: m.buildType,
    reason: m.reason,
    fingerprint: m.fingerprint,
    target: m.target,
    source: { sha256: m.source.sha256, size: sizes.get(m.source.sha256) ?? null },
    deps: { sha256: m.deps.sha256, size: sizes.get(m.deps.sha256) ?? null }
  }));
}

// src/deploy/gc.ts
var READ_CONCURRENCY2 = 16;
var PENDING_KEY = "gc/pending.json";
var DAY_MS = 24 * 3600 * 1e3;
function asPending(value) {
  const r = value;
  if (!r || r.schema !== 1 || !r.since || typeof r.since !== "object") return {};
  return Object.fromEntries(Object.entries(r.since).filter(([, v]) => typeof v === "string" && !Number.isNaN(Date.parse(v))));
}
function parseDuration(text, flag) {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} '${text}' is not a duration \u2014 use a number with s, m, h or d (e.g. 30m, 1h, 0)`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: DAY_MS }[m[2] ?? "s"];
  return Number(m[1]) * unit;
}
async function readRecords(store, prefix) {
  const listed = (await store.scan(prefix)).filter((o) => o.key.endsWith(".json"));
  return mapLimit(listed, READ_CONCURRENCY2, (o) => readJson(store, o.key));
}
async function snapshot(store, manifests, warn) {
  const [read, envs, refs] = await Promise.all([
    readManifests(store, manifests, warn),
    readRecords(store, "envs/"),
    readRecords(store, "refs/")
  ]);
  return {
    manifests: read,
    envs: envs.flatMap((e) => asEnvRecord(e) ?? []),
    refs: refs.filter((r) => !!r && typeof r === "object")
  };
}
function pinned(s) {
  const out = /* @__PURE__ */ new Set();
  for (const e of s.envs) for (const p of [e.current, ...e.history]) out.add(p.source.sha256).add(p.deps.sha256);
  for (const r of s.refs) for (const sha of [r.source?.sha256, r.deps?.sha256]) if (typeof sha === "string") out.add(sha);
  return out;
}
async function gc(store, opts) {
  if (!Number.isInteger(opts.keepDays) || opts.keepDays < 0) throw new UsageError(`--keep-days must be a whole number of days, 0 or more`);
  if (!Number.isInteger(opts.keepBuilds) || opts.keepBuilds < 1)
    throw new UsageError(`--keep-builds must be a whole number, 1 or more (the last build of a ref is always kept)`);
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const keepCut = now.getTime() - opts.keepDays * DAY_MS;
  const graceCut = now.getTime() - opts.graceMs;
  const [archives, manifestList, depsIndex, pendingRec] = await Promise.all([
    store.scan("sha256/"),
    store.scan("manifests/"),
    store.scan("deps/"),
    store.getJsonVersioned(PENDING_KEY)
  ]);
  const first = await snapshot(store, manifestList, opts.warn);
  const pins = pinned(first);
  const byRef = /* @__PURE__ */ new Map();
  for (const { manifest } of first.manifests) {
    if (!manifest) continue;
    const list = byRef.get(manifest.ref) ?? [];
    if (!list.length) byRef.set(manifest.ref, list);
    list.push(manifest);
  }
  const newest = /* @__PURE__ */ new Set();
  for (const list of byRef.values()) {
    list.sort((a, b) => Date.parse(b.builtAt) - Date.parse(a.builtAt));
    for (const m of list.slice(0, opts.keepBuilds)) newest.add(m);
  }
  const keptArchives = new Set(pins);
  const deadManifests = [];
  let keptBuilds = 0;
  for (const { listed, manifest } of first.manifests) {
    const young = listed.modified.getTime() >= graceCut || manifest && Date.parse(manifest.builtAt) >= keepCut;
    if (!manifest) {
      keptArchives.add(shaOfKey(listed.key));
      continue;
    }
    if (young || newest.has(manifest) || pins.has(manifest.source.sha256)) {
      keptBuilds++;
      keptArchives.add(manifest.source.sha256).add(manifest.deps.sha256);
    } else {
      deadManifests.push(listed);
    }
  }
  const again = await store.scan("manifests/");
  const seen = new Map(manifestList.map((o) => [o.key, o.modified.getTime()]));
  const fresh = again.filter((o) => seen.get(o.key) !== o.modified.getTime());
  const second = await snapshot(store, fresh, opts.warn);
  for (const sha of pinned(second)) keptArchives.add(sha);
  for (const { listed, manifest } of second.manifests) {
    keptArchives.add(shaOfKey(listed.key));
    if (manifest) keptArchives.add(manifest.source.sha256).add(manifest.deps.sha256);
  }
  const freshKeys = new Set(fresh.map((o) => o.key));
  const since = asPending(pendingRec?.value ?? null);
  const nextPending = {};
  const deleted = [];
  const pending = [];
  let keptBytes = 0;
  let keptCount = 0;
  const indexBySha = /* @__PURE__ */ new Map();
  const indexRecords = await mapLimit(
    depsIndex.filter((o) => o.key.endsWith(".json")),
    READ_CONCURRENCY2,
    async (o) => ({ key: o.key, entry: await readJson(store, o.key) ?? {} })
  );
  for (const { key, entry } of indexRecords) {
    if (typeof entry.sha256 === "string") {
      const keys = indexBySha.get(entry.sha256) ?? [];
      if (!keys.length) indexBySha.set(entry.sha256, keys);
      keys.push(key);
    }
  }
  const unindex = [];
  for (const a of archives) {
    const sha = shaOfKey(a.key);
    if (keptArchives.has(sha) || a.modified.getTime() >= graceCut || a.key !== archiveKey(sha)) {
      keptBytes += a.size;
      keptCount++;
      continue;
    }
    unindex.push(...indexBySha.get(sha) ?? []);
    const markedAt = since[sha] ?? now.toISOString();
    if (Date.parse(markedAt) <= graceCut) {
      deleted.push({ key: a.key, kind: "archive", size: a.size });
    } else {
      nextPending[sha] = markedAt;
      pending.push({
        key: a.key,
        kind: "archive",
        size: a.size,
        deletableAfter: new Date(Date.parse(markedAt) + opts.graceMs).toISOString()
      });
    }
  }
  for (const m of deadManifests) if (!freshKeys.has(m.key)) deleted.push({ key: m.key, kind: "manifest", size: m.size });
  const depsSizes = new Map(depsIndex.map((o) => [o.key, o.size]));
  for (const key of new Set(unindex)) deleted.push({ key, kind: "deps-index", size: depsSizes.get(key) ?? 0 });
  if (!opts.dryRun) {
    const order = ["manifest", "deps-index", "archive"];
    for (const kind of order) await store.deleteMany(deleted.filter((d) => d.kind === kind).map((d) => d.key));
    const changed = JSON.stringify(nextPending) !== JSON.stringify(since);
    if (changed) await store.putJson(PENDING_KEY, { schema: 1, since: nextPending });
  }
  return {
    dryRun: opts.dryRun,
    kept: { builds: keptBuilds, archives: keptCount, bytes: keptBytes },
    deleted,
    pending,
    bytesFreed: deleted.reduce((n, d) => n + d.size, 0)
  };
}

// src/cli/args.ts
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
var COMMANDS = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it
  log          the builds recorded in the store, newest first
  promote      SHA256 --to ENV: record that a build is deployed to an environment
  gc           delete archives and records nothing kept refers to (try --dry-run first)`;
function optionHelpLines() {
  const rows = OPTION_KEYS.flatMap((key) => {
    const spec = OPTIONS[key];
    if (!spec.cli) return [];
    const left = `--${spec.cli.flag}${spec.cli.arg ? " " + spec.cli.arg : ""}`;
    const def = cliDefaultText(spec);
    const env = spec.env ? `; env ${spec.env}` : "";
    const help = (spec.cli.help ?? spec.help).replace(/\.$/, "");
    return [[left, `${help}${def || env ? ` (${def ? "default: " + def : ""}${def ? env : env.slice(2)})` : ""}`.replace(/`/g, "")]];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}
function cliDefaultText(spec) {
  if (spec.cli?.default) return spec.cli.default;
  if (spec.type === "boolean" || spec.type === "list" || spec.default === "") return "";
  return "`" + spec.default + "`";
}
var keysOf = (scopes) => OPTION_KEYS.filter((k) => {
  const spec = OPTIONS[k];
  return spec.cli && scopes.includes(spec.scope ?? "build");
});
var USAGE = `${COMMANDS}

options (build and fingerprint take all; lookup, fetch and run take ${keysOf(["store"]).map((k) => "--" + OPTIONS[k].cli.flag).join(", ")}):
${optionHelpLines().join("\n")}
  -o FILE                 fetch: where to write the verified archive
  --env ENV               fetch, run: the build promoted to ENV instead of a SHA256
  --ref BRANCH            log: only this branch's builds
  --limit N               log: at most N builds (default: 20)
  --to ENV                promote: the environment (letters, digits, . _ -)
  --keep-days N           gc: keep every build younger than N days (default: 30)
  --keep-builds N         gc: keep the newest N builds of every ref (default: 10)
  --grace DURATION        gc: delete nothing younger than this, nor marked unreferenced less than this ago (default: 1h)
  --dry-run               gc: print what would be deleted and the bytes freed; delete nothing

environment variables: see docs/environment.md
exit codes: 0 ok, 1 build failed, 2 bad usage or bad input`;
var HELP = { help: { type: "boolean", short: "h" } };
function flagsOf(scopes) {
  const flags = { ...HELP };
  for (const key of OPTION_KEYS) {
    const spec = OPTIONS[key];
    if (!spec.cli || !scopes.includes(spec.scope ?? "build")) continue;
    flags[spec.cli.flag] = {
      type: spec.type === "boolean" ? "boolean" : "string",
      ...spec.list === "repeat" ? { multiple: true } : {},
      ...spec.cli.short ? { short: spec.cli.short } : {}
    };
  }
  return flags;
}
function readOptions(values, scopes, env) {
  const given = {};
  const empty = [];
  const keys = keysOf(scopes);
  for (const key of keys) {
    const spec = OPTIONS[key];
    const v = values[spec.cli.flag];
    if (v !== void 0) given[key] = { value: v, from: `--${spec.cli.flag}` };
    else if (spec.env) {
      const e = readEnv(spec.env, env);
      if (e !== void 0 && e !== "") given[key] = { value: String(e), from: spec.env };
      else if (env[spec.env] === "")
        empty.push({ key, from: spec.env, message: "is empty", hint: "give a value, or unset it for the default" });
    }
    if (v === "")
      empty.push({ key, from: `--${spec.cli.flag}`, message: "is empty", hint: "give a value, or leave it out for the default" });
  }
  const { values: typed, problems } = parseOptions(given, keys);
  problems.unshift(...empty);
  if (problems.length) throw new OptionsError(problems, "cli");
  return typed;
}
function parse(command, args, options, allowPositionals) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(err.message);
    if (ambiguous) {
      const value = args[args.indexOf(ambiguous[1]) + 1];
      throw new UsageError(
        `${ambiguous[1]} '${value}' looks like an option \u2014 give a value, or write ${ambiguous[1]}=${value} if you mean it`
      );
    }
    const msg = err.message.split(". ")[0].replace(/^Unknown option/, "unknown option").replace(/^Option/, "option");
    throw new UsageError(`${msg} for 'pexpress ${command}' \u2014 see pexpress ${command} --help`);
  }
}
function storeCommand(v, env) {
  const o = readOptions(v, ["store"], env);
  const projectDir = resolve(o.projectDir);
  const common = {
    storeUrl: o.store ?? defaultStoreUrl(projectDir),
    storeOptions: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
    values: o
  };
  return { common, json: o.json };
}
function wholeNumber(text, flag, min) {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} '${text}' must be a whole number, ${min} or more`);
  return Number(text);
}
function parseCommand(argv, env = process.env) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") return { name: "help", text: USAGE };
  if (name === "--version" || name === "version") return { name: "version" };
  if (name === "build" || name === "fingerprint") {
    const { values: v } = parse(name, rest, flagsOf(["store", "build"]), false);
    if (v.help) return { name: "help", text: USAGE };
    const o = readOptions(v, ["store", "build"], env);
    const projectDir = resolve(o.projectDir);
    const options = buildOptionsFrom(o, {
      projectDir,
      storeUrl: o.store ?? defaultStoreUrl(projectDir),
      outDir: resolve(o.outDir ?? join(projectDir, ".pexpress", "out"))
    });
    return { name, options, json: o.json, values: o };
  }
  if (name === "lookup" || name === "fetch" || name === "run") {
    const dashdash = rest.indexOf("--");
    const own = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
    const passthrough = dashdash >= 0 ? rest.slice(dashdash + 1) : [];
    const flags = {
      ...flagsOf(["store"]),
      ...name === "fetch" ? { output: { type: "string", short: "o" } } : {},
      ...name === "lookup" ? {} : { env: { type: "string" } }
    };
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: "help", text: USAGE };
    const envName = v.env;
    if (envName !== void 0) {
      checkEnvName(envName);
      if (positionals.length) throw new UsageError(`pexpress ${name} takes either a SHA256 or --env ENV, not both`);
    } else if (positionals.length !== 1) {
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) \u2014 see pexpress --help`);
    }
    const { common, json } = storeCommand(v, env);
    const target = { ...common, query: positionals[0] ?? "", env: envName };
    if (name === "lookup") return { name, ...target, json };
    if (name === "fetch") {
      const output = v.output;
      if (output === "") throw new UsageError("-o is empty \u2014 give the file to write the verified archive to");
      if (!output) throw new UsageError("pexpress fetch needs -o FILE \u2014 where to write the verified archive");
      return { name, ...target, output, json };
    }
    return { name, ...target, args: passthrough };
  }
  if (name === "log") {
    const { values: v } = parse(
      name,
      rest,
      { ...flagsOf(["store"]), ref: { type: "string" }, limit: { type: "string" } },
      false
    );
    if (v.help) return { name: "help", text: USAGE };
    const { common, json } = storeCommand(v, env);
    return {
      name,
      ...common,
      ref: v.ref,
      limit: wholeNumber(v.limit ?? "20", "--limit", 1),
      json
    };
  }
  if (name === "promote") {
    const { values: v, positionals } = parse(
      name,
      rest,
      { ...flagsOf(["store"]), to: { type: "string" } },
      true
    );
    if (v.help) return { name: "help", text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress promote takes exactly one SHA256 (got ${positionals.length}) \u2014 see pexpress --help`);
    if (!v.to) throw new UsageError("pexpress promote needs --to ENV \u2014 the environment the build is deployed to (e.g. production)");
    const { common, json } = storeCommand(v, env);
    return { name, ...common, query: positionals[0], env: checkEnvName(v.to), json };
  }
  if (name === "gc") {
    const gcFlags = {
      ...flagsOf(["store"]),
      "keep-days": { type: "string" },
      "keep-builds": { type: "string" },
      grace: { type: "string" },
      "dry-run": { type: "boolean" }
    };
    const { values: v } = parse(name, rest, gcFlags, false);
    if (v.help) return { name: "help", text: USAGE };
    const { common, json } = storeCommand(v, env);
    return {
      name,
      ...common,
      keepDays: wholeNumber(v["keep-days"] ?? "30", "--keep-days", 0),
      keepBuilds: wholeNumber(v["keep-builds"] ?? "10", "--keep-builds", 1),
      graceMs: parseDuration(v.grace ?? "1h", "--grace"),
      dryRun: v["dry-run"] ?? false,
      json
    };
  }
  throw new UsageError(`unknown command '${name}' \u2014 run pexpress --help`);
}

// src/cli/main.ts
function printJson(value, log) {
  process.stdout.write(log.redact(JSON.stringify(value, null, 2)) + "\n");
}
function renderHistory(builds) {
  if (!builds.length) return "no builds recorded in this store\n";
  const size = (n) => n === null ? "missing" : formatBytes(n);
  return builds.map(
    (b) => [
      `${b.builtAt.replace("T", " ").slice(0, 19)}  ${b.buildType.padEnd(4)}  ${b.ref}${b.commit ? ` @ ${b.commit.slice(0, 12)}` : ""}`,
      `    source ${b.source.sha256.slice(0, 12)} ${size(b.source.size)}   deps ${b.deps.sha256.slice(0, 12)} ${size(b.deps.size)}   ${b.target.python} ${b.target.platform}`,
      `    ${b.reason}`
    ].join("\n")
  ).join("\n") + "\n";
}
function renderGc(r) {
  const verb = r.dryRun ? "would delete" : "deleted";
  const lines = r.deleted.map((d) => `${verb}  ${d.kind.padEnd(10)} ${formatBytes(d.size).padStart(10)}  ${d.key}`);
  for (const p of r.pending)
    lines.push(`unreferenced ${formatBytes(p.size).padStart(10)}  ${p.key}  (deletable by a gc run after ${p.deletableAfter})`);
  lines.push(
    `${r.dryRun ? "dry run: " : ""}${r.deleted.length} object(s) ${verb}, ${formatBytes(r.bytesFreed)} freed; ${r.pending.length} archive(s) marked; kept ${r.kept.builds} build(s), ${r.kept.archives} archive(s), ${formatBytes(r.kept.bytes)}`
  );
  return lines.join("\n") + "\n";
}
function runLocally(r) {
  const source = r.source.path;
  if (r.deps.path && r.deps.path === join2(dirname(source), "deps.pex")) return source;
  return `PEX_PATH=${r.deps.path ?? "deps.pex"} python3 ${source}`;
}
function summary(r, storeUrl, projectDir) {
  const store = storeUrl === defaultStoreUrl(projectDir) ? "" : ` --store ${storeUrl}`;
  const line = (label, a) => `  ${label.padEnd(11)} ${a.sha256.slice(0, 12)}  ${formatBytes(a.size).padStart(9)}  ${a.uploaded ? "uploaded" : "reused  "}  ${a.key}`;
  return [
    `${r.buildType === "fast" ? "fast" : "full"} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`,
    line("deps.pex", r.deps),
    line("source.pex", r.source),
    `  run it:     pexpress run ${r.source.sha256.slice(0, 12)}${store}` + (r.source.path ? `   or   ${runLocally(r)}` : "")
  ].join("\n");
}
async function pythonFor(version) {
  const python = readEnv("PEXPRESS_PYTHON");
  if (python) return python;
  return await which(`python${version}`) ?? "python3";
}
async function main(cmd, log) {
  switch (cmd.name) {
    case "help":
      process.stdout.write(cmd.text + "\n");
      return 0;
    case "version":
      process.stdout.write(PEXPRESS_VERSION + "\n");
      return 0;
    case "build": {
      const result = await build(cmd.options, log);
      if (cmd.json) printJson(result, log);
      else log.info(summary(result, cmd.options.storeUrl, cmd.options.projectDir));
      return 0;
    }
    case "fingerprint": {
      const ctx = await fingerprintProject(cmd.options, log);
      const out = {
        fingerprint: ctx.fp.fingerprint,
        source: ctx.fp.source,
        target: ctx.target,
        resolver: ctx.resolver,
        components: ctx.fp.components
      };
      if (cmd.json) printJson(out, log);
      else {
        process.stdout.write(
          log.redact(`${ctx.fp.fingerprint}
` + ctx.fp.components.map((c) => `  ${c.hash.slice(0, 12)}  ${c.name}`).join("\n") + "\n")
        );
      }
      return 0;
    }
    case "lookup": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const info = await lookup(store, cmd.query, cacheDir(), (m) => log.warn(m));
      if (cmd.json) printJson(info, log);
      else {
        const rows = [
          ["sha256", info.sha256],
          ["kind", info.kind],
          ["size", `${formatBytes(info.size)} (${info.size} bytes)`],
          ["key", info.key],
          ["url", info.url],
          ["fingerprint", info.fingerprint],
          ["commit", info.commit],
          ["ref", info.ref],
          ["deps", info.deps ? `${info.deps.sha256} (${info.deps.key})` : null]
        ];
        process.stdout.write(
          rows.filter(([, v]) => v).map(([k, v]) => `${k.padEnd(12)} ${v}`).join("\n") + "\n"
        );
      }
      return 0;
    }
    case "fetch": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const sha256 = cmd.env ? await promotedSource(store, cmd.env) : await resolveSha(store, cmd.query);
      await fetchArchive(store, sha256, cmd.output);
      if (cmd.json) printJson({ sha256, path: cmd.output }, log);
      else log.info(`${cmd.output}: verified sha256 ${sha256}`);
      return 0;
    }
    case "run": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const query = cmd.env ? await promotedSource(store, cmd.env) : cmd.query;
      const { source, deps, python } = await prepareRun(store, query, cacheDir());
      const env = { ...process.env };
      if (deps && !env.PEX_PATH) env.PEX_PATH = deps;
      const child = spawn(await pythonFor(python), [source, ...cmd.args], { stdio: "inherit", env });
      const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
      const forward = (sig) => child.kill(sig);
      for (const sig of signals) process.on(sig, forward);
      return await new Promise((res) => {
        child.on("error", (e) => {
          log.warn(`cannot start python: ${e.message}`);
          res(1);
        });
        child.on("close", (code, signal) => {
          for (const sig of signals) process.off(sig, forward);
          res(code ?? (signal ? 128 : 1));
        });
      });
    }
    case "log": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const builds = await buildHistory(store, { ref: cmd.ref, limit: cmd.limit, warn: (m) => log.warn(m) });
      if (cmd.json) printJson({ builds }, log);
      else process.stdout.write(renderHistory(builds));
      return 0;
    }
    case "promote": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const r = await promote(store, cmd.query, cmd.env, (m) => log.warn(m));
      if (cmd.json) printJson(r, log);
      else {
        const was = r.previous ? ` (was ${r.previous.source.sha256.slice(0, 12)})` : "";
        log.info(
          `${r.env}: ${r.current.source.sha256.slice(0, 12)} from ${r.current.ref}${r.current.commit ? ` @ ${r.current.commit.slice(0, 12)}` : ""}${was}`
        );
      }
      return 0;
    }
    case "gc": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const r = await gc(store, {
        keepDays: cmd.keepDays,
        keepBuilds: cmd.keepBuilds,
        graceMs: cmd.graceMs,
        dryRun: cmd.dryRun,
        warn: (m) => log.warn(m)
      });
      if (cmd.json) printJson(r, log);
      else process.stdout.write(renderGc(r));
      return 0;
    }
  }
}
function wantsJson(argv) {
  const dashdash = argv.indexOf("--");
  return (dashdash >= 0 ? argv.slice(0, dashdash) : argv).includes("--json");
}
function reportFailure(err, log, json) {
  const r = describeError(err, cliName);
  const report = { message: log.redact(r.message), hint: r.hint === null ? null : log.redact(r.hint), exitCode: r.exitCode };
  process.stderr.write(`pexpress: ${renderError(report)}
`);
  if (readEnvOr("PEXPRESS_DEBUG", false) && err instanceof Error) process.stderr.write(log.redact(err.stack ?? "") + "\n");
  if (json) process.stdout.write(JSON.stringify({ error: report }, null, 2) + "\n");
  return report.exitCode;
}
async function run(argv = process.argv.slice(2)) {
  const log = createLogger({
    info: (line) => stderrSink.info(renderOptionRefs(line, cliName)),
    warn: (line) => stderrSink.warn(renderOptionRefs(line, cliName))
  });
  try {
    readEnv("PEXPRESS_DEBUG");
    const cmd = parseCommand(argv);
    if (cmd.json || cmd.quiet) setProgressEnabled(false);
    return await main(cmd, log);
  } catch (err) {
    return reportFailure(err, log, wantsJson(argv));
  }
}

// src/cli/index.ts
process.exitCode = await run();

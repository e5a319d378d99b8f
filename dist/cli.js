#!/usr/bin/env node
import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  OPTIONS,
  OPTION_KEYS,
  OptionsError,
  PEXPRESS_VERSION,
  build,
  buildOptionsFrom,
  cacheDir,
  cliName,
  defaultStoreUrl,
  fingerprintProject,
  isVerified,
  openStore,
  openZip,
  parseOptions,
  readManifest,
  rememberVerified,
  sweepTemps,
  tmpPath,
  which
} from "./chunks/chunk-CX3GARWR.js";
import {
  BuildError,
  UsageError,
  archiveKey,
  createLogger,
  describeError,
  formatBytes,
  formatMs,
  fullKey,
  readEnv,
  readEnvOr,
  renderError,
  renderOptionRefs,
  setProgressEnabled,
  startTransfer,
  stderrSink,
  writeError
} from "./chunks/chunk-V6PAWBVT.js";
import "./chunks/chunk-NWACEIQ6.js";

// src/cli/main.ts
import { spawn } from "node:child_process";

// src/deploy/artifacts.ts
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
async function resolveSha(store, query) {
  const q = query.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(q)) throw new UsageError(`'${query}' is not a sha256 or a prefix of one (4 to 64 hex digits)`);
  if (q.length === 64) return q;
  const matches = (await store.list(`sha256/${q}`)).filter((k) => k.endsWith(".pex")).map((k) => basename(k, ".pex"));
  if (matches.length === 0) throw new BuildError(`no archive in ${store.url} has a sha256 starting with ${q}`);
  if (matches.length > 1) throw new UsageError(`${q} is ambiguous in ${store.url}: ${matches.join(", ")} \u2014 give more digits`);
  return matches[0];
}
async function readPexInfo(file) {
  const zip = await openZip(file);
  try {
    const text = (await zip.read("PEX-INFO")).toString("utf8");
    try {
      return JSON.parse(text);
    } catch {
      throw new BuildError(`${file} has a PEX-INFO that is not JSON`, {
        hint: "the archive is damaged or not a pexpress archive: fetch it again"
      });
    }
  } finally {
    zip.close();
  }
}
async function lookup(store, query, cache, warn) {
  const sha256 = await resolveSha(store, query);
  const key = archiveKey(sha256);
  const head = await store.head(key);
  if (!head) throw new BuildError(`no archive ${sha256} in ${store.url}`);
  const manifest = await readManifest(store, sha256, warn);
  const info = {
    sha256,
    kind: "unknown",
    size: head.size,
    key: fullKey(store, key),
    url: store.urlFor(key),
    fingerprint: head.metadata["pexpress-fingerprint"] || null,
    commit: head.metadata["pexpress-commit"] || null,
    ref: null,
    deps: null
  };
  if (manifest) {
    info.kind = "source";
    info.fingerprint = manifest.fingerprint;
    info.commit = manifest.commit;
    info.ref = manifest.ref;
    info.deps = { sha256: manifest.deps.sha256, key: fullKey(store, archiveKey(manifest.deps.sha256)) };
    return info;
  }
  const kind = head.metadata["pexpress-kind"];
  if (kind === "deps" || kind === "source") {
    info.kind = kind;
    return info;
  }
  const local = store.localPath?.(key) ?? await fetchToCache(store, sha256, cache);
  const pexInfo = await readPexInfo(local);
  info.kind = pexInfo.pexpress.kind;
  info.fingerprint = pexInfo.pexpress.fingerprint;
  if (pexInfo.pexpress.deps)
    info.deps = { sha256: pexInfo.pexpress.deps.sha256, key: fullKey(store, archiveKey(pexInfo.pexpress.deps.sha256)) };
  return info;
}
async function fetchArchive(store, sha256, file) {
  const dest = resolve(file);
  await mkdir(dirname(dest), { recursive: true });
  sweepTemps(dirname(dest), basename(dest));
  const tmp = tmpPath(dirname(dest), basename(dest));
  const hash = createHash("sha256");
  try {
    let body;
    let info;
    try {
      [body, info] = await Promise.all([store.openRead(archiveKey(sha256)), store.head(archiveKey(sha256)).catch(() => null)]);
    } catch {
      throw new BuildError(`no archive ${sha256} in ${store.url} \u2014 check the sha256 with pexpress lookup`);
    }
    const transfer = startTransfer(`fetching ${sha256.slice(0, 12)}`, info?.size ?? null);
    try {
      await pipeline(
        body,
        new Transform({
          transform(c, _e, cb) {
            hash.update(c);
            transfer.add(c.length);
            cb(null, c);
          }
        }),
        createWriteStream(tmp, { mode: 493 })
      ).catch((err) => {
        if (err.code && err.syscall) throw writeError(dest, err);
        throw new BuildError(
          `reading ${store.urlFor(archiveKey(sha256))} failed: ${String(err.message).split("\n")[0]} \u2014 nothing written; retry`
        );
      });
    } finally {
      transfer.done();
    }
    const got = hash.digest("hex");
    if (got !== sha256) {
      throw new BuildError(
        `archive ${sha256} in ${store.url} is corrupt (its bytes hash to ${got}); nothing written \u2014 rebuild it (pexpress build --force-full) or fetch from another store`
      );
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}
async function fetchToCache(store, sha256, cache) {
  const path = join(cache, "archives", `${sha256}.pex`);
  if (await isVerified(path, sha256)) return path;
  await rm(path, { force: true });
  await fetchArchive(store, sha256, path);
  await rememberVerified(path, sha256);
  return path;
}
async function prepareRun(store, query, cache) {
  const sha256 = await resolveSha(store, query);
  const source = await fetchToCache(store, sha256, cache);
  const info = await readPexInfo(source);
  if (info.pexpress.kind !== "source")
    throw new UsageError(`${sha256.slice(0, 12)} is a ${info.pexpress.kind} archive \u2014 pexpress run takes a source archive's sha256`);
  const deps = info.pexpress.deps ? await fetchToCache(store, info.pexpress.deps.sha256, cache) : null;
  return { source, deps, python: info.pexpress.python };
}

// src/cli/args.ts
import { join as join2, resolve as resolve2 } from "node:path";
import { parseArgs } from "node:util";
var COMMANDS = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it`;
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
    const msg = err.message.split(". ")[0].replace(/^Unknown option/, "unknown option").replace(/^Option/, "option");
    throw new UsageError(`${msg} for 'pexpress ${command}' \u2014 see pexpress ${command} --help`);
  }
}
function parseCommand(argv, env = process.env) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") return { name: "help", text: USAGE };
  if (name === "--version" || name === "version") return { name: "version" };
  if (name === "build" || name === "fingerprint") {
    const { values: v } = parse(name, rest, flagsOf(["store", "build"]), false);
    if (v.help) return { name: "help", text: USAGE };
    const o = readOptions(v, ["store", "build"], env);
    const projectDir = resolve2(o.projectDir);
    const options = buildOptionsFrom(o, {
      projectDir,
      storeUrl: o.store ?? defaultStoreUrl(projectDir),
      outDir: resolve2(o.outDir ?? join2(projectDir, ".pexpress", "out"))
    });
    return { name, options, json: o.json, values: o };
  }
  if (name === "lookup" || name === "fetch" || name === "run") {
    const dashdash = rest.indexOf("--");
    const own = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
    const passthrough = dashdash >= 0 ? rest.slice(dashdash + 1) : [];
    const flags = {
      ...flagsOf(["store"]),
      ...name === "fetch" ? { output: { type: "string", short: "o" } } : {}
    };
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: "help", text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) \u2014 see pexpress --help`);
    const o = readOptions(v, ["store"], env);
    const projectDir = resolve2(o.projectDir);
    const common = {
      query: positionals[0],
      storeUrl: o.store ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
      values: o
    };
    const json = o.json;
    if (name === "lookup") return { name, ...common, json };
    if (name === "fetch") {
      const output = v.output;
      if (output === "") throw new UsageError("-o is empty \u2014 give the file to write the verified archive to");
      if (!output) throw new UsageError("pexpress fetch needs -o FILE \u2014 where to write the verified archive");
      return { name, ...common, output, json };
    }
    return { name, ...common, args: passthrough };
  }
  throw new UsageError(`unknown command '${name}' \u2014 run pexpress --help`);
}

// src/cli/main.ts
function printJson(value, log) {
  process.stdout.write(log.redact(JSON.stringify(value, null, 2)) + "\n");
}
function summary(r, storeUrl, projectDir) {
  const store = storeUrl === defaultStoreUrl(projectDir) ? "" : ` --store ${storeUrl}`;
  const line = (label, a) => `  ${label.padEnd(11)} ${a.sha256.slice(0, 12)}  ${formatBytes(a.size).padStart(9)}  ${a.uploaded ? "uploaded" : "reused  "}  ${a.key}`;
  return [
    `${r.buildType === "fast" ? "fast" : "full"} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`,
    line("deps.pex", r.deps),
    line("source.pex", r.source),
    `  run it:     pexpress run ${r.source.sha256.slice(0, 12)}${store}` + (r.source.path ? `   or   PEX_PATH=${r.deps.path ?? "deps.pex"} python3 ${r.source.path}` : "")
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
      const sha256 = await resolveSha(store, cmd.query);
      await fetchArchive(store, sha256, cmd.output);
      if (cmd.json) printJson({ sha256, path: cmd.output }, log);
      else log.info(`${cmd.output}: verified sha256 ${sha256}`);
      return 0;
    }
    case "run": {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const { source, deps, python } = await prepareRun(store, cmd.query, cacheDir());
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

#!/usr/bin/env node
import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  PEXPRESS_VERSION,
  archiveKey,
  build,
  cacheDir,
  createLogger,
  defaultStoreUrl,
  fingerprintProject,
  formatBytes,
  formatMs,
  fullKey,
  manifestKey,
  openStore,
  openZip,
  which
} from "./chunks/chunk-3KS363RN.js";
import {
  BuildError,
  UsageError,
  exitCodeOf,
  messageOf
} from "./chunks/chunk-LLOP3HRW.js";
import "./chunks/chunk-NWACEIQ6.js";

// src/cli/main.ts
import { spawn } from "node:child_process";

// src/deploy/artifacts.ts
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
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
    return JSON.parse((await zip.read("PEX-INFO")).toString("utf8"));
  } finally {
    zip.close();
  }
}
async function lookup(store, query, cache) {
  const sha256 = await resolveSha(store, query);
  const key = archiveKey(sha256);
  const head = await store.head(key);
  if (!head) throw new BuildError(`no archive ${sha256} in ${store.url}`);
  const manifest = await store.getJson(manifestKey(sha256));
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
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const hash = createHash("sha256");
  try {
    let body;
    try {
      body = await store.openRead(archiveKey(sha256));
    } catch {
      throw new BuildError(`no archive ${sha256} in ${store.url} \u2014 check the sha256 with pexpress lookup`);
    }
    await pipeline(
      body,
      new Transform({
        transform(c, _e, cb) {
          hash.update(c);
          cb(null, c);
        }
      }),
      createWriteStream(tmp, { mode: 493 })
    );
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
  try {
    await stat(path);
    return path;
  } catch {
    await fetchArchive(store, sha256, path);
    return path;
  }
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
var USAGE = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it

build / fingerprint options:
  --project-dir DIR       the Python project (default: .)
  --store URL             file:///dir or s3://bucket/prefix (default: file://<project>/.pexpress/store)
  --python X.Y            target Python (default: the host's python3)
  --platform P            linux_x86_64 | linux_aarch64 (default: the host's)
  --manylinux TAG         glibc floor for wheels, e.g. manylinux_2_28 (default) or manylinux2014
  --entry-point MOD[:FN]  what source.pex runs by default
  --resolver R            auto | uv | pip (default: auto, uv when available)
  --requirements FILE     requirements file (default: requirements.txt)
  --exclude GLOB          leave matching files out of source.pex (repeatable, .gitignore syntax)
  --extras A,B            optional dependency groups of the project to include
  --deps-cache-epoch S    any string; changing it forces a new deps.pex
  --force-full            rebuild deps.pex even when the fingerprint is unchanged
  --out-dir DIR           where the archives are written (default: <project>/.pexpress/out)
  --s3-endpoint URL       S3-compatible endpoint (path-style addressing)
  --s3-region REGION      S3 region (default: from the AWS environment)
  --json                  print one JSON object on stdout

exit codes: 0 ok, 1 build failed, 2 bad usage or bad input`;
var storeFlags = {
  store: { type: "string" },
  "project-dir": { type: "string" },
  "s3-endpoint": { type: "string" },
  "s3-region": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" }
};
var buildFlags = {
  ...storeFlags,
  python: { type: "string" },
  platform: { type: "string" },
  manylinux: { type: "string" },
  "entry-point": { type: "string" },
  resolver: { type: "string" },
  requirements: { type: "string" },
  exclude: { type: "string", multiple: true },
  "deps-cache-epoch": { type: "string" },
  extras: { type: "string" },
  "force-full": { type: "boolean" },
  "out-dir": { type: "string" }
};
function parse(command, args, options, allowPositionals) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    const msg = err.message.split(". ")[0].replace(/^Unknown option/, "unknown option").replace(/^Option/, "option");
    throw new UsageError(`${msg} for 'pexpress ${command}' \u2014 see pexpress ${command} --help`);
  }
}
var ENTRY_POINT = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*)?$/;
function parseExtras(v) {
  const extras = (v ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  for (const e of extras) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))
      throw new UsageError(`--extras '${e}' is not an extra name \u2014 pass a comma-separated list like web,cli`);
  }
  return [...new Set(extras)].sort();
}
function resolverOf(v) {
  const r = v ?? "auto";
  if (r !== "auto" && r !== "uv" && r !== "pip") throw new UsageError(`unknown resolver '${r}' \u2014 use auto, uv or pip`);
  return r;
}
function parseCommand(argv, env = process.env) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") return { name: "help", text: USAGE };
  if (name === "--version" || name === "version") return { name: "version" };
  if (name === "build" || name === "fingerprint") {
    const { values: v, positionals } = parse(name, rest, buildFlags, false);
    void positionals;
    if (v.help) return { name: "help", text: USAGE };
    const projectDir = resolve2(v["project-dir"] ?? ".");
    const entryPoint = v["entry-point"] ?? null;
    if (entryPoint !== null && !ENTRY_POINT.test(entryPoint)) {
      throw new UsageError(`--entry-point '${entryPoint}' is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)`);
    }
    const options = {
      projectDir,
      storeUrl: v.store ?? env.PEXPRESS_STORE ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: v["s3-endpoint"], s3Region: v["s3-region"] },
      python: v.python,
      platform: v.platform,
      manylinux: v.manylinux,
      entryPoint,
      forceFull: v["force-full"] ?? false,
      outDir: resolve2(v["out-dir"] ?? join2(projectDir, ".pexpress", "out")),
      resolver: resolverOf(v.resolver ?? env.PEXPRESS_RESOLVER),
      epoch: v["deps-cache-epoch"] ?? "",
      extras: parseExtras(v.extras),
      excludes: v.exclude ?? [],
      requirementsFile: v.requirements ?? "requirements.txt"
    };
    return { name, options, json: v.json ?? false };
  }
  if (name === "lookup" || name === "fetch" || name === "run") {
    const dashdash = rest.indexOf("--");
    const own = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
    const passthrough = dashdash >= 0 ? rest.slice(dashdash + 1) : [];
    const flags = name === "fetch" ? { ...storeFlags, output: { type: "string", short: "o" } } : storeFlags;
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: "help", text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) \u2014 see pexpress --help`);
    const projectDir = resolve2(v["project-dir"] ?? ".");
    const common = {
      query: positionals[0],
      storeUrl: v.store ?? env.PEXPRESS_STORE ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: v["s3-endpoint"], s3Region: v["s3-region"] }
    };
    if (name === "lookup") return { name, ...common, json: v.json ?? false };
    if (name === "fetch") {
      const output = v.output;
      if (!output) throw new UsageError("pexpress fetch needs -o FILE \u2014 where to write the verified archive");
      return { name, ...common, output, json: v.json ?? false };
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
  if (process.env.PEXPRESS_PYTHON) return process.env.PEXPRESS_PYTHON;
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
        resolver: ctx.tools.resolver,
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
      const info = await lookup(store, cmd.query, cacheDir());
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
      return await new Promise((res) => {
        child.on("error", (e) => {
          log.warn(`cannot start python: ${e.message}`);
          res(1);
        });
        child.on("close", (code, signal) => res(code ?? (signal ? 128 : 1)));
      });
    }
  }
}
async function run(argv = process.argv.slice(2)) {
  const log = createLogger();
  try {
    return await main(parseCommand(argv), log);
  } catch (err) {
    process.stderr.write(`pexpress: ${log.redact(messageOf(err))}
`);
    if (process.env.PEXPRESS_DEBUG && err instanceof Error) process.stderr.write(log.redact(err.stack ?? "") + "\n");
    return exitCodeOf(err);
  }
}

// src/cli/index.ts
process.exitCode = await run();

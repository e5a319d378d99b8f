// Release helper (docs/releasing.md):
//   node scripts/release.mjs prepare X.Y.Z   bump package.json (+ lock) and turn CHANGELOG.md's
//                                            "## Unreleased" into "## X.Y.Z (date)"
//   node scripts/release.mjs notes [X.Y.Z]   print that version's CHANGELOG section (release notes)
//   node scripts/release.mjs tags [X.Y.Z]    print the tags a release makes: vX.Y.Z and vX
// Defaults to package.json's version; `--dir DIR` works on another checkout (the tests use it).
// Exit 2 with one line on bad input.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

class Usage extends Error {}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function parse(version) {
  const m = SEMVER.exec(version ?? '');
  if (!m) throw new Usage(`'${version}' is not a release version — use X.Y.Z (e.g. 1.4.0)`);
  return m.slice(1).map(Number);
}

function newer(a, b) {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

/** The heading line of a version's section: `## 1.2.0`, `## [1.2.0] - 2026-01-02`, `## v1.2.0 (…)`. */
function headingRe(version) {
  return new RegExp(`^## \\[?v?${version.replaceAll('.', '\\.')}\\]?(?=[\\s(—-]|$).*$`, 'm');
}

export function sectionOf(changelog, version) {
  const m = headingRe(version).exec(changelog);
  if (!m) return null;
  const rest = changelog.slice(m.index + m[0].length);
  const next = /^## /m.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim();
}

export function prepare(dir, version, today = new Date().toISOString().slice(0, 10)) {
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  parse(version);
  if (!newer(version, pkg.version))
    throw new Usage(`${version} is not newer than the current version ${pkg.version} — pick a higher X.Y.Z`);
  const clPath = join(dir, 'CHANGELOG.md');
  let changelog;
  try {
    changelog = readFileSync(clPath, 'utf8');
  } catch {
    throw new Usage(`${clPath} is missing — create it with a "## Unreleased" section listing the changes`);
  }
  const m = /^## Unreleased[ \t]*$/im.exec(changelog);
  const body = m
    ? changelog
        .slice(m.index + m[0].length)
        .split(/^## /m)[0]
        .trim()
    : '';
  if (!m || !body)
    throw new Usage(`CHANGELOG.md has no "## Unreleased" section with entries — write what changed in ${version} there first`);
  if (sectionOf(changelog, version) !== null) throw new Usage(`CHANGELOG.md already has a section for ${version}`);
  changelog = changelog.slice(0, m.index) + `## Unreleased\n\n## ${version} (${today})` + changelog.slice(m.index + m[0].length);
  writeFileSync(clPath, changelog);
  // Keep the key order and indentation npm uses, so the diff is the version lines only.
  const bump = (path) => {
    const text = readFileSync(path, 'utf8');
    const json = JSON.parse(text);
    json.version = version;
    if (json.packages?.['']) json.packages[''].version = version;
    writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
  };
  const previousMajor = parse(pkg.version)[0];
  bump(pkgPath);
  try {
    bump(join(dir, 'package-lock.json'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  // A new major version gets a new moving tag: the docs' `uses: OWNER/pexpress@vN` follow it.
  const major = parse(version)[0];
  if (major !== previousMajor) {
    for (const doc of docFiles(dir)) {
      const text = readFileSync(doc, 'utf8');
      const moved = text
        .replace(new RegExp(`(pexpress@)v${previousMajor}\\b`, 'g'), `$1v${major}`)
        .replaceAll(`latest ${previousMajor}.x`, `latest ${major}.x`);
      if (moved !== text) writeFileSync(doc, moved);
    }
  }
}

/** README.md and docs/*.md: where `uses:` lines are. */
export function docFiles(dir) {
  let docs = [];
  try {
    docs = readdirSync(join(dir, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(dir, 'docs', f));
  } catch {}
  return [join(dir, 'README.md'), ...docs].filter((f) => existsSync(f));
}

export function tags(version) {
  return [`v${version}`, `v${parse(version)[0]}`];
}

function main(argv) {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 ? argv.splice(at, 2)[1] : '.';
  const [cmd, arg] = argv;
  const current = () => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  if (cmd === 'prepare') {
    if (!arg) throw new Usage('release prepare needs the new version — node scripts/release.mjs prepare X.Y.Z');
    prepare(dir, arg);
    console.log(`package.json and CHANGELOG.md now say ${arg}: commit, open a PR, and run the release workflow after merging`);
  } else if (cmd === 'notes') {
    const version = arg ?? current();
    parse(version);
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    const notes = sectionOf(changelog, version);
    if (!notes)
      throw new Usage(`CHANGELOG.md has no entries under a "## ${version}" heading — run: node scripts/release.mjs prepare ${version}`);
    console.log(notes);
  } else if (cmd === 'tags') {
    console.log(tags(arg ?? current()).join('\n'));
  } else {
    throw new Usage('usage: node scripts/release.mjs prepare X.Y.Z | notes [X.Y.Z] | tags [X.Y.Z] [--dir DIR]');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    console.error(`release: ${err.message}`);
    process.exit(2);
  }
}

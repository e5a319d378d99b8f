// requirements.txt as pip reads it (includes, options, markers, credentials), normalized so that
// formatting does not change the fingerprint.
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { redactSecrets } from '../platform/log.ts';
import { parseWheelFilename } from './target.ts';

/** One line: "<file>:<line>: <what is wrong> — <what to do>". */
export class RequirementsError extends Error {}

export interface ParsedRequirement {
  name: string;
  extras: string[];
  specifier: string;
  marker: string;
  url: string | null;
  /** name[extras]specifier[@url][;marker] with every part normalized: what the fingerprint hashes. */
  canonical: string;
  source: { file: string; line: number };
  raw: string;
  hashes: string[];
}

export interface RequirementsSet {
  requirements: ParsedRequirement[];
  constraints: ParsedRequirement[];
  indexUrl: string | null;
  extraIndexUrls: string[];
  findLinks: string[];
  options: string[];
  files: string[];
  editableOrLocal: string[];
  secrets: string[];
  /** origin (scheme://host:port) → "user:password" of the index URLs that carried credentials; for downloads only. */
  indexAuth: Record<string, string>;
  /** Where a credential is written literally (not as `${NAME}`): these lines must not ship as they are. */
  literalCredentials: Array<{ file: string; line: number }>;
  /** `${NAME}` references whose variable is unset or empty (pip then uses the text as written). */
  missingEnv: Array<{ file: string; line: number; name: string }>;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** pip's environment variable syntax in requirement files: `${NAME}`, uppercase, digits and `_` only. */
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;
const PLACEHOLDERS = /^(\$\{[A-Z0-9_]+\})+$/;

/** Expands `${NAME}` exactly as pip does: set and non-empty variables only, the rest stay as written. */
export function expandEnvVars(text: string, env: NodeJS.ProcessEnv): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(ENV_VAR, (whole, name: string) => {
    const v = env[name];
    if (!v) {
      missing.push(name);
      return whole;
    }
    return v;
  });
  return { text: out, missing: [...new Set(missing)] };
}

/**
 * The URL without its userinfo, and the secrets it held. Userinfo ends at the authority's last '@'
 * (as pip's urllib and WHATWG URL parsers read it), so a raw '@' in a password is stripped whole. A
 * password (or a whole userinfo) made only of `${NAME}` placeholders is kept: it names a secret, it
 * is not one, and the fingerprint should still tell the index apart.
 */
export function stripCredentials(url: string): { url: string; secrets: string[] } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)(.*)$/is.exec(url);
  if (!m) return { url, secrets: [] };
  const authority = m[2];
  const at = authority.lastIndexOf('@');
  if (at < 0) return { url, secrets: [] };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const password = colon >= 0 ? userinfo.slice(colon + 1) : null;
  if (PLACEHOLDERS.test(password ?? user)) return { url, secrets: [] };
  const candidates = [userinfo, password ?? user];
  const secrets = new Set<string>();
  for (const c of candidates) {
    if (!c || PLACEHOLDERS.test(c)) continue;
    secrets.add(c);
    try {
      const decoded = decodeURIComponent(c);
      if (decoded !== c) secrets.add(decoded);
    } catch {
      /* not percent-encoded */
    }
  }
  return { url: m[1] + authority.slice(at + 1) + m[3], secrets: [...secrets] };
}

/** "user:password" of a URL's userinfo, decoded; null without one. Splits at the last '@'. */
export function userinfoOf(url: string): { origin: string; userinfo: string } | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)/is.exec(url);
  if (!m) return null;
  const at = m[2].lastIndexOf('@');
  if (at < 0) return null;
  const raw = m[2].slice(0, at);
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const colon = raw.indexOf(':');
  const userinfo = colon >= 0 ? `${dec(raw.slice(0, colon))}:${dec(raw.slice(colon + 1))}` : `${dec(raw)}:`;
  try {
    return { origin: new URL(m[1] + m[2].slice(at + 1)).origin, userinfo };
  } catch {
    return null;
  }
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION_CLAUSE = /^(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
const GLOBAL_OPTIONS = new Map<string, 'value' | 'flag'>([
  ['-i', 'value'],
  ['--index-url', 'value'],
  ['--extra-index-url', 'value'],
  ['-f', 'value'],
  ['--find-links', 'value'],
  ['--no-index', 'flag'],
  ['--pre', 'flag'],
  ['--prefer-binary', 'flag'],
  ['--only-binary', 'value'],
  ['--no-binary', 'value'],
  ['--trusted-host', 'value'],
  ['--use-feature', 'value'],
  ['--require-hashes', 'flag'],
]);

function normalizeMarker(marker: string): string {
  return marker
    .replace(/'/g, '"')
    .replace(/\s*(===|==|!=|~=|<=|>=|<|>)\s*/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}

function normalizeSpecifier(spec: string, fail: (why: string) => never): string {
  let s = spec.trim();
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1);
  if (!s.trim()) return '';
  const clauses = s.split(',').map((c) => c.trim());
  return clauses
    .map((c) => {
      const m = VERSION_CLAUSE.exec(c);
      if (!m) fail(`'${c || ','}' is not a version clause`);
      return `${m[1]}${m[2]}`;
    })
    .sort()
    .join(',');
}

function isLocalPath(s: string): boolean {
  return s === '.' || s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('file:');
}

function nameFromUrl(url: string): string | null {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url);
  if (egg) return egg[1];
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  if (file.endsWith('.whl')) {
    try {
      const { distribution } = parseWheelFilename(file);
      if (/^[A-Za-z0-9._]+$/.test(distribution)) return distribution;
    } catch {
      /* not a wheel name: maybe an sdist's */
    }
  }
  const sdist = /^(.+)-[0-9][^-]*\.(tar\.gz|zip|tar\.bz2)$/.exec(file);
  return sdist ? sdist[1] : null;
}

/** Splits a logical line into the requirement and its per-line options (--hash, --config-settings…). */
function splitLineOptions(line: string): { req: string; hashes: string[]; extra: string[] } {
  const hashes: string[] = [];
  const extra: string[] = [];
  const req = line.replace(/\s--(hash|config-settings|global-option)(?:=|\s+)(\S+)/g, (_m, opt: string, val: string) => {
    if (opt === 'hash') hashes.push(val);
    else extra.push(`--${opt}=${val}`);
    return '';
  });
  return { req: req.trim(), hashes: hashes.sort(), extra: extra.sort() };
}

function parseRequirement(
  text: string,
  file: string,
  line: number,
  secrets: string[],
  hashes: string[],
  extra: string[],
): ParsedRequirement {
  // Credentials first: a line refused before its URL is reached must not print them either.
  for (const u of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/\S+/gi)) secrets.push(...stripCredentials(u[0]).secrets);
  const fail = (why: string): never => {
    throw new RequirementsError(
      `${file}:${line}: '${redactSecrets(text, secrets)}' is not a valid requirement (${why}; expected NAME[extras] [version spec] [; marker]) — fix or remove the line`,
    );
  };
  let body = text;
  let marker = '';
  // A marker starts at ';' (for URLs only after whitespace, since URLs may hold ';').
  const semi = /\s@\s|:\/\//.test(body) ? body.search(/\s;/) : body.indexOf(';');
  if (semi >= 0) {
    marker = normalizeMarker(body.slice(semi).replace(/^\s*;/, ''));
    body = body.slice(0, semi).trim();
    if (!marker) fail('empty marker');
  }
  let url: string | null = null;
  let namePart = body;
  const at = /^([^@\s]+?)\s*@\s*(\S+)$/.exec(body);
  if (at && !/^[a-z+]+:\/\//i.test(body)) {
    namePart = at[1];
    const s = stripCredentials(at[2]);
    secrets.push(...s.secrets);
    url = s.url;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(body)) {
    const s = stripCredentials(body);
    secrets.push(...s.secrets);
    url = s.url;
    namePart = nameFromUrl(body) ?? fail('cannot tell the project name of this URL; use NAME @ URL');
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(namePart);
  if (!m || !NAME.test(m[1])) fail('no project name');
  const [, rawName, rawExtras, rest] = m!;
  if (namePart.includes('[') && !rawExtras) fail('unclosed extras bracket');
  const extras = rawExtras
    ? rawExtras
        .slice(1, -1)
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)
        .map((e) => (NAME.test(e) ? normalizeName(e) : fail(`bad extra '${e}'`)))
        .sort()
    : [];
  if (url && rest.trim()) fail('a direct reference cannot also have a version');
  const specifier = url ? '' : normalizeSpecifier(rest, fail);
  const name = normalizeName(rawName);
  const canonical = `${name}${extras.length ? `[${extras.join(',')}]` : ''}${specifier}${url ? ` @ ${url}` : ''}${marker ? `; ${marker}` : ''}${extra.length ? ' ' + extra.join(' ') : ''}`;
  return {
    name,
    extras,
    specifier,
    marker,
    url,
    canonical,
    source: { file, line },
    raw: redactSecrets(text, secrets),
    hashes: hashes.map((h) => h),
  };
}

/** A PEP 508 string in the fingerprint's canonical form (credentials stripped); as written when unreadable. */
export function canonicalRequirement(text: string): string {
  try {
    return parseRequirement(text.trim(), '', 0, [], [], []).canonical;
  } catch {
    return text.trim();
  }
}

/** Logical lines: continuations joined, comments and blank lines dropped, with their first line number. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const physical = text.split(/\r?\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    let l = physical[i];
    if (!buf) start = i + 1;
    if (/(^|\s)#/.test(l)) l = l.slice(0, l.search(/(^|\s)#/));
    if (l.endsWith('\\')) {
      buf += l.slice(0, -1) + ' ';
      continue;
    }
    buf += l;
    if (buf.trim()) out.push({ line: start, text: buf.trim() });
    buf = '';
  }
  if (buf.trim()) out.push({ line: start, text: buf.trim() });
  return out;
}

export async function parseRequirementsFile(
  projectDir: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RequirementsSet> {
  const root = resolve(projectDir);
  const set: RequirementsSet = {
    requirements: [],
    constraints: [],
    indexUrl: null,
    extraIndexUrls: [],
    findLinks: [],
    options: [],
    files: [],
    editableOrLocal: [],
    secrets: [],
    indexAuth: {},
    literalCredentials: [],
    missingEnv: [],
  };
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');

  async function read(abs: string, chain: string[], asConstraints: boolean, from: string | null): Promise<void> {
    const name = rel(abs);
    if (name.startsWith('..') || isAbsolute(name))
      throw new RequirementsError(`${from ?? name}: ${name} escapes the project directory — keep requirement files inside the project`);
    if (chain.includes(name))
      throw new RequirementsError(`${from}: include cycle ${[...chain, name].join(' → ')} — remove one of the -r/-c lines`);
    let text: string;
    // A FIFO or a device would block the read forever; only regular files declare anything.
    const st = await stat(abs).catch(() => null);
    if (st && !st.isFile())
      throw new RequirementsError(`${from ?? name}: ${name} is not a regular file — make it one (a FIFO or device cannot be read safely)`);
    try {
      text = await readFile(abs, 'utf8');
    } catch {
      throw new RequirementsError(`${from ?? name}: cannot read ${name} — create it or fix the -r/-c line`);
    }
    set.files.push(name);
    // Secrets that came from the environment: redacted everywhere, but not a literal in the file.
    const extraSecrets: string[] = [];
    for (const { line, text: l } of logicalLines(text)) {
      const where = `${name}:${line}`;
      const before = set.secrets.length;
      await readLine(l, line, where);
      if (set.secrets.length > before) set.literalCredentials.push({ file: name, line });
    }
    set.secrets.push(...extraSecrets);

    async function readLine(l: string, line: number, where: string): Promise<void> {
      const opt = /^(-[a-zA-Z]|--[a-z][a-z-]*)(?:=|\s+|$)(.*)$/.exec(l);
      if (opt) {
        const [, flag, value] = opt;
        const v = value.trim();
        if (flag === '-r' || flag === '--requirement' || flag === '-c' || flag === '--constraint') {
          if (!v) throw new RequirementsError(`${where}: ${flag} needs a file name — fix the line`);
          if (/^[a-z]+:\/\//i.test(v))
            throw new RequirementsError(`${where}: ${flag} with a URL is not supported — vendor the file into the project`);
          await read(resolve(dirname(abs), v), [...chain, name], asConstraints || flag === '-c' || flag === '--constraint', where);
          return;
        }
        if (flag === '-e' || flag === '--editable') {
          if (isLocalPath(v)) set.editableOrLocal.push(v);
          else (asConstraints ? set.constraints : set.requirements).push(parseRequirement(v, name, line, set.secrets, [], []));
          return;
        }
        const kind = GLOBAL_OPTIONS.get(flag);
        if (!kind) throw new RequirementsError(`${where}: unknown option ${flag} — remove it or use one pip supports in requirement files`);
        if (kind === 'value' && !v) throw new RequirementsError(`${where}: ${flag} needs a value — fix the line`);
        // The fingerprint keeps `${NAME}` as written; the resolver (uv and pip expand it themselves)
        // and the downloads use the value, which is a secret from here on.
        const s = kind === 'value' ? stripCredentials(v) : { url: '', secrets: [] };
        set.secrets.push(...s.secrets);
        if (kind === 'value') {
          const expanded = expandEnvVars(v, env);
          for (const missing of expanded.missing) set.missingEnv.push({ file: name, line, name: missing });
          const auth = userinfoOf(expanded.text);
          if (auth) {
            set.indexAuth[auth.origin] = auth.userinfo;
            const e = stripCredentials(expanded.text);
            if (expanded.text !== v) for (const x of e.secrets) if (!s.secrets.includes(x)) extraSecrets.push(x);
          }
        }
        if (flag === '-i' || flag === '--index-url') set.indexUrl = s.url;
        else if (flag === '--extra-index-url') set.extraIndexUrls.push(s.url);
        else if (flag === '-f' || flag === '--find-links') set.findLinks.push(s.url);
        else set.options.push(kind === 'value' ? `${flag}=${s.url}` : flag);
        return;
      }
      const { req, hashes, extra } = splitLineOptions(l);
      if (isLocalPath(req)) {
        set.editableOrLocal.push(req);
        return;
      }
      (asConstraints ? set.constraints : set.requirements).push(parseRequirement(req, name, line, set.secrets, hashes, extra));
    }
  }

  await read(isAbsolute(file) ? file : join(root, file), [], false, null);
  const dedupe = (rs: ParsedRequirement[]) => {
    const seen = new Map<string, ParsedRequirement>();
    for (const r of rs) if (!seen.has(r.canonical)) seen.set(r.canonical, r);
    return [...seen.values()].sort((a, b) => (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0));
  };
  set.requirements = dedupe(set.requirements);
  set.constraints = dedupe(set.constraints);
  set.extraIndexUrls = [...new Set(set.extraIndexUrls)].sort();
  set.findLinks = [...new Set(set.findLinks)].sort();
  set.options = [...new Set(set.options)].sort();
  set.secrets = [...new Set(set.secrets)];
  return set;
}

function nameAndVersion(canonical: string): { name: string; pin: string | null; spec: string } {
  const m = /^([a-z0-9-]+(?:\[[^\]]*\])?)(.*)$/.exec(canonical)!;
  const spec = m[2];
  const pin = /^==([^,;\s]+)$/.exec(spec.split(';')[0].trim())?.[1] ?? null;
  return { name: m[1], pin, spec: spec.trim() };
}

/** 'pandas 2.2.2 → 2.2.3, +pyarrow, −six' from two sorted lists of canonical requirement lines. */
export function diffRequirements(before: string[], after: string[]): string {
  const b = new Map(before.map((c) => [nameAndVersion(c).name, c]));
  const a = new Map(after.map((c) => [nameAndVersion(c).name, c]));
  const parts: string[] = [];
  for (const [name, c] of a) {
    const old = b.get(name);
    if (old === undefined) parts.push(`+${c}`);
    else if (old !== c) {
      const o = nameAndVersion(old);
      const n = nameAndVersion(c);
      parts.push(o.pin && n.pin ? `${name} ${o.pin} → ${n.pin}` : `${name} ${o.spec || '(any)'} → ${n.spec || '(any)'}`);
    }
  }
  for (const [name, c] of b) if (!a.has(name)) parts.push(`−${c.split(/[;\s]/)[0]}`);
  return parts.join(', ');
}

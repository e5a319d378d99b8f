import { fileURLToPath } from 'node:url';
import type { ArchiveReport, BuildResult, DepsChange, PackageVersion } from '../build/build.ts';
import { formatBytes, formatMs } from '../platform/log.ts';

/**
 * BuildResult → Markdown, for the sticky PR comment and the job summary. Pure: everything the
 * text depends on is in the arguments, so tests (and docs/pr-comment.md) render real results exactly.
 */

export interface ReportContext {
  /** project-dir as the user wrote it, normalized ('.' for the root): names the comment. */
  projectDir: string;
  /** The store the archives went to (never with credentials). */
  storeUrl: string;
  /** The store is a directory on the runner (no s3-bucket): say that it is gone after the job. */
  localStore?: boolean;
  /** The commit the PR head is at (or the pushed commit); falls back to the result's commit. */
  commit?: string | null;
  /** owner/name and https://github.com, to link the commit. */
  repository?: string;
  serverUrl?: string;
  /** Link to the workflow run. */
  runUrl?: string;
  /** An S3-compatible endpoint the store is on (the fetch commands need it too). */
  s3Endpoint?: string;
}

export const COMMENT_MAX = 65_000;

/** The hidden marker that makes the comment sticky per project dir. */
export function commentMarker(projectDir: string): string {
  // "-->" would end the HTML comment early; nothing else in a path matters here.
  return `<!-- pexpress:${projectDir.replace(/-->/g, '--&gt;')} -->`;
}

/** Text from a reason or an error: one line, Markdown and HTML inert. */
export function escapeMd(text: string, max = 2000): string {
  const line = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  const cut = line.length > max ? line.slice(0, max - 1) + '…' : line;
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&');
}

/** Inline code that survives backticks inside. */
export function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  if (!t.includes('`')) return '`' + t + '`';
  return '`` ' + t + ' ``';
}

/** POSIX shell quoting, only when needed. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const short = (sha: string) => sha.slice(0, 12);

function commitText(sha: string | null | undefined, ctx: ReportContext): string | null {
  if (!sha) return null;
  const label = code(sha.slice(0, 7));
  if (ctx.repository && ctx.serverUrl && /^[0-9a-f]{7,64}$/.test(sha))
    return `[${label}](${ctx.serverUrl.replace(/\/+$/, '')}/${ctx.repository}/commit/${sha})`;
  return label;
}

function archiveRow(name: string, a: ArchiveReport): string {
  // Short columns: at comment width (~780 px) a full key would push the status off screen.
  const status = a.uploaded ? '⬆️ uploaded' : '♻️ reused';
  return `| ${code(name)} | ${code(short(a.sha256))} | ${formatBytes(a.size)} | ${status} |`;
}

/** The header's name for the project: its directory, or the repository's name for a root project. */
function projectName(ctx: ReportContext): string {
  if (ctx.projectDir === '.' && ctx.repository) return code(ctx.repository.split('/').pop()!);
  return code(ctx.projectDir);
}

function headline(ctx: ReportContext, kind: 'full' | 'fast' | 'failed'): string {
  const title = { full: '🔨 **full build**', fast: '⚡ **fast build**', failed: '❌ **build failed**' }[kind];
  return `### pexpress · ${projectName(ctx)} · ${title}`;
}

function isS3(url: string): boolean {
  return url.startsWith('s3://');
}

const signed = (n: number) => (n === 0 ? '±0 B' : `${n > 0 ? '+' : '−'}${formatBytes(Math.abs(n))}`);

function sizeCell(before: PackageVersion | null, after: PackageVersion | null): string {
  if (after && !before) return after.size === null ? '' : signed(after.size);
  if (before && !after) return before.size === null ? '' : signed(-before.size);
  if (!before || !after || after.size === null) return '';
  return before.size === null ? formatBytes(after.size) : `${formatBytes(after.size)} (${signed(after.size - before.size)})`;
}

/** dependency-review-action's shape: one row per added, removed or changed package, then deps.pex. */
function depsTable(change: DepsChange, deps: ArchiveReport, ctx: ReportContext): string[] {
  const b = change.base;
  const against = `${b.base ? `${code(b.ref)}'s last build` : 'the last build'}${b.commit ? ` (${commitText(b.commit, ctx)})` : ''}`;
  const rows = change.packages.map((p) => {
    const [mark, version] = !p.before
      ? ['➕', escapeMd(p.after!.version)]
      : !p.after
        ? ['➖', escapeMd(p.before.version)]
        : ['🔄', `${escapeMd(p.before.version)} → ${escapeMd(p.after.version)}`];
    return `| ${mark} ${code(p.name)} | ${version} | ${sizeCell(p.before, p.after)} |`;
  });
  const total = b.size === null ? formatBytes(deps.size) : `${formatBytes(deps.size)} (${signed(deps.size - b.size)})`;
  const counts = (['added', 'removed', 'changed'] as const)
    .map(
      (k) =>
        [k, change.packages.filter((p) => (k === 'added' ? !p.before : k === 'removed' ? !p.after : p.before && p.after)).length] as const,
    )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return [
    `**What changed in deps.pex** against ${against}: ${counts.join(', ') || 'the same packages (rebuilt)'}`,
    '',
    '| package | version | size |',
    '|:--|:--|--:|',
    ...rows,
    `| **deps.pex** | ${code(short(b.sha256))} → ${code(short(deps.sha256))} | **${total}** |`,
    '',
  ];
}

/** Commands that fetch, verify and run the archives on a deploy host that has only the AWS CLI (or a shell). */
function fetchCommands(r: BuildResult, ctx: ReportContext): string[] {
  const endpoint = ctx.s3Endpoint ? ` --endpoint-url ${shellQuote(ctx.s3Endpoint)}` : '';
  const copy = (a: ArchiveReport, name: string) => {
    if (isS3(a.url)) return `aws s3 cp${endpoint} ${shellQuote(a.url)} ${name}`;
    if (a.url.startsWith('file://')) return `cp ${shellQuote(fileURLToPath(a.url))} ${name}`;
    return `# ${name}: ${a.url}`;
  };
  return [
    copy(r.deps, 'deps.pex'),
    copy(r.source, 'source.pex'),
    `printf '%s  %s\\n' ${r.deps.sha256} deps.pex ${r.source.sha256} source.pex | sha256sum -c -`,
    'PEX_PATH=deps.pex python3 source.pex',
  ];
}

function body(r: BuildResult, ctx: ReportContext): string[] {
  const lines: string[] = [headline(ctx, r.buildType), ''];
  lines.push(
    r.buildType === 'fast'
      ? `**Fast:** only source.pex was built — ${escapeMd(r.reason)}`
      : `**Full:** deps.pex was rebuilt — ${escapeMd(r.reason)}`,
    '',
  );
  if (r.depsChange) lines.push(...depsTable(r.depsChange, r.deps, ctx));
  lines.push('| archive | sha256 | size | |', '|:--|:--|--:|:--|', archiveRow('deps.pex', r.deps), archiveRow('source.pex', r.source), '');
  const facts = [
    `Built in **${formatMs(r.timings.total ?? 0)}**`,
    (() => {
      const head = commitText(ctx.commit ?? r.commit, ctx);
      if (!head) return null;
      const merge = ctx.commit && r.commit && ctx.commit !== r.commit ? ` (checked out as ${commitText(r.commit, ctx)})` : '';
      return `commit ${head}${merge}`;
    })(),
    `ref ${code(r.ref)}`,
    `CPython ${r.target.python} · ${r.target.platform}`,
    `fingerprint ${code(short(r.fingerprint))}`,
  ].filter(Boolean);
  lines.push(facts.join(' · '), '');
  if (ctx.localStore) {
    lines.push(
      `> [!NOTE]\n> No \`s3-bucket\` is set: the archives are in the runner's local store (${code(ctx.storeUrl)}) and go away with the job.`,
      '',
    );
  }
  const store = ` --store ${shellQuote(ctx.storeUrl)}`;
  const keyLabel = isS3(ctx.storeUrl) ? 'S3 key' : 'store key';
  lines.push(
    '<details><summary>Fetch, verify and run these archives</summary>',
    '',
    `On the deploy host, without pexpress (${isS3(ctx.storeUrl) ? 'the AWS CLI' : 'a shell'}, \`sha256sum\` and python3):`,
    '',
    '```sh',
    ...fetchCommands(r, ctx),
    '```',
    '',
    'With the pexpress CLI (verifies, caches and runs in one step):',
    '',
    '```sh',
    `# deps.pex`,
    `pexpress lookup ${r.deps.sha256}${store}`,
    `# source.pex`,
    `pexpress lookup ${r.source.sha256}${store}`,
    `pexpress run ${r.source.sha256}${store}`,
    '```',
    '',
    `| ${keyLabel} | |`,
    '|:--|:--|',
    `| ${code(r.deps.key)} | deps.pex |`,
    `| ${code(r.source.key)} | source.pex |`,
    '',
    `Manifest: ${code(r.manifest.key)}`,
    '',
    '| phase | time |',
    '|:--|--:|',
    ...Object.entries(r.timings)
      .filter(([k]) => k !== 'total')
      .map(([k, ms]) => `| ${escapeMd(k)} | ${formatMs(ms)} |`),
    `| **total** | **${formatMs(r.timings.total ?? 0)}** |`,
    '',
    '</details>',
  );
  return lines;
}

function footer(ctx: ReportContext): string[] {
  return ctx.runUrl ? ['', `<sub>[workflow run](${ctx.runUrl}) · updated on every push</sub>`] : [];
}

/** The sticky PR comment for a finished build. */
export function renderComment(r: BuildResult, ctx: ReportContext): string {
  return clamp([commentMarker(ctx.projectDir), ...body(r, ctx), ...footer(ctx)].join('\n') + '\n');
}

/** The job summary for a finished build (same content, no marker). */
export function renderSummary(r: BuildResult, ctx: ReportContext): string {
  return body(r, ctx).join('\n') + '\n';
}

export interface FailureInfo {
  message: string;
  /** Wall time until the failure. */
  durationMs?: number;
  ref?: string | null;
}

function failureBody(f: FailureInfo, ctx: ReportContext): string[] {
  const facts = [
    f.durationMs !== undefined ? `Failed after **${formatMs(f.durationMs)}**` : null,
    ctx.commit ? `commit ${commitText(ctx.commit, ctx)}` : null,
    f.ref ? `ref ${code(f.ref)}` : null,
  ].filter(Boolean);
  return [
    headline(ctx, 'failed'),
    '',
    `**Why:** ${escapeMd(f.message)}`,
    '',
    ...(facts.length ? [facts.join(' · ')] : []),
    ...(ctx.runUrl ? ['', `See the [run log](${ctx.runUrl}) for details.`] : []),
  ];
}

/** The sticky PR comment after a failed build (replaces the previous build's). */
export function renderFailureComment(f: FailureInfo, ctx: ReportContext): string {
  return clamp([commentMarker(ctx.projectDir), ...failureBody(f, ctx)].join('\n') + '\n');
}

export function renderFailureSummary(f: FailureInfo, ctx: ReportContext): string {
  return failureBody(f, ctx).join('\n') + '\n';
}

function clamp(text: string): string {
  return text.length <= COMMENT_MAX ? text : text.slice(0, COMMENT_MAX - 20) + '\n\n…(truncated)\n';
}

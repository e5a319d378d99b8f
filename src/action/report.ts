import type { ArchiveReport, BuildResult } from '../build/build.ts';
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
  const status = a.uploaded ? '⬆️ uploaded' : '♻️ reused';
  return `| ${code(name)} | ${code(short(a.sha256))} | ${formatBytes(a.size)} | ${code(a.key)} | ${status} |`;
}

function headline(ctx: ReportContext, kind: 'full' | 'fast' | 'failed'): string {
  const title = { full: '🔨 **full build**', fast: '⚡ **fast build**', failed: '❌ **build failed**' }[kind];
  return `### pexpress · ${code(ctx.projectDir)} · ${title}`;
}

function isS3(url: string): boolean {
  return url.startsWith('s3://');
}

function body(r: BuildResult, ctx: ReportContext): string[] {
  const keyHeader = isS3(ctx.storeUrl) ? 'S3 key' : 'store key';
  const lines: string[] = [headline(ctx, r.buildType), ''];
  lines.push(
    r.buildType === 'fast'
      ? `**Fast:** only source.pex was built — ${escapeMd(r.reason)}`
      : `**Full:** deps.pex was rebuilt — ${escapeMd(r.reason)}`,
    '',
    `| archive | sha256 | size | ${keyHeader} | |`,
    '|:--|:--|--:|:--|:--|',
    archiveRow('deps.pex', r.deps),
    archiveRow('source.pex', r.source),
    '',
  );
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
  lines.push(
    '<details><summary>Look up and run these archives</summary>',
    '',
    '```sh',
    `# deps.pex`,
    `pexpress lookup ${r.deps.sha256}${store}`,
    `# source.pex`,
    `pexpress lookup ${r.source.sha256}${store}`,
    `pexpress run ${r.source.sha256}${store}`,
    '```',
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

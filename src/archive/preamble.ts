// The first bytes of source.pex: a POSIX sh preamble that makes `./source.pex` start as fast as an
// interpreter without site (docs/runtime.md "Starting an archive"). Python skips it (a zip is read
// from its end), so `python3 source.pex` keeps working unchanged.
//
// Warm: the cold path left $PEX_ROOT/pexpress/boot/<H> (the interpreter that ran it) and <H>.pyc
// (this archive's own bootstrap, compiled from its verified bytes), where H is the archive hash the
// zip comment ends with. The preamble reads H with `tail`, then execs `python -sS <H>.pyc archive`:
// no site (so the host's site-packages are never scanned: isolation costs nothing), no zipimport,
// no compile. Any PEX_* variable but PEX_ROOT takes the ordinary path, so every variable keeps the
// meaning the bootstrap gives it. Cold, or anything unexpected: exec python3.X on the archive.

/** The PEX_* names the bootstrap reads (its ENV_VARS literal), but PEX_ROOT, which the preamble honours itself. */
export function slowPathVariables(bootstrap: string): string[] {
  const block = /^ENV_VARS = \(\n([\s\S]*?)^\)$/m.exec(bootstrap);
  if (!block) throw new Error('runtime/bootstrap.py has no ENV_VARS literal');
  const names = [...block[1].matchAll(/^ {4}\("(PEX_[A-Z0-9_]+)",/gm)].map((m) => m[1]);
  // Set by a run of the bootstrap for its child or its own re-execution: those need the full bootstrap.
  return [...names.filter((n) => n !== 'PEX_ROOT'), '__PEXPRESS_ENV__', '__PEXPRESS_REEXEC__'];
}

/**
 * `python` is the target minor ("3.11"): the interpreter the slow path looks for first; `bootstrap`
 * is runtime/bootstrap.py's text (archive/pexinfo.ts passes the bundled one).
 */
export function sourcePreamble(python: string, bootstrap: string): string {
  const vars = slowPathVariables(bootstrap)
    .map((v) => `\${${v}-}`)
    .join('');
  const lines = [
    '#!/bin/sh',
    `# A pexpress source archive: a zip file after this preamble. Run it as ./source.pex with deps.pex`,
    `# next to it, or as PEX_PATH=deps.pex python${python} source.pex. See pexpress's docs/runtime.md.`,
    `if [ -z "${vars}" ]; then`,
    // Names of its own: a variable the user exported under a short name (R, B, P) must reach the app unchanged.
    '  _pexpress_root="${PEX_ROOT:-${HOME:+$HOME/.cache/pex}}"',
    '  case "$_pexpress_root" in',
    '  /*)',
    '    _pexpress_boot="$_pexpress_root/pexpress/boot/$(tail -c 64 "$0" 2>/dev/null)"',
    // <H> is written after <H>.pyc: both exist once it does.
    '    if [ -f "$_pexpress_boot" ] && IFS= read -r _pexpress_python < "$_pexpress_boot" && [ -x "$_pexpress_python" ]; then',
    '      exec "$_pexpress_python" -sS "$_pexpress_boot.pyc" "$0" "$@"',
    '    fi',
    '  esac',
    'fi',
    `command -v python${python} >/dev/null 2>&1 && exec python${python} "$0" "$@"`,
    'command -v python3 >/dev/null 2>&1 && exec python3 "$0" "$@"',
    `echo "$0: needs python${python} (or python3) on PATH" >&2`,
    'exit 127',
  ];
  return lines.join('\n') + '\n';
}

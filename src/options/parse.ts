/**
 * The one validator both front ends call: raw values as the user gave them (CLI flags, Action
 * inputs, environment) in, typed OptionValues and the problems out, each problem naming the
 * option the way the user gave it.
 */
import { UsageError } from '../platform/errors.ts';
import { OPTION_KEYS, OPTIONS, quote, type OptionKey, type OptionSpec, type OptionValues, type Problem, type Surface } from './table.ts';

export interface Given {
  /** A CLI switch is a boolean, a repeated flag a list; everything from the Action is a string. */
  value: string | string[] | boolean;
  /** How the user named it: `--python`, `input 'python-version'`, `PEXPRESS_RESOLVER`. */
  from: string;
}

export interface OptionProblem extends Problem {
  key: OptionKey;
  from: string;
}

// As @actions/core's getBooleanInput (YAML 1.2 core schema).
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

function splitList(spec: OptionSpec, value: string | string[]): string[] {
  const parts = Array.isArray(value) ? value : spec.list === 'repeat' ? value.split('\n') : value.split(',');
  const items = parts.map((p) => p.trim()).filter(Boolean);
  // A comma list is a set (order and repeats do not count, as in the fingerprint); a repeated flag keeps its order.
  return spec.list === 'comma' ? [...new Set(items)].sort() : items;
}

export function parseOptions(
  given: Partial<Record<OptionKey, Given>>,
  keys: readonly OptionKey[] = OPTION_KEYS,
): { values: OptionValues; problems: OptionProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: OptionProblem[] = [];
  for (const key of keys) {
    const spec: OptionSpec = OPTIONS[key];
    const g = given[key];
    const bad = (p: Problem | null) => {
      if (p) problems.push({ key, from: g?.from ?? key, ...p });
    };
    if (spec.type === 'boolean') {
      const v = g?.value === '' || g === undefined ? spec.default : g.value;
      if (typeof v === 'boolean') values[key] = v;
      else if (TRUE.includes(String(v))) values[key] = true;
      else if (FALSE.includes(String(v))) values[key] = false;
      else {
        bad({ message: `${quote(String(v))} is not a boolean`, hint: 'use true or false' });
        values[key] = spec.default === 'true';
      }
      continue;
    }
    if (spec.type === 'list') {
      const items = g && typeof g.value !== 'boolean' ? splitList(spec, g.value) : [];
      for (const item of items) bad(spec.check?.(item) ?? null);
      values[key] = items;
      continue;
    }
    const raw = g && typeof g.value === 'string' ? g.value : '';
    const asGiven = raw === '' ? spec.default : raw;
    const v = spec.aliases?.[asGiven.toLowerCase()] ?? asGiven;
    if (v === '') {
      values[key] = undefined;
      continue;
    }
    if (spec.type === 'choice' && !spec.choices!.includes(v)) {
      const aliases = Object.entries(spec.aliases ?? {});
      const also = aliases.length ? ` (${aliases.map(([a, c]) => `${a} means ${c}`).join(', ')})` : '';
      bad({ message: `${quote(v)} is not a ${spec.noun ?? 'valid value'}`, hint: `use ${spec.choices!.join(', ')}${also}` });
      values[key] = spec.default;
      continue;
    }
    // Defaults are valid by construction; only what the user gave is checked.
    if (raw !== '') bad(spec.check?.(v) ?? null);
    values[key] = v;
  }
  return { values: values as OptionValues, problems };
}

/** One problem as the user reads it: `--python '2.7' is …` on the CLI, `input 'python-version': '2.7' is …` in the Action. */
export function renderProblem(p: OptionProblem, surface: Surface): string {
  const what = surface === 'action' && p.from.startsWith('input ') ? `${p.from}: ${p.message}` : `${p.from} ${p.message}`;
  return p.hint ? `${what} — ${p.hint}` : what;
}

/** Bad options: one UsageError naming each, in one line ("what — what to do; what — what to do"). */
export class OptionsError extends UsageError {
  constructor(
    readonly problems: OptionProblem[],
    surface: Surface,
  ) {
    // Several problems carry several hints: the message keeps each next to its problem.
    super(problems.map((p) => renderProblem(p, surface)).join('; '), problems.length > 1 ? { hint: '' } : {});
  }
}

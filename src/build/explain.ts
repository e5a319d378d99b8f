// Why a build is full: the difference between two fingerprints' components, as one line a person reads.
import type { FingerprintComponent } from './fingerprint.ts';
import { diffRequirements } from '../python/requirements.ts';

interface RequirementsValue {
  requirements?: string[];
  constraints?: string[];
  indexUrl?: string | null;
  extraIndexUrls?: string[];
}

function describe(name: string, before: unknown, after: unknown): string {
  if (before === undefined) return `+${name}`;
  if (after === undefined) return `−${name}`;
  if (name === 'target') {
    const b = before as Record<string, string>;
    const a = after as Record<string, string>;
    const parts = Object.keys(a)
      .filter((k) => a[k] !== b[k])
      .map((k) => `${k} ${b[k]} → ${a[k]}`);
    return `target ${parts.join(', ')}`;
  }
  if (name === 'resolver' || name === 'deps-cache-epoch' || name === 'layout') {
    return `${name} ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
  }
  const b = before as RequirementsValue;
  const a = after as RequirementsValue;
  if (Array.isArray(a?.requirements) && Array.isArray(b?.requirements)) {
    const parts: string[] = [];
    const reqs = diffRequirements(b.requirements, a.requirements);
    if (reqs) parts.push(reqs);
    const cons = diffRequirements(b.constraints ?? [], a.constraints ?? []);
    if (cons) parts.push(`constraints ${cons}`);
    if (b.indexUrl !== a.indexUrl || JSON.stringify(b.extraIndexUrls) !== JSON.stringify(a.extraIndexUrls))
      parts.push('index URLs changed');
    return `${name}: ${parts.join(', ') || 'options changed'}`;
  }
  return `${name} changed`;
}

/** What differs between the previous build's fingerprint components and this one's, in a line. */
export function explainChange(before: FingerprintComponent[], after: FingerprintComponent[]): string {
  const prev = new Map(before.map((c) => [c.name, c]));
  const next = new Map(after.map((c) => [c.name, c]));
  const names = [...new Set([...prev.keys(), ...next.keys()])];
  const changes = names
    .filter((n) => prev.get(n)?.hash !== next.get(n)?.hash)
    .map((n) => describe(n, prev.get(n)?.value, next.get(n)?.value));
  return changes.join('; ');
}

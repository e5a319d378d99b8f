// Types for scripts/licenses.mjs (plain JS so `node scripts/bundle.mjs` needs no TypeScript loader).
import type { Metafile } from 'esbuild';

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  text: string;
  dir: string;
}
export const ALLOWED: string[];
export function bundledPackageDirs(metafile: Metafile): string[];
export function licenseAllowed(expr: unknown, allowed?: string[]): boolean;
export function describePackage(root: string, dir: string): BundledPackage;
export function licenseProblems(packages: BundledPackage[], allowed?: string[]): string[];
export function renderLicenses(packages: BundledPackage[]): string;
export function collectLicenses(metafile: Metafile, root?: string): { packages: BundledPackage[]; problems: string[]; text: string };

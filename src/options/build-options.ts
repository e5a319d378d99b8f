import type { BuildOptions } from '../build/build.ts';
import type { OptionValues } from './table.ts';

/**
 * The core's options from the table's typed values: the one place both front ends hand options to
 * build(), so the Action builds exactly as `pexpress build` would. What the front ends resolve
 * differently (paths relative to the cwd or the workspace, the store from s3-bucket) comes in `at`.
 */
export function buildOptionsFrom(o: OptionValues, at: { projectDir: string; storeUrl: string; outDir: string }): BuildOptions {
  return {
    projectDir: at.projectDir,
    storeUrl: at.storeUrl,
    storeOptions: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
    python: o.python,
    platform: o.platform,
    manylinux: o.manylinux,
    entryPoint: o.entryPoint ?? null,
    forceFull: o.forceFull,
    outDir: at.outDir,
    resolver: o.resolver,
    epoch: o.epoch ?? '',
    extras: o.extras,
    groups: o.groups,
    excludes: o.exclude,
    includes: o.include,
    requirementsFile: o.requirements ?? null,
  };
}

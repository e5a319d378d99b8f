// The Action's entry point (action.yml runs dist/index.js): only calls run(), so tests can import
// run() from main.ts without side effects.
import * as core from '@actions/core';
import { actionError, run } from './main.ts';

try {
  await run();
} catch (err) {
  core.setFailed(actionError(err));
}

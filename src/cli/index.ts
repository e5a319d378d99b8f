#!/usr/bin/env node
// The `pexpress` command (dist/cli.js): only calls run(), so tests can import it without side effects.
import { run } from './main.ts';

process.exitCode = await run();

// Kept so `npm run bench` / `npm run bench:smoke` (which name this file) keep working: the suite is bench/run.ts.
import './run.ts';

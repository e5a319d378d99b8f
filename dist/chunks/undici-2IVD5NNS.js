import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  require_undici
} from "./chunk-LEUJG33J.js";
import "./chunk-NWACEIQ6.js";
export default require_undici();

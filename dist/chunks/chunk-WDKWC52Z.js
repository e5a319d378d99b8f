import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);
import {
  BuildError,
  ENV_NAME,
  UsageError,
  archiveKey,
  depsIndexKey,
  envKey,
  fullKey,
  isBucketName,
  isSha256,
  manifestKey,
  netFetch,
  optionRef,
  projectMetadataKey,
  readEnv,
  redactSecrets,
  refKey,
  sanitizeRef,
  startTransfer,
  toolTrustEnv,
  writeError
} from "./chunk-VFIDWAAV.js";
import {
  __commonJS,
  __toESM
} from "./chunk-NWACEIQ6.js";

// node_modules/ignore/index.js
var require_ignore = __commonJS({
  "node_modules/ignore/index.js"(exports, module) {
    function makeArray(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var UNDEFINED = void 0;
    var EMPTY = "";
    var SPACE = " ";
    var ESCAPE = "\\";
    var REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/;
    var BOM = "\uFEFF";
    var REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/;
    var REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
    var REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
    var REGEX_SPLITALL_CRLF = /\r?\n/g;
    var DOUBLE_SLASH = "//";
    var SLASH_CODE = 47;
    var DOT_CODE = 46;
    var SLASH = "/";
    var TMP_KEY_IGNORE = "node-ignore";
    if (typeof Symbol !== "undefined") {
      TMP_KEY_IGNORE = /* @__PURE__ */ Symbol.for("node-ignore");
    }
    var KEY_IGNORE = TMP_KEY_IGNORE;
    var define = (object2, key, value) => {
      Object.defineProperty(object2, key, { value });
      return value;
    };
    var RETURN_FALSE = () => false;
    var POSIX_CLASSES = {
      alnum: "0-9A-Za-z",
      alpha: "A-Za-z",
      blank: " \\t",
      cntrl: "\\x00-\\x1f\\x7f",
      digit: "0-9",
      graph: "!-.0-~",
      lower: "a-z",
      print: " -.0-~",
      punct: "!-.:-@\\[-`{-~",
      // git's `sane-ctype.h` classifies \v and \f as control, not space,
      //   unlike C's `isspace`
      space: " \\t\\n\\r",
      upper: "A-Z",
      xdigit: "0-9A-Fa-f"
    };
    var CLASS_MEMBERS_TO_ESCAPE = "\\]^-[";
    var escapeMember = (char) => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0 ? char : ESCAPE + char;
    var NON_SLASH = "(?!\\/)";
    var classSource = (negated, body) => {
      if (negated) {
        return `[^\\/${body}]`;
      }
      const source = `[${body}]`;
      return new RegExp(source).test("/") ? NON_SLASH + source : source;
    };
    var scanBracket = (pattern, start) => {
      const { length } = pattern;
      let index = start + 1;
      let negated = EMPTY;
      const lead = pattern[index];
      if (lead === "!" || lead === "^") {
        negated = "^";
        index++;
      }
      let body = EMPTY;
      let prev = EMPTY;
      for (; ; ) {
        const char = pattern[index];
        if (char === UNDEFINED) {
          return null;
        }
        if (char === ESCAPE) {
          const escaped = pattern[++index];
          body += escapeMember(escaped);
          prev = escaped;
        } else if (char === "-" && prev && index + 1 < length && pattern[index + 1] !== "]") {
          index++;
          let to = pattern[index];
          if (to === ESCAPE) {
            to = pattern[index += 1];
          }
          if (prev <= to) {
            body += `-${escapeMember(to)}`;
          }
          prev = EMPTY;
        } else if (char === "[" && pattern[index + 1] === ":") {
          const nameStart = index + 2;
          let end = nameStart;
          while (end < length && pattern[end] !== "]") {
            end++;
          }
          if (end === length) {
            return null;
          }
          if (end > nameStart && pattern[end - 1] === ":") {
            const name = pattern.slice(nameStart, end - 1);
            if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
              return null;
            }
            body += POSIX_CLASSES[name];
            prev = EMPTY;
            index = end;
          } else {
            body += escapeMember("[");
            prev = "[";
            index = nameStart - 2;
          }
        } else {
          body += escapeMember(char);
          prev = char;
        }
        index++;
        if (pattern[index] === "]") {
          return {
            end: index,
            source: classSource(negated, body)
          };
        }
      }
    };
    var NEVER_MATCH = "[]";
    var PLACEHOLDER = "\0";
    var REGEX_RESTORE_PLACEHOLDER = new RegExp(
      `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`,
      "g"
    );
    var TRAILING_WILDCARD = "\uE000";
    var TRAILING_DOUBLESTAR = "\uE001";
    var isReserved = (char) => char === PLACEHOLDER || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
    var extractBrackets = (pattern) => {
      const sources = [];
      const hold = (source) => `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`;
      const { length } = pattern;
      let out = EMPTY;
      let index = 0;
      while (index < length) {
        const char = pattern[index];
        if (char === ESCAPE) {
          const escaped = pattern[index + 1];
          if (escaped === SLASH && index + 2 === length) {
            out += hold(NEVER_MATCH);
          } else if (escaped === "*" || escaped === "[" || escaped === SPACE) {
            out += pattern.slice(index, index + 2);
          } else {
            out += hold(
              REGEX_LITERAL_SPECIAL.test(escaped) ? ESCAPE + escaped : isReserved(escaped) ? `[${escaped}]` : escaped
            );
          }
          index += 2;
        } else if (isReserved(char)) {
          out += hold(`[${char}]`);
          index++;
        } else if (char === "[") {
          const scanned = scanBracket(pattern, index);
          if (scanned === null) {
            out += hold(NEVER_MATCH);
            index = length;
          } else {
            out += hold(scanned.source);
            index = scanned.end + 1;
          }
        } else {
          out += char;
          index++;
        }
      }
      return {
        source: out,
        sources
      };
    };
    var DIRECT = null;
    var REGEX_INNER_SLASH = /\/(?!$)/;
    var WILDCARD = "[^\\/]*";
    var REPLACERS = [
      // Replace (\ ) with ' '
      // Only a space: an escaped tab or other whitespace is already a literal by
      //   the time it reaches here, and a bare tab must be left as one, not turned
      //   into a space.
      // (\ ) -> ' '
      // (\\ ) -> '\\ '
      // (\\\ ) -> '\\ '
      [
        // A run of backslashes is taken whole, from its first one, so no match
        //   ever starts again inside it -- `(\\+?) ` did, which made a long run
        //   quadratic.
        /(\\+)( ?)/g,
        (_, run, space) => space ? run.slice(0, run.length - run.length % 2) + SPACE : run,
        ESCAPE + SPACE
      ],
      // git's wildmatch() reads a run of two or more asterisks as one globstar
      //   whenever the run fills a path segment: it starts the pattern or follows
      //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
      //   already `**`; a longer one is folded into `**` here, so the steps
      //   below only ever have to know `**`.
      // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
      // git also takes a run beside a literal prefix (`a***/b`) or beside an
      //   escaped slash (`***\/b`) as a globstar, and this does not; the README
      //   lists both, under "A run of asterisks".
      [
        /(^|\/)\*{3,}(?=\/|$)/g,
        (_, start) => `${start}**`,
        "*"
      ],
      // Escape metacharacters
      // which is written down by users but means special for regular expressions.
      // > There are 12 characters with special meanings:
      // > - the backslash \,
      // > - the caret ^,
      // > - the dollar sign $,
      // > - the period or dot .,
      // > - the vertical bar or pipe symbol |,
      // > - the question mark ?,
      // > - the asterisk or star *,
      // > - the plus sign +,
      // > - the opening parenthesis (,
      // > - the closing parenthesis ),
      // > - and the opening square bracket [,
      // > - the opening curly brace {,
      // > These special characters are often called "metacharacters".
      [
        /[\\$.|*+(){^]/g,
        (match) => `\\${match}`
      ],
      [
        // > a question mark (?) matches a single character
        /(?!\\)\?/g,
        () => "[^/]",
        "?"
      ],
      // leading slash
      [
        // > A leading slash matches the beginning of the pathname.
        // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
        // A leading slash matches the beginning of the pathname
        /^\//,
        () => "^",
        SLASH
      ],
      // replace special metacharacter slash after the leading slash
      [
        /\//g,
        () => "\\/",
        SLASH
      ],
      [
        // > A leading "**" followed by a slash means match in all directories.
        // > For example, "**/foo" matches file or directory "foo" anywhere,
        // > the same as pattern "foo".
        // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
        // >   under directory "foo".
        // Notice that the '*'s have been replaced as '\\*'
        /^\^*(?:\\\*\\\*\\\/)+/,
        // '**/foo' <-> 'foo'
        () => "(?:^|\\/)",
        "*"
      ],
      // starting
      [
        // there will be no leading '/'
        //   (which has been replaced by section "leading slash")
        // If starts with '**', adding a '^' to the regular expression also works
        DIRECT,
        (source, pattern) => {
          if (!source || source[0] === "^" || source[0] === "(") {
            return source;
          }
          const anchor = !REGEX_INNER_SLASH.test(pattern) ? "(?:^|\\/)" : "^";
          return anchor + source;
        }
      ],
      // two globstars
      [
        // Use lookahead assertions so that we could match more than one `'/**'`
        /\\\/\\\*\\\*(?=\\\/|$)/g,
        // Zero, one or several directories
        // should not use '*', or it will be replaced by the next replacer
        // Check if it is not the last `'/**'`
        (_, index, str) => index + 6 < str.length ? str.slice(index + 6) === "\\/" ? "(?:\\/[^\\/]+)+" : "(?:\\/[^\\/]+)*" : `\\/${TRAILING_DOUBLESTAR}`,
        "*"
      ],
      // normal intermediate wildcards
      [
        // Never replace escaped '*'
        // ignore rule '\*' will match the path '*'
        // 'abc.*/' -> go
        // 'abc.*'  -> skip this rule,
        //    coz trailing single wildcard will be handed by [trailing wildcard]
        /(^|[^\\])(?:\\\*)+(?!$)/g,
        // '*.js' matches '.js'
        // '*.js' doesn't match 'abc'
        // 1. An asterisk "*" matches anything except a slash.
        // 2. Other consecutive asterisks are considered regular asterisks
        //    and collapse into one non-slash wildcard run.
        (_, p1) => p1 + WILDCARD,
        "*"
      ],
      // trailing wildcard, held apart from a literal star
      [
        // The step above leaves a trailing `*` alone, so a single `\*` is all that
        //   can be left at the end here, and what stands in front of it says which
        //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
        //   nothing before it; a literal arrives as the user's own escape, which
        //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
        //   There is no third case: every backslash still reaching the chain is
        //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
        //   own character, so a longer run can never form. This runs while the
        //   two are still distinct, before the unescape steps below collapse the
        //   literal onto the very `\*` a wildcard leaves behind.
        /(^|[^\\])((?:\\\\)*)\\\*$/,
        (match, p1, p2) => p2 === EMPTY ? p1 + TRAILING_WILDCARD : match,
        "*"
      ],
      [
        // unescape, revert step 3 except for back slash
        // For example, if a user escape a '\\*',
        // after step 3, the result will be '\\\\\\*'
        /\\\\\\(?=[$.|*+(){^])/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // '\\\\' -> '\\'
        /\\\\/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // Every real bracket expression -- POSIX classes included -- has already
        //   been held aside by `extractBrackets`, so the only `[` left in the
        //   pattern is an escaped, literal one.
        // A backslash could only stand at the end of the range if it quoted the
        //   `]`, and `\]` is held aside long before this.
        /\\\[([^\]/]*?)($|\])/g,
        // '\\[bar]' -> '\\\\[bar]'
        (match, range, close) => `\\[${range}${close}`,
        "["
      ],
      // ending
      [
        // 'js' will not match 'js.'
        // 'ab' will not match 'abc'
        DIRECT,
        // WTF!
        // https://git-scm.com/docs/gitignore
        // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
        // which re-fixes #24, #38
        // > If there is a separator at the end of the pattern then the pattern
        // > will only match directories, otherwise the pattern can match both
        // > files and directories.
        // 'js*' will not match 'a.js'
        // 'js/' will not match 'a.js'
        // 'js' will match 'a.js' and 'a.js/'
        (source) => {
          const last = source[source.length - 1];
          if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
            return source;
          }
          return last === SLASH ? `${source}$` : `${source}(?=$|\\/$)`;
        }
      ]
    ];
    var REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/;
    var MODE_IGNORE = "regex";
    var MODE_CHECK_IGNORE = "checkRegex";
    var UNDERSCORE = "_";
    var replaceTrailingWildcard = (_, p1) => {
      const prefix = p1 ? `${p1}[^/]+` : "[^/]*";
      return `${prefix}(?=$|\\/$)`;
    };
    var REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/;
    var replaceTrailingDoublestar = () => "[\\s\\S]";
    var separatorAfter = (run, at) => {
      let separator = EMPTY;
      for (let index = at + 1; index < run.length && !run[index].wildcard; index++) {
        separator += run[index].single;
      }
      return separator;
    };
    var pinWildcards = (source) => {
      if (source.indexOf(WILDCARD) < 0) {
        return source;
      }
      const tokens = [];
      const { length } = source;
      let index = 0;
      while (index < length) {
        const char = source[index];
        if (source.startsWith(WILDCARD, index)) {
          tokens.push({ wildcard: true });
          index += WILDCARD.length;
        } else if (char === "[") {
          let end = index + 1;
          if (source[end] === "^") {
            end++;
          }
          if (source[end] === "]") {
            end++;
          }
          while (end < length && source[end] !== "]") {
            end += source[end] === ESCAPE ? 2 : 1;
          }
          end++;
          tokens.push({ single: source.slice(index, end) });
          index = end;
        } else if (char === ESCAPE) {
          tokens.push({ single: source.slice(index, index + 2) });
          index += 2;
        } else if (char === "(") {
          let depth = 0;
          let end = index;
          do {
            if (source[end] === ESCAPE) {
              end++;
            } else if (source[end] === "(") {
              depth++;
            } else if (source[end] === ")") {
              depth--;
            }
            end++;
          } while (end < length && depth > 0);
          if ("*+?".indexOf(source[end]) >= 0) {
            end++;
          }
          tokens.push({ boundary: source.slice(index, end) });
          index = end;
        } else if (char === "^" || char === "$") {
          tokens.push({ boundary: char });
          index++;
        } else {
          tokens.push({ single: char });
          index++;
        }
      }
      let out = EMPTY;
      let run = [];
      const flush = () => {
        let lastWildcard;
        run.forEach((token, at) => {
          if (token.wildcard) {
            lastWildcard = at;
          }
        });
        run.forEach((token, at) => {
          if (!token.wildcard) {
            out += token.single;
            return;
          }
          out += at === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run, at)})[^\\/])*`;
        });
        run = [];
      };
      tokens.forEach((token) => {
        if (token.boundary === void 0) {
          run.push(token);
          return;
        }
        flush();
        out += token.boundary;
      });
      flush();
      return out;
    };
    var makeRegexPrefix = (pattern) => {
      if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
        pattern = "**";
      }
      const { source, sources } = extractBrackets(pattern);
      const replaced = REPLACERS.reduce(
        // A pass whose matcher finds nothing hands back the very string it was
        //   given, so asking first costs a search and saves a rewrite. Ten of the
        //   fifteen passes never fire for a typical .gitignore line, and between
        //   them they were 45% of this chain.
        (prev, [matcher, replacer, required]) => {
          if (matcher === DIRECT) {
            return replacer(prev, pattern);
          }
          if (required !== UNDEFINED && prev.indexOf(required) < 0) {
            return prev;
          }
          return matcher.test(prev) ? prev.replace(matcher, replacer.bind(pattern)) : prev;
        },
        source
      );
      return sources.length ? replaced.replace(
        REGEX_RESTORE_PLACEHOLDER,
        (match, index) => sources[index]
      ) : replaced;
    };
    var checkSourceOf = (body, prefix) => {
      if (body[body.length - 1] === SLASH) {
        prefix = makeRegexPrefix(body.slice(0, -1));
      }
      const head = prefix.slice(0, -1);
      const last = prefix[prefix.length - 1];
      return last === TRAILING_WILDCARD ? `${head}$` : last === TRAILING_DOUBLESTAR ? head : NEVER_MATCH;
    };
    var matchesBasename = (body) => {
      const index = body.indexOf(SLASH);
      return index < 0 || index === body.length - 1;
    };
    var basenameOf = (path) => {
      const end = path.length - 1;
      const index = path.lastIndexOf(
        SLASH,
        path[end] === SLASH ? end - 1 : end
      );
      return index < 0 ? path : path.slice(index + 1);
    };
    var parentOf = (path) => {
      if (path.charCodeAt(0) === SLASH_CODE || path.indexOf(DOUBLE_SLASH) >= 0) {
        const slices = path.split(SLASH).filter(Boolean);
        slices.pop();
        return slices.length ? slices.join(SLASH) + SLASH : EMPTY;
      }
      const end = path.length - 1;
      const cut = path.lastIndexOf(
        SLASH,
        path.charCodeAt(end) === SLASH_CODE ? end - 1 : end
      );
      return cut < 0 ? EMPTY : path.slice(0, cut + 1);
    };
    var isString = (subject) => typeof subject === "string";
    var checkPattern = (pattern) => pattern && isString(pattern);
    var splitPattern = (pattern) => (pattern[pattern.length - 1] === "\r" ? pattern.slice(0, -1) : pattern).split(REGEX_SPLITALL_CRLF).filter(Boolean);
    var IgnoreRule = class {
      constructor(pattern, mark, body, ignoreCase, negative, prefix) {
        this.pattern = pattern;
        this.mark = mark;
        this.negative = negative;
        define(this, "body", body);
        define(this, "ignoreCase", ignoreCase);
        define(this, "regexPrefix", prefix);
      }
      // Worked out on first use and kept behind an own property, the way `regex`
      //   caches itself in `_regex`. Deciding it in the constructor instead would
      //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
      //   every compile -- including the compiles of rules that are never matched
      //   against anything.
      get _basenameOnly() {
        return define(this, "_basenameOnly", matchesBasename(this.body));
      }
      get regex() {
        const key = UNDERSCORE + MODE_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_IGNORE, key);
      }
      get checkRegex() {
        const key = UNDERSCORE + MODE_CHECK_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_CHECK_IGNORE, key);
      }
      _make(mode, key) {
        const str = pinWildcards(
          mode === MODE_IGNORE ? this.regexPrefix.replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard).replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar) : checkSourceOf(this.body, this.regexPrefix)
        );
        const regex = this.ignoreCase ? new RegExp(str, "i") : new RegExp(str);
        return define(this, key, regex);
      }
    };
    var hasTrailingBackslash = (str) => {
      let count = 0;
      while (str[str.length - count - 1] === ESCAPE) {
        count++;
      }
      return count % 2 === 1;
    };
    var trimEnd = (body, stripLineEnd) => {
      let lineEnd = body.length;
      let end;
      for (; ; ) {
        if (stripLineEnd && body[lineEnd - 1] === "\r") {
          lineEnd--;
        }
        end = lineEnd;
        while (body[end - 1] === SPACE) {
          end--;
        }
        if (!stripLineEnd || body[end - 1] !== "\n") {
          break;
        }
        lineEnd = end - 1;
      }
      if (end === lineEnd) {
        return body.slice(0, lineEnd);
      }
      let backslashes = 0;
      while (body[end - backslashes - 1] === ESCAPE) {
        backslashes++;
      }
      return backslashes % 2 ? body.slice(0, end - 1) + SPACE : body.slice(0, end);
    };
    var createRule = (pattern, mark, ignoreCase, stripLineEnd, stripBOM) => {
      let body = stripBOM && pattern[0] === BOM ? pattern.slice(1) : pattern;
      if (body[0] === "#") {
        return;
      }
      let negative = false;
      if (body[0] === "!") {
        negative = true;
        body = body.slice(1);
      }
      const last = body[body.length - 1];
      if (last === SPACE || stripLineEnd && (last === "\r" || last === "\n")) {
        body = trimEnd(body, stripLineEnd);
      }
      if (!body || hasTrailingBackslash(body)) {
        return;
      }
      body = body.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
      const regexPrefix = makeRegexPrefix(body);
      return new IgnoreRule(
        pattern,
        mark,
        body,
        ignoreCase,
        negative,
        regexPrefix
      );
    };
    var RuleManager = class {
      constructor(ignoreCase) {
        this._ignoreCase = ignoreCase;
        this._rules = [];
        this._basenameCount = 0;
      }
      _add(pattern, index) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules._rules);
          this._basenameCount += pattern._rules._basenameCount;
          this._added = true;
          return;
        }
        const isStr = isString(pattern);
        const raw = isStr ? pattern : pattern.pattern;
        const rule = checkPattern(raw) && createRule(
          raw,
          isStr ? UNDEFINED : pattern.mark,
          this._ignoreCase,
          !this._split,
          this._stripBOM && !index
        );
        if (rule) {
          this._added = true;
          this._rules.push(rule);
          if (matchesBasename(rule.body)) {
            this._basenameCount++;
          }
        }
      }
      // @param {Array<string> | string | Ignore} pattern
      add(pattern) {
        this._added = false;
        this._split = isString(pattern);
        this._stripBOM = !this._split || pattern[0] === BOM;
        makeArray(
          this._split ? splitPattern(pattern) : pattern
        ).forEach(this._add, this);
        if (this._added) {
          this._literalRules = UNDEFINED;
        }
        return this._added;
      }
      // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
      //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
      //   are left out once, rather than tested or compiled for every path.
      testLiteral(path) {
        const rules = this._literalRules || (this._literalRules = this._rules.filter(
          ({ body }) => body[body.length - (body[body.length - 1] === SLASH ? 2 : 1)] === "*"
        ));
        let ignored = false;
        let unignored = false;
        let matchedRule;
        for (let index = rules.length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule.checkRegex.test(path)) {
            ignored = !rule.negative;
            unignored = rule.negative;
            matchedRule = rule.negative ? UNDEFINED : rule;
            break;
          }
        }
        const ret = {
          ignored,
          unignored
        };
        if (matchedRule) {
          ret.rule = matchedRule;
        }
        return ret;
      }
      // Test one single path without recursively checking parent directories
      //
      // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`
      // @returns {TestResult}
      test(path, mode) {
        const rules = this._rules;
        const { length } = rules;
        const shortcut = this._basenameCount * 2 >= length;
        const basename8 = shortcut ? basenameOf(path) : path;
        for (let index = length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule[mode].test(
            shortcut && rule._basenameOnly ? basename8 : path
          )) {
            const { negative } = rule;
            const ret = {
              ignored: !negative,
              unignored: negative
            };
            if (!negative) {
              ret.rule = rule;
            }
            return ret;
          }
        }
        return {
          ignored: false,
          unignored: false
        };
      }
    };
    var throwError = (message, Ctor) => {
      throw new Ctor(message);
    };
    var checkPath = (path, originalPath, doThrow) => {
      if (!isString(path)) {
        return doThrow(
          `path must be a string, but got \`${originalPath}\``,
          TypeError
        );
      }
      if (!path) {
        return doThrow(`path must not be empty`, TypeError);
      }
      if (checkPath.isNotRelative(path)) {
        const r = "`path.relative()`d";
        return doThrow(
          `path should be a ${r} string, but got "${originalPath}"`,
          RangeError
        );
      }
      return true;
    };
    var isNotRelative = (path) => {
      const first = path.charCodeAt(0);
      if (first === SLASH_CODE) {
        return true;
      }
      if (first !== DOT_CODE) {
        return false;
      }
      if (path.length === 1) {
        return true;
      }
      const second = path.charCodeAt(1);
      if (second === SLASH_CODE) {
        return true;
      }
      if (second !== DOT_CODE) {
        return false;
      }
      return path.length === 2 || path.charCodeAt(2) === SLASH_CODE;
    };
    checkPath.isNotRelative = isNotRelative;
    checkPath.convert = (p) => p;
    var convertPath = (target2) => isString(target2) && checkPath.convert(target2);
    var Ignore = class {
      constructor({
        ignorecase = true,
        ignoreCase = ignorecase,
        allowRelativePaths = false
      } = {}) {
        define(this, KEY_IGNORE, true);
        this._rules = new RuleManager(ignoreCase);
        this._strictPathCheck = !allowRelativePaths;
        this._initCache();
      }
      _initCache() {
        this._ignoreCache = /* @__PURE__ */ Object.create(null);
        this._testCache = /* @__PURE__ */ Object.create(null);
      }
      add(pattern) {
        if (this._rules.add(pattern)) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      // @returns {TestResult}
      _test(originalPath, cache, path) {
        checkPath(
          path,
          originalPath,
          this._strictPathCheck ? throwError : RETURN_FALSE
        );
        return path ? this._t(path, cache) : {
          ignored: false,
          unignored: false
        };
      }
      checkIgnore(target2) {
        const path = convertPath(target2);
        if (!path || path.charCodeAt(path.length - 1) !== SLASH_CODE) {
          return this._test(target2, this._testCache, path);
        }
        const dir = this._t(path, this._testCache);
        if (dir.ignored) {
          return dir;
        }
        const literal = this._rules.testLiteral(path);
        return literal.ignored || literal.unignored ? literal : dir;
      }
      _t(path, cache) {
        if (path in cache) {
          return cache[path];
        }
        const parentPath = parentOf(path);
        const parent = parentPath ? this._t(parentPath, cache) : UNDEFINED;
        return cache[path] = parent && parent.ignored ? parent : this._rules.test(path, MODE_IGNORE);
      }
      ignores(path) {
        return this._test(path, this._ignoreCache, convertPath(path)).ignored;
      }
      createFilter() {
        return (path) => !this.ignores(path);
      }
      filter(paths) {
        return makeArray(paths).filter(this.createFilter());
      }
      // @returns {TestResult}
      test(path) {
        return this._test(path, this._testCache, convertPath(path));
      }
    };
    var factory = (options) => new Ignore(options);
    var isPathValid = (path) => checkPath(convertPath(path), path, RETURN_FALSE);
    var setupWindows = () => {
      const makePosix = (str) => /^\\\\\?\\/.test(str) || /["<>|\u0000-\u001F]+/u.test(str) ? str : str.replace(/\\/g, "/");
      checkPath.convert = makePosix;
      const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
      checkPath.isNotRelative = (path) => REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path) || isNotRelative(path);
    };
    if (
      // Detect `process` so that it can run in browsers.
      typeof process !== "undefined" && process.platform === "win32"
    ) {
      setupWindows();
    }
    module.exports = factory;
    factory.default = factory;
    module.exports.isPathValid = isPathValid;
    define(module.exports, /* @__PURE__ */ Symbol.for("setupWindows"), setupWindows);
  }
});

// src/store/index.ts
import { isAbsolute, join as join3, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// src/store/fs.ts
import { createHash as createHash2 } from "node:crypto";
import { constants, createReadStream as createReadStream2 } from "node:fs";
import { access, copyFile, link, mkdir as mkdir2, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname as dirname2, join as join2, relative } from "node:path";
import { pathToFileURL } from "node:url";

// src/platform/concurrency.ts
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i2 = next++;
      out[i2] = await fn(items[i2], i2);
    }
  });
  await Promise.all(workers);
  return out;
}

// src/platform/files.ts
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { basename, dirname } from "node:path";

// src/platform/tmp.ts
import { readdirSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
var HOST = hostname().replace(/[^A-Za-z0-9-]/g, "-") || "host";
var PATTERN = /^\.(.+)\.([A-Za-z0-9-]+)\.(\d+)\.[a-z0-9]+\.tmp$/;
var STALE_MS = 24 * 3600 * 1e3;
function tmpPath(dir, label) {
  return join(dir, `.${label}.${HOST}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}
function alive(pid) {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
function sweepTemps(dir, label) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    const m = PATTERN.exec(n);
    if (!m || label !== void 0 && m[1] !== label) continue;
    const path = join(dir, n);
    let stale;
    if (m[2] === HOST) stale = !alive(Number(m[3]));
    else {
      try {
        stale = now - statSync(path).mtimeMs > STALE_MS;
      } catch {
        continue;
      }
    }
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}
async function workDir(cacheDir2, label) {
  const parent = join(cacheDir2, "tmp");
  sweepTemps(parent);
  const dir = tmpPath(parent, label);
  await mkdir(dir, { recursive: true });
  return dir;
}

// src/platform/files.ts
function tempPathFor(dest) {
  return tmpPath(dirname(dest), basename(dest));
}
async function hashFile(path) {
  const h = createHash("sha256");
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c);
  return h.digest("hex");
}
var readBuffer = Buffer.allocUnsafe(1 << 20);
function hashFileSync(path) {
  const h = createHash("sha256");
  const fd2 = openSync(path, "r");
  try {
    const buf = readBuffer;
    let n;
    while ((n = readSync(fd2, buf, 0, buf.length, null)) > 0) h.update(n === buf.length ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd2);
  }
  return h.digest("hex");
}

// src/store/fs.ts
var LOCK_POLL_MS = 20;
var DELETE_CONCURRENCY = 32;
var STALE_LOCK_MS = 1e4;
var FsStore = class {
  constructor(root, url = pathToFileURL(root).href) {
    this.root = root;
    this.url = url;
  }
  root;
  url;
  prefix = "";
  path(key) {
    return join2(this.root, ...key.split("/"));
  }
  async check() {
    try {
      await mkdir2(this.root, { recursive: true });
      await access(this.root, constants.W_OK | constants.R_OK);
      if (!(await stat(this.root)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
      sweepTemps(join2(this.root, ".tmp"));
    } catch (err) {
      const code = err.code ?? String(err);
      throw new UsageError(`cannot use store ${this.url} (${code}) \u2014 set ${optionRef("store")} to a writable directory or an s3:// URL`);
    }
  }
  localPath(key) {
    return this.path(key);
  }
  urlFor(key) {
    return pathToFileURL(this.path(key)).href;
  }
  async head(key) {
    try {
      const st = await stat(this.path(key));
      return { key, size: st.size, metadata: {} };
    } catch {
      return null;
    }
  }
  /** Temps live in one directory of the store, swept of dead owners' files by check(). */
  tmp(label) {
    return tmpPath(join2(this.root, ".tmp"), label);
  }
  async putFile(key, file, opts) {
    const dest = this.path(key);
    if (!opts.overwrite && await this.verify(key, opts.sha256) === "ok") return { uploaded: false };
    const tmp = this.tmp("object");
    try {
      await mkdir2(dirname2(dest), { recursive: true });
      await mkdir2(dirname2(tmp), { recursive: true });
      await copyFile(file, tmp);
      if (!opts.overwrite) {
        try {
          await link(tmp, dest);
          await rm(tmp, { force: true });
          await this.remember(key, opts.sha256);
          return { uploaded: true };
        } catch (err) {
          if (err.code !== "EEXIST") throw err;
        }
        if (await this.verify(key, opts.sha256) === "ok") return { uploaded: false };
      }
      await rename(tmp, dest);
      await this.remember(key, opts.sha256);
      return { uploaded: true };
    } catch (err) {
      throw writeError(dest, err);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  async getText(key) {
    try {
      return await readFile(this.path(key), "utf8");
    } catch {
      return null;
    }
  }
  async putJson(key, value) {
    const dest = this.path(key);
    const tmp = this.tmp("record");
    try {
      await mkdir2(dirname2(dest), { recursive: true });
      await mkdir2(dirname2(tmp), { recursive: true });
      await writeFile(tmp, JSON.stringify(value, null, 2) + "\n");
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw writeError(dest, err);
    }
  }
  async openRead(key) {
    const p = this.path(key);
    await stat(p);
    return createReadStream2(p);
  }
  async list(prefix) {
    const dir = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    let names;
    try {
      names = await readdir(this.path(dir));
    } catch {
      return [];
    }
    return names.filter((n) => !n.startsWith(".")).map((n) => dir ? `${dir}/${n}` : n).filter((k) => k.startsWith(prefix)).sort();
  }
  async scan(prefix) {
    const out = [];
    const walk = async (dir) => {
      let entries;
      try {
        entries = await readdir(this.path(dir), { withFileTypes: true });
      } catch {
        return;
      }
      await Promise.all(
        entries.filter((e) => !e.name.startsWith(".")).map(async (e) => {
          const key = `${dir}/${e.name}`;
          if (e.isDirectory()) return walk(key);
          const st = await stat(this.path(key)).catch(() => null);
          if (st?.isFile()) out.push({ key, size: st.size, modified: st.mtime });
        })
      );
    };
    await walk(prefix.replace(/\/+$/, ""));
    return out.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }
  async deleteMany(keys) {
    await mapLimit(keys, DELETE_CONCURRENCY, async (key) => {
      await rm(this.path(key), { force: true });
      await rm(join2(this.root, ".verified", key.replace(/\//g, "_")), { force: true });
    });
  }
  async getJsonVersioned(key) {
    let bytes;
    try {
      bytes = await readFile(this.path(key));
    } catch {
      return null;
    }
    const version = createHash2("sha256").update(bytes).digest("hex");
    try {
      return { value: JSON.parse(bytes.toString("utf8")), version };
    } catch {
      return null;
    }
  }
  /**
   * A directory created with mkdir() is the lock (atomic on every local filesystem); inside it the
   * version is compared and the record replaced by rename, so readers never see half a record.
   */
  async putJsonIf(key, value, version) {
    const dest = this.path(key);
    await mkdir2(dirname2(dest), { recursive: true });
    const lock = `${dest}.lock`;
    for (let waited = 0; ; waited += LOCK_POLL_MS) {
      try {
        await mkdir2(lock);
        break;
      } catch (err) {
        if (err.code !== "EEXIST") throw err;
        const st = await stat(lock).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
        if (waited > STALE_LOCK_MS * 2) return false;
        await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
      }
    }
    try {
      const current = await this.getJsonVersioned(key);
      if ((current?.version ?? null) !== version) return false;
      await this.putJson(key, value);
      return true;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  /**
   * Hashing a large deps.pex on every fast build would cost more than the build, so a successful
   * check is remembered with the file's identity (size, inode, mtime and ctime in ns): any write,
   * rename over it or utimes changes ctime, and the next check hashes again.
   */
  async verify(key, sha256) {
    const file = this.path(key);
    let st;
    try {
      st = await stat(file, { bigint: true });
    } catch {
      return "missing";
    }
    const identity2 = `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    if (await readFile(this.memoPath(key), "utf8").catch(() => "") === identity2) return "ok";
    let actual;
    try {
      actual = await hashFile(file);
    } catch {
      return "missing";
    }
    if (actual !== sha256) return "corrupt";
    await this.writeMemo(key, identity2);
    return "ok";
  }
  memoPath(key) {
    return join2(this.root, ".verified", key.replace(/\//g, "_"));
  }
  async writeMemo(key, identity2) {
    const memo = this.memoPath(key);
    await mkdir2(dirname2(memo), { recursive: true }).then(() => writeFile(memo, identity2)).catch(() => void 0);
  }
  /** An object this process just wrote from bytes whose sha256 it computed counts as verified. */
  async remember(key, sha256) {
    const st = await stat(this.path(key), { bigint: true }).catch(() => null);
    if (st) await this.writeMemo(key, `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`);
  }
  toString() {
    return relative(process.cwd(), this.root);
  }
};

// src/store/index.ts
function defaultStoreUrl(projectDir) {
  return "file://" + join3(resolve(projectDir), ".pexpress", "store");
}
var factories = {};
function registerStore(scheme, factory) {
  factories[scheme] = factory;
}
async function openStore(url, opts = {}) {
  if (url.startsWith("file://")) {
    let path;
    try {
      path = fileURLToPath(url);
    } catch {
      throw new UsageError(`invalid store URL ${url} \u2014 use file:///absolute/path or s3://bucket/prefix`);
    }
    return new FsStore(path, url);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    const factory = factories[scheme];
    if (!factory) throw new UsageError(`unsupported store URL ${url} \u2014 use file:///path or s3://bucket/prefix`);
    return factory(url, opts);
  }
  const abs = isAbsolute(url) ? url : resolve(url);
  return new FsStore(abs);
}

// src/deploy/artifacts.ts
import { createHash as createHash4 } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir as mkdir4, rename as rename3, rm as rm3 } from "node:fs/promises";
import { basename as basename4, dirname as dirname5, join as join5, resolve as resolve2 } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";

// src/platform/verified.ts
import { readFile as readFile2, stat as stat2, writeFile as writeFile2 } from "node:fs/promises";
import { basename as basename2, dirname as dirname3, join as join4 } from "node:path";
var memoOf = (path) => join4(dirname3(path), `.${basename2(path)}.verified`);
async function identity(path, sha256) {
  const st = await stat2(path, { bigint: true }).catch(() => null);
  return st && st.isFile() ? `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}` : null;
}
async function isVerified(path, sha256) {
  const id = await identity(path, sha256);
  if (!id) return false;
  if (await readFile2(memoOf(path), "utf8").catch(() => "") === id) return true;
  const got = await hashFile(path).catch(() => null);
  if (got !== sha256) return false;
  await writeFile2(memoOf(path), id).catch(() => void 0);
  return true;
}
async function rememberVerified(path, sha256) {
  const id = await identity(path, sha256);
  if (id) await writeFile2(memoOf(path), id).catch(() => void 0);
}

// src/build/records.ts
var RECORD_SCHEMA = 1;
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var describe = (v) => v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
var string = (v, p) => typeof v === "string" ? null : `${p} is ${describe(v)}, not a string`;
var hex64 = (v, p) => isSha256(v) ? null : `${p} is not a sha256 (64 hex digits)`;
var size = (v, p) => Number.isSafeInteger(v) && v >= 0 ? null : `${p} is not a size in bytes`;
var optional = (c) => (v, p) => v === void 0 ? null : c(v, p);
var nullable = (c) => (v, p) => v === null ? null : c(v, p);
var oneOf = (...values) => (v, p) => values.includes(v) ? null : `${p} is ${JSON.stringify(v) ?? "missing"}, not ${values.map((x2) => JSON.stringify(x2)).join(" or ")}`;
var arrayOf = (c) => (v, p) => {
  if (!Array.isArray(v)) return `${p} is ${describe(v)}, not an array`;
  for (let i2 = 0; i2 < v.length; i2++) {
    const problem = c(v[i2], `${p}[${i2}]`);
    if (problem) return problem;
  }
  return null;
};
var object = (fields) => (v, p) => {
  if (!isObject(v)) return `${p || "the record"} is ${describe(v)}, not an object`;
  for (const [name, c] of Object.entries(fields)) {
    const problem = c(v[name], p ? `${p}.${name}` : name);
    if (problem) return problem;
  }
  return null;
};
var component = object({ name: string, hash: hex64, value: () => null, origins: () => null });
var archiveRef = object({ sha256: hex64, key: string, pexHash: string });
var target = object({ python: string, platform: string });
var schema = oneOf(RECORD_SCHEMA);
var depsIndexFields = object({
  schema,
  fingerprint: hex64,
  sha256: hex64,
  size,
  pexHash: string,
  python: string,
  platform: string,
  requirements: arrayOf(string),
  packages: optional(arrayOf(object({ name: string, version: string, size }))),
  commit: nullable(string),
  builtAt: string
});
var manifestFields = object({
  schema,
  commit: nullable(string),
  ref: string,
  buildType: oneOf("full", "fast"),
  reason: string,
  fingerprint: hex64,
  target,
  deps: archiveRef,
  source: archiveRef,
  entryPoint: nullable(string),
  pexpressVersion: string,
  builtAt: string
});
var refFields = object({
  schema,
  ref: string,
  commit: nullable(string),
  buildType: oneOf("full", "fast"),
  fingerprint: hex64,
  components: arrayOf(component),
  deps: object({ sha256: hex64 }),
  source: object({ sha256: hex64 }),
  builtAt: string
});
function recordProblem(text, check, identity2) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return "it is not valid JSON";
  }
  if (isObject(value) && value.schema !== RECORD_SCHEMA && Number.isInteger(value.schema))
    return `it has schema ${String(value.schema)}, this pexpress reads schema ${RECORD_SCHEMA}`;
  return check(value, "") ?? identity2?.(value) ?? null;
}
async function readRecord(store, key, check, warn, identity2) {
  const text = await store.getText(key);
  if (text === null) return null;
  const problem = recordProblem(text, check, identity2);
  if (problem === null) return JSON.parse(text);
  warn(`ignoring ${store.urlFor(key)}: ${problem}; treating it as missing (the next full build rewrites it)`);
  return null;
}
async function readDepsIndex(store, fingerprint, warn) {
  const key = depsIndexKey(fingerprint);
  const entry = await readRecord(
    store,
    key,
    depsIndexFields,
    warn,
    (r) => r.fingerprint === fingerprint ? null : `its fingerprint is ${String(r.fingerprint)}, not ${fingerprint}`
  );
  if (!entry) return null;
  const [manifest, head] = await Promise.all([store.head(manifestKey(entry.sha256)), store.head(archiveKey(entry.sha256))]);
  const kind = head?.metadata["pexpress-kind"];
  if (manifest || kind && kind !== "deps") {
    warn(
      `ignoring ${store.urlFor(key)}: sha256 ${entry.sha256.slice(0, 12)} names a source archive, not a deps archive; treating it as missing (the next full build rewrites it)`
    );
    return null;
  }
  return entry;
}
function readManifest(store, sha256, warn) {
  return readRecord(
    store,
    manifestKey(sha256),
    manifestFields,
    warn,
    (r) => r.source.sha256 === sha256 ? null : `it describes source archive ${r.source.sha256}, not ${sha256}`
  );
}
function readRef(store, ref, warn, scope) {
  return readRecord(
    store,
    refKey(ref, scope),
    refFields,
    warn,
    (r) => sanitizeRef(r.ref) === sanitizeRef(ref) ? null : `it records ref ${String(r.ref)}, not ${ref}`
  );
}
async function writeRecord(store, key, check, record) {
  const problem = check(JSON.parse(JSON.stringify(record)), "");
  if (problem) throw new BuildError(`internal error: the record ${key} would not validate (${problem}) \u2014 please report this`);
  await store.putJson(key, record);
}
function writeDepsIndex(store, entry) {
  return writeRecord(store, depsIndexKey(entry.fingerprint), depsIndexFields, { schema: RECORD_SCHEMA, ...entry });
}
function writeManifest(store, manifest) {
  return writeRecord(store, manifestKey(manifest.source.sha256), manifestFields, { schema: RECORD_SCHEMA, ...manifest });
}
function writeRef(store, record, scope) {
  return writeRecord(store, refKey(record.ref, scope), refFields, { schema: RECORD_SCHEMA, ...record });
}

// src/archive/zip.ts
import { createHash as createHash3 } from "node:crypto";
import { closeSync as closeSync2, openSync as openSync2, read, readFileSync, readSync as readSync2 } from "node:fs";
import { promisify } from "node:util";
import { mkdir as mkdir3, open as openFile, rename as rename2, rm as rm2 } from "node:fs/promises";
import { dirname as dirname4, basename as basename3 } from "node:path";
import * as zlib from "node:zlib";

// node_modules/fflate/esm/index.mjs
import { createRequire } from "module";
var require2 = createRequire("/");
var _a;
var Worker;
var isMarkedAsUntransferable;
try {
  _a = require2("worker_threads"), Worker = _a.Worker, isMarkedAsUntransferable = _a.isMarkedAsUntransferable;
} catch (e) {
}
var u8 = Uint8Array;
var u16 = Uint16Array;
var i32 = Int32Array;
var fleb = new u8([
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
  /* unused */
  0,
  0,
  /* impossible */
  0
]);
var fdeb = new u8([
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
  /* unused */
  0,
  0
]);
var clim = new u8([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);
var freb = function(eb, start) {
  var b = new u16(31);
  for (var i2 = 0; i2 < 31; ++i2) {
    b[i2] = start += 1 << eb[i2 - 1];
  }
  var r = new i32(b[30]);
  for (var i2 = 1; i2 < 30; ++i2) {
    for (var j = b[i2]; j < b[i2 + 1]; ++j) {
      r[j] = j - b[i2] << 5 | i2;
    }
  }
  return { b, r };
};
var _a = freb(fleb, 2);
var fl = _a.b;
var revfl = _a.r;
fl[28] = 258, revfl[258] = 28;
var _b = freb(fdeb, 0);
var fd = _b.b;
var revfd = _b.r;
var rev = new u16(32768);
for (i = 0; i < 32768; ++i) {
  x = (i & 43690) >> 1 | (i & 21845) << 1;
  x = (x & 52428) >> 2 | (x & 13107) << 2;
  x = (x & 61680) >> 4 | (x & 3855) << 4;
  rev[i] = ((x & 65280) >> 8 | (x & 255) << 8) >> 1;
}
var x;
var i;
var hMap = (function(cd, mb, r) {
  var s = cd.length;
  var i2 = 0;
  var l = new u16(mb);
  for (; i2 < s; ++i2) {
    if (cd[i2])
      ++l[cd[i2] - 1];
  }
  var le = new u16(mb);
  for (i2 = 1; i2 < mb; ++i2) {
    le[i2] = le[i2 - 1] + l[i2 - 1] << 1;
  }
  var co;
  if (r) {
    co = new u16(1 << mb);
    var rvb = 15 - mb;
    for (i2 = 0; i2 < s; ++i2) {
      if (cd[i2]) {
        var sv = i2 << 4 | cd[i2];
        var r_1 = mb - cd[i2];
        var v = le[cd[i2] - 1]++ << r_1;
        for (var m = v | (1 << r_1) - 1; v <= m; ++v) {
          co[rev[v] >> rvb] = sv;
        }
      }
    }
  } else {
    co = new u16(s);
    for (i2 = 0; i2 < s; ++i2) {
      if (cd[i2]) {
        co[i2] = rev[le[cd[i2] - 1]++] >> 15 - cd[i2];
      }
    }
  }
  return co;
});
var flt = new u8(288);
for (i = 0; i < 144; ++i)
  flt[i] = 8;
var i;
for (i = 144; i < 256; ++i)
  flt[i] = 9;
var i;
for (i = 256; i < 280; ++i)
  flt[i] = 7;
var i;
for (i = 280; i < 288; ++i)
  flt[i] = 8;
var i;
var fdt = new u8(32);
for (i = 0; i < 32; ++i)
  fdt[i] = 5;
var i;
var flm = /* @__PURE__ */ hMap(flt, 9, 0);
var fdm = /* @__PURE__ */ hMap(fdt, 5, 0);
var shft = function(p) {
  return (p + 7) / 8 | 0;
};
var slc = function(v, s, e) {
  if (s == null || s < 0)
    s = 0;
  if (e == null || e > v.length)
    e = v.length;
  return new u8(v.subarray(s, e));
};
var wbits = function(d, p, v) {
  v <<= p & 7;
  var o = p / 8 | 0;
  d[o] |= v;
  d[o + 1] |= v >> 8;
};
var wbits16 = function(d, p, v) {
  v <<= p & 7;
  var o = p / 8 | 0;
  d[o] |= v;
  d[o + 1] |= v >> 8;
  d[o + 2] |= v >> 16;
};
var hTree = function(d, mb) {
  var t = [];
  for (var i2 = 0; i2 < d.length; ++i2) {
    if (d[i2])
      t.push({ s: i2, f: d[i2] });
  }
  var s = t.length;
  var t2 = t.slice();
  if (!s)
    return { t: et, l: 0 };
  if (s == 1) {
    var v = new u8(t[0].s + 1);
    v[t[0].s] = 1;
    return { t: v, l: 1 };
  }
  t.sort(function(a, b) {
    return a.f - b.f;
  });
  t.push({ s: -1, f: 25001 });
  var l = t[0], r = t[1], i0 = 0, i1 = 1, i22 = 2;
  t[0] = { s: -1, f: l.f + r.f, l, r };
  while (i1 != s - 1) {
    l = t[t[i0].f < t[i22].f ? i0++ : i22++];
    r = t[i0 != i1 && t[i0].f < t[i22].f ? i0++ : i22++];
    t[i1++] = { s: -1, f: l.f + r.f, l, r };
  }
  var maxSym = t2[0].s;
  for (var i2 = 1; i2 < s; ++i2) {
    if (t2[i2].s > maxSym)
      maxSym = t2[i2].s;
  }
  var tr = new u16(maxSym + 1);
  var mbt = ln(t[i1 - 1], tr, 0);
  if (mbt > mb) {
    var i2 = 0, dt = 0;
    var lft = mbt - mb, cst = 1 << lft;
    t2.sort(function(a, b) {
      return tr[b.s] - tr[a.s] || a.f - b.f;
    });
    for (; i2 < s; ++i2) {
      var i2_1 = t2[i2].s;
      if (tr[i2_1] > mb) {
        dt += cst - (1 << mbt - tr[i2_1]);
        tr[i2_1] = mb;
      } else
        break;
    }
    dt >>= lft;
    while (dt > 0) {
      var i2_2 = t2[i2].s;
      if (tr[i2_2] < mb)
        dt -= 1 << mb - tr[i2_2]++ - 1;
      else
        ++i2;
    }
    for (; i2 >= 0 && dt; --i2) {
      var i2_3 = t2[i2].s;
      if (tr[i2_3] == mb) {
        --tr[i2_3];
        ++dt;
      }
    }
    mbt = mb;
  }
  return { t: new u8(tr), l: mbt };
};
var ln = function(n, l, d) {
  return n.s == -1 ? Math.max(ln(n.l, l, d + 1), ln(n.r, l, d + 1)) : l[n.s] = d;
};
var lc = function(c) {
  var s = c.length;
  while (s && !c[--s])
    ;
  var cl = new u16(++s);
  var cli = 0, cln = c[0], cls = 1;
  var w = function(v) {
    cl[cli++] = v;
  };
  for (var i2 = 1; i2 <= s; ++i2) {
    if (c[i2] == cln && i2 != s)
      ++cls;
    else {
      if (!cln && cls > 2) {
        for (; cls > 138; cls -= 138)
          w(32754);
        if (cls > 2) {
          w(cls > 10 ? cls - 11 << 5 | 28690 : cls - 3 << 5 | 12305);
          cls = 0;
        }
      } else if (cls > 3) {
        w(cln), --cls;
        for (; cls > 6; cls -= 6)
          w(8304);
        if (cls > 2)
          w(cls - 3 << 5 | 8208), cls = 0;
      }
      while (cls--)
        w(cln);
      cls = 1;
      cln = c[i2];
    }
  }
  return { c: cl.subarray(0, cli), n: s };
};
var clen = function(cf, cl) {
  var l = 0;
  for (var i2 = 0; i2 < cl.length; ++i2)
    l += cf[i2] * cl[i2];
  return l;
};
var wfblk = function(out, pos, dat) {
  var s = dat.length;
  var o = shft(pos + 2);
  out[o] = s & 255;
  out[o + 1] = s >> 8;
  out[o + 2] = out[o] ^ 255;
  out[o + 3] = out[o + 1] ^ 255;
  for (var i2 = 0; i2 < s; ++i2)
    out[o + i2 + 4] = dat[i2];
  return (o + 4 + s) * 8;
};
var wblk = function(dat, out, final, syms, lf, df, eb, li, bs, bl, p) {
  wbits(out, p++, final);
  ++lf[256];
  var _a2 = hTree(lf, 15), dlt = _a2.t, mlb = _a2.l;
  var _b2 = hTree(df, 15), ddt = _b2.t, mdb = _b2.l;
  var _c = lc(dlt), lclt = _c.c, nlc = _c.n;
  var _d = lc(ddt), lcdt = _d.c, ndc = _d.n;
  var lcfreq = new u16(19);
  for (var i2 = 0; i2 < lclt.length; ++i2)
    ++lcfreq[lclt[i2] & 31];
  for (var i2 = 0; i2 < lcdt.length; ++i2)
    ++lcfreq[lcdt[i2] & 31];
  var _e = hTree(lcfreq, 7), lct = _e.t, mlcb = _e.l;
  var nlcc = 19;
  for (; nlcc > 4 && !lct[clim[nlcc - 1]]; --nlcc)
    ;
  var flen = bl + 5 << 3;
  var ftlen = clen(lf, flt) + clen(df, fdt) + eb;
  var dtlen = clen(lf, dlt) + clen(df, ddt) + eb + 14 + 3 * nlcc + clen(lcfreq, lct) + 2 * lcfreq[16] + 3 * lcfreq[17] + 7 * lcfreq[18];
  if (bs >= 0 && flen <= ftlen && flen <= dtlen)
    return wfblk(out, p, dat.subarray(bs, bs + bl));
  var lm, ll, dm, dl;
  wbits(out, p, 1 + (dtlen < ftlen)), p += 2;
  if (dtlen < ftlen) {
    lm = hMap(dlt, mlb, 0), ll = dlt, dm = hMap(ddt, mdb, 0), dl = ddt;
    var llm = hMap(lct, mlcb, 0);
    wbits(out, p, nlc - 257);
    wbits(out, p + 5, ndc - 1);
    wbits(out, p + 10, nlcc - 4);
    p += 14;
    for (var i2 = 0; i2 < nlcc; ++i2)
      wbits(out, p + 3 * i2, lct[clim[i2]]);
    p += 3 * nlcc;
    var lcts = [lclt, lcdt];
    for (var it = 0; it < 2; ++it) {
      var clct = lcts[it];
      for (var i2 = 0; i2 < clct.length; ++i2) {
        var len = clct[i2] & 31;
        wbits(out, p, llm[len]), p += lct[len];
        if (len > 15)
          wbits(out, p, clct[i2] >> 5 & 127), p += clct[i2] >> 12;
      }
    }
  } else {
    lm = flm, ll = flt, dm = fdm, dl = fdt;
  }
  for (var i2 = 0; i2 < li; ++i2) {
    var sym = syms[i2];
    if (sym > 255) {
      var len = sym >> 18 & 31;
      wbits16(out, p, lm[len + 257]), p += ll[len + 257];
      if (len > 7)
        wbits(out, p, sym >> 23 & 31), p += fleb[len];
      var dst = sym & 31;
      wbits16(out, p, dm[dst]), p += dl[dst];
      if (dst > 3)
        wbits16(out, p, sym >> 5 & 8191), p += fdeb[dst];
    } else {
      wbits16(out, p, lm[sym]), p += ll[sym];
    }
  }
  wbits16(out, p, lm[256]);
  return p + ll[256];
};
var deo = /* @__PURE__ */ new i32([65540, 131080, 131088, 131104, 262176, 1048704, 1048832, 2114560, 2117632]);
var et = /* @__PURE__ */ new u8(0);
var dflt = function(dat, lvl, plvl, pre, post, st) {
  var s = st.z || dat.length;
  var o = new u8(pre + s + 5 * (1 + Math.ceil(s / 7e3)) + post);
  var w = o.subarray(pre, o.length - post);
  var lst = st.l;
  var pos = (st.r || 0) & 7;
  if (lvl) {
    if (pos)
      w[0] = st.r >> 3;
    var opt = deo[lvl - 1];
    var n = opt >> 13, c = opt & 8191;
    var msk_1 = (1 << plvl) - 1;
    var prev = st.p || new u16(32768), head = st.h || new u16(msk_1 + 1);
    var bs1_1 = Math.ceil(plvl / 3), bs2_1 = 2 * bs1_1;
    var hsh = function(i3) {
      return (dat[i3] ^ dat[i3 + 1] << bs1_1 ^ dat[i3 + 2] << bs2_1) & msk_1;
    };
    var syms = new i32(25e3);
    var lf = new u16(288), df = new u16(32);
    var lc_1 = 0, eb = 0, i2 = st.i || 0, li = 0, wi = st.w || 0, bs = 0;
    for (; i2 + 2 < s; ++i2) {
      var hv = hsh(i2);
      var imod = i2 & 32767, pimod = head[hv];
      prev[imod] = pimod;
      head[hv] = imod;
      if (wi <= i2) {
        var rem = s - i2;
        if ((lc_1 > 7e3 || li > 24576) && (rem > 423 || !lst)) {
          pos = wblk(dat, w, 0, syms, lf, df, eb, li, bs, i2 - bs, pos);
          li = lc_1 = eb = 0, bs = i2;
          for (var j = 0; j < 286; ++j)
            lf[j] = 0;
          for (var j = 0; j < 30; ++j)
            df[j] = 0;
        }
        var l = 2, d = 0, ch_1 = c, dif = imod - pimod & 32767;
        if (rem > 2 && hv == hsh(i2 - dif)) {
          var maxn = Math.min(n, rem) - 1;
          var maxd = Math.min(32767, i2);
          var ml = Math.min(258, rem);
          while (dif <= maxd && --ch_1 && imod != pimod) {
            if (dat[i2 + l] == dat[i2 + l - dif]) {
              var nl = 0;
              for (; nl < ml && dat[i2 + nl] == dat[i2 + nl - dif]; ++nl)
                ;
              if (nl > l) {
                l = nl, d = dif;
                if (nl > maxn)
                  break;
                var mmd = Math.min(dif, nl - 2);
                var md = 0;
                for (var j = 0; j < mmd; ++j) {
                  var ti = i2 - dif + j & 32767;
                  var pti = prev[ti];
                  var cd = ti - pti & 32767;
                  if (cd > md)
                    md = cd, pimod = ti;
                }
              }
            }
            imod = pimod, pimod = prev[imod];
            dif += imod - pimod & 32767;
          }
        }
        if (d) {
          syms[li++] = 268435456 | revfl[l] << 18 | revfd[d];
          var lin = revfl[l] & 31, din = revfd[d] & 31;
          eb += fleb[lin] + fdeb[din];
          ++lf[257 + lin];
          ++df[din];
          wi = i2 + l;
          ++lc_1;
        } else {
          syms[li++] = dat[i2];
          ++lf[dat[i2]];
        }
      }
    }
    for (i2 = Math.max(i2, wi); i2 < s; ++i2) {
      syms[li++] = dat[i2];
      ++lf[dat[i2]];
    }
    pos = wblk(dat, w, lst, syms, lf, df, eb, li, bs, i2 - bs, pos);
    if (!lst) {
      st.r = pos & 7 | w[pos / 8 | 0] << 3;
      pos -= 7;
      st.h = head, st.p = prev, st.i = i2, st.w = wi;
    }
  } else {
    for (var i2 = st.w || 0; i2 < s + lst; i2 += 65535) {
      var e = i2 + 65535;
      if (e >= s) {
        w[pos / 8 | 0] = lst;
        e = s;
      }
      pos = wfblk(w, pos + 1, dat.subarray(i2, e));
    }
    st.i = s;
  }
  return slc(o, 0, pre + shft(pos) + post);
};
var dopt = function(dat, opt, pre, post, st) {
  if (!st) {
    st = { l: 1 };
    if (opt.dictionary) {
      var dict = opt.dictionary.subarray(-32768);
      var newDat = new u8(dict.length + dat.length);
      newDat.set(dict);
      newDat.set(dat, dict.length);
      dat = newDat;
      st.w = dict.length;
    }
  }
  return dflt(dat, opt.level == null ? 6 : opt.level, opt.mem == null ? st.l ? Math.ceil(Math.max(8, Math.min(13, Math.log(dat.length))) * 1.5) : 20 : 12 + opt.mem, pre, post, st);
};
function deflateSync(data, opts) {
  return dopt(data, opts || {}, 0, 0);
}
var td = typeof TextDecoder != "undefined" && /* @__PURE__ */ new TextDecoder();
var tds = 0;
try {
  td.decode(et, { stream: true });
  tds = 1;
} catch (e) {
}

// src/archive/zip.ts
var FILE_MODE = 33188;
var EXEC_MODE = 33261;
var DIR_MODE = 16877;
var DOS_TIME = 0;
var DOS_DATE = 33;
var UTF8_FLAG = 2048;
var MADE_BY_UNIX = 3 << 8 | 30;
var U32 = 4294967295;
var U16 = 65535;
var DEFLATE_LEVEL = 6;
var readAsync = promisify(read);
var COPY_CHUNK = 4 << 20;
function directoryNames(names) {
  const dirs = /* @__PURE__ */ new Set();
  for (const n of names) {
    const parts = n.split("/");
    for (let i2 = 1; i2 < parts.length; i2++) dirs.add(parts.slice(0, i2).join("/") + "/");
  }
  return [...dirs];
}
var crcTable = null;
function crc322(buf) {
  const native = zlib.crc32;
  if (native) return native(buf) >>> 0;
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i2 = 0; i2 < buf.length; i2++) crc = crcTable[(crc ^ buf[i2]) & 255] ^ crc >>> 8;
  return (crc ^ -1) >>> 0;
}
async function readAll(s) {
  const chunks = [];
  for await (const c of s) chunks.push(c);
  return Buffer.concat(chunks);
}
var Sink = class {
  constructor(out) {
    this.out = out;
  }
  out;
  offset = 0;
  hash = createHash3("sha256");
  buffers = [Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK)];
  /** The buffer being filled, and how much of it is. */
  current = 0;
  filled = 0;
  /** The three buffers of copyAhead(), allocated with the first large member. */
  ahead = null;
  /** Where the next write lands in the file. */
  position = 0;
  /** The write in progress (at most one, from the other buffer); awaited before that buffer is reused. */
  inflight = Promise.resolve();
  /** Writes BUF after whatever is in flight, without waiting for it; BUF must stay untouched until the next start(). */
  async start(buf) {
    await this.inflight;
    const at = this.position;
    this.position += buf.length;
    const p = (async () => {
      for (let done = 0; done < buf.length; ) done += (await this.out.write(buf, done, buf.length - done, at + done)).bytesWritten;
    })();
    p.catch(() => void 0);
    this.inflight = p;
  }
  /**
   * Hashes the filled buffer, hands it to the file and switches to the other one (whose write is
   * then done). Gathered bytes are hashed a buffer at a time: a hash update per header was a
   * measurable part of a fast build.
   */
  async rotate() {
    if (!this.filled) return;
    const gathered = this.buffers[this.current].subarray(0, this.filled);
    this.hash.update(gathered);
    await this.start(gathered);
    this.current ^= 1;
    this.filled = 0;
  }
  async write(buf) {
    this.offset += buf.length;
    if (this.filled + buf.length > COPY_CHUNK) await this.rotate();
    if (buf.length > COPY_CHUNK) {
      this.hash.update(buf);
      await this.start(buf);
      return;
    }
    buf.copy(this.buffers[this.current], this.filled);
    this.filled += buf.length;
  }
  /** A raw member's stored bytes, read straight into the buffers, at most COPY_CHUNK at a time. */
  async copy(raw) {
    if (raw.readAsync && raw.compressedSize > 2 * COPY_CHUNK) return this.copyAhead(raw, raw.readAsync);
    for (let at = 0; at < raw.compressedSize; ) {
      if (this.filled === COPY_CHUNK) await this.rotate();
      const n = Math.min(COPY_CHUNK - this.filled, raw.compressedSize - at);
      raw.read(at, n, this.buffers[this.current].subarray(this.filled, this.filled + n));
      this.offset += n;
      this.filled += n;
      at += n;
    }
  }
  /**
   * A large member through three more buffers: chunk k+1 is read (thread pool) while chunk k is
   * hashed (here) and chunk k-1 is written (thread pool), so reading, hashing and writing overlap
   * instead of taking turns (profile of a 6.35 GB deps.pex: 4.8 s in readSync and 4.2 s hashing,
   * one after the other, on the main thread).
   */
  async copyAhead(raw, readAsync2) {
    await this.rotate();
    this.ahead ??= [Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK)];
    const bufs = this.ahead;
    const size2 = raw.compressedSize;
    const readChunk = (k) => readAsync2(k * COPY_CHUNK, Math.min(COPY_CHUNK, size2 - k * COPY_CHUNK), bufs[k % 3]);
    const count = Math.ceil(size2 / COPY_CHUNK);
    let next = readChunk(0);
    next.catch(() => void 0);
    for (let k = 0; k < count; k++) {
      const chunk = await next;
      if (k + 1 < count) {
        next = readChunk(k + 1);
        next.catch(() => void 0);
      }
      this.hash.update(chunk);
      this.offset += chunk.length;
      await this.start(chunk);
    }
    await this.inflight;
  }
  /** After a failure: lets the write in flight end, so the file can be closed and removed. */
  async abort() {
    await this.inflight.catch(() => void 0);
  }
  /** Everything accepted so far is hashed and on its way to the file. */
  async flush() {
    await this.rotate();
  }
  /** Everything accepted so far is in the file (or the first write error is thrown). */
  async settle() {
    await this.rotate();
    await this.inflight;
  }
};
var NO_EXTRA = Buffer.alloc(0);
function localHeader(e) {
  const zip64 = e.compressedSize >= U32 || e.uncompressedSize >= U32;
  const extra = zip64 ? Buffer.alloc(20) : NO_EXTRA;
  if (zip64) {
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(e.uncompressedSize), 4);
    extra.writeBigUInt64LE(BigInt(e.compressedSize), 12);
  }
  const h = Buffer.allocUnsafe(30 + e.name.length + extra.length);
  h.writeUInt32LE(67324752, 0);
  h.writeUInt16LE(zip64 ? 45 : 20, 4);
  h.writeUInt16LE(UTF8_FLAG, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc32, 14);
  h.writeUInt32LE(zip64 ? U32 : e.compressedSize, 18);
  h.writeUInt32LE(zip64 ? U32 : e.uncompressedSize, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  e.name.copy(h, 30);
  extra.copy(h, 30 + e.name.length);
  return h;
}
function centralHeader(e) {
  const fields = [];
  if (e.uncompressedSize >= U32) fields.push(BigInt(e.uncompressedSize));
  if (e.compressedSize >= U32) fields.push(BigInt(e.compressedSize));
  if (e.offset >= U32) fields.push(BigInt(e.offset));
  let extra = NO_EXTRA;
  if (fields.length) {
    extra = Buffer.alloc(4 + 8 * fields.length);
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(8 * fields.length, 2);
    fields.forEach((f, i2) => extra.writeBigUInt64LE(f, 4 + 8 * i2));
  }
  const h = Buffer.allocUnsafe(46 + e.name.length + extra.length);
  h.writeUInt32LE(33639248, 0);
  h.writeUInt16LE(MADE_BY_UNIX, 4);
  h.writeUInt16LE(fields.length ? 45 : 20, 6);
  h.writeUInt16LE(UTF8_FLAG, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc32, 16);
  h.writeUInt32LE(Math.min(e.compressedSize, U32), 20);
  h.writeUInt32LE(Math.min(e.uncompressedSize, U32), 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt16LE(0, 32);
  h.writeUInt16LE(0, 34);
  h.writeUInt16LE(0, 36);
  h.writeUInt32LE((e.mode << 16 | (e.isDir ? 16 : 0)) >>> 0, 38);
  h.writeUInt32LE(Math.min(e.offset, U32), 42);
  e.name.copy(h, 46);
  extra.copy(h, 46 + e.name.length);
  return h;
}
function endRecords(count, cdOffset, cdSize, commentLength) {
  const parts = [];
  const zip64 = count >= U16 || cdOffset >= U32 || cdSize >= U32;
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(101075792, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(MADE_BY_UNIX, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeUInt32LE(0, 16);
    rec.writeUInt32LE(0, 20);
    rec.writeBigUInt64LE(BigInt(count), 24);
    rec.writeBigUInt64LE(BigInt(count), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(117853008, 0);
    loc.writeUInt32LE(0, 4);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    parts.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(101010256, 0);
  eocd.writeUInt16LE(Math.min(count, U16), 8);
  eocd.writeUInt16LE(Math.min(count, U16), 10);
  eocd.writeUInt32LE(Math.min(cdSize, U32), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, U32), 16);
  eocd.writeUInt16LE(commentLength, 20);
  parts.push(eocd);
  return Buffer.concat(parts);
}
var DEFLATE_ID = `fflate-0.8.3-l${DEFLATE_LEVEL}`;
function compress(data) {
  if (data.length === 0) return { method: 0, bytes: data };
  const deflated = Buffer.from(deflateSync(data, { level: DEFLATE_LEVEL }));
  return deflated.length < data.length ? { method: 8, bytes: deflated } : { method: 0, bytes: data };
}
function storedBlocks(data) {
  const parts = [];
  for (let o = 0; o < data.length; o += U16) {
    const n = Math.min(U16, data.length - o);
    const h = Buffer.alloc(5);
    h.writeUInt16LE(n, 1);
    h.writeUInt16LE(~n & U16, 3);
    parts.push(h, data.subarray(o, o + n));
  }
  return Buffer.concat(parts);
}
function compressShared(data, from, cache) {
  const tail = data.subarray(from);
  const sha2 = createHash3("sha256").update(tail).digest("hex");
  let t = cache?.get(sha2) ?? null;
  if (!t) {
    const z = compress(tail);
    t = { method: z.method, crc32: crc322(tail), size: tail.length, bytes: z.bytes };
    cache?.put(sha2, t);
  }
  const joined = t.method === 8 ? Buffer.concat([storedBlocks(data.subarray(0, from)), t.bytes]) : data;
  return joined.length < data.length ? { method: 8, crc32: crc322(data), size: data.length, bytes: joined } : { method: 0, crc32: crc322(data), size: data.length, bytes: data };
}
async function writeArchive(outFile, entries, opts = {}) {
  const seen = /* @__PURE__ */ new Set();
  for (const e of entries) {
    if (seen.has(e.name))
      throw new BuildError(`two files would be ${e.name} in ${basename3(outFile)}`, {
        hint: "rename one of them or leave one out with an exclude"
      });
    seen.add(e.name);
  }
  const dirs = directoryNames(entries.map((e) => e.name)).filter((d) => !seen.has(d));
  const all = [...entries, ...dirs.map((name) => ({ name, dir: true }))];
  const key = new Map(all.map((e) => [e, Buffer.from(e.name, "utf8")]));
  all.sort((a, b) => Buffer.compare(key.get(a), key.get(b)));
  const makeComment = typeof opts.comment === "function" ? opts.comment : () => opts.comment ?? "";
  const commentLength = Buffer.byteLength(makeComment("0".repeat(64)), "latin1");
  if (commentLength > U16) throw new BuildError(`the zip comment of ${basename3(outFile)} is longer than ${U16} bytes`);
  let bodySha256 = "";
  await mkdir3(dirname4(outFile), { recursive: true }).catch((err) => {
    throw writeError(dirname4(outFile), err);
  });
  sweepTemps(dirname4(outFile), basename3(outFile));
  const tmp = tmpPath(dirname4(outFile), basename3(outFile));
  let out = null;
  let sink = null;
  try {
    out = await openFile(tmp, "w", 493);
    sink = new Sink(out);
    if (opts.prefix) await sink.write(Buffer.from(opts.prefix, "utf8"));
    const written = [];
    for (const e of all) {
      const name = key.get(e);
      const mode = "dir" in e ? DIR_MODE : e.executable ? EXEC_MODE : FILE_MODE;
      const rec = {
        name,
        method: 0,
        crc32: 0,
        compressedSize: 0,
        uncompressedSize: 0,
        offset: sink.offset,
        mode,
        isDir: "dir" in e
      };
      if ("raw" in e) {
        Object.assign(rec, {
          method: e.raw.method,
          crc32: e.raw.crc32,
          compressedSize: e.raw.compressedSize,
          uncompressedSize: e.raw.uncompressedSize
        });
        await sink.write(localHeader(rec));
        await sink.copy(e.raw);
      } else if (!("dir" in e)) {
        const shared = "data" in e && e.sharedFrom !== void 0 ? compressShared(e.data, e.sharedFrom, opts.cache) : null;
        const sha2 = shared ? void 0 : "sha256" in e ? e.sha256 : "data" in e && opts.cache ? createHash3("sha256").update(e.data).digest("hex") : void 0;
        let c = shared ?? (sha2 ? opts.cache?.get(sha2) ?? null : null);
        if (!c) {
          const data = "data" in e ? e.data : e.path && e.size < 1 << 24 ? readFileSync(e.path) : await readAll(await e.open());
          const z = compress(data);
          c = { method: z.method, crc32: crc322(data), size: data.length, bytes: z.bytes };
          if (sha2) opts.cache?.put(sha2, c);
        }
        Object.assign(rec, { method: c.method, crc32: c.crc32, compressedSize: c.bytes.length, uncompressedSize: c.size });
        await sink.write(localHeader(rec));
        await sink.write(c.bytes);
      } else {
        await sink.write(localHeader(rec));
      }
      written.push(rec);
    }
    const cdOffset = sink.offset;
    for (const rec of written) await sink.write(centralHeader(rec));
    await sink.write(endRecords(written.length, cdOffset, sink.offset - cdOffset, commentLength));
    await sink.flush();
    bodySha256 = sink.hash.copy().digest("hex");
    const comment = Buffer.from(makeComment(bodySha256), "latin1");
    if (comment.length !== commentLength) throw new Error("zip comment length depends on the body hash");
    await sink.write(comment);
    await sink.settle();
    await out.close();
    out = null;
    await rename2(tmp, outFile);
  } catch (err) {
    await sink?.abort();
    await out?.close().catch(() => void 0);
    await rm2(tmp, { force: true });
    const code = err.code;
    throw code === "ENOSPC" || code === "EDQUOT" ? writeError(outFile, err) : err;
  }
  return { sha256: sink.hash.digest("hex"), size: sink.offset, bodySha256 };
}
var DAMAGED = "the file is damaged or not a zip: delete it and build or fetch it again";
async function openZip(file) {
  const { default: yauzlLib } = await import("./yauzl-S3H6RZL2.js");
  const fd2 = openSync2(file, "r");
  return new Promise((resolve8, reject) => {
    yauzlLib.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false }, (err, zf) => {
      if (err || !zf) {
        closeSync2(fd2);
        return reject(new BuildError(`${file} is not a readable zip: ${err?.message ?? "no archive"}`, { hint: DAMAGED }));
      }
      const byName = /* @__PURE__ */ new Map();
      const dataStart = /* @__PURE__ */ new Map();
      const members = [];
      zf.on("entry", (entry) => {
        const mode = entry.externalFileAttributes >>> 16 & 65535;
        byName.set(entry.fileName, entry);
        members.push({
          name: entry.fileName,
          size: entry.uncompressedSize,
          mode,
          isDirectory: entry.fileName.endsWith("/"),
          isSymlink: (mode & 61440) === 40960,
          method: entry.compressionMethod,
          crc32: entry.crc32 >>> 0,
          compressedSize: entry.compressedSize
        });
        zf.readEntry();
      });
      zf.on("error", (e) => {
        zf.close();
        closeSync2(fd2);
        reject(new BuildError(`${file} is not a readable zip: ${e.message}`, { hint: DAMAGED }));
      });
      zf.on("end", () => {
        const open2 = (name, decode) => new Promise((res, rej) => {
          const entry = byName.get(name);
          if (!entry) return rej(new BuildError(`${file} has no entry ${name}`, { hint: DAMAGED }));
          const done = (e, s) => e || !s ? rej(new BuildError(`cannot read ${name} in ${file}: ${e?.message ?? "no data"}`, { hint: DAMAGED })) : res(s);
          if (decode) zf.openReadStream(entry, done);
          else zf.openReadStream(entry, { decodeFileData: false }, done);
        });
        const locate = (name, offset, length, into) => {
          const entry = byName.get(name);
          if (!entry) throw new BuildError(`${file} has no entry ${name}`, { hint: DAMAGED });
          let start = dataStart.get(name);
          if (start === void 0) {
            const head = Buffer.alloc(30);
            if (readSync2(fd2, head, 0, 30, entry.relativeOffsetOfLocalHeader) !== 30 || head.readUInt32LE(0) !== 67324752) {
              throw new BuildError(`${file}: bad local header for ${name}`, { hint: DAMAGED });
            }
            start = entry.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
            if (length !== void 0 && offset + length < entry.compressedSize) dataStart.set(name, start);
          }
          const n = length ?? entry.compressedSize - offset;
          if (offset < 0 || n < 0 || offset + n > entry.compressedSize)
            throw new BuildError(`${file}: read past the end of ${name}`, { hint: DAMAGED });
          const data = into ? into.subarray(0, n) : Buffer.allocUnsafe(n);
          if (data.length !== n) throw new Error(`readRaw: a ${into?.length}-byte buffer cannot hold ${n} bytes`);
          if (offset + n >= entry.compressedSize) dataStart.delete(name);
          return { data, position: start + offset };
        };
        resolve8({
          members,
          open: (name) => open2(name, true),
          readRaw: (name, offset = 0, length, into) => {
            const { data, position } = locate(name, offset, length, into);
            for (let got = 0; got < data.length; ) {
              const r = readSync2(fd2, data, got, data.length - got, position + got);
              if (r === 0) throw new BuildError(`${file}: ${name} is truncated`, { hint: DAMAGED });
              got += r;
            }
            return data;
          },
          readRawAsync: async (name, offset, length, into) => {
            const { data, position } = locate(name, offset, length, into);
            for (let got = 0; got < data.length; ) {
              const { bytesRead } = await readAsync(fd2, data, got, data.length - got, position + got);
              if (bytesRead === 0) throw new BuildError(`${file}: ${name} is truncated`, { hint: DAMAGED });
              got += bytesRead;
            }
            return data;
          },
          read: async (name) => readAll(await open2(name, true)),
          close: () => {
            zf.close();
            closeSync2(fd2);
          }
        });
      });
      zf.readEntry();
    });
  });
}

// src/deploy/artifacts.ts
async function resolveSha(store, query) {
  const q = query.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(q)) throw new UsageError(`'${query}' is not a sha256 or a prefix of one (4 to 64 hex digits)`);
  if (q.length === 64) return q;
  const matches = (await store.list(`sha256/${q}`)).filter((k) => k.endsWith(".pex")).map((k) => basename4(k, ".pex"));
  if (matches.length === 0) throw new UsageError(`no archive in ${store.url} has a sha256 starting with ${q} \u2014 check it with pexpress log`);
  if (matches.length > 1) throw new UsageError(`${q} is ambiguous in ${store.url}: ${matches.join(", ")} \u2014 give more digits`);
  return matches[0];
}
async function readPexInfo(file) {
  const zip = await openZip(file);
  try {
    const text = (await zip.read("PEX-INFO")).toString("utf8");
    try {
      return JSON.parse(text);
    } catch {
      throw new BuildError(`${file} has a PEX-INFO that is not JSON`, {
        hint: "the archive is damaged or not a pexpress archive: fetch it again"
      });
    }
  } finally {
    zip.close();
  }
}
async function lookup(store, query, cache, warn) {
  const sha256 = await resolveSha(store, query);
  const key = archiveKey(sha256);
  const head = await store.head(key);
  if (!head) throw new BuildError(`no archive ${sha256} in ${store.url}`);
  const manifest = await readManifest(store, sha256, warn);
  const info = {
    sha256,
    kind: "unknown",
    size: head.size,
    key: fullKey(store, key),
    url: store.urlFor(key),
    fingerprint: head.metadata["pexpress-fingerprint"] || null,
    commit: head.metadata["pexpress-commit"] || null,
    ref: null,
    deps: null
  };
  if (manifest) {
    info.kind = "source";
    info.fingerprint = manifest.fingerprint;
    info.commit = manifest.commit;
    info.ref = manifest.ref;
    info.deps = { sha256: manifest.deps.sha256, key: fullKey(store, archiveKey(manifest.deps.sha256)) };
    return info;
  }
  const kind = head.metadata["pexpress-kind"];
  if (kind === "deps" || kind === "source") {
    info.kind = kind;
    return info;
  }
  const local = store.localPath?.(key) ?? await fetchToCache(store, sha256, cache);
  const pexInfo = await readPexInfo(local);
  info.kind = pexInfo.pexpress.kind;
  info.fingerprint = pexInfo.pexpress.fingerprint;
  if (pexInfo.pexpress.deps)
    info.deps = { sha256: pexInfo.pexpress.deps.sha256, key: fullKey(store, archiveKey(pexInfo.pexpress.deps.sha256)) };
  return info;
}
async function fetchArchive(store, sha256, file) {
  const dest = resolve2(file);
  await mkdir4(dirname5(dest), { recursive: true });
  sweepTemps(dirname5(dest), basename4(dest));
  const tmp = tmpPath(dirname5(dest), basename4(dest));
  const hash = createHash4("sha256");
  try {
    let body;
    let info;
    try {
      [body, info] = await Promise.all([store.openRead(archiveKey(sha256)), store.head(archiveKey(sha256)).catch(() => null)]);
    } catch {
      throw new BuildError(`no archive ${sha256} in ${store.url} \u2014 check the sha256 with pexpress lookup`);
    }
    const transfer = startTransfer(`fetching ${sha256.slice(0, 12)}`, info?.size ?? null);
    try {
      await pipeline(
        body,
        new Transform({
          transform(c, _e, cb) {
            hash.update(c);
            transfer.add(c.length);
            cb(null, c);
          }
        }),
        // 1 MiB before backpressure (the default is 16 KiB): fewer, larger writes; fetching 1 GiB
        // from versitygw on loopback took 1.2–1.7 s of system time with the default, 0.8 s with this.
        createWriteStream(tmp, { mode: 493, highWaterMark: 1 << 20 })
      ).catch((err) => {
        if (err.code && err.syscall) throw writeError(dest, err);
        throw new BuildError(
          `reading ${store.urlFor(archiveKey(sha256))} failed: ${String(err.message).split("\n")[0]} \u2014 nothing written; retry`
        );
      });
    } finally {
      transfer.done();
    }
    const got = hash.digest("hex");
    if (got !== sha256) {
      throw new BuildError(
        `archive ${sha256} in ${store.url} is corrupt (its bytes hash to ${got}); nothing written \u2014 rebuild it (pexpress build --force-full) or fetch from another store`
      );
    }
    await rename3(tmp, dest);
  } finally {
    await rm3(tmp, { force: true });
  }
}
async function fetchToCache(store, sha256, cache) {
  const path = join5(cache, "archives", `${sha256}.pex`);
  if (await isVerified(path, sha256)) return path;
  await rm3(path, { force: true });
  await fetchArchive(store, sha256, path);
  await rememberVerified(path, sha256);
  return path;
}
async function prepareRun(store, query, cache) {
  const sha256 = await resolveSha(store, query);
  const source = await fetchToCache(store, sha256, cache);
  const info = await readPexInfo(source);
  if (info.pexpress.kind !== "source")
    throw new UsageError(`${sha256.slice(0, 12)} is a ${info.pexpress.kind} archive \u2014 pexpress run takes a source archive's sha256`);
  const deps = info.pexpress.deps ? await fetchToCache(store, info.pexpress.deps.sha256, cache) : null;
  return { source, deps, python: info.pexpress.python };
}

// src/deploy/envs.ts
var ENV_HISTORY = 10;
function checkEnvName(env) {
  if (!ENV_NAME.test(env)) {
    throw new UsageError(`'${env}' is not an environment name \u2014 use letters, digits, '.', '_' and '-' (e.g. production, staging-eu)`);
  }
  return env;
}
var isPromotion = (p) => {
  const x2 = p;
  return !!x2 && isSha256(x2.source?.sha256) && isSha256(x2.deps?.sha256) && typeof x2.promotedAt === "string";
};
function asEnvRecord(value) {
  const r = value;
  if (!r || typeof r !== "object" || r.schema !== 1 || !isPromotion(r.current)) return null;
  return { ...r, history: Array.isArray(r.history) ? r.history.filter(isPromotion) : [] };
}
async function readJson(store, key) {
  const text = await store.getText(key);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
async function readEnvRecord(store, env) {
  return asEnvRecord(await readJson(store, envKey(checkEnvName(env))));
}
async function promotedSource(store, env) {
  const record = await readEnvRecord(store, env);
  if (!record) throw new UsageError(`nothing is promoted to '${env}' in ${store.url} \u2014 run pexpress promote <sha256> --to ${env} first`);
  return record.current.source.sha256;
}
async function promote(store, query, env, warn, now = /* @__PURE__ */ new Date()) {
  checkEnvName(env);
  const sha256 = await resolveSha(store, query);
  const manifest = await readManifest(store, sha256, warn);
  if (!manifest) {
    throw new UsageError(
      `${sha256.slice(0, 12)} is not a source archive built into ${store.url} \u2014 promote the source.pex sha256 a build printed`
    );
  }
  for (const sha2 of [manifest.source.sha256, manifest.deps.sha256]) {
    const state = await store.verify(archiveKey(sha2), sha2);
    if (state !== "ok")
      throw new BuildError(`archive ${sha2} is ${state} in ${store.url} \u2014 rebuild it before promoting (pexpress build --force-full)`);
  }
  const current = {
    source: { sha256 },
    deps: { sha256: manifest.deps.sha256 },
    commit: manifest.commit,
    ref: manifest.ref,
    promotedAt: now.toISOString()
  };
  const key = envKey(env);
  const before = await store.getJsonVersioned(key);
  const prev = before ? asEnvRecord(before.value) : null;
  const record = {
    schema: 1,
    env,
    current,
    history: prev ? [prev.current, ...prev.history].slice(0, ENV_HISTORY) : []
  };
  if (!await store.putJsonIf(key, record, before?.version ?? null)) {
    const winner = await readEnvRecord(store, env);
    throw new BuildError(
      `another promotion to '${env}' was written at the same time (now ${winner?.current.source.sha256.slice(0, 12) ?? "unknown"}) \u2014 check pexpress log and promote again if yours should win`
    );
  }
  return { env, key, current, previous: prev?.current ?? null };
}

// src/platform/version.ts
var PEXPRESS_VERSION = "0.1.0";
var DEPS_LAYOUT_VERSION = 2;

// src/platform/tools.ts
import { access as access2, constants as constants2 } from "node:fs";
import { mkdir as mkdir5, open, readFile as readFile3, realpath, stat as stat3, writeFile as writeFile3 } from "node:fs/promises";
import { homedir } from "node:os";
import { basename as basename5, delimiter, dirname as dirname6, join as join6 } from "node:path";

// src/platform/process.ts
import { spawn } from "node:child_process";
var GUARD = 'exec 4<&0; "$@" <&4 4<&- 3<&- & c=$!; { read -r x <&3; kill -KILL 0; } 4<&- & w=$!; wait $c; s=$?; kill $w 2>/dev/null; exit $s';
var runProcess = (cmd, args, opts = {}) => new Promise((resolve8, reject) => {
  const child = spawn("/bin/sh", ["-c", GUARD, "pexpress-guard", cmd, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: [opts.input === void 0 ? "ignore" : "pipe", "pipe", "pipe", "pipe"],
    detached: true
  });
  const out = [];
  const err = [];
  let timedOut2 = false;
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
    }
  };
  const timer = opts.timeoutMs ? setTimeout(() => {
    timedOut2 = true;
    killGroup();
  }, opts.timeoutMs) : null;
  child.stdout.on("data", (b) => out.push(b));
  child.stderr.on("data", (b) => err.push(b));
  child.on("error", (e) => {
    if (timer) clearTimeout(timer);
    reject(e);
  });
  child.on("close", (code) => {
    if (timer) clearTimeout(timer);
    killGroup();
    child.stdio[3]?.end?.();
    const stderr = Buffer.concat(err).toString("utf8");
    if (code === 127 && /not found|No such file/.test(stderr) && !out.length) {
      reject(Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: "ENOENT", path: cmd }));
      return;
    }
    resolve8({
      code: timedOut2 ? 124 : code ?? 1,
      stdout: Buffer.concat(out).toString("utf8"),
      stderr,
      ...timedOut2 ? { timedOut: timedOut2 } : {}
    });
  });
  const guardPipe = child.stdio[3];
  guardPipe?.on("error", () => void 0);
  if (child.stdin) {
    child.stdin.on("error", () => void 0);
    child.stdin.end(opts.input);
  }
});

// src/platform/tools.ts
function cacheDir(env = process.env) {
  const dir = readEnv("PEXPRESS_CACHE_DIR", env);
  if (dir) return dir;
  const base = readEnv("XDG_CACHE_HOME", env) || join6(homedir(), ".cache");
  return join6(base, "pexpress");
}
function isExecutable(path) {
  return new Promise((res) => access2(path, constants2.X_OK, (err) => res(!err)));
}
async function which(cmd, env = process.env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && await isExecutable(join6(dir, cmd))) return join6(dir, cmd);
  }
  return null;
}
function hostPython(env = process.env) {
  return readEnv("PEXPRESS_PYTHON", env) || "python3";
}
var identityOf = (st) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
async function pyenvTarget(shim, env) {
  const text = await readFile3(shim, "utf8").catch(() => "");
  const root = /^export PYENV_ROOT="([^"]+)"$/m.exec(text)?.[1];
  if (!text.startsWith("#!") || !root || !/\/libexec\/pyenv" exec /.test(text)) return null;
  const firstWord = (t) => t.split(/\s+/).find((w) => w && !w.startsWith("#")) ?? null;
  let version = env.PYENV_VERSION ? firstWord(env.PYENV_VERSION.replace(/:/g, " ")) : null;
  for (let dir = env.PYENV_DIR || process.cwd(); !version; ) {
    version = firstWord(await readFile3(join6(dir, ".python-version"), "utf8").catch(() => ""));
    if (dirname6(dir) === dir) break;
    dir = dirname6(dir);
  }
  version ??= firstWord(await readFile3(join6(root, "version"), "utf8").catch(() => ""));
  if (!version || version === "system" || version.includes("/")) return null;
  const bin = join6(root, "versions", version, "bin", basename5(shim));
  return await isExecutable(bin) ? bin : null;
}
async function hostPythonVersion(run = runProcess, env = process.env) {
  const cmd = hostPython(env);
  const found = cmd.includes("/") ? cmd : await which(cmd, env);
  let real = null;
  let identity2 = null;
  const memoFile = join6(cacheDir(env), "python-probe.json");
  if (found) {
    try {
      real = await realpath(await pyenvTarget(found, env) ?? found);
      const named = /^python(3)\.(\d{1,2})$/.exec(basename5(real));
      if (named) return `${named[1]}.${Number(named[2])}`;
      const st = await stat3(real);
      const head = Buffer.alloc(2);
      const fh = await open(real, "r");
      try {
        await fh.read(head, 0, 2, 0);
      } finally {
        await fh.close();
      }
      if (head.toString("latin1") !== "#!") identity2 = identityOf(st);
      if (identity2) {
        const memo = JSON.parse(await readFile3(memoFile, "utf8").catch(() => "null"));
        if (memo && memo.path === real && memo.identity === identity2 && /^3\.\d+$/.test(memo.version)) return memo.version;
      }
    } catch {
    }
  }
  try {
    const r = await run(cmd, ["-c", 'import sys; print("%d.%d" % sys.version_info[:2])']);
    if (r.code !== 0) return null;
    const version = r.stdout.trim();
    if (real && identity2 && /^3\.\d+$/.test(version)) {
      const memo = { path: real, identity: identity2, version };
      await mkdir5(dirname6(memoFile), { recursive: true }).then(() => writeFile3(memoFile, JSON.stringify(memo))).catch(() => void 0);
    }
    return version;
  } catch {
    return null;
  }
}
async function findTools(requested, log, run = runProcess) {
  const python = hostPython();
  Object.assign(process.env, toolTrustEnv(process.env, join6(cacheDir(), "ca")));
  if (requested === "pip") return { resolver: "pip", uv: null, python };
  const onPath = readEnv("PEXPRESS_UV") || await which("uv");
  if (onPath) return { resolver: "uv", uv: onPath, python };
  const venv = join6(cacheDir(), "tools", "venv");
  const venvUv = join6(venv, "bin", "uv");
  if (await isExecutable(venvUv)) return { resolver: "uv", uv: venvUv, python };
  log.info(`installing uv into ${venv} (once)`);
  const steps = [
    [python, ["-m", "venv", venv]],
    [join6(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv"]]
  ];
  for (const [cmd, args] of steps) {
    const r = await run(cmd, args).catch((e) => ({ code: 1, stdout: "", stderr: e.message }));
    if (r.code !== 0) {
      if (requested === "uv")
        throw new BuildError(
          `cannot install uv into ${venv}: ${r.stderr.trim().split("\n").pop()} \u2014 install uv on PATH or set ${optionRef("resolver")} to pip`
        );
      log.warn(`uv is not available (${r.stderr.trim().split("\n").pop()}); resolving with pip`);
      return { resolver: "pip", uv: null, python };
    }
  }
  return { resolver: "uv", uv: venvUv, python };
}

// src/build/build.ts
import { createHash as createHash11 } from "node:crypto";
import { stat as stat9 } from "node:fs/promises";
import { dirname as dirname11, join as join18, relative as relative5, resolve as resolve7, sep as sep4 } from "node:path";

// src/archive/project-cache.ts
import { createHash as createHash5 } from "node:crypto";
import { mkdirSync, readFileSync as readFileSync2, renameSync, writeFileSync } from "node:fs";
import { basename as basename6, join as join7 } from "node:path";
var RECORD_HEADER = 32 + 1 + 4 + 8 + 8;
var PACK_SLACK_FILES = 16;
var PACK_SLACK_BYTES = 32 * 1024;
function projectDeflateCache(cacheDir2, projectDir) {
  const dir = join7(cacheDir2, "deflate", DEFLATE_ID);
  const file = join7(dir, createHash5("sha256").update(projectDir).digest("hex").slice(0, 32) + ".pack");
  const previous = /* @__PURE__ */ new Map();
  const used = /* @__PURE__ */ new Map();
  try {
    const buf = readFileSync2(file);
    let o = 0;
    while (o + RECORD_HEADER <= buf.length) {
      const sha2 = buf.toString("hex", o, o + 32);
      const method = buf[o + 32];
      const crc323 = buf.readUInt32LE(o + 33);
      const size2 = Number(buf.readBigUInt64LE(o + 37));
      const csize = Number(buf.readBigUInt64LE(o + 45));
      if (o + RECORD_HEADER + csize > buf.length) break;
      previous.set(sha2, { method, crc32: crc323, size: size2, bytes: buf.subarray(o + RECORD_HEADER, o + RECORD_HEADER + csize) });
      o += RECORD_HEADER + csize;
    }
  } catch {
  }
  return {
    get(sha2) {
      const hit = previous.get(sha2) ?? used.get(sha2) ?? null;
      if (hit) used.set(sha2, hit);
      return hit;
    },
    put(sha2, value) {
      used.set(sha2, value);
    },
    // Only what this build used is kept, so the pack tracks the project instead of growing.
    save() {
      let added = 0;
      let addedBytes = 0;
      for (const [sha2, e] of used)
        if (!previous.has(sha2)) {
          added++;
          addedBytes += e.size;
        }
      const dropped = previous.size - (used.size - added);
      if (previous.size && added <= PACK_SLACK_FILES && addedBytes <= PACK_SLACK_BYTES && dropped * 4 <= previous.size) return;
      try {
        let total = 0;
        for (const e of used.values()) total += RECORD_HEADER + e.bytes.length;
        const buf = Buffer.allocUnsafe(total);
        let o = 0;
        for (const [sha2, e] of used) {
          buf.write(sha2, o, "hex");
          buf[o + 32] = e.method;
          buf.writeUInt32LE(e.crc32, o + 33);
          buf.writeBigUInt64LE(BigInt(e.size), o + 37);
          buf.writeBigUInt64LE(BigInt(e.bytes.length), o + 45);
          o += RECORD_HEADER + e.bytes.copy(buf, o + RECORD_HEADER);
        }
        mkdirSync(dir, { recursive: true });
        sweepTemps(dir);
        const tmp = tmpPath(dir, basename6(file));
        writeFileSync(tmp, buf);
        renameSync(tmp, file);
      } catch {
      }
    }
  };
}
function projectHashMemo(cacheDir2, projectDir) {
  const dir = join7(cacheDir2, "hashes");
  const file = join7(dir, createHash5("sha256").update(projectDir).digest("hex").slice(0, 32) + ".tsv");
  const known = /* @__PURE__ */ new Map();
  try {
    for (const line of readFileSync2(file, "utf8").split("\n")) {
      const [name, identity2, sha2] = line.split("	");
      if (name && identity2 && sha2) known.set(name, [identity2, sha2]);
    }
  } catch {
  }
  const next = /* @__PURE__ */ new Map();
  return {
    get(name, identity2) {
      const hit = known.get(name);
      return hit && hit[0] === identity2 ? hit[1] : void 0;
    },
    set(name, identity2, sha2) {
      next.set(name, [identity2, sha2]);
    },
    save() {
      if ([...next].every(([name, [identity2]]) => known.get(name)?.[0] === identity2)) return;
      for (const [name, v] of known) if (!next.has(name)) next.set(name, v);
      try {
        mkdirSync(dir, { recursive: true });
        sweepTemps(dir);
        const tmp = tmpPath(dir, basename6(file));
        writeFileSync(tmp, [...next].map(([n, [i2, s]]) => `${n}	${i2}	${s}`).join("\n") + "\n");
        renameSync(tmp, file);
      } catch {
      }
    }
  };
}

// src/python/requirements.ts
import { readFile as readFile4, stat as stat4 } from "node:fs/promises";
import { dirname as dirname7, isAbsolute as isAbsolute2, join as join8, relative as relative2, resolve as resolve3, sep } from "node:path";

// src/python/target.ts
var SUPPORTED_PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];
var SUPPORTED_PLATFORMS = ["linux_x86_64", "linux_aarch64"];
var TargetError = class extends Error {
};
var LEGACY_MANYLINUX = { manylinux1: "2.5", manylinux2010: "2.12", manylinux2014: "2.17" };
var UV_GLIBC = ["2.17", "2.28", "2.31", "2.32", "2.33", "2.34", "2.35", "2.36", "2.37", "2.38", "2.39", "2.40"];
function parseGlibc(input) {
  if (!input) return "2.28";
  const s = input.trim().toLowerCase();
  if (LEGACY_MANYLINUX[s]) return LEGACY_MANYLINUX[s];
  const m = /^(?:manylinux_)?(2)[_.](\d+)$/.exec(s);
  if (m && Number(m[2]) >= 5 && Number(m[2]) <= 45) return `${m[1]}.${Number(m[2])}`;
  throw new TargetError(
    `unknown manylinux floor '${input}' \u2014 use manylinux_2_28 (default), manylinux_2_17/manylinux2014 or another manylinux_2_NN`
  );
}
function parseTarget(input, host) {
  let python = (input.python ?? host.python).trim();
  const cp = /^cp3(\d+)$/.exec(python);
  if (cp) python = `3.${cp[1]}`;
  const m = /^(3)\.(\d+)(?:\.\d+)?$/.exec(python);
  const minor = m ? `${m[1]}.${Number(m[2])}` : python;
  if (!SUPPORTED_PYTHONS.includes(minor)) {
    throw new TargetError(
      `unknown python version '${input.python ?? host.python}': pexpress supports ${SUPPORTED_PYTHONS.join(", ")} \u2014 set ${optionRef("python")} to X.Y`
    );
  }
  const platform = (input.platform ?? host.platform ?? "linux_x86_64").trim();
  if (!SUPPORTED_PLATFORMS.includes(platform)) {
    throw new TargetError(
      `unknown platform '${input.platform}': pexpress supports ${SUPPORTED_PLATFORMS.join(", ")} \u2014 set ${optionRef("platform")} to linux_x86_64 or linux_aarch64`
    );
  }
  return { python: minor, platform, glibc: parseGlibc(input.manylinux), implementation: "cp" };
}
var arch = (t) => t.platform === "linux_x86_64" ? "x86_64" : "aarch64";
var minorOf = (t) => Number(t.python.split(".")[1]);
var glibcMinor = (t) => Number(t.glibc.split(".")[1]);
function uvPythonPlatform(t) {
  const floor = [...UV_GLIBC].reverse().find((g) => Number(g.split(".")[1]) <= glibcMinor(t)) ?? "2.17";
  return `${arch(t)}-manylinux_${floor.replace(".", "_")}`;
}
function platformTags(t) {
  const a = arch(t);
  const tags = [];
  const lowest = a === "x86_64" ? 5 : 17;
  for (let minor = glibcMinor(t); minor >= lowest; minor--) {
    tags.push(`manylinux_2_${minor}_${a}`);
    const legacy = Object.entries(LEGACY_MANYLINUX).find(([, g]) => g === `2.${minor}`);
    if (legacy) tags.push(`${legacy[0]}_${a}`);
  }
  tags.push(`linux_${a}`);
  return tags;
}
function pipPlatformArgs(t) {
  const args = [];
  for (const p of platformTags(t)) args.push("--platform", p);
  args.push(
    "--python-version",
    t.python,
    "--implementation",
    "cp",
    "--abi",
    `cp3${minorOf(t)}`,
    "--abi",
    "abi3",
    "--abi",
    "none",
    "--only-binary=:all:"
  );
  return args;
}
var ladders = /* @__PURE__ */ new Map();
function tagLadder(t) {
  const key = `${t.python}/${t.platform}/${t.glibc}`;
  const hit = ladders.get(key);
  if (hit) return hit;
  const minor = minorOf(t);
  const plats = platformTags(t);
  const interp = `cp3${minor}`;
  const tags = [];
  for (const p of plats) tags.push(`${interp}-${interp}-${p}`);
  for (const p of plats) tags.push(`${interp}-abi3-${p}`);
  for (const p of plats) tags.push(`${interp}-none-${p}`);
  for (let m = minor - 1; m >= 2; m--) for (const p of plats) tags.push(`cp3${m}-abi3-${p}`);
  const pyVersions = [`py3${minor}`, "py3", ...Array.from({ length: minor }, (_, i2) => `py3${minor - 1 - i2}`)];
  for (const v of pyVersions) for (const p of plats) tags.push(`${v}-none-${p}`);
  tags.push(`${interp}-none-any`);
  for (const v of pyVersions) tags.push(`${v}-none-any`);
  ladders.set(key, tags);
  return tags;
}
var rankMaps = /* @__PURE__ */ new Map();
function parseWheelFilename(filename) {
  const base = filename.replace(/\.whl$/, "");
  const parts = base.split("-");
  if (!filename.endsWith(".whl") || parts.length !== 5 && parts.length !== 6) {
    throw new TargetError(`'${filename}' is not a wheel file name (name-version[-build]-python-abi-platform.whl)`);
  }
  const [distribution, version] = parts;
  const build2 = parts.length === 6 ? parts[2] : null;
  const [pys, abis, plats] = parts.slice(-3);
  const tags = [];
  for (const py of pys.split("."))
    for (const abi of abis.split(".")) for (const plat of plats.split(".")) tags.push(`${py}-${abi}-${plat}`);
  return { distribution, version, build: build2, tags, filename };
}
function wheelRank(t, filename) {
  const key = `${t.python}/${t.platform}/${t.glibc}`;
  let ranks = rankMaps.get(key);
  if (!ranks) {
    ranks = new Map(tagLadder(t).map((tag, i2) => [tag, i2]));
    rankMaps.set(key, ranks);
  }
  let best = null;
  for (const tag of parseWheelFilename(filename).tags) {
    const r = ranks.get(tag);
    if (r !== void 0 && (best === null || r < best)) best = r;
  }
  return best;
}
function bestWheel(t, wheels) {
  let best = null;
  let bestRank = Infinity;
  for (const w of wheels) {
    let r;
    try {
      r = wheelRank(t, w.filename);
    } catch {
      r = null;
    }
    if (r !== null && r < bestRank) {
      best = w;
      bestRank = r;
    }
  }
  return best;
}
function hostTarget() {
  const platform = process.platform === "linux" ? process.arch === "x64" ? "linux_x86_64" : process.arch === "arm64" ? "linux_aarch64" : null : null;
  return { python: "", platform };
}
function isHostCompatible(t, host) {
  return host.platform === t.platform && host.python === t.python;
}

// src/python/requirements.ts
var RequirementsError = class extends Error {
};
function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
var ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;
var PLACEHOLDERS = /^(\$\{[A-Z0-9_]+\})+$/;
function expandEnvVars(text, env) {
  const missing = [];
  const out = text.replace(ENV_VAR, (whole, name) => {
    const v = env[name];
    if (!v) {
      missing.push(name);
      return whole;
    }
    return v;
  });
  return { text: out, missing: [...new Set(missing)] };
}
function stripCredentials(url) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)(.*)$/is.exec(url);
  if (!m) return { url, secrets: [] };
  const authority = m[2];
  const at = authority.lastIndexOf("@");
  if (at < 0) return { url, secrets: [] };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(":");
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const password = colon >= 0 ? userinfo.slice(colon + 1) : null;
  if (PLACEHOLDERS.test(password ?? user)) return { url, secrets: [] };
  const candidates = [userinfo, password ?? user];
  const secrets = /* @__PURE__ */ new Set();
  for (const c of candidates) {
    if (!c || PLACEHOLDERS.test(c)) continue;
    secrets.add(c);
    try {
      const decoded = decodeURIComponent(c);
      if (decoded !== c) secrets.add(decoded);
    } catch {
    }
  }
  return { url: m[1] + authority.slice(at + 1) + m[3], secrets: [...secrets] };
}
function userinfoOf(url) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)/is.exec(url);
  if (!m) return null;
  const at = m[2].lastIndexOf("@");
  if (at < 0) return null;
  const raw = m[2].slice(0, at);
  const dec = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const colon = raw.indexOf(":");
  const userinfo = colon >= 0 ? `${dec(raw.slice(0, colon))}:${dec(raw.slice(colon + 1))}` : `${dec(raw)}:`;
  try {
    return { origin: new URL(m[1] + m[2].slice(at + 1)).origin, userinfo };
  } catch {
    return null;
  }
}
var NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
var VERSION_CLAUSE = /^(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
var GLOBAL_OPTIONS = /* @__PURE__ */ new Map([
  ["-i", "value"],
  ["--index-url", "value"],
  ["--extra-index-url", "value"],
  ["-f", "value"],
  ["--find-links", "value"],
  ["--no-index", "flag"],
  ["--pre", "flag"],
  ["--prefer-binary", "flag"],
  ["--only-binary", "value"],
  ["--no-binary", "value"],
  ["--trusted-host", "value"],
  ["--use-feature", "value"],
  ["--require-hashes", "flag"]
]);
function normalizeMarker(marker) {
  return marker.replace(/'/g, '"').replace(/\s*(===|==|!=|~=|<=|>=|<|>)\s*/g, " $1 ").replace(/\s+/g, " ").replace(/\(\s+/g, "(").replace(/\s+\)/g, ")").trim();
}
function normalizeSpecifier(spec2, fail) {
  let s = spec2.trim();
  if (s.startsWith("(") && s.endsWith(")")) s = s.slice(1, -1);
  if (!s.trim()) return "";
  const clauses = s.split(",").map((c) => c.trim());
  return clauses.map((c) => {
    const m = VERSION_CLAUSE.exec(c);
    if (!m) fail(`'${c || ","}' is not a version clause`);
    return `${m[1]}${m[2]}`;
  }).sort().join(",");
}
function isLocalPath(s) {
  return s === "." || s.startsWith("./") || s.startsWith("../") || s.startsWith("/") || s.startsWith("file:");
}
function nameFromUrl(url) {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url);
  if (egg) return egg[1];
  const file = url.split(/[?#]/)[0].split("/").pop() ?? "";
  if (file.endsWith(".whl")) {
    try {
      const { distribution } = parseWheelFilename(file);
      if (/^[A-Za-z0-9._]+$/.test(distribution)) return distribution;
    } catch {
    }
  }
  const sdist = /^(.+)-[0-9][^-]*\.(tar\.gz|zip|tar\.bz2)$/.exec(file);
  return sdist ? sdist[1] : null;
}
function splitLineOptions(line) {
  const hashes = [];
  const extra = [];
  const req = line.replace(/\s--(hash|config-settings|global-option)(?:=|\s+)(\S+)/g, (_m, opt, val) => {
    if (opt === "hash") hashes.push(val);
    else extra.push(`--${opt}=${val}`);
    return "";
  });
  return { req: req.trim(), hashes: hashes.sort(), extra: extra.sort() };
}
function parseRequirement(text, file, line, secrets, hashes, extra) {
  for (const u of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/\S+/gi)) secrets.push(...stripCredentials(u[0]).secrets);
  const fail = (why) => {
    throw new RequirementsError(
      `${file}:${line}: '${redactSecrets(text, secrets)}' is not a valid requirement (${why}; expected NAME[extras] [version spec] [; marker]) \u2014 fix or remove the line`
    );
  };
  let body = text;
  let marker = "";
  const semi = /\s@\s|:\/\//.test(body) ? body.search(/\s;/) : body.indexOf(";");
  if (semi >= 0) {
    marker = normalizeMarker(body.slice(semi).replace(/^\s*;/, ""));
    body = body.slice(0, semi).trim();
    if (!marker) fail("empty marker");
  }
  let url = null;
  let namePart = body;
  const at = /^([^@\s]+?)\s*@\s*(\S+)$/.exec(body);
  if (at && !/^[a-z+]+:\/\//i.test(body)) {
    namePart = at[1];
    const s = stripCredentials(at[2]);
    secrets.push(...s.secrets);
    url = s.url;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(body)) {
    const s = stripCredentials(body);
    secrets.push(...s.secrets);
    url = s.url;
    namePart = nameFromUrl(body) ?? fail("cannot tell the project name of this URL; use NAME @ URL");
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(namePart);
  if (!m || !NAME.test(m[1])) fail("no project name");
  const [, rawName, rawExtras, rest] = m;
  if (namePart.includes("[") && !rawExtras) fail("unclosed extras bracket");
  const extras = rawExtras ? rawExtras.slice(1, -1).split(",").map((e) => e.trim()).filter(Boolean).map((e) => NAME.test(e) ? normalizeName(e) : fail(`bad extra '${e}'`)).sort() : [];
  if (url && rest.trim()) fail("a direct reference cannot also have a version");
  const specifier = url ? "" : normalizeSpecifier(rest, fail);
  const name = normalizeName(rawName);
  const canonical = `${name}${extras.length ? `[${extras.join(",")}]` : ""}${specifier}${url ? ` @ ${url}` : ""}${marker ? `; ${marker}` : ""}${extra.length ? " " + extra.join(" ") : ""}`;
  return {
    name,
    extras,
    specifier,
    marker,
    url,
    canonical,
    source: { file, line },
    raw: redactSecrets(text, secrets),
    hashes: hashes.map((h) => h)
  };
}
function canonicalRequirement(text) {
  try {
    return parseRequirement(text.trim(), "", 0, [], [], []).canonical;
  } catch {
    return text.trim();
  }
}
function logicalLines(text) {
  const out = [];
  const physical = text.split(/\r?\n/);
  let buf = "";
  let start = 0;
  for (let i2 = 0; i2 < physical.length; i2++) {
    let l = physical[i2];
    if (!buf) start = i2 + 1;
    if (/(^|\s)#/.test(l)) l = l.slice(0, l.search(/(^|\s)#/));
    if (l.endsWith("\\")) {
      buf += l.slice(0, -1) + " ";
      continue;
    }
    buf += l;
    if (buf.trim()) out.push({ line: start, text: buf.trim() });
    buf = "";
  }
  if (buf.trim()) out.push({ line: start, text: buf.trim() });
  return out;
}
async function parseRequirementsFile(projectDir, file, env = process.env) {
  const root = resolve3(projectDir);
  const set = {
    requirements: [],
    constraints: [],
    indexUrl: null,
    extraIndexUrls: [],
    findLinks: [],
    options: [],
    files: [],
    editableOrLocal: [],
    secrets: [],
    indexAuth: {},
    literalCredentials: [],
    missingEnv: []
  };
  const rel = (abs) => relative2(root, abs).split(sep).join("/");
  async function read2(abs, chain, asConstraints, from) {
    const name = rel(abs);
    if (name.startsWith("..") || isAbsolute2(name))
      throw new RequirementsError(`${from ?? name}: ${name} escapes the project directory \u2014 keep requirement files inside the project`);
    if (chain.includes(name))
      throw new RequirementsError(`${from}: include cycle ${[...chain, name].join(" \u2192 ")} \u2014 remove one of the -r/-c lines`);
    let text;
    const st = await stat4(abs).catch(() => null);
    if (st && !st.isFile())
      throw new RequirementsError(`${from ?? name}: ${name} is not a regular file \u2014 make it one (a FIFO or device cannot be read safely)`);
    try {
      text = await readFile4(abs, "utf8");
    } catch {
      throw new RequirementsError(`${from ?? name}: cannot read ${name} \u2014 create it or fix the -r/-c line`);
    }
    set.files.push(name);
    const extraSecrets = [];
    for (const { line, text: l } of logicalLines(text)) {
      const where = `${name}:${line}`;
      const before = set.secrets.length;
      await readLine(l, line, where);
      if (set.secrets.length > before) set.literalCredentials.push({ file: name, line });
    }
    set.secrets.push(...extraSecrets);
    async function readLine(l, line, where) {
      const opt = /^(-[a-zA-Z]|--[a-z][a-z-]*)(?:=|\s+|$)(.*)$/.exec(l);
      if (opt) {
        const [, flag, value] = opt;
        const v = value.trim();
        if (flag === "-r" || flag === "--requirement" || flag === "-c" || flag === "--constraint") {
          if (!v) throw new RequirementsError(`${where}: ${flag} needs a file name \u2014 fix the line`);
          if (/^[a-z]+:\/\//i.test(v))
            throw new RequirementsError(`${where}: ${flag} with a URL is not supported \u2014 vendor the file into the project`);
          await read2(resolve3(dirname7(abs), v), [...chain, name], asConstraints || flag === "-c" || flag === "--constraint", where);
          return;
        }
        if (flag === "-e" || flag === "--editable") {
          if (isLocalPath(v)) set.editableOrLocal.push(v);
          else (asConstraints ? set.constraints : set.requirements).push(parseRequirement(v, name, line, set.secrets, [], []));
          return;
        }
        const kind = GLOBAL_OPTIONS.get(flag);
        if (!kind) throw new RequirementsError(`${where}: unknown option ${flag} \u2014 remove it or use one pip supports in requirement files`);
        if (kind === "value" && !v) throw new RequirementsError(`${where}: ${flag} needs a value \u2014 fix the line`);
        const s = kind === "value" ? stripCredentials(v) : { url: "", secrets: [] };
        set.secrets.push(...s.secrets);
        if (kind === "value") {
          const expanded = expandEnvVars(v, env);
          for (const missing of expanded.missing) set.missingEnv.push({ file: name, line, name: missing });
          const auth = userinfoOf(expanded.text);
          if (auth) {
            set.indexAuth[auth.origin] = auth.userinfo;
            const e = stripCredentials(expanded.text);
            if (expanded.text !== v) {
              for (const x2 of e.secrets) if (!s.secrets.includes(x2)) extraSecrets.push(x2);
            }
          }
        }
        if (flag === "-i" || flag === "--index-url") set.indexUrl = s.url;
        else if (flag === "--extra-index-url") set.extraIndexUrls.push(s.url);
        else if (flag === "-f" || flag === "--find-links") set.findLinks.push(s.url);
        else set.options.push(kind === "value" ? `${flag}=${s.url}` : flag);
        return;
      }
      const { req, hashes, extra } = splitLineOptions(l);
      if (isLocalPath(req)) {
        set.editableOrLocal.push(req);
        return;
      }
      (asConstraints ? set.constraints : set.requirements).push(parseRequirement(req, name, line, set.secrets, hashes, extra));
    }
  }
  await read2(isAbsolute2(file) ? file : join8(root, file), [], false, null);
  const dedupe = (rs) => {
    const seen = /* @__PURE__ */ new Map();
    for (const r of rs) if (!seen.has(r.canonical)) seen.set(r.canonical, r);
    return [...seen.values()].sort((a, b) => a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0);
  };
  set.requirements = dedupe(set.requirements);
  set.constraints = dedupe(set.constraints);
  set.extraIndexUrls = [...new Set(set.extraIndexUrls)].sort();
  set.findLinks = [...new Set(set.findLinks)].sort();
  set.options = [...new Set(set.options)].sort();
  set.secrets = [...new Set(set.secrets)];
  return set;
}
function nameAndVersion(canonical) {
  const m = /^([a-z0-9-]+(?:\[[^\]]*\])?)(.*)$/.exec(canonical);
  const spec2 = m[2];
  const pin = /^==([^,;\s]+)$/.exec(spec2.split(";")[0].trim())?.[1] ?? null;
  return { name: m[1], pin, spec: spec2.trim() };
}
function diffRequirements(before, after) {
  const b = new Map(before.map((c) => [nameAndVersion(c).name, c]));
  const a = new Map(after.map((c) => [nameAndVersion(c).name, c]));
  const parts = [];
  for (const [name, c] of a) {
    const old = b.get(name);
    if (old === void 0) parts.push(`+${c}`);
    else if (old !== c) {
      const o = nameAndVersion(old);
      const n = nameAndVersion(c);
      parts.push(o.pin && n.pin ? `${name} ${o.pin} \u2192 ${n.pin}` : `${name} ${o.spec || "(any)"} \u2192 ${n.spec || "(any)"}`);
    }
  }
  for (const [name, c] of b) if (!a.has(name)) parts.push(`\u2212${c.split(/[;\s]/)[0]}`);
  return parts.join(", ");
}

// src/build/explain.ts
var same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
function byOrigin(name, before, after, origins, prevOrigins) {
  const files = /* @__PURE__ */ new Map();
  const slot = (f) => files.get(f) ?? (files.set(f, { b: [], a: [] }), files.get(f));
  for (const c of before) slot(prevOrigins[c] ?? name).b.push(c);
  for (const c of after) slot(origins[c] ?? name).a.push(c);
  const parts = [];
  for (const [file, { b, a }] of files) {
    const d = diffRequirements(b, a);
    if (d) parts.push(`${file}: ${d}`);
  }
  return parts;
}
function describePyproject(b, a) {
  const parts = [];
  const list2 = (v) => Array.isArray(v) ? v.filter((x2) => typeof x2 === "string").map((x2) => canonicalRequirement(x2)).sort() : [];
  const diffList = (label, x2, y) => {
    const d = diffRequirements(list2(x2), list2(y));
    if (d) parts.push(label ? `${label} ${d}` : d);
    else if (!same(x2, y)) parts.push(`${label || "dependencies"} changed`);
  };
  const diffTables = (label, x2, y, each) => {
    const bt = x2 ?? {};
    const at = y ?? {};
    for (const k of [.../* @__PURE__ */ new Set([...Object.keys(bt), ...Object.keys(at)])].sort()) {
      if (same(bt[k], at[k])) continue;
      if (!(k in bt)) parts.push(`+${label} ${k}`);
      else if (!(k in at)) parts.push(`\u2212${label} ${k}`);
      else each(k, bt[k], at[k]);
    }
  };
  const bp = b.project ?? {};
  const ap = a.project ?? {};
  if (!same(bp.dependencies, ap.dependencies)) diffList("", bp.dependencies, ap.dependencies);
  diffTables("extra", bp["optional-dependencies"], ap["optional-dependencies"], (k, x2, y) => diffList(`[${k}]`, x2, y));
  diffTables("group", b["dependency-groups"], a["dependency-groups"], (k, x2, y) => diffList(`group ${k}:`, x2, y));
  if (!same(bp["requires-python"], ap["requires-python"]))
    parts.push(`requires-python ${String(bp["requires-python"] ?? "(none)")} \u2192 ${String(ap["requires-python"] ?? "(none)")}`);
  const poetry = (t) => t["tool.poetry"] ?? {};
  const poetryDeps = (v) => Object.entries(v ?? {}).map(([k, s]) => `${k.toLowerCase()}${typeof s === "string" ? s : JSON.stringify(s)}`).sort();
  const bpo = poetry(b);
  const apo = poetry(a);
  if (!same(bpo.dependencies, apo.dependencies))
    parts.push(diffRequirements(poetryDeps(bpo.dependencies), poetryDeps(apo.dependencies)) || "Poetry dependencies changed");
  diffTables("Poetry group", bpo.group, apo.group, (k, x2, y) => {
    const d = diffRequirements(poetryDeps(x2?.dependencies), poetryDeps(y?.dependencies));
    parts.push(`Poetry group ${k}: ${d || "changed"}`);
  });
  for (const k of ["extras", "source"]) if (!same(bpo[k], apo[k])) parts.push(`[tool.poetry] ${k} changed`);
  for (const k of ["build-system", "tool.uv"]) if (!same(b[k], a[k])) parts.push(`[${k}] changed`);
  if (!same(bp.dynamic, ap.dynamic) || !same(bp.name, ap.name)) parts.push("[project] changed");
  return `pyproject.toml: ${parts.filter(Boolean).join(", ") || "dependency declarations changed"}`;
}
function describeSetupPy(b, a) {
  if (typeof a.computed === "string") return `setup.py changed (${a.computed}, so any edit counts)`;
  if (typeof b.computed === "string") return `setup.py: its dependencies are read now (before: ${b.computed})`;
  const parts = [];
  const d = diffRequirements(b.requirements ?? [], a.requirements ?? []);
  if (d) parts.push(d);
  const be = b.extras ?? {};
  const ae = a.extras ?? {};
  for (const k of [.../* @__PURE__ */ new Set([...Object.keys(be), ...Object.keys(ae)])].sort()) {
    if (same(be[k], ae[k])) continue;
    if (!be[k]) parts.push(`+extra ${k}`);
    else if (!ae[k]) parts.push(`\u2212extra ${k}`);
    else parts.push(`[${k}] ${diffRequirements(be[k], ae[k]) || "changed"}`);
  }
  for (const k of ["python_requires", "setup_requires", "dependency_links"]) if (!same(b[k], a[k])) parts.push(`${k} changed`);
  return `setup.py: ${parts.join(", ") || "dependency declarations changed"}`;
}
function describeNames(name, before, after) {
  const b = new Set(Array.isArray(before) ? before : []);
  const a = new Set(Array.isArray(after) ? after : []);
  const parts = [...[...a].filter((x2) => !b.has(x2)).map((x2) => `+${x2}`), ...[...b].filter((x2) => !a.has(x2)).map((x2) => `\u2212${x2}`)];
  return `${name} ${parts.join(", ")}`;
}
function describe2(c) {
  const { name } = c;
  const before = c.before?.value;
  const after = c.after?.value;
  if (name === "extras" || name === "groups") return describeNames(name, before, after);
  if (before === void 0) return `+${name}`;
  if (after === void 0) return `\u2212${name}`;
  if (name === "target") {
    const b2 = before;
    const a2 = after;
    const parts = Object.keys(a2).filter((k) => a2[k] !== b2[k]).map((k) => `${k} ${b2[k]} \u2192 ${a2[k]}`);
    return `target ${parts.join(", ")}`;
  }
  if (name === "resolver" || name === "deps-cache-epoch" || name === "layout") {
    return `${name} ${JSON.stringify(before)} \u2192 ${JSON.stringify(after)}`;
  }
  if (name === "pyproject.toml") return describePyproject(before, after);
  if (name === "setup.py") return describeSetupPy(before, after);
  const b = before;
  const a = after;
  if (Array.isArray(a?.requirements) && Array.isArray(b?.requirements)) {
    const parts = byOrigin(name, b.requirements, a.requirements, c.after?.origins ?? {}, c.before?.origins ?? {});
    const cons = byOrigin(name, b.constraints ?? [], a.constraints ?? [], c.after?.origins ?? {}, c.before?.origins ?? {});
    parts.push(...cons.map((p) => p.replace(": ", ": constraints ")));
    if (b.indexUrl !== a.indexUrl || JSON.stringify(b.extraIndexUrls) !== JSON.stringify(a.extraIndexUrls))
      parts.push(`${name}: index URLs changed`);
    return parts.join("; ") || `${name}: options changed`;
  }
  return `${name} changed`;
}
function explainChange(before, after) {
  const prev = new Map(before.map((c) => [c.name, c]));
  const next = new Map(after.map((c) => [c.name, c]));
  const names = [.../* @__PURE__ */ new Set([...prev.keys(), ...next.keys()])];
  const changes = names.filter((n) => prev.get(n)?.hash !== next.get(n)?.hash).map((n) => describe2({ name: n, before: prev.get(n), after: next.get(n) }));
  return changes.join("; ");
}

// src/build/decide.ts
async function previousBuild(store, opts) {
  const own = await readRef(store, opts.ref, opts.warn, opts.scope);
  if (own) return { record: own, ref: opts.ref, repository: opts.scope?.repository ?? null, base: false };
  for (const f of opts.fallbacks ?? []) {
    if (f.ref === opts.ref && f.repository === (opts.scope?.repository ?? null)) continue;
    const scope = opts.scope ? { ...opts.scope, repository: f.repository } : void 0;
    const rec = await readRef(store, f.ref, opts.warn, scope);
    if (rec) return { record: rec, ref: f.ref, repository: f.repository, base: true };
  }
  return null;
}
var short = (h) => h.slice(0, 12);
async function decide(store, fp, opts) {
  const [entry, previous] = await Promise.all([readDepsIndex(store, fp.fingerprint, opts.warn), previousBuild(store, opts)]);
  if (opts.forceFull) return { buildType: "full", reason: "full build forced (--force-full)", repair: false, previous };
  if (!entry) {
    const prev = previous?.record;
    if (prev && prev.fingerprint !== fp.fingerprint) {
      const what = explainChange(prev.components, fp.components) || "dependency declarations changed";
      const at = prev.commit ? ` (${short(prev.commit)})` : "";
      const since = previous.base ? `first build of ${opts.ref}; dependencies changed since ${previous.ref}'s last build${at}` : `dependencies changed${prev.commit ? ` since ${short(prev.commit)}` : ""}`;
      return { buildType: "full", reason: `${since}: ${what}`, repair: false, previous };
    }
    return {
      buildType: "full",
      reason: `no deps.pex stored for fingerprint ${short(fp.fingerprint)}${previous ? "" : " (first build of " + opts.ref + ")"}`,
      repair: false,
      previous
    };
  }
  const status = await store.verify(archiveKey(entry.sha256), entry.sha256);
  if (status === "missing") {
    return {
      buildType: "full",
      reason: `deps.pex ${short(entry.sha256)} named by the deps index is missing from the store; rebuilding it`,
      repair: true,
      previous
    };
  }
  if (status === "corrupt") {
    return {
      buildType: "full",
      reason: `deps.pex ${short(entry.sha256)} in the store fails its sha256 check; rebuilding and replacing it`,
      repair: true,
      previous
    };
  }
  const builtAt = entry.commit ? ` built at ${short(entry.commit)}` : "";
  return {
    buildType: "fast",
    reason: `dependencies unchanged (fingerprint ${short(fp.fingerprint)}): reusing deps.pex ${short(entry.sha256)}${builtAt}`,
    entry,
    previous
  };
}
function diffDeps(before, after) {
  const list2 = (e) => new Map(
    (e.packages ?? e.requirements.map((r) => ({ name: r.split("==")[0], version: r.split("==")[1] ?? "", size: null }))).map((p) => [normalizeName(p.name), { name: p.name, version: p.version, size: p.size ?? null }])
  );
  const b = list2(before);
  const a = list2(after);
  const out = [];
  for (const key of [.../* @__PURE__ */ new Set([...b.keys(), ...a.keys()])].sort()) {
    const x2 = b.get(key);
    const y = a.get(key);
    if (x2 && y && x2.version === y.version) continue;
    out.push({
      name: (y ?? x2).name,
      before: x2 ? { version: x2.version, size: x2.size } : null,
      after: y ? { version: y.version, size: y.size } : null
    });
  }
  return out;
}

// src/python/declarations.ts
import { readFile as readFile5, stat as stat5 } from "node:fs/promises";
import { basename as basename7, dirname as dirname8, join as join9, relative as relative3, resolve as resolve4, sep as sep2 } from "node:path";

// node_modules/smol-toml/dist/error.js
function getLineColFromPtr(string2, ptr) {
  let lines = string2.slice(0, ptr).split(/\r?\n/);
  return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string2, line, column) {
  let lines = string2.split(/\r?\n/);
  let codeblock = "";
  let numberLen = (Math.log10(line + 1) | 0) + 1;
  for (let i2 = line - 1; i2 <= line + 1; i2++) {
    let l = lines[i2 - 1];
    if (!l)
      continue;
    codeblock += i2.toString().padEnd(numberLen, " ");
    codeblock += ":  ";
    codeblock += l;
    codeblock += "\n";
    if (i2 === line) {
      codeblock += " ".repeat(numberLen + column + 2);
      codeblock += "^\n";
    }
  }
  return codeblock;
}
var TomlError = class _TomlError extends Error {
  line;
  column;
  codeblock;
  constructor(message, options) {
    const [line, column] = getLineColFromPtr(options.toml, options.ptr);
    const codeblock = makeCodeBlock(options.toml, line, column);
    super(`Invalid TOML document: ${message}

${codeblock}`, options);
    this.line = line;
    this.column = column;
    this.codeblock = codeblock;
  }
  /** @internal */
  static x(message, ctx, ptr) {
    throw new _TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
  }
};

// node_modules/smol-toml/dist/primitive.js
function parseString(ctx) {
  let startPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p++);
  let first = c;
  let isLiteral = c === 39;
  let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
  if (isMultiline) {
    if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 10)
      ctx.p++;
    else if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)
      ctx.p += 2;
  }
  let parsed = "";
  let sliceStart = ctx.p;
  let state = 0;
  for (; ctx.p < ctx.s.length; ctx.p++) {
    c = ctx.s.charCodeAt(ctx.p);
    if (isMultiline && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)) {
      state = state && 3;
    } else if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in strings", ctx);
    } else if ((!state || state === 3) && c === first && (!isMultiline || ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first)) {
      if (isMultiline) {
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
      }
      if (!state) {
        let s = ctx.s.slice(sliceStart, ctx.p);
        parsed = parsed ? parsed + s : s;
      }
      ctx.p += isMultiline ? 3 : 1;
      return parsed;
    } else if (!state) {
      if (!isLiteral && c === 92) {
        parsed += ctx.s.slice(sliceStart, sliceStart = ctx.p);
        state = 1;
      }
    } else if (state === 1) {
      if (c === 120 || c === 117 || c === 85) {
        let errPtr = ctx.p++ - 1;
        let value = 0;
        let len = c === 120 ? 2 : c === 117 ? 4 : 8;
        for (let j = 0; j < len; j++, ctx.p++) {
          let hex = ctx.s.charCodeAt(ctx.p);
          let digit = (
            /* 0-9 */
            hex >= 48 && hex <= 57 ? hex - 48 : (
              /* A-F */
              hex >= 65 && hex <= 70 ? hex - 65 + 10 : (
                /* a-f */
                hex >= 97 && hex <= 102 ? hex - 97 + 10 : -1
              )
            )
          );
          if (digit < 0)
            TomlError.x("invalid non-hex character in unicode escape", ctx);
          value = value << 4 | digit;
        }
        if (value < 0 || value > 1114111 || value >= 55296 && value <= 57343) {
          TomlError.x("invalid unicode escape", ctx, errPtr);
        }
        parsed += String.fromCodePoint(value);
        sliceStart = ctx.p--;
        state = 0;
      } else if (isMultiline && (c === 32 || c === 9)) {
        state = 2;
      } else {
        if (c === 98)
          parsed += "\b";
        else if (c === 116)
          parsed += "	";
        else if (c === 110)
          parsed += "\n";
        else if (c === 102)
          parsed += "\f";
        else if (c === 114)
          parsed += "\r";
        else if (c === 101)
          parsed += "\x1B";
        else if (c === 34)
          parsed += '"';
        else if (c === 92)
          parsed += "\\";
        else
          TomlError.x("unrecognised escape sequence", ctx);
        sliceStart = ctx.p + 1;
        state = 0;
      }
    } else if (c !== 32 && c !== 9) {
      if (state === 2)
        TomlError.x("invalid escape: only line-ending whitespace may be escaped", ctx, sliceStart);
      state = !isLiteral && c === 92 ? 1 : 0;
      sliceStart = ctx.p;
    }
  }
  TomlError.x("unfinished string", ctx, startPtr);
}

// node_modules/smol-toml/dist/date.js
var DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
var TomlDate = class _TomlDate extends Date {
  #hasDate = false;
  #hasTime = false;
  #offset = null;
  constructor(date, fasttype, unsafeDelim) {
    let hasDate = true;
    let hasTime = true;
    let offset = "Z";
    let c;
    if (typeof date === "string") {
      if (fasttype)
        prep: {
          if (fasttype < 3) {
            if (+date.slice(11, 13) > 23) {
              date = "";
              break prep;
            }
            if (fasttype === 2) {
              offset = null;
              date += "Z";
            } else if ((c = date.charCodeAt(date.length - 1)) !== 90 && c !== 122) {
              offset = date.slice(date.length - 6);
            }
            if (unsafeDelim)
              date = date.slice(0, 10) + "T" + date.slice(11);
          } else if (fasttype === 4) {
            date = +date.slice(0, 2) > 23 ? "" : `0000-01-01T${date}Z`;
          }
          hasDate = fasttype !== 4;
          hasTime = fasttype !== 3;
        }
      else {
        let match = date.match(DATE_TIME_RE);
        if (match) {
          if (!match[1]) {
            hasDate = false;
            date = `0000-01-01T${date}`;
          }
          hasTime = !!match[2];
          hasTime && date[10] === " " && (date = date.replace(" ", "T"));
          if (match[2] && +match[2] > 23) {
            date = "";
          } else {
            offset = match[3] || null;
            if (!offset && hasTime)
              date += "Z";
          }
        } else {
          date = "";
        }
      }
    }
    super(date);
    if (!isNaN(this.getTime())) {
      this.#hasDate = hasDate;
      this.#hasTime = hasTime;
      this.#offset = offset;
    }
  }
  isDateTime() {
    return this.#hasDate && this.#hasTime;
  }
  isLocal() {
    return !this.#hasDate || !this.#hasTime || !this.#offset;
  }
  isDate() {
    return this.#hasDate && !this.#hasTime;
  }
  isTime() {
    return this.#hasTime && !this.#hasDate;
  }
  isValid() {
    return this.#hasDate || this.#hasTime;
  }
  toISOString() {
    let iso = super.toISOString();
    if (this.isDate())
      return iso.slice(0, 10);
    if (this.isTime())
      return iso.slice(11, 23);
    if (this.#offset === null)
      return iso.slice(0, -1);
    if (this.#offset === "Z" || this.#offset === "z")
      return iso;
    let offset = +this.#offset.slice(1, 3) * 60 + +this.#offset.slice(4, 6);
    offset = this.#offset[0] === "-" ? offset : -offset;
    let offsetDate = new Date(this.getTime() - offset * 6e4);
    return offsetDate.toISOString().slice(0, -1) + this.#offset;
  }
  static wrapAsOffsetDateTime(jsDate, offset = "Z") {
    let date = new _TomlDate(jsDate);
    date.#offset = offset;
    return date;
  }
  static wrapAsLocalDateTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#offset = null;
    return date;
  }
  static wrapAsLocalDate(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasTime = false;
    date.#offset = null;
    return date;
  }
  static wrapAsLocalTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasDate = false;
    date.#offset = null;
    return date;
  }
};

// node_modules/smol-toml/dist/extract.js
function isDigit(char, base = 10) {
  return base === 16 ? char > 47 && char < 58 || char > 64 && char < 71 || char > 96 && char < 103 : char > 47 && char < 48 + base;
}
function isEndOfValue(char, delim) {
  return char === 32 || char === 9 || char === 10 || char === 13 || // Structure end or next value delimiter
  delim && (char === delim || char === 44) || // Comment
  char === 35;
}
function extractValue(ctx, end) {
  let errPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p);
  if (c === 91 || c === 123) {
    ctx.d-- || TomlError.x("document contains excessively nested structures. aborting.", ctx);
    let value = c === 91 ? parseArray(ctx) : parseInlineTable(ctx);
    ctx.d++;
    return value;
  }
  if (c === 34 || c === 39) {
    return parseString(ctx);
  }
  if (c === 116) {
    if (ctx.s.charCodeAt(++ctx.p) !== 114 || ctx.s.charCodeAt(++ctx.p) !== 117 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, true;
  }
  if (c === 102) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 108 || ctx.s.charCodeAt(++ctx.p) !== 115 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, false;
  }
  if (c === 43 || c === 45) {
    return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 44 - c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 4) === 45 && ctx.s.charCodeAt(ctx.p + 7) === 45) {
    return parseDate(ctx, c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 2) === 58) {
    return parseTime(ctx, c, end);
  }
  return parseNumber(ctx, ctx.p, c, 0, end);
}
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
  let c = startChr;
  let state = 0;
  let hasUnderscores = false;
  if (c === 105) {
    if (ctx.s.charCodeAt(++ctx.p) !== 110 || ctx.s.charCodeAt(++ctx.p) !== 102)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, (sign || 1) / 0;
  }
  if (c === 110) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 110)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, NaN;
  }
  if (c === 48) {
    if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
      return ctx.bi === true ? 0n : 0;
    if (!sign) {
      if (c === 120)
        return parseIntegerBaseN(ctx, startPtr, 16, endChr);
      else if (c === 98)
        return parseIntegerBaseN(ctx, startPtr, 2, endChr);
      else if (c === 111)
        return parseIntegerBaseN(ctx, startPtr, 8, endChr);
    }
    if (c === 46)
      state = 2;
    else if (c === 101 || c === 69)
      state = 4;
    else
      TomlError.x("illegal leading zero", ctx, startPtr);
  } else if (!isDigit(c))
    TomlError.x("invalid value", ctx, startPtr);
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (!state)
      state = 1;
    if (c === 95) {
      if (!(state & 1))
        TomlError.x("illegal underscore", ctx);
      state += 11;
      hasUnderscores = true;
    } else if (state === 1 && c === 46)
      state = 2;
    else if ((state === 1 || state === 3) && (c === 101 || c === 69))
      state = 4;
    else if (state === 4 && (c === 43 || c === 45)) {
      state = 6;
    } else if (!isDigit(c))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (state > 9)
      state -= 11;
    else if (!(state & 1))
      state++;
  }
  if (!state) {
    let val = (startChr - 48) * (sign || 1);
    return ctx.bi === true ? BigInt(val) : val;
  }
  if (!(state & 1))
    TomlError.x("unfinished numeric value", ctx, startPtr);
  let str = ctx.s.slice(startPtr, ctx.p);
  if (hasUnderscores)
    str = str.replaceAll("_", "");
  return state > 1 ? parseFloat(str) : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
  let c, underscore = 1;
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (c === 95) {
      if (underscore & 1)
        TomlError.x("illegal underscore", ctx);
      underscore = 3;
    } else if (!isDigit(c, base))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (underscore & 1)
      underscore--;
  }
  if (underscore & 1)
    TomlError.x("unfinished numeric value", ctx);
  let str = ctx.s.slice(startPtr + 2, ctx.p);
  if (underscore)
    str = str.replaceAll("_", "");
  return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
  if (ctx.bi !== true)
    int: {
      let val = parseInt(str, base);
      if (!Number.isSafeInteger(val)) {
        if (ctx.bi)
          break int;
        TomlError.x("integer value cannot be represented losslessly", ctx, startPtr);
      }
      return val;
    }
  return base === 10 ? BigInt(str) : BigInt((base === 2 ? "0b" : base === 8 ? "0o" : "0x") + str);
}
function parseDate(ctx, c, endChr) {
  let startPtr = ctx.p++, unsafeSeparator;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++))) {
    return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
  }
  ctx.p += 5;
  if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
    TomlError.x("invalid date-time: date part is malformed", ctx, startPtr);
  if (ctx.p >= ctx.s.length || ((c = ctx.s.charCodeAt(ctx.p)) !== 32 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 84 && c !== 116) {
    let t2 = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t2, 3, false, startPtr);
  }
  if (ctx.s.charCodeAt(ctx.p += 3) !== 58)
    TomlError.x("invalid date-time: time part is malformed", ctx, startPtr);
  if (ctx.s.charCodeAt(ctx.p += 3) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  if (c = ctx.s.charCodeAt(ctx.p)) {
    if (c === 90 || c === 122) {
      let t2 = ctx.s.slice(startPtr, ++ctx.p);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, "[+00:00]");
    }
    if (c === 43 || c === 45) {
      let t2 = ctx.s.slice(startPtr, ctx.p += 6);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, !ctx.ld && "[" + ctx.s.slice(ctx.p - 6, ctx.p) + "]");
    }
  }
  let t = ctx.s.slice(startPtr, ctx.p);
  return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
  let start = ctx.p;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
    return parseNumber(ctx, --ctx.p, c, 0, endChr);
  }
  if (ctx.s.charCodeAt(ctx.p += 4) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  let t = ctx.s.slice(start, ctx.p);
  return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
  if (ctx.ld) {
    let date = new TomlDate(str, type, unsafeDelim);
    if (!date.isValid())
      TomlError.x("invalid date", ctx, errPtr);
    return date;
  }
  try {
    if (temporalSuffix)
      str += temporalSuffix;
    switch (type) {
      case 1:
        return Temporal.ZonedDateTime.from(str);
      case 2:
        return Temporal.PlainDateTime.from(str);
      case 3:
        return Temporal.PlainDate.from(str);
      case 4:
        return Temporal.PlainTime.from(str);
    }
  } catch (e) {
    TomlError.x(e instanceof Error ? e.message : "" + e, ctx, errPtr);
  }
}

// node_modules/smol-toml/dist/util.js
function skipComment(ctx) {
  for (; ctx.p < ctx.s.length; ctx.p++) {
    let c = ctx.s.charCodeAt(ctx.p);
    if (c === 10)
      break;
    if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10) {
      ctx.p++;
      break;
    }
    if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in comments", ctx);
    }
  }
}
function skipVoid(ctx, banNewLines, banComments) {
  let c;
  while (ctx.p < ctx.s.length) {
    while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 32 || c === 9 || !banNewLines && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)))
      ctx.p++;
    if (banComments || c !== 35)
      break;
    skipComment(ctx);
  }
}

// node_modules/smol-toml/dist/struct.js
function parseKey(ctx, end = 61) {
  let startPtr;
  let state = 0;
  let parsed = [];
  let sliceStart;
  let c = ctx.s.charCodeAt(startPtr = ctx.p);
  do {
    if (c === end) {
      if (!state)
        TomlError.x("unexpected end of key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      return ctx.p++, parsed;
    } else if (c === 46) {
      if (!state)
        TomlError.x("illegal empty bare key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      state = 0;
    } else if (!state && (c === 34 || c === 39)) {
      if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
        TomlError.x("illegal quoted key: multiline strings are not allowed", ctx);
      parsed.push(parseString(ctx));
      state = 2;
      ctx.p--;
    } else if (c === 32 || c === 9) {
      if (state === 1) {
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
        state = 2;
      }
    } else if (state === 2 || c < 48 && c !== 45 || c > 57 && c < 65 || c > 90 && c < 97 && c !== 95 || c > 122) {
      TomlError.x("illegal character in key", ctx);
    } else if (!state) {
      state = 1;
      sliceStart = ctx.p;
    }
  } while (c = ctx.s.charCodeAt(++ctx.p));
  TomlError.x("incomplete key-value: cannot find end of key", ctx, startPtr);
}
function parseInlineTable(ctx) {
  let startPtr = ctx.p++;
  let res = /* @__PURE__ */ Object.create(null);
  let seen = /* @__PURE__ */ new Set();
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 125) {
      ctx.p++;
      return res;
    }
    let k;
    let t = res;
    let hasOwn = false;
    let errPtr = ctx.p;
    let key = parseKey(ctx);
    for (let i2 = 0; i2 < key.length; i2++) {
      if (i2)
        t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      k = key[i2];
      if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== "object" || seen.has(t[k]))) {
        TomlError.x("trying to redefine an already defined value", ctx, errPtr);
      }
      let unsafe2 = k === "__proto__";
      if (ctx.uk && (unsafe2 || k === "constructor")) {
        t = ctx.uk !== 1 && TomlError.x("document contains an unsafe property", ctx, errPtr);
        break;
      }
      if (!hasOwn && unsafe2) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
      }
    }
    if (hasOwn) {
      TomlError.x("trying to redefine an already defined value", ctx, errPtr);
    }
    skipVoid(ctx, true, true);
    let value = extractValue(
      ctx,
      125
      /* } */
    );
    if (t && typeof (t[k] = value) === "object")
      seen.add(value);
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 125) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished table", ctx, startPtr);
}
function parseArray(ctx) {
  let startPtr = ctx.p++;
  let res = [];
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 93) {
      ctx.p++;
      return res;
    }
    res.push(extractValue(
      ctx,
      93
      /* ] */
    ));
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 93) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished array", ctx, startPtr);
}

// node_modules/smol-toml/dist/parse.js
function peekTable(ctx, key, table2, meta, type) {
  let t = table2;
  let m = meta;
  let k;
  let hasOwn = false;
  let state;
  for (let i2 = 0; i2 < key.length; i2++) {
    if (i2) {
      t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      m = (state = m[k]).c;
      if (type === 0 && (state.t === 1 || state.t === 2)) {
        return null;
      }
      if (state.t === 2) {
        let l = t.length - 1;
        t = t[l];
        m = m[l].c;
      }
    }
    k = key[i2];
    if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 && m[k]?.d) {
      return null;
    }
    if (!hasOwn) {
      let unsafe2 = k === "__proto__";
      if (ctx.uk && (unsafe2 || k === "constructor"))
        return false;
      if (unsafe2) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
        Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
      }
      m[k] = {
        t: i2 < key.length - 1 && type === 2 ? 3 : type,
        d: false,
        i: 0,
        c: /* @__PURE__ */ Object.create(null)
      };
    }
  }
  state = m[k];
  if (state.t !== type && !(type === 1 && state.t === 3)) {
    return null;
  }
  if (type === 2) {
    if (!state.d) {
      state.d = true;
      t[k] = [];
    }
    t[k].push(t = /* @__PURE__ */ Object.create(null));
    state.c[state.i++] = state = { t: 1, d: false, i: 0, c: /* @__PURE__ */ Object.create(null) };
  }
  if (state.d) {
    return null;
  }
  state.d = true;
  if (type === 1) {
    t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
  } else if (type === 0 && hasOwn) {
    return null;
  }
  return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
  if (peek === null || ctx.uk === 2)
    TomlError.x(peek === null ? "trying to redefine an already defined table or value" : "document contains an unsafe property", ctx, ptr);
}
function parse(toml, options = {}) {
  let ctx = {
    s: toml,
    p: 0,
    d: options.maxDepth ?? 1e3,
    bi: options.integersAsBigInt ?? false,
    ld: options.useLegacyDate ?? true,
    uk: options.unsafeKeyBehaviour === "throw" ? 2 : options.unsafeKeyBehaviour === "drop" ? 1 : 0
  };
  let res = /* @__PURE__ */ Object.create(null);
  let meta = /* @__PURE__ */ Object.create(null);
  let tmp;
  let skipping = false;
  let tbl = res;
  let m = meta;
  if (toml.charCodeAt(0) === 65279)
    ctx.p++;
  skipVoid(ctx);
  while (ctx.p < toml.length) {
    if (toml.charCodeAt(ctx.p) === 91) {
      let isTableArray = toml.charCodeAt(++ctx.p) === 91;
      tmp = ctx.p += +isTableArray;
      skipping = false;
      let k = parseKey(
        ctx,
        93
        /* ] */
      );
      if (isTableArray) {
        if (toml.charCodeAt(ctx.p) !== 93) {
          TomlError.x("expected end of table array declaration", ctx);
        }
        ctx.p++;
      }
      let p = peekTable(
        ctx,
        k,
        res,
        meta,
        isTableArray ? 2 : 1
        /* Type.EXPLICIT */
      );
      if (!p) {
        validateTablePeek(ctx, p, tmp);
        skipping = true;
      } else {
        m = p[2];
        tbl = p[1];
      }
    } else {
      tmp = ctx.p;
      let k = parseKey(ctx);
      let p = peekTable(
        ctx,
        k,
        tbl,
        m,
        0
        /* Type.DOTTED */
      );
      if (!p && !skipping)
        validateTablePeek(ctx, p, tmp);
      skipVoid(ctx, true, true);
      let v = extractValue(ctx, void 0);
      if (p && !skipping)
        p[1][p[0]] = v;
    }
    skipVoid(ctx, true);
    if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 10 && (tmp !== 13 || toml.charCodeAt(ctx.p + 1) !== 10)) {
      TomlError.x("each key-value declaration must be followed by an end-of-line", ctx);
    }
    skipVoid(ctx);
  }
  return res;
}

// node_modules/smol-toml/dist/stringify.js
var HAS_WELLFORMED = !!"".isWellFormed;

// src/python/markers.ts
var TOKEN = /\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b|[A-Za-z_][A-Za-z0-9_.]*|[^\s()'"<>=!~]+)/y;
function tokenize(marker) {
  const out = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < marker.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(marker);
    if (!m) {
      if (/^\s*$/.test(marker.slice(at))) break;
      throw new Error(`cannot read marker '${marker}'`);
    }
    out.push(m[1].replace(/\s+/g, " "));
  }
  return out;
}
var unquote = (s) => /^['"]/.test(s) ? s.slice(1, -1) : null;
function simplifyMarker(marker, sel) {
  const tokens = tokenize(marker);
  let i2 = 0;
  const norm = (s) => s.toLowerCase().replace(/[-_.]+/g, "-");
  const extras = new Set(sel.extras.map(norm));
  const groups = new Set(sel.groups.map(norm));
  function atom() {
    if (tokens[i2] === "(") {
      i2++;
      const n = or();
      if (tokens[i2++] !== ")") throw new Error(`unbalanced parentheses in marker '${marker}'`);
      return n;
    }
    const [l, op, r2] = [tokens[i2], tokens[i2 + 1], tokens[i2 + 2]];
    if (l === void 0 || op === void 0 || r2 === void 0) throw new Error(`incomplete marker '${marker}'`);
    i2 += 3;
    const lv = unquote(l);
    const rv = unquote(r2);
    const set = r2 === "extras" ? extras : r2 === "dependency_groups" ? groups : null;
    if (set && lv !== null && (op === "in" || op === "not in")) return { kind: "const", value: set.has(norm(lv)) === (op === "in") };
    if (l === "extra" && rv !== null && (op === "==" || op === "!="))
      return { kind: "const", value: extras.has(norm(rv)) === (op === "==") };
    return { kind: "term", text: `${l} ${op} ${r2}` };
  }
  function and() {
    let n = atom();
    while (tokens[i2] === "and") {
      i2++;
      n = { kind: "op", op: "and", a: n, b: atom() };
    }
    return n;
  }
  function or() {
    let n = and();
    while (tokens[i2] === "or") {
      i2++;
      n = { kind: "op", op: "or", a: n, b: and() };
    }
    return n;
  }
  const tree = or();
  if (i2 !== tokens.length) throw new Error(`cannot read marker '${marker}'`);
  function reduce(n) {
    if (n.kind !== "op") return n;
    const a = reduce(n.a);
    const b = reduce(n.b);
    const absorbing = n.op === "or";
    for (const [x2, y] of [
      [a, b],
      [b, a]
    ]) {
      if (x2.kind === "const") return x2.value === absorbing ? x2 : y;
    }
    return { kind: "op", op: n.op, a, b };
  }
  function text(n, parent) {
    if (n.kind === "term") return n.text;
    if (n.kind === "const") return String(n.value);
    const s = `${text(n.a, n.op)} ${n.op} ${text(n.b, n.op)}`;
    return parent && parent !== n.op ? `(${s})` : s;
  }
  const r = reduce(tree);
  return r.kind === "const" ? r.value : text(r, null);
}

// src/python/lockfile.ts
function sha(h) {
  if (typeof h === "string") return h.startsWith("sha256:") ? h.slice(7) : null;
  if (h && typeof h === "object" && typeof h.sha256 === "string") return h.sha256;
  return null;
}
function tables(kind, where, v) {
  if (v === void 0) return [];
  if (!Array.isArray(v) || v.some((t) => !t || typeof t !== "object" || Array.isArray(t)))
    throw new UsageError(`${kind}: ${where} must be an array of tables, not ${JSON.stringify(v)?.slice(0, 40)} \u2014 regenerate the lockfile`);
  return v;
}
function table(kind, where, v) {
  if (v === void 0) return void 0;
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new UsageError(`${kind}: ${where} must be a table, not ${JSON.stringify(v)?.slice(0, 40)} \u2014 regenerate the lockfile`);
  return v;
}
function nameOf(kind, p) {
  if (typeof p.name !== "string" || !p.name)
    throw new UsageError(`${kind}: a package has no name (name = ${JSON.stringify(p.name)?.slice(0, 40)}) \u2014 regenerate the lockfile`);
  return normalizeName(p.name);
}
function artifactHashes(kind, p, hashKey) {
  const at = `package ${JSON.stringify(p.name ?? "?")}`;
  const sdist = table(kind, `${at}: sdist`, p.sdist);
  const arts = [...tables(kind, `${at}: wheels`, p.wheels), ...sdist ? [sdist] : []];
  return arts.map((a) => sha(a[hashKey])).filter((h) => !!h);
}
var list = (xs) => [...xs].sort().join(", ") || "none";
function checkNames(kind, what, asked, known) {
  const unknown = asked.filter((x2) => !known.has(normalizeName(x2)));
  if (unknown.length) {
    const flag = what === "extra" ? "--extras" : "--groups";
    throw new UsageError(
      `${flag} ${unknown.join(",")}: ${kind} has no ${what} ${unknown.map((u) => `'${u}'`).join(", ")} (it has: ${list(known)}) \u2014 fix the name or re-lock`
    );
  }
}
var posix = (p) => p.replace(/\\/g, "/").replace(/\/+$/, "").replace(/^\.\//, "") || ".";
function selectUv(doc, sel, path) {
  const all = tables("uv.lock", "package", doc.package);
  for (const p of all) table("uv.lock", `package ${JSON.stringify(p.name ?? "?")}: source`, p.source);
  const localPath = (p) => {
    const s = p.source ?? {};
    const v = s.virtual ?? s.editable ?? s.directory;
    return typeof v === "string" ? posix(v) : null;
  };
  const byName = /* @__PURE__ */ new Map();
  for (const p of all) {
    const n = normalizeName(String(p.name));
    byName.set(n, [...byName.get(n) ?? [], p]);
  }
  const entry = (p) => ({
    name: nameOf("uv.lock", p),
    version: String(p.version ?? ""),
    index: String((p.source ?? {}).registry ?? ""),
    hashes: artifactHashes("uv.lock", p, "hash").sort(),
    marker: ""
  });
  const root = all.find((p) => localPath(p) === posix(sel.member));
  if (!root) {
    if (sel.groups.length) checkNames(path, "group", sel.groups, /* @__PURE__ */ new Set());
    return all.filter((p) => localPath(p) === null).map(entry);
  }
  const optional2 = root["optional-dependencies"] ?? {};
  const dev = root["dev-dependencies"] ?? {};
  checkNames(`${path} (project ${String(root.name)})`, "extra", sel.extras, new Set(Object.keys(optional2).map(normalizeName)));
  checkNames(`${path} (project ${String(root.name)})`, "group", sel.groups, new Set(Object.keys(dev).map(normalizeName)));
  const pick = (groups, names) => Object.entries(groups).filter(([k]) => names.map(normalizeName).includes(normalizeName(k))).flatMap(([, v]) => v);
  const selected = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const queue = [...root.dependencies ?? [], ...pick(optional2, sel.extras), ...pick(dev, sel.groups)];
  while (queue.length) {
    const dep = queue.shift();
    const candidates = (byName.get(normalizeName(String(dep.name))) ?? []).filter(
      (p) => dep.version === void 0 || p.version === dep.version
    );
    const extras = (dep.extra ?? []).map(normalizeName);
    for (const p of candidates) {
      const key = `${String(p.name)} ${String(p.version)} ${extras.join(",")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (localPath(p) === null) {
        const e = entry(p);
        selected.set(`${e.name} ${e.version}`, e);
      }
      queue.push(...p.dependencies ?? []);
      queue.push(...pick(p["optional-dependencies"] ?? {}, extras));
    }
  }
  return [...selected.values()];
}
function selectPoetry(doc, sel) {
  const all = tables("poetry.lock", "package", doc.package);
  const groupsOf = (p) => Array.isArray(p.groups) ? p.groups : [p.category === "dev" ? "dev" : String(p.category ?? "main")];
  const known = new Set([...all.flatMap(groupsOf), ...sel.declaredGroups ?? []].map(normalizeName));
  checkNames("poetry.lock", "group", sel.groups, known);
  const lockExtras = doc.extras ?? {};
  checkNames("poetry.lock", "extra", sel.extras, new Set(Object.keys(lockExtras).map(normalizeName)));
  const byName = new Map(all.map((p) => [normalizeName(String(p.name)), p]));
  const viaExtras = /* @__PURE__ */ new Set();
  const queue = Object.entries(lockExtras).filter(([k]) => sel.extras.map(normalizeName).includes(normalizeName(k))).flatMap(([, names]) => names.map((n) => normalizeName(n.split(/[\s[(<>=!~;]/)[0])));
  while (queue.length) {
    const n = queue.shift();
    if (viaExtras.has(n)) continue;
    viaExtras.add(n);
    queue.push(...Object.keys(byName.get(n)?.dependencies ?? {}).map(normalizeName));
  }
  const wanted = new Set(["main", ...sel.groups].map(normalizeName));
  const out = [];
  for (const p of all) {
    const name = normalizeName(String(p.name));
    const groups = groupsOf(p).filter((g) => wanted.has(normalizeName(g)));
    if (!groups.length || p.optional === true && !viaExtras.has(name)) continue;
    const markers = p.markers;
    const perGroup = groups.map(
      (g) => typeof markers === "string" ? markers : markers && typeof markers === "object" ? markers[g] : void 0
    );
    const marker = perGroup.some((m) => !m) ? "" : [...new Set(perGroup)].map((m) => perGroup.length > 1 ? `(${m})` : m).join(" or ");
    let decided = marker;
    try {
      decided = marker ? simplifyMarker(marker, sel) : true;
    } catch (err) {
      throw new UsageError(`poetry.lock: ${name}: ${err.message} \u2014 regenerate the lockfile`);
    }
    if (decided === false) continue;
    const files = tables("poetry.lock", `package ${JSON.stringify(p.name ?? "?")}: files`, p.files).map((f) => sha(f.hash)).filter((h) => !!h);
    const source = p.source ?? {};
    out.push({
      name,
      version: String(p.version ?? ""),
      index: source.type === "legacy" ? String(source.url ?? "") : "",
      hashes: files.sort(),
      marker: decided === true ? "" : decided
    });
  }
  return out;
}
function selectPylock(doc, sel) {
  checkNames("pylock.toml", "extra", sel.extras, new Set((doc.extras ?? []).map(normalizeName)));
  checkNames("pylock.toml", "group", sel.groups, new Set((doc["dependency-groups"] ?? []).map(normalizeName)));
  const out = [];
  for (const p of tables("pylock.toml", "packages", doc.packages)) {
    if (p.directory !== void 0) continue;
    let marker = String(p.marker ?? "");
    if (marker) {
      try {
        marker = simplifyMarker(marker, sel);
      } catch (err) {
        throw new UsageError(`pylock.toml: ${String(p.name)}: ${err.message} \u2014 regenerate the lockfile`);
      }
    }
    if (marker === false) continue;
    out.push({
      name: nameOf("pylock.toml", p),
      version: String(p.version ?? ""),
      index: String(p.index ?? ""),
      hashes: artifactHashes("pylock.toml", p, "hashes").sort(),
      marker: marker === true ? "" : marker
    });
  }
  return out;
}
function parseLockfile(kind, text, sel, path = kind) {
  let doc;
  try {
    doc = parse(text);
  } catch (err) {
    const line = err.line;
    throw new UsageError(`${path}${line ? `:${line}` : ""}: invalid TOML \u2014 regenerate the lockfile`);
  }
  const packages = kind === "uv.lock" ? selectUv(doc, sel, path) : kind === "pylock.toml" ? selectPylock(doc, sel) : selectPoetry(doc, sel);
  packages.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0);
  const indexes = [...new Set(packages.map((p) => p.index ?? ""))].filter((u) => u && !/^https:\/\/pypi\.org\/simple\/?$/.test(u)).sort();
  for (const p of packages) delete p.index;
  return { kind, path, packages, indexes };
}
function lockAsRequirements(lock) {
  return lock.packages.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ""}${p.hashes.map((h) => ` --hash=sha256:${h}`).join("")}`).join("\n") + "\n";
}

// src/python/stale.ts
import { createHash as createHash6 } from "node:crypto";
function pyJson(v) {
  if (v === null || v === void 0) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") {
    return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  }
  if (Array.isArray(v)) return "[" + v.map(pyJson).join(", ") + "]";
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const o = v;
  return "{" + Object.keys(o).sort().map((k) => `${pyJson(k)}: ${pyJson(o[k])}`).join(", ") + "}";
}
function poetryContentHash(doc, withGroups) {
  const project = doc.project ?? {};
  const groups = withGroups ? doc["dependency-groups"] ?? {} : {};
  const poetry = (doc.tool ?? {}).poetry ?? {};
  const legacy = ["dependencies", "source", "extras", "dev-dependencies"];
  const relevantProject = {};
  for (const k of ["requires-python", "dependencies", "optional-dependencies"])
    if (project[k] !== void 0) relevantProject[k] = project[k];
  const hasProject = Object.keys(relevantProject).length > 0;
  const hasGroups = Object.keys(groups).length > 0;
  const relevantPoetry = {};
  for (const k of [...legacy, "group"]) {
    const data = poetry[k];
    if (data === void 0 && (!legacy.includes(k) || hasProject || hasGroups)) continue;
    relevantPoetry[k] = data ?? null;
  }
  let content = {};
  if (hasProject) content.project = relevantProject;
  if (hasGroups) content["dependency-groups"] = groups;
  if (Object.keys(content).length) content.tool = { poetry: relevantPoetry };
  else content = relevantPoetry;
  return createHash6("sha256").update(pyJson(content)).digest("hex");
}
function spec(s) {
  return s.split(",").map((c) => c.replace(/\s+/g, "")).filter(Boolean).sort().join(",");
}
function requirementKey(text) {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;@]*)/.exec(text);
  if (!m) return null;
  const extras = (m[2] ?? "").split(",").map((e) => normalizeName(e.trim())).filter(Boolean).sort();
  const s = m[3].trim().replace(/^\((.*)\)$/, "$1");
  return `${normalizeName(m[1])}${extras.length ? `[${extras.join(",")}]` : ""}${spec(s)}`;
}
function lockKey(e) {
  const extras = (e.extras ?? []).map(normalizeName).sort();
  return `${normalizeName(String(e.name))}${extras.length ? `[${extras.join(",")}]` : ""}${spec(String(e.specifier ?? ""))}`;
}
function diff(declared, locked) {
  const d = new Set(declared);
  const l = new Set(locked);
  return [...[...d].filter((x2) => !l.has(x2)).map((x2) => `+${x2}`), ...[...l].filter((x2) => !d.has(x2)).map((x2) => `\u2212${x2}`)].join(", ");
}
function uvLockDrift(pyproject, lockText, member) {
  const project = pyproject.project;
  if (!project) return null;
  let lock;
  try {
    lock = parse(lockText);
  } catch {
    return null;
  }
  const posix2 = (p) => p.replace(/\\/g, "/").replace(/\/+$/, "").replace(/^\.\//, "") || ".";
  const root = (lock.package ?? []).find((p) => {
    const s = p.source ?? {};
    const v = s.virtual ?? s.editable ?? s.directory;
    return typeof v === "string" && posix2(v) === posix2(member);
  });
  const meta = root?.metadata ?? null;
  if (!meta) return null;
  const declared = [
    ...project.dependencies ?? [],
    ...Object.values(project["optional-dependencies"] ?? {}).flat()
  ].filter((x2) => typeof x2 === "string").map(requirementKey).filter((x2) => !!x2);
  const locked = (meta["requires-dist"] ?? []).map(lockKey);
  const legacyDev = ((pyproject.tool ?? {}).uv ?? {})["dev-dependencies"];
  const groups = { ...pyproject["dependency-groups"] ?? {} };
  if (legacyDev) groups.dev = [...groups.dev ?? [], ...legacyDev];
  const lockedDev = meta["requires-dev"] ?? {};
  const declaredDev = Object.entries(groups).flatMap(
    ([g, xs]) => xs.filter((x2) => typeof x2 === "string").map(requirementKey).filter((x2) => !!x2).map((x2) => `${normalizeName(g)}:${x2}`)
  );
  const lockedDevKeys = Object.entries(lockedDev).flatMap(([g, xs]) => xs.map((x2) => `${normalizeName(g)}:${lockKey(x2)}`));
  const changes = [diff(declared, locked), diff(declaredDev, lockedDevKeys)].filter(Boolean).join(", ");
  return changes || null;
}

// src/python/declarations.ts
async function readOptional(path) {
  try {
    if (!(await stat5(path)).isFile())
      throw new UsageError(
        `${basename7(path)} is not a regular file \u2014 replace it with a regular file (a FIFO or device cannot be read safely)`
      );
    return await readFile5(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new UsageError(`cannot read ${path}: ${err.message}`);
  }
}
function stripDeep(value, secrets) {
  if (typeof value === "string") {
    return value.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s;,"']+/gi, (url) => {
      const s = stripCredentials(url);
      secrets.push(...s.secrets);
      return s.url;
    });
  }
  if (Array.isArray(value)) return value.map((v) => stripDeep(v, secrets));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDeep(v, secrets)]));
  }
  return value;
}
function dependencyTables(doc) {
  const project = doc.project ?? {};
  const tool = doc.tool ?? {};
  const poetry = tool.poetry ?? {};
  const uv = tool.uv ?? {};
  const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== void 0).map((k) => [k, o[k]]));
  return {
    "build-system": doc["build-system"] ?? null,
    project: pick(project, ["dependencies", "optional-dependencies", "requires-python", "dynamic", "name"]),
    "dependency-groups": doc["dependency-groups"] ?? null,
    "tool.poetry": pick(poetry, ["dependencies", "group", "extras", "source"]),
    "tool.uv": pick(uv, ["sources", "index", "constraint-dependencies", "override-dependencies"])
  };
}
function checkPyprojectTypes(doc) {
  const strings = (v) => Array.isArray(v) && v.every((x2) => typeof x2 === "string");
  const bad = (field, v, want) => new UsageError(`pyproject.toml: ${field} must be ${want}, not ${JSON.stringify(v)?.slice(0, 40)} \u2014 fix the file`);
  const isTable = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  if (doc.project !== void 0 && !isTable(doc.project)) throw bad("[project]", doc.project, "a table");
  const project = doc.project ?? {};
  if (project.dependencies !== void 0 && !strings(project.dependencies))
    throw bad("[project] dependencies", project.dependencies, "a list of requirement strings");
  const optional2 = project["optional-dependencies"];
  if (optional2 !== void 0) {
    if (!isTable(optional2)) throw bad("[project.optional-dependencies]", optional2, "a table of lists");
    for (const [k, v] of Object.entries(optional2))
      if (!strings(v)) throw bad(`[project.optional-dependencies] ${k}`, v, "a list of requirement strings");
  }
  const buildSystem = doc["build-system"];
  if (buildSystem !== void 0) {
    if (!isTable(buildSystem)) throw bad("[build-system]", buildSystem, "a table");
    if (buildSystem.requires !== void 0 && !strings(buildSystem.requires))
      throw bad("[build-system] requires", buildSystem.requires, "a list of requirement strings");
  }
}
function sourceAuth(doc, env, auth, secrets) {
  const tool = doc.tool ?? {};
  const envName = (n) => n.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  const add = (list2, userVar, passVar) => {
    for (const src of Array.isArray(list2) ? list2 : []) {
      if (typeof src.url !== "string") continue;
      const literal = userinfoOf(src.url);
      if (literal) auth[literal.origin] = literal.userinfo;
      const name = typeof src.name === "string" ? envName(src.name) : null;
      const user = name ? env[userVar(name)] : void 0;
      const pass = name ? env[passVar(name)] : void 0;
      if (user || pass) {
        try {
          auth[new URL(stripCredentials(src.url).url).origin] = `${user ?? ""}:${pass ?? ""}`;
          if (pass) secrets.push(pass);
        } catch {
        }
      }
    }
  };
  add(
    (tool.uv ?? {}).index,
    (n) => `UV_INDEX_${n}_USERNAME`,
    (n) => `UV_INDEX_${n}_PASSWORD`
  );
  add(
    (tool.poetry ?? {}).source,
    (n) => `POETRY_HTTP_BASIC_${n}_USERNAME`,
    (n) => `POETRY_HTTP_BASIC_${n}_PASSWORD`
  );
}
function linesWith(text, secrets) {
  return text.split("\n").map((l, i2) => secrets.some((s) => l.includes(s)) ? i2 + 1 : 0).filter(Boolean);
}
function globRegex(glob) {
  const body = glob.replace(/\/+$/, "").split("/").map(
    (seg) => seg === "**" ? ".*" : seg.replace(/[.+^$()|[\]{}\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")
  ).join("/");
  return new RegExp(`^${body}$`);
}
async function findWorkspaceLock(projectDir) {
  let dir = dirname8(projectDir);
  for (let depth = 0; depth < 8; depth++) {
    const py = await readOptional(join9(dir, "pyproject.toml"));
    if (py) {
      let doc = null;
      try {
        doc = parse(py.toString("utf8"));
      } catch {
        doc = null;
      }
      const ws = doc?.tool?.uv?.workspace;
      if (ws) {
        const member = relative3(dir, projectDir).split(sep2).join("/");
        const members = (ws.members ?? []).map(globRegex);
        const exclude = (ws.exclude ?? []).map(globRegex);
        if (members.some((r) => r.test(member)) && !exclude.some((r) => r.test(member))) {
          const lock = await readOptional(join9(dir, "uv.lock"));
          return lock ? { dir, member, text: lock.toString("utf8") } : null;
        }
        return null;
      }
    }
    if (await readOptional(join9(dir, ".git", "HEAD"))) return null;
    const up = dirname8(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}
function requiresPythonOf(doc, setupCfg, setupPy) {
  const project = doc?.project ?? {};
  if (typeof project["requires-python"] === "string") {
    return { where: `pyproject.toml: requires-python = "${project["requires-python"]}"`, spec: project["requires-python"] };
  }
  const poetryDeps = doc?.tool?.poetry?.dependencies ?? {};
  if (typeof poetryDeps.python === "string") {
    return { where: `pyproject.toml: [tool.poetry.dependencies] python = "${poetryDeps.python}"`, spec: poetryDeps.python };
  }
  const cfg = setupCfg ? /^\s*python_requires\s*=\s*(.+?)\s*$/m.exec(setupCfg.toString("utf8")) : null;
  if (cfg) return { where: `setup.cfg: python_requires = ${cfg[1]}`, spec: cfg[1] };
  const py = setupPy ? /\bpython_requires\s*=\s*(['"])([^'"]+)\1/.exec(setupPy.toString("utf8")) : null;
  if (py) return { where: `setup.py: python_requires=${py[1]}${py[2]}${py[1]}`, spec: py[2] };
  return null;
}
async function readDeclarations(projectDir, requirementsFile, opts = { extras: [], groups: [] }) {
  const env = opts.env ?? process.env;
  const reqName = requirementsFile ?? "requirements.txt";
  const [reqBytes, setupPy, setupCfg, pyprojectBytes, uvLock, pylock, poetryLock] = await Promise.all([
    readOptional(join9(projectDir, reqName)),
    readOptional(join9(projectDir, "setup.py")),
    readOptional(join9(projectDir, "setup.cfg")),
    readOptional(join9(projectDir, "pyproject.toml")),
    readOptional(join9(projectDir, "uv.lock")),
    readOptional(join9(projectDir, "pylock.toml")),
    readOptional(join9(projectDir, "poetry.lock"))
  ]);
  if (reqBytes === null && requirementsFile !== null) {
    throw new UsageError(
      `requirements file ${requirementsFile} does not exist in ${projectDir} \u2014 fix its name (--requirements, or the Action input requirements), relative to the project directory`
    );
  }
  let requirements = null;
  if (reqBytes !== null) {
    try {
      requirements = await parseRequirementsFile(projectDir, reqName, env);
    } catch (err) {
      if (err instanceof RequirementsError) throw new UsageError(err.message);
      throw err;
    }
  }
  const secrets = [...requirements?.secrets ?? []];
  const indexAuth = { ...requirements?.indexAuth ?? {} };
  const literalCredentials = [...requirements?.literalCredentials ?? []];
  let doc = null;
  let pyproject = null;
  let pyprojectDeclaresPackage = false;
  if (pyprojectBytes !== null) {
    try {
      doc = parse(pyprojectBytes.toString("utf8"));
    } catch (err) {
      const line = err.line;
      throw new UsageError(
        `pyproject.toml${line ? `:${line}` : ""}: invalid TOML (${err.message.split("\n")[0]}) \u2014 fix the file`
      );
    }
    checkPyprojectTypes(doc);
    const found = [];
    pyproject = stripDeep(dependencyTables(doc), found);
    const literal = [...new Set(found)];
    secrets.push(...literal);
    for (const line of linesWith(pyprojectBytes.toString("utf8"), literal)) literalCredentials.push({ file: "pyproject.toml", line });
    sourceAuth(doc, env, indexAuth, secrets);
    const tool = doc.tool ?? {};
    pyprojectDeclaresPackage = doc.project !== void 0 || tool.poetry !== void 0;
  }
  const poetryGroups = Object.keys(
    doc?.tool?.poetry?.group ?? {} ?? {}
  );
  const sel = { extras: opts.extras, groups: opts.groups, member: ".", declaredGroups: poetryGroups };
  const local = [
    ["uv.lock", uvLock],
    ["pylock.toml", pylock],
    ["poetry.lock", poetryLock]
  ];
  const hit = local.find(([, bytes]) => bytes !== null);
  let lockfile = hit ? parseLockfile(hit[0], hit[1].toString("utf8"), sel) : null;
  let uvLockText = hit?.[0] === "uv.lock" ? hit[1].toString("utf8") : null;
  let member = ".";
  if (!lockfile) {
    const ws = await findWorkspaceLock(resolve4(projectDir));
    if (ws) {
      const path = relative3(projectDir, join9(ws.dir, "uv.lock")).split(sep2).join("/");
      lockfile = parseLockfile("uv.lock", ws.text, { ...sel, member: ws.member }, path);
      uvLockText = ws.text;
      member = ws.member;
    }
  }
  if (lockfile && doc) {
    if (lockfile.kind === "uv.lock" && uvLockText !== null) {
      const drift = uvLockDrift(doc, uvLockText, member);
      if (drift) throw new UsageError(`${lockfile.path} is out of date with pyproject.toml (${drift}) \u2014 run uv lock and commit it`);
    }
    if (lockfile.kind === "poetry.lock") {
      const meta = parse(poetryLock.toString("utf8")).metadata ?? {};
      const recorded = meta["content-hash"];
      if (typeof recorded === "string" && recorded !== poetryContentHash(doc, true) && recorded !== poetryContentHash(doc, false)) {
        throw new UsageError(
          "poetry.lock is out of date with pyproject.toml (its content-hash does not match the dependency declarations) \u2014 run poetry lock and commit it"
        );
      }
    }
  }
  if (!lockfile && opts.groups.length) {
    const known = Object.keys(doc?.["dependency-groups"] ?? {});
    const unknown = opts.groups.filter((g) => !known.map(normalizeName).includes(normalizeName(g)));
    if (unknown.length) {
      throw new UsageError(
        `--groups ${unknown.join(",")}: pyproject.toml has no [dependency-groups] ${unknown.map((u) => `'${u}'`).join(", ")} (it has: ${known.sort().join(", ") || "none"}) \u2014 fix the name`
      );
    }
  }
  const packageFile = setupPy ? "setup.py" : pyprojectDeclaresPackage ? "pyproject.toml" : setupCfg && /^\s*\[options\]/m.test(setupCfg.toString("utf8")) ? "setup.cfg" : null;
  return {
    requirementsFile: reqBytes !== null ? reqName : null,
    requirements,
    setupPy,
    setupCfg,
    pyproject,
    pyprojectBytes,
    lockfile,
    packageFile,
    requiresPython: requiresPythonOf(doc, setupCfg, setupPy),
    secrets: [...new Set(secrets)],
    indexAuth,
    literalCredentials
  };
}

// src/archive/pexinfo.ts
import { createHash as createHash7 } from "node:crypto";

// src/archive/runtime/bootstrap.py
var bootstrap_default = `# pexpress runtime bootstrap (stdlib only, Python >= 3.9).
#
# The build prepends \`PEX_INFO = {...}\` (so the warm path needs no json import and no read of the
# archive's directory) and \`_COLD_SOURCE = "..."\` (runtime/cold.py, compiled only on the cold
# path). Warm path, per archive: one small read of its tail (the zip comment
# names its archive hash) and one read of $PEX_ROOT/pexpress/archives/<hash>; no hashing, no listing.
# It runs either from the zip (\`python3 source.pex\`) or, started as \`./source.pex\`, compiled under
# $PEX_ROOT/pexpress/boot/ by the shell preamble (archive/preamble.ts) with -sS: no site at all.
# The cold path hashes every byte it extracts, and only a tree whose bytes hash to H is ever stored
# under H (docs/runtime.md states the whole security model).
import os
import sys

# Every PEX_* variable the bootstrap reads: (name, type, default, help). docs/environment.md is
# generated from this literal (ast.literal_eval), so keep it a plain tuple of string tuples.
ENV_VARS = (
    ("PEX_ROOT", "path", "~/.cache/pex",
     "Where archives are extracted (under pexpress/). Relative paths and ~ are made absolute. When it "
     "cannot be written and lacks the extraction, a private temporary directory is used (one warning) "
     "and removed at exit."),
    ("PEX_PATH", "paths", "",
     "Deps archives to compose with this one, separated by ':'. Without it, source.pex uses the "
     "deps.pex next to its real file (symlinks resolved)."),
    ("PEX_MODULE", "string", "",
     "Run this module (\`pkg.mod\`) or function (\`pkg.mod:func\`) instead of the archive's entry point."),
    ("PEX_SCRIPT", "string", "",
     "Run this console script (or a file in a wheel's .data/scripts) of the dependencies."),
    ("PEX_INTERPRETER", "bool", "false",
     "Behave like python (REPL, -c, -m, a script) with the archive's sys.path, ignoring the entry point."),
    ("PEX_INHERIT_PATH", "choice:false,prefer,fallback", "false",
     "Whether the host's site-packages stay importable: false (isolated), prefer (before the "
     "archive's), fallback (after)."),
    ("PEX_EXTRA_SYS_PATH", "paths", "",
     "Directories appended to sys.path after the archive's own entries, separated by ':'."),
    ("PEX_PYTHON", "string", "",
     "The interpreter to run under: a name on PATH (python3.11) or a path. The bootstrap re-executes "
     "itself with it when it is not the running one."),
    ("PEX_PYTHON_PATH", "paths", "",
     "Where to look for PEX_PYTHON or the target's pythonX.Y (':'-separated); defaults to PATH."),
    ("PEX_VERBOSE", "int", "0", "Debug output on stderr when above 0."),
    ("PEX_EMIT_WARNINGS", "bool", "true", "Set to false to silence the runtime's warnings."),
    ("PEX_IGNORE_RCFILES", "bool", "false", "Accepted for pex compatibility: pexpress reads no rc files."),
    ("PEX_UNZIP", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_ALWAYS_CACHE", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_FORCE_LOCAL", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_VENV", "unsupported", "", "pex's venv mode; pexpress archives always run from their extraction: unset it."),
    ("PEX_VENV_BIN_PATH", "unsupported", "", "Only meaningful with PEX_VENV: unset it."),
    ("PEX_TOOLS", "unsupported", "", "pex-tools is not part of pexpress archives: unset it."),
    ("PEX_PROFILE", "unsupported", "", "Not supported: run \`python -m cProfile\` inside PEX_INTERPRETER=1 instead."),
    ("PEX_PROFILE_FILENAME", "unsupported", "", "Not supported (see PEX_PROFILE): unset it."),
    ("PEX_PROFILE_SORT", "unsupported", "", "Not supported (see PEX_PROFILE): unset it."),
    ("PEX_COVERAGE", "unsupported", "", "Not supported: run coverage inside PEX_INTERPRETER=1 instead."),
    ("PEX_COVERAGE_FILENAME", "unsupported", "", "Not supported (see PEX_COVERAGE): unset it."),
    ("PEX_IGNORE_ERRORS", "unsupported", "", "pexpress resolves at build time; there is nothing to ignore: unset it."),
    ("PEX_DISABLE_VARIABLES", "unsupported", "", "Not supported: unset the variables instead."),
    ("PEX_INTERPRETER_HISTORY", "unsupported", "", "Not supported: the REPL uses python's own history."),
    ("PEX_INTERPRETER_HISTORY_FILE", "unsupported", "", "Not supported: the REPL uses python's own history."),
    ("PEX_MAX_INSTALL_JOBS", "unsupported", "", "Not supported: extraction is a single sequential pass."),
)

_LAYOUT = 2
_MACHINES = {"x86_64": "linux_x86_64", "amd64": "linux_x86_64", "aarch64": "linux_aarch64", "arm64": "linux_aarch64"}
_HEX = "0123456789abcdef"
# Carries this run's PEX_* settings to a child only when the child runs this same archive file.
_CARRY = "__PEXPRESS_ENV__"
_REEXEC = "__PEXPRESS_REEXEC__"
_VERBOSE = 0
_WARN = True
_ROOTS = []


class _Fatal(Exception):
    """A condition the user must fix: reported as one line, never as a traceback."""


def _debug(msg):
    if _VERBOSE:
        sys.stderr.write("pexpress: " + msg + "\\n")


def _warn(msg):
    if _WARN:
        sys.stderr.write("pexpress: warning: " + msg + "\\n")


def _consume_env(self_path):
    """Reads every PEX_* variable once and removes it from os.environ, as pex does, so that a child
    process (another archive, a tool) never inherits this run's composition. A child that runs this
    same archive file again gets the same settings back through _CARRY."""
    env = os.environ
    raw = {}
    for key in [k for k in env if k.startswith("PEX_")]:
        raw[key] = env.pop(key)
    carried = env.pop(_CARRY, None)
    if carried:
        lines = carried.split("\\x1f")
        if lines[0] == self_path:
            for line in lines[1:]:
                key, _, value = line.partition("=")
                raw.setdefault(key, value)
    env["PEX"] = self_path
    if raw:
        # Paths travel absolute: the child may start in another working directory.
        carry = dict(raw)
        for key in ("PEX_ROOT", "PEX_PATH", "PEX_EXTRA_SYS_PATH", "PEX_PYTHON_PATH"):
            if carry.get(key):
                carry[key] = os.pathsep.join(os.path.abspath(os.path.expanduser(p)) if p else p
                                             for p in carry[key].split(os.pathsep))
        items = ["%s=%s" % kv for kv in sorted(carry.items()) if "\\x1f" not in kv[1]]
        env[_CARRY] = "\\x1f".join([self_path] + items)
    return _parse_env(raw)


def _parse_env(raw):
    """Strict like pex: a malformed value is one error line naming the variable, never a guess."""
    table = {}
    for name, kind, default, help_ in ENV_VARS:
        table[name] = (kind, default)
    settings = {}
    for name, value in raw.items():
        if name not in table or value == "":
            continue
        kind, default = table[name]
        if kind == "bool":
            low = value.lower()
            if low in ("1", "true"):
                parsed = True
            elif low in ("0", "false"):
                parsed = False
            else:
                raise _Fatal("%s=%s is not a boolean: use 1, 0, true or false" % (name, value))
            if default == "true" and name in ("PEX_UNZIP", "PEX_ALWAYS_CACHE", "PEX_FORCE_LOCAL") and not parsed:
                raise _Fatal("%s=%s is not supported: pexpress always extracts archives; unset it" % (name, value))
            settings[name] = parsed
        elif kind == "int":
            try:
                settings[name] = int(value)
            except ValueError:
                raise _Fatal("%s=%s is not an integer: use 0 (off) or a level such as 1" % (name, value))
        elif kind.startswith("choice:"):
            choices = kind[7:].split(",")
            if value not in choices:
                raise _Fatal("%s=%s is not one of %s" % (name, value, ", ".join(choices)))
            settings[name] = value
        elif kind == "unsupported":
            help_ = [h for n, _, _, h in ENV_VARS if n == name][0]
            raise _Fatal("%s is set but pexpress does not support it: %s" % (name, help_))
        else:
            settings[name] = value
    return settings


def _host_platform():
    if not sys.platform.startswith("linux"):
        return sys.platform
    return _MACHINES.get(os.uname().machine, "linux_" + os.uname().machine)


def _fits(python):
    """python is "3.11" (this minor only) or "3.11+" (any minor at or above: version-independent)."""
    have = sys.version_info[:2]
    if python.endswith("+"):
        want = tuple(int(x) for x in python[:-1].split("."))
        return have[0] == want[0] and have >= want
    return "%d.%d" % have == python


def _check_interpreter(name, python, platform, check_platform, settings):
    host = _host_platform()
    if sys.implementation.name == "cpython" and _fits(python) and (not check_platform or host == platform):
        return
    want = python.rstrip("+")
    if sys.implementation.name != "cpython" or not _fits(python):
        _cold()
        _reexec(_find_python("python" + want, settings), "python" + want)
    raise _Fatal(
        "%s was built for CPython %s on %s but this is %s %s on %s (%s): run it with python%s on %s, "
        "or rebuild with --python %s"
        % (name, python, platform, sys.implementation.name, sys.version.split()[0], host, sys.executable,
           want, platform, "%d.%d" % sys.version_info[:2])
    )


def _read_comment(path):
    """(kind, archive hash) from the zip comment at the end of the file, or None for a foreign file."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        n = min(size, 1024)
        f.seek(size - n)
        tail = f.read(n)
    i = tail.rfind(b"PK\\x05\\x06")
    if i < 0 or i + 22 > len(tail):
        return None
    length = int.from_bytes(tail[i + 20:i + 22], "little")
    parts = tail[i + 22:i + 22 + length].decode("ascii", "replace").split(":")
    if len(parts) != 4 or parts[0] != "pexpress":
        return None
    if parts[1] != str(_LAYOUT):
        raise _Fatal("%s has archive layout %s but this runtime reads layout %d: rebuild it with this pexpress version"
                     % (path, parts[1], _LAYOUT))
    if len(parts[3]) != 64 or parts[3].strip(_HEX):
        # Refused before it is ever joined to a path: this name becomes a directory entry.
        raise _Fatal("%s names an invalid archive hash %r (expected 64 lowercase hex digits): the archive is corrupt "
                     "or forged; fetch it again" % (path, parts[3][:80]))
    return parts[2], parts[3]


def _pex_root(settings):
    root = settings.get("PEX_ROOT") or os.path.join("~", ".cache", "pex")
    return os.path.join(os.path.abspath(os.path.expanduser(root)), "pexpress")


def _parse_marker(root, text):
    lines = text.splitlines()
    head = lines[0].split() if lines else []
    if len(head) != 5 or head[0] != "pexpress-archive":
        return None
    entries = []
    names = []
    for line in lines[1:]:
        parts = line.split(" ")
        entries.append((os.path.join(root, parts[1]), parts[0] == "p"))
        names.append(parts[3].split(",") if len(parts) > 3 and parts[3] else [] if len(parts) > 3 else None)
    return head[2], head[3], head[4], entries, names


def _activate(archive, archive_hash, settings):
    """Returns (kind, python, platform, [(dir, has_pth)]) for an archive, extracting it on first use."""
    for root in _ROOTS:
        marker = os.path.join(root, "archives", archive_hash)
        try:
            with open(marker) as f:
                text = f.read()
        except OSError as e:
            # Missing, or unreadable/not a directory: the cold path extracts or falls back.
            _debug("no extraction at %s (%s)" % (marker, e.strerror))
            continue
        parsed = _parse_marker(root, text)
        if parsed is None:
            raise _Fatal("cache entry %s is corrupt: delete it (rm %s) and run again" % (marker, marker))
        return parsed
    _cold()
    root, text = _extract(archive, archive_hash, settings)
    return _parse_marker(root, text)


def _cold():
    """Defines the cold-path code (runtime/cold.py, embedded by the build as _COLD_SOURCE):
    extraction, console scripts, re-execution, interpreter options."""
    if "_extract" not in globals():
        exec(compile(_COLD_SOURCE, "<pexpress cold.py>", "exec"), globals())


def _ensure_boot(archive_hash):
    """Lets the next \`./source.pex\` start through boot/: compiles the bootstrap the cold path saved
    from this archive's verified bytes (boot/<hash>.py) for the running interpreter, once."""
    base = os.path.join(_ROOTS[0], "boot", archive_hash)
    if not os.path.exists(base) and os.path.exists(base + ".py"):
        _cold()
        _write_boot(base)


def _deps_archives(self_path, kind, settings):
    spec = settings.get("PEX_PATH", "")
    paths = [p for p in spec.split(os.pathsep) if p]
    paths += [p for p in PEX_INFO.get("pex_path") or [] if p]
    if kind == "deps":
        paths.insert(0, self_path)
    if paths or kind == "deps":
        return paths
    deps = PEX_INFO["pexpress"].get("deps")
    if not deps:
        return []
    sibling = os.path.join(os.path.dirname(self_path), "deps.pex")
    fetch = "pexpress fetch %s -o deps.pex" % deps["sha256"]
    if not os.path.exists(sibling):
        raise _Fatal(
            "%s needs its deps archive (sha256 %s...): put deps.pex next to it or set "
            "PEX_PATH=/path/to/deps.pex (fetch it with: %s)" % (os.path.basename(self_path), deps["sha256"][:12], fetch)
        )
    try:
        got = _read_comment(sibling)
    except _Fatal:
        got = None
    if got is None or got[1] != deps["archive_hash"]:
        raise _Fatal(
            "%s next to %s is from a different build (it was built against deps.pex sha256 %s...): fetch the "
            "matching one with: %s, or set PEX_PATH" % (sibling, os.path.basename(self_path), deps["sha256"][:12], fetch)
        )
    return [sibling]


def _stdlib_dirs():
    lib = os.path.dirname(os.__file__)
    return lib, os.path.join(lib, "lib-dynload")


def _split_host_path(self_paths):
    """Splits sys.path into the interpreter's own stdlib entries and what the host added."""
    lib, dynload = _stdlib_dirs()
    zipname = "python%d%d.zip" % sys.version_info[:2]
    keep, host = [], []
    for entry in sys.path:
        absolute = os.path.abspath(entry) if entry else os.getcwd()
        if absolute in self_paths:
            continue
        in_stdlib = absolute in (lib, dynload) or absolute.endswith(os.sep + zipname)
        if in_stdlib and "site-packages" not in absolute and "dist-packages" not in absolute:
            keep.append(entry)
        elif entry not in host:
            host.append(entry)
    return keep, host


def _scrub_modules(host):
    """Forgets modules that .pth files of the host's site-packages imported (e.g. _distutils_hack)."""
    prefixes = tuple(os.path.abspath(h) + os.sep for h in host if h)
    if not prefixes:
        return
    gone = set()
    for name, mod in list(sys.modules.items()):
        if name == "__main__":
            continue  # the running bootstrap (its file is under $PEX_ROOT when started through boot/)
        f = getattr(mod, "__file__", None)
        if f and os.path.abspath(f).startswith(prefixes):
            del sys.modules[name]
            gone.add(name)
    if gone:
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(type(f), "__module__", None) not in gone
                            and getattr(f, "__module__", None) not in gone]
    for h in host:
        sys.path_importer_cache.pop(h, None)


def _setup_sys_path(self_paths, source_dirs, wheel_dirs, settings):
    inherit = settings.get("PEX_INHERIT_PATH") or PEX_INFO.get("inherit_path") or "false"
    if inherit not in ("false", "prefer", "fallback"):
        raise _Fatal("PEX_INHERIT_PATH=%s is not one of false, prefer, fallback" % inherit)
    keep, host = _split_host_path(self_paths)
    if inherit == "false":
        _scrub_modules(host)
    new = list(source_dirs) + keep
    if inherit == "prefer":
        new += host
    sys.path[:] = new
    needs_site = [d for d, pth in wheel_dirs if pth]
    if needs_site:
        import site
    for d, pth in wheel_dirs:
        if pth:
            site.addsitedir(d)
        else:
            sys.path.append(d)
    if inherit == "fallback":
        sys.path.extend(h for h in host if h not in sys.path)
    if sys.flags.no_site:
        # Started through boot/ (-S): what site would have added besides site-packages, which
        # applications use (exit() in a script, help() in the REPL).
        import site

        site.setquit()
        site.setcopyright()
        site.sethelper()
    extra = settings.get("PEX_EXTRA_SYS_PATH")
    if extra:
        sys.path.extend(os.path.abspath(p) for p in extra.split(os.pathsep) if p)


class _WheelIndex(object):
    """Finds a top-level import in the one wheel tree that provides it, instead of asking every
    wheel tree on sys.path in turn (each a stat; 250 wheels made an import ~10x slower than one
    site-packages). Same answer as the ordinary search: the entries before the wheels (the
    script's directory, the code, the stdlib) are searched first, and anything unusual
    (namespace packages, wheels removed from sys.path) is left to the ordinary search."""

    def __init__(self, index, dirs, path_finder):
        self.index = index
        self.dirs = dirs
        self.path_finder = path_finder

    def find_spec(self, name, path=None, target=None):
        if path is not None:
            return None
        where = self.index.get(name)
        if where is None:
            return None
        head = []
        for entry in sys.path:
            if entry in self.dirs:
                break
            head.append(entry)
        else:
            return None
        spec = self.path_finder.find_spec(name, head)
        if spec is None:
            spec = self.path_finder.find_spec(name, where)
        if spec is None or spec.loader is None:
            return None
        return spec

    def invalidate_caches(self):
        pass


def _install_index(wheel_dirs, wheel_names):
    if not wheel_dirs or any(n is None for n in wheel_names):
        return  # a marker from before the index: the ordinary search
    finders = [f for f in sys.meta_path if getattr(f, "__name__", None) == "PathFinder"]
    if not finders:
        return
    index = {}
    for (d, _), names in zip(wheel_dirs, wheel_names):
        for name in names:
            index.setdefault(name, []).append(d)
    sys.meta_path.insert(sys.meta_path.index(finders[0]), _WheelIndex(index, set(d for d, _ in wheel_dirs), finders[0]))


def _call(spec):
    module, _, attr = spec.partition(":")
    import importlib

    # As for a console script in a venv: __main__ has no package, so a reloader that re-runs
    # sys.argv (werkzeug's, for flask run --reload) re-runs this archive, not \`python -m <name>\`.
    sys.modules["__main__"].__package__ = None

    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    sys.exit(obj())


def _run_module(spec, argv0=None):
    if ":" in spec:
        _call(spec)
    import runpy

    if argv0 is not None:
        sys.argv[0] = argv0
    runpy.run_module(spec, run_name="__main__", alter_sys=True)


def _exec_main(code, filename):
    main = type(sys)("__main__")
    main.__dict__["__builtins__"] = __builtins__
    main.__file__ = filename if filename not in ("<string>", "<stdin>") else None
    if main.__file__ is None:
        del main.__file__
    sys.modules["__main__"] = main
    exec(compile(code, filename, "exec"), main.__dict__)


def _interpreter(args, self_path):
    """Behaves like \`python3 [ -c CODE | -m MOD | SCRIPT | - ] ARGS\` (or a REPL) with our sys.path."""
    if args and args[0].startswith("-") and args[0] not in ("-", "-c", "-m"):
        _cold()
        flags, rest = _split_flags(args)
        if flags:
            if _REEXECED:
                raise _Fatal("interpreter options %s could not be applied" % " ".join(flags))
            os.environ[_REEXEC] = sys.executable
            os.execv(sys.executable, [sys.executable] + flags + [_ORIG_ARGV[0]] + rest)
        args = rest
    if not args:
        if sys.stdin.isatty():
            import code
            import types

            sys.argv = [""]
            # A fresh __main__ as the console's namespace: rlcompleter completes from __main__.
            main = types.ModuleType("__main__")
            main.__dict__["__builtins__"] = __builtins__
            sys.modules["__main__"] = main
            if sys.flags.no_site:
                import site

                site.enablerlcompleter()
            hook = getattr(sys, "__interactivehook__", None)
            if hook:
                try:
                    hook()  # tab completion and history, as in python's own REPL
                except Exception:
                    pass
            code.interact(banner="Python %s (pexpress %s)" % (sys.version.split()[0], PEX_INFO["pexpress"]["kind"]),
                          local=main.__dict__, exitmsg="")
            return
        args = ["-"]
    first = args[0]
    if first == "-c":
        if len(args) < 2:
            raise _Fatal("-c needs an argument (the code to run)")
        sys.argv = ["-c"] + args[2:]
        sys.path.insert(0, "")
        _exec_main(args[1], "<string>")
    elif first == "-m":
        if len(args) < 2:
            raise _Fatal("-m needs an argument (the module to run)")
        sys.argv = [args[1]] + args[2:]
        sys.path.insert(0, os.getcwd())
        _run_module(args[1])
    elif first == "-":
        sys.argv = ["-"] + args[1:]
        _exec_main(sys.stdin.read(), "<stdin>")
    else:
        import runpy

        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(first)))
        runpy.run_path(first, run_name="__main__")


def _self_archive():
    archive = getattr(globals().get("__loader__"), "archive", None)
    return os.path.abspath(archive or sys.argv[0])


if __name__ == "__main__" and sys.argv[0].endswith(".pyc") and getattr(globals().get("__loader__"), "archive", None) is None:
    # Exec'd by the shell preamble as \`python -sS $PEX_ROOT/pexpress/boot/<hash>.pyc ARCHIVE ARGS...\`:
    # from here on, argv is what it is when the archive runs from its zip.
    _BOOTED = sys.argv.pop(0)
else:
    _BOOTED = None
_ORIG_ARGV = list(sys.argv)
# Set by a re-execution of this archive (another interpreter, interpreter options): never twice.
_REEXECED = os.environ.pop(_REEXEC, None)


def _boot():
    global _VERBOSE, _WARN
    meta = PEX_INFO["pexpress"]
    kind = meta["kind"]
    given = _self_archive()
    # A symlinked archive (/usr/local/bin/myapp -> /opt/app/source.pex) finds deps.pex next to its real file.
    self_path = os.path.realpath(given)
    settings = _consume_env(self_path)
    _VERBOSE = settings.get("PEX_VERBOSE", 0) > 0
    _WARN = settings.get("PEX_EMIT_WARNINGS", True)
    _ROOTS[:] = [_pex_root(settings)]
    wanted = settings.get("PEX_PYTHON")
    if wanted:
        _cold()
        python = _find_python(wanted, settings)
        if not python:
            raise _Fatal("PEX_PYTHON=%s: no such interpreter on %s" % (wanted, "PEX_PYTHON_PATH" if settings.get(
                "PEX_PYTHON_PATH") else "PATH"))
        if os.path.realpath(python) != os.path.realpath(sys.executable):
            _reexec(python, "PEX_PYTHON")
    self_python = meta["python"] + ("+" if kind == "source" else "")
    _check_interpreter(os.path.basename(given), self_python, meta["platform"], kind == "deps", settings)
    source_dirs, wheel_dirs, wheel_names = [], [], []
    if kind == "source":
        ident = _read_comment(self_path)
        if ident is None:
            raise _Fatal("%s has no pexpress comment (truncated?): fetch it again" % self_path)
        source_dirs = [d for d, _ in _activate(self_path, ident[1], settings)[3]]
        if not wanted and not _BOOTED:
            _ensure_boot(ident[1])
    for archive in _deps_archives(self_path, kind, settings):
        archive = os.path.realpath(archive)
        if not os.path.isfile(archive):
            raise _Fatal("PEX_PATH entry %s does not exist: fix PEX_PATH (fetch it with pexpress fetch SHA256 -o FILE)" % archive)
        ident = _read_comment(archive)
        if ident is None:
            raise _Fatal("PEX_PATH entry %s is not a pexpress archive (or is truncated): rebuild or fetch it again" % archive)
        if ident[0] != "deps":
            raise _Fatal("PEX_PATH entry %s is a %s archive, not a deps archive" % (archive, ident[0]))
        kind_, python, platform, entries, names = _activate(archive, ident[1], settings)
        if kind_ != "deps":
            raise _Fatal("PEX_PATH entry %s is a %s archive, not a deps archive" % (archive, kind_))
        _check_interpreter(os.path.basename(archive), python, platform, True, settings)
        wheel_dirs.extend(entries)
        wheel_names.extend(names)
    # Started through boot/, sys.path[0] is that directory (python's "script directory"): ours, not the host's.
    ours = (given, self_path, os.path.dirname(os.path.abspath(_BOOTED))) if _BOOTED else (given, self_path)
    _setup_sys_path(ours, source_dirs, wheel_dirs, settings)
    _install_index(wheel_dirs, wheel_names)

    args = sys.argv[1:]
    if settings.get("PEX_INTERPRETER"):
        return _interpreter(args, self_path)
    script = settings.get("PEX_SCRIPT")
    if script:
        _cold()
        return _run_script(script, wheel_dirs, source_dirs)
    module = settings.get("PEX_MODULE") or PEX_INFO.get("entry_point")
    if module:
        return _run_module(module)
    return _interpreter(args, self_path)


def _main():
    try:
        _boot()
    except _Fatal as e:
        sys.stderr.write("pexpress: %s\\n" % e)
        sys.exit(1)


if __name__ == "__main__":
    _main()
`;

// src/archive/runtime/cold.py
var cold_default = '# pexpress runtime: the cold path (stdlib only, Python >= 3.9).\n#\n# Extraction, console scripts, re-execution and interpreter options: the build embeds this file in\n# the bootstrap as a string, compiled only when one of these is needed (see _cold() there), so a\n# warm start of an entry point never pays for compiling it. It runs in the bootstrap\'s namespace:\n# _Fatal, _debug, _warn, _ROOTS, _LAYOUT, _ORIG_ARGV, _REEXEC, _REEXECED, _pex_root, _call and\n# _check_interpreter come from bootstrap.py.\nimport os\nimport sys\n\ndef _private_root():\n    import atexit\n    import shutil\n    import tempfile\n\n    path = tempfile.mkdtemp(prefix="pexpress-")\n    atexit.register(shutil.rmtree, path, True)\n    root = os.path.join(path, "pexpress")\n    _ROOTS.append(root)\n    return root\n\n\ndef _prepare_root(root):\n    """Creates the cache layout and takes the extraction lock. Returns the lock fd, or None when the\n    root cannot be written (read-only container, foreign owner): the caller falls back."""\n    import errno\n\n    try:\n        for sub in ("archives", "wheels", "code"):\n            os.makedirs(os.path.join(root, sub), exist_ok=True)\n        fd = os.open(os.path.join(root, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)\n    except OSError as e:\n        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR):\n            return None, e\n        raise _Fatal("cannot create %s (%s): set PEX_ROOT to a writable directory" % (root, e.strerror))\n    try:\n        import fcntl\n\n        fcntl.flock(fd, fcntl.LOCK_EX)\n    except (ImportError, OSError):\n        pass  # no locking here (some network filesystems): extractions still never corrupt each other\n    return fd, None\n\n\ndef _clean_stale(root):\n    """Removes temp trees of extractions whose process is gone (killed mid-way)."""\n    import shutil\n\n    for sub in ("wheels", "code", "archives", "boot"):\n        d = os.path.join(root, sub)\n        try:\n            names = os.listdir(d)\n        except OSError:\n            continue\n        for name in names:\n            if not (name.startswith(".") and name.endswith(".tmp")):\n                continue\n            try:\n                pid = int(name.split(".")[1])\n                os.kill(pid, 0)\n                continue\n            except ProcessLookupError:\n                pass\n            except (ValueError, IndexError, PermissionError):\n                continue\n            _debug("removing %s left by a killed extraction" % name)\n            path = os.path.join(d, name)\n            if os.path.isdir(path):\n                shutil.rmtree(path, ignore_errors=True)\n            else:\n                try:\n                    os.unlink(path)\n                except OSError:\n                    pass\n\n\ndef _extract(archive, archive_hash, settings):\n    """Cold path: verifies and extracts under the lock, falling back to a private root when the\n    configured one cannot be written. Returns (root, marker text)."""\n    import errno\n\n    root = _ROOTS[0] if _ROOTS else _pex_root(settings)\n    if len(_ROOTS) > 1:\n        root = _ROOTS[-1]\n    fd, why = _prepare_root(root)\n    if fd is None:\n        _warn("%s is not writable (%s): extracting to a private temporary directory, removed at exit; set PEX_ROOT "\n              "to a writable directory to extract once" % (root, why.strerror))\n        root = _private_root()\n        fd, why = _prepare_root(root)\n        if fd is None:\n            raise _Fatal("cannot create %s (%s): set TMPDIR or PEX_ROOT to a writable directory" % (root, why.strerror))\n    try:\n        marker = os.path.join(root, "archives", archive_hash)\n        if os.path.isfile(marker):\n            with open(marker) as f:\n                _debug("another process extracted %s first" % archive)\n                return root, f.read()\n        _clean_stale(root)\n        _debug("extracting %s to %s" % (archive, root))\n        tmp = os.path.join(root, "archives", ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))\n        try:\n            extraction = _Extraction(archive, archive_hash, root, settings)\n            text = extraction.run()\n            with open(tmp, "w") as f:\n                f.write(text)\n            os.replace(tmp, marker)\n        except OSError as e:\n            if os.path.exists(tmp):\n                os.unlink(tmp)\n            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):\n                raise _Fatal("cannot extract %s into %s (%s): free space there or set PEX_ROOT to a larger, writable "\n                             "directory" % (os.path.basename(archive), root, e.strerror))\n            raise _Fatal("cannot extract %s into %s (%s)" % (os.path.basename(archive), root, e))\n        if extraction.main is not None and root == _ROOTS[0]:\n            _save_boot_source(root, archive_hash, extraction.main)\n        return root, text\n    finally:\n        os.close(fd)\n\n\nclass _Extraction(object):\n    """One sequential pass over the archive\'s bytes: everything read is hashed, and what is extracted\n    is exactly what was hashed (a file rewritten while we read it cannot slip other bytes in). Each\n    unit (a wheel of a deps archive, the code of a source archive) lands in a directory named by the\n    hash of its extracted content; the archive\'s marker is written only when the whole archive\n    hashes to the hash its comment names."""\n\n    def __init__(self, archive, archive_hash, root, settings):\n        self.archive = archive\n        self.name = os.path.basename(archive)\n        self.hash = archive_hash\n        self.root = root\n        self.settings = settings\n\n    main = None  # a source archive\'s __main__.py, once the whole archive is verified\n\n    def refuse(self, why):\n        raise _Fatal("refusing to extract %s: %s (corrupt or malicious archive; fetch it again)" % (self.archive, why))\n\n    def run(self):\n        import shutil\n\n        self.temps = []\n        try:\n            with open(self.archive, "rb") as f:\n                return self._run(f)\n        finally:\n            for t in self.temps:\n                shutil.rmtree(t, ignore_errors=True)\n\n    def _run(self, f):\n        import hashlib\n        import json\n        import stat\n        import struct\n        import zlib\n\n        size = os.fstat(f.fileno()).st_size\n        n = min(size, (1 << 16) + 22)\n        f.seek(size - n)\n        tail = f.read(n)\n        comment = ("pexpress:%d:" % _LAYOUT).encode()\n        eocd = tail.rfind(b"PK\\x05\\x06")\n        if eocd < 0 or eocd + 22 > len(tail):\n            self.refuse("no zip directory")\n        clen = struct.unpack("<H", tail[eocd + 20:eocd + 22])[0]\n        if eocd + 22 + clen != len(tail) or not tail[eocd + 22:].startswith(comment):\n            self.refuse("its zip comment is not the last thing in the file")\n        if tail[eocd + 22:].decode("ascii", "replace").split(":")[-1] != self.hash:\n            self.refuse("its comment changed while it was read")\n        body_end = size - clen\n        count, cd_size, cd_off = struct.unpack("<HII", tail[eocd + 10:eocd + 20])\n        cd_end = size - n + eocd\n        if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_off == 0xFFFFFFFF:\n            loc = eocd - 20\n            if loc < 0 or tail[loc:loc + 4] != b"PK\\x06\\x07":\n                self.refuse("a zip64 directory without its locator")\n            rec = struct.unpack("<Q", tail[loc + 8:loc + 16])[0]\n            f.seek(rec)\n            z64 = f.read(56)\n            if len(z64) != 56 or z64[:4] != b"PK\\x06\\x06":\n                self.refuse("a damaged zip64 directory")\n            count, _, cd_size, cd_off = struct.unpack("<QQQQ", z64[24:56])\n            cd_end = rec\n        if cd_off + cd_size != cd_end or cd_end > body_end:\n            self.refuse("its zip directory is not where its end record says")\n        f.seek(cd_off)\n        directory = f.read(body_end - cd_off)\n        if len(directory) != body_end - cd_off:\n            self.refuse("it is truncated")\n\n        # The central directory decides what is extracted; every check happens before any write.\n        entries = []\n        names = set()\n        files = set()\n        pos = 0\n        for _ in range(count):\n            if directory[pos:pos + 4] != b"PK\\x01\\x02":\n                self.refuse("a damaged zip directory entry")\n            (flags, method, crc, csize, usize, nlen, xlen, klen) = struct.unpack(\n                "<HHxxxxIIIHHH", directory[pos + 8:pos + 34])\n            attr, offset = struct.unpack("<II", directory[pos + 38:pos + 46])\n            raw = directory[pos + 46:pos + 46 + nlen]\n            if 0xFFFFFFFF in (csize, usize, offset):\n                # Past 4 GiB (a multi-gigabyte deps archive): the real values are in the zip64 field.\n                usize, csize, offset = self._zip64(raw, directory[pos + 46 + nlen:pos + 46 + nlen + xlen],\n                                                   (usize, csize, offset))\n            pos += 46 + nlen + xlen + klen\n            try:\n                name = raw.decode("utf-8")\n            except UnicodeDecodeError:\n                self.refuse("an entry name that is not UTF-8")\n            is_dir = name.endswith("/")\n            bare = name[:-1] if is_dir else name\n            parts = bare.split("/")\n            if (bare == "" or name.startswith("/") or "\\\\" in name or (len(name) > 1 and name[1] == ":")\n                    or not name.isprintable() or any(p in ("", ".", "..") for p in parts)):\n                self.refuse("entry %r escapes the extraction directory or has an invalid name" % name)\n            mode = attr >> 16\n            if stat.S_ISLNK(mode):\n                self.refuse("entry %r is a symbolic link" % name)\n            if bare in names:\n                self.refuse("entry %r appears twice" % name)\n            names.add(bare)\n            if not is_dir:\n                files.add(bare)\n            if flags & 0x1:\n                self.refuse("entry %r is encrypted" % name)\n            if flags & 0x8:\n                self.refuse("entry %r uses a data descriptor (pexpress never writes one)" % name)\n            if method not in (0, 8):\n                self.refuse("entry %r uses compression method %d" % (name, method))\n            if method == 0 and csize != usize:\n                self.refuse("stored entry %r declares two sizes" % name)\n            entries.append((offset, name, bare, is_dir, bool(mode & 0o111), method, crc, csize, usize, raw))\n        if pos != cd_size:\n            self.refuse("its zip directory has %d bytes more than its entries" % (cd_size - pos))\n        for bare in names:\n            parent = bare.rpartition("/")[0]\n            while parent:\n                if parent in files:\n                    self.refuse("entry %r is both a file and a directory" % parent)\n                parent = parent.rpartition("/")[0]\n        entries.sort()\n        for a, b in zip(entries, entries[1:]):\n            if a[0] + 30 + len(a[9]) + a[7] > b[0]:\n                self.refuse("entries %r and %r overlap" % (a[1], b[1]))\n        if entries and entries[-1][0] + 30 + len(entries[-1][9]) + entries[-1][7] > cd_off:\n            self.refuse("entry %r overlaps the zip directory" % entries[-1][1])\n\n        info_entry = [e for e in entries if e[1] == "PEX-INFO"]\n        if not info_entry:\n            self.refuse("it has no PEX-INFO")\n        info_bytes = self._read_member(f, info_entry[0])\n        try:\n            info = json.loads(info_bytes.decode("utf-8"))\n            meta = info["pexpress"]\n            kind, python, platform = meta["kind"], meta["python"], meta["platform"]\n        except (ValueError, KeyError, TypeError):\n            self.refuse("its PEX-INFO is not valid")\n        if kind not in ("deps", "source"):\n            self.refuse("its PEX-INFO names an unknown kind %r" % kind)\n        # They end up in the marker\'s first line and in version checks: plain tokens only.\n        if not (isinstance(python, str) and python.count(".") == 1 and python.replace(".", "").isdigit()):\n            self.refuse("its PEX-INFO names an invalid python %r" % (python,))\n        if not (isinstance(platform, str) and platform and platform.replace("_", "").replace(".", "").isalnum()):\n            self.refuse("its PEX-INFO names an invalid platform %r" % (platform,))\n        if kind == "source" or _independent(info.get("distributions") or {}, python):\n            python += "+"\n        _check_interpreter(self.name, python, platform, kind == "deps", self.settings)\n\n        # Units: what is extracted where. __main__.py and PEX-INFO run from the zip, never from disk.\n        units = {}\n        plan = []\n        for e in entries:\n            name = e[1]\n            if name in ("__main__.py", "PEX-INFO"):\n                plan.append((e, None, None))\n                continue\n            if kind == "deps":\n                if not name.startswith(".deps/"):\n                    self.refuse("entry %r is outside .deps/ in a deps archive" % name)\n                head, _, rel = name[6:].partition("/")\n                if not head:\n                    plan.append((e, None, None))  # the .deps/ directory itself\n                    continue\n                unit = head\n            else:\n                unit, rel = "", name\n            plan.append((e, unit, rel))\n            if unit not in units:\n                units[unit] = [0, None, None, hashlib.sha256(), False, set(), set()]\n            units[unit][0] += 1\n            if rel and "/" not in rel.rstrip("/") and rel.endswith(".pth"):\n                units[unit][4] = True\n            top = _importable_name(rel)\n            if top:\n                units[unit][6].add(top)\n        total = sum(e[8] for e in entries)\n        try:\n            st = os.statvfs(self.root)\n            free = st.f_bavail * st.f_frsize\n        except OSError:\n            free = None\n        if free is not None and total > free:\n            raise _Fatal("cannot extract %s into %s: it declares %d MB and only %d MB are free; free space there or set "\n                         "PEX_ROOT to a larger directory" % (self.name, self.root, total >> 20, free >> 20))\n\n        h = hashlib.sha256()\n        f.seek(0)\n        at = 0\n        pending_info = None\n        main = None\n        for e, unit, rel in plan:\n            offset, name, bare, is_dir, executable, method, crc, csize, usize, raw = e\n            if offset < at:\n                self.refuse("entry %r overlaps another" % name)\n            while at < offset:  # bytes between members (none from pexpress): hashed, never held whole\n                gap = f.read(min(offset - at, 1 << 20))\n                if not gap:\n                    self.refuse("it is truncated before entry %r" % name)\n                h.update(gap)\n                at += len(gap)\n            header = f.read(30)\n            h.update(header)\n            if len(header) != 30 or header[:4] != b"PK\\x03\\x04":\n                self.refuse("entry %r has no local header" % name)\n            lflags, lmethod, lcrc, lcsize, lusize, lnlen, lxlen = struct.unpack("<xxHHxxxxIIIHH", header[4:30])\n            lname = f.read(lnlen + lxlen)\n            h.update(lname)\n            if 0xFFFFFFFF in (lcsize, lusize):\n                lusize, lcsize = self._zip64(raw, lname[lnlen:], (0xFFFFFFFF, 0xFFFFFFFF))\n            if (lflags & 0x9, lmethod, lcrc, lcsize, lusize) != (0, method, crc, csize, usize):\n                self.refuse("entry %r: its local header disagrees with the directory" % name)\n            if lname[:lnlen] != raw:\n                self.refuse("entry %r: its local header names %r" % (name, lname[:lnlen]))\n            at = offset + 30 + lnlen + lxlen + csize\n            u = units.get(unit) if unit is not None else None\n            out = None\n            if u is not None and not is_dir:\n                if u[1] is None:\n                    self._start_unit(unit, u)\n                u[3].update(b"%s\\0%s\\0%d\\0" % (rel.encode("utf-8"), b"x" if executable else b"-", usize))\n                path = os.path.join(u[1], *rel.split("/"))\n                parent = os.path.dirname(path)\n                if parent not in u[5]:\n                    os.makedirs(parent, exist_ok=True)\n                    u[5].add(parent)\n                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755 if executable else 0o644)\n            elif u is not None:\n                if u[1] is None:\n                    self._start_unit(unit, u)\n                u[3].update(b"%s\\0d\\0" % rel.encode("utf-8"))\n                if rel:\n                    path = os.path.join(u[1], *rel.rstrip("/").split("/"))\n                    os.makedirs(path, exist_ok=True)\n                    u[5].add(path)\n            keep = name == "PEX-INFO" or (name == "__main__.py" and kind == "source")\n            kept = []\n            z = zlib.decompressobj(-15) if method == 8 else None\n            produced = 0\n            check = 0\n            left = csize\n            try:\n                while left > 0:\n                    chunk = f.read(min(left, 1 << 20))\n                    if not chunk:\n                        self.refuse("it is truncated inside entry %r" % name)\n                    left -= len(chunk)\n                    h.update(chunk)\n                    data = z.decompress(chunk, usize - produced + 1) if z else chunk\n                    if z and z.unconsumed_tail:\n                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))\n                    produced += len(data)\n                    if produced > usize:\n                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))\n                    check = zlib.crc32(data, check)\n                    if u is not None:\n                        u[3].update(data)\n                    if out is not None:\n                        os.write(out, data) if len(data) < 65536 else _write_all(out, data)\n                    if keep:\n                        kept.append(data)\n                if z:\n                    rest = z.flush()\n                    produced += len(rest)\n                    if produced > usize:\n                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))\n                    check = zlib.crc32(rest, check)\n                    if u is not None:\n                        u[3].update(rest)\n                    if out is not None:\n                        _write_all(out, rest)\n                    if keep:\n                        kept.append(rest)\n                    if not z.eof or z.unused_data:\n                        self.refuse("entry %r is not one complete deflate stream" % name)\n            except zlib.error as err:\n                self.refuse("entry %r does not inflate (%s)" % (name, err))\n            finally:\n                if out is not None:\n                    os.close(out)\n            if produced != usize or check != crc:\n                self.refuse("entry %r does not match its declared size and CRC" % name)\n            if keep and name == "PEX-INFO":\n                pending_info = b"".join(kept)\n            elif keep:\n                main = b"".join(kept)\n            if u is not None:\n                u[0] -= 1\n                if u[0] == 0:\n                    self._finish_unit(unit, u)\n        h.update(f.read(cd_off - at))\n        rest = f.read(body_end - cd_off)\n        h.update(rest)\n        if rest != directory:\n            self.refuse("its zip directory changed while it was read")\n        if pending_info != info_bytes:\n            self.refuse("its PEX-INFO changed while it was read")\n        if h.hexdigest() != self.hash:\n            self.refuse("its bytes hash to %s, not to the %s its comment names" % (h.hexdigest()[:16], self.hash[:16]))\n        if kind == "source":\n            self.main = main\n\n        lines = ["pexpress-archive %d %s %s %s" % (_LAYOUT, kind, python, platform)]\n        for unit in sorted(units):\n            u = units[unit]\n            # The fourth field: the top-level names a wheel provides, for the bootstrap\'s import index.\n            lines.append("%s %s %s %s" % ("p" if u[4] else "-", u[2], (unit or ".").replace(" ", "_"),\n                                          ",".join(sorted(u[6])) if unit else ""))\n        return "\\n".join(lines) + "\\n"\n\n    def _zip64(self, raw, extra, values):\n        """The zip64 extended information field (0x0001) holds, in this order, each of (uncompressed\n        size, compressed size, offset) whose 32-bit field is 0xFFFFFFFF."""\n        import struct\n\n        at = 0\n        while at + 4 <= len(extra):\n            tag, size = struct.unpack("<HH", extra[at:at + 4])\n            if tag == 0x0001:\n                data = extra[at + 4:at + 4 + size]\n                out = []\n                for v in values:\n                    if v == 0xFFFFFFFF:\n                        if len(data) < 8:\n                            break\n                        v = struct.unpack("<Q", data[:8])[0]\n                        data = data[8:]\n                    out.append(v)\n                else:\n                    return tuple(out)\n                break\n            at += 4 + size\n        self.refuse("entry %r declares zip64 sizes without a complete zip64 field" % raw.decode("utf-8", "replace"))\n\n    def _start_unit(self, unit, u):\n        sub = "wheels" if unit else "code"\n        u[1] = os.path.join(self.root, sub, ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))\n        os.mkdir(u[1])\n        self.temps.append(u[1])\n        u[5].add(u[1])\n\n    def _finish_unit(self, unit, u):\n        import shutil\n\n        sub = "wheels" if unit else "code"\n        if u[1] is None:  # a unit with directories only\n            self._start_unit(unit, u)\n        digest = u[3].hexdigest()\n        final = os.path.join(self.root, sub, digest)\n        u[2] = sub + "/" + digest\n        if os.path.isdir(final):\n            _debug("%s already extracted as %s" % (unit or "code", final))\n            shutil.rmtree(u[1], ignore_errors=True)\n        else:\n            try:\n                os.rename(u[1], final)\n            except OSError:\n                if not os.path.isdir(final):\n                    raise\n                shutil.rmtree(u[1], ignore_errors=True)\n        self.temps.remove(u[1])\n\n    def _read_member(self, f, e):\n        import struct\n        import zlib\n\n        offset, name, bare, is_dir, executable, method, crc, csize, usize, raw = e\n        f.seek(offset)\n        header = f.read(30)\n        if len(header) != 30 or header[:4] != b"PK\\x03\\x04":\n            self.refuse("entry %r has no local header" % name)\n        lnlen, lxlen = struct.unpack("<HH", header[26:30])\n        f.seek(offset + 30 + lnlen + lxlen)\n        data = f.read(csize)\n        try:\n            if method == 8:\n                z = zlib.decompressobj(-15)\n                data = z.decompress(data, usize + 1)\n        except zlib.error as err:\n            self.refuse("entry %r does not inflate (%s)" % (name, err))\n        if len(data) != usize or zlib.crc32(data) != crc:\n            self.refuse("entry %r does not match its declared size and CRC" % name)\n        return data\n\n\ndef _importable_name(rel):\n    """The top-level module or package name an entry of a wheel provides (`pkg/x.py` -> pkg,\n    `mod.cpython-311-x86_64-linux-gnu.so` -> mod), or None: metadata, scripts, data, .pth files."""\n    first, sep, _ = rel.partition("/")\n    if sep:\n        name = first\n    else:\n        name, dot, suffix = first.partition(".")\n        if not dot or not (suffix in ("py", "pyc", "so") or suffix.endswith(".so")):\n            return None\n    return name if name.isidentifier() else None\n\n\ndef _atomic_write(path, data):\n    tmp = os.path.join(os.path.dirname(path), ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))\n    try:\n        with open(tmp, "wb") as f:\n            f.write(data)\n        os.replace(tmp, path)\n    except BaseException:\n        try:\n            os.unlink(tmp)\n        except OSError:\n            pass\n        raise\n\n\ndef _save_boot_source(root, archive_hash, main):\n    """Keeps the verified bootstrap of a source archive as boot/<hash>.py: what _write_boot compiles.\n    Only bytes that hashed to <hash> land under that name, like every other extraction."""\n    try:\n        os.makedirs(os.path.join(root, "boot"), exist_ok=True)\n        _atomic_write(os.path.join(root, "boot", archive_hash + ".py"), main)\n    except OSError as e:\n        _debug("no boot entry for %s (%s)" % (archive_hash[:12], e.strerror))\n\n\ndef _write_boot(base):\n    """boot/<hash>.pyc (the bootstrap compiled for this interpreter), then boot/<hash> (this\n    interpreter\'s path): the shell preamble execs one with the other once the second exists."""\n    import marshal\n    import _frozen_importlib_external\n\n    python = os.path.realpath(sys.executable or "")\n    if not os.path.isabs(python) or "\\n" in python:\n        return\n    try:\n        with open(base + ".py", "rb") as f:\n            code = compile(f.read(), "<pexpress bootstrap>", "exec", dont_inherit=True, optimize=0)\n        # A pyc header with no source to check against: python runs a .pyc file given as the script\n        # after checking its magic number only.\n        _atomic_write(base + ".pyc", _frozen_importlib_external.MAGIC_NUMBER + b"\\0" * 12 + marshal.dumps(code))\n        _atomic_write(base, (python + "\\n").encode("utf-8"))\n        _debug("wrote %s for %s" % (base, python))\n    except (OSError, SyntaxError, ValueError) as e:\n        _debug("no boot entry at %s (%s)" % (base, e))\n\n\ndef _write_all(fd, data):\n    view = memoryview(data)\n    while view:\n        view = view[os.write(fd, view):]\n\n\ndef _independent(distributions, python):\n    """True when every wheel runs on any CPython minor at or above the target (py3-none-*, abi3)."""\n    want = tuple(int(x) for x in python.split("."))\n    for wheel in distributions:\n        parts = wheel[:-4].split("-")\n        if len(parts) < 5:\n            return False\n        pys, abis = parts[-3].split("."), parts[-2].split(".")\n        if "none" in abis and any(p in ("py3", "py2.py3") or p == "py3" for p in pys):\n            continue\n        if "abi3" in abis and all(p.startswith("cp3") and p[3:].isdigit() and (3, int(p[3:])) <= want for p in pys):\n            continue\n        return False\n    return True\n\n\ndef _find_python(name, settings):\n    if os.sep in name:\n        return name if os.access(name, os.X_OK) else None\n    search = settings.get("PEX_PYTHON_PATH") or os.environ.get("PATH", "")\n    for d in search.split(os.pathsep):\n        candidate = os.path.join(d, name)\n        if d and os.path.isfile(candidate) and os.access(candidate, os.X_OK):\n            return candidate\n        if os.path.isfile(d) and os.path.basename(d) == name and os.access(d, os.X_OK):\n            return d\n    return None\n\n\ndef _reexec(python, what):\n    """Runs this archive again under another interpreter, once (a loop would be a bug, not a fix)."""\n    if not python or _REEXECED:\n        return\n    _debug("re-executing with %s (%s)" % (python, what))\n    os.environ[_REEXEC] = python\n    argv = [python] + list(_ORIG_ARGV)\n    try:\n        os.execv(python, argv)\n    except OSError as e:\n        raise _Fatal("cannot run %s (%s): fix PEX_PYTHON or PATH" % (python, e.strerror))\n\n\ndef _run_script(name, wheel_dirs, source_dirs):\n    """A console script of the project itself (its *.dist-info is in source.pex) or of a dependency\n    (its entry points, or a file it ships in .data/scripts)."""\n    found = {}\n    for d, _ in [(s, None) for s in source_dirs] + list(wheel_dirs):\n        if not os.path.isdir(d):\n            continue\n        for entry in sorted(os.listdir(d)):\n            if entry.endswith(".dist-info"):\n                eps = os.path.join(d, entry, "entry_points.txt")\n                if not os.path.isfile(eps):\n                    continue\n                section = None\n                with open(eps, encoding="utf-8") as f:\n                    for line in f:\n                        line = line.strip()\n                        if line.startswith("["):\n                            section = line.strip("[]").strip()\n                        elif "=" in line and section in ("console_scripts", "gui_scripts"):\n                            key, value = line.split("=", 1)\n                            found.setdefault(key.strip(), ("entry", value.split("[")[0].strip()))\n            elif entry.endswith(".data"):\n                scripts = os.path.join(d, entry, "scripts")\n                if os.path.isdir(scripts):\n                    for s in os.listdir(scripts):\n                        found.setdefault(s, ("file", os.path.join(scripts, s)))\n    if name not in found:\n        raise _Fatal("PEX_SCRIPT=%s: no such script in the archives; available: %s"\n                     % (name, ", ".join(sorted(found)) or "none"))\n    how, target = found[name]\n    # sys.path[0] of a console script is its own directory; tools such as dagster drop it before\n    # importing the user\'s code. As with pex, the user\'s code stays on sys.path after that drop.\n    if source_dirs:\n        sys.path.insert(0, source_dirs[0])\n    if how == "entry":\n        # As for a console script in a venv: argv[0] is a file that runs the same thing again.\n        sys.argv[0] = _ORIG_ARGV[0]\n        _call(target)\n    with open(target, "rb") as f:\n        first = f.readline()\n    if not (first.startswith(b"#!") and b"python" in first):\n        # A binary (uwsgi) or a non-Python script: exec it with the composed environment, and\n        # the archive\'s sys.path as PYTHONPATH for an interpreter it may embed.\n        composed = [p for p in sys.path[1:] if p]\n        old = os.environ.get("PYTHONPATH")\n        os.environ["PYTHONPATH"] = os.pathsep.join(composed + ([old] if old else []))\n        try:\n            os.execv(target, [target] + sys.argv[1:])\n        except OSError as e:\n            raise _Fatal("cannot run script %s (%s)" % (target, e.strerror))\n    import runpy\n\n    sys.argv[0] = target\n    runpy.run_path(target, run_name="__main__")\n\n\n# Interpreter options python accepts before the script; those after the archive are applied by\n# running the archive again with them in front (they change how the interpreter starts).\n_PY_FLAGS = "bBdEiIOPqRsSuv"\n_PY_FLAGS_WITH_ARG = "WX"\n\n\ndef _split_flags(args):\n    """Splits leading interpreter options (`-u -O`, `-uO`, `-W error`) from what follows them."""\n    flags = []\n    i = 0\n    while i < len(args):\n        a = args[i]\n        if a == "--":\n            return flags, args[i + 1:]\n        if not a.startswith("-") or a in ("-", "-c", "-m") or a.startswith("--"):\n            break\n        for j in range(1, len(a)):\n            ch = a[j]\n            if ch in "cm":\n                rest = [a[j + 1:]] if a[j + 1:] else []\n                return flags, ["-" + ch] + rest + args[i + 1:]\n            if ch in _PY_FLAGS_WITH_ARG:\n                value = a[j + 1:]\n                if not value:\n                    i += 1\n                    if i >= len(args):\n                        raise _Fatal("interpreter option -%s needs an argument" % ch)\n                    value = args[i]\n                flags.extend(["-" + ch, value])\n                break\n            if ch not in _PY_FLAGS:\n                raise _Fatal("interpreter option %s is not supported here: pass it to python before the archive "\n                             "(python3 %s ARCHIVE)" % (a, a))\n            flags.append("-" + ch)\n        i += 1\n    return flags, args[i:]\n';

// src/archive/preamble.ts
function slowPathVariables(bootstrap) {
  const block = /^ENV_VARS = \(\n([\s\S]*?)^\)$/m.exec(bootstrap);
  if (!block) throw new Error("runtime/bootstrap.py has no ENV_VARS literal");
  const names = [...block[1].matchAll(/^ {4}\("(PEX_[A-Z0-9_]+)",/gm)].map((m) => m[1]);
  return [...names.filter((n) => n !== "PEX_ROOT"), "__PEXPRESS_ENV__", "__PEXPRESS_REEXEC__"];
}
function sourcePreamble(python, bootstrap) {
  const vars = slowPathVariables(bootstrap).map((v) => `\${${v}-}`).join("");
  const lines = [
    "#!/bin/sh",
    `# A pexpress source archive: a zip file after this preamble. Run it as ./source.pex with deps.pex`,
    `# next to it, or as PEX_PATH=deps.pex python${python} source.pex. See pexpress's docs/runtime.md.`,
    `if [ -z "${vars}" ]; then`,
    // Names of its own: a variable the user exported under a short name (R, B, P) must reach the app unchanged.
    '  _pexpress_root="${PEX_ROOT:-${HOME:+$HOME/.cache/pex}}"',
    '  case "$_pexpress_root" in',
    "  /*)",
    '    _pexpress_boot="$_pexpress_root/pexpress/boot/$(tail -c 64 "$0" 2>/dev/null)"',
    // <H> is written after <H>.pyc: both exist once it does.
    '    if [ -f "$_pexpress_boot" ] && IFS= read -r _pexpress_python < "$_pexpress_boot" && [ -x "$_pexpress_python" ]; then',
    '      exec "$_pexpress_python" -sS "$_pexpress_boot.pyc" "$0" "$@"',
    "    fi",
    "  esac",
    "fi",
    `command -v python${python} >/dev/null 2>&1 && exec python${python} "$0" "$@"`,
    'command -v python3 >/dev/null 2>&1 && exec python3 "$0" "$@"',
    `echo "$0: needs python${python} (or python3) on PATH" >&2`,
    "exit 127"
  ];
  return lines.join("\n") + "\n";
}

// src/archive/pexinfo.ts
function shebang(target2) {
  return `#!/usr/bin/env python${target2.python}
`;
}
function sourcePrefix(target2) {
  return sourcePreamble(target2.python, bootstrap_default);
}
function canonicalJson(value) {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}
function sha256Hex(data) {
  return createHash7("sha256").update(data).digest("hex");
}
function makePexInfo(fields) {
  const { target: target2, inheritPath, ...rest } = fields;
  const info = {
    ...rest,
    build_properties: { pexpress_version: PEXPRESS_VERSION, platform: target2.platform, python: target2.python },
    interpreter_constraints: [`CPython==${target2.python}.*`],
    pex_path: [],
    inherit_path: inheritPath ?? "false"
  };
  const pex_hash = sha256Hex(canonicalJson(info) + "\0" + bootstrap_default + "\0" + cold_default);
  return { ...info, pex_hash };
}
function pexInfoBytes(info) {
  return Buffer.from(canonicalJson(info) + "\n", "utf8");
}
function archiveComment(info) {
  return (bodySha256) => `pexpress:${info.pexpress.layout}:${info.pexpress.kind}:${bodySha256}`;
}
function mainPy(info) {
  return Buffer.from(`PEX_INFO = ${pyLiteral(sortKeys(info))}
_COLD_SOURCE = ${pyLiteral(cold_default)}
${bootstrap_default}`, "utf8");
}
function pyLiteral(v) {
  if (v === null || v === void 0) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string")
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  if (Array.isArray(v)) return "[" + v.map(pyLiteral).join(", ") + "]";
  return "{" + Object.entries(v).map(([k, x2]) => `${pyLiteral(k)}: ${pyLiteral(x2)}`).join(", ") + "}";
}

// src/build/fingerprint.ts
function component2(name, value) {
  return { name, value, hash: sha256Hex(canonicalJson(value)) };
}
function declarationComponents(decl) {
  const out = [];
  if (decl.requirements && decl.requirementsFile) {
    const r = decl.requirements;
    const origins = {};
    for (const x2 of [...r.requirements, ...r.constraints])
      if (x2.source.file !== decl.requirementsFile) origins[x2.canonical] = x2.source.file;
    const c = component2(decl.requirementsFile, {
      requirements: r.requirements.map((x2) => x2.canonical),
      constraints: r.constraints.map((x2) => x2.canonical),
      indexUrl: r.indexUrl,
      extraIndexUrls: r.extraIndexUrls,
      findLinks: r.findLinks,
      options: r.options,
      local: r.editableOrLocal,
      includes: r.files.slice(1)
    });
    if (Object.keys(origins).length) c.origins = origins;
    out.push(c);
  }
  if (decl.setupPy) {
    const s = decl.setupPyDeps;
    if (s && "deps" in s) {
      const d = s.deps;
      const list2 = (v) => Array.isArray(v) ? v.map((x2) => canonicalRequirement(String(x2))).sort() : typeof v === "string" ? v.split("\n").map((x2) => x2.trim()).filter(Boolean).map(canonicalRequirement).sort() : [];
      const extras = Object.fromEntries(
        Object.entries(d.extras_require ?? {}).map(([k, v]) => [k, list2(v)]).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
      );
      out.push(
        component2("setup.py", {
          requirements: list2(d.install_requires),
          extras,
          python_requires: d.python_requires ?? null,
          setup_requires: list2(d.setup_requires),
          dependency_links: d.dependency_links ?? []
        })
      );
    } else {
      out.push(component2("setup.py", { sha256: sha256Hex(decl.setupPy), computed: s?.computed ?? "not read" }));
    }
  }
  if (decl.setupCfg) out.push(component2("setup.cfg", { sha256: sha256Hex(decl.setupCfg) }));
  if (decl.pyproject) out.push(component2("pyproject.toml", decl.pyproject));
  return out;
}
function computeFingerprint(decl, ctx) {
  const components = [];
  const lock = decl.lockfile;
  if (lock) {
    components.push(
      component2(lock.kind, {
        requirements: lock.packages.map((p) => `${p.name}==${p.version}${p.marker ? `; ${p.marker}` : ""}`),
        hashes: sha256Hex(canonicalJson(lock.packages.map((p) => [p.name, p.hashes])))
      })
    );
  } else {
    components.push(...declarationComponents(decl));
  }
  if (ctx.extras.length) components.push(component2("extras", [...ctx.extras].sort()));
  if (ctx.groups?.length) components.push(component2("groups", [...ctx.groups].sort()));
  const t = ctx.target;
  components.push(component2("target", { python: t.python, platform: t.platform, glibc: t.glibc, implementation: t.implementation }));
  components.push(component2("resolver", ctx.resolver));
  components.push(component2("layout", DEPS_LAYOUT_VERSION));
  components.push(component2("deps-cache-epoch", ctx.epoch));
  const fingerprint = sha256Hex(canonicalJson(components.map((c) => [c.name, c.hash])));
  return { fingerprint, source: lock ? lock.kind : "declarations", components };
}

// src/platform/git.ts
import { readFile as readFile6 } from "node:fs/promises";
import { dirname as dirname9, join as join10, resolve as resolve5 } from "node:path";
async function git(dir, args) {
  try {
    const r = await runProcess("git", ["-C", dir, ...args]);
    return r.code === 0 ? r.stdout.trim() || null : null;
  } catch {
    return null;
  }
}
async function gitDir(start) {
  let dir = resolve5(start);
  for (; ; ) {
    try {
      await readFile6(join10(dir, ".git", "HEAD"));
      return join10(dir, ".git");
    } catch {
      const up = dirname9(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
}
async function readHead(projectDir) {
  const dir = await gitDir(projectDir);
  if (!dir) return { commit: null, ref: null };
  const head = (await readFile6(join10(dir, "HEAD"), "utf8")).trim();
  if (/^[0-9a-f]{40,64}$/.test(head)) return { commit: head, ref: null };
  const m = /^ref: (refs\/heads\/(.+))$/.exec(head);
  if (!m) return null;
  try {
    return { commit: (await readFile6(join10(dir, m[1]), "utf8")).trim(), ref: m[2] };
  } catch {
    try {
      const packed = await readFile6(join10(dir, "packed-refs"), "utf8");
      const line = packed.split("\n").find((l) => l.endsWith(` ${m[1]}`));
      return { commit: line ? line.split(" ")[0] : null, ref: m[2] };
    } catch {
      return { commit: null, ref: m[2] };
    }
  }
}
async function currentRevision(projectDir, env = process.env) {
  const envRef = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  let local = env.GITHUB_SHA && envRef ? null : await readHead(projectDir).catch(() => null);
  if (local === null && !(env.GITHUB_SHA && envRef)) {
    const [commit, ref] = await Promise.all([
      git(projectDir, ["rev-parse", "HEAD"]),
      git(projectDir, ["rev-parse", "--abbrev-ref", "HEAD"])
    ]);
    local = { commit, ref: ref && ref !== "HEAD" ? ref : null };
  }
  return { commit: env.GITHUB_SHA || local?.commit || null, ref: envRef || local?.ref || "local" };
}

// src/archive/pack.ts
import { createReadStream as createReadStream3 } from "node:fs";
import { join as join11 } from "node:path";

// src/python/install.ts
var DATA_DIR = /^([^/]+)\.data\/(purelib|platlib)\/(.+)$/;
function unsafe(name) {
  return name.startsWith("/") || name.includes("\\") || /^[A-Za-z]:/.test(name) || name.split("/").some((p) => p === "..");
}
async function installWheels(wheels) {
  const readers = [];
  const entries = [];
  try {
    for (const wheel of wheels) {
      const zip = await openZip(wheel.path).catch((e) => {
        throw new BuildError(`${wheel.filename} is not a readable wheel (${e.message}) \u2014 delete it from the cache and rebuild`);
      });
      readers.push(zip);
      const seen = /* @__PURE__ */ new Set();
      for (const m of zip.members) {
        if (m.isDirectory) continue;
        if (unsafe(m.name) || m.isSymlink)
          throw new BuildError(`${wheel.filename} contains an unsafe entry '${m.name}' \u2014 refusing to install it`);
        if (m.name.endsWith(".pyc") || m.name.includes("__pycache__/")) continue;
        const data = DATA_DIR.exec(m.name);
        const rel = data ? data[3] : m.name;
        if (seen.has(rel)) continue;
        seen.add(rel);
        const name = `.deps/${wheel.filename}/${rel}`;
        const executable = (m.mode & 73) !== 0 || /\.data\/scripts\//.test(m.name);
        entries.push(
          m.method === 0 || m.method === 8 ? {
            name,
            executable,
            raw: {
              method: m.method,
              crc32: m.crc32,
              compressedSize: m.compressedSize,
              uncompressedSize: m.size,
              read: (offset, length, into) => zip.readRaw(m.name, offset, length, into),
              readAsync: (offset, length, into) => zip.readRawAsync(m.name, offset, length, into)
            }
          } : { name, executable, size: m.size, open: () => zip.open(m.name) }
        );
      }
    }
  } catch (err) {
    for (const r of readers) r.close();
    throw err;
  }
  return { entries, close: () => readers.forEach((r) => r.close()) };
}

// src/archive/pack.ts
function runtimeEntries(info) {
  const main = mainPy(info);
  return [
    // Only the first line (PEX_INFO) changes between builds; the ~50 KB after it is deflated once.
    { name: "__main__.py", executable: false, data: main, sharedFrom: main.indexOf(10) + 1 },
    { name: "PEX-INFO", executable: false, data: pexInfoBytes(info) }
  ];
}
async function packDeps(opts) {
  const distributions = Object.fromEntries(opts.wheels.map((w) => [w.filename, w.sha256]));
  const info = makePexInfo({
    target: opts.target,
    code_hash: sha256Hex(canonicalJson({ layout: DEPS_LAYOUT_VERSION, distributions })),
    distributions,
    entry_point: null,
    requirements: opts.requirements,
    pexpress: {
      kind: "deps",
      layout: DEPS_LAYOUT_VERSION,
      fingerprint: opts.fingerprint,
      python: opts.target.python,
      platform: opts.target.platform,
      deps: null
    }
  });
  const installed = await installWheels(opts.wheels);
  try {
    const path = join11(opts.outDir, "deps.pex");
    const written = await writeArchive(path, [...runtimeEntries(info), ...installed.entries], {
      prefix: shebang(opts.target),
      comment: archiveComment(info)
    });
    return { path, sha256: written.sha256, size: written.size, archiveHash: written.bodySha256, pexInfo: info };
  } finally {
    installed.close();
  }
}
async function packSource(opts) {
  const info = makePexInfo({
    target: opts.target,
    code_hash: opts.sources.codeHash,
    distributions: {},
    entry_point: opts.entryPoint,
    requirements: [],
    pexpress: {
      kind: "source",
      layout: DEPS_LAYOUT_VERSION,
      fingerprint: opts.fingerprint,
      python: opts.target.python,
      platform: opts.target.platform,
      deps: { sha256: opts.deps.sha256, archive_hash: opts.deps.pexHash }
    }
  });
  const reserved = /* @__PURE__ */ new Set(["__main__.py", "PEX-INFO"]);
  const files = opts.sources.files.filter((f) => !reserved.has(f.name)).map(
    (f) => f.data ? { name: f.name, executable: f.executable, data: f.data } : {
      name: f.name,
      executable: f.executable,
      size: f.size,
      sha256: f.sha256,
      path: f.absPath,
      open: async () => createReadStream3(f.absPath)
    }
  );
  const path = join11(opts.outDir, "source.pex");
  const written = await writeArchive(path, [...runtimeEntries(info), ...files], {
    prefix: sourcePrefix(opts.target),
    comment: archiveComment(info),
    cache: opts.cache
  });
  return { path, sha256: written.sha256, size: written.size, archiveHash: written.bodySha256, pexInfo: info };
}

// src/python/resolve.ts
import { readFile as readFile7, rm as rm4, writeFile as writeFile4 } from "node:fs/promises";
import { join as join12 } from "node:path";
function fileNameOf(url) {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
}
function withAuth(url, auth) {
  try {
    const u = new URL(url);
    const userinfo = auth[u.origin];
    if (!userinfo) return url;
    const colon = userinfo.indexOf(":");
    u.username = encodeURIComponent(userinfo.slice(0, colon));
    u.password = encodeURIComponent(userinfo.slice(colon + 1));
    return u.toString();
  } catch {
    return url;
  }
}
function hashPins(decl) {
  const r = decl.requirements;
  if (!r) return null;
  const all = [...r.requirements, ...r.constraints];
  if (!all.some((x2) => x2.hashes.length) && !r.options.includes("--require-hashes")) return null;
  const pins = /* @__PURE__ */ new Map();
  for (const x2 of all) {
    if (!x2.hashes.length) continue;
    const set = pins.get(x2.name) ?? /* @__PURE__ */ new Set();
    for (const h of x2.hashes) if (h.startsWith("sha256:")) set.add(h.slice(7));
    pins.set(x2.name, set);
  }
  return pins;
}
async function resolveInputs(req, work) {
  const { decl } = req;
  const lock = decl.lockfile;
  if (lock) {
    let text;
    if (lock.kind === "uv.lock") {
      if (!req.tools.uv) throw new UsageError(`uv.lock needs uv to export it \u2014 install uv or set ${optionRef("resolver")} to auto`);
      const args = [
        "export",
        "--frozen",
        "--format",
        "requirements.txt",
        "--no-emit-project",
        "--no-header",
        "--no-annotate",
        "--cache-dir",
        join12(req.cacheDir, "uv")
      ];
      args.push("--no-default-groups");
      for (const g of req.groups) args.push("--group", g);
      for (const e of req.extras) args.push("--extra", e);
      const r = await (req.run ?? runProcess)(req.tools.uv, args, {
        cwd: req.projectDir,
        env: { ...process.env, UV_PYTHON_DOWNLOADS: "never" },
        timeoutMs: resolveTimeoutMs()
      });
      if (r.timedOut) throw timedOut(req, "uv", lock.path);
      if (r.code !== 0) {
        const msg = `${lock.path} could not be exported: ${toolError(r.stderr, req.log)}`;
        throw WORK_ERROR.test(r.stderr) ? new BuildError(msg) : new UsageError(`${msg} \u2014 run uv lock`);
      }
      text = r.stdout;
    } else {
      text = lockAsRequirements(lock);
    }
    const file = join12(work, "locked.txt");
    await writeFile4(file, text);
    const locked = /* @__PURE__ */ new Map();
    for (const p of lock.packages) locked.set(p.name, /* @__PURE__ */ new Set([...locked.get(p.name) ?? [], ...p.hashes]));
    const indexes = lock.indexes.map((u) => withAuth(u, decl.indexAuth));
    return { files: [file], noDeps: true, locked, lockedBy: lock.path, indexes };
  }
  const files = [];
  if (decl.requirementsFile) files.push(decl.requirementsFile);
  if (decl.packageFile) files.push(decl.packageFile);
  return { files, noDeps: false, locked: hashPins(decl), lockedBy: `${decl.requirementsFile} --hash`, indexes: [] };
}
function enforceLock(packages, inputs) {
  const { locked, lockedBy } = inputs;
  if (!locked) return packages;
  const hashMode = lockedBy.endsWith(" --hash");
  if (hashMode) {
    const unpinned = packages.filter((p) => !locked.has(p.name)).map((p) => `${p.name} ${p.version}`);
    if (unpinned.length) {
      throw new UsageError(
        `${lockedBy.replace(/ --hash$/, "")} is in hash-checking mode (a requirement has --hash) but ${unpinned.join(", ")} ${unpinned.length > 1 ? "have" : "has"} no --hash \u2014 pin every dependency with its hashes (pip-compile --generate-hashes, uv pip compile --generate-hashes)`
      );
    }
  }
  return packages.map((p) => {
    const allowed = locked.get(p.name);
    if (!allowed) throw new BuildError(`${p.name} ${p.version} was resolved but is not in ${lockedBy} \u2014 regenerate the lockfile`);
    const ok = (a) => a.sha256 !== null && allowed.has(a.sha256);
    const wheels = p.wheels.filter(ok);
    const sdist = p.sdist && ok(p.sdist) ? p.sdist : null;
    if (!wheels.length && !sdist) {
      if (hashMode) {
        throw new UsageError(
          `${p.name} ${p.version}: none of its files has a sha256 listed by its --hash in ${lockedBy.replace(/ --hash$/, "")} \u2014 the pin changed without its hashes; regenerate them`
        );
      }
      throw new BuildError(
        `none of the files the index serves for ${p.name} ${p.version} has a sha256 listed in ${lockedBy} \u2014 the index changed or the lock is stale; regenerate it`
      );
    }
    return { ...p, wheels, sdist };
  });
}
var resolveTimeoutMs = () => readEnv("PEXPRESS_RESOLVE_TIMEOUT_MS");
function timedOut(req, tool, what) {
  const secs = Math.round(resolveTimeoutMs() / 1e3);
  const file = req.decl.packageFile;
  if (file && !req.decl.lockfile) {
    return new UsageError(
      `${tool} did not finish resolving ${what} in ${secs} s: evaluating ${file} for its dependencies hangs (a sleep, a prompt, a network call?) \u2014 make ${file} declare its dependencies without side effects, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`
    );
  }
  return new BuildError(
    `${tool} did not finish resolving ${what} in ${secs} s \u2014 check that the index is reachable, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`
  );
}
var INPUT_ERROR = /Couldn't parse|Requested extra not found|invalid type: |TOML parse error|Invalid requirement|InvalidMarker|Expected .*marker|has no wheels with a matching platform tag|has no wheels with a matching Python/;
var WORK_ERROR = /Failed to fetch|Request failed|error sending request|tcp connect|dns error|timed out|Connection refused/i;
function resolveFailure(stderr, message) {
  return INPUT_ERROR.test(stderr) && !WORK_ERROR.test(stderr) ? new UsageError(message) : new BuildError(message);
}
var describeInputs = (req, inputs) => req.decl.lockfile ? req.decl.lockfile.path : inputs.files.join(" + ");
function toolError(stderr, log) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return log.redact(lines.slice(-3).join(" | ") || "no output");
}
function toolOutputError(tool, file, why) {
  return new BuildError(`cannot read what ${tool} wrote (${file}): ${why}`, {
    hint: `check the resolver's version (uv --version, pip --version), or set ${optionRef("resolver")} to the other one`
  });
}
async function readToolOutput(tool, file, parse2) {
  let text;
  try {
    text = await readFile7(file, "utf8");
  } catch (err) {
    throw toolOutputError(tool, file, err.message);
  }
  try {
    return parse2(text);
  } catch (err) {
    throw toolOutputError(tool, file, err.message.split("\n")[0]);
  }
}
var uvResolver = {
  async resolve(req) {
    const { target: target2, tools, log } = req;
    const run = req.run ?? runProcess;
    const work = await workDir(req.cacheDir, "pexpress-uv");
    try {
      const inputs = await resolveInputs(req, work);
      if (inputs.files.length === 0) return [];
      const out = join12(work, "pylock.toml");
      const args = [
        "pip",
        "compile",
        ...inputs.files,
        "--format",
        "pylock.toml",
        "-o",
        out,
        "--quiet",
        "--no-header",
        "--python-version",
        target2.python,
        "--python-platform",
        uvPythonPlatform(target2),
        "--cache-dir",
        join12(req.cacheDir, "uv")
      ];
      if (inputs.noDeps) args.push("--no-deps");
      else {
        for (const e of req.extras) args.push("--extra", e);
        for (const g of req.groups) args.push("--group", `pyproject.toml:${g}`);
      }
      const env = { ...process.env, UV_PYTHON_DOWNLOADS: "never", UV_NO_PROGRESS: "1" };
      if (inputs.indexes.length) env.UV_EXTRA_INDEX_URL = [env.UV_EXTRA_INDEX_URL, ...inputs.indexes].filter(Boolean).join(" ");
      const r = await run(tools.uv, args, { cwd: req.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) throw timedOut(req, "uv", describeInputs(req, inputs));
      if (r.code !== 0)
        throw resolveFailure(
          r.stderr,
          `uv could not resolve ${describeInputs(req, inputs)} for CPython ${target2.python} ${target2.platform}: ${toolError(r.stderr, log)}`
        );
      const doc = await readToolOutput("uv pip compile", out, (text) => parse(text));
      if (doc.packages !== void 0 && !Array.isArray(doc.packages))
        throw toolOutputError("uv pip compile", out, "packages is not a list");
      const packages = [];
      for (const p of doc.packages ?? []) {
        if (p.directory || p.editable) continue;
        if (!p.wheels && !p.sdist && !p.archive) {
          throw new UsageError(
            `${p.name}: only available as a VCS checkout, which pexpress cannot pin reproducibly yet \u2014 publish a wheel or pin a released version or archive URL`
          );
        }
        const art = (a) => {
          const url = String(a.url ?? a.path ?? "");
          return { url, filename: String(a.name ?? fileNameOf(url)), sha256: (a.hashes ?? {}).sha256 ?? null };
        };
        const archive = p.archive ? art(p.archive) : null;
        packages.push({
          name: normalizeName(String(p.name)),
          version: String(p.version ?? ""),
          wheels: [
            ...(p.wheels ?? []).map(art),
            ...archive?.filename.endsWith(".whl") ? [archive] : []
          ],
          sdist: p.sdist ? art(p.sdist) : archive && !archive.filename.endsWith(".whl") ? archive : null
        });
      }
      return enforceLock(packages, inputs);
    } finally {
      await rm4(work, { recursive: true, force: true });
    }
  }
};
var pipResolver = {
  async resolve(req) {
    const { decl, target: target2, tools, log } = req;
    const run = req.run ?? runProcess;
    const work = await workDir(req.cacheDir, "pexpress-pip");
    try {
      const inputs = await resolveInputs(req, work);
      if (inputs.files.length === 0) return [];
      const report = join12(work, "report.json");
      const args = [
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--quiet",
        "--disable-pip-version-check",
        "--report",
        report,
        "--target",
        join12(work, "target"),
        "--cache-dir",
        join12(req.cacheDir, "pip")
      ];
      if (!isHostCompatible(target2, { python: req.host.python ?? "", platform: req.host.platform })) {
        args.push(...pipPlatformArgs(target2));
        log.warn(
          `pip evaluates environment markers for this host (CPython ${req.host.python ?? "?"}, ${req.host.platform ?? process.platform}), not for the target (CPython ${target2.python}, ${target2.platform}); use the uv resolver (${optionRef("resolver")} uv) for exact cross-target resolution`
        );
      }
      if (req.groups.length && !inputs.noDeps) {
        throw new UsageError(
          `--groups without a lockfile needs the uv resolver (pip cannot install [dependency-groups]) \u2014 use --resolver uv`
        );
      }
      if (inputs.noDeps) {
        args.push("--no-deps", "-r", inputs.files[0]);
      } else {
        if (decl.requirementsFile) args.push("-r", decl.requirementsFile);
        if (decl.packageFile) args.push(req.extras.length ? `.[${req.extras.join(",")}]` : ".");
      }
      const env = { ...process.env };
      if (inputs.indexes.length) env.PIP_EXTRA_INDEX_URL = [env.PIP_EXTRA_INDEX_URL, ...inputs.indexes].filter(Boolean).join(" ");
      const r = await run(tools.python, args, { cwd: req.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) throw timedOut(req, "pip", describeInputs(req, inputs));
      if (r.code !== 0)
        throw resolveFailure(
          r.stderr,
          `pip could not resolve ${describeInputs(req, inputs)} for CPython ${target2.python} ${target2.platform}: ${toolError(r.stderr, log)}`
        );
      const items = await readToolOutput("pip install --report", report, (text) => {
        const install = JSON.parse(text).install;
        if (!Array.isArray(install) || !install.every((i2) => i2?.metadata?.name && typeof i2?.download_info?.url === "string"))
          throw new Error("its install list is not a list of packages with metadata and download_info");
        return install;
      });
      const packages = items.filter((i2) => !i2.download_info.dir_info).map((i2) => {
        const url = i2.download_info.url;
        const hashes = i2.download_info.archive_info?.hashes ?? {};
        const sha256 = hashes.sha256 ?? (i2.download_info.archive_info?.hash?.startsWith("sha256=") ? i2.download_info.archive_info.hash.slice(7) : null);
        const art = { url, filename: fileNameOf(url), sha256 };
        const isWheel = art.filename.endsWith(".whl");
        return {
          name: normalizeName(i2.metadata.name),
          version: i2.metadata.version,
          wheels: isWheel ? [art] : [],
          sdist: isWheel ? null : art
        };
      });
      return enforceLock(packages, inputs);
    } finally {
      await rm4(work, { recursive: true, force: true });
    }
  }
};
function resolverFor(kind) {
  return kind === "uv" ? uvResolver : pipResolver;
}

// src/archive/sources.ts
var import_ignore = __toESM(require_ignore(), 1);
import { createHash as createHash8 } from "node:crypto";
import { existsSync, readdirSync as readdirSync2, readFileSync as readFileSync3, realpathSync, statSync as statSync2 } from "node:fs";
import { readdir as readdir2, readFile as readFile8, stat as stat6 } from "node:fs/promises";
import { join as join13, relative as relative4, resolve as resolve6, sep as sep3 } from "node:path";
var ALWAYS_EXCLUDED_DIRS = /* @__PURE__ */ new Set([
  ".git",
  ".hg",
  ".svn",
  "__pycache__",
  ".pexpress",
  ".venv",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".eggs"
]);
var ALWAYS_EXCLUDED_FILE = /\.py[co]$/;
async function isPythonRoot(dir) {
  try {
    for (const e of await readdir2(dir, { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith(".py")) return true;
      if (e.isDirectory() && !e.name.startsWith(".")) {
        try {
          await stat6(join13(dir, e.name, "__init__.py"));
          return true;
        } catch {
        }
      }
    }
  } catch {
    return false;
  }
  return false;
}
async function sourceRoot(projectDir) {
  const src = join13(projectDir, "src");
  try {
    if ((await stat6(src)).isDirectory() && await isPythonRoot(src)) return { root: src, layout: "src" };
  } catch {
  }
  return { root: projectDir, layout: "flat" };
}
var SETTLE_MS = 2e3;
var MAX_SOURCE_FILE = 4294967295;
var strictUtf8 = new TextDecoder("utf-8", { fatal: true });
function invalidName(name, raw) {
  if (raw.some((b) => b >= 128)) {
    try {
      strictUtf8.decode(raw);
    } catch {
      return "is not valid UTF-8";
    }
  }
  if (name.includes("\\")) return "contains a backslash";
  if (name.length > 1 && name[1] === ":") return "looks like a drive letter (x:)";
  return null;
}
function gitIgnored(rules, probe) {
  for (let i2 = rules.length - 1; i2 >= 0; i2--) {
    const r = rules[i2];
    const t = r.ig.test(r.base ? probe.slice(r.base.length + 1) : probe);
    if (t.ignored) return true;
    if (t.unignored) return false;
  }
  return false;
}
function mayContain(includes, dir) {
  const segs = dir.split("/");
  return includes.some((raw) => {
    const pattern = raw.replace(/^\//, "").replace(/\/$/, "");
    if (!raw.replace(/\/$/, "").includes("/")) return true;
    const ps = pattern.split("/");
    for (let i2 = 0; i2 < segs.length; i2++) {
      if (ps[i2] === void 0) return true;
      if (ps[i2] === "**") return true;
      const re = new RegExp(
        "^" + ps[i2].replace(/[.+^$()|[\]{}\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]") + "$"
      );
      if (!re.test(segs[i2])) return false;
    }
    return true;
  });
}
async function collectSources(projectDir, excludes = [], memo, opts = {}) {
  const projectReal = realpathSync(projectDir);
  const { root, layout } = await sourceRoot(projectReal);
  const found = [];
  const userExcludes = excludes.length ? (0, import_ignore.default)().add(excludes) : null;
  const skip = /* @__PURE__ */ new Set();
  for (const p of opts.skip ?? []) {
    skip.add(resolve6(p));
    try {
      skip.add(realpathSync(p));
    } catch {
    }
  }
  const shown = (abs) => relative4(projectReal, abs);
  const includes = opts.includes ?? [];
  const userIncludes = includes.length ? (0, import_ignore.default)().add(includes) : null;
  function walk(dir, real, rel, rules, ancestors, parentIgnored = false) {
    let gitignore = null;
    try {
      gitignore = readFileSync3(join13(dir, ".gitignore"), "utf8");
    } catch {
    }
    const scoped = gitignore === null ? rules : [...rules, { base: rel, ig: (0, import_ignore.default)().add(gitignore) }];
    let entries;
    try {
      entries = readdirSync2(dir, { withFileTypes: true, encoding: "buffer" });
    } catch (err) {
      throw unreadable(shown(dir) || ".", err);
    }
    for (const e of entries) {
      const base = e.name.toString("utf8");
      const name = rel ? `${rel}/${base}` : base;
      const abs = join13(dir, base);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const link2 = e.isSymbolicLink();
      if (link2) {
        try {
          const st = statSync2(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          isDir = isFile = false;
        }
      }
      if (isDir && (ALWAYS_EXCLUDED_DIRS.has(base) || base.endsWith(".egg-info"))) continue;
      if (isFile && (ALWAYS_EXCLUDED_FILE.test(base) || base === ".gitignore")) continue;
      const probe = isDir ? name + "/" : name;
      if (userExcludes?.ignores(probe)) continue;
      const ignored = parentIgnored || gitIgnored(scoped, probe);
      if (ignored) {
        if (!userIncludes) continue;
        if (isFile && !userIncludes.ignores(name)) continue;
        if (isDir && !userIncludes.ignores(probe) && !mayContain(includes, name)) continue;
      }
      if (skip.has(abs)) continue;
      const bad = invalidName(name, e.name);
      if (bad) {
        throw new UsageError(
          `${shown(abs)}: the file name ${bad}, which deploy archives cannot hold \u2014 rename it, or leave it out with --exclude or .gitignore`
        );
      }
      if (link2) {
        let target2;
        try {
          target2 = realpathSync(abs);
        } catch {
          throw new UsageError(`${shown(abs)} is a broken symlink \u2014 remove it, or leave it out with --exclude or .gitignore`);
        }
        if (target2 !== projectReal && !target2.startsWith(projectReal + sep3)) {
          throw new UsageError(
            `${shown(abs)} is a symlink to ${target2}, outside the project \u2014 replace it with a copy, or leave it out with --exclude '${name}' or .gitignore`
          );
        }
      }
      if (isDir) {
        const sub = link2 ? realpathSync(abs) : join13(real, base);
        if (ancestors.has(sub) || skip.has(sub)) continue;
        if (existsSync(join13(abs, "pyvenv.cfg"))) continue;
        ancestors.add(sub);
        walk(abs, sub, name, scoped, ancestors, ignored && !userIncludes?.ignores(probe));
        ancestors.delete(sub);
      } else if (isFile) {
        found.push({ name, absPath: abs });
      }
    }
  }
  const rootRules = [];
  if (layout === "src") {
    try {
      const projectIgnore = (0, import_ignore.default)().add(await readFile8(join13(projectReal, ".gitignore"), "utf8"));
      rootRules.push({ base: "", ig: { test: (p) => projectIgnore.test(`src/${p}`) } });
    } catch {
    }
  }
  const rootReal = realpathSync(root);
  walk(root, rootReal, "", rootRules, /* @__PURE__ */ new Set([rootReal]));
  const settled = BigInt((memo?.now?.() ?? Date.now()) - SETTLE_MS) * 1000000n;
  const files = found.map((f) => {
    const st = statSync2(f.absPath, { bigint: true });
    if (st.size > BigInt(MAX_SOURCE_FILE)) {
      throw new UsageError(
        `${shown(f.absPath)} is ${(Number(st.size) / 2 ** 30).toFixed(1)} GiB; source.pex holds files under 4 GiB \u2014 leave it out with --exclude or .gitignore`
      );
    }
    const identity2 = `${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    let sha256 = memo?.get(f.name, identity2);
    if (!sha256) {
      try {
        sha256 = hashFileSync(f.absPath);
      } catch (err) {
        throw unreadable(shown(f.absPath), err);
      }
      if (st.ctimeNs < settled && st.mtimeNs < settled) memo?.set(f.name, identity2, sha256);
    }
    return { ...f, size: Number(st.size), executable: (st.mode & 0o100n) !== 0n, sha256 };
  });
  sortByNameBytes(files);
  return { root, layout, files, codeHash: codeHashOf(files) };
}
function sortByNameBytes(files) {
  const key = new Map(files.map((f) => [f, Buffer.from(f.name, "utf8")]));
  return files.sort((a, b) => Buffer.compare(key.get(a), key.get(b)));
}
function codeHashOf(files) {
  const h = createHash8("sha256");
  for (const f of files) h.update(`${f.name}\0${f.executable ? "x" : "-"}\0${f.sha256}
`);
  return h.digest("hex");
}
function withCredentialsReplaced(sources, projectDir, files, secrets, placeholder) {
  if (!files.length || !secrets.length) return { sources, replaced: [] };
  const projectReal = realpathSync(projectDir);
  const wanted = new Set(files.map((f) => join13(projectReal, f)));
  const ordered = [...new Set(secrets)].sort((a, b) => a.length - b.length);
  const replaced = [];
  const out = sources.files.map((f) => {
    if (!wanted.has(f.absPath)) return f;
    let text = readFileSync3(f.absPath, "latin1");
    for (const s of ordered) text = text.split(Buffer.from(s, "utf8").toString("latin1")).join(placeholder);
    const data = Buffer.from(text, "latin1");
    replaced.push(f.name);
    return { ...f, data, size: data.length, sha256: createHash8("sha256").update(data).digest("hex") };
  });
  return { sources: { ...sources, files: out, codeHash: codeHashOf(out) }, replaced };
}
function unreadable(path, err) {
  const code = err.code;
  if (code === "EACCES" || code === "EPERM")
    return new UsageError(`cannot read ${path} (permission denied) \u2014 make it readable, or leave it out with --exclude or .gitignore`);
  return new BuildError(`cannot read ${path}: ${code ?? err.message}`);
}

// src/python/project-metadata.ts
import { createHash as createHash9 } from "node:crypto";
import { mkdir as mkdir6, readdir as readdir3, readFile as readFile9, rename as rename4, rm as rm5, writeFile as writeFile5 } from "node:fs/promises";
import { join as join14 } from "node:path";
var HOOKS = `
import importlib, json, os, sys
# Backends print progress on stdout; only the answer goes there.
answer, sys.stdout = sys.stdout, sys.stderr
sys.path[:0] = json.loads(sys.argv[3])
mod, _, obj = sys.argv[2].partition(":")
backend = importlib.import_module(mod)
for part in filter(None, obj.split(".")):
    backend = getattr(backend, part)
if sys.argv[1] == "requires":
    hook = getattr(backend, "get_requires_for_build_wheel", None)
    result = list(hook()) if hook else []
else:
    out = sys.argv[4]
    hook = getattr(backend, "prepare_metadata_for_build_wheel", None)
    if hook:
        result = hook(out)
    else:
        import zipfile
        whl = backend.build_wheel(out)
        with zipfile.ZipFile(os.path.join(out, whl)) as z:
            names = [n for n in z.namelist() if n.split("/")[0].endswith(".dist-info")]
            z.extractall(out, names)
        result = names[0].split("/")[0]
answer.write(json.dumps(result) + "\\n")
`;
var KEEP = /* @__PURE__ */ new Set(["METADATA", "entry_points.txt", "top_level.txt", "WHEEL"]);
function recordOf(dir, files) {
  const lines = Object.keys(files).sort().map((f) => {
    const digest = createHash9("sha256").update(files[f]).digest("base64url");
    return `${dir}/${f},sha256=${digest},${files[f].length}`;
  });
  return Buffer.from([...lines, `${dir}/RECORD,,`].join("\n") + "\n");
}
async function projectMetadata(opts) {
  const cacheFile = join14(opts.cacheDir, "project-metadata", `${opts.key}.json`);
  const decode = (text) => JSON.parse(text);
  try {
    let cached;
    try {
      cached = decode(await readFile9(cacheFile, "utf8"));
    } catch {
      const text = await opts.shared?.read().catch(() => null) ?? null;
      cached = text === null ? null : decode(text);
      if (!cached || typeof cached.dir !== "string" || !cached.files || typeof cached.files !== "object") throw new Error("not shared");
      await mkdir6(join14(opts.cacheDir, "project-metadata"), { recursive: true });
      await writeFile5(cacheFile, text);
    }
    if (!cached.dir) {
      opts.log.warn(`the project's own metadata (*.dist-info) is not in source.pex: ${cached.why ?? "it could not be computed"}`);
      return null;
    }
    return { dir: cached.dir, files: Object.fromEntries(Object.entries(cached.files).map(([k, v]) => [k, Buffer.from(v, "base64")])) };
  } catch {
  }
  const run = opts.run ?? runProcess;
  const save = async (value) => {
    await mkdir6(join14(opts.cacheDir, "project-metadata"), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile5(tmp, JSON.stringify(value));
    await rename4(tmp, cacheFile);
  };
  const skip = async (why) => {
    opts.log.warn(`the project's own metadata (*.dist-info) is not in source.pex: ${why}`);
    await save({ dir: null, files: {}, why });
    return null;
  };
  const tools = await opts.tools();
  if (!tools.uv) return skip("computing it needs uv");
  let requires = ["setuptools>=40.8.0"];
  let backend = "setuptools.build_meta:__legacy__";
  let backendPath = [];
  if (opts.pyproject) {
    const bs = parse(opts.pyproject.toString("utf8"))["build-system"] ?? null;
    if (bs) {
      requires = Array.isArray(bs.requires) ? bs.requires : requires;
      if (typeof bs["build-backend"] === "string") backend = bs["build-backend"];
      else backend = "setuptools.build_meta:__legacy__";
      backendPath = Array.isArray(bs["backend-path"]) ? bs["backend-path"].map((p) => join14(opts.projectDir, p)) : [];
    }
  }
  const work = await workDir(opts.cacheDir, "pexpress-meta");
  try {
    const env = { ...process.env, UV_PYTHON_DOWNLOADS: "never", UV_NO_PROGRESS: "1" };
    const uvCache = ["--cache-dir", join14(opts.cacheDir, "uv")];
    const venv = join14(work, "venv");
    const py = join14(venv, "bin", "python");
    const step = async (cmd, args) => {
      const r = await run(cmd, args, { cwd: opts.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) {
        throw new UsageError(
          `computing the project's metadata did not finish in ${Math.round(resolveTimeoutMs() / 1e3)} s: its build backend hangs (a sleep, a prompt, a network call in setup.py?) \u2014 make it declare its metadata without side effects, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`
        );
      }
      if (r.code !== 0) throw new Error(opts.log.redact(r.stderr.trim().split("\n").slice(-2).join(" | ") || `exit ${r.code}`));
      return r.stdout;
    };
    try {
      await step(tools.uv, ["venv", "--quiet", "--python", tools.python, ...uvCache, venv]);
      if (requires.length) await step(tools.uv, ["pip", "install", "--quiet", "--python", py, ...uvCache, ...requires]);
      const extra = JSON.parse(
        (await step(py, ["-c", HOOKS, "requires", backend, JSON.stringify(backendPath)])).trim() || "[]"
      );
      if (extra.length) await step(tools.uv, ["pip", "install", "--quiet", "--python", py, ...uvCache, ...extra]);
      const out = join14(work, "meta");
      await mkdir6(out);
      const dir = JSON.parse((await step(py, ["-c", HOOKS, "metadata", backend, JSON.stringify(backendPath), out])).trim());
      const files = {};
      for (const f of await readdir3(join14(out, dir))) if (KEEP.has(f)) files[f] = await readFile9(join14(out, dir, f));
      if (!files.METADATA) return skip(`the build backend wrote no METADATA`);
      files.RECORD = recordOf(dir, files);
      const value = { dir, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString("base64")])) };
      await save(value);
      await opts.shared?.write(JSON.stringify(value)).catch((err) => opts.log.warn(`cannot share the project's metadata: ${err.message}`));
      return { dir, files };
    } catch (err) {
      if (err instanceof UsageError) throw err;
      return skip(`its build backend failed (${err.message})`);
    }
  } finally {
    await rm5(work, { recursive: true, force: true });
  }
}

// src/python/requires-python.ts
import { readFile as readFile10, stat as stat7 } from "node:fs/promises";
import { dirname as dirname10, join as join15 } from "node:path";
var release = (v) => v.split(".").map((x2) => Number(x2));
function cmp(a, b) {
  for (let i2 = 0; i2 < Math.max(a.length, b.length); i2++) {
    const d = (a[i2] ?? 0) - (b[i2] ?? 0);
    if (d) return d;
  }
  return 0;
}
function poetryClause(c) {
  const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(c);
  if (caret) {
    const r = release(caret[1]);
    const i2 = r.findIndex((x2) => x2 !== 0);
    const upper = r.slice(0, (i2 < 0 ? r.length - 1 : i2) + 1);
    upper[upper.length - 1]++;
    return [`>=${caret[1]}`, `<${upper.join(".")}`];
  }
  const tilde = /^~\s*(\d+(?:\.\d+)*)$/.exec(c);
  if (tilde) {
    const r = release(tilde[1]);
    const upper = r.length > 1 ? r.slice(0, 2) : r.slice(0, 1);
    upper[upper.length - 1]++;
    return [`>=${tilde[1]}`, `<${upper.join(".")}`];
  }
  if (/^\d+(\.\d+)*(\.\*)?$/.test(c)) return [`==${c}`];
  return [c];
}
function satisfies(v, clause) {
  const m = /^(===|==|!=|~=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/.exec(clause.trim());
  if (!m) return null;
  const [, op, ver, star] = m;
  const r = release(ver);
  if (star) {
    const prefix = cmp(v.slice(0, r.length), r) === 0;
    return op === "==" ? prefix : op === "!=" ? !prefix : null;
  }
  const c = cmp(v, r);
  switch (op) {
    case "==":
    case "===":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    default: {
      const upper = r.slice(0, Math.max(1, r.length - 1));
      return c >= 0 && cmp(v.slice(0, upper.length), upper) === 0;
    }
  }
}
function pythonMismatch(decl, targetMinor) {
  if (decl.spec.includes("||")) {
    const alts = decl.spec.split("||").map((s) => pythonMismatch({ where: decl.where, spec: s }, targetMinor));
    return alts.some((a) => a === null) ? null : alts[0];
  }
  const clauses = decl.spec.split(/[,\s]*,[,\s]*|\s+(?=[<>=!~^])/).map((c) => c.trim()).filter(Boolean).flatMap(poetryClause);
  const [maj, min] = release(targetMinor);
  for (let patch = 0; patch <= 40; patch++) {
    const results = clauses.map((c) => satisfies([maj, min, patch], c));
    if (results.some((r) => r === null)) return null;
    if (results.every(Boolean)) return null;
  }
  return `${decl.where} excludes the target CPython ${targetMinor} \u2014 build for a Python it allows (--python X.Y) or change the declaration`;
}
async function projectPythonOf(projectDir, requiresPython) {
  let dir = projectDir;
  for (let depth = 0; depth < 8; depth++) {
    const text = await readFile10(join15(dir, ".python-version"), "utf8").catch(() => null);
    if (text !== null) {
      const line = text.split("\n").find((l) => l.trim() && !l.trim().startsWith("#"))?.trim() ?? "";
      const m = /^(?:cpython-?|python)?(3\.\d+)/i.exec(line);
      const from = dir === projectDir ? ".python-version" : `${join15(dir, ".python-version")}`;
      return { version: m ? m[1] : line, from };
    }
    if (await stat7(join15(dir, ".git")).catch(() => null)) break;
    const up = dirname10(dir);
    if (up === dir) break;
    dir = up;
  }
  if (requiresPython) {
    const allowed = [];
    for (let minor = 0; minor <= 40; minor++) if (pythonMismatch(requiresPython, `3.${minor}`) === null) allowed.push(`3.${minor}`);
    if (allowed.length === 1) return { version: allowed[0], from: requiresPython.where };
  }
  return null;
}

// src/python/setup-py.ts
import { mkdir as mkdir7, readFile as readFile11, rename as rename5, writeFile as writeFile6 } from "node:fs/promises";
import { join as join16 } from "node:path";
var READER = `
import ast, json, sys
KEYS = ("install_requires", "extras_require", "python_requires", "setup_requires", "dependency_links")
def main(path):
    tree = ast.parse(open(path, "rb").read(), path)
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = ast.literal_eval(node.value)
            except Exception:
                names.pop(node.targets[0].id, None)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "setup"]
    if len(calls) != 1:
        return {"computed": "it has %d setup() calls" % len(calls)}
    out = {}
    for kw in calls[0].keywords:
        if kw.arg is None:
            return {"computed": "setup() takes **kwargs (line %d)" % kw.value.lineno}
        if kw.arg not in KEYS:
            continue
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except Exception:
            if isinstance(kw.value, ast.Name) and kw.value.id in names:
                out[kw.arg] = names[kw.value.id]
            else:
                return {"computed": "%s is computed (line %d)" % (kw.arg, kw.value.lineno)}
    return {"deps": out}
try:
    print(json.dumps(main(sys.argv[1]), sort_keys=True, default=list))
except SyntaxError as e:
    print(json.dumps({"computed": "it does not parse (line %s)" % e.lineno}))
`;
async function readSetupPyDeps(projectDir, sha256, python, cacheDir2, run = runProcess) {
  const cached = join16(cacheDir2, "setup-py", `${sha256}.json`);
  try {
    return JSON.parse(await readFile11(cached, "utf8"));
  } catch {
  }
  let result;
  try {
    const r = await run(python, ["-I", "-c", READER, join16(projectDir, "setup.py")]);
    result = r.code === 0 ? JSON.parse(r.stdout) : { computed: `${python} could not read it` };
  } catch {
    return { computed: `${python} could not be started to read it` };
  }
  await mkdir7(join16(cacheDir2, "setup-py"), { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  await writeFile6(tmp, JSON.stringify(result));
  await rename5(tmp, cached);
  return result;
}

// src/python/wheels.ts
import { createHash as createHash10 } from "node:crypto";
import { createWriteStream as createWriteStream2 } from "node:fs";
import { copyFile as copyFile2, mkdir as mkdir8, readdir as readdir4, rename as rename6, rm as rm6, stat as stat8 } from "node:fs/promises";
import { join as join17 } from "node:path";
import { Readable } from "node:stream";
import { pipeline as pipeline2 } from "node:stream/promises";
import { fileURLToPath as fileURLToPath2 } from "node:url";
async function exists(path) {
  try {
    await stat8(path);
    return true;
  } catch {
    return false;
  }
}
var BUILT_WHEELS_DIR = "built-v2";
var RETRIABLE = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
var DOWNLOAD_ATTEMPTS = 4;
var DOWNLOAD_BACKOFF_MS = 250;
var DOWNLOAD_CONCURRENCY = 8;
var STALL_MS = () => readEnv("PEXPRESS_DOWNLOAD_TIMEOUT_MS");
var LOCAL_WRITE = /* @__PURE__ */ new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EISDIR", "ENOTDIR"]);
async function download(url, dest, log, auth, transfer) {
  if (url.startsWith("file:")) {
    try {
      await copyFile2(fileURLToPath2(url), dest);
    } catch (err) {
      if (LOCAL_WRITE.has(err.code ?? "")) throw writeError(dest, err);
      throw err;
    }
    return hashFile(dest);
  }
  let lastError = "";
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    const ctl = new AbortController();
    let timer = setTimeout(() => ctl.abort(), STALL_MS());
    const alive2 = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(), STALL_MS());
    };
    try {
      const userinfo = auth[new URL(url).origin];
      const headers = userinfo ? { authorization: `Basic ${Buffer.from(userinfo).toString("base64")}` } : {};
      const res = await netFetch(url, { headers, signal: ctl.signal });
      if (!res.ok || !res.body) {
        lastError = `HTTP ${res.status}`;
        if (!RETRIABLE.has(res.status)) break;
      } else {
        const h = createHash10("sha256");
        const body = Readable.fromWeb(res.body);
        const length = Number(res.headers.get("content-length"));
        if (length > 0) transfer?.expect(length);
        body.on("data", (c) => {
          alive2();
          h.update(c);
          transfer?.add(c.length);
        });
        await pipeline2(body, createWriteStream2(dest));
        return h.digest("hex");
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = err.code ?? "";
      if (LOCAL_WRITE.has(code) && err.syscall) throw writeError(dest, err);
      lastError = ctl.signal.aborted ? `no data for ${Math.round(STALL_MS() / 1e3)} s (stalled)` : err.message;
    } finally {
      clearTimeout(timer);
    }
    if (attempt < DOWNLOAD_ATTEMPTS) await new Promise((r) => setTimeout(r, DOWNLOAD_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random())));
  }
  throw new BuildError(log.redact(`download of ${url} failed: ${lastError} \u2014 check the index is reachable and retry`));
}
async function fetchVerified(art, cacheDir2, log, auth, transfer) {
  if (art.sha256) {
    const cached = join17(cacheDir2, "wheels", art.sha256, art.filename);
    if (await isVerified(cached, art.sha256)) return { filename: art.filename, path: cached, sha256: art.sha256, fresh: false };
    await rm6(cached, { force: true });
  }
  const tmpDir = join17(cacheDir2, "wheels", ".tmp");
  try {
    await mkdir8(tmpDir, { recursive: true });
  } catch (err) {
    throw writeError(tmpDir, err);
  }
  const tmp = tmpPath(tmpDir, "wheel");
  try {
    const got = await download(art.url, tmp, log, auth, transfer);
    if (art.sha256 && got !== art.sha256) {
      throw new BuildError(
        `${art.filename}: downloaded bytes have sha256 ${got}, the index promised ${art.sha256} \u2014 the index or a proxy served a different file; retry, and report it if it persists`
      );
    }
    const finalDir = join17(cacheDir2, "wheels", got);
    await mkdir8(finalDir, { recursive: true });
    const final = join17(finalDir, art.filename);
    await rename6(tmp, final);
    await rememberVerified(final, got);
    return { filename: art.filename, path: final, sha256: got, fresh: true };
  } finally {
    await rm6(tmp, { force: true });
  }
}
async function normalizeWheel(src, dest) {
  const zip = await openZip(src);
  try {
    const entries = [];
    for (const m of zip.members) {
      if (m.isDirectory) continue;
      entries.push({ name: m.name, executable: (m.mode & 73) !== 0, data: await zip.read(m.name) });
    }
    return (await writeArchive(dest, entries, {})).sha256;
  } finally {
    zip.close();
  }
}
async function buildSdist(pkg, sdist, tools, cacheDir2, run, log) {
  const outDir = join17(cacheDir2, BUILT_WHEELS_DIR, sdist.sha256);
  const existing = (await readdir4(outDir).catch(() => [])).find((f) => f.endsWith(".whl"));
  if (existing) {
    const p = join17(outDir, existing);
    return { filename: existing, path: p, sha256: await hashFile(p) };
  }
  log.info(`building ${pkg.name} ${pkg.version} from its sdist (no wheel for the target)`);
  const work = await workDir(cacheDir2, "pexpress-build");
  const env = { ...process.env, UV_PYTHON_DOWNLOADS: "never", SOURCE_DATE_EPOCH: "315532800", PYTHONHASHSEED: "0" };
  try {
    const r = tools.uv ? await run(
      tools.uv,
      ["build", "--wheel", "--out-dir", work, "--python", tools.python, "--cache-dir", join17(cacheDir2, "uv"), sdist.path],
      { env, timeoutMs: resolveTimeoutMs() }
    ) : await run(tools.python, ["-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", work, sdist.path], {
      env,
      timeoutMs: resolveTimeoutMs()
    });
    if (r.timedOut)
      throw new BuildError(
        `building ${pkg.name} ${pkg.version} from its sdist did not finish in ${Math.round(resolveTimeoutMs() / 1e3)} s \u2014 pin a version that has wheels, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`
      );
    const built = (await readdir4(work)).find((f) => f.endsWith(".whl"));
    if (r.code !== 0 || !built) {
      throw new BuildError(
        `building ${pkg.name} ${pkg.version} from source failed: ${log.redact(r.stderr.trim().split("\n").slice(-2).join(" | "))} \u2014 pin a version that has wheels`
      );
    }
    await mkdir8(outDir, { recursive: true });
    const p = join17(outDir, built);
    const tmp = tempPathFor(p);
    const sha256 = await normalizeWheel(join17(work, built), tmp);
    await rename6(tmp, p);
    return { filename: built, path: p, sha256 };
  } finally {
    await rm6(work, { recursive: true, force: true });
  }
}
var builtIndexKey = (sdist, host) => `built/${sdist}/${host}.json`;
var builtWheelKey = (sha256, filename) => `wheels/${sha256}/${filename}`;
async function storedBuild(store, sdist, host, cacheDir2, log) {
  const text = await store.getText(builtIndexKey(sdist.sha256, host)).catch(() => null);
  let entry = null;
  try {
    entry = text === null ? null : JSON.parse(text);
  } catch {
    entry = null;
  }
  if (!entry || typeof entry.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(entry.sha256) || !entry.filename.endsWith(".whl") || entry.filename.includes("/"))
    return null;
  const finalDir = join17(cacheDir2, "wheels", entry.sha256);
  const final = join17(finalDir, entry.filename);
  if (await exists(final)) return { filename: entry.filename, path: final, sha256: entry.sha256 };
  const tmpDir = join17(cacheDir2, "wheels", ".tmp");
  await mkdir8(tmpDir, { recursive: true });
  const tmp = join17(tmpDir, `${process.pid}-${Math.random().toString(36).slice(2)}-${entry.filename}`);
  try {
    const h = createHash10("sha256");
    const body = await store.openRead(builtWheelKey(entry.sha256, entry.filename));
    body.on("data", (c) => h.update(c));
    await pipeline2(body, createWriteStream2(tmp));
    const got = h.digest("hex");
    if (got !== entry.sha256) {
      log.warn(
        `${entry.filename} in the store has sha256 ${got.slice(0, 12)}, its index says ${entry.sha256.slice(0, 12)}: building it again`
      );
      return null;
    }
    await mkdir8(finalDir, { recursive: true });
    await rename6(tmp, final);
    return { filename: entry.filename, path: final, sha256: got };
  } catch {
    return null;
  } finally {
    await rm6(tmp, { force: true });
  }
}
async function fetchWheels(req) {
  const { target: target2, log } = req;
  const foreign = !isHostCompatible(target2, { python: req.host.python ?? "", platform: req.host.platform });
  const refuse = (p, why) => new UsageError(
    `${p.name} ${p.version} has no wheel for CPython ${target2.python} on ${target2.platform}${why} \u2014 pin a version that publishes such wheels, or build on a ${target2.platform} host with Python ${target2.python}`
  );
  for (const p of req.packages) if (!bestWheel(target2, p.wheels) && !p.sdist) throw refuse(p, "");
  sweepTemps(join17(req.cacheDir, "wheels", ".tmp"));
  let downloaded = 0;
  const progress = startTransfer("downloading wheels");
  let expected = 0;
  const transfer = { add: (n) => progress.add(n), expect: (n) => progress.total(expected += n) };
  const fetchOne = async (art) => {
    const got = await fetchVerified(art, req.cacheDir, log, req.auth, transfer);
    if (got.fresh) downloaded++;
    return got;
  };
  const wheels = await mapLimit(req.packages, DOWNLOAD_CONCURRENCY, async (p) => {
    const wheel = bestWheel(target2, p.wheels);
    if (wheel) return fetchOne(wheel);
    const sdist = await fetchOne(p.sdist);
    const host = `cp${(req.host.python ?? "").replace(".", "")}-${req.host.platform ?? process.platform}`;
    let built = req.store ? await storedBuild(req.store, sdist, host, req.cacheDir, log) : null;
    if (built) log.info(`${built.filename}: built from ${p.name} ${p.version}'s sdist by an earlier build, taken from the store`);
    else {
      built = await buildSdist(p, sdist, req.tools, req.cacheDir, req.run ?? runProcess, log);
      if (req.store) {
        await req.store.putFile(builtWheelKey(built.sha256, built.filename), built.path, { sha256: built.sha256 });
        await req.store.putJson(builtIndexKey(sdist.sha256, host), {
          schema: 1,
          sdist: sdist.sha256,
          filename: built.filename,
          sha256: built.sha256
        });
      }
    }
    if (foreign && !bestWheel(target2, [built])) {
      throw refuse(p, ` and its sdist builds ${built.filename} on this host, which the target cannot use`);
    }
    return built;
  }).finally(() => progress.done());
  wheels.sort((a, b) => a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0);
  return { wheels: wheels.map(({ filename, path, sha256 }) => ({ filename, path, sha256 })), downloaded };
}

// src/build/build.ts
function redactBytes(data, secrets) {
  if (!secrets.length) return data;
  let text = data.toString("latin1");
  for (const s of [...secrets].sort((a, b) => a.length - b.length))
    text = text.split(Buffer.from(s).toString("latin1")).join(CREDENTIAL_PLACEHOLDER);
  return Buffer.from(text, "latin1");
}
async function projectMetadataFor(projectDir, ctx, lazyTools, store, log) {
  const d = ctx.decl;
  const h = createHash11("sha256").update(`pexpress ${PEXPRESS_VERSION}\0`);
  for (const [name, bytes] of [
    ["setup.py", d.setupPy],
    ["setup.cfg", d.setupCfg],
    ["pyproject.toml", d.pyprojectBytes ?? null]
  ]) {
    h.update(`${name}\0${bytes ? sha256Hex(bytes) : "-"}\0`);
  }
  const key = h.digest("hex");
  return projectMetadata({
    projectDir,
    key,
    shared: {
      read: () => store.getText(projectMetadataKey(key)),
      write: (text) => store.putJson(projectMetadataKey(key), JSON.parse(text))
    },
    pyproject: d.pyprojectBytes ?? null,
    tools: lazyTools,
    cacheDir: cacheDir(),
    log
  });
}
var CREDENTIAL_PLACEHOLDER = "${PEXPRESS_REDACTED_CREDENTIAL}";
async function assertProjectDir(dir) {
  const abs = resolve7(dir);
  try {
    if ((await stat9(abs)).isDirectory()) return abs;
  } catch {
  }
  throw new UsageError(`project directory ${dir} does not exist \u2014 set ${optionRef("projectDir")} to your Python project's directory`);
}
async function fingerprintProject(opts, log) {
  const projectDir = await assertProjectDir(opts.projectDir);
  const hostPlatform = hostTarget().platform;
  const groups = opts.groups ?? [];
  const decl = await readDeclarations(projectDir, opts.requirementsFile, { extras: opts.extras, groups });
  for (const s of decl.secrets) log.addSecret(s);
  const projectPython = opts.python ? null : await projectPythonOf(projectDir, decl.requiresPython);
  const hostPython2 = opts.python || projectPython ? null : await hostPythonVersion();
  const targetFrom = opts.python ? "--python" : projectPython ? projectPython.from : "the host's python3";
  let target2;
  try {
    target2 = parseTarget(
      { python: opts.python ?? projectPython?.version, platform: opts.platform, manylinux: opts.manylinux },
      { python: hostPython2 ?? "3.11", platform: hostPlatform }
    );
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(projectPython ? `${projectPython.from}: ${err.message}` : err.message);
    throw err;
  }
  const mismatch = decl.requiresPython && pythonMismatch(decl.requiresPython, target2.python);
  if (mismatch) throw new UsageError(mismatch);
  const warned = /* @__PURE__ */ new Set();
  for (const m of decl.requirements?.missingEnv ?? []) {
    if (warned.has(m.name)) continue;
    warned.add(m.name);
    log.warn(`${m.file}:${m.line}: \${${m.name}} is not set (or empty), so it is used as written \u2014 set ${m.name} in the environment`);
  }
  if (decl.setupPy) decl.setupPyDeps = await readSetupPyDeps(projectDir, sha256Hex(decl.setupPy), hostPython(), cacheDir());
  const resolver = opts.resolver === "pip" ? "pip" : "uv";
  const fp = computeFingerprint(decl, { target: target2, resolver, epoch: opts.epoch, extras: opts.extras, groups });
  return { projectDir, target: target2, targetFrom, resolver, decl, fp, host: { python: hostPython2, platform: hostPlatform } };
}
function requirementsOf(wheels) {
  return wheels.map((w) => {
    const { distribution, version } = parseWheelFilename(w.filename);
    return `${distribution}==${version}`;
  });
}
async function build(opts, log) {
  const t0 = performance.now();
  const projectDir = await assertProjectDir(opts.projectDir);
  const store = await log.phase("store", async () => {
    const s = await openStore(opts.storeUrl, { ...opts.storeOptions, warn: opts.storeOptions.warn ?? ((m) => log.warn(m)) });
    await s.check();
    return s;
  });
  const rev2 = await currentRevision(projectDir);
  const commit = opts.commit ?? rev2.commit;
  const ref = opts.ref ?? rev2.ref;
  const ctx = await log.phase("fingerprint", () => fingerprintProject({ ...opts, projectDir }, log));
  let toolsFound;
  const lazyTools = () => toolsFound ??= findTools(opts.resolver, log);
  const { target: target2, fp } = ctx;
  log.info(
    `fingerprint ${fp.fingerprint.slice(0, 12)} \xB7 CPython ${target2.python} (from ${ctx.targetFrom}) ${target2.platform} \xB7 resolver ${opts.resolver}`
  );
  const scope = {
    repository: opts.history?.repository ?? null,
    project: opts.history?.project ?? await checkoutPath(projectDir),
    python: target2.python,
    platform: target2.platform
  };
  const decision = await log.phase(
    "decide",
    () => decide(store, fp, { forceFull: opts.forceFull, ref, scope, fallbacks: opts.history?.fallbacks, warn: (m) => log.warn(m) })
  );
  log.info(`${decision.buildType} build: ${decision.reason}`);
  const sources = await log.phase("collect", async () => {
    const memo = projectHashMemo(cacheDir(), projectDir);
    const skip = [opts.outDir, join18(opts.outDir, "source.pex"), join18(opts.outDir, "deps.pex"), cacheDir()];
    if (store.localPath) skip.push(store.localPath(""));
    const collected = await collectSources(projectDir, opts.excludes, memo, { skip, includes: opts.includes });
    memo.save();
    const literal = ctx.decl.literalCredentials;
    const { sources: safe, replaced } = withCredentialsReplaced(
      collected,
      projectDir,
      [...new Set(literal.map((l) => l.file))],
      ctx.decl.secrets,
      CREDENTIAL_PLACEHOLDER
    );
    const meta2 = ctx.decl.packageFile ? await projectMetadataFor(projectDir, ctx, lazyTools, store, log) : null;
    if (meta2) {
      const files = Object.entries(meta2.files).map(([f, data]) => ({
        name: `${meta2.dir}/${f}`,
        absPath: "",
        size: data.length,
        executable: false,
        sha256: sha256Hex(data),
        data: redactBytes(data, ctx.decl.secrets)
      }));
      const taken = new Set(safe.files.map((f) => f.name));
      const added = files.filter((f) => !taken.has(f.name));
      const all = sortByNameBytes([...safe.files, ...added]);
      safe.files = all;
      safe.codeHash = codeHashOf(all);
    }
    if (literal.length) {
      const where = literal.map((l) => `${l.file}:${l.line}`).join(", ");
      log.warn(
        `a literal credential is written in ${where}: ${replaced.length ? `source.pex gets ${replaced.join(", ")} with it replaced by ${CREDENTIAL_PLACEHOLDER}` : "that file is not packed"} \u2014 write \${NAME} and set NAME from a secret instead`
      );
    }
    return safe;
  });
  if (sources.files.length === 0) {
    throw new UsageError(
      `nothing to pack: ${sources.layout === "src" ? "src/ in " : ""}${projectDir} has no files left after .gitignore and --exclude \u2014 point --project-dir at your Python project`
    );
  }
  if (sources.files.some((f) => f.name === "__main__.py" || f.name === "PEX-INFO")) {
    throw new UsageError(
      `${sources.layout === "src" ? "src/" : ""}__main__.py or PEX-INFO at the source root would shadow the pexpress runtime \u2014 move it into a package and set ${optionRef("entryPoint")}`
    );
  }
  let deps = null;
  let packages = [];
  let stats = null;
  let depsRef;
  if (decision.buildType === "full") {
    const cache = cacheDir();
    const host = { ...ctx.host, python: ctx.host.python ?? await hostPythonVersion() };
    await opts.beforeResolve?.({ fingerprint: fp.fingerprint, target: target2, cacheDir: cache });
    const tools = await log.phase("tools", lazyTools);
    const locked = await log.phase(
      "resolve",
      () => resolverFor(tools.resolver).resolve({
        projectDir,
        decl: ctx.decl,
        extras: opts.extras,
        groups: opts.groups,
        target: target2,
        host,
        tools,
        cacheDir: cache,
        log
      })
    );
    const fetched = await log.phase(
      "download",
      () => fetchWheels({ packages: locked, target: target2, host, tools, cacheDir: cache, log, auth: ctx.decl.indexAuth, store })
    );
    const wheels = fetched.wheels;
    stats = { wheels: wheels.length, downloaded: fetched.downloaded };
    const pins = requirementsOf(wheels);
    log.info(`${wheels.length} wheels (${fetched.downloaded} downloaded): ${pins.map((p) => p.replace("==", " ")).join(", ") || "(none)"}`);
    deps = await log.phase(
      "pack deps",
      () => packDeps({ wheels, requirements: pins, fingerprint: fp.fingerprint, target: target2, outDir: opts.outDir })
    );
    depsRef = { sha256: deps.sha256, pexHash: deps.archiveHash, size: deps.size };
    packages = await Promise.all(
      wheels.map(async (w) => {
        const [name, version] = w.filename.split("-");
        return { name, version, size: (await stat9(w.path)).size };
      })
    );
  } else {
    depsRef = { sha256: decision.entry.sha256, pexHash: decision.entry.pexHash, size: decision.entry.size };
  }
  const source = await log.phase("pack source", async () => {
    const cache = projectDeflateCache(cacheDir(), projectDir);
    const packed = await packSource({
      sources,
      deps: { sha256: depsRef.sha256, pexHash: depsRef.pexHash },
      entryPoint: opts.entryPoint,
      fingerprint: fp.fingerprint,
      target: target2,
      outDir: opts.outDir,
      cache
    });
    cache.save();
    return packed;
  });
  const builtAt = (/* @__PURE__ */ new Date()).toISOString();
  const meta = (kind) => ({ "pexpress-kind": kind, "pexpress-fingerprint": fp.fingerprint, "pexpress-commit": commit ?? "" });
  let newEntry = decision.buildType === "fast" ? decision.entry : null;
  const published = await log.phase("publish", async () => {
    const [depsPut, sourcePut] = await Promise.all([
      deps ? store.putFile(archiveKey(deps.sha256), deps.path, {
        sha256: deps.sha256,
        metadata: meta("deps"),
        overwrite: decision.buildType === "full" && decision.repair
      }) : Promise.resolve({ uploaded: false }),
      store.putFile(archiveKey(source.sha256), source.path, { sha256: source.sha256, metadata: meta("source") })
    ]);
    if (deps) {
      const entry = {
        fingerprint: fp.fingerprint,
        sha256: deps.sha256,
        size: deps.size,
        pexHash: deps.archiveHash,
        python: target2.python,
        platform: target2.platform,
        requirements: deps.pexInfo.requirements,
        packages,
        commit,
        builtAt
      };
      await writeDepsIndex(store, entry);
      newEntry = { schema: 1, ...entry };
    }
    await writeManifest(store, {
      commit,
      ref,
      buildType: decision.buildType,
      reason: decision.reason,
      fingerprint: fp.fingerprint,
      target: { python: target2.python, platform: target2.platform },
      deps: { sha256: depsRef.sha256, key: archiveKey(depsRef.sha256), pexHash: depsRef.pexHash },
      source: { sha256: source.sha256, key: archiveKey(source.sha256), pexHash: source.archiveHash },
      entryPoint: opts.entryPoint,
      pexpressVersion: PEXPRESS_VERSION,
      builtAt
    });
    await writeRef(
      store,
      {
        ref,
        commit,
        buildType: decision.buildType,
        fingerprint: fp.fingerprint,
        components: fp.components,
        deps: { sha256: depsRef.sha256 },
        source: { sha256: source.sha256 },
        builtAt
      },
      scope
    );
    return { depsPut, sourcePut };
  });
  const depsChange = await depsChangeOf(store, decision.previous, newEntry, log);
  log.timings.total = Math.round(performance.now() - t0);
  const report = (sha256, size2, uploaded, path) => ({
    sha256,
    key: fullKey(store, archiveKey(sha256)),
    url: store.urlFor(archiveKey(sha256)),
    size: size2,
    uploaded,
    path
  });
  return {
    buildType: decision.buildType,
    reason: decision.reason,
    fingerprint: fp.fingerprint,
    deps: report(depsRef.sha256, depsRef.size, published.depsPut.uploaded, deps?.path ?? null),
    source: report(source.sha256, source.size, published.sourcePut.uploaded, source.path),
    manifest: { key: fullKey(store, manifestKey(source.sha256)) },
    timings: { ...log.timings },
    target: { python: target2.python, platform: target2.platform },
    commit,
    ref,
    stats,
    depsChange
  };
}
async function checkoutPath(projectDir) {
  for (let dir = projectDir; ; dir = dirname11(dir)) {
    if (await stat9(join18(dir, ".git")).then(
      () => true,
      () => false
    ))
      return relative5(dir, projectDir).split(sep4).join("/") || ".";
    if (dirname11(dir) === dir) return ".";
  }
}
async function depsChangeOf(store, previous, entry, log) {
  if (!previous || !entry || previous.record.deps.sha256 === entry.sha256) return null;
  try {
    const before = await readDepsIndex(store, previous.record.fingerprint, (m) => log.warn(m));
    if (!before) return null;
    return {
      base: { ref: previous.ref, base: previous.base, commit: previous.record.commit, sha256: before.sha256, size: before.size ?? null },
      packages: diffDeps(before, entry)
    };
  } catch (err) {
    log.warn(`cannot compare deps.pex with ${previous.ref}'s: ${err.message}`);
    return null;
  }
}

// src/options/table.ts
function quote(v) {
  const one = v.replace(/\r?\n/g, "\\n");
  return `'${one.length > 60 ? one.slice(0, 57) + "\u2026" : one}'`;
}
var ENTRY_POINT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$/;
var EXTRA = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
var REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
var firstPython = SUPPORTED_PYTHONS[0];
var lastPython = SUPPORTED_PYTHONS[SUPPORTED_PYTHONS.length - 1];
var OPTIONS = {
  projectDir: {
    type: "string",
    default: ".",
    scope: "store",
    cli: { flag: "project-dir", arg: "DIR" },
    action: {
      input: "project-dir",
      help: "The Python project, relative to the workspace; names the PR comment (several steps with different project dirs each keep their own)."
    },
    help: "The Python project."
  },
  python: {
    type: "string",
    default: "",
    scope: "build",
    cli: {
      flag: "python",
      arg: "X.Y",
      default: "the project's `.python-version`, else a `requires-python` that allows one minor, else the host's `python3`"
    },
    action: {
      input: "python-version",
      default: "the project's `.python-version`, else a `requires-python` that allows one minor, else the runner's `python3`"
    },
    help: `Target Python as X.Y, ${firstPython} \u2026 ${lastPython}.`,
    check: (v) => SUPPORTED_PYTHONS.includes(v) ? null : { message: `${quote(v)} is not a supported target`, hint: `use X.Y, ${firstPython} or later up to ${lastPython} (e.g. 3.12)` }
  },
  platform: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "platform", arg: "P", default: "the host's" },
    action: { input: "platform", default: "the runner's" },
    help: `Target platform: ${SUPPORTED_PLATFORMS.map((p) => "`" + p + "`").join(" or ")}.`,
    check: (v) => SUPPORTED_PLATFORMS.includes(v) ? null : { message: `${quote(v)} is not supported`, hint: `use ${SUPPORTED_PLATFORMS.join(" or ")}` }
  },
  manylinux: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "manylinux", arg: "TAG", default: "`manylinux_2_28`" },
    action: { input: "manylinux", default: "pexpress's (`manylinux_2_28`)" },
    help: "glibc floor for wheels, e.g. `manylinux_2_28`, `2.28` or `manylinux2014`.",
    check: (v) => {
      try {
        parseGlibc(v);
        return null;
      } catch {
        return {
          message: `${quote(v)} is not a manylinux tag`,
          hint: "use manylinux_2_NN (e.g. manylinux_2_28, the default) or manylinux2014"
        };
      }
    }
  },
  entryPoint: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "entry-point", arg: "MOD[:FN]" },
    action: { input: "entry-point", default: "none (acts as the interpreter)" },
    help: "What `source.pex` runs: `MODULE` or `MODULE:FUNCTION` (e.g. `myapp.main:run`).",
    check: (v) => ENTRY_POINT.test(v) ? null : { message: `${quote(v)} is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)` }
  },
  requirements: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "requirements", arg: "FILE", default: "`requirements.txt` when present" },
    action: { input: "requirements", default: "`requirements.txt` when present" },
    help: "The requirements file, relative to the project. A file named here must exist; the default may be absent.",
    check: (v) => v.startsWith("/") || v.split(/[\\/]/).includes("..") ? { message: `${quote(v)} must be a path inside project-dir (e.g. requirements/prod.txt)` } : null
  },
  exclude: {
    type: "list",
    list: "repeat",
    default: "",
    scope: "build",
    cli: { flag: "exclude", arg: "GLOB", help: "Leave matching files out of `source.pex` (repeatable, .gitignore syntax)." },
    action: { input: "exclude", default: "none", help: "Globs left out of `source.pex`, one per line (.gitignore syntax)." },
    help: "Globs left out of `source.pex` (.gitignore syntax)."
  },
  include: {
    type: "list",
    list: "repeat",
    default: "",
    scope: "build",
    cli: {
      flag: "include",
      arg: "GLOB",
      help: "Put matching files in `source.pex` even when .gitignore ignores them (repeatable; `--exclude` still wins)."
    },
    action: {
      input: "include",
      default: "none",
      help: "Globs put in `source.pex` even when .gitignore ignores them, one per line; `exclude` still wins."
    },
    help: "Globs put in `source.pex` even when .gitignore ignores them (files the build generates, e.g. `src/pkg/_version.py`)."
  },
  extras: {
    type: "list",
    list: "comma",
    default: "",
    scope: "build",
    cli: { flag: "extras", arg: "A,B" },
    action: { input: "extras", default: "none" },
    help: "Optional dependency groups of the project to put in `deps.pex` (`extras_require`, `[project.optional-dependencies]`), comma-separated, e.g. `web,cli`.",
    check: (v) => EXTRA.test(v) ? null : { message: `${quote(v)} is not an extra name`, hint: "give a comma-separated list like web,cli" }
  },
  groups: {
    type: "list",
    list: "comma",
    default: "",
    scope: "build",
    cli: { flag: "groups", arg: "A,B" },
    action: { input: "groups", default: "none" },
    help: "Dependency groups to put in `deps.pex` besides the runtime dependencies (a lockfile's groups, or `[dependency-groups]` with the uv resolver), comma-separated. None by default, as `uv sync --no-dev` / `poetry install --only main`.",
    check: (v) => EXTRA.test(v) ? null : { message: `${quote(v)} is not a group name`, hint: "give a comma-separated list like docs,prod" }
  },
  s3Bucket: {
    type: "string",
    default: "",
    action: {
      input: "s3-bucket",
      default: "none (the local store `<project-dir>/.pexpress/store`, kept on the runner only, unless `store` is set)"
    },
    help: "S3 bucket for the archives (name only, no `s3://`).",
    check: (v) => v.startsWith("s3://") ? { message: `${quote(v)}: give the bucket name only (no s3://), and the key prefix in s3-prefix` } : isBucketName(v) ? null : { message: `${quote(v)} is not a valid bucket name`, hint: "3 to 63 lowercase letters, digits, dots and hyphens" }
  },
  s3Prefix: {
    type: "string",
    default: "",
    action: { input: "s3-prefix", default: "none (the bucket root)" },
    help: "Key prefix inside the bucket, e.g. `pexpress/api`.",
    check: (v) => {
      const prefix = v.replace(/^\/+|\/+$/g, "");
      if (prefix.split("/").some((p) => p === ".." || p === "." || p === ""))
        return {
          message: `${quote(v)} is not a key prefix`,
          hint: "use segments separated by single slashes, without . or .. (e.g. pexpress/myapp)"
        };
      if (/[^A-Za-z0-9!_.*'()/-]/.test(prefix))
        return { message: `${quote(v)} has characters that are unsafe in S3 keys`, hint: "use letters, digits and - _ . / only" };
      return null;
    }
  },
  s3Region: {
    type: "string",
    default: "",
    scope: "store",
    cli: { flag: "s3-region", arg: "REGION", default: "from the AWS environment" },
    action: { input: "s3-region", default: "from the AWS environment (`AWS_REGION`, as aws-actions/configure-aws-credentials sets it)" },
    help: "S3 region, e.g. `eu-west-1`.",
    check: (v) => REGION.test(v) ? null : { message: `${quote(v)} is not a region name`, hint: "e.g. eu-west-1" }
  },
  s3Endpoint: {
    type: "string",
    default: "",
    scope: "store",
    cli: { flag: "s3-endpoint", arg: "URL", default: "AWS S3" },
    action: { input: "s3-endpoint", default: "AWS S3" },
    help: "An S3-compatible endpoint URL (path-style addressing), e.g. `http://localhost:9000`.",
    check: (v) => {
      try {
        const u = new URL(v);
        if ((u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password) return null;
      } catch {
      }
      return {
        message: `${quote(v)} is not an endpoint URL`,
        hint: "use http(s)://host[:port] without credentials (e.g. http://localhost:9000)"
      };
    }
  },
  store: {
    type: "string",
    default: "",
    scope: "store",
    env: "PEXPRESS_STORE",
    cli: { flag: "store", arg: "URL", default: "`file://<project>/.pexpress/store`" },
    action: { input: "store", default: "from `s3-bucket`" },
    help: "Where the archives go: `file:///dir`, a path, or `s3://bucket/prefix`.",
    check: (v) => (
      // The scheme is checked here; the bucket of an s3:// URL by the S3 store (with the same rule as s3-bucket).
      /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^(file:\/\/\/|s3:\/\/)/.test(v) ? { message: `${quote(v)} is not a store URL`, hint: "use file:///absolute/dir or s3://bucket/prefix (or a directory path)" } : null
    )
  },
  forceFull: {
    type: "boolean",
    default: "false",
    scope: "build",
    cli: { flag: "force-full" },
    action: { input: "force-full-build" },
    help: "Rebuild `deps.pex` even when the fingerprint is unchanged."
  },
  epoch: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "deps-cache-epoch", arg: "S" },
    action: { input: "deps-cache-epoch", default: "none" },
    help: "Any string, part of the fingerprint: change it to force one new `deps.pex`.",
    check: (v) => /[\r\n]/.test(v) ? { message: "must be a single line" } : null
  },
  resolver: {
    type: "choice",
    choices: ["auto", "uv", "pip"],
    noun: "resolver",
    default: "auto",
    scope: "build",
    env: "PEXPRESS_RESOLVER",
    cli: { flag: "resolver", arg: "R" },
    action: { input: "resolver" },
    help: "`auto` (uv when available, else pip), `uv` or `pip`."
  },
  commentOnPr: {
    type: "choice",
    choices: ["always", "on-full", "never"],
    aliases: { true: "always", false: "never" },
    noun: "choice",
    default: "always",
    action: { input: "comment-on-pr" },
    help: "On `pull_request` / `pull_request_target` events, one comment per project-dir on the PR with the build type, the reason and the archives: `always`; `on-full`, only when dependencies changed or the build failed (a later fast build edits an earlier comment, never creates one); `never`. `true` and `false` mean `always` and `never`."
  },
  githubToken: {
    type: "string",
    default: "${{ github.token }}",
    action: { input: "github-token" },
    help: "Token for the PR comment (needs `pull-requests: write`; a read-only token only gives a warning)."
  },
  promoteTo: {
    type: "string",
    default: "",
    action: { input: "promote-to" },
    help: "An environment name (e.g. `production`): on pushes to `promote-branch`, record the build as what that environment runs (`pexpress run --env ENV`). Empty: no promotion.",
    check: (v) => ENV_NAME.test(v) ? null : { message: `${quote(v)} is not an environment name`, hint: "use letters, digits, '.', '_' and '-' (e.g. production)" }
  },
  promoteBranch: {
    type: "string",
    default: "",
    action: { input: "promote-branch", default: "the repository default branch" },
    help: "The branch whose pushes `promote-to` promotes."
  },
  outDir: {
    type: "string",
    default: "",
    scope: "build",
    cli: { flag: "out-dir", arg: "DIR", default: "`<project>/.pexpress/out`" },
    help: "Where the archives are written."
  },
  json: {
    type: "boolean",
    default: "false",
    scope: "store",
    cli: { flag: "json" },
    help: 'Print one JSON object on stdout (on failure too: `{"error": {...}}`); logs stay on stderr.'
  }
};
var OPTION_KEYS = Object.keys(OPTIONS);
function cliName(key) {
  const spec2 = OPTIONS[key];
  if (spec2?.cli) return `--${spec2.cli.flag}`;
  if (spec2?.action) return `input '${spec2.action.input}'`;
  return `--${key}`;
}
function actionName(key) {
  const spec2 = OPTIONS[key];
  if (spec2?.action) return `input '${spec2.action.input}'`;
  if (spec2?.cli) return `--${spec2.cli.flag}`;
  return key;
}

// src/store/s3-register.ts
registerStore("s3", async (url, opts) => {
  const { S3Store } = await import("./s3-ICYISFFE.js");
  return new S3Store(url, opts);
});

// src/options/build-options.ts
function buildOptionsFrom(o, at) {
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
    epoch: o.epoch ?? "",
    extras: o.extras,
    groups: o.groups,
    excludes: o.exclude,
    includes: o.include,
    requirementsFile: o.requirements ?? null
  };
}

// src/options/parse.ts
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function splitList(spec2, value) {
  const parts = Array.isArray(value) ? value : spec2.list === "repeat" ? value.split("\n") : value.split(",");
  const items = parts.map((p) => p.trim()).filter(Boolean);
  return spec2.list === "comma" ? [...new Set(items)].sort() : items;
}
function parseOptions(given, keys = OPTION_KEYS) {
  const values = {};
  const problems = [];
  for (const key of keys) {
    const spec2 = OPTIONS[key];
    const g = given[key];
    const bad = (p) => {
      if (p) problems.push({ key, from: g?.from ?? key, ...p });
    };
    if (spec2.type === "boolean") {
      const v2 = g?.value === "" || g === void 0 ? spec2.default : g.value;
      if (typeof v2 === "boolean") values[key] = v2;
      else if (TRUE.includes(String(v2))) values[key] = true;
      else if (FALSE.includes(String(v2))) values[key] = false;
      else {
        bad({ message: `${quote(String(v2))} is not a boolean`, hint: "use true or false" });
        values[key] = spec2.default === "true";
      }
      continue;
    }
    if (spec2.type === "list") {
      const items = g && typeof g.value !== "boolean" ? splitList(spec2, g.value) : [];
      for (const item of items) bad(spec2.check?.(item) ?? null);
      values[key] = items;
      continue;
    }
    const raw = g && typeof g.value === "string" ? g.value : "";
    const asGiven = raw === "" ? spec2.default : raw;
    const v = spec2.aliases?.[asGiven.toLowerCase()] ?? asGiven;
    if (v === "") {
      values[key] = void 0;
      continue;
    }
    if (spec2.type === "choice" && !spec2.choices.includes(v)) {
      const aliases = Object.entries(spec2.aliases ?? {});
      const also = aliases.length ? ` (${aliases.map(([a, c]) => `${a} means ${c}`).join(", ")})` : "";
      bad({ message: `${quote(v)} is not a ${spec2.noun ?? "valid value"}`, hint: `use ${spec2.choices.join(", ")}${also}` });
      values[key] = spec2.default;
      continue;
    }
    if (raw !== "") bad(spec2.check?.(v) ?? null);
    values[key] = v;
  }
  return { values, problems };
}
function renderProblem(p, surface) {
  const what = surface === "action" && p.from.startsWith("input ") ? `${p.from}: ${p.message}` : `${p.from} ${p.message}`;
  return p.hint ? `${what} \u2014 ${p.hint}` : what;
}
var OptionsError = class extends UsageError {
  constructor(problems, surface) {
    super(problems.map((p) => renderProblem(p, surface)).join("; "), problems.length > 1 ? { hint: "" } : {});
    this.problems = problems;
  }
  problems;
};

export {
  mapLimit,
  defaultStoreUrl,
  openStore,
  readManifest,
  resolveSha,
  lookup,
  fetchArchive,
  prepareRun,
  checkEnvName,
  asEnvRecord,
  readJson,
  promotedSource,
  promote,
  PEXPRESS_VERSION,
  cacheDir,
  which,
  BUILT_WHEELS_DIR,
  fingerprintProject,
  build,
  quote,
  OPTIONS,
  OPTION_KEYS,
  cliName,
  actionName,
  buildOptionsFrom,
  parseOptions,
  OptionsError
};

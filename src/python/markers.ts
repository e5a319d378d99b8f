/**
 * Partial evaluation of PEP 508 markers: terms over `extras` / `dependency_groups` (PEP 751) or
 * `extra` are decided from the selection, every other term is kept as written for the resolver to
 * evaluate against the target.
 */
type Node = { kind: 'const'; value: boolean } | { kind: 'term'; text: string } | { kind: 'op'; op: 'and' | 'or'; a: Node; b: Node };

const TOKEN = /\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b|[A-Za-z_][A-Za-z0-9_.]*|[^\s()'"<>=!~]+)/y;

function tokenize(marker: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < marker.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(marker);
    if (!m) {
      if (/^\s*$/.test(marker.slice(at))) break;
      throw new Error(`cannot read marker '${marker}'`);
    }
    out.push(m[1].replace(/\s+/g, ' '));
  }
  return out;
}

const unquote = (s: string) => (/^['"]/.test(s) ? s.slice(1, -1) : null);

export function simplifyMarker(marker: string, sel: { extras: string[]; groups: string[] }): boolean | string {
  const tokens = tokenize(marker);
  let i = 0;
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  const extras = new Set(sel.extras.map(norm));
  const groups = new Set(sel.groups.map(norm));
  function atom(): Node {
    if (tokens[i] === '(') {
      i++;
      const n = or();
      if (tokens[i++] !== ')') throw new Error(`unbalanced parentheses in marker '${marker}'`);
      return n;
    }
    const [l, op, r] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (l === undefined || op === undefined || r === undefined) throw new Error(`incomplete marker '${marker}'`);
    i += 3;
    const lv = unquote(l);
    const rv = unquote(r);
    const set = r === 'extras' ? extras : r === 'dependency_groups' ? groups : null;
    if (set && lv !== null && (op === 'in' || op === 'not in')) return { kind: 'const', value: set.has(norm(lv)) === (op === 'in') };
    if (l === 'extra' && rv !== null && (op === '==' || op === '!='))
      return { kind: 'const', value: extras.has(norm(rv)) === (op === '==') };
    return { kind: 'term', text: `${l} ${op} ${r}` };
  }
  function and(): Node {
    let n = atom();
    while (tokens[i] === 'and') {
      i++;
      n = { kind: 'op', op: 'and', a: n, b: atom() };
    }
    return n;
  }
  function or(): Node {
    let n = and();
    while (tokens[i] === 'or') {
      i++;
      n = { kind: 'op', op: 'or', a: n, b: and() };
    }
    return n;
  }
  const tree = or();
  if (i !== tokens.length) throw new Error(`cannot read marker '${marker}'`);
  function reduce(n: Node): Node {
    if (n.kind !== 'op') return n;
    const a = reduce(n.a);
    const b = reduce(n.b);
    const absorbing = n.op === 'or';
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (x.kind === 'const') return x.value === absorbing ? x : y;
    }
    return { kind: 'op', op: n.op, a, b };
  }
  function text(n: Node, parent: 'and' | 'or' | null): string {
    if (n.kind === 'term') return n.text;
    if (n.kind === 'const') return String(n.value);
    const s = `${text(n.a, n.op)} ${n.op} ${text(n.b, n.op)}`;
    return parent && parent !== n.op ? `(${s})` : s;
  }
  const r = reduce(tree);
  return r.kind === 'const' ? r.value : text(r, null);
}

import { type ClarkName, ns, splitClark } from './names.ts';

/** A response element: text children are escaped, element children nest. */
export interface XmlNode {
  readonly name: ClarkName;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: readonly XmlChild[];
}
export type XmlChild = XmlNode | string;

export function el(
  name: ClarkName,
  children: readonly XmlChild[] | string = [],
  attributes?: Record<string, string>,
): XmlNode {
  const node: XmlNode = { name, children: typeof children === 'string' ? [children] : children };
  return attributes ? { ...node, attributes } : node;
}

const knownPrefixes: ReadonlyMap<string, string> = new Map([
  [ns.dav, 'd'],
  [ns.caldav, 'cal'],
  [ns.calendarserver, 'cs'],
  [ns.appleIcal, 'ical'],
  [ns.televent, 't'],
]);

/**
 * Serialises a response document. Every namespace used anywhere is declared once on the root, so
 * clients with sloppy namespace handling still see stable prefixes (`d:` for DAV:). Written by hand
 * rather than with a DOM builder: a Depth-1 PROPFIND of thousands of objects is one string join.
 */
export function serializeXml(root: XmlNode): string {
  const prefixes = new Map<string, string>();
  collectNamespaces(root, prefixes);
  const qualified = new Map<ClarkName, string>();
  const declarations = [...prefixes]
    .map(([uri, prefix]) => ` xmlns:${prefix}="${escapeAttribute(uri)}"`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n${write(root, prefixes, qualified, declarations)}`;
}

function collectNamespaces(node: XmlNode, into: Map<string, string>): void {
  const seen = new Set<ClarkName>();
  const stack: XmlNode[] = [node];
  for (let current = stack.pop(); current; current = stack.pop()) {
    if (!seen.has(current.name)) {
      seen.add(current.name);
      const { namespace } = splitClark(current.name);
      if (!into.has(namespace)) into.set(namespace, knownPrefixes.get(namespace) ?? `x${into.size}`);
    }
    for (const child of current.children ?? []) if (typeof child !== 'string') stack.push(child);
  }
}

function qualify(
  name: ClarkName,
  prefixes: ReadonlyMap<string, string>,
  cache: Map<ClarkName, string>,
): string {
  let qualified = cache.get(name);
  if (qualified === undefined) {
    const { namespace, local } = splitClark(name);
    // An empty namespace cannot carry a prefix; such elements are not produced, but stay well-formed.
    qualified = namespace === '' ? local : `${prefixes.get(namespace)}:${local}`;
    cache.set(name, qualified);
  }
  return qualified;
}

// String concatenation (V8 ropes) is cheaper here than collecting parts: a Depth-1 PROPFIND of
// thousands of members writes tens of thousands of small pieces.
function write(
  node: XmlNode,
  prefixes: ReadonlyMap<string, string>,
  cache: Map<ClarkName, string>,
  extra = '',
): string {
  const name = qualify(node.name, prefixes, cache);
  let out = `<${name}${extra}`;
  if (node.attributes) {
    for (const [key, value] of Object.entries(node.attributes)) out += ` ${key}="${escapeAttribute(value)}"`;
  }
  const children = node.children ?? [];
  if (children.length === 0) return `${out}/>`;
  out += '>';
  for (const child of children) {
    out += typeof child === 'string' ? escapeText(child) : write(child, prefixes, cache);
  }
  return `${out}</${name}>`;
}

// XML 1.0 §2.2: these code points cannot appear in a document at all, even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching exactly these characters is the point.
const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters as above.
const needsEscape = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function escapeText(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value
    .replace(invalidXmlChars, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

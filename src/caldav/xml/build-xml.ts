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
  const writer = new XmlDocumentWriter(root.name, root.attributes);
  for (const child of root.children ?? []) writer.add(child);
  const document = writer.finish();
  return typeof document === 'string' ? document : Buffer.concat(document).toString('utf8');
}

/** An element already written, with the namespaces its fixed prefixes stand for. */
export interface WrittenXml {
  readonly xml: Buffer;
  readonly namespaces: readonly string[];
}

/**
 * One document written child by child under its root: each child becomes text as soon as it is
 * added, so a listing of thousands of responses never holds a tree of them, and the root, with the
 * declaration of every namespace met on the way, is written last.
 */
export class XmlDocumentWriter {
  readonly #root: ClarkName;
  readonly #attributes: Readonly<Record<string, string>> | undefined;
  readonly #prefixes: Map<string, string>;
  readonly #qualified: Map<ClarkName, string>;
  readonly #parts: Array<string | Buffer> = [];
  #hasBytes = false;

  constructor(
    root: ClarkName,
    attributes?: Readonly<Record<string, string>>,
    shared?: { prefixes: Map<string, string>; qualified: Map<ClarkName, string> },
  ) {
    this.#root = root;
    this.#attributes = attributes;
    this.#prefixes = shared?.prefixes ?? new Map();
    this.#qualified = shared?.qualified ?? new Map();
    this.#qualify(root);
  }

  /** A writer for a run of children to be added here later (`addAll`): it shares this one's prefixes. */
  fork(): XmlDocumentWriter {
    return new XmlDocumentWriter(this.#root, undefined, {
      prefixes: this.#prefixes,
      qualified: this.#qualified,
    });
  }

  add(child: XmlChild): void {
    this.#parts.push(typeof child === 'string' ? escapeText(child) : this.#write(child));
  }

  /**
   * A child as text that `addWritten` can put into any other document, or undefined when it uses a
   * namespace without a fixed prefix (its prefix would depend on the document).
   */
  static written(child: XmlNode): WrittenXml | undefined {
    const scratch = new XmlDocumentWriter(child.name);
    // Kept as bytes: joining thousands of kept strings walks each one's pieces again every time.
    const xml = Buffer.from(scratch.#write(child));
    const namespaces = [...scratch.#prefixes.keys()];
    return namespaces.every((namespace) => knownPrefixes.has(namespace)) ? { xml, namespaces } : undefined;
  }

  /** The children added so far, for `addWritten` elsewhere; undefined unless all are written forms. */
  childrenWritten(): WrittenXml | undefined {
    const namespaces = [...this.#prefixes.keys()];
    if (!namespaces.every((namespace) => knownPrefixes.has(namespace))) return undefined;
    const parts = this.#parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part));
    return { xml: Buffer.concat(parts), namespaces };
  }

  /** Every child of `other`, a `fork()` of this writer, in order. */
  addAll(other: XmlDocumentWriter): void {
    if (other.#prefixes !== this.#prefixes) throw new Error('addAll takes a fork of this writer');
    for (const part of other.#parts) this.#parts.push(part);
    this.#hasBytes ||= other.#hasBytes;
  }

  /** A child written earlier by `written`. */
  addWritten(child: WrittenXml): void {
    for (const namespace of child.namespaces) {
      if (!this.#prefixes.has(namespace)) this.#prefixes.set(namespace, knownPrefixes.get(namespace) ?? '');
    }
    this.#parts.push(child.xml);
    this.#hasBytes = true;
  }

  /**
   * The document: text, or pieces of bytes in order when a child was added already written
   * (`addWritten`). The pieces are not joined: a kept listing of megabytes goes to the socket as it
   * is, rather than being copied into a new buffer per request.
   */
  finish(): string | readonly Buffer[] {
    let declarations = '';
    for (const [uri, prefix] of this.#prefixes) declarations += ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
    const name = this.#qualify(this.#root);
    const open = `<?xml version="1.0" encoding="utf-8"?>\n<${name}${declarations}${writeAttributes(this.#attributes)}`;
    if (this.#parts.length === 0) return `${open}/>`;
    if (!this.#hasBytes) return `${open}>${this.#parts.join('')}</${name}>`;
    const chunks: Buffer[] = [];
    let text: string[] = [`${open}>`];
    for (const part of this.#parts) {
      if (typeof part === 'string') {
        text.push(part);
        continue;
      }
      if (text.length > 0) chunks.push(Buffer.from(text.join('')));
      text = [];
      chunks.push(part);
    }
    text.push(`</${name}>`);
    chunks.push(Buffer.from(text.join('')));
    return chunks;
  }

  #qualify(name: ClarkName): string {
    let qualified = this.#qualified.get(name);
    if (qualified === undefined) {
      const { namespace, local } = splitClark(name);
      let prefix = this.#prefixes.get(namespace);
      if (prefix === undefined) {
        prefix = knownPrefixes.get(namespace) ?? `x${this.#prefixes.size}`;
        this.#prefixes.set(namespace, prefix);
      }
      // An empty namespace cannot carry a prefix; such elements are not produced, but stay well-formed.
      qualified = namespace === '' ? local : `${prefix}:${local}`;
      this.#qualified.set(name, qualified);
    }
    return qualified;
  }

  // String concatenation (V8 ropes) is cheaper here than collecting parts: a response is a few
  // dozen small pieces.
  #write(node: XmlNode): string {
    const name = this.#qualify(node.name);
    const out = `<${name}${writeAttributes(node.attributes)}`;
    const children = node.children ?? [];
    if (children.length === 0) return `${out}/>`;
    let inner = '';
    for (const child of children) inner += typeof child === 'string' ? escapeText(child) : this.#write(child);
    return `${out}>${inner}</${name}>`;
  }
}

function writeAttributes(attributes: Readonly<Record<string, string>> | undefined): string {
  let out = '';
  if (attributes)
    for (const [key, value] of Object.entries(attributes)) out += ` ${key}="${escapeAttribute(value)}"`;
  return out;
}

// XML 1.0 §2.2: the control characters and U+FFFE/U+FFFF cannot appear in a document at all, even
// escaped; they are written as U+FFFD.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching exactly these characters is the point.
const needsEscape = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const escapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

// One pass over the text: calendar-data of every object in a report goes through here.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters as above.
const escaped = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeText(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value.replace(escaped, (char) => escapes[char] ?? '\uFFFD');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

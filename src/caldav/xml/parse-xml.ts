import { SaxesParser, type SaxesTagNS } from 'saxes';
import { type ClarkName, clark } from './names.ts';

/** One element of a request body, names resolved to namespaces (prefixes are irrelevant). */
export interface XmlElement {
  readonly name: ClarkName;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
  maxChars: number;
}

// RFC 4918 bodies are shallow: a calendar-query filter nests about seven levels deep. These caps
// bound memory and CPU for any body while leaving room for real requests
// (docs/architecture.md#request-bodies).
export const defaultXmlLimits: XmlLimits = { maxDepth: 32, maxElements: 20_000, maxChars: 1_048_576 };

/** The body is not XML we accept; the door answers 400. */
export class XmlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlInputError';
  }
}

/**
 * Parses a WebDAV request body namespace-aware (any prefixes, default namespaces). A DOCTYPE is
 * refused outright, so no entity can be declared (XXE, billion laughs), and an undeclared entity
 * reference is a parse error. Depth, element count and size are capped.
 */
export function parseXml(text: string, limits: XmlLimits = defaultXmlLimits): XmlElement {
  if (text.length > limits.maxChars) throw new XmlInputError('the XML body is too large');
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;

  parser.on('doctype', () => {
    throw new XmlInputError('DOCTYPE declarations are not accepted');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    count++;
    if (count > limits.maxElements) throw new XmlInputError('the XML body has too many elements');
    if (stack.length >= limits.maxDepth) throw new XmlInputError('the XML body is nested too deeply');
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      // Namespace declarations are not data; unprefixed attributes have no namespace (XML NS §6.2).
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      attributes[attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local] = attribute.value;
    }
    const element: XmlElement = { name: clark(tag.uri, tag.local), attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new XmlInputError('the XML body has more than one root element');
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const appendText = (value: string) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('error', (error: Error) => {
    throw new XmlInputError(`malformed XML: ${error.message.slice(0, 200)}`);
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof XmlInputError) throw error;
    throw new XmlInputError(`malformed XML: ${error instanceof Error ? error.message.slice(0, 200) : ''}`);
  }
  if (!root) throw new XmlInputError('the XML body is empty');
  return root;
}

export function childNamed(element: XmlElement, name: ClarkName): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

export function childrenNamed(element: XmlElement, name: ClarkName): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

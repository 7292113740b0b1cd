import { formatPath, splitPath, type AttrPath } from '../attributes.ts';
import { COMPARE_OPS, type CompareOp, type FilterNode, type Literal } from './ast.ts';
import { invalidFilter, tokenize, type Token } from './lexer.ts';

/** Nesting of `(`, `not (` and `[` beyond this is refused: it bounds recursion here and in every consumer. */
export const MAX_DEPTH = 32;
/** Attribute expressions per filter; keeps the SQL below SQLite's expression-depth limit. */
export const MAX_TERMS = 200;

/**
 * Recursive-descent parser for RFC 7644 §3.4.2.2 with the standard precedence `not` > `and` > `or`.
 * Every token is consumed once and never re-read, so parsing is linear in the input.
 */
class Parser {
  private i = 0;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw invalidFilter('the filter is empty');
    const node = this.or(false);
    const rest = this.peek();
    if (rest) throw invalidFilter(`unexpected ${describe(rest)} at position ${rest.pos}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw invalidFilter(`the filter ends (position ${this.text.length}) where ${what} was expected`);
    return t;
  }

  private expect(type: '(' | ')' | '[' | ']', what: string): void {
    const t = this.next(what);
    if (t.type !== type) throw invalidFilter(`expected ${what} at position ${t.pos}, found ${describe(t)}`);
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t?.type === 'word' && t.text.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw invalidFilter(`the filter nests deeper than ${MAX_DEPTH} levels`);
  }

  private or(inValuePath: boolean): FilterNode {
    const operands = [this.and(inValuePath)];
    while (this.keyword('or')) operands.push(this.and(inValuePath));
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands: flatten('or', operands) };
  }

  private and(inValuePath: boolean): FilterNode {
    const operands = [this.unary(inValuePath)];
    while (this.keyword('and')) operands.push(this.unary(inValuePath));
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands: flatten('and', operands) };
  }

  private unary(inValuePath: boolean): FilterNode {
    const t = this.peek();
    if (!t) throw invalidFilter('the filter ends where an expression was expected');
    if (t.type === 'word' && t.text.toLowerCase() === 'not' && this.tokens[this.i + 1]?.type === '(') {
      this.i++;
      return { kind: 'not', operand: this.group(inValuePath) };
    }
    if (t.type === '(') return this.group(inValuePath);
    return this.attrExp(inValuePath);
  }

  private group(inValuePath: boolean): FilterNode {
    this.expect('(', "'('");
    this.enter();
    const node = this.or(inValuePath);
    this.expect(')', "')'");
    this.depth--;
    return node;
  }

  private attrExp(inValuePath: boolean): FilterNode {
    const t = this.next('an attribute name');
    if (t.type !== 'word' || ['and', 'or'].includes(t.text.toLowerCase())) {
      throw invalidFilter(`expected an attribute name at position ${t.pos}, found ${describe(t)}`);
    }
    const path = splitPath(t.text);
    if (!path) throw invalidFilter(`'${t.text}' is not a valid attribute path`);
    if (++this.terms > MAX_TERMS) throw invalidFilter(`the filter has more than ${MAX_TERMS} expressions`);
    if (this.peek()?.type === '[') {
      if (inValuePath) throw invalidFilter(`value filters cannot nest (position ${t.pos})`);
      if (path.sub) throw invalidFilter(`'${t.text}[...]': a value filter applies to an attribute, not a sub-attribute`);
      return this.valuePath(path);
    }
    return this.comparison(path, t.text);
  }

  private valuePath(path: AttrPath): FilterNode {
    this.expect('[', "'['");
    this.enter();
    const inner = this.or(true);
    this.expect(']', "']'");
    this.depth--;
    if (this.peek()?.type !== '.') return { kind: 'valuePath', path, filter: inner };
    // `emails[type eq "work"].value eq "x"`: the comparison applies to the same element the filter selected.
    this.i++;
    const subTok = this.next('a sub-attribute name');
    const sub = subTok.type === 'word' ? splitPath(subTok.text) : undefined;
    if (!sub || sub.schema || sub.sub) throw invalidFilter(`expected a sub-attribute name after '].' at position ${subTok.pos}`);
    const cmp = this.comparison(sub, `${formatPath(path)}[...].${sub.attr}`);
    return { kind: 'valuePath', path, filter: { kind: 'and', operands: flatten('and', [inner, cmp]) } };
  }

  private comparison(path: AttrPath, written: string): FilterNode {
    const opTok = this.next(`an operator after '${written}'`);
    const op = opTok.type === 'word' ? opTok.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      throw invalidFilter(`expected an operator (eq ne co sw ew gt ge lt le pr) after '${written}' at position ${opTok.pos}, found ${describe(opTok)}`);
    }
    const value = this.literal(`a value after '${written} ${op}'`);
    return { kind: 'compare', path, op: op as CompareOp, value };
  }

  private literal(what: string): Literal {
    const t = this.next(what);
    if (t.type === 'string' || t.type === 'number') return t.value;
    if (t.type === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      // Entra's tutorial shows `externalId eq jyoung`: an unquoted word is read as a string.
      if (!['and', 'or', 'not'].includes(w)) return t.text;
    }
    throw invalidFilter(`expected ${what} at position ${t.pos}, found ${describe(t)} in '${clip(this.text)}'`);
  }
}

function flatten(kind: 'and' | 'or', nodes: FilterNode[]): FilterNode[] {
  return nodes.flatMap((n) => (n.kind === kind ? n.operands : [n]));
}

function describe(t: Token): string {
  switch (t.type) {
    case 'word':
      return `'${clip(t.text)}'`;
    case 'string':
      return `the string ${clip(JSON.stringify(t.value))}`;
    case 'number':
      return `the number ${t.value}`;
    default:
      return `'${t.type}'`;
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Parses a filter; throws ScimError `invalidFilter` (400) with the position of the first problem. */
export function parseFilter(text: string): FilterNode {
  if (typeof text !== 'string') throw invalidFilter('the filter must be a string');
  return new Parser(tokenize(text), text).parse();
}

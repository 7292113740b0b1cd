import { ScimError } from '../../errors.ts';

export type Token =
  | { type: '(' | ')' | '[' | ']' | '.'; pos: number }
  | { type: 'word'; text: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number };

const WORD_START = /[A-Za-z$_]/;
const WORD_CHAR = /[A-Za-z0-9$_:.-]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function invalidFilter(detail: string): ScimError {
  return new ScimError('invalidFilter', detail);
}

/**
 * Splits a filter into tokens in one left-to-right pass (each character is looked at a bounded number of times),
 * so adversarial input costs linear time. Words hold attribute paths (URNs included), operators and keywords.
 * A `.` is its own token only right after `]`, for `emails[type eq "work"].value`.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ type: c, pos: i });
      i++;
    } else if (c === '.' && tokens.at(-1)?.type === ']') {
      tokens.push({ type: '.', pos: i });
      i++;
    } else if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw invalidFilter(`unterminated string starting at position ${start}`);
      i++;
      let value: string;
      try {
        value = JSON.parse(text.slice(start, i)) as string;
      } catch {
        throw invalidFilter(`malformed string literal at position ${start}`);
      }
      tokens.push({ type: 'string', value, pos: start });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) throw invalidFilter(`malformed number at position ${i}`);
      tokens.push({ type: 'number', value: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), pos: start });
    } else {
      throw invalidFilter(`unexpected character '${c}' at position ${i}`);
    }
  }
  return tokens;
}

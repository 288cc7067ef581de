/**
 * The log explorer's query language, parsed here so the console (autocomplete, error display)
 * and the server (SQL) agree on one grammar. Grammar (docs/EXPLORER.md):
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*          adjacent terms are ANDed
 *   unary   := ("-" | "NOT") unary | primary
 *   primary := "(" or ")" | field ":" value | "quoted text" | word
 *   value   := word | "quoted" | ("<" | "<=" | ">" | ">=") number | "[" number "TO" number "]"
 *
 * A word value may end in `*` (prefix match). A bare word or quoted string is free text over the
 * tool name, error message, input and output.
 */
import { CLIENT_TYPES, LOGGED_METHODS, TOOL_CALL_STATUSES } from "./enums";

/** Fields compared by value (facets). */
export const LOG_QUERY_FACETS = ["status", "tool", "server", "client", "session", "key", "method"] as const;
export type LogQueryFacet = (typeof LOG_QUERY_FACETS)[number];
/** Fields compared by number. */
export const LOG_QUERY_NUMERIC = ["duration"] as const;
export type LogQueryNumeric = (typeof LOG_QUERY_NUMERIC)[number];
export const LOG_QUERY_FIELDS = [...LOG_QUERY_FACETS, ...LOG_QUERY_NUMERIC] as const;
export type LogQueryField = (typeof LOG_QUERY_FIELDS)[number];

/** Fixed value lists, for validation and autocomplete. */
export const LOG_QUERY_ENUMS: Partial<Record<LogQueryFacet, readonly string[]>> = {
  status: TOOL_CALL_STATUSES,
  client: CLIENT_TYPES,
  method: LOGGED_METHODS,
};

export type LogQueryNode =
  | { kind: "and"; children: LogQueryNode[] }
  | { kind: "or"; children: LogQueryNode[] }
  | { kind: "not"; child: LogQueryNode }
  /** `prefix`: the value ended in `*` and matches values starting with it. */
  | { kind: "match"; field: LogQueryFacet; value: string; prefix: boolean }
  | { kind: "range"; field: LogQueryNumeric; min: number | null; max: number | null; minInclusive: boolean; maxInclusive: boolean }
  | { kind: "text"; value: string };

export interface LogQueryError {
  /** Zero-based character offset where parsing stopped. */
  position: number;
  message: string;
  /** What would have been accepted at `position`. */
  expected: string[];
}

export type LogQueryResult = { ok: true; ast: LogQueryNode | null } | { ok: false; error: LogQueryError };

type Token =
  | { t: "word"; v: string; pos: number; end: number }
  | { t: "quoted"; v: string; pos: number; end: number }
  | { t: "op"; v: "(" | ")" | "[" | "]" | ":" | "-" | "<" | "<=" | ">" | ">="; pos: number; end: number }
  | { t: "eof"; pos: number; end: number };

class ParseError extends Error {
  constructor(
    readonly position: number,
    message: string,
    readonly expected: string[],
  ) {
    super(message);
  }
}

const WORD_STOP = /[\s()[\]:"<>]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let v = "";
      let j = i + 1;
      while (j < input.length && input.charAt(j) !== '"') {
        if (input.charAt(j) === "\\" && j + 1 < input.length) j++;
        v += input.charAt(j);
        j++;
      }
      if (j >= input.length) throw new ParseError(i, "Unclosed quote", ['"']);
      tokens.push({ t: "quoted", v, pos: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === "<" || c === ">") {
      const eq = input.charAt(i + 1) === "=";
      const v = c === "<" ? (eq ? "<=" : "<") : eq ? ">=" : ">";
      tokens.push({ t: "op", v, pos: i, end: i + v.length });
      i += v.length;
      continue;
    }
    // A minus starts a negation only where a term starts (not inside a word like `get-sum`).
    if (c === "(" || c === ")" || c === "[" || c === "]" || c === ":" || c === "-") {
      tokens.push({ t: "op", v: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !WORD_STOP.test(input.charAt(j))) j++;
    tokens.push({ t: "word", v: input.slice(i, j), pos: i, end: j });
    i = j;
  }
  tokens.push({ t: "eof", pos: input.length, end: input.length });
  return tokens;
}

function describe(tok: Token): string {
  if (tok.t === "eof") return "end of query";
  return `"${tok.v}"`;
}

const FIELD_SET = new Set<string>(LOG_QUERY_FIELDS);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TERM_START = ["field:value", '"text"', "word", "(", "-"];

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    // The token list always ends with eof and `i` never passes it.
    return this.tokens[this.i] ?? { t: "eof", pos: 0, end: 0 };
  }
  private next(): Token {
    const tok = this.peek();
    if (tok.t !== "eof") this.i++;
    return tok;
  }
  private isKeyword(tok: Token, kw: string): boolean {
    return tok.t === "word" && tok.v === kw;
  }

  parseQuery(): LogQueryNode | null {
    if (this.peek().t === "eof") return null;
    const node = this.parseOr();
    const tok = this.peek();
    if (tok.t !== "eof") {
      const closing = tok.t === "op" && tok.v === ")";
      throw new ParseError(tok.pos, closing ? "Unmatched closing parenthesis" : `Unexpected ${describe(tok)}`, ["OR", ...TERM_START]);
    }
    return node;
  }

  private parseOr(): LogQueryNode {
    const children = [this.parseAnd()];
    while (this.isKeyword(this.peek(), "OR")) {
      this.next();
      children.push(this.parseAnd());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "or", children };
  }

  private startsTerm(tok: Token): boolean {
    if (tok.t === "quoted") return true;
    if (tok.t === "word") return tok.v !== "OR";
    return tok.t === "op" && (tok.v === "(" || tok.v === "-");
  }

  private parseAnd(): LogQueryNode {
    const children = [this.parseUnary()];
    for (;;) {
      const tok = this.peek();
      if (this.isKeyword(tok, "AND")) {
        this.next();
        children.push(this.parseUnary());
      } else if (this.startsTerm(tok)) {
        children.push(this.parseUnary());
      } else break;
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "and", children };
  }

  private parseUnary(): LogQueryNode {
    const tok = this.peek();
    if ((tok.t === "op" && tok.v === "-") || this.isKeyword(tok, "NOT")) {
      this.next();
      return { kind: "not", child: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): LogQueryNode {
    const tok = this.next();
    if (tok.t === "op" && tok.v === "(") {
      if (this.peek().t === "op" && (this.peek() as { v: string }).v === ")") throw new ParseError(this.peek().pos, "Empty parentheses", TERM_START);
      const inner = this.parseOr();
      const close = this.next();
      if (!(close.t === "op" && close.v === ")")) throw new ParseError(close.pos, `Expected ")" but found ${describe(close)}`, [")", "OR", ...TERM_START]);
      return inner;
    }
    if (tok.t === "quoted") return { kind: "text", value: tok.v };
    if (tok.t === "word") {
      const colon = this.peek();
      if (colon.t === "op" && colon.v === ":" && colon.pos === tok.end) {
        if (!FIELD_SET.has(tok.v)) throw new ParseError(tok.pos, `Unknown field "${tok.v}"`, [...LOG_QUERY_FIELDS]);
        this.next();
        return this.parseValue(tok.v as LogQueryField, colon.end);
      }
      if (tok.v === "AND" || tok.v === "OR") throw new ParseError(tok.pos, `"${tok.v}" needs a term before it`, TERM_START);
      return { kind: "text", value: tok.v };
    }
    throw new ParseError(tok.pos, `Expected a term but found ${describe(tok)}`, TERM_START);
  }

  private parseValue(field: LogQueryField, at: number): LogQueryNode {
    if (field === "duration") return this.parseNumeric(field, at);
    const tok = this.next();
    if (tok.t !== "word" && tok.t !== "quoted") throw new ParseError(tok.t === "eof" ? at : tok.pos, `Expected a value for ${field}`, valuesFor(field));
    const prefix = tok.t === "word" && tok.v.endsWith("*");
    const value = prefix ? tok.v.slice(0, -1) : tok.v;
    if (value === "" && !prefix) throw new ParseError(tok.pos, `Expected a value for ${field}`, valuesFor(field));
    const allowed = LOG_QUERY_ENUMS[field];
    if (allowed && !prefix && !allowed.includes(value)) throw new ParseError(tok.pos, `Unknown ${field} "${value}"`, [...allowed]);
    if (field === "session" && !prefix && !UUID.test(value)) throw new ParseError(tok.pos, "A session is a UUID", ["session id"]);
    return { kind: "match", field, value, prefix };
  }

  private parseNumber(field: string): number {
    const tok = this.next();
    if (tok.t === "word" && /^\d+(\.\d+)?$/.test(tok.v)) return Number(tok.v);
    throw new ParseError(tok.pos, `Expected a number (milliseconds) for ${field}`, ["number"]);
  }

  private parseNumeric(field: LogQueryNumeric, at: number): LogQueryNode {
    const tok = this.peek();
    if (tok.t === "op" && (tok.v === "<" || tok.v === "<=" || tok.v === ">" || tok.v === ">=")) {
      this.next();
      const n = this.parseNumber(field);
      const upper = tok.v.startsWith("<");
      const inclusive = tok.v.endsWith("=");
      return upper
        ? { kind: "range", field, min: null, max: n, minInclusive: false, maxInclusive: inclusive }
        : { kind: "range", field, min: n, max: null, minInclusive: inclusive, maxInclusive: false };
    }
    if (tok.t === "op" && tok.v === "[") {
      this.next();
      const min = this.parseNumber(field);
      const to = this.next();
      if (!this.isKeyword(to, "TO")) throw new ParseError(to.pos, 'Expected "TO" in a range', ["TO"]);
      const max = this.parseNumber(field);
      const close = this.next();
      if (!(close.t === "op" && close.v === "]")) throw new ParseError(close.pos, 'Expected "]" to close the range', ["]"]);
      if (min > max) throw new ParseError(tok.pos, "A range's lower bound is above its upper bound", ["[low TO high]"]);
      return { kind: "range", field, min, max, minInclusive: true, maxInclusive: true };
    }
    if (tok.t === "word" && /^\d+(\.\d+)?$/.test(tok.v)) {
      this.next();
      const n = Number(tok.v);
      return { kind: "range", field, min: n, max: n, minInclusive: true, maxInclusive: true };
    }
    throw new ParseError(tok.t === "eof" ? at : tok.pos, `Expected a comparison for ${field}`, [">N", ">=N", "<N", "<=N", "[N TO M]", "N"]);
  }
}

function valuesFor(field: LogQueryFacet): string[] {
  return [...(LOG_QUERY_ENUMS[field] ?? [`${field} name`])];
}

/** Parses a query; an empty query is `ast: null` (everything). */
export function parseLogQuery(input: string): LogQueryResult {
  try {
    return { ok: true, ast: new Parser(tokenize(input)).parseQuery() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: { position: e.position, message: e.message, expected: e.expected } };
    throw e;
  }
}

/** Fields that `tool_call_rollups` carries; a query made only of these can be answered from it. */
const ROLLUP_FIELDS = new Set<LogQueryField>(["status", "tool", "server", "client", "method"]);

/** True when every condition in the query is a facet the rollups keep (no text, duration, session or key). */
export function isRollupQuery(ast: LogQueryNode | null): boolean {
  if (!ast) return true;
  switch (ast.kind) {
    case "and":
    case "or":
      return ast.children.every(isRollupQuery);
    case "not":
      return isRollupQuery(ast.child);
    case "match":
      return ROLLUP_FIELDS.has(ast.field);
    case "range":
    case "text":
      return false;
  }
}

function quoteValue(v: string): string {
  return /^[^\s()[\]:"<>]+$/.test(v) && v !== "OR" && v !== "AND" && v !== "NOT" ? v : `"${v.replace(/(["\\])/g, "\\$1")}"`;
}

/** A `field:value` term, quoted when needed (what facet clicks append to the query). */
export function logQueryTerm(field: LogQueryFacet, value: string, negate = false): string {
  return `${negate ? "-" : ""}${field}:${quoteValue(value)}`;
}

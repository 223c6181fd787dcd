/**
 * A small arithmetic evaluator: numbers, + - * / % ^ (power, right-associative), unary minus,
 * parentheses, the constants `pi` and `e`, and the functions sqrt, abs, round, floor, ceil,
 * ln, log10, sin, cos, tan, min, max. Never `eval`: the expression is parsed by recursive descent.
 */

import { AgentError } from '../agent/errors.js';

/** An expression `evaluateArithmetic` cannot calculate: an AgentError with code `AGENT_INVALID_EXPRESSION`. */
export class ArithmeticError extends AgentError {
  override readonly name: string = 'ArithmeticError';
  declare readonly code: 'AGENT_INVALID_EXPRESSION';
  /** Offset in the expression where the problem is. */
  readonly position: number;

  constructor(message: string, fields: { position: number }) {
    super('AGENT_INVALID_EXPRESSION', message);
    this.position = fields.position;
  }
}

export const MAX_EXPRESSION_LENGTH = 1_000;
const MAX_DEPTH = 64;

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const FUNCTIONS: Record<string, { arity: [number, number]; apply: (...values: number[]) => number }> = {
  sqrt: { arity: [1, 1], apply: Math.sqrt },
  abs: { arity: [1, 1], apply: Math.abs },
  round: { arity: [1, 1], apply: Math.round },
  floor: { arity: [1, 1], apply: Math.floor },
  ceil: { arity: [1, 1], apply: Math.ceil },
  ln: { arity: [1, 1], apply: Math.log },
  log10: { arity: [1, 1], apply: Math.log10 },
  sin: { arity: [1, 1], apply: Math.sin },
  cos: { arity: [1, 1], apply: Math.cos },
  tan: { arity: [1, 1], apply: Math.tan },
  min: { arity: [1, 16], apply: Math.min },
  max: { arity: [1, 16], apply: Math.max },
};

type Token =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'name'; value: string; position: number }
  | { kind: 'symbol'; value: string; position: number }
  | { kind: 'end'; position: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),×÷]))/y;
  let position = 0;
  while (position < source.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(source);
    if (!match) {
      if (source.slice(position).trim() === '') break;
      const at = position + (source.slice(position).length - source.slice(position).trimStart().length);
      throw new ArithmeticError(`unexpected character "${source[at]}" at position ${at + 1}`, {
        position: at,
      });
    }
    const start = match.index + match[0].length - (match[1] ?? match[2] ?? match[3] ?? '').length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), position: start });
    else if (match[2] !== undefined)
      tokens.push({ kind: 'name', value: match[2].toLowerCase(), position: start });
    else {
      const symbol = match[3] === '**' ? '^' : match[3] === '×' ? '*' : match[3] === '÷' ? '/' : match[3]!;
      tokens.push({ kind: 'symbol', value: symbol, position: start });
    }
    position = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', position: source.length });
  return tokens;
}

/** Evaluates an arithmetic expression; throws an `ArithmeticError` naming the position of a problem. */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ArithmeticError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, {
      position: 0,
    });
  }
  const tokens = tokenize(expression);
  let index = 0;
  let depth = 0;
  const peek = () => tokens[index]!;
  const next = () => tokens[index++]!;
  const describe = (token: Token) =>
    token.kind === 'end'
      ? 'the end of the expression'
      : `"${String(token.value)}" at position ${token.position + 1}`;
  const expect = (symbol: string) => {
    const token = next();
    if (token.kind !== 'symbol' || token.value !== symbol) {
      throw new ArithmeticError(`expected "${symbol}" but found ${describe(token)}`, {
        position: token.position,
      });
    }
  };
  type SymbolToken = Extract<Token, { kind: 'symbol' }>;
  const isSymbol = (token: Token, ...symbols: string[]): token is SymbolToken =>
    token.kind === 'symbol' && symbols.includes(token.value);
  /** The next token, known by the caller (through `isSymbol(peek(), ...)`) to be a symbol. */
  const nextSymbol = () => next() as SymbolToken;

  function enter(position: number): void {
    depth += 1;
    if (depth > MAX_DEPTH)
      throw new ArithmeticError('the expression is nested too deeply', { position: position });
  }

  function sum(): number {
    let value = product();
    while (isSymbol(peek(), '+', '-')) {
      const operator = nextSymbol().value;
      const right = product();
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  function product(): number {
    let value = unary();
    while (isSymbol(peek(), '*', '/', '%')) {
      const token = nextSymbol();
      const right = unary();
      if ((token.value === '/' || token.value === '%') && right === 0) {
        throw new ArithmeticError(`division by zero at position ${token.position + 1}`, {
          position: token.position,
        });
      }
      value = token.value === '*' ? value * right : token.value === '/' ? value / right : value % right;
    }
    return value;
  }

  function unary(): number {
    const token = peek();
    if (isSymbol(token, '-', '+')) {
      next();
      enter(token.position);
      const value = unary();
      depth -= 1;
      return token.value === '-' ? -value : value;
    }
    return power();
  }

  function power(): number {
    const base = primary();
    if (isSymbol(peek(), '^')) {
      const token = next();
      enter(token.position);
      const exponent = unary();
      depth -= 1;
      return base ** exponent;
    }
    return base;
  }

  function primary(): number {
    const token = next();
    if (token.kind === 'number') return token.value;
    if (isSymbol(token, '(')) {
      enter(token.position);
      const value = sum();
      expect(')');
      depth -= 1;
      return value;
    }
    if (token.kind === 'name') {
      const constant = CONSTANTS[token.value];
      if (constant !== undefined && !isSymbol(peek(), '(')) return constant;
      const fn = FUNCTIONS[token.value];
      if (!fn) {
        throw new ArithmeticError(
          `unknown name "${token.value}" at position ${token.position + 1}; known: ${[...Object.keys(CONSTANTS), ...Object.keys(FUNCTIONS)].join(', ')}`,
          { position: token.position },
        );
      }
      expect('(');
      enter(token.position);
      const args = [sum()];
      while (isSymbol(peek(), ',')) {
        next();
        args.push(sum());
      }
      expect(')');
      depth -= 1;
      const [least, most] = fn.arity;
      if (args.length < least || args.length > most) {
        throw new ArithmeticError(
          `${token.value} takes ${least === most ? least : `${least} to ${most}`} argument(s), got ${args.length}`,
          { position: token.position },
        );
      }
      return fn.apply(...args);
    }
    throw new ArithmeticError(`expected a number but found ${describe(token)}`, { position: token.position });
  }

  const value = sum();
  const rest = peek();
  if (rest.kind !== 'end')
    throw new ArithmeticError(`unexpected ${describe(rest)}`, { position: rest.position });
  if (!Number.isFinite(value))
    throw new ArithmeticError('the result is not a finite number', { position: 0 });
  return value;
}

/**
 * A small, honest BM25 (Okapi, k1 = 1.2, b = 0.75) over an in-memory inverted index: posting lists of
 * (document, term frequency) in typed arrays, a score accumulator per query, top-k by sort. No stemming, a
 * short stop-word list. It stands in for the agent's SQLite FTS5 store until that exists.
 */

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'in',
  'on',
  'to',
  'is',
  'was',
  'with',
  'for',
  'at',
  'we',
  'then',
  'too',
  'over',
  'about',
  'do',
  'not',
  'it',
  's',
]);
const TOKEN = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    if (!STOP_WORDS.has(match[0])) tokens.push(match[0]);
  }
  return tokens;
}

interface Postings {
  documents: Int32Array;
  frequencies: Int32Array;
}

export interface Hit {
  id: number;
  score: number;
}

export class Bm25Index {
  readonly #postings = new Map<string, Postings>();
  readonly #lengths: Float64Array;
  readonly #averageLength: number;
  readonly #k1 = 1.2;
  readonly #b = 0.75;

  constructor(documents: readonly string[]) {
    this.#lengths = new Float64Array(documents.length);
    const building = new Map<string, { documents: number[]; frequencies: number[] }>();
    let total = 0;
    documents.forEach((document, id) => {
      const counts = new Map<string, number>();
      const tokens = tokenize(document);
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      this.#lengths[id] = tokens.length;
      total += tokens.length;
      for (const [term, frequency] of counts) {
        let list = building.get(term);
        if (list === undefined) {
          list = { documents: [], frequencies: [] };
          building.set(term, list);
        }
        list.documents.push(id);
        list.frequencies.push(frequency);
      }
    });
    for (const [term, list] of building) {
      this.#postings.set(term, {
        documents: Int32Array.from(list.documents),
        frequencies: Int32Array.from(list.frequencies),
      });
    }
    this.#averageLength = total / Math.max(1, documents.length);
  }

  get terms(): number {
    return this.#postings.size;
  }

  search(query: string, k: number): Hit[] {
    const count = this.#lengths.length;
    const scores = new Float64Array(count);
    const touched: number[] = [];
    for (const term of new Set(tokenize(query))) {
      const postings = this.#postings.get(term);
      if (postings === undefined) continue;
      const df = postings.documents.length;
      const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
      for (let index = 0; index < df; index++) {
        const id = postings.documents[index] as number;
        const tf = postings.frequencies[index] as number;
        const norm =
          this.#k1 * (1 - this.#b + (this.#b * (this.#lengths[id] as number)) / this.#averageLength);
        if (scores[id] === 0) touched.push(id);
        scores[id] = (scores[id] as number) + (idf * tf * (this.#k1 + 1)) / (tf + norm);
      }
    }
    touched.sort((left, right) => (scores[right] as number) - (scores[left] as number) || left - right);
    return touched.slice(0, k).map((id) => ({ id, score: scores[id] as number }));
  }
}

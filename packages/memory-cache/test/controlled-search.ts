/** A search function whose calls a test settles by hand, recording what each call received. */
export interface SearchCall<TResult> {
  query: string;
  params: unknown;
  signal: AbortSignal;
  resolve: (value: TResult) => void;
  reject: (error: unknown) => void;
}

export function controlledSearch<TResult>() {
  const calls: SearchCall<TResult>[] = [];
  const search = (query: string, params: unknown, options: { signal: AbortSignal }): Promise<TResult> =>
    new Promise<TResult>((resolve, reject) => {
      calls.push({ query, params, signal: options.signal, resolve, reject });
    });
  return { search, calls };
}

/** A search that answers at once with `${query}#${n}`, n counting its calls. */
export function countingSearch() {
  const counter = { calls: 0, queries: [] as string[], params: [] as unknown[] };
  const search = async (query: string, params: unknown): Promise<string> => {
    counter.calls++;
    counter.queries.push(query);
    counter.params.push(params);
    return `${query}#${counter.calls}`;
  };
  return { search, counter };
}

/** The chunks of an answer another process produced, as an upstream the flight can pull from. */
export async function* replaySource<C>(chunks: readonly C[]): AsyncGenerator<C> {
  yield* chunks;
}

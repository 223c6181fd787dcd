// Run by sqlite-file.test.ts: adds memories to the store at argv[2] one by one, printing each
// id only after its add resolved (committed), until it is killed or reaches argv[3].
import { HashEmbedder } from '../src/hash-embedder.js';
import { SqliteMemoryStore } from '../src/sqlite/sqlite-memory-store.js';

const [path, total = '100000'] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: memory-crash-child.ts <path> [count]');
const store = SqliteMemoryStore.open({ path, embedder: new HashEmbedder({ dimensions: 64 }) });
for (let index = 0; index < Number(total); index++) {
  const memory = await store.add(`crash test memory ${index} ${'filler '.repeat(index % 50)}`, {
    scope: index % 2 === 0 ? 'even' : 'odd',
    metadata: { index },
  });
  // Writing to a pipe is synchronous on Linux: a printed id has left this process.
  process.stdout.write(`${memory.id} ${index}\n`);
}
await store.close();

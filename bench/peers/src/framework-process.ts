// One framework in a process of its own: `framework-process <framework> <host> <model>`. It loads
// the framework before anything is measured, then answers `warmup` (the framework's own warm-up,
// then a throwaway turn) and `turn` (one measured turn) requests, and exits on `close`.
import { serveParent } from './child-link.js';
import { FRAMEWORKS, isFrameworkName } from './frameworks.js';
import { measureTurn } from './measure.js';
import { WARMUP_QUESTION } from './scenario.js';

const [name = '', host = '', model = ''] = process.argv.slice(2);

try {
  if (!isFrameworkName(name)) throw new Error(`unknown framework ${JSON.stringify(name)}`);
  const framework = await FRAMEWORKS[name].load({ host, model });
  serveParent(async (message) => {
    if (message.type === 'warmup') {
      await framework.warmup?.();
      await framework.turn(WARMUP_QUESTION, () => {});
      return { type: 'ready' };
    }
    if (message.type === 'turn') {
      return { type: 'turn', measure: await measureTurn(framework, String(message.question)) };
    }
    if (message.type === 'close') {
      await framework.close();
      process.exit(0);
    }
    throw new Error(`unknown request ${message.type}`);
  });
  process.send?.({ type: 'loaded' });
} catch (error) {
  process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

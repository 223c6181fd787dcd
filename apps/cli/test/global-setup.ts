import { existsSync } from 'node:fs';
import { CLI } from './cli-path.js';

/** The tests run the built CLI: without it they would all fail for one reason, said once here. */
export default function setup(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing. Build the CLI first: \`pnpm --filter @lunar/cli... build\` (the root \`pnpm test\` builds it through turbo).`,
    );
  }
}

import { fileURLToPath } from 'node:url';

/** The built CLI the tests run as a process. */
export const CLI = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

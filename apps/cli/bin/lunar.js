#!/usr/bin/env node
// The `lunar` command. A committed file, so that installing the workspace can link it before
// anything is built; it runs the built command line in dist/.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin.js')) throw error;
  console.error('lunar is not built yet: run `pnpm build` first');
  process.exitCode = 1;
}

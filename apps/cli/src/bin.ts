#!/usr/bin/env node
import { main } from './index.js';
import { startTelemetry } from './telemetry.js';

const stopTelemetry = await startTelemetry(process.env, (line) => process.stderr.write(`${line}\n`));
try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  // The spans of the last turns leave before the process does.
  await stopTelemetry?.();
}

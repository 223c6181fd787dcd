#!/usr/bin/env node
import { exportTracesFromEnv } from '@lunar/agent/telemetry';
import { main } from './index.js';

const stopTelemetry = await exportTracesFromEnv({
  env: process.env,
  serviceName: 'lunar',
  warn: (line) => process.stderr.write(`${line}\n`),
});
try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  // The spans of the last turns leave before the process does.
  await stopTelemetry?.();
}

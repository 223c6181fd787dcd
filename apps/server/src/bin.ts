#!/usr/bin/env node
import { exportTracesFromEnv } from '@lunar/agent/telemetry';
import { runCli } from './cli.js';

const stopTelemetry = await exportTracesFromEnv({
  env: process.env,
  serviceName: 'lunar-server',
  warn: (line) => process.stderr.write(`${line}\n`),
});

let stops = 0;
const stopRequested = new Promise<string>((resolve) => {
  const onSignal = (signal: NodeJS.Signals) => {
    stops++;
    if (stops > 1) process.exit(130); // a second signal: stop now
    resolve(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
});

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stopRequested,
});
process.removeAllListeners('SIGTERM');
process.removeAllListeners('SIGINT');
// The spans of the last turns leave before the process does.
await stopTelemetry?.();
process.exitCode = code;

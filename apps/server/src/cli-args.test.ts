import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('still accepts --upstream, the former name of --ollama-host', () => {
    expect(parseCliArgs(['--ollama-host', 'http://a:1', '--upstream', 'http://b:2']).ollamaHosts).toEqual([
      'http://a:1',
      'http://b:2',
    ]);
  });

  it('reads every flag, repeatable ones as lists', () => {
    expect(
      parseCliArgs([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--ollama-host',
        'http://a:1',
        '--ollama-host',
        'b:2',
        '--model',
        'm1',
        '--model',
        'm2',
        '--embed-model',
        'e',
        '--memory',
        'm.db',
        '--memory-scope',
        'team-a',
        '--redis',
        'redis://10.0.0.5:6379',
        '--replica-id',
        'gpu-box-1',
        '--grace-ms',
        '500',
        '--max-proxied',
        '2',
        '--body-limit',
        '2048',
        '--connections',
        '16',
        '--headers-timeout-ms',
        '30000',
        '--idle-timeout-ms',
        '0',
        '--request-timeout-ms',
        '5000',
        '--max-parsed-bytes',
        '4096',
        '--origins',
        'https://app.example, "chrome-extension://*"',
        '--origins',
        'moz-extension://*',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      help: false,
      host: '0.0.0.0',
      port: 0,
      ollamaHosts: ['http://a:1', 'b:2'],
      connections: 16,
      headersTimeoutMs: 30_000,
      idleTimeoutMs: 0,
      requestTimeoutMs: 5_000,
      models: ['m1', 'm2'],
      embedModel: 'e',
      memory: 'm.db',
      memoryScope: 'team-a',
      redis: 'redis://10.0.0.5:6379',
      replicaId: 'gpu-box-1',
      graceMs: 500,
      maxProxied: 2,
      bodyLimit: 2048,
      maxParsedBytes: 4096,
      origins: ['https://app.example', 'chrome-extension://*', 'moz-extension://*'],
      logLevel: 'warn',
    });
  });

  it('refuses unknown flags and bad values, naming them', () => {
    expect(() => parseCliArgs(['--colour'])).toThrow("Unknown option '--colour'");
    expect(() => parseCliArgs(['--grace-ms', '1.5'])).toThrow('--grace-ms expects a whole number');
    expect(() => parseCliArgs(['--ollama', 'http://a:1'])).toThrow("Unknown option '--ollama'");
    expect(() => parseCliArgs(['--headers-timeout-ms', '5s'])).toThrow(
      '--headers-timeout-ms expects a whole number, got "5s"',
    );
    expect(() => parseCliArgs(['--log-level', 'loud'])).toThrow('--log-level expects one of');
  });
});

import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isAllowedHost } from './allowed-host.js';

describe('isAllowedHost', () => {
  it('allows the names and addresses Ollama allows on a loopback bind, with any port', () => {
    for (const host of [
      undefined,
      '',
      'localhost',
      'localhost:11434',
      'LOCALHOST:8080',
      hostname(),
      `${hostname()}:8080`,
      'app.localhost:3000',
      'printer.local',
      'ollama.internal:11434',
      '127.0.0.1:8080',
      '127.5.6.7',
      '[::1]:8080',
      '[::1]',
      '0.0.0.0',
      '10.1.2.3',
      '172.20.0.1:80',
      '192.168.1.10',
      '[::ffff:127.0.0.1]:1',
      '[fd12::1]',
    ]) {
      expect(isAllowedHost(host), String(host)).toBe(true);
    }
  });

  it('refuses any other name or address: what a DNS-rebinding page sends', () => {
    for (const host of [
      'attacker.example:8080',
      'attacker.example',
      'localhost.attacker.example',
      'evil-localhost',
      '8.8.8.8',
      '172.32.0.1',
      '[2001:db8::1]:80',
    ]) {
      expect(isAllowedHost(host), host).toBe(false);
    }
  });
});

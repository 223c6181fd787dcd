import { describe, expect, it } from 'vitest';
import { CorsPolicy } from './cors.js';

describe('CorsPolicy', () => {
  it("allows Ollama's default origins on any port, and nothing else by default", () => {
    const policy = new CorsPolicy();
    for (const origin of [
      'http://localhost',
      'http://localhost:5173',
      'https://127.0.0.1:8443',
      'http://0.0.0.0:3000',
      'app://obsidian.md',
      'file://',
      'tauri://localhost',
      'vscode-webview://abc',
      'vscode-file://vscode-app',
    ]) {
      expect(policy.allows(origin), origin).toBe(true);
    }
    for (const origin of [
      'https://attacker.example',
      'http://localhost.attacker.example',
      'http://[::1]:3000',
      'http://192.168.1.2:3000',
      'chrome-extension://abcdef',
      'null',
    ]) {
      expect(policy.allows(origin), origin).toBe(false);
    }
  });

  it('adds origins as OLLAMA_ORIGINS does: exact ones, one * per pattern, or * for all', () => {
    const policy = new CorsPolicy(['https://app.example', 'chrome-extension://*', 'https://*.corp.example']);
    expect(policy.allows('https://app.example')).toBe(true);
    expect(policy.allows('https://app.example:444')).toBe(false);
    expect(policy.allows('chrome-extension://abcdef')).toBe(true);
    expect(policy.allows('https://a.corp.example')).toBe(true);
    expect(policy.allows('https://corp.example')).toBe(false);
    expect(policy.allowAll).toBe(false);
    const all = new CorsPolicy(['*']);
    expect(all.allowAll).toBe(true);
    expect(all.allows('https://anything.example')).toBe(true);
  });
});

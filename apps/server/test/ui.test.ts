import { existsSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { ALL_OFF } from '@lunar/agent';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MODEL, startHarness } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM) || process.env.LUNAR_REQUIRE_SYSTEM_DEPS === '1';
if (!available) {
  console.warn(
    `test/ui.test.ts: the chat page's browser test is skipped: no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH; LUNAR_REQUIRE_SYSTEM_DEPS=1 makes this a failure)`,
  );
}
const OUTPUT = new URL('../test-output/', import.meta.url);
const TOKEN = 'a-very-long-test-token-0123456789';
const QUESTION = 'Please calculate "12 * 7" for me.';

/** A GET with the path sent exactly as written (fetch would resolve `..` first). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/`, { path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('GET /ui', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('serves the page with a strict policy, while / still answers as Ollama', async () => {
    const root = await fetch(`${harness.url}/`);
    expect(await root.text()).toBe('Ollama is running');
    for (const [path, type] of [
      ['/ui', 'text/html; charset=utf-8'],
      ['/ui/', 'text/html; charset=utf-8'],
      ['/ui/app.js', 'text/javascript; charset=utf-8'],
      ['/ui/style.css', 'text/css; charset=utf-8'],
      ['/ui/icon.svg', 'image/svg+xml'],
    ]) {
      const response = await fetch(`${harness.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await response.text()).length).toBeGreaterThan(0);
    }
    const page = await (await fetch(`${harness.url}/ui`)).text();
    expect(page).toContain('<label for="message">Message</label>');
    expect(page).toContain('<script type="module" src="/ui/app.js"></script>');
  });

  it('serves only its fixed files: no way out of the folder', async () => {
    for (const path of [
      '/ui/../package.json',
      '/ui/%2e%2e/package.json',
      '/ui/..%2fpackage.json',
      '/ui/index.html/../../package.json',
      '/ui/readme.md',
      '/ui/app.js/',
    ]) {
      const answer = await rawGet(harness.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toBe('404 page not found');
    }
  });

  it('loads without the token when the server has one; the API still needs it', async () => {
    const guarded = await startHarness({ token: TOKEN });
    try {
      for (const path of ['/ui', '/ui/app.js', '/ui/style.css', '/ui/icon.svg'])
        expect((await fetch(`${guarded.url}${path}`)).status, path).toBe(200);
      expect((await fetch(`${guarded.url}/ui/readme.md`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/`)).status).toBe(401);
      const turn = await fetch(`${guarded.url}/v1/turns`, { method: 'POST' });
      expect(turn.status).toBe(401);
    } finally {
      await guarded.close();
    }
  });
});

async function openPage(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, colorScheme: 'light' });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${url}/ui`);
  return page;
}

/** Waits for text in the run's answer while the run is still streaming; returns that text. */
async function textWhileStreaming(page: Page, selector: string): Promise<string> {
  const handle = await page.waitForFunction(
    (runSelector) => {
      // In the page; this package's types have no DOM, hence the one shape needed here.
      type Node = { textContent: string | null; getAttribute(name: string): string | null };
      type Query = { querySelector(selector: string): (Node & Query) | null };
      const run = (globalThis as unknown as { document: Query }).document.querySelector(runSelector);
      const text = run?.querySelector('.answer')?.textContent ?? '';
      return run?.getAttribute('data-state') === 'streaming' && text.length > 0 ? text : false;
    },
    selector,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await handle.jsonValue()) as string;
}

describe.runIf(available)('the chat page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('streams the answer, draws the waterfall, and compares it with the unoptimised run', async () => {
    // Decoding at 60 tokens/s, so a 40-token answer streams for about 0.7 s.
    const harness = await startHarness(
      {},
      {
        latency: { tokensPerSecond: 60 },
        models: [
          { name: MODEL, capabilities: ['completion', 'tools'], answerTokens: 40 },
          { name: 'nomic-embed-text', capabilities: ['embedding'] },
        ],
      },
    );
    const problems: string[] = [];
    const bodies: Array<{ sessionId?: string; options?: unknown }> = [];
    try {
      const page = await openPage(browser, harness.url, problems);
      page.on('request', (request) => {
        if (request.url().endsWith('/v1/turns')) bodies.push(request.postDataJSON());
      });
      const box = page.getByLabel('Message');
      await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('message');
      await box.pressSequentially('one');
      await box.press('Shift+Enter');
      await box.pressSequentially('two');
      expect(await box.inputValue()).toBe('one\ntwo');
      expect(await page.locator('.turn').count()).toBe(0);

      await box.fill(QUESTION);
      await box.press('Enter');
      const first = '.turn:nth-child(1) .run[data-variant="optimised"]';
      const partial = await textWhileStreaming(page, first);
      await page.waitForSelector(`${first}[data-state="done"]`, { timeout: 30_000 });
      const answer = (await page.locator(`${first} .answer`).textContent())!;
      expect(partial.length).toBeLessThan(answer.length);
      expect(answer.startsWith(partial)).toBe(true);
      expect(answer).toMatch(/\w+ returned /);
      const tool = page.locator(`${first} .tool`);
      await expect.poll(() => tool.getAttribute('data-state')).toBe('ok');
      expect(await tool.textContent()).toMatch(
        /^calculate\(\{"expression":"12 \* 7"\}\)ok · [\d.]+ ms→ .*"result":84/,
      );
      expect(await page.locator(`${first} .who`).textContent()).toBe('Lunar (optimised)');
      const rows = await page
        .locator(`${first} .row[data-stage]`)
        .evaluateAll((all) =>
          all.map(
            (row) => [row.getAttribute('data-stage')!, Number(row.getAttribute('data-start-ms'))] as const,
          ),
        );
      // An eager tool and the model rarely end together: one waited for the other.
      const waits = rows.map(([stage]) => stage).filter((stage) => stage.startsWith('wait'));
      expect(waits.length).toBeLessThanOrEqual(1);
      for (const wait of waits) expect(wait).toMatch(/^wait #1 for (llm|tools)$/);
      expect(
        rows
          .map(([stage]) => stage)
          .filter((stage) => !stage.startsWith('wait'))
          .sort(),
      ).toEqual(
        [
          'input-guards',
          'memory-search',
          'build-prompt',
          'llm #1',
          'parse-tool-calls #1',
          'tools #1',
          'llm #2',
          'parse-tool-calls #2',
          'output-guards',
        ].sort(),
      );
      const starts = rows.map(([, start]) => start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      // The tool call has its own row, under its stage; the answer's round is on the critical path.
      expect(await page.locator(`${first} .row.call[data-tool="calculate"]`).count()).toBe(1);
      expect(await page.locator(`${first} .row[data-stage="llm #2"]`).getAttribute('data-critical')).toBe(
        'yes',
      );
      const chart = page.locator(`${first} .chart[role="img"]`);
      expect(await chart.getAttribute('aria-label')).toMatch(
        /^Lunar \(optimised\): first token after .*llm #1 from/,
      );
      expect(await page.locator(`${first} .ttft`).count()).toBe(1);

      await page.getByLabel('Also run without optimisations').check();
      await box.fill(QUESTION);
      await page.getByRole('button', { name: 'Send' }).click();
      const second = '.turn:nth-child(2)';
      await page.waitForSelector(`${second} .run[data-variant="unoptimised"][data-state="done"]`, {
        timeout: 30_000,
      });
      const titles = await page.locator(`${second} .run .who`).allTextContents();
      expect(titles).toEqual(['Lunar (optimised)', 'Unoptimised']);
      const figures = page.locator(`${second} .waterfall`);
      const firstTokens = await figures.evaluateAll((all) =>
        all.map((figure) => Number(figure.getAttribute('data-ttft-ms'))),
      );
      expect(firstTokens).toHaveLength(2);
      expect(firstTokens[1]).toBeGreaterThan(firstTokens[0]!);
      // One axis for both: the later first token is further right.
      const markers = await page
        .locator(`${second} .ttft`)
        .evaluateAll((lines) => lines.map((line) => line.getBoundingClientRect().left));
      expect(markers[1]).toBeGreaterThan(markers[0]!);
      const hits = page.locator(`${second} .run[data-variant="optimised"] .row[data-cache="hit"] .badge`);
      expect(await hits.first().textContent()).toBe('cache hit');
      expect(await page.locator(`${second} .run[data-variant="unoptimised"] .badge`).count()).toBe(0);

      expect(bodies).toHaveLength(3);
      expect(bodies.slice(0, 2).map((body) => body.options)).toEqual([undefined, undefined]);
      expect(bodies[2]!.options).toEqual({ optimizations: { ...ALL_OFF } });
      expect(new Set(bodies.map((body) => body.sessionId)).size).toBe(3);

      mkdirSync(OUTPUT, { recursive: true });
      // The whole page in one viewport, so the composer (sticky) sits at the bottom.
      const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
      await page.setViewportSize({ width: 1000, height });
      await page.screenshot({ path: new URL('ui.png', OUTPUT).pathname });
      expect(problems).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 90_000);

  it('shows errors in the transcript, sends the token typed into the page, and stops a turn', async () => {
    const harness = await startHarness({ token: TOKEN });
    const problems: string[] = [];
    try {
      const page = await openPage(browser, harness.url, problems);
      const box = page.getByLabel('Message');
      await box.fill('Why is the sky blue?');
      await box.press('Enter');
      const refused = page.locator('.turn:nth-child(1) .run[data-state="error"] .error');
      await refused.waitFor({ timeout: 30_000 });
      expect(await refused.textContent()).toContain('needs its API token (401)');
      await page.getByLabel('Bearer token, when the server needs one').fill(TOKEN);
      await box.fill('Why is the sky blue?');
      await box.press('Enter');
      await page.waitForSelector('.turn:nth-child(2) .run[data-state="done"]', { timeout: 30_000 });
      expect(await page.evaluate("sessionStorage.getItem('lunar.apiToken')")).toBe(TOKEN);

      harness.sim.injectFault({
        fault: { type: 'status', status: 500, message: 'the GPU fell over' },
        route: '/api/chat',
        times: 10,
      });
      await box.fill('And why are sunsets red?');
      await box.press('Enter');
      const failed = page.locator('.turn:nth-child(3) .run[data-state="error"] .error');
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.textContent()).toMatch(/\((AGENT_LLM_FAILED|AGENT_OLLAMA_UNREACHABLE)\)$/);
      expect(await page.locator('.turn:nth-child(3) .waterfall .row').count()).toBeGreaterThan(0);

      // Streams that go wrong, answered by the browser itself.
      const stream = { status: 200, contentType: 'text/event-stream' };
      await page.route('**/v1/turns', (route) =>
        route.fulfill({ ...stream, body: 'event: text-delta\ndata: {"type":"text-delta","text":"Hal"}\n\n' }),
      );
      await box.fill('Cut short');
      await box.press('Enter');
      const cut = page.locator('.turn:nth-child(4) .run[data-state="error"]');
      await cut.waitFor({ timeout: 30_000 });
      expect(await cut.locator('.answer').textContent()).toBe('Hal');
      expect(await cut.locator('.error').textContent()).toBe(
        'The answer stopped before its end: the connection closed.',
      );
      await page.unroute('**/v1/turns');
      await page.route('**/v1/turns', (route) =>
        route.fulfill({ ...stream, body: `data: ${'x'.repeat(4 * 1024 * 1024 + 1)}` }),
      );
      await box.fill('Too big');
      await box.press('Enter');
      const huge = page.locator('.turn:nth-child(5) .run[data-state="error"] .error');
      await huge.waitFor({ timeout: 30_000 });
      expect(await huge.textContent()).toBe('Could not read the answer: an event larger than 4 MiB');
      await page.unroute('**/v1/turns');
      await page.route('**/v1/turns', () => {}); // never answered
      await page.getByLabel('Also run without optimisations').check();
      await box.fill('Never mind');
      await box.press('Enter');
      await page.getByRole('button', { name: 'Stop' }).click();
      const stopped = page.locator('.turn:nth-child(6) .run .error');
      await expect.poll(() => stopped.allTextContents()).toEqual(['Stopped.', 'Not run: stopped.']);
      expect(await page.getByRole('button', { name: 'Stop' }).isHidden()).toBe(true);
      expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
      // The 401 is the one console error: Chromium logs every failed fetch.
      expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 90_000);
});

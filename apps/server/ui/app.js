// Lunar's chat page: POST /v1/turns read as Server-Sent Events, and each turn's stage waterfall.
// Plain ES module, no build step; served by src/routes/ui.ts under a `default-src 'self'` policy.

/** The agent's switches (`Optimizations` of @lunar/agent); the unoptimised run turns every one off. */
const SWITCHES = [
  'streaming',
  'llmCache',
  'memoryCache',
  'embeddingCache',
  'parallelTools',
  'eagerTools',
  'parallelGuards',
  'warmup',
  'toolCache',
  'stablePrefix',
  'speculativeTools',
  'prefillAhead',
  'prefixWarmup',
];
const ALL_OFF = Object.fromEntries(SWITCHES.map((name) => [name, false]));
const VARIANTS = {
  optimised: { title: 'Lunar (optimised)' },
  unoptimised: { title: 'Unoptimised', optimizations: ALL_OFF },
};
const TOKEN_KEY = 'lunar.apiToken';
const MAX_FRAME_CHARS = 4 * 1024 * 1024;

const byId = (id) => document.getElementById(id);
const form = byId('composer');
const input = byId('message');
const compare = byId('compare');
const sendButton = byId('send');
const stopButton = byId('stop');
const transcript = byId('transcript');
const status = byId('status');
const tokenInput = byId('token');
let running = null;

/** `el('p', { class: 'x', 'data-y': 1 }, 'text', child)`: attributes, then children. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

function newSessionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `ui-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function announce(text) {
  status.textContent = text;
}

/** Runs `update`, then keeps the page at its bottom if the reader was there. */
function follow(update) {
  const atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 96;
  update();
  if (atBottom) window.scrollTo({ top: document.documentElement.scrollHeight });
}

/** Server-Sent Events from a fetch body: `{ event, data }` per frame (EventSource cannot POST). */
async function* readSse(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = (buffer + value).replace(/\r\n/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const frame = { event: 'message', data: [] };
        for (const line of buffer.slice(0, end).split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue; // blank or a comment
          const field = line.slice(0, colon);
          const text = line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
          if (field === 'event') frame.event = text;
          else if (field === 'data') frame.data.push(text);
        }
        buffer = buffer.slice(end + 2);
        if (frame.data.length > 0) yield { event: frame.event, data: frame.data.join('\n') };
      }
      if (buffer.length > MAX_FRAME_CHARS) throw new Error('an event larger than 4 MiB');
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** As `stageLabel` of @lunar/agent: `llm #2`, `wait #1 for tools`. */
function stageLabel(stage) {
  const name = stage.round === undefined ? stage.name : `${stage.name} #${stage.round}`;
  return stage.waitingFor === undefined ? name : `${name} for ${stage.waitingFor}`;
}

function stageKind(name) {
  if (name === 'llm') return 'llm';
  if (name === 'tools') return 'tools';
  if (name === 'memory-search') return 'memory';
  if (name === 'wait') return 'wait';
  return 'step';
}

/**
 * The rows of a waterfall in start order: each stage, and each tool call right under the `tools`
 * stage that covers it (as `toolSpansOf` of @lunar/agent: its round's calls that started within
 * it). A row is on the critical path when the first token waited for it; a tool call is, when
 * its stage is and the stage ended with it.
 */
function waterfallRows(profile) {
  const rows = [];
  const stages = [...profile.stages].sort((a, b) => a.startMs - b.startMs);
  for (const stage of stages) {
    rows.push({
      label: stageLabel(stage),
      kind: stageKind(stage.name),
      startMs: stage.startMs,
      durationMs: stage.durationMs,
      cache: stage.cache,
      critical: stage.critical === true,
    });
    if (stage.name !== 'tools') continue;
    const stageEnd = stage.startMs + stage.durationMs;
    const covered = (profile.toolSpans ?? []).filter(
      (span) => span.round === stage.round && span.startMs >= stage.startMs && span.startMs <= stageEnd,
    );
    for (const call of covered) {
      rows.push({
        label: call.name,
        kind: 'tools',
        call: call.callId,
        startMs: call.startMs,
        durationMs: call.durationMs,
        cache: call.cache,
        critical: stage.critical === true && call.startMs + call.durationMs >= stageEnd,
      });
    }
  }
  return rows;
}

/** Axis ticks at a round step (1, 2, 2.5 or 5 times a power of ten), about four of them. */
function ticks(scaleMs) {
  const rough = scaleMs / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough);
  const values = [];
  for (let value = 0; value <= scaleMs + step * 1e-9; value += step) values.push(value);
  return values;
}

const percent = (ms, scaleMs) => `${Math.min(100, Math.max(0, (ms / scaleMs) * 100))}%`;

/**
 * One waterfall: a bar per stage (and per tool call, under its stage) on a time axis `scaleMs`
 * long; cache hits, the first token, and the stages it waited for (its critical path) marked.
 */
function drawWaterfall(figure, profile, scaleMs, title) {
  const firstToken = profile.timeToFirstTokenMs;
  figure.hidden = false;
  figure.dataset.totalMs = String(profile.totalMs);
  figure.dataset.ttftMs = firstToken === null ? '' : String(firstToken);
  const rows = waterfallRows(profile);
  const path = rows.filter((row) => row.critical && row.call === undefined).map((row) => row.label);
  const summary = [
    `${title}: first token ${firstToken === null ? 'never' : `after ${formatMs(firstToken)}`}`,
    `total ${formatMs(profile.totalMs)}`,
    ...rows.map(
      (row) =>
        `${row.call === undefined ? row.label : `tool call ${row.label}`} from ${formatMs(row.startMs)} for ${formatMs(row.durationMs)}${row.cache === 'hit' ? ', cache hit' : ''}`,
    ),
    ...(path.length > 0 ? [`the first token waited for ${path.join(', ')}`] : []),
  ].join('; ');
  const chart = el('div', { class: 'chart', role: 'img', 'aria-label': summary });
  for (const row of rows) {
    const end = ((row.startMs + row.durationMs) / scaleMs) * 100;
    const bar = el('span', { class: `bar kind-${row.kind}` });
    bar.style.setProperty('--start', percent(row.startMs, scaleMs));
    bar.style.setProperty('--width', percent(row.durationMs, scaleMs));
    const value = el(
      'span',
      { class: end > 72 ? 'value before' : 'value' },
      el('span', { class: 'duration' }, formatMs(row.durationMs)),
      row.cache === 'hit' ? el('span', { class: 'badge' }, 'cache hit') : null,
    );
    value.style.setProperty('--at', end > 72 ? percent(scaleMs - row.startMs, scaleMs) : `${end}%`);
    const attributes =
      row.call === undefined
        ? { class: 'row', 'data-stage': row.label }
        : { class: 'row call', 'data-call': row.call, 'data-tool': row.label };
    chart.append(
      el(
        'div',
        {
          ...attributes,
          'data-start-ms': row.startMs,
          'data-cache': row.cache ?? 'none',
          'data-critical': row.critical ? 'yes' : 'no',
        },
        el(
          'span',
          { class: 'label', title: row.critical ? 'the first token waited for this' : '' },
          row.label,
        ),
        el('span', { class: 'track' }, bar, value),
      ),
    );
  }
  const overlay = el('div', { class: 'overlay', 'aria-hidden': 'true' });
  if (firstToken !== null) {
    const line = el(
      'div',
      { class: 'ttft' },
      el('span', { class: 'ttft-label' }, `first token ${formatMs(firstToken)}`),
    );
    line.style.setProperty('--at', percent(firstToken, scaleMs));
    if ((firstToken / scaleMs) * 100 > 60) line.classList.add('flip');
    overlay.append(line);
  }
  const gridlines = el('div', { class: 'gridlines', 'aria-hidden': 'true' });
  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' });
  for (const value of ticks(scaleMs)) {
    const tick = el('span', { class: 'tick' }, value === 0 ? '0' : formatMs(value));
    const line = el('span', { class: 'gridline' });
    for (const mark of [tick, line]) mark.style.setProperty('--at', percent(value, scaleMs));
    axis.append(tick);
    gridlines.append(line);
  }
  chart.prepend(gridlines);
  chart.append(overlay, axis);
  const facts = [
    el('span', {}, 'First token ', el('strong', {}, firstToken === null ? 'none' : formatMs(firstToken))),
    el('span', {}, 'Total ', el('strong', {}, formatMs(profile.totalMs))),
    el('span', {}, plural(profile.ollamaCalls, 'Ollama call')),
    el('span', {}, plural(profile.toolCalls, 'tool call')),
  ];
  const legend = el(
    'span',
    { class: 'legend', 'aria-hidden': 'true' },
    ...['llm', 'tools', 'memory', 'wait', 'step'].map((kind) =>
      el('span', {}, el('i', { class: `kind-${kind}` }), kind === 'step' ? 'other' : kind),
    ),
    el('span', { class: 'critical-key' }, el('b', {}, 'bold'), ': the first token waited for it'),
  );
  figure.replaceChildren(el('figcaption', {}, ...facts, legend), chart);
}

/** The transcript entry of one run: its tool calls, its answer, its error and its waterfall. */
function createRunView(variant) {
  const tools = el('ul', { class: 'tools', 'aria-label': 'Tool calls' });
  const answer = el('div', { class: 'answer' });
  const error = el('p', { class: 'error', hidden: '' });
  const figure = el('figure', { class: 'waterfall', hidden: '' });
  const root = el(
    'section',
    { class: 'run', 'data-variant': variant, 'data-state': 'waiting' },
    el('h3', { class: 'who' }, VARIANTS[variant].title),
    tools,
    answer,
    error,
    figure,
  );
  const toolItems = new Map();
  const view = {
    root,
    variant,
    profile: null,
    setState(state) {
      root.dataset.state = state;
    },
    appendText(text) {
      follow(() => answer.append(text));
    },
    toolCall(call) {
      const item = el(
        'li',
        { class: 'tool', 'data-state': 'running' },
        el('code', {}, `${call.name}(${JSON.stringify(call.arguments)})`),
        el('span', { class: 'tool-status' }, 'running…'),
      );
      toolItems.set(call.callId, item);
      follow(() => tools.append(item));
    },
    toolResult(result) {
      const item = toolItems.get(result.callId);
      if (!item) return;
      item.dataset.state = result.ok ? 'ok' : 'failed';
      const outcome = result.ok ? 'ok' : `failed${result.errorCode ? ` (${result.errorCode})` : ''}`;
      const output = result.output.length > 160 ? `${result.output.slice(0, 160)}…` : result.output;
      item.lastChild.replaceWith(
        el('span', { class: 'tool-status' }, `${outcome} · ${formatMs(result.durationMs)}`),
        el('span', { class: 'tool-output' }, `→ ${output}`),
      );
    },
    done(event) {
      if (answer.textContent !== event.text) answer.textContent = event.text;
      view.profile = event.profile;
      view.setState('done');
      const firstToken = event.profile.timeToFirstTokenMs;
      announce(
        `${VARIANTS[variant].title} answered: first token after ${firstToken === null ? 'none' : formatMs(firstToken)}, total ${formatMs(event.profile.totalMs)}.`,
      );
    },
    fail(message, profile) {
      error.hidden = false;
      error.textContent = message;
      if (profile) view.profile = profile;
      view.setState('error');
      announce(`${VARIANTS[variant].title}: ${message}`);
    },
    draw(scaleMs) {
      if (view.profile) drawWaterfall(figure, view.profile, scaleMs, VARIANTS[variant].title);
    },
  };
  return view;
}

async function httpError(response) {
  if (response.status === 401) {
    byId('token-panel').open = true;
    return 'The server needs its API token (401): enter it under “API token” at the top, then send again.';
  }
  let reason = response.statusText;
  try {
    reason = (await response.json()).error ?? reason;
  } catch {}
  return `The server answered ${response.status}: ${reason}`;
}

async function runTurn(message, view, signal) {
  const body = { message, sessionId: newSessionId() };
  const { optimizations } = VARIANTS[view.variant];
  if (optimizations) body.options = { optimizations };
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    const response = await fetch('/v1/turns', {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) return view.fail(await httpError(response));
    view.setState('streaming');
    for await (const { event, data } of readSse(response.body)) {
      const payload = JSON.parse(data);
      if (event === 'text-delta') view.appendText(payload.text);
      else if (event === 'tool-call') view.toolCall(payload);
      else if (event === 'tool-result') view.toolResult(payload);
      else if (event === 'done') return view.done(payload);
      else if (event === 'error') return view.fail(`${payload.message} (${payload.code})`, payload.profile);
    }
    view.fail('The answer stopped before its end: the connection closed.');
  } catch (error) {
    view.fail(signal.aborted ? 'Stopped.' : `Could not read the answer: ${error.message}`);
  }
}

/** Every waterfall of a turn on one axis: the longest turn's total. */
function drawTurn(views) {
  const scaleMs = Math.max(0.001, ...views.map((view) => view.profile?.totalMs ?? 0));
  for (const view of views) view.draw(scaleMs);
}

async function ask(message, withUnoptimised) {
  byId('empty')?.remove();
  const views = (withUnoptimised ? ['optimised', 'unoptimised'] : ['optimised']).map(createRunView);
  const turn = el(
    'article',
    { class: 'turn' },
    el('div', { class: 'user' }, el('h2', { class: 'who' }, 'You'), el('p', {}, message)),
    el('div', { class: 'runs' }, ...views.map((view) => view.root)),
  );
  follow(() => transcript.append(turn));
  running = new AbortController();
  sendButton.disabled = true;
  stopButton.hidden = false;
  transcript.setAttribute('aria-busy', 'true');
  announce('Lunar is answering…');
  try {
    // One run after the other, so neither waits for the model behind the other.
    for (const view of views) {
      if (running.signal.aborted) view.fail('Not run: stopped.');
      else await runTurn(message, view, running.signal);
      follow(() => drawTurn(views));
    }
  } finally {
    running = null;
    sendButton.disabled = false;
    stopButton.hidden = true;
    transcript.removeAttribute('aria-busy');
  }
}

tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
tokenInput.addEventListener('input', () => {
  const token = tokenInput.value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
});

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const message = input.value.trim();
  if (!message || running) return;
  input.value = '';
  ask(message, compare.checked).finally(() => input.focus());
});

stopButton.addEventListener('click', () => running?.abort());
input.focus();

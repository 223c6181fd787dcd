import { isIP } from 'node:net';

/** Where Ollama listens when nothing says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  let host: string;
  let port: string;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end === -1 || hostport[end + 1] !== ':') return undefined;
    host = hostport.slice(1, end);
    port = hostport.slice(end + 2);
  } else {
    const colon = hostport.lastIndexOf(':');
    if (colon === -1) return undefined;
    host = hostport.slice(0, colon);
    port = hostport.slice(colon + 1);
    if (host.includes(':')) return undefined;
  }
  if (/[[\]]/.test(host) || /[[\]]/.test(port)) return undefined;
  return { host, port };
}

/**
 * Read a host the way Ollama's `envconfig.Host()` reads `OLLAMA_HOST`, and return a base URL.
 * The scheme is optional (`http`); the port defaults to 11434 without a scheme and to 80/443 with
 * `http://`/`https://`; the host defaults to 127.0.0.1; `host:port`, `:port`, bare IPv6 and a path
 * (`https://example.com/ollama`) are accepted. An invalid port falls back to the default, as in Ollama.
 * Only `http` and `https` can be dialled: another scheme throws a TypeError naming `option`.
 */
export function parseOllamaHost(value: string | undefined, option = 'OLLAMA_HOST'): string {
  const text = (value ?? '')
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
  let defaultPort = '11434';
  let scheme = 'http';
  let rest = text;
  const separator = text.indexOf('://');
  if (separator !== -1) {
    scheme = text.slice(0, separator).toLowerCase();
    rest = text.slice(separator + 3);
    if (scheme === 'http') defaultPort = '80';
    else if (scheme === 'https') defaultPort = '443';
    else throw new TypeError(`Expected \`${option}\` to use http or https, got ${JSON.stringify(value)}`);
  } else if (text === 'ollama.com') {
    return 'https://ollama.com:443';
  }
  const slash = rest.indexOf('/');
  const hostport = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  let host: string;
  let port: string;
  const split = splitHostPort(hostport);
  if (split) {
    host = split.host === '' ? '127.0.0.1' : split.host;
    port = split.port;
  } else {
    host = '127.0.0.1';
    port = defaultPort;
    const bare = hostport.replace(/^\[|\]$/g, '');
    if (isIP(bare) !== 0) host = bare;
    else if (hostport !== '') host = hostport;
  }
  const number = /^[+-]?\d+$/.test(port) ? Number(port) : Number.NaN;
  if (!(number >= 0 && number <= 65535)) port = defaultPort;
  else port = String(number);
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return `${scheme}://${hostPart}:${port}${path === '' ? '' : `/${path}`}`;
}

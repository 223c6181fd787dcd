/**
 * CORS as Ollama answers it with `OLLAMA_ORIGINS` unset (gin-contrib/cors as server/routes.go
 * configures it): localhost, 127.0.0.1 and 0.0.0.0 pages on any port, and app origins, may call;
 * another origin gets 403 with an empty body; an allowed `OPTIONS` is a preflight answered 204.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOCAL_PAGE = /^https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d*)?$/;
const APP_SCHEMES = ['app://', 'file://', 'tauri://', 'vscode-webview://', 'vscode-file://'];
const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
  'Access-Control-Allow-Headers': [
    'Authorization,Content-Type,User-Agent,Accept,X-Requested-With,Openai-Beta',
    'X-Stainless-Arch,X-Stainless-Async,X-Stainless-Custom-Poll-Interval,X-Stainless-Helper-Method',
    'X-Stainless-Lang,X-Stainless-Os,X-Stainless-Package-Version,X-Stainless-Poll-Helper',
    'X-Stainless-Retry-Count,X-Stainless-Runtime,X-Stainless-Runtime-Version,X-Stainless-Timeout',
  ].join(','),
  'Access-Control-Max-Age': '43200',
  Vary: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
};

function allowed(origin: string): boolean {
  return LOCAL_PAGE.test(origin) || APP_SCHEMES.some((scheme) => origin.startsWith(scheme));
}

/** Applies Ollama's CORS rules; true when it answered the request (403, or a preflight's 204). */
export function answerCors(request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') return false;
  const host = request.headers.host;
  if (origin === `http://${host}` || origin === `https://${host}`) return false;
  if (!allowed(origin)) {
    request.resume();
    response.writeHead(403, { 'Content-Length': 0 }).end();
    return true;
  }
  response.setHeader('Access-Control-Allow-Origin', origin);
  if (request.method === 'OPTIONS') {
    request.resume();
    response.writeHead(204, PREFLIGHT_HEADERS).end();
    return true;
  }
  response.setHeader('Vary', 'Origin');
  return false;
}

/**
 * The floor a proxy cannot go under: a bare `node:http` relay in its own process, in front of the
 * host named on the command line. It pipes the request and the answer through a keep-alive agent
 * and does nothing else (no cache, no limits, no CORS, no error handling), so the time it adds is
 * the cost of one more HTTP hop on this machine. Prints its URL, serves until SIGTERM.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const host = new URL(process.argv[2]!);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const server = createServer((incoming, outgoing) => {
  const upstream = request(
    {
      host: host.hostname,
      port: host.port,
      method: incoming.method,
      path: incoming.url,
      headers: { 'content-type': incoming.headers['content-type'] ?? 'application/json' },
      agent,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? '' });
      answer.pipe(outgoing);
    },
  );
  incoming.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  agent.destroy();
});

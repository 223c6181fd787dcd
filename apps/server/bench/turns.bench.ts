import { calculatorTool, currentTimeTool, type MemoryStore, memoryTools } from '@lunar/agent';
import { peakResidentMiB, percentile, type TimedResponse, timedRequest } from '@lunar/dev-kit';
import { ToolRegistry } from '@lunar/tools-parallel';

export interface TurnsResult {
  turns: number;
  rounds: number;
  direct: { p50: number; p99: number; errors: number };
  server: { p50: number; p99: number; errors: number };
  /** The same, one turn at a time (p50 only). */
  sequential: { count: number; direct: number; server: number };
  peakRssMiB: number;
}

const MODEL = 'llama3.2:3b';

/** The tools the server's agent offers, so the baseline prompt has the same shape. */
function serverTools() {
  const tools = [currentTimeTool(), calculatorTool(), ...memoryTools({} as MemoryStore)];
  return new ToolRegistry(tools).toOllamaTools();
}

const message = (round: number, index: number) => `Tell me about the ocean, note ${round}-${index}.`;

/**
 * 200 streamed turns at once through the server (time to the first `text-delta` event), and the
 * same turns' model call sent straight to the simulator (time to the first chunk with content),
 * interleaved round by round so both see the same machine.
 */
export async function benchTurns(
  simUrl: string,
  server: { url: string; pid: number },
  turns = 200,
  rounds = 3,
) {
  const tools = serverTools();
  const modelCall = (round: number, index: number) =>
    timedRequest(
      `${simUrl}/api/chat`,
      'POST',
      {
        model: MODEL,
        messages: [
          {
            role: 'user',
            content: `Context for my next message (not a question):\nToday is ${new Date().toISOString()}.`,
          },
          { role: 'user', content: message(round, index) },
        ],
        tools,
        options: { temperature: 0 },
        keep_alive: '30m',
      },
      '"content":"',
    );
  const turn = (round: number, index: number) =>
    timedRequest(`${server.url}/v1/turns`, 'POST', { message: message(round, index) }, 'event: text-delta');
  const direct: TimedResponse[] = [];
  const through: TimedResponse[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(...(await Promise.all(Array.from({ length: turns }, (_, index) => modelCall(round, index)))));
    through.push(
      ...(await Promise.all(Array.from({ length: turns }, (_, index) => turn(round + rounds, index)))),
    );
  }
  const sequential = { direct: [] as number[], server: [] as number[] };
  for (let index = 0; index < turns / 2; index++) {
    sequential.direct.push((await modelCall(-1, index)).firstMs);
    sequential.server.push((await turn(-2, index)).firstMs);
  }
  const summary = (samples: TimedResponse[], ok: (sample: TimedResponse) => boolean) => {
    const good = samples.filter(ok);
    const firsts = good.map((sample) => sample.firstMs);
    return {
      p50: percentile(firsts, 0.5),
      p99: percentile(firsts, 0.99),
      errors: samples.length - good.length,
    };
  };
  const result: TurnsResult = {
    turns,
    rounds,
    direct: summary(direct, (sample) => sample.status === 200 && sample.body.includes('"done":true')),
    server: summary(through, (sample) => sample.status === 200 && sample.body.includes('event: done')),
    sequential: {
      count: turns / 2,
      direct: percentile(sequential.direct, 0.5),
      server: percentile(sequential.server, 0.5),
    },
    peakRssMiB: peakResidentMiB(server.pid),
  };
  return result;
}

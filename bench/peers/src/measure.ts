import type { Framework, TurnOutput } from './framework.js';

/** One turn as the user lived it, measured inside the framework's process. */
export interface TurnMeasure extends TurnOutput {
  /** From the question to the first piece of answer text handed to the caller (null: none came). */
  firstTokenMs: number | null;
  /** From the question to the end of the turn. */
  totalMs: number;
  /** The process's CPU time during the turn, user and system (`process.cpuUsage`). */
  cpuMs: number;
}

/** Asks `question` and times it: first token, total, and the CPU the process spent meanwhile. */
export async function measureTurn(framework: Framework, question: string): Promise<TurnMeasure> {
  let firstTokenMs: number | null = null;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const output = await framework.turn(question, (text) => {
    if (firstTokenMs === null && text !== '') firstTokenMs = performance.now() - started;
  });
  const totalMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { ...output, firstTokenMs, totalMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

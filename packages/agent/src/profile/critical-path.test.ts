import { describe, expect, it } from 'vitest';
import { criticalStages } from './critical-path.js';
import { type StageRecord, stageLabel } from './profile.js';

const stage = (
  name: StageRecord['name'],
  startMs: number,
  durationMs: number,
  fields: Partial<StageRecord> = {},
): StageRecord => ({ name, startMs, durationMs, ...fields });

const labels = (stages: StageRecord[], firstTokenMs: number | null) =>
  stages.filter((each) => criticalStages(stages, firstTokenMs).has(each)).map(stageLabel);

describe('criticalStages', () => {
  it('follows the longer of two stages run side by side, and the tools a wait waited for', () => {
    const stages = [
      stage('input-guards', 0, 1),
      stage('memory-search', 0.1, 40),
      stage('build-prompt', 40.1, 0.5),
      stage('llm', 41, 500, { round: 1 }),
      // Eager tools: the call arrived at 300 ms, the tool ended after the model.
      stage('tools', 300, 400, { round: 1 }),
      stage('parse-tool-calls', 541, 0.02, { round: 1 }),
      stage('wait', 541, 159, { round: 1, waitingFor: 'tools' }),
      stage('llm', 700.1, 400, { round: 2 }),
      stage('output-guards', 1099, 1),
    ];
    expect(labels(stages, 800)).toEqual([
      'memory-search',
      'build-prompt',
      'llm #1',
      'tools #1',
      'wait #1 for tools',
      'llm #2',
    ]);
  });

  it('leaves out tools that finished while the model still wrote', () => {
    const stages = [
      stage('build-prompt', 0, 0.5),
      stage('llm', 1, 500, { round: 1 }),
      stage('tools', 300, 2, { round: 1 }),
      stage('wait', 302, 199, { round: 1, waitingFor: 'llm' }),
      stage('parse-tool-calls', 501, 0.05, { round: 1 }),
      stage('llm', 501.1, 400, { round: 2 }),
    ];
    expect(labels(stages, 600)).toEqual([
      'build-prompt',
      'llm #1',
      'wait #1 for llm',
      'parse-tool-calls #1',
      'llm #2',
    ]);
  });

  it('takes the guards when they ran before the search, and nothing when no text came', () => {
    const stages = [
      stage('input-guards', 0, 5),
      stage('memory-search', 5, 10),
      stage('build-prompt', 15, 1),
      stage('llm', 16, 100, { round: 1 }),
    ];
    expect(labels(stages, 50)).toEqual(['input-guards', 'memory-search', 'build-prompt', 'llm #1']);
    expect(labels(stages, null)).toEqual([]);
  });
});

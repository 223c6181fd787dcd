/** The templates the simulator renders, and which one a model gets by default. */
import type { TemplateName } from '../types.js';
import type { ChatTemplate } from './chat-template.js';
import { llama3Template } from './llama3.js';
import { qwen3Template, qwen25Template } from './qwen.js';

export const TEMPLATE_NAMES: readonly TemplateName[] = ['llama3.2', 'qwen3', 'qwen2.5'];

const TEMPLATES: Readonly<Record<TemplateName, ChatTemplate>> = {
  'llama3.2': llama3Template(),
  qwen3: qwen3Template(),
  'qwen2.5': qwen25Template(),
};

export function chatTemplate(name: TemplateName): ChatTemplate {
  return TEMPLATES[name];
}

/**
 * A model's template when its config names none: llama3.2's for Llama 3 models (`llama3*`
 * names, family `llama`), qwen3's for `qwen3*`, else qwen2.5's ChatML with tools in the system
 * block, a common layout for tool-calling models.
 */
export function defaultTemplateName(name: string, family: string): TemplateName {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  if (base.startsWith('llama3') || family === 'llama') return 'llama3.2';
  if (base.startsWith('qwen3') || family === 'qwen3') return 'qwen3';
  return 'qwen2.5';
}

import { tool } from '@langchain/core/tools';
import { runTool, TOOLS } from '../scenario.js';

/** The bench's tools as LangChain's docs define tools: `tool()` with a zod schema, a string result. */
export function langchainTools() {
  return TOOLS.map((definition) =>
    tool(async (input, config) => JSON.stringify(await runTool(definition.name, input, config?.signal)), {
      name: definition.name,
      description: definition.description,
      schema: definition.parameters,
    }),
  );
}

/**
 * The JSON-schema keywords in the tools a framework sent, each tool's `parameters` walked through
 * (the names of its properties are not keywords): `$schema`, `additionalProperties`, ...
 */
export function schemaKeywords(toolsJson: string): Set<string> {
  const keywords = new Set<string>();
  const walk = (value: unknown, namesHere: boolean) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, false);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (!namesHere) keywords.add(key);
      walk(child, !namesHere && key === 'properties');
    }
  };
  const tools = JSON.parse(toolsJson) as Array<{ function?: { parameters?: unknown } }>;
  for (const tool of tools) walk(tool.function?.parameters, false);
  return keywords;
}

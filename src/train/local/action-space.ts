import type { ChatToolCall, JsonObject, ToolDefinition } from '../../tracing/types.ts';

/**
 * The discrete choices a local model picks from, read off a task app's tool schema: the first tool
 * parameter with an `enum` (a string, or an array of strings such as Crafter's `actions`).
 */
export interface ActionSpace {
  toolName: string;
  argument: string;
  /** True when the argument is an array (the model's choice is wrapped in a one-item list). */
  isList: boolean;
  labels: string[];
}

function enumOf(schema: unknown): string[] | null {
  const values = (schema as { enum?: unknown } | undefined)?.enum;
  return Array.isArray(values) && values.every((v) => typeof v === 'string') ? (values as string[]) : null;
}

/** Finds the action space in a list of tool definitions, or null when no tool has an enum argument. */
export function actionSpaceFromTools(tools: readonly ToolDefinition[]): ActionSpace | null {
  for (const tool of tools) {
    const properties =
      (tool.function.parameters as { properties?: Record<string, JsonObject> }).properties ?? {};
    for (const [argument, schema] of Object.entries(properties)) {
      const direct = enumOf(schema);
      if (direct) return { toolName: tool.function.name, argument, isList: false, labels: direct };
      const items = enumOf((schema as { items?: unknown }).items);
      if (schema.type === 'array' && items)
        return { toolName: tool.function.name, argument, isList: true, labels: items };
    }
  }
  return null;
}

/** The labels a tool call chose (all items for a list argument); unknown values are dropped. */
export function labelsOfToolCall(space: ActionSpace, call: ChatToolCall): number[] {
  if (call.function.name !== space.toolName) return [];
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments);
  } catch {
    return [];
  }
  const value = (args as Record<string, unknown> | null)?.[space.argument];
  const chosen = Array.isArray(value) ? value : [value];
  return chosen.map((v) => space.labels.indexOf(String(v))).filter((i) => i >= 0);
}

/** The tool call for one chosen label. */
export function toolCallForLabel(space: ActionSpace, label: number, id: string): ChatToolCall {
  const value = space.labels[label]!;
  return {
    id,
    type: 'function',
    function: {
      name: space.toolName,
      arguments: JSON.stringify({ [space.argument]: space.isList ? [value] : value }),
    },
  };
}

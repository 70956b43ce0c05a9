/**
 * Checks a model's tool calls against the tools offered: known name, the forced tool, JSON-object
 * arguments and the subset of JSON Schema that tool definitions use (type, required, enum, items,
 * minItems/maxItems, additionalProperties: false). Each problem is one line the model can act on.
 * @module
 */
import type { ToolChoice } from '../inference/types.ts';
import type { ChatToolCall, JsonObject, ToolDefinition } from '../tracing/types.ts';

type Schema = { [key: string]: unknown };

function typeOk(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'integer':
        return Number.isInteger(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return value !== null && typeof value === 'object' && !Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return true;
    }
  });
}

function short(values: unknown[]): string {
  const text = values.map((v) => JSON.stringify(v)).join(', ');
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

/** Problems of `value` against `schema`, with JSON-path-like locations. */
export function checkAgainstSchema(value: unknown, schema: Schema, path = 'arguments'): string[] {
  const problems: string[] = [];
  if (schema.type !== undefined && !typeOk(value, schema.type)) {
    return [`${path} must be of type ${JSON.stringify(schema.type)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    problems.push(`${path} ${JSON.stringify(value)} is not one of: ${short(schema.enum)}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      problems.push(`${path} needs at least ${schema.minItems} item(s)`);
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      problems.push(`${path} allows at most ${schema.maxItems} item(s), got ${value.length}`);
    }
    const items = schema.items as Schema | undefined;
    if (items && typeof items === 'object') {
      value.forEach((item, i) => {
        problems.push(...checkAgainstSchema(item, items, `${path}[${i}]`));
      });
    }
  } else if (value !== null && typeof value === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const obj = value as Record<string, unknown>;
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(key in obj)) problems.push(`${path}.${key} is required`);
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = props[key];
      if (sub) problems.push(...checkAgainstSchema(v, sub, `${path}.${key}`));
      else if (schema.additionalProperties === false)
        problems.push(`${path}.${key} is not an allowed argument`);
    }
  }
  return problems;
}

/** The problem with one call, or null when it is valid. */
export function checkToolCall(
  call: ChatToolCall,
  tools: ToolDefinition[],
  toolChoice?: ToolChoice,
): string | null {
  const name = call.function.name;
  const tool = tools.find((t) => t.function.name === name);
  const names = tools.map((t) => t.function.name).join(', ');
  if (!tool) return `unknown tool "${name}"; available tools: ${names}`;
  if (typeof toolChoice === 'object' && toolChoice.name !== name)
    return `you must call ${toolChoice.name}, not ${name}`;
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || '{}');
  } catch {
    return `arguments of ${name} are not valid JSON: ${call.function.arguments.slice(0, 200)}`;
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    return `arguments of ${name} must be a JSON object`;
  const problems = checkAgainstSchema(args, tool.function.parameters as JsonObject);
  return problems.length ? `invalid ${name} call: ${problems.slice(0, 5).join('; ')}` : null;
}

/** The problem with an answer's tool calls as a whole, or null when every call is valid. */
export function checkToolCalls(
  calls: ChatToolCall[],
  tools: ToolDefinition[],
  toolChoice?: ToolChoice,
): string | null {
  if (calls.length === 0) {
    const wanted =
      typeof toolChoice === 'object' ? toolChoice.name : tools.map((t) => t.function.name).join(' or ');
    return `no tool call; answer by calling ${wanted}`;
  }
  for (const call of calls) {
    const problem = checkToolCall(call, tools, toolChoice);
    if (problem) return problem;
  }
  return null;
}

/**
 * The `interact_many` tool: 1–8 action names run in order. Its schema matches synth-ai's.
 * @module
 */
import type { ToolDefinition } from '../../tracing/types.ts';
import { ACTIONS } from './constants.ts';

/** Name of Crafter's only tool. */
export const CRAFTER_TOOL_NAME = 'interact_many';
/** Most actions one tool call may carry. */
export const MAX_ACTIONS_PER_CALL = 8;

/** The tool definition in OpenAI form. */
export const INTERACT_MANY_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: CRAFTER_TOOL_NAME,
    description:
      'Run 1 to 8 Crafter actions in order. Moves turn you to face the direction even when blocked; `do` collects, ' +
      'attacks or drinks on the faced tile; place_* and make_* need resources (make_* also a nearby table, iron tools ' +
      'a furnace too). Stops early if you die.',
    parameters: {
      type: 'object',
      properties: {
        actions: {
          type: 'array',
          items: { type: 'string', enum: [...ACTIONS] },
          minItems: 1,
          maxItems: MAX_ACTIONS_PER_CALL,
          description: 'Actions to run in order.',
        },
      },
      required: ['actions'],
      additionalProperties: false,
    },
  },
};

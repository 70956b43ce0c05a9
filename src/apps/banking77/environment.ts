/**
 * The Banking77 environment: one customer query, one forced `banking77_classify{intent}` call, reward 1
 * when the intent matches the gold label after normalisation, else 0.
 * @module
 */
import type { Environment, Observation, StepResult } from '../../task-app/environment.ts';
import type { ChatToolCall, JsonObject, ToolDefinition } from '../../tracing/types.ts';
import type { Banking77Example } from './dataset.ts';
import { BANKING77_LABELS, intentsMatch } from './labels.ts';

export const BANKING77_TOOL_NAME = 'banking77_classify';

/** The forced tool: the intent must be one of the 77 labels. */
export const BANKING77_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: BANKING77_TOOL_NAME,
    description: 'Classify the customer query into exactly one Banking77 intent.',
    parameters: {
      type: 'object',
      properties: {
        intent: { type: 'string', enum: [...BANKING77_LABELS], description: 'the intent label' },
      },
      required: ['intent'],
      additionalProperties: false,
    },
  },
};

function readIntent(call: ChatToolCall): { intent?: string; error?: string } {
  if (call.function.name !== BANKING77_TOOL_NAME) {
    return { error: `unknown tool "${call.function.name}"; call ${BANKING77_TOOL_NAME}` };
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || '{}');
  } catch {
    return { error: 'arguments are not valid JSON' };
  }
  const intent = (args as { intent?: unknown } | null)?.intent;
  if (typeof intent !== 'string' || intent.trim().length === 0)
    return { error: 'missing string argument "intent"' };
  return { intent };
}

/** Builds the environment for one example. `index` is `seed % size`. */
export function createBanking77Environment(options: {
  example: Banking77Example;
  index: number;
  split: string;
}): Environment {
  const { example, index, split } = options;
  const instanceId = `banking77::${split}::${index}`;
  const observation: Observation = {
    text: `Customer query: ${example.text}\n\nClassify the intent of this query by calling ${BANKING77_TOOL_NAME}.`,
    data: { query: example.text, index, split, available_intents: [...BANKING77_LABELS] },
  };
  let steps = 0;
  let reward = 0;
  let predicted: string | null = null;
  let done = false;

  return {
    tools: [BANKING77_TOOL],
    instanceId,
    reset() {
      steps = 0;
      reward = 0;
      predicted = null;
      done = false;
      return observation;
    },
    step(call: ChatToolCall): StepResult {
      steps += 1;
      const { intent, error } = readIntent(call);
      if (done || intent === undefined) {
        const why = done ? 'the query is already classified' : (error ?? 'invalid call');
        return {
          observation,
          reward: 0,
          terminated: done,
          truncated: false,
          info: { error: why, valid: false },
          toolResult: `Error: ${why}.`,
        };
      }
      predicted = intent;
      const correct = intentsMatch(intent, example.label);
      reward = correct ? 1 : 0;
      done = true;
      const info: JsonObject = {
        predicted_intent: intent,
        expected_intent: example.label,
        correct,
        valid: true,
      };
      return {
        observation: {
          text: `Classified as ${intent}.`,
          data: { ...observation.data, predicted_intent: intent },
        },
        reward,
        terminated: true,
        truncated: false,
        info,
        toolResult: correct ? `Correct: ${intent}.` : `Incorrect: ${intent} (expected ${example.label}).`,
      };
    },
    summary() {
      return {
        total_reward: reward,
        achievements_count: reward > 0 ? 1 : 0,
        total_steps: steps,
        metadata: {
          env_id: instanceId,
          query: example.text,
          expected_intent: example.label,
          predicted_intent: predicted,
          correct: reward > 0,
        },
      };
    },
  };
}

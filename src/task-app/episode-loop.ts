/**
 * The inner loop of an environment rollout: `agent` ops ask the policy for tool calls, `env` ops apply
 * them to the environment, until the ops run out, the episode ends, the time budget is spent or the
 * request is aborted.
 * @module
 */
import type { Policy, PolicyContext, PolicyDecision, PolicyTurn } from '../policies/types.ts';
import type { ChatToolCall, JsonObject } from '../tracing/types.ts';
import type { Environment, Observation } from './environment.ts';
import { TaskAppHttpError } from './http-error.ts';
import type { RolloutOp } from './ops.ts';
import type { RolloutStep } from './rollout-contract.ts';
import type { RolloutTraceRecorder } from './rollout-trace.ts';

/** What the loop needs. */
export interface EpisodeInput {
  environment: Environment;
  policy: Policy;
  ops: readonly RolloutOp[];
  seed: number;
  recorder: RolloutTraceRecorder | null;
  signal: AbortSignal;
  /** Epoch ms after which no further op starts. */
  deadline: number;
}

/** What the loop produced. */
export interface EpisodeOutput {
  steps: RolloutStep[];
  /** The last observation (after the last step, or after reset). */
  observation: Observation;
  totalReward: number;
  turns: number;
  opsExecuted: number;
  terminated: boolean;
  truncated: boolean;
  aborted: boolean;
  turnsWithoutToolCall: number;
}

/** The observation as a trajectory step shows it: text, data fields, and the frame when there is one. */
export function observationJson(observation: Observation): JsonObject {
  return {
    text: observation.text,
    ...observation.data,
    ...(observation.image ? { image: observation.image } : {}),
  };
}

function stateJson(observation: Observation): JsonObject {
  return { text: observation.text, data: observation.data };
}

async function decide(policy: Policy, context: PolicyContext): Promise<PolicyDecision> {
  try {
    return await policy.decide(context);
  } catch (cause) {
    if (cause instanceof TaskAppHttpError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TaskAppHttpError(502, 'policy_error', `policy "${policy.name}" failed: ${message}`, { cause });
  }
}

/** Runs the ops from an already reset environment showing `first`. */
export async function runEpisode(input: EpisodeInput, first: Observation): Promise<EpisodeOutput> {
  const { environment, policy, recorder } = input;
  const out: EpisodeOutput = {
    steps: [],
    observation: first,
    totalReward: 0,
    turns: 0,
    opsExecuted: 0,
    terminated: false,
    truncated: false,
    aborted: false,
    turnsWithoutToolCall: 0,
  };
  const history: PolicyTurn[] = [];
  let pending: ChatToolCall[] | null = null;

  for (const op of input.ops) {
    if (input.signal.aborted || Date.now() > input.deadline) {
      out.aborted = true;
      break;
    }
    out.opsExecuted += 1;
    if (op === 'agent') {
      recorder?.startTurn(out.turns);
      const decision = await decide(policy, {
        observation: out.observation,
        tools: environment.tools,
        history,
        turn: out.turns,
        seed: input.seed,
        signal: input.signal,
      });
      recorder?.recordDecision(decision, policy.name);
      pending = decision.toolCalls;
      out.turns += 1;
      continue;
    }
    // An env op with no decision pending has nothing to apply.
    if (pending === null) continue;
    if (pending.length === 0) out.turnsWithoutToolCall += 1;
    const calls = pending;
    pending = null;
    const results: string[] = [];
    let turnReward = 0;
    for (const call of calls) {
      const before = out.observation;
      const result = await environment.step(call);
      out.totalReward += result.reward;
      turnReward += result.reward;
      out.terminated = result.terminated;
      out.truncated = result.truncated;
      out.steps.push({
        obs: observationJson(before),
        tool_calls: [call as unknown as JsonObject],
        reward: result.reward,
        done: result.terminated || result.truncated,
        truncated: result.truncated,
        info: result.info,
      });
      recorder?.recordStep({
        stateBefore: stateJson(before),
        stateAfter: stateJson(result.observation),
        reward: result.reward,
        terminated: result.terminated,
        truncated: result.truncated,
        info: result.info,
        toolCallId: call.id,
        toolResult: result.toolResult,
      });
      results.push(result.toolResult);
      out.observation = result.observation;
      if (out.terminated || out.truncated) break;
    }
    history.push({ toolCalls: calls, toolResult: results.join('\n'), reward: turnReward });
    if (out.terminated || out.truncated) break;
  }
  return out;
}

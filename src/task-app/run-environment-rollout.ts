/**
 * The rollout loop for environment apps: build the policy, reset the environment, run the ops
 * (`agent` asks the policy, `env` applies its tool calls), and answer with trajectories, metrics and,
 * when tracing is on, the session trace.
 * @module
 */
import type { Policy, PolicyDecision, PolicyTurn } from '../policies/types.ts';
import type { TraceStore } from '../tracing/store.ts';
import type { ChatToolCall, JsonObject, SessionTrace } from '../tracing/types.ts';
import type { EnvironmentTaskAppDefinition, TaskApp } from './define.ts';
import type { Environment, Observation } from './environment.ts';
import { TaskAppHttpError } from './http-error.ts';
import { readPositiveInt, resolveOps } from './ops.ts';
import type { PolicyResolver } from './policy-resolver.ts';
import type { RolloutRequest, RolloutResponse, RolloutStep } from './rollout-contract.ts';
import { resolveSeed, resolveSplit } from './rollout-seed.ts';
import { compactTrace, RolloutTraceRecorder } from './rollout-trace.ts';

/** How the server runs one rollout. */
export interface RolloutRunOptions {
  resolvePolicy: PolicyResolver;
  /** Record a trace even when the request does not ask for one (`TASKAPP_TRACING_ENABLED=1`). */
  tracing: boolean;
  signal: AbortSignal;
  /** Where traced sessions are written (whole, when the rollout ends). */
  traceStore?: TraceStore | null;
  /** Called with the full trace of each traced rollout. */
  onTrace?: (trace: SessionTrace) => void | Promise<void>;
}

type EnvironmentApp = TaskApp & EnvironmentTaskAppDefinition;

function observationJson(observation: Observation): JsonObject {
  return {
    text: observation.text,
    ...observation.data,
    ...(observation.image ? { image: observation.image } : {}),
  };
}

function stateJson(observation: Observation): JsonObject {
  return { text: observation.text, data: observation.data };
}

async function decide(policy: Policy, context: Parameters<Policy['decide']>[0]): Promise<PolicyDecision> {
  try {
    return await policy.decide(context);
  } catch (cause) {
    if (cause instanceof TaskAppHttpError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TaskAppHttpError(502, 'policy_error', `policy "${policy.name}" failed: ${message}`, { cause });
  }
}

async function closeQuietly(environment: Environment): Promise<void> {
  try {
    await environment.close?.();
  } catch {
    // Closing is best effort: the rollout's answer is already decided.
  }
}

/** Runs one rollout of an environment app. Throws `TaskAppHttpError` for requests it refuses. */
export async function runEnvironmentRollout(
  app: EnvironmentApp,
  request: RolloutRequest,
  options: RolloutRunOptions,
): Promise<RolloutResponse> {
  const started = Date.now();
  const seed = resolveSeed(request);
  const split = resolveSplit(request, app.defaultSplit ?? 'train');
  const envConfig = request.env.config as JsonObject;
  const policyConfig = request.policy.config as JsonObject;
  const maxSteps =
    readPositiveInt(
      [
        ['env.config', envConfig],
        ['policy.config', policyConfig],
      ],
      ['max_steps_per_episode', 'max_turns', 'max_llm_calls'],
    ) ??
    app.defaultMaxSteps ??
    20;
  const ops = resolveOps(request.ops, maxSteps, request.safety.max_ops);
  const policy = await options.resolvePolicy({
    app,
    policyName: request.policy.policy_name,
    config: policyConfig,
    seed,
  });
  const environment = await app.environment({ seed, split, config: envConfig });
  try {
    const envId = environment.instanceId ?? `${app.id}::${split}::${seed}`;
    const model = typeof policyConfig.model === 'string' ? policyConfig.model : null;
    const tracing = options.tracing || request.record.return_trace;
    const recorder = tracing
      ? new RolloutTraceRecorder({
          systemInstanceId: app.id,
          store: options.traceStore,
          metadata: {
            task_id: app.id,
            task_app_id: app.id,
            env_name: request.env.env_name ?? app.id,
            env_id: envId,
            task_split: split,
            seed,
            run_id: request.run_id,
            policy_name: request.policy.policy_name ?? policy.name,
            model,
          },
        })
      : null;

    let observation = await environment.reset();
    const steps: RolloutStep[] = [];
    const history: PolicyTurn[] = [];
    let pending: ChatToolCall[] | null = null;
    let totalReward = 0;
    let turn = 0;
    let opsExecuted = 0;
    let terminated = false;
    let truncated = false;
    let aborted = false;
    let turnsWithoutToolCall = 0;
    const deadline = started + request.safety.max_time_s * 1000;

    for (const op of ops) {
      if (options.signal.aborted || Date.now() > deadline) {
        aborted = true;
        break;
      }
      opsExecuted += 1;
      if (op === 'agent') {
        recorder?.startTurn(turn);
        const decision = await decide(policy, {
          observation,
          tools: environment.tools,
          history,
          turn,
          seed,
          signal: options.signal,
        });
        recorder?.recordDecision(decision, policy.name);
        pending = decision.toolCalls;
        turn += 1;
        continue;
      }
      if (pending === null) continue;
      if (pending.length === 0) turnsWithoutToolCall += 1;
      const calls = pending;
      pending = null;
      const results: string[] = [];
      let turnReward = 0;
      for (const call of calls) {
        const before = observation;
        const result = await environment.step(call);
        totalReward += result.reward;
        turnReward += result.reward;
        terminated = result.terminated;
        truncated = result.truncated;
        steps.push({
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
        observation = result.observation;
        if (terminated || truncated) break;
      }
      history.push({ toolCalls: calls, toolResult: results.join('\n'), reward: turnReward });
      if (terminated || truncated) break;
    }

    const summary = environment.summary();
    const scores = (await app.score?.({
      seed,
      split,
      steps,
      finalObservation: observation,
      totalReward,
      summary,
      terminated,
      truncated,
    })) ?? {
      outcome_score: totalReward,
      events_score: totalReward,
    };
    const details: JsonObject = {
      seed,
      split,
      env_id: envId,
      terminated,
      truncated,
      turns: turn,
      max_steps: maxSteps,
      // Each rollout is one episode: it ends at the first done, whatever on_done says.
      on_done: request.on_done,
      turns_without_tool_call: turnsWithoutToolCall,
      elapsed_ms: Date.now() - started,
      ...(scores.details ?? {}),
    };
    let trace: JsonObject | undefined;
    if (recorder) {
      const full = await recorder.finish(
        {
          total_reward: totalReward,
          achievements_count: summary.achievements_count,
          total_steps: summary.total_steps,
          reward_metadata: { ...summary.metadata, outcome_score: scores.outcome_score ?? null },
        },
        { official_score: scores.outcome_score ?? totalReward },
      );
      await options.onTrace?.(full);
      trace =
        request.record.trace_format === 'compact' ? compactTrace(full) : (full as unknown as JsonObject);
    }
    return {
      run_id: request.run_id,
      trajectories: [
        {
          env_id: envId,
          policy_id: request.policy.policy_id ?? policy.name,
          steps: request.record.trajectories ? steps : [],
          final: { observation: observationJson(observation), summary: summary as unknown as JsonObject },
          length: steps.length,
        },
      ],
      branches: {},
      metrics: {
        episode_returns: [totalReward],
        mean_return: totalReward,
        num_steps: steps.length,
        num_episodes: 1,
        outcome_score: scores.outcome_score ?? null,
        events_score: scores.events_score ?? null,
        details,
      },
      aborted,
      ops_executed: opsExecuted,
      ...(trace ? { trace } : {}),
    };
  } finally {
    await closeQuietly(environment);
  }
}

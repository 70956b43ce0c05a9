/**
 * The rollout of an environment app: read the request (seed, split, turn limit, ops), build the policy
 * and the environment, run the episode, score it, and answer with trajectories, metrics and, when
 * tracing is on, the session trace.
 * @module
 */
import type { TraceStore } from '../tracing/store.ts';
import type { JsonObject, SessionTrace } from '../tracing/types.ts';
import type { EnvironmentTaskAppDefinition, TaskApp } from './define.ts';
import type { Environment } from './environment.ts';
import { observationJson, runEpisode } from './episode-loop.ts';
import { readPositiveInt, resolveOps } from './ops.ts';
import type { PolicyResolver } from './policy-resolver.ts';
import type { RolloutRequest, RolloutResponse } from './rollout-contract.ts';
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
  const sources = [['env.config', envConfig] as const, ['policy.config', policyConfig] as const];
  // The turn limit (synth-ai: 20 when unset); `max_steps` is left to the environment (Crafter's step limit).
  const maxTurns =
    readPositiveInt(sources, ['max_steps_per_episode', 'max_turns', 'max_llm_calls']) ??
    app.defaultMaxSteps ??
    20;
  const ops = resolveOps(request.ops, maxTurns, request.safety.max_ops);
  const policyName = request.policy.policy_name;
  const policy = await options.resolvePolicy({ app, policyName, config: policyConfig, seed });
  const environment = await app.environment({ seed, split, config: envConfig });
  try {
    const envId = environment.instanceId ?? `${app.id}::${split}::${seed}`;
    const recorder =
      options.tracing || request.record.return_trace
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
              policy_name: policyName ?? policy.name,
              model: typeof policyConfig.model === 'string' ? policyConfig.model : null,
              // Judges find the app's rubric by this key (synth-ai's eval writes it too).
              task_rubric_id: app.rubrics?.outcome?.id ?? app.rubrics?.events?.id ?? null,
            },
          })
        : null;
    const episode = await runEpisode(
      {
        environment,
        policy,
        ops,
        seed,
        recorder,
        signal: options.signal,
        deadline: started + request.safety.max_time_s * 1000,
      },
      await environment.reset(),
    );
    const { steps, observation, totalReward, terminated, truncated } = episode;
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
    })) ?? { outcome_score: totalReward, events_score: totalReward };
    const details: JsonObject = {
      seed,
      split,
      env_id: envId,
      terminated,
      truncated,
      turns: episode.turns,
      max_turns: maxTurns,
      // Each rollout is one episode: it ends at the first done, whatever on_done says.
      on_done: request.on_done,
      turns_without_tool_call: episode.turnsWithoutToolCall,
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
      aborted: episode.aborted,
      ops_executed: episode.opsExecuted,
      ...(trace ? { trace } : {}),
    };
  } finally {
    await closeQuietly(environment);
  }
}

import { withDeadline } from '../deadline.ts';
import type { ChatModel } from '../inference/types.ts';
import type { JsonObject, SessionTrace } from '../tracing/types.ts';
import { contentHash } from './hash.ts';
import type { Judge, JudgmentEstimate, PreparedJudgment } from './judge-types.ts';
import { eventMessages, outcomeMessages, rubricText } from './prompt.ts';
import { estimateTokens, type RenderOptions, renderTrace } from './render-trace.ts';
import { rubricForInstance } from './rubric-parse.ts';
import { aggregateSection, type JudgeCriterionScore } from './rubric-score.ts';
import type { JudgeRubric, RubricSection } from './rubric-types.ts';
import { type StructuredMode, structuredCall } from './structured-call.ts';
import { abstainVerdict, errorVerdict, type Verdict } from './verdict.ts';
import {
  eventJsonSchema,
  eventVerdictSchema,
  outcomeJsonSchema,
  outcomeVerdictSchema,
} from './verdict-schema.ts';

/** Bumped when prompts change, so cached verdicts from older prompts are not reused. */
export const JUDGE_PROMPT_VERSION = 'judge-prompt@1';

/** Settings of an LLM judge. */
export interface LlmJudgeOptions {
  /** Key under `judge_metadata`. @default "llm" */
  name?: string;
  model: ChatModel;
  structuredOutput?: StructuredMode;
  /** Grade the whole episode once. @default true */
  outcome?: boolean;
  /** Grade steps, `eventBatchSize` per call. @default false, 8 */
  event?: boolean;
  eventBatchSize?: number;
  /** k outcome samples; the score is their mean and their spread is kept as confidence. @default 1 */
  samples?: number;
  temperature?: number;
  /** Output token cap per call. @default 1024 */
  maxTokens?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  /** Wall-clock deadline of one whole judgment: past it the judge abstains. */
  deadlineMs?: number;
  render?: RenderOptions;
  /** USD per 1M tokens, for estimates and the spend cap. */
  price?: { input: number; output: number } | null;
}

const PROMPT_OVERHEAD_TOKENS = 350;

function scoresFrom(
  criteria: { id: string; score: number; reason: string }[],
): Record<string, JudgeCriterionScore> {
  return Object.fromEntries(criteria.map((c) => [c.id, { score: c.score, reason: c.reason }]));
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * An LLM judge: renders the episode compactly, fences it, and asks for a structured verdict per rubric
 * criterion (outcome once, events in batches of steps, or both). Any call that still fails after its
 * retries turns the whole judgment into an `error` verdict; past the deadline it abstains. No partial scores.
 */
export function createLlmJudge(options: LlmJudgeOptions): Judge {
  const name = options.name ?? 'llm';
  const mode = options.structuredOutput ?? (options.model.provider === 'anthropic' ? 'tool' : 'json_schema');
  const doOutcome = options.outcome ?? true;
  const doEvent = options.event ?? false;
  const batch = Math.max(1, options.eventBatchSize ?? 8);
  const samples = Math.max(1, options.samples ?? 1);
  const maxTokens = options.maxTokens ?? 1024;
  const fingerprint: JsonObject = {
    prompt: JUDGE_PROMPT_VERSION,
    provider: options.model.provider,
    model: options.model.model,
    mode,
    outcome: doOutcome,
    event: doEvent,
    batch,
    samples,
    temperature: options.temperature ?? null,
    maxTokens,
  };
  return {
    name,
    kind: 'llm',
    description: `${options.model.provider}:${options.model.model}`,
    prepare(trace: SessionTrace, baseRubric: JudgeRubric): PreparedJudgment {
      const rubric = rubricForInstance(baseRubric, trace.metadata ?? {});
      const outcomeSection = rubric.outcome ?? rubric.event;
      const eventSection = rubric.event ?? rubric.outcome;
      const rendered = renderTrace(trace, options.render);
      const context = rendered.text.split('\n\n', 1)[0] ?? '';
      const batches: number[][] = [];
      if (doEvent) {
        for (let i = 0; i < rendered.stepTexts.length; i += batch) {
          batches.push(rendered.stepTexts.slice(i, i + batch).map((_, j) => i + j));
        }
      }
      const estimate = estimateJudgment(
        rubric,
        outcomeSection,
        eventSection,
        rendered.tokens,
        rendered.stepTexts,
        context,
      );
      let cacheKey: string | undefined;
      return {
        // Hashed on first read: eval grades without a cache and never asks for it.
        get cacheKey() {
          cacheKey ??= contentHash({
            rubric: rubric.version,
            judge: fingerprint,
            trace: rendered.text,
            images: rendered.images,
          });
          return cacheKey;
        },
        estimate,
        run: (outer) =>
          withDeadline(
            outer,
            options.deadlineMs || undefined,
            (signal) =>
              runJudgment(rubric, outcomeSection, eventSection, rendered, context, batches, outer, signal),
            () => new DOMException('the judgment deadline passed', 'TimeoutError'),
          ),
      };
    },
  };

  function estimateJudgment(
    rubric: JudgeRubric,
    outcomeSection: RubricSection | null,
    eventSection: RubricSection | null,
    traceTokens: number,
    stepTexts: readonly string[],
    context: string,
  ): JudgmentEstimate {
    let calls = 0;
    let input = 0;
    let output = 0;
    if (doOutcome && outcomeSection) {
      calls += samples;
      input +=
        samples * (traceTokens + estimateTokens(rubricText(rubric, outcomeSection)) + PROMPT_OVERHEAD_TOKENS);
      output += samples * (80 + 50 * outcomeSection.criteria.length);
    }
    if (doEvent && eventSection) {
      const n = Math.ceil(stepTexts.length / batch);
      calls += n;
      const rubricTok =
        estimateTokens(rubricText(rubric, eventSection)) + PROMPT_OVERHEAD_TOKENS + estimateTokens(context);
      input += n * rubricTok + stepTexts.reduce((s, t) => s + estimateTokens(t), 0);
      output += stepTexts.length * (10 + 40 * eventSection.criteria.length);
    }
    const p = options.price;
    const maxOut = calls * maxTokens;
    return {
      calls,
      inputTokens: input,
      outputTokens: output,
      maxOutputTokens: maxOut,
      costUsd: p ? (input * p.input + output * p.output) / 1e6 : null,
      maxCostUsd: p ? (input * 1.25 * p.input + maxOut * p.output) / 1e6 : null,
    };
  }

  async function runJudgment(
    rubric: JudgeRubric,
    outcomeSection: RubricSection | null,
    eventSection: RubricSection | null,
    rendered: ReturnType<typeof renderTrace>,
    context: string,
    batches: number[][],
    outer: AbortSignal | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Verdict> {
    const spent = { cost: null as number | null, input: 0, output: 0, calls: 0 };
    const meta = (): JsonObject => ({
      judge: name,
      provider: options.model.provider,
      model: options.model.model,
      rubric_id: rubric.id,
      rubric_version: rubric.version,
      cost_usd: spent.cost,
      input_tokens: spent.input,
      output_tokens: spent.output,
      calls: spent.calls,
      condensed: rendered.condensed,
    });
    const common = {
      mode,
      maxRetries: options.maxRetries,
      baseDelayMs: options.baseDelayMs,
      temperature: options.temperature,
      maxTokens,
      signal,
    };
    const fail = (r: { reason: string; aborted: boolean }) =>
      r.aborted && !outer?.aborted
        ? abstainVerdict(`timed out after ${options.deadlineMs} ms (judgment deadline)`, meta())
        : r.aborted
          ? abstainVerdict('cancelled', meta())
          : errorVerdict(r.reason, meta());
    const account = (r: {
      costUsd: number | null;
      inputTokens: number;
      outputTokens: number;
      attempts: number;
    }) => {
      if (r.costUsd !== null) spent.cost = (spent.cost ?? 0) + r.costUsd;
      spent.input += r.inputTokens;
      spent.output += r.outputTokens;
      spent.calls += r.attempts;
    };
    let outcome: number | null = null;
    let criteria: Record<string, JudgeCriterionScore> = {};
    let reasoning = '';
    const extra: JsonObject = {};
    if (doOutcome && outcomeSection) {
      const sampleScores: number[] = [];
      for (let k = 0; k < samples; k += 1) {
        const r = await structuredCall(
          options.model,
          outcomeMessages(rubric, outcomeSection, rendered),
          outcomeJsonSchema(outcomeSection),
          outcomeVerdictSchema(outcomeSection),
          common,
        );
        account(r);
        if (!r.ok) return fail(r);
        const scores = scoresFrom(r.value.criteria);
        const s = aggregateSection(outcomeSection, scores, r.value.overall_score);
        if (s === null) return errorVerdict('rubric aggregation gave no score', meta());
        sampleScores.push(s);
        if (k === 0) {
          criteria = scores;
          reasoning = r.value.reasoning;
        }
      }
      outcome = mean(sampleScores);
      if (samples > 1) {
        const sd = Math.sqrt(mean(sampleScores.map((x) => (x - (outcome as number)) ** 2)));
        Object.assign(extra, {
          samples,
          sample_scores: sampleScores,
          score_stddev: sd,
          confidence: Math.max(0, 1 - 2 * sd),
        });
      }
    }
    let event: number | null = null;
    if (doEvent && eventSection && batches.length) {
      const stepScores: number[] = [];
      for (const idx of batches) {
        const msgs = eventMessages(
          rubric,
          eventSection,
          context,
          idx.map((i) => rendered.stepTexts[i] as string),
          idx,
        );
        const r = await structuredCall(
          options.model,
          msgs,
          eventJsonSchema(eventSection),
          eventVerdictSchema(eventSection, idx),
          common,
        );
        account(r);
        if (!r.ok) return fail(r);
        for (const step of [...r.value.steps].sort((a, b) => a.step - b.step)) {
          const s = aggregateSection(eventSection, scoresFrom(step.criteria));
          // A custom aggregation has no per-step formula: that is an error, never a made-up 0.
          if (s === null)
            return errorVerdict('event rubric aggregation "custom" gives no step score', meta());
          stepScores.push(s);
        }
      }
      event = mean(stepScores);
      extra.event_step_scores = stepScores;
    }
    const primary = outcome ?? event;
    if (primary === null)
      return errorVerdict('nothing to grade: the rubric has no criteria for the judging asked for', meta());
    return {
      status: 'ok',
      scores: { primary, outcome, event, criteria },
      reasoning: reasoning || `event judging over ${batches.length} batch(es)`,
      metadata: { ...meta(), ...extra },
    };
  }
}

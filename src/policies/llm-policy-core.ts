/**
 * The generic LLM policy: system prompt + observation (+ image) + a short tool-call history, one chat
 * call with the environment's tools, and repair of invalid tool calls. An invalid call (unknown tool,
 * bad JSON, arguments outside the schema, no call) is answered with a corrective message and retried up
 * to `maxRepairs` times; after that the policy falls back to a call the environment will reject and
 * report, so a confused model never crashes a rollout. Provider failures (bad key, retries exhausted)
 * do throw, as `LlmPolicyError` carrying the records of the calls made.
 * @module
 */
import { SynthError } from '../errors.ts';
import type { ChatModelOptions } from '../inference/chat-model.ts';
import { sharedChatModel } from '../inference/chat-model-cache.ts';
import { isOpenAIReasoningModel } from '../inference/openai-chat.ts';
import type { ChatModel, ChatRequest, ToolChoice } from '../inference/types.ts';
import type { ChatMessage, ChatToolCall, ContentPart, JsonObject, LLMCallRecord } from '../tracing/types.ts';
import { renderToolHistory } from './llm-history.ts';
import { checkToolCalls } from './llm-tool-check.ts';
import type { Policy, PolicyContext, PolicyDecision } from './types.ts';

/** Settings of `createLlmPolicy`. */
export interface LlmPolicySettings {
  /** @default "llm" */
  name?: string;
  /** A built model, or options to build one (shared per provider, model, URL and key: `sharedChatModel`). */
  model: ChatModel | ChatModelOptions;
  systemPrompt: string | ((context: PolicyContext) => string);
  /** The user turn's text before the history. @default the observation text */
  renderObservation?: (context: PolicyContext) => string;
  /** Appended after the history, e.g. "Choose your next actions." */
  turnInstruction?: string | ((context: PolicyContext) => string);
  /** @default 'required' */
  toolChoice?: ToolChoice;
  /** Earlier tool calls shown to the model. @default 3 */
  historyLength?: number;
  /** Corrective retries after an invalid tool call. @default 2 */
  maxRepairs?: number;
  /** Arguments of the fallback call when the model never made a valid one. @default {} */
  fallbackArguments?: JsonObject | ((context: PolicyContext) => JsonObject);
  /** Send the observation's image when it has one: true, false, or 'auto' (by model name). @default 'auto' */
  includeImage?: boolean | 'auto';
  /** Sampling and limits for every call (temperature, maxTokens...). */
  request?: Partial<Omit<ChatRequest, 'messages' | 'tools' | 'toolChoice' | 'signal'>>;
}

/** A policy decision failed because the provider did; `llmCalls` holds every call of this turn. */
export class LlmPolicyError extends SynthError {
  readonly llmCalls: LLMCallRecord[];
  constructor(cause: unknown, llmCalls: LLMCallRecord[]) {
    const base = SynthError.isInstance(cause) ? cause : undefined;
    super(base?.message ?? String(cause), { hint: base?.hint, cause });
    this.name = 'LlmPolicyError';
    this.llmCalls = llmCalls;
  }
}

const VISION = /gpt-4o|gpt-4\.1|gpt-5|o3|o4|claude|vision|-vl|llava|llama-4|gemma-3|pixtral/i;

function isChatModel(value: ChatModel | ChatModelOptions): value is ChatModel {
  return typeof (value as ChatModel).complete === 'function';
}

/** Builds the user turn: observation, history, instruction, and the image when asked for. */
function userMessage(settings: LlmPolicySettings, model: ChatModel, ctx: PolicyContext): ChatMessage {
  const parts = [settings.renderObservation ? settings.renderObservation(ctx) : ctx.observation.text];
  const history = renderToolHistory(ctx.history, settings.historyLength ?? 3);
  if (history) parts.push(history);
  const instruction =
    typeof settings.turnInstruction === 'function' ? settings.turnInstruction(ctx) : settings.turnInstruction;
  if (instruction) parts.push(instruction);
  const text = parts.join('\n\n');
  const wantImage = settings.includeImage ?? 'auto';
  const image = ctx.observation.image;
  if (image && (wantImage === true || (wantImage === 'auto' && VISION.test(model.model)))) {
    const content: ContentPart[] = [
      { type: 'text', text },
      { type: 'image_url', image_url: { url: image, detail: 'low' } },
    ];
    return { role: 'user', content };
  }
  return { role: 'user', content: text };
}

function fallbackCall(settings: LlmPolicySettings, ctx: PolicyContext, choice: ToolChoice): ChatToolCall {
  const name = typeof choice === 'object' ? choice.name : (ctx.tools[0]?.function.name ?? 'noop');
  const args =
    typeof settings.fallbackArguments === 'function'
      ? settings.fallbackArguments(ctx)
      : (settings.fallbackArguments ?? {});
  return {
    id: `fallback_${ctx.turn}`,
    type: 'function',
    function: { name, arguments: JSON.stringify(args) },
  };
}

/**
 * Builds an LLM policy over an environment's tools.
 * @example
 * const policy = createLlmPolicyFromSettings({ model: { model: 'gpt-4o-mini' }, systemPrompt: 'Play well.' });
 */
export function createLlmPolicyFromSettings(settings: LlmPolicySettings): Policy {
  // Policies are built per rollout; the model (SDK client, connections, limiter) is built once per process.
  const model = isChatModel(settings.model) ? settings.model : sharedChatModel(settings.model);
  const toolChoice = settings.toolChoice ?? 'required';
  const maxRepairs = settings.maxRepairs ?? 2;
  const defaults: LlmPolicySettings['request'] = {
    ...(isOpenAIReasoningModel(model.model) ? { maxCompletionTokens: 4096 } : { maxTokens: 512 }),
    ...settings.request,
  };

  return {
    name: settings.name ?? 'llm',
    async decide(ctx: PolicyContext): Promise<PolicyDecision> {
      const system =
        typeof settings.systemPrompt === 'function' ? settings.systemPrompt(ctx) : settings.systemPrompt;
      const messages: ChatMessage[] = [
        { role: 'system', content: system },
        userMessage(settings, model, ctx),
      ];
      const llmCalls: LLMCallRecord[] = [];
      for (let attempt = 0; ; attempt++) {
        let result: Awaited<ReturnType<ChatModel['complete']>>;
        try {
          result = await model.complete({
            ...defaults,
            messages: [...messages],
            tools: ctx.tools,
            toolChoice,
            parallelToolCalls: false,
            signal: ctx.signal,
            metadata: { turn: ctx.turn, seed: ctx.seed, repair_attempt: attempt },
          });
        } catch (error) {
          const record = (error as { record?: LLMCallRecord }).record;
          if (record) llmCalls.push(record);
          throw new LlmPolicyError(error, llmCalls);
        }
        llmCalls.push(result.record);
        messages.push(result.message);
        const problem = checkToolCalls(result.toolCalls, ctx.tools, toolChoice);
        if (!problem) return { messages, toolCalls: result.toolCalls, llmCalls };
        result.record.metadata.tool_call_problem = problem;
        if (attempt >= maxRepairs) {
          // Out of repairs: a call the model did make goes to the environment, which rejects and
          // reports it; with no call at all, a marked fallback call stands in for it.
          result.record.metadata.policy_fallback = true;
          if (result.toolCalls.length) return { messages, toolCalls: result.toolCalls, llmCalls };
          const call = fallbackCall(settings, ctx, toolChoice);
          messages.push({ role: 'assistant', content: null, tool_calls: [call], name: 'policy_fallback' });
          return { messages, toolCalls: [call], llmCalls };
        }
        const correction = `Error: ${problem}. Call the tool again with valid arguments.`;
        if (result.toolCalls.length) {
          // Every tool call needs an answer before the conversation may continue.
          for (const call of result.toolCalls)
            messages.push({ role: 'tool', tool_call_id: call.id, content: correction });
        } else {
          messages.push({ role: 'user', content: correction });
        }
      }
    },
  };
}

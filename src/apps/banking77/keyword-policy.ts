/**
 * `keyword`: an offline Banking77 policy. It scores each intent by the IDF-weighted overlap between the
 * query's words and the words of that intent's built-in training queries and label, and calls the tool
 * with the best one. No LLM, no network, deterministic.
 * @module
 */
import type { Policy, PolicyDecision } from '../../policies/types.ts';
import { builtinSplit } from './dataset.ts';
import { BANKING77_TOOL_NAME } from './environment.ts';
import { BANKING77_LABELS } from './labels.ts';
import { BANKING77_SYSTEM_PROMPT } from './prompt.ts';

const STOPWORDS = new Set(
  'a an the i my me is it to of for and or in on at be do does did can how what why when where with this that you your was were are am have has not no so if any from by as get got will would please there'.split(
    ' ',
  ),
);

/** Lowercase word tokens without stopwords; `top-up` and `top up` both give `top`, `up`. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word));
}

interface KeywordModel {
  bags: Array<{ label: string; words: Set<string> }>;
  idf: Map<string, number>;
}

let cached: KeywordModel | null = null;

function model(): KeywordModel {
  if (cached) return cached;
  const words = new Map<string, Set<string>>();
  for (const label of BANKING77_LABELS) words.set(label, new Set(tokenize(label.replace(/_/g, ' '))));
  for (const example of builtinSplit('train')) {
    for (const word of tokenize(example.text)) words.get(example.label)?.add(word);
  }
  const documentFrequency = new Map<string, number>();
  for (const bag of words.values())
    for (const word of bag) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [word, df] of documentFrequency) idf.set(word, Math.log((BANKING77_LABELS.length + 1) / df));
  cached = { bags: [...words].map(([label, bag]) => ({ label, words: bag })), idf };
  return cached;
}

/** The intent the keyword model picks for a query (the first label wins a tie). */
export function classifyByKeywords(query: string): string {
  const { bags, idf } = model();
  const words = new Set(tokenize(query));
  let best = bags[0]!.label;
  let bestScore = -1;
  for (const bag of bags) {
    let score = 0;
    for (const word of words) if (bag.words.has(word)) score += idf.get(word) ?? 0;
    if (score > bestScore) {
      best = bag.label;
      bestScore = score;
    }
  }
  return best;
}

/** Builds the `keyword` policy. */
export function createKeywordPolicy(): Policy {
  let calls = 0;
  return {
    name: 'keyword',
    async decide(context): Promise<PolicyDecision> {
      const query =
        typeof context.observation.data.query === 'string'
          ? context.observation.data.query
          : context.observation.text;
      const intent = classifyByKeywords(query);
      calls += 1;
      const toolCall = {
        id: `call_keyword_${context.turn}_${calls}`,
        type: 'function' as const,
        function: { name: BANKING77_TOOL_NAME, arguments: JSON.stringify({ intent }) },
      };
      return {
        messages: [
          { role: 'system', content: BANKING77_SYSTEM_PROMPT },
          { role: 'user', content: context.observation.text },
          { role: 'assistant', content: null, tool_calls: [toolCall] },
        ],
        toolCalls: [toolCall],
        llmCalls: [],
      };
    },
  };
}

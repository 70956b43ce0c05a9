/**
 * The Banking77 prompt for the LLM policy: one forced `banking77_classify` call per query.
 * @module
 */

/** The system prompt. The valid labels are appended to the user turn from the tool's enum. */
export const BANKING77_LLM_SYSTEM_PROMPT =
  'You classify online-banking customer queries into exactly one of the 77 Banking77 intents. ' +
  'Read the query, pick the single label that best matches what the customer wants, and answer only by ' +
  'calling banking77_classify with {"intent": "<label>"}, spelling the label exactly as listed.';

/** The forced tool's name. */
export const BANKING77_CLASSIFY_TOOL_NAME = 'banking77_classify';

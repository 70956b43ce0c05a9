/** The Banking77 system prompt, shared by the LLM hints and the built-in policy's recorded messages. */
export const BANKING77_SYSTEM_PROMPT =
  'You are an expert banking assistant that classifies customer queries into one of 77 banking intents. ' +
  'Read the query and call the banking77_classify tool exactly once with the single best intent label.';

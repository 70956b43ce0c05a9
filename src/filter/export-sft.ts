/**
 * Chat SFT export: stream the selected sessions, build turn or conversation examples, hand them to the sink.
 * @module
 */
import type { SessionSelection, TraceStore } from '../tracing/store.ts';
import { buildExampleMetadata } from './example-metadata.ts';
import type { ExampleSink } from './example-sink.ts';
import {
  buildConversationExample,
  buildTurnExamples,
  type ExampleMode,
  readConversation,
} from './examples.ts';
import type { SessionReader } from './io-thread.ts';
import type { FilterCounts } from './manifest.ts';
import { MessagePieces } from './message-pieces.ts';
import type { PostFilter } from './post-filter.ts';
import type { ProvenanceCollector } from './provenance.ts';
import { readSessions, StoredJson } from './read-sessions.ts';
import { readSessionsThreaded } from './threaded-sessions.ts';
import { ToolsResolver } from './tools-resolver.ts';

/** Streams sessions into the sink; stops reading once the limit is reached. */
export async function exportSft(input: {
  store: TraceStore;
  selection: SessionSelection;
  mode: ExampleMode;
  postFilter: PostFilter;
  sink: ExampleSink;
  counts: FilterCounts;
  provenance: ProvenanceCollector;
  /** Reads the selected sessions on the I/O thread; without it, the store reads them on this thread. */
  reader?: SessionReader;
}): Promise<void> {
  const { sink, counts } = input;
  const pieces = new MessagePieces();
  const tools = new ToolsResolver(input.store);
  const stored = new StoredJson();
  const sessions = input.reader
    ? readSessionsThreaded(input.selection, input.reader)
    : readSessions(input.store, input.selection);
  for await (const session of sessions) {
    await sink.ready();
    counts.sessionsRead++;
    const conversation = readConversation(session, stored);
    if (!input.postFilter.accepts(conversation)) continue;
    input.provenance.add(session.judge_metadata);
    const built =
      input.mode === 'turn'
        ? buildTurnExamples(conversation)
        : [buildConversationExample(conversation)].filter((e) => e !== null);
    if (built.length === 0) continue;
    conversation.tools = await tools.resolve(session, conversation.tools);
    const metadata = sink.metadataJson(buildExampleMetadata(session));
    pieces.reset(conversation.json);
    const toolsPiece = conversation.tools ? pieces.piece(conversation.tools) : undefined;
    let used = false;
    for (const example of built) {
      const body = conversation.tools
        ? { messages: example.messages, tools: conversation.tools }
        : { messages: example.messages };
      if (
        sink.pushPieces(
          body,
          example.messages.map((m) => pieces.piece(m)),
          toolsPiece,
          metadata,
        )
      ) {
        used = true;
        counts.placeholderToolResults += example.placeholders;
      }
      if (sink.full) break;
    }
    if (used) counts.sessionsUsed++;
    if (sink.full) break;
  }
  counts.scrubbedSecrets += pieces.scrubbed;
}

import type { TimelineItem } from '../store/timeline.js';

/**
 * OpenAI Conversations / Responses items, the shapes a conversation there is seeded with
 * (`POST /v1/conversations` `items`, `POST /v1/conversations/{id}/items`). The mapping from the
 * store is the README's table ("Exporting").
 */
export interface OpenAIUrlCitation {
  type: 'url_citation';
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

export type OpenAIItem =
  | { type: 'message'; role: 'user'; content: { type: 'input_text'; text: string }[] }
  | { type: 'message'; role: 'assistant'; content: { type: 'output_text'; text: string; annotations: OpenAIUrlCitation[] }[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | {
      type: 'file_search_call';
      id: string;
      status: 'completed';
      queries: string[];
      results: { file_id: string; filename: string; score: number; text: string; attributes: Record<string, string> }[];
    };

/** What an export line holds: the session an item belongs to, and the item. */
export interface OpenAIExportLine {
  session_id: string;
  item: OpenAIItem;
}

function contentField(item: TimelineItem, keys: readonly string[]): unknown {
  const content = item.content;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return undefined;
  for (const key of keys) if ((content as Record<string, unknown>)[key] !== undefined) return (content as Record<string, unknown>)[key];
  return undefined;
}

/** OpenAI carries arguments and outputs as strings: a string is kept, anything else written as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A source with a url, as a citation spanning the whole answer (the store does not know where in it the source is used). */
function urlCitations(text: string, sources: readonly TimelineItem[]): OpenAIUrlCitation[] {
  return sources
    .filter((source) => source.url !== null)
    .map((source) => ({ type: 'url_citation', url: source.url!, title: source.title ?? source.url!, start_index: 0, end_index: text.length }));
}

/**
 * Store → OpenAI: the items one stored message becomes, from the message (all columns read) and its
 * sources in key order. A user message is an input message; an assistant's or a human agent's an
 * output message, its sources with a url as citations; a tool call a `function_call` and its
 * `function_call_output`, paired by the message id; a knowledge call a `file_search_call` with
 * its sources as results.
 */
export function openaiItemsFromStore(item: TimelineItem, sources: readonly TimelineItem[]): OpenAIItem[] {
  const text = item.text ?? '';
  const messageId = item.messageId ?? '';
  if (item.kind === 'TOOL_CALL') {
    return [
      { type: 'function_call', call_id: messageId, name: item.toolName ?? 'tool', arguments: asText(contentField(item, ['arguments', 'input', 'parameters']) ?? {}) },
      { type: 'function_call_output', call_id: messageId, output: asText(contentField(item, ['output', 'result']) ?? text) },
    ];
  }
  if (item.kind === 'KNOWLEDGE_CALL') {
    return [
      {
        type: 'file_search_call',
        id: `fs_${messageId}`,
        status: 'completed',
        queries: text ? [text] : [],
        results: sources.map((source) => ({
          file_id: source.url ?? `source_${source.sourceKey ?? ''}`,
          filename: source.title ?? source.url ?? `source ${source.sourceKey ?? ''}`,
          score: source.score ?? 0,
          text: source.text ?? '',
          attributes: { key: source.sourceKey ?? '' },
        })),
      },
    ];
  }
  if (item.role === 'user') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }];
  return [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text, annotations: urlCitations(text, sources) }] }];
}

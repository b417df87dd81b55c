// One timeline item. Everything in it came from whoever wrote the conversation: it is rendered as
// text (React escapes it), JSON is shown as printed text, and only http(s) URLs become links.
import type { ReactNode } from 'react';
import type { TimelineItemFragment } from '../gql/graphql.ts';
import { safeLink } from './client.ts';
import { formatConfidence, formatTime } from './format.ts';
import { itemHref } from './location.ts';

export type Item = TimelineItemFragment;

const roleNames: Record<string, string> = { USER: 'User', ASSISTANT: 'Assistant', HUMAN_AGENT: 'Human agent', TOOL: 'Tool', KNOWLEDGE: 'Knowledge' };

export function TimelineItem({ item, sessionId, onCite }: { item: Item; sessionId: string; onCite(position: number): void }) {
  const permalink = (
    <a className="permalink" href={itemHref(sessionId, item.position)} aria-label={`Link to item ${item.position}`} onClick={(event) => (event.preventDefault(), onCite(item.position))}>
      #{item.position}
    </a>
  );
  const time = <time dateTime={item.createdAt}>{formatTime(item.createdAt)}</time>;
  switch (item.__typename) {
    case 'ChatMessage': {
      const kind = item.role.toLowerCase().replace('_', '-');
      return (
        <article className={`item chat ${kind}`} aria-label={`${roleNames[item.role]} message, item ${item.position}`}>
          <header>
            <strong>{roleNames[item.role]}</strong>
            {item.identity && item.role === 'USER' && <span className="identity">{item.identity}</span>} {time} {permalink}
          </header>
          <p className="text">{withCitations(item.text, item.sources, sessionId, onCite)}</p>
          {item.confidence !== null && item.confidence !== undefined && <p className="confidence">Confidence {formatConfidence(item.confidence)}</p>}
        </article>
      );
    }
    case 'ToolCall': {
      const content = asRecord(item.content);
      return (
        <article className="item tool" aria-label={`Tool call, item ${item.position}`}>
          <header>
            <strong>Tool call</strong> <code>{item.toolName ?? (content?.name as string | undefined) ?? 'unnamed'}</code> {time} {permalink}
          </header>
          {content && 'arguments' in content && <Json label="Arguments" value={content.arguments} />}
          {content && 'output' in content && <Json label="Output" value={content.output} />}
          {(!content || !('arguments' in content || 'output' in content)) && <Json label="Content" value={item.content} />}
        </article>
      );
    }
    case 'KnowledgeCall': {
      const content = asRecord(item.content);
      const query = typeof content?.query === 'string' ? content.query : item.text;
      return (
        <article className="item knowledge" aria-label={`Knowledge call, item ${item.position}`}>
          <header>
            <strong>Knowledge call</strong> {time} {permalink}
          </header>
          <p>
            Query: <q>{query}</q>
          </p>
          <p className="note">Its results are the sources that follow.</p>
          <Json label="Content" value={item.content} />
        </article>
      );
    }
    case 'Source': {
      const href = safeLink(item.url);
      return (
        <article className="item source" aria-label={`Source ${item.key}, item ${item.position}`}>
          <header>
            <strong>Source [{item.key}]</strong> {item.title && <cite>{item.title}</cite>} {item.score !== null && item.score !== undefined && <span className="score">score {item.score.toFixed(2)}</span>} {permalink}
          </header>
          <p className="text">{item.text}</p>
          {item.url && (href ? (
            <a href={href} rel="noopener noreferrer nofollow" target="_blank">
              {item.url}
            </a>
          ) : (
            <p className="note">
              Link not opened (not an http or https address): <code>{item.url}</code>
            </p>
          ))}
        </article>
      );
    }
    default:
      return null;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <details>
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** The text with each "[n]" that names one of the message's sources turned into a link to that source. */
function withCitations(text: string, sources: { key: string; position: number }[] | undefined, sessionId: string, onCite: (position: number) => void): ReactNode[] {
  const byKey = new Map((sources ?? []).map((source) => [source.key, source.position]));
  return text.split(/(\[[^\]\s]{1,20}\])/).map((part, index) => {
    const position = /^\[(.+)\]$/.test(part) ? byKey.get(part.slice(1, -1)) : undefined;
    if (position === undefined) return part;
    return (
      <a key={index} className="citation" href={itemHref(sessionId, position)} aria-label={`Source ${part.slice(1, -1)}`} onClick={(event) => (event.preventDefault(), onCite(position))}>
        {part}
      </a>
    );
  });
}

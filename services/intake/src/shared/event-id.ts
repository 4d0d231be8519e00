import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from the event's content: republishing it is a no-op downstream. */
export function deterministicEventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

import { describe, expect, it } from 'vitest';
import {
  certificateChangeTypes,
  certificateEventTypes,
  isCertificateChange,
  isCertificateEvent,
} from './certificate-events.js';
import { eventCatalog, type PdxEvent, type PdxEventType, topics } from './event-catalog.js';

const eventOf = (type: PdxEventType) => ({ type }) as PdxEvent;

describe('certificate event types', () => {
  it('are the event types the catalog puts on the certificates topic', () => {
    const onTopic = Object.entries(eventCatalog)
      .filter(([, e]) => e.topic === topics.certificates)
      .map(([type]) => type);
    expect([...certificateEventTypes].sort()).toEqual(onTopic.sort());
  });

  it.each(
    Object.keys(eventCatalog).map((type) => ({
      type: type as PdxEventType,
      event: type.startsWith('org.pdx.certificate.'),
      change: type.startsWith('org.pdx.certificate.') && type !== 'org.pdx.certificate.expiring.v1',
    })),
  )('$type: certificate event $event, changes the record $change', ({ type, event, change }) => {
    expect(isCertificateEvent(eventOf(type))).toBe(event);
    expect(isCertificateChange(eventOf(type))).toBe(change);
  });

  it('lists each change type once, all of them certificate events', () => {
    expect(new Set(certificateChangeTypes).size).toBe(certificateChangeTypes.length);
    expect(certificateChangeTypes.length).toBe(certificateEventTypes.length - 1);
  });
});

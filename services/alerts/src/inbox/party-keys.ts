import { type EventOnTopic, type KeyState, keysAfter, keysAtRegistration } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

/** The keys and roles of a party, as this service authenticates and authorises callers with them. */
export interface PartyKeysDoc {
  id: string;
  keys: KeyState[];
  roles: string[];
}

export const partyKeysDocs = { name: 'party_keys', indexes: [] } as const;

type KeyEvent = EventOnTopic<'pdx.parties'>;

/** Applies a party event to its keys, idempotently (a repeat leaves them as they are). */
export async function applyKeyEvent(docs: Collection<PartyKeysDoc>, event: KeyEvent): Promise<void> {
  const current = await docs.get(event.subject);
  switch (event.type) {
    case 'org.pdx.party.registered.v1': {
      const { party, registeredAt } = event.data;
      if (!current) {
        await docs.put({
          id: party.partyId,
          keys: keysAtRegistration(party, registeredAt),
          roles: party.roles,
        });
      }
      return;
    }
    case 'org.pdx.party.key-added.v1':
      if (current) await docs.put({ ...current, keys: keysAfter(current.keys, { added: event.data }) });
      return;
    case 'org.pdx.party.key-revoked.v1':
      if (current) await docs.put({ ...current, keys: keysAfter(current.keys, { revoked: event.data }) });
      return;
  }
}

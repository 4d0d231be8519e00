import { signal } from '@preact/signals';
import { apiGet, type PartyView } from './api.js';
import { errorText } from './errors.js';
import { type Algorithm, importSigningKey, type KeyFile } from './keys.js';
import { TokenClient } from './tokens.js';

export type Role = 'buyer' | 'partner' | 'issuer' | 'operator';

export interface Session {
  partyId: string;
  /** The party record; undefined for an operator. */
  party: PartyView | undefined;
  roles: readonly Role[];
  tokens: TokenClient;
}

/** The signed-in person, or null. */
export const session = signal<Session | null>(null);
/** Why the last session ended, when it did not end by signing out. */
export const sessionEnded = signal<string | null>(null);

// "Remember me": the non-extractable CryptoKey itself, kept by IndexedDB (structured clone keeps
// it unreadable), with the party id, kid and algorithm. Removed on sign-out.
const DB = 'pdx-console';
const STORE = 'sign-in';
const ENTRY = 'key';

interface Remembered {
  partyId: string;
  kid: string;
  alg: Algorithm;
  key: CryptoKey;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>) {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Signs in with a party id and a key: gets a first access token, then reads the party. */
async function start(remembered: Remembered): Promise<Session> {
  const tokens = new TokenClient({
    clientId: remembered.partyId,
    kid: remembered.kid,
    alg: remembered.alg,
    key: remembered.key,
  });
  await tokens.token();
  tokens.onLost = (error) => {
    void signOut();
    sessionEnded.value = errorText(error);
  };
  // An operator (its access token says so) has no party record.
  if (tokens.principal()?.kind === 'operator') {
    return { partyId: remembered.partyId, party: undefined, roles: ['operator'], tokens };
  }
  try {
    const party = await apiGet(tokens, '/v1/parties/{partyId}', { path: { partyId: remembered.partyId } });
    return { partyId: remembered.partyId, party, roles: [...(party.roles ?? [])], tokens };
  } catch (error) {
    tokens.stop();
    throw error;
  }
}

export async function signIn(partyId: string, file: KeyFile, remember: boolean): Promise<void> {
  const key = await importSigningKey(file);
  const remembered: Remembered = { partyId, kid: file.kid, alg: file.alg, key };
  session.value = await start(remembered);
  sessionEnded.value = null;
  if (remember) await withStore('readwrite', (s) => s.put(remembered, ENTRY));
}

/** Signs in again with the key this browser remembers, if any; false when there is none. */
export async function restore(): Promise<boolean> {
  let remembered: Remembered | undefined;
  try {
    remembered = await withStore<Remembered | undefined>('readonly', (s) => s.get(ENTRY));
  } catch {
    return false;
  }
  if (!remembered) return false;
  try {
    session.value = await start(remembered);
    return true;
  } catch (error) {
    // A key revoked or a party gone: forget it and show why.
    await withStore('readwrite', (s) => s.delete(ENTRY)).catch(() => {});
    sessionEnded.value = errorText(error);
    return false;
  }
}

export async function signOut(): Promise<void> {
  session.value?.tokens.stop();
  session.value = null;
  await withStore('readwrite', (s) => s.delete(ENTRY)).catch(() => {});
}

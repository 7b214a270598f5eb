import { randomUUID } from 'node:crypto';
import { notFound } from '../../core/errors/index.js';
import { renderMulti } from '../../core/multi/index.js';
import type { ServiceDeps } from '../../core/service-deps.js';
import type { AuditEntry, MessageSource, SignAckRecord, SignDisplayState, SignMessage, SignRecord, SignStatePayload, SignView } from '../../core/contracts/signage.js';
import type { SignageConfig } from './config.js';
import { inScheduleWindow } from './schedule-window.js';

/** Who is asking (from the gateway's verified token) and from where. */
export interface Actor {
  role: string;
  sub?: string;
  ip?: string;
}

export type StateListener = (payload: SignStatePayload, sign: SignRecord) => void;

/** store collections and the audit log */
export const C = { signs: 'signs', messages: 'sign-messages', state: 'sign-state', acks: 'sign-acks', library: 'sign-library', approvals: 'sign-approvals' } as const;
export const AUDIT = 'audit';

/**
 * The signs as this process knows them: registry, candidate messages, displayed states and
 * acknowledgements, with the arbiter that picks what each sign shows. Every change goes through
 * `serial`, is written to the store before memory moves on, and is announced on the bus so other
 * processes sharing the store can read the sign back.
 */
export function createBoard(deps: Pick<ServiceDeps, 'store' | 'bus' | 'clock' | 'logger'>, cfg: SignageConfig) {
  const { store, bus, clock, logger } = deps;
  const signs = new Map<string, SignRecord>();
  const messages = new Map<string, Map<string, SignMessage>>();
  const states = new Map<string, SignDisplayState>();
  const acks = new Map<string, SignAckRecord>();
  const online = new Map<string, number>();
  const listeners = new Set<StateListener>();
  /** this process, so it can ignore its own bus notices */
  const origin = randomUUID();
  /** signs whose candidates changed since they were last announced */
  const dirty = new Set<string>();
  const announce = (signId: string) => void bus.publish('signage:state', { signId, version: states.get(signId)?.version ?? 0, origin }).catch(() => undefined);

  // one change at a time, so versions only grow and audit entries are in order
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  }

  const signOrThrow = (id: string) => {
    const s = signs.get(id);
    if (!s) throw notFound('sign', id);
    return s;
  };
  const fieldsNow = () => ({ now: clock.now(), timeZone: cfg.timeZone });
  const msgsOf = (id: string) => {
    let m = messages.get(id);
    if (!m) messages.set(id, (m = new Map()));
    return m;
  };
  const dark = (signId: string): SignDisplayState => ({ signId, version: 0, multi: '', changedAt: 0 });

  /**
   * Read one sign back from the store: another process sharing the store and the bus may have
   * created or changed it. Call inside serial (it replaces the sign's candidate list).
   */
  async function loadSign(id: string): Promise<SignRecord | undefined> {
    const rec = await store.get<SignRecord>(C.signs, id);
    if (!rec) return undefined;
    signs.set(id, rec);
    const st = await store.get<SignDisplayState>(C.state, id);
    if (st && st.version >= (states.get(id)?.version ?? -1)) states.set(id, st);
    const ack = await store.get<SignAckRecord>(C.acks, id);
    if (ack) acks.set(id, { version: ack.version, at: ack.at });
    const mine = (await store.list<SignMessage>(C.messages)).filter((m) => m.signId === id);
    messages.set(id, new Map(mine.map((m) => [m.id, m])));
    return rec;
  }
  /** the sign, fresh from the store (human paths are rare enough to pay one read) */
  async function freshSign(id: string): Promise<SignRecord> {
    const s = await loadSign(id);
    if (!s) throw notFound('sign', id);
    return s;
  }

  async function audit(actor: Actor, action: string, signId: string | undefined, before: unknown, after: unknown): Promise<void> {
    const entry: AuditEntry = { at: clock.now(), who: { role: actor.role, ...(actor.sub ? { sub: actor.sub } : {}) }, from: actor.ip, action, signId, before, after };
    await store.append(AUDIT, entry);
  }

  function payloadOf(sign: SignRecord, st: SignDisplayState): SignStatePayload {
    const pages = st.multi ? renderMulti(st.multi, sign.face, fieldsNow()).pages.length : 0;
    return { signId: sign.id, version: st.version, multi: st.multi, pages, expiresAt: st.expiresAt, face: sign.face, timeZone: cfg.timeZone };
  }

  const live = (m: SignMessage, now: number) => (m.expiresAt === undefined || m.expiresAt > now) && (!m.schedule || inScheduleWindow(m.schedule, now));

  /** Pick the message to show; persist and push a new version when it changed. Call inside serial. */
  async function arbitrate(signId: string): Promise<SignDisplayState> {
    const sign = signOrThrow(signId);
    const now = clock.now();
    const all = msgsOf(signId);
    for (const m of [...all.values()]) {
      if (m.expiresAt !== undefined && m.expiresAt <= now) {
        all.delete(m.id);
        dirty.add(signId);
        await store.delete(C.messages, m.id);
      }
    }
    let best: SignMessage | undefined;
    for (const m of all.values()) {
      if (!live(m, now)) continue;
      if (!best || m.priority > best.priority || (m.priority === best.priority && m.createdAt > best.createdAt)) best = m;
    }
    const before = states.get(signId) ?? dark(signId);
    const multi = best?.multi ?? '';
    if (multi === before.multi && best?.id === before.messageId && best?.expiresAt === before.expiresAt) {
      // the display stays, but other processes must still learn of new or removed candidates
      if (dirty.delete(signId)) announce(signId);
      return before;
    }
    const after: SignDisplayState = {
      signId,
      version: before.version + 1,
      multi,
      changedAt: now,
      ...(best ? { messageId: best.id, source: best.source, priority: best.priority, expiresAt: best.expiresAt } : {}),
    };
    await store.put(C.state, signId, after);
    states.set(signId, after);
    const payload = payloadOf(sign, after);
    for (const l of listeners) {
      try {
        l(payload, sign);
      } catch (e) {
        logger.error({ err: e }, 'sign state listener failed');
      }
    }
    dirty.delete(signId);
    announce(signId);
    return after;
  }

  /** arbitrate after a change nobody asked for by hand (bus, schedule, expiry), and audit it */
  async function arbitrateBySystem(signId: string, cause: string): Promise<void> {
    const before = states.get(signId) ?? dark(signId);
    const after = await arbitrate(signId);
    if (after.version !== before.version) {
      await audit({ role: 'system', sub: cause }, 'display.change', signId, { multi: before.multi, version: before.version }, { multi: after.multi, version: after.version, source: after.source });
    }
  }

  async function putMessage(m: SignMessage): Promise<void> {
    await store.put(C.messages, m.id, m);
    msgsOf(m.signId).set(m.id, m);
    dirty.add(m.signId);
  }

  async function dropKey(signId: string, key: string): Promise<boolean> {
    let dropped = false;
    for (const m of [...msgsOf(signId).values()]) {
      if (m.key !== key) continue;
      msgsOf(signId).delete(m.id);
      await store.delete(C.messages, m.id);
      dirty.add(signId);
      dropped = true;
    }
    return dropped;
  }

  /** Replace the machine message under `key` (or remove it when multi is undefined). Inside serial. */
  async function setMachine(signId: string, key: string, source: MessageSource, multi: string | undefined, priority: number, expiresAt: number | undefined): Promise<void> {
    const existing = [...msgsOf(signId).values()].find((m) => m.key === key);
    if (multi === undefined) {
      if (existing && (await dropKey(signId, key))) await arbitrateBySystem(signId, source);
      return;
    }
    // unchanged text and an expiry that is not yet half used: nothing to write
    if (existing && existing.multi === multi && existing.priority === priority && existing.expiresAt === expiresAt) return;
    if (existing) await dropKey(signId, key);
    await putMessage({ id: randomUUID(), signId, source, key, multi, priority, createdAt: clock.now(), createdBy: 'system', expiresAt });
    await arbitrateBySystem(signId, source);
  }

  function view(sign: SignRecord): SignView {
    const state = states.get(sign.id) ?? dark(sign.id);
    const lastAck = acks.get(sign.id);
    return {
      ...sign,
      state,
      lastAck,
      online: (online.get(sign.id) ?? 0) > 0,
      stale: (lastAck?.version ?? 0) < state.version,
      candidates: [...msgsOf(sign.id).values()].sort((a, b) => b.priority - a.priority),
    };
  }

  /** a notice from the bus: read the sign back when another process changed it */
  function onNotice(ev: { signId: string; version: number; origin?: string }): void {
    const theirs = ev.origin !== undefined && ev.origin !== origin;
    if (theirs || ev.version > (states.get(ev.signId)?.version ?? -1)) void serial(() => loadSign(ev.signId)).catch((e) => logger.error({ err: e }, 'signage sync failed'));
  }

  return {
    signs,
    messages,
    states,
    acks,
    online,
    listeners,
    serial,
    idle: () => chain,
    signOrThrow,
    fieldsNow,
    msgsOf,
    dark,
    loadSign,
    freshSign,
    audit,
    payloadOf,
    arbitrate,
    arbitrateBySystem,
    putMessage,
    dropKey,
    setMachine,
    view,
    onNotice,
  };
}

export type Board = ReturnType<typeof createBoard>;

import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { PNG } from 'pngjs';
import { UrbanflowError, notFound } from '../../core/errors/index.js';
import { ledFaceRgba, messageFrame, renderMulti, parseMulti } from '../../core/multi/index.js';
import type { ServiceDeps } from '../../core/service-deps.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';
import {
  libraryCreateSchema,
  messageSetSchema,
  signCreateSchema,
  type AuditEntry,
  type LibraryEntry,
  type MessageSetInput,
  type MessageSource,
  type PendingApproval,
  type SignAckRecord,
  type SignCreateInput,
  type SignDisplayState,
  type SignMessage,
  type SignRecord,
  type SignStatePayload,
  type SignView,
  type LibraryCreateInput,
} from '../../core/contracts/signage.js';
import { signageConfig, type SignageConfig } from './config.js';
import { checkBanned, checkMulti, createRateLimiter } from './policy.js';
import { signRecord } from './registry.js';
import { upstreamEdges } from './upstream.js';
import { congestionMessage, incidentMessage, travelTimeMessage } from './compose.js';
import { inScheduleWindow } from './schedule-window.js';

/** Who is asking (from the gateway's verified token) and from where. */
export interface Actor {
  role: string;
  sub?: string;
  ip?: string;
}

export interface SignageDeps extends ServiceDeps {
  /** seconds by car between two [lon, lat] points on live travel times; undefined = no route */
  travelTime: (from: [number, number], to: [number, number]) => Promise<number | undefined>;
  config?: Partial<SignageConfig>;
}

export type StateListener = (payload: SignStatePayload, sign: SignRecord) => void;

const C = { signs: 'signs', messages: 'sign-messages', state: 'sign-state', acks: 'sign-acks', library: 'sign-library', approvals: 'sign-approvals' } as const;
const AUDIT = 'audit';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  throw new UrbanflowError('INVALID_INPUT', `${field} ${issue.message}`, { field });
}

export function createSignageService(deps: SignageDeps) {
  const cfg = signageConfig(deps.config);
  const { store, bus, clock, network, logger } = deps;
  const signs = new Map<string, SignRecord>();
  const messages = new Map<string, Map<string, SignMessage>>();
  const states = new Map<string, SignDisplayState>();
  const acks = new Map<string, SignAckRecord>();
  const online = new Map<string, number>();
  const library = new Map<string, LibraryEntry>();
  const approvals = new Map<string, PendingApproval>();
  const listeners = new Set<StateListener>();
  const jammed = new Set<number>();
  const incidents = new Map<string, BusEvents['traffic:incident']['incident']>();
  const limiter = createRateLimiter(cfg.rateLimit.max, cfg.rateLimit.windowMs, () => clock.now());
  const cleanups: (() => void)[] = [];
  /** this process, so it can ignore its own bus notices */
  const origin = randomUUID();
  /** signs whose candidates changed since they were last announced */
  const dirty = new Set<string>();
  const announce = (signId: string) => void bus.publish('signage:state', { signId, version: states.get(signId)?.version ?? 0, origin }).catch(() => undefined);
  let started = false;

  // one change at a time, so versions only grow and audit entries are in order
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  }

  const userOf = (a: Actor) => (a.sub ? `${a.role}:${a.sub}` : `${a.role}:?`);
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
  async function reloadApprovals(): Promise<void> {
    approvals.clear();
    for (const p of await store.list<PendingApproval>(C.approvals)) approvals.set(p.id, p);
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

  // ---- incidents and congestion -------------------------------------------------------------

  async function applyIncident(ev: BusEvents['traffic:incident']): Promise<void> {
    const inc = ev.incident;
    const key = `incident:${inc.id}`;
    if (ev.action === 'cleared' || ev.action === 'expired') {
      incidents.delete(inc.id);
      for (const id of signs.keys()) await setMachine(id, key, 'incident', undefined, 0, undefined);
      return;
    }
    incidents.set(inc.id, inc);
    const edges = inc.edges.filter((e) => Number.isInteger(e) && e >= 0 && e < network.edgeCount);
    const reach = upstreamEdges(network, edges, cfg.incidentDistanceM);
    const road = edges.length ? network.edgeRef(edges[0]) || network.edgeName(edges[0]) : '';
    for (const sign of signs.values()) {
      const metres = reach.get(sign.edge);
      const multi = metres === undefined ? undefined : incidentMessage({ kind: inc.kind, severity: inc.severity, closed: inc.closed, road, metres }, sign.face);
      await setMachine(sign.id, key, 'incident', multi, cfg.priority.incident, inc.expiresAt);
    }
  }

  async function applyCongestion(): Promise<void> {
    const reach = jammed.size ? upstreamEdges(network, jammed, cfg.congestionDistanceM) : new Map<number, number>();
    for (const sign of signs.values()) {
      const metres = reach.get(sign.edge);
      const existing = [...msgsOf(sign.id).values()].find((m) => m.key === 'congestion');
      const multi = metres === undefined ? undefined : congestionMessage(metres, sign.face);
      // refresh the expiry only when half of it is used up, to keep store writes rare
      const keep = existing && multi === existing.multi && (existing.expiresAt ?? 0) - clock.now() > cfg.congestionTtlMs / 2;
      if (!keep) await setMachine(sign.id, 'congestion', 'congestion', multi, cfg.priority.congestion, multi ? clock.now() + cfg.congestionTtlMs : undefined);
    }
  }

  // ---- the public face ----------------------------------------------------------------------

  const service = {
    config: cfg,

    async start(opts: { schedules?: boolean } = {}): Promise<void> {
      if (started) return;
      started = true;
      for (const s of await store.list<SignRecord>(C.signs)) signs.set(s.id, s);
      for (const m of await store.list<SignMessage>(C.messages)) if (signs.has(m.signId)) msgsOf(m.signId).set(m.id, m);
      for (const st of await store.list<SignDisplayState>(C.state)) states.set(st.signId, st);
      for (const a of await store.list<SignAckRecord & { signId: string }>(C.acks)) acks.set(a.signId, { version: a.version, at: a.at });
      for (const l of await store.list<LibraryEntry>(C.library)) library.set(l.id, l);
      for (const p of await store.list<PendingApproval>(C.approvals)) approvals.set(p.id, p);
      // another process changed a sign: catch up, so reconnecting signs get the newest state
      cleanups.push(
        bus.subscribe('signage:state', (ev) => {
          const theirs = ev.origin !== undefined && ev.origin !== origin;
          if (theirs || ev.version > (states.get(ev.signId)?.version ?? -1)) void serial(() => loadSign(ev.signId)).catch((e) => logger.error({ err: e }, 'signage sync failed'));
        }),
      );
      if (cfg.machineMessages) cleanups.push(bus.subscribe('traffic:incident', (ev) => void serial(() => applyIncident(ev)).catch((e) => logger.error({ err: e }, 'signage incident failed'))));
      if (cfg.machineMessages) cleanups.push(
        bus.subscribe('traffic:update', (ev) => {
          let changed = false;
          for (const e of ev.edges) {
            if (e.level === 'jammed' && !jammed.has(e.edge)) {
              jammed.add(e.edge);
              changed = true;
            }
            else if (e.level !== 'jammed' && jammed.delete(e.edge)) changed = true;
          }
          if (changed) void serial(() => applyCongestion()).catch((err) => logger.error({ err }, 'signage congestion failed'));
        }),
      );
      if (opts.schedules !== false && cfg.machineMessages) {
        const tt = cron.schedule(cfg.travelTimeCron, () => void service.refreshTravelTimes().catch((e) => logger.error({ err: e }, 'travel times failed')), { name: 'signage:travel-times', noOverlap: true });
        cleanups.push(() => void tt.destroy());
        const timer = setInterval(() => void service.tick().catch((e) => logger.error({ err: e }, 'signage tick failed')), cfg.tickMs);
        timer.unref();
        cleanups.push(() => clearInterval(timer));
        void service.refreshTravelTimes().catch((e) => logger.error({ err: e }, 'travel times failed'));
      }
    },

    async stop(): Promise<void> {
      for (const c of cleanups.splice(0)) c();
      await chain;
      started = false;
    },

    onStateChange(listener: StateListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async createSign(body: SignCreateInput, actor: Actor): Promise<SignView> {
      const input = parse(signCreateSchema, body);
      return serial(async () => {
        if (signs.has(input.id) || (await store.get(C.signs, input.id))) throw new UrbanflowError('CONFLICT', `sign ${input.id} already exists`, { field: 'id' });
        const sign = signRecord(input, network, cfg, clock.now());
        await store.put(C.signs, sign.id, sign);
        signs.set(sign.id, sign);
        await audit(actor, 'sign.create', sign.id, undefined, sign);
        // incidents and jams already known reach the new sign too
        for (const inc of incidents.values()) await applyIncident({ action: 'updated', incident: inc });
        if (jammed.size) await applyCongestion();
        return view(sign);
      });
    },

    /** every sign, or those offline (no socket), stale (behind on acks), dark or lit, or in a group */
    listSigns(filter: { status?: 'offline' | 'stale' | 'dark' | 'lit'; group?: string } = {}): SignView[] {
      return [...signs.values()]
        .filter((s) => !filter.group || s.groups.includes(filter.group))
        .map(view)
        .filter((v) => {
          switch (filter.status) {
            case 'offline':
              return !v.online;
            case 'stale':
              return v.stale;
            case 'dark':
              return v.state.multi === '';
            case 'lit':
              return v.state.multi !== '';
            default:
              return true;
          }
        });
    },

    getSign(id: string): SignView {
      return view(signOrThrow(id));
    },

    signExists(id: string): boolean {
      return signs.has(id);
    },

    /** pick up signs registered by other processes sharing the store */
    async syncRegistry(): Promise<void> {
      const ids = (await store.list<SignRecord>(C.signs)).map((x) => x.id).filter((id) => !signs.has(id));
      if (ids.length) await serial(async () => {
        for (const id of ids) await loadSign(id);
      });
    },

    /** known here, or registered by another process sharing the store */
    async hasSign(id: string): Promise<boolean> {
      return signs.has(id) || (await serial(() => loadSign(id))) !== undefined;
    },

    signState(id: string): SignStatePayload {
      const sign = signOrThrow(id);
      return payloadOf(sign, states.get(id) ?? dark(id));
    },

    async setMessage(signId: string, body: MessageSetInput, actor: Actor): Promise<{ status: 'active' | 'queued' | 'pending'; approvalId?: string; message?: SignMessage; state: SignDisplayState }> {
      if (actor.role !== 'operator' && actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', `role ${actor.role} may not set sign messages`, { field: 'role' });
      const input = parse(messageSetSchema, body);
      const sign = await serial(() => freshSign(signId));
      limiter.take(userOf(actor));
      const now = clock.now();
      if (input.expiresAt !== undefined && input.expiresAt <= now) throw new UrbanflowError('INVALID_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
      const defaultPriority = input.schedule ? cfg.priority.schedule : cfg.priority.operator;
      const priority = input.priority ?? defaultPriority;
      if (actor.role === 'operator' && priority > cfg.priority.operatorMax) {
        throw new UrbanflowError('FORBIDDEN', `operators may use priority up to ${cfg.priority.operatorMax}`, { field: 'priority' });
      }
      let multi: string;
      let source: MessageSource = input.schedule ? 'schedule' : 'operator';
      if (input.libraryId !== undefined) {
        const entry = library.get(input.libraryId) ?? (await store.get<LibraryEntry>(C.library, input.libraryId));
        if (!entry) throw notFound('library message', input.libraryId);
        library.set(entry.id, entry);
        if (entry.groups.length && !entry.groups.some((g) => sign.groups.includes(g))) {
          throw new UrbanflowError('FORBIDDEN', `library message ${entry.id} is for groups ${entry.groups.join(', ')}`, { field: 'libraryId' });
        }
        multi = entry.multi;
        if (!input.schedule) source = 'library';
      } else multi = input.multi!;
      checkMulti(multi, sign.face, cfg.bannedWords, cfg.timeZone);

      // free text from an operator waits for a second person
      if (input.libraryId === undefined && actor.role !== 'admin') {
        return serial(async () => {
          const p: PendingApproval = { id: randomUUID(), signId, multi, priority, expiresAt: input.expiresAt, schedule: input.schedule, requestedBy: userOf(actor), requestedAt: now };
          await store.put(C.approvals, p.id, p);
          approvals.set(p.id, p);
          await audit(actor, 'message.request', signId, states.get(signId)?.multi ?? '', { approvalId: p.id, multi });
          return { status: 'pending' as const, approvalId: p.id, state: states.get(signId) ?? dark(signId) };
        });
      }
      return serial(() => activate(sign, { multi, priority, expiresAt: input.expiresAt, schedule: input.schedule, source, by: userOf(actor) }, actor, 'message.set'));
    },

    async approveMessage(signId: string, approvalId: string | undefined, actor: Actor) {
      if (actor.role !== 'operator' && actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', `role ${actor.role} may not approve messages`, { field: 'role' });
      const sign = await serial(() => freshSign(signId));
      limiter.take(userOf(actor));
      return serial(async () => {
        await reloadApprovals();
        const pending = [...approvals.values()].filter((p) => p.signId === signId && (approvalId === undefined || p.id === approvalId)).sort((a, b) => b.requestedAt - a.requestedAt);
        const p = pending[0];
        if (!p) throw notFound('pending message for sign', signId);
        if (p.requestedBy === userOf(actor) || !actor.sub) {
          throw new UrbanflowError('FORBIDDEN', 'a second person (with their own identity) must approve a free-text message', { field: 'approver' });
        }
        checkMulti(p.multi, sign.face, cfg.bannedWords, cfg.timeZone);
        approvals.delete(p.id);
        await store.delete(C.approvals, p.id);
        return activate(sign, { multi: p.multi, priority: p.priority, expiresAt: p.expiresAt, schedule: p.schedule, source: p.schedule ? 'schedule' : 'operator', by: p.requestedBy }, actor, 'message.approve');
      });
    },

    async clearMessage(signId: string, actor: Actor): Promise<SignDisplayState> {
      if (actor.role !== 'operator' && actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', `role ${actor.role} may not clear sign messages`, { field: 'role' });
      await serial(() => freshSign(signId));
      limiter.take(userOf(actor));
      return serial(async () => {
        await reloadApprovals();
        const before = states.get(signId) ?? dark(signId);
        // every human message: the operator slot and scheduled ones
        let dropped = false;
        for (const key of new Set([...msgsOf(signId).values()].map((m) => m.key).filter((k) => k === 'operator' || k.startsWith('schedule:')))) {
          dropped = (await dropKey(signId, key)) || dropped;
        }
        for (const p of [...approvals.values()].filter((x) => x.signId === signId)) {
          approvals.delete(p.id);
          await store.delete(C.approvals, p.id);
          dropped = true;
        }
        if (!dropped) throw new UrbanflowError('NOT_FOUND', `sign ${signId} has no operator message`, { field: 'message' });
        const after = await arbitrate(signId);
        await audit(actor, 'message.clear', signId, before.multi, after.multi);
        return after;
      });
    },

    listLibrary(): LibraryEntry[] {
      return [...library.values()].sort((a, b) => a.id.localeCompare(b.id));
    },

    async addLibraryEntry(body: LibraryCreateInput, actor: Actor): Promise<LibraryEntry> {
      if (actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', 'only admins add library messages', { field: 'role' });
      const input = parse(libraryCreateSchema, body);
      const errors = parseMulti(input.multi).errors;
      if (errors.length) throw new UrbanflowError('INVALID_MULTI', `multi: ${errors[0].code} at ${errors[0].position}: ${errors[0].message}`, { field: 'multi', details: { errors } });
      checkBanned(input.multi, cfg.bannedWords);
      return serial(async () => {
        const before = library.get(input.id);
        const entry: LibraryEntry = { ...input, createdAt: clock.now(), createdBy: userOf(actor) };
        await store.put(C.library, entry.id, entry);
        library.set(entry.id, entry);
        await audit(actor, 'library.put', undefined, before, entry);
        return entry;
      });
    },

    async audit(fromSeq?: number, limit = 100) {
      return store.readLog<AuditEntry>(AUDIT, fromSeq, limit);
    },

    /** the sign shows `version`: keep it so operators see stale or silent signs */
    async acknowledge(signId: string, version: number): Promise<SignAckRecord> {
      if (!signs.has(signId)) await serial(() => freshSign(signId));
      const current = states.get(signId)?.version ?? 0;
      if (!Number.isInteger(version) || version < 0 || version > current) {
        throw new UrbanflowError('INVALID_INPUT', `version must be an integer between 0 and ${current}`, { field: 'version' });
      }
      const rec = { version, at: clock.now() };
      await store.put(C.acks, signId, { signId, ...rec });
      acks.set(signId, rec);
      return rec;
    },

    setConnected(signId: string, connected: boolean): void {
      online.set(signId, Math.max(0, (online.get(signId) ?? 0) + (connected ? 1 : -1)));
    },

    /** page (1-based) of the current message, or of `multi`, as an LED-face PNG */
    previewPng(signId: string, opts: { multi?: string; page?: number; scale?: number } = {}): Buffer {
      const sign = signOrThrow(signId);
      const multi = opts.multi ?? states.get(signId)?.multi ?? '';
      const { face } = sign;
      let pixels: number[] | null = null;
      if (multi) {
        const r = renderMulti(multi, face, fieldsNow());
        if (r.errors.length) throw new UrbanflowError('INVALID_MULTI', `multi: ${r.errors[0].code} at ${r.errors[0].position}: ${r.errors[0].message}`, { field: 'multi', details: { errors: r.errors } });
        const page = r.pages[Math.min(r.pages.length, opts.page ?? 1) - 1];
        pixels = page ? messageFrame([page], 0).pixels : null;
      }
      const scale = opts.scale ?? 4;
      const png = new PNG({ width: face.width * scale, height: face.height * scale });
      png.data = Buffer.from(ledFaceRgba(pixels, face.width, face.height, scale));
      return PNG.sync.write(png);
    },

    async refreshTravelTimes(): Promise<void> {
      for (const sign of [...signs.values()]) {
        const tt = sign.travelTimes;
        if (!tt) continue;
        const lines = [];
        // start where the sign's traffic goes next: the head of the edge it faces, on its carriageway
        const head = network.data.edgeTo[sign.edge];
        const from: [number, number] = head === undefined ? [sign.lon, sign.lat] : [network.data.nodeLon[head], network.data.nodeLat[head]];
        for (const d of tt.destinations) {
          let seconds: number | undefined;
          try {
            seconds = await deps.travelTime(from, [d.lon, d.lat]);
          } catch (e) {
            logger.warn({ err: e, sign: sign.id }, 'travel time failed');
          }
          lines.push({ name: d.name, minutes: seconds === undefined ? undefined : seconds / 60 });
        }
        const multi = travelTimeMessage(lines, tt.capMinutes, tt.overCap, sign.face);
        await serial(() => setMachine(sign.id, 'travel-time', 'travel-time', multi, cfg.priority.travelTime, multi ? clock.now() + cfg.travelTimeTtlMs : undefined));
      }
    },

    /** expiries and schedule windows */
    async tick(): Promise<void> {
      await serial(async () => {
        for (const id of signs.keys()) await arbitrateBySystem(id, 'tick');
      });
    },

    /** wait until queued bus reactions are done (tests) */
    async settle(): Promise<void> {
      await new Promise((r) => setTimeout(r, 0));
      await chain;
    },
  };

  async function activate(
    sign: SignRecord,
    m: { multi: string; priority: number; expiresAt?: number; schedule?: SignMessage['schedule']; source: MessageSource; by: string },
    actor: Actor,
    action: string,
  ) {
    const before = states.get(sign.id) ?? dark(sign.id);
    const key = m.schedule ? `schedule:${randomUUID()}` : 'operator';
    if (key === 'operator') await dropKey(sign.id, 'operator');
    const message: SignMessage = { id: randomUUID(), signId: sign.id, source: m.source, key, multi: m.multi, priority: m.priority, createdAt: clock.now(), createdBy: m.by, expiresAt: m.expiresAt, schedule: m.schedule };
    await putMessage(message);
    const after = await arbitrate(sign.id);
    await audit(actor, action, sign.id, { multi: before.multi, version: before.version }, { multi: after.multi, version: after.version, messageId: message.id });
    return { status: after.messageId === message.id ? ('active' as const) : ('queued' as const), message, state: after };
  }

  return service;
}

export type SignageService = ReturnType<typeof createSignageService>;

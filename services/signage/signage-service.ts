import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { PNG } from 'pngjs';
import { UrbanflowError, notFound } from '../../core/errors/index.js';
import { ledFaceRgba, messageFrame, renderMulti, parseMulti } from '../../core/multi/index.js';
import type { ServiceDeps } from '../../core/service-deps.js';
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
import { AUDIT, C, createBoard, type Actor, type StateListener } from './board.js';
import { createMachineSources } from './machine-sources.js';

export type { Actor, StateListener } from './board.js';

export interface SignageDeps extends ServiceDeps {
  /** seconds by car between two [lon, lat] points on live travel times; undefined = no route */
  travelTime: (from: [number, number], to: [number, number]) => Promise<number | undefined>;
  config?: Partial<SignageConfig>;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  throw new UrbanflowError('INVALID_INPUT', `${field} ${issue.message}`, { field });
}

export function createSignageService(deps: SignageDeps) {
  const cfg = signageConfig(deps.config);
  const { store, bus, clock, logger, network } = deps;
  const board = createBoard(deps, cfg);
  const machine = createMachineSources(board, deps, cfg);
  const { signs, states, acks, online, listeners, serial, signOrThrow, fieldsNow, msgsOf, dark, loadSign, freshSign, audit, arbitrate, putMessage, dropKey, view, payloadOf } = board;
  const library = new Map<string, LibraryEntry>();
  const approvals = new Map<string, PendingApproval>();
  const limiter = createRateLimiter(cfg.rateLimit.max, cfg.rateLimit.windowMs, () => clock.now());
  const cleanups: (() => void)[] = [];
  let started = false;
  const userOf = (a: Actor) => (a.sub ? `${a.role}:${a.sub}` : `${a.role}:?`);
  async function reloadApprovals(): Promise<void> {
    approvals.clear();
    for (const p of await store.list<PendingApproval>(C.approvals)) approvals.set(p.id, p);
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
      cleanups.push(bus.subscribe('signage:state', (ev) => board.onNotice(ev)));
      if (cfg.machineMessages) {
        cleanups.push(bus.subscribe('traffic:incident', (ev) => void serial(() => machine.applyIncident(ev)).catch((e) => logger.error({ err: e }, 'signage incident failed'))));
        cleanups.push(bus.subscribe('traffic:update', (ev) => machine.onTrafficUpdate(ev)));
      }
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
      await board.idle();
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
        await machine.catchUp();
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

    /**
     * The same human message on every sign of a group, all or nothing: it must be valid on each
     * sign before any sign changes. Operators send library messages; free text to a whole group
     * is for admins (one approval covering many signs is not offered).
     */
    async setGroupMessage(group: string, body: MessageSetInput, actor: Actor) {
      if (actor.role !== 'operator' && actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', `role ${actor.role} may not set sign messages`, { field: 'role' });
      const input = parse(messageSetSchema, body);
      await service.syncRegistry();
      const members = [...signs.values()].filter((x) => x.groups.includes(group)).sort((a, b) => a.id.localeCompare(b.id));
      if (members.length === 0) throw new UrbanflowError('NOT_FOUND', `no sign is in group ${group}`, { field: 'group' });
      if (input.libraryId === undefined && actor.role !== 'admin') throw new UrbanflowError('FORBIDDEN', 'free text to a group needs an admin; operators send library messages', { field: 'multi' });
      if (input.expiresAt !== undefined && input.expiresAt <= clock.now()) throw new UrbanflowError('INVALID_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
      const priority = input.priority ?? (input.schedule ? cfg.priority.schedule : cfg.priority.operator);
      if (actor.role === 'operator' && priority > cfg.priority.operatorMax) throw new UrbanflowError('FORBIDDEN', `operators may use priority up to ${cfg.priority.operatorMax}`, { field: 'priority' });
      let multi = input.multi ?? '';
      if (input.libraryId !== undefined) {
        const entry = library.get(input.libraryId) ?? (await store.get<LibraryEntry>(C.library, input.libraryId));
        if (!entry) throw notFound('library message', input.libraryId);
        if (entry.groups.length && !entry.groups.includes(group)) throw new UrbanflowError('FORBIDDEN', `library message ${entry.id} is for groups ${entry.groups.join(', ')}`, { field: 'libraryId' });
        multi = entry.multi;
      }
      for (const sign of members) {
        try {
          checkMulti(multi, sign.face, cfg.bannedWords, cfg.timeZone);
        } catch (e) {
          if (e instanceof UrbanflowError) throw new UrbanflowError(e.code, `sign ${sign.id}: ${e.message}`, { field: e.field, details: { signId: sign.id, ...(e.details as object) } });
          throw e;
        }
      }
      limiter.take(userOf(actor));
      const source: MessageSource = input.schedule ? 'schedule' : input.libraryId !== undefined ? 'library' : 'operator';
      const results = [];
      for (const sign of members) {
        const r = await serial(async () => {
          await loadSign(sign.id);
          return activate(sign, { multi, priority, expiresAt: input.expiresAt, schedule: input.schedule, source, by: userOf(actor) }, actor, 'message.set.group');
        });
        results.push({ signId: sign.id, status: r.status, state: r.state });
      }
      return { group, results };
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

    refreshTravelTimes(): Promise<void> {
      return machine.refreshTravelTimes();
    },

    /** expiries and schedule windows */
    async tick(): Promise<void> {
      await serial(async () => {
        for (const id of signs.keys()) await board.arbitrateBySystem(id, 'tick');
      });
    },

    /** wait until queued bus reactions are done (tests) */
    async settle(): Promise<void> {
      await new Promise((r) => setTimeout(r, 0));
      await board.idle();
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

import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createEmbeddedStore } from '../../core/store/index.js';
import { renderMulti } from '../../core/multi/index.js';
import type { SignStatePayload } from '../../core/contracts/signage.js';
import { admin, east, lonOf, LAT, makeService, operator, operator2, signBody, viewer, west } from './fixture.js';

describe('sign registry', () => {
  it('registers a sign, snapping it to the edge it faces by bearing', async () => {
    const { service, store } = makeService();
    await service.start({ schedules: false });
    const eastbound = await service.createSign({ ...signBody('s1', 0), edge: undefined, lon: lonOf(2) + 0.003, lat: LAT + 0.0001, bearing: 90 }, admin);
    const westbound = await service.createSign({ ...signBody('s2', 0), edge: undefined, lon: lonOf(2) + 0.003, lat: LAT + 0.0001, bearing: 270 }, admin);
    expect(eastbound.edge).toBe(east(2));
    expect(westbound.edge).toBe(west(2));
    expect(eastbound.face).toMatchObject({ type: 'full', width: 96, height: 27 });
    expect(await store.get('signs', 's1')).toMatchObject({ id: 's1', edge: east(2) });
    expect((await service.audit()).map((e) => e.entry.action)).toEqual(['sign.create', 'sign.create']);
  });

  it('turns characters x lines into pixels for character and line matrices', async () => {
    const { service } = makeService();
    const c = await service.createSign(signBody('c', 0, { type: 'character', width: 12, height: 3 }), admin);
    expect(c.face).toMatchObject({ width: 72, height: 24, cellWidth: 6, cellHeight: 8 });
    const l = await service.createSign(signBody('l', 0, { type: 'line', width: 100, height: 2 }), admin);
    expect(l.face).toMatchObject({ width: 100, height: 16 });
  });

  it('refuses duplicates, bad fields and signs far from any road', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    await expect(service.createSign(signBody('s1', 0), admin)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.createSign(signBody('bad id!', 0), admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
    await expect(service.createSign(signBody('w', 0, { width: 0 }), admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'width' });
    await expect(service.createSign({ ...signBody('far', 0), edge: undefined, lat: LAT + 1 }, admin)).rejects.toMatchObject({ code: 'NOT_ON_NETWORK' });
  });
});

describe('operator messages', () => {
  it('an admin message goes live at once, is durable, versioned, pushed and audited', async () => {
    const { service, store } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    const pushed: SignStatePayload[] = [];
    service.onStateChange((p) => pushed.push(p));
    const r = await service.setMessage('s1', { multi: 'ROAD WORKS[nl]TONIGHT' }, admin);
    expect(r.status).toBe('active');
    expect(r.state).toMatchObject({ version: 1, multi: 'ROAD WORKS[nl]TONIGHT', source: 'operator', priority: 50 });
    expect(await store.get('sign-state', 's1')).toMatchObject({ version: 1, multi: 'ROAD WORKS[nl]TONIGHT' });
    expect(pushed).toEqual([expect.objectContaining({ signId: 's1', version: 1, multi: 'ROAD WORKS[nl]TONIGHT', pages: 1 })]);
    const audit = (await service.audit()).map((e) => e.entry);
    expect(audit[audit.length - 1]).toMatchObject({ action: 'message.set', signId: 's1', who: { role: 'admin', sub: 'alice' }, from: '127.0.0.1', before: { multi: '' }, after: { multi: 'ROAD WORKS[nl]TONIGHT', version: 1 } });
  });

  it('free text from an operator waits for a second person', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    const r = await service.setMessage('s1', { multi: 'FOG[nl]SLOW DOWN' }, operator);
    expect(r.status).toBe('pending');
    expect(service.getSign('s1').state.multi).toBe('');
    await expect(service.approveMessage('s1', r.approvalId, operator)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'approver' });
    await expect(service.approveMessage('s1', r.approvalId, { role: 'operator' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const ok = await service.approveMessage('s1', r.approvalId, operator2);
    expect(ok.state.multi).toBe('FOG[nl]SLOW DOWN');
    const actions = (await service.audit()).map((e) => e.entry.action);
    expect(actions).toEqual(['sign.create', 'message.request', 'message.approve']);
  });

  it('an operator may use an approved library message directly, within its groups', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0, { groups: ['motorway-north'] }), admin);
    await service.addLibraryEntry({ id: 'fog', name: 'Fog', multi: 'FOG[nl]SLOW DOWN' }, admin);
    await service.addLibraryEntry({ id: 'south', name: 'South only', multi: 'SOUTH', groups: ['motorway-south'] }, admin);
    await expect(service.addLibraryEntry({ id: 'x', name: 'x', multi: 'X' }, operator)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const r = await service.setMessage('s1', { libraryId: 'fog' }, operator);
    expect(r.status).toBe('active');
    expect(r.state).toMatchObject({ multi: 'FOG[nl]SLOW DOWN', source: 'library' });
    await expect(service.setMessage('s1', { libraryId: 'south' }, operator)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'libraryId' });
    await expect(service.setMessage('s1', { libraryId: 'nope' }, operator)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses banned words, unknown tags, oversized text, viewers and too-high priorities with stable codes', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    await expect(service.setMessage('s1', { multi: 'YOU IDIOT' }, admin)).rejects.toMatchObject({ code: 'BANNED_WORD', details: { word: 'IDIOT', position: 4 } });
    // a banned word inside another word is fine
    await expect(service.setMessage('s1', { multi: 'SHELLS' }, admin)).resolves.toMatchObject({ status: 'active' });
    const tag = await service.setMessage('s1', { multi: 'A[zz9]B' }, admin).catch((e) => e);
    expect(tag).toMatchObject({ code: 'INVALID_MULTI', field: 'multi' });
    expect(tag.details.errors[0]).toMatchObject({ code: 'unsupportedTag', position: 1 });
    const big = await service.setMessage('s1', { multi: 'THIS LINE IS FAR TOO LONG FOR A SIGN' }, admin).catch((e) => e);
    expect(big.details.errors[0].code).toBe('textTooBig');
    await expect(service.setMessage('s1', { multi: 'OK' }, viewer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.setMessage('s1', { multi: 'OK', priority: 95 }, operator)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'priority' });
    await expect(service.setMessage('s1', { multi: 'OK', libraryId: 'x' }, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(service.setMessage('nope', { multi: 'OK' }, admin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rate-limits message changes per user', async () => {
    const { service, clock } = makeService({ config: { rateLimit: { max: 3, windowMs: 60_000 } } });
    await service.createSign(signBody('s1', 0), admin);
    for (let i = 0; i < 3; i++) await service.setMessage('s1', { multi: `M${i}` }, admin);
    await expect(service.setMessage('s1', { multi: 'M4' }, admin)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // another user is not affected; the first may go on after the window
    await expect(service.setMessage('s1', { libraryId: 'x' }, operator)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    clock.advance(61_000);
    await expect(service.setMessage('s1', { multi: 'M5' }, admin)).resolves.toMatchObject({ status: 'active' });
  });

  it('clears the operator message and falls back to what is below it', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    await service.setMessage('s1', { multi: 'LOW', priority: 20 }, admin);
    // a second operator message replaces the first (one operator slot per sign)
    await service.setMessage('s1', { multi: 'HIGH', priority: 40 }, admin);
    expect(service.getSign('s1').state.multi).toBe('HIGH');
    const after = await service.clearMessage('s1', admin);
    expect(after.multi).toBe('');
    await expect(service.clearMessage('s1', admin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('expires messages and schedules them into their window', async () => {
    const start = Date.UTC(2026, 10, 23, 21, 0);
    const { service, clock } = makeService({ clockStart: start });
    await service.createSign(signBody('s1', 0), admin);
    await service.setMessage('s1', { multi: 'SHORT', expiresAt: start + 30 * 60_000, priority: 10 }, admin);
    await service.setMessage('s1', { multi: 'WORKS', schedule: { from: '22:00', to: '05:00', timeZone: 'UTC' } }, admin);
    expect(service.getSign('s1').state.multi).toBe('SHORT');
    clock.set(start + 31 * 60_000);
    await service.tick();
    expect(service.getSign('s1').state.multi).toBe('');
    clock.set(Date.UTC(2026, 10, 23, 23, 0));
    await service.tick();
    expect(service.getSign('s1').state).toMatchObject({ multi: 'WORKS', source: 'schedule' });
    clock.set(Date.UTC(2026, 10, 24, 4, 59));
    await service.tick();
    expect(service.getSign('s1').state.multi).toBe('WORKS');
    clock.set(Date.UTC(2026, 10, 24, 5, 0));
    await service.tick();
    expect(service.getSign('s1').state.multi).toBe('');
    // DELETE takes scheduled messages away too
    await service.clearMessage('s1', admin);
    clock.set(Date.UTC(2026, 10, 24, 23, 0));
    await service.tick();
    expect(service.getSign('s1').state.multi).toBe('');
    expect(service.getSign('s1').candidates).toEqual([]);
    await expect(service.setMessage('s1', { multi: 'PAST', expiresAt: start }, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'expiresAt' });
    await expect(service.setMessage('s1', { multi: 'X', schedule: { from: '22:00', to: '05:00', timeZone: 'Mars/Olympus' } }, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'schedule.timeZone' });
    await expect(service.setMessage('s1', { multi: 'X', schedule: { from: '25:00', to: '05:00' } }, admin)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'schedule.from' });
  });
});

describe('machine messages', () => {
  it('composes travel times from the injected router, with the cap', async () => {
    const seconds: Record<string, number | undefined> = { centre: 12 * 60 + 10, airport: 75 * 60, port: undefined };
    const froms: [number, number][] = [];
    const travelTime = async (from: [number, number], to: [number, number]) => {
      froms.push(from);
      return seconds[to[0] === 1 ? 'centre' : to[0] === 2 ? 'airport' : 'port'];
    };
    const { service } = makeService({ travelTime });
    const destinations = [
      { name: 'City Centre', lon: 1, lat: 0 },
      { name: 'Airport', lon: 2, lat: 0 },
      { name: 'Port', lon: 3, lat: 0 },
    ];
    await service.createSign(signBody('tt', 0, { width: 120, travelTimes: { destinations, capMinutes: 60 } }), admin);
    await service.createSign(signBody('quiet', 0, { width: 120, travelTimes: { destinations, capMinutes: 60, overCap: 'silent' } }), admin);
    await service.refreshTravelTimes();
    expect(service.getSign('tt').state).toMatchObject({ multi: '[jl2]CITY CENTRE[jl4]12 MIN[nl][jl2]AIRPORT[jl4]OVER 60 MIN', source: 'travel-time', priority: 10 });
    expect(service.getSign('quiet').state.multi).toBe('[jl2]CITY CENTRE[jl4]12 MIN');
    // routes start at the head of the edge the sign faces (node 1 of the eastbound road)
    expect(froms[0]).toEqual([lonOf(1), LAT]);
    // every destination unreachable: the travel-time message goes away
    seconds.centre = undefined;
    seconds.airport = undefined;
    await service.refreshTravelTimes();
    expect(service.getSign('tt').state.multi).toBe('');
  });

  it('warns signs upstream of an incident, not the other carriageway, and clears with it', async () => {
    const { service, bus, network } = makeService();
    await service.createSign(signBody('up', east(1)), admin);
    await service.createSign(signBody('far', east(0), { width: 96 }), admin);
    await service.createSign(signBody('other', west(1)), admin);
    await service.createSign(signBody('down', east(6)), admin);
    await service.start({ schedules: false });
    await service.setMessage('up', { multi: 'OPERATOR' }, admin);
    const incident = { id: 'i1', edges: [east(4)], lon: lonOf(4), lat: LAT, kind: 'accident', severity: 3, closed: false };
    // incident range that reaches the sign on edge 1 (head at node 2, 2 edges short) but not edge 0
    const len = network.data.edgeLength[0];
    expect(len).toBeGreaterThan(700);
    await bus.publish('traffic:incident', { action: 'opened', incident });
    await service.settle();
    const up = service.getSign('up').state;
    expect(up).toMatchObject({ source: 'incident', priority: 60 });
    expect(up.multi.split('[nl]')[0]).toBe('ACCIDENT');
    expect(up.multi).toContain('B37 IN 1 KM');
    expect(up.multi).toContain('EXPECT DELAYS');
    expect(renderMulti(up.multi, service.getSign('up').face).errors).toEqual([]);
    expect(service.getSign('far').state.source).toBe('incident'); // within 5 km too
    expect(service.getSign('other').state.multi).toBe('');
    expect(service.getSign('down').state.multi).toBe('');
    await bus.publish('traffic:incident', { action: 'cleared', incident });
    await service.settle();
    expect(service.getSign('up').state.multi).toBe('OPERATOR');
    expect(service.getSign('far').state.multi).toBe('');
    // machine-made changes are audited too
    const system = (await service.audit()).map((e) => e.entry).filter((e) => e.who.role === 'system' && e.signId === 'up');
    expect(system.map((e) => [e.who.sub, e.action, (e.after as { multi: string }).multi === 'OPERATOR'])).toEqual([
      ['incident', 'display.change', false],
      ['incident', 'display.change', true],
    ]);
  });

  it('only reaches signs within the incident distance', async () => {
    const { service, bus } = makeService({ config: { incidentDistanceM: 1000 } });
    await service.createSign(signBody('near', east(2)), admin);
    await service.createSign(signBody('far', east(0)), admin);
    await service.start({ schedules: false });
    await bus.publish('traffic:incident', { action: 'opened', incident: { id: 'i2', edges: [east(4)], lon: 0, lat: 0, kind: 'roadworks', severity: 1, closed: true } });
    await service.settle();
    expect(service.getSign('near').state.multi).toContain('ROAD CLOSED');
    expect(service.getSign('far').state.multi).toBe('');
  });

  it('warns of a jam ahead while traffic reports it jammed', async () => {
    const { service, bus } = makeService();
    await service.createSign(signBody('s1', east(2)), admin);
    await service.start({ schedules: false });
    await bus.publish('traffic:update', { version: 1, at: 0, edges: [{ edge: east(3), seconds: 300, speedKmh: 5, level: 'jammed' }] });
    await service.settle();
    expect(service.getSign('s1').state).toMatchObject({ source: 'congestion', multi: 'QUEUE AHEAD[nl]SLOW DOWN' });
    await bus.publish('traffic:update', { version: 2, at: 0, edges: [{ edge: east(3), seconds: 60, speedKmh: 40, level: 'slow' }] });
    await service.settle();
    expect(service.getSign('s1').state.multi).toBe('');
  });
});

describe('sign state, acknowledgements and durability', () => {
  it('keeps the last acknowledgement and reports stale and offline signs', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    await service.setMessage('s1', { multi: 'A' }, admin);
    expect(service.getSign('s1')).toMatchObject({ online: false, stale: true });
    service.setConnected('s1', true);
    await service.acknowledge('s1', 1);
    expect(service.getSign('s1')).toMatchObject({ online: true, stale: false, lastAck: { version: 1 } });
    await service.setMessage('s1', { multi: 'B' }, admin);
    expect(service.getSign('s1').stale).toBe(true);
    await expect(service.acknowledge('s1', 7)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'version' });
  });

  it('a restarted service over the same journal has every sign, message, version and ack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signage-store-'));
    const first = makeService({ store: await createEmbeddedStore({ dir }) });
    await first.service.createSign(signBody('s1', 0), admin);
    await first.service.setMessage('s1', { multi: 'KEEP ME' }, admin);
    await first.service.acknowledge('s1', 1);
    await first.service.addLibraryEntry({ id: 'fog', name: 'Fog', multi: 'FOG' }, admin);
    await first.store.close();
    const second = makeService({ store: await createEmbeddedStore({ dir }) });
    await second.service.start({ schedules: false });
    expect(second.service.getSign('s1')).toMatchObject({ state: { version: 1, multi: 'KEEP ME' }, lastAck: { version: 1 } });
    expect(second.service.listLibrary().map((l) => l.id)).toEqual(['fog']);
    await second.service.setMessage('s1', { multi: 'NEXT' }, admin);
    expect(second.service.getSign('s1').state.version).toBe(2);
    expect((await second.service.audit()).length).toBe(4);
    await second.service.stop();
    await second.store.close();
  });

  it('renders a preview PNG of the current face', async () => {
    const { service } = makeService();
    await service.createSign(signBody('s1', 0), admin);
    await service.setMessage('s1', { multi: '[cf1]STOP' }, admin);
    const png = PNG.sync.read(service.previewPng('s1', { scale: 2 }));
    expect([png.width, png.height]).toEqual([192, 54]);
    let red = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 255 && png.data[i + 1] === 0) red++;
    expect(red).toBeGreaterThan(0);
    expect(() => service.previewPng('s1', { multi: '[zz]' })).toThrow(expect.objectContaining({ code: 'INVALID_MULTI' }));
  });
});

describe('configuration', () => {
  it('refuses a wrong key or value with a CONFIG error naming it', () => {
    expect(() => makeService({ config: { tickMs: -1 } })).toThrow(expect.objectContaining({ code: 'CONFIG', field: 'signage.tickMs' }));
    expect(() => makeService({ config: { travelTimeCron: 'every minute' } })).toThrow(expect.objectContaining({ code: 'CONFIG', field: 'signage.travelTimeCron' }));
    expect(() => makeService({ config: { timeZone: 'Mars/Olympus' } })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(() => makeService({ config: { bannedWord: ['x'] } as never })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(makeService({ config: { bannedWords: ['FOO'] } }).service.config.bannedWords).toEqual(['FOO']);
  });
});

describe('group messages', () => {
  it('sets the same message on every sign of a group, all or nothing', async () => {
    const { service } = makeService();
    await service.createSign(signBody('n1', 0, { groups: ['motorway-north'] }), admin);
    await service.createSign(signBody('n2', 1, { groups: ['motorway-north', 'mixed'] }), admin);
    await service.createSign(signBody('tiny', 2, { groups: ['mixed'], width: 30 }), admin);
    await service.createSign(signBody('south', 3, { groups: ['motorway-south'] }), admin);
    await service.addLibraryEntry({ id: 'fog', name: 'Fog', multi: 'FOG AHEAD', groups: ['motorway-north', 'mixed'] }, admin);

    await expect(service.setGroupMessage('motorway-north', { multi: 'HELLO' }, operator)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'multi' });
    const r = await service.setGroupMessage('motorway-north', { libraryId: 'fog' }, operator);
    expect(r.results.map((x) => [x.signId, x.status, x.state.multi])).toEqual([
      ['n1', 'active', 'FOG AHEAD'],
      ['n2', 'active', 'FOG AHEAD'],
    ]);
    expect(service.getSign('south').state.multi).toBe('');
    // too wide for the tiny sign: nothing changes anywhere in the group
    const refused = await service.setGroupMessage('mixed', { multi: 'WIDE MESSAGE' }, admin).catch((e) => e);
    expect(refused).toMatchObject({ code: 'INVALID_MULTI', details: { signId: 'tiny' } });
    expect(service.getSign('n2').state.multi).toBe('FOG AHEAD');
    expect(service.getSign('tiny').state.multi).toBe('');
    await expect(service.setGroupMessage('nobody', { libraryId: 'fog' }, admin)).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'group' });
    await expect(service.setGroupMessage('motorway-south', { libraryId: 'fog' }, operator)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'libraryId' });
    const actions = (await service.audit()).map((e) => e.entry).filter((e) => e.action === 'message.set.group');
    expect(actions.map((e) => e.signId)).toEqual(['n1', 'n2']);
  });
});

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import type { SignMessage } from '../../core/contracts/signage.js';
import { admin, east, lineNetwork, lonOf, LAT, makeService, operator, operator2, signBody } from './fixture.js';

/**
 * Two signage services on one store and one bus, as two processes on Redis would be: each sees
 * the other's signs and changes; only the one with machineMessages reacts to traffic.
 */
describe('signage in two processes', () => {
  it('shares signs, approvals and states, and makes machine messages once', async () => {
    const store = createMemoryStore();
    const bus = createMemoryBus();
    const network = lineNetwork();
    const a = makeService({ store, bus, network });
    const b = makeService({ store, bus, network, config: { machineMessages: false } });
    await a.service.start({ schedules: false });
    await b.service.start({ schedules: false });

    await a.service.createSign(signBody('s1', east(1)), admin);
    expect(b.service.signExists('s1')).toBe(false);
    expect(await b.service.hasSign('s1')).toBe(true);
    await expect(b.service.createSign(signBody('s1', east(1)), admin)).rejects.toMatchObject({ code: 'CONFLICT' });
    await b.service.createSign(signBody('s2', east(2)), admin);
    await a.service.syncRegistry();
    expect(a.service.listSigns().map((s) => s.id).sort()).toEqual(['s1', 's2']);

    // requested on one process, approved on the other
    const req = await a.service.setMessage('s1', { multi: 'FOG' }, operator);
    const ok = await b.service.approveMessage('s1', req.approvalId, operator2);
    expect(ok.state).toMatchObject({ version: 1, multi: 'FOG' });
    await a.service.settle();
    expect(a.service.getSign('s1').state).toMatchObject({ version: 1, multi: 'FOG' });
    expect(a.service.signState('s1')).toMatchObject({ version: 1, multi: 'FOG', pages: 1 });

    // an incident: only process a composes it, b catches up through the bus
    await bus.publish('traffic:incident', { action: 'opened', incident: { id: 'i1', edges: [east(4)], lon: lonOf(4), lat: LAT, kind: 'accident', severity: 2, closed: false } });
    await a.service.settle();
    await b.service.settle();
    const incidentMessages = (await store.list<SignMessage>('sign-messages')).filter((m) => m.key === 'incident:i1');
    expect(incidentMessages.map((m) => m.signId).sort()).toEqual(['s1', 's2']);
    expect(b.service.getSign('s1').state).toMatchObject({ version: 2, source: 'incident' });
    expect(b.service.getSign('s2').state.source).toBe('incident');

    // cleared on b (an operator clearing the human message) is seen on a
    await b.service.clearMessage('s1', admin);
    await a.service.settle();
    expect(a.service.getSign('s1').candidates.map((m) => m.key)).toEqual(['incident:i1']);
    await a.service.stop();
    await b.service.stop();
  });
});

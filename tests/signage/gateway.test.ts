import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import fc from 'fast-check';
import { startSignageServer } from './server.js';
import { signBody } from './fixture.js';
import type { SignStatePayload } from '../../core/contracts/signage.js';

let srv: Awaited<ReturnType<typeof startSignageServer>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  srv = await startSignageServer({ rateLimit: { max: 5000, windowMs: 60_000 } });
  for (const id of ['a', 'b']) {
    const r = await srv.call('POST', '/api/signs', srv.tokens.admin, signBody(id, 0, { groups: ['incident', 'motorway-north'] }));
    expect(r.status).toBe(201);
  }
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await srv.close();
});

function signSocket(token: string): Socket {
  const s = connect(`${srv.base}/signs`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(s);
  return s;
}
const next = <T>(s: Socket, event: string, pred: (p: T) => boolean = () => true) =>
  new Promise<T>((resolve) => {
    const h = (p: T) => {
      if (pred(p)) {
        s.off(event, h);
        resolve(p);
      }
    };
    s.on(event, h);
  });

describe('signage HTTP API', () => {
  it('only admins register signs; viewers list them; a sign reads only itself', async () => {
    expect((await srv.call('POST', '/api/signs', srv.tokens.operator, signBody('c', 0))).status).toBe(403);
    const list = await srv.call('GET', '/api/signs', srv.tokens.viewer);
    expect(list.status).toBe(200);
    expect((list.body as { signs: { id: string }[] }).signs.map((s) => s.id)).toEqual(['a', 'b']);
    expect((await srv.call('GET', '/api/signs/a', srv.tokens.sign('a'))).status).toBe(200);
    const other = await srv.call('GET', '/api/signs/b', srv.tokens.sign('a'));
    expect(other.status).toBe(403);
    expect((other.body as { code: string }).code).toBe('FORBIDDEN');
    expect((await srv.call('GET', '/api/signs/b/preview.png', srv.tokens.sign('a'))).status).toBe(403);
    expect((await srv.call('GET', '/api/signs', srv.tokens.sign('a'))).status).toBe(403);
    expect((await srv.call('POST', '/api/signs', srv.tokens.admin, { id: 'x' })).status).toBe(400);
  });

  it('a sign token and a viewer cannot set, approve or clear messages', async () => {
    for (const t of [srv.tokens.sign('a'), srv.tokens.viewer]) {
      expect((await srv.call('PUT', '/api/signs/a/message', t, { multi: 'HACKED' })).status).toBe(403);
      expect((await srv.call('POST', '/api/signs/a/message/approve', t, {})).status).toBe(403);
      expect((await srv.call('DELETE', '/api/signs/a/message', t)).status).toBe(403);
    }
    expect(srv.service.getSign('a').state.multi).toBe('');
  });

  it('refuses a banned word, an unknown tag and too many characters with their codes', async () => {
    const banned = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'STUPID DRIVERS' });
    expect([banned.status, (banned.body as { code: string }).code]).toEqual([422, 'BANNED_WORD']);
    const tag = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'GO[xyz]' });
    expect([tag.status, (tag.body as { code: string }).code]).toEqual([422, 'INVALID_MULTI']);
    expect((tag.body as { details: { errors: { code: string; position: number }[] } }).details.errors[0]).toMatchObject({ code: 'unsupportedTag', position: 2 });
    const long = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'W'.repeat(40) });
    expect([long.status, (long.body as { details: { errors: { code: string }[] } }).details.errors[0].code]).toEqual([422, 'textTooBig']);
    const huge = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'W'.repeat(5000) });
    expect([huge.status, (huge.body as { field: string }).field]).toEqual([400, 'multi']);
  });

  it('operator free text needs a second person; the audit log says who did what from where', async () => {
    const req = await srv.call('PUT', '/api/signs/b/message', srv.tokens.operator, { multi: 'FOG' });
    expect(req.status).toBe(202);
    const approvalId = (req.body as { approvalId: string }).approvalId;
    expect((await srv.call('POST', '/api/signs/b/message/approve', srv.tokens.operator, { approvalId })).status).toBe(403);
    const ok = await srv.call('POST', '/api/signs/b/message/approve', srv.tokens.operator2, { approvalId });
    expect(ok.status).toBe(200);
    expect((ok.body as { state: { multi: string } }).state.multi).toBe('FOG');
    expect((await srv.call('GET', '/api/audit', srv.tokens.operator)).status).toBe(403);
    const audit = await srv.call('GET', '/api/audit?limit=1000', srv.tokens.admin);
    const last = (audit.body as { entries: { entry: { action: string; who: { sub: string }; from: string } }[] }).entries.at(-1)!.entry;
    expect(last).toMatchObject({ action: 'message.approve', who: { sub: 'carol' }, from: '127.0.0.1' });
    const cleared = await srv.call('DELETE', '/api/signs/b/message', srv.tokens.operator);
    expect(cleared.status).toBe(200);
  });

  it('group messages: operators send library messages to a group, viewers and signs cannot', async () => {
    await srv.call('POST', '/api/library', srv.tokens.admin, { id: 'ice', name: 'Ice', multi: 'ICE' });
    expect((await srv.call('PUT', '/api/groups/incident/message', srv.tokens.viewer, { libraryId: 'ice' })).status).toBe(403);
    expect((await srv.call('PUT', '/api/groups/incident/message', srv.tokens.sign('a'), { libraryId: 'ice' })).status).toBe(403);
    const r = await srv.call('PUT', '/api/groups/incident/message', srv.tokens.operator, { libraryId: 'ice' });
    expect(r.status).toBe(200);
    expect((r.body as { results: { signId: string; state: { multi: string } }[] }).results.map((x) => [x.signId, x.state.multi])).toEqual([
      ['a', 'ICE'],
      ['b', 'ICE'],
    ]);
    expect((await srv.call('PUT', '/api/groups/none/message', srv.tokens.operator, { libraryId: 'ice' })).status).toBe(404);
    for (const id of ['a', 'b']) await srv.call('DELETE', `/api/signs/${id}/message`, srv.tokens.admin);
  });

  it('library: admins add, operators use; preview renders PNGs', async () => {
    expect((await srv.call('POST', '/api/library', srv.tokens.operator, { id: 'x', name: 'x', multi: 'X' })).status).toBe(403);
    expect((await srv.call('POST', '/api/library', srv.tokens.admin, { id: 'slow', name: 'Slow', multi: 'SLOW[nl]DOWN' })).status).toBe(201);
    expect((await srv.call('POST', '/api/library', srv.tokens.admin, { id: 'bad', name: 'Bad', multi: 'X[zz]' })).status).toBe(422);
    const lib = await srv.call('GET', '/api/library', srv.tokens.operator);
    expect((lib.body as { messages: { id: string }[] }).messages.map((m) => m.id)).toContain('slow');
    const set = await srv.call('PUT', '/api/signs/b/message', srv.tokens.operator, { libraryId: 'slow' });
    expect([set.status, (set.body as { status: string }).status]).toEqual([200, 'active']);
    const png = await srv.call('GET', '/api/signs/b/preview.png?scale=2', srv.tokens.viewer);
    expect(png.status).toBe(200);
    expect(png.type).toBe('image/png');
    expect(Buffer.from(png.body as ArrayBuffer).subarray(1, 4).toString()).toBe('PNG');
    expect((await srv.call('GET', '/api/signs/b/preview.png?multi=%5Bzz%5D', srv.tokens.operator)).status).toBe(422);
  });
});

describe('sign page assets', () => {
  it('serves the page, the bundled renderer and the socket.io client', async () => {
    const html = await fetch(`${srv.base}/signage/?sign=a`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('./sign.js');
    const js = await fetch(`${srv.base}/signage/sign.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const code = await js.text();
    expect(code).toContain('renderMulti');
    expect(code).not.toMatch(/from ["']node:|require\(/);
    expect((await fetch(`${srv.base}/socket.io/socket.io.js`)).status).toBe(200);
    const bare = await fetch(`${srv.base}/signage?sign=a`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/signage/?sign=a');
  });
});

describe('signage sockets', () => {
  it('sends a sign its full state on connect and every change, and keeps its acknowledgement', async () => {
    const s = signSocket(srv.tokens.sign('a'));
    const first = await next<SignStatePayload>(s, 'sign:state');
    expect(first).toMatchObject({ signId: 'a', face: { width: 96, height: 27 } });
    const v0 = first.version;
    const changed = next<SignStatePayload>(s, 'sign:state', (p) => p.version > v0);
    const put = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'ICE[nl]RISK' });
    expect(put.status).toBe(200);
    const state = await changed;
    expect(state).toMatchObject({ signId: 'a', version: v0 + 1, multi: 'ICE[nl]RISK', pages: 1 });
    const ack = await s.emitWithAck('sign:ack', { version: state.version });
    expect(ack).toMatchObject({ ok: true, version: state.version });
    const view = await srv.call('GET', '/api/signs/a', srv.tokens.operator);
    expect(view.body).toMatchObject({ online: true, stale: false, lastAck: { version: state.version } });
    // operators list the signs that are offline or behind
    const ids = async (q: string) => ((await srv.call('GET', `/api/signs?${q}`, srv.tokens.operator)).body as { signs: { id: string }[] }).signs.map((x) => x.id);
    expect(await ids('status=offline')).toEqual(['b']);
    expect(await ids('status=lit&group=incident')).toContain('a');
    expect((await srv.call('GET', '/api/signs?status=broken', srv.tokens.operator)).status).toBe(400);
    // reconnecting gets the full state again
    s.disconnect();
    await new Promise((r) => setTimeout(r, 50));
    expect((await srv.call('GET', '/api/signs/a', srv.tokens.operator)).body).toMatchObject({ online: false });
    const again = signSocket(srv.tokens.sign('a'));
    expect(await next<SignStatePayload>(again, 'sign:state')).toMatchObject({ version: state.version, multi: 'ICE[nl]RISK' });
    const bad = await again.emitWithAck('sign:ack', { version: 'x' });
    expect(bad).toEqual({ ok: false });
    // the server chose its rooms: its own and its groups'
    const [server] = await srv.gw.io.of('/signs').in('sign:a').fetchSockets();
    expect([...server.rooms].sort()).toEqual([server.id, 'group:incident', 'group:motorway-north', 'sign:a'].sort());
    // junk on the ack event never takes the server down
    for (const junk of [null, 42, 'x', [], { version: -1 }, { version: 1e12 }, { version: 1.5 }, { a: { b: { c: 1 } } }]) {
      again.emit('sign:ack', junk);
      expect(await again.emitWithAck('sign:ack', junk)).toEqual({ ok: false });
    }
    expect(await again.emitWithAck('sign:ack', { version: state.version })).toMatchObject({ ok: true });
  });

  it("a sign never receives another sign's messages", async () => {
    const b = signSocket(srv.tokens.sign('b'));
    await next(b, 'sign:state');
    const got: SignStatePayload[] = [];
    b.on('sign:state', (p: SignStatePayload) => got.push(p));
    const a = signSocket(srv.tokens.sign('a'));
    await next(a, 'sign:state');
    const seen = next<SignStatePayload>(a, 'sign:state');
    await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi: 'ONLY A' });
    await seen;
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });

  it('refuses viewers, unknown signs and missing tokens on /signs', async () => {
    const refusal = (token: string | undefined) =>
      new Promise<string>((resolve) => {
        const s = connect(`${srv.base}/signs`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(s);
        s.on('connect', () => resolve('connected'));
        s.on('connect_error', (e: Error & { data?: { code: string } }) => resolve(e.data?.code ?? e.message));
      });
    expect(await refusal(srv.tokens.viewer)).toBe('FORBIDDEN');
    expect(await refusal(srv.tokens.sign('ghost'))).toBe('NOT_FOUND');
    expect(await refusal(undefined)).toBe('UNAUTHENTICATED');
  });
});

describe('fuzzing', () => {
  it('a thousand fuzzed MULTI strings never crash the server', async () => {
    const piece = fc.oneof(
      fc.constantFrom('[nl]', '[np]', '[jl4]', '[jp2]', '[fo2]', '[cf1]', '[cr1,1,5,3,1]', '[tr1,1,30,9]', '[flt3o2]', '[/fl]', '[f2]', '[hc41]', '[mvcl20,1,2,GO]'),
      fc.constantFrom('[[', ']]', '[', ']', '[nl', '[xx]', '[cf999]', '[pt99999999999]', '[hcffffffff]', '\u0000', '\ud800', '%s', '{{'),
      fc.string({ maxLength: 8 }),
      fc.stringMatching(/^[A-Z ]{0,10}$/),
    );
    const strings = fc.sample(fc.array(piece, { maxLength: 20 }).map((a) => a.join('')), { numRuns: 1000, seed: 20261123 });
    const statuses = new Map<number, number>();
    for (const multi of strings) {
      const r = await srv.call('PUT', '/api/signs/a/message', srv.tokens.admin, { multi });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status).not.toBeGreaterThanOrEqual(500);
      expect(typeof (r.body as { code?: string; status?: string }).code === 'string' || r.status === 200).toBe(true);
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    // and it still answers
    expect((await fetch(`${srv.base}/health`)).status).toBe(200);
    expect(srv.service.getSign('a').state.version).toBeGreaterThan(0);
  });
});

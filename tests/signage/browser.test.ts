import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import fc from 'fast-check';
import { messageFrame, renderMulti } from '../../core/multi/index.js';
import { startSignageServer } from './server.js';
import { signBody } from './fixture.js';
import { SIGNAGE_DEFAULTS } from '../../services/signage/config.js';

/**
 * The sign page in a real headless Chromium (Debian's /usr/bin/chromium): the LEDs it draws
 * must be the server renderer's pixels for the same message.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let srv: Awaited<ReturnType<typeof startSignageServer>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  srv = await startSignageServer({ rateLimit: { max: 1000, windowMs: 60_000 } });
  await srv.call('POST', '/api/signs', srv.tokens.admin, signBody('m1', 0, { width: 60, height: 16 }));
  await srv.call('POST', '/api/signs', srv.tokens.admin, signBody('m2', 0, { width: 40, height: 16, colourScheme: 'monochrome1bit' }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function openSign(id: string, extra = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${srv.base}/signage/?sign=${id}&scale=6${extra}#token=${srv.tokens.sign(id)}`);
  return page;
}

const waitVersion = (page: Page, v: number) => page.waitForFunction((ver) => (window as never as { __sign: { state(): { version: number } | undefined } }).__sign.state()?.version === ver, v, { timeout: 15_000 });
const leds = (page: Page) => page.evaluate(() => (window as never as { __sign: { leds(): number[] } }).__sign.leds());
/** the LEDs once the canvas shows what the page meant to show */
async function settledLeds(page: Page): Promise<number[]> {
  await page.waitForFunction(() => {
    const s = (window as never as { __sign: { leds(): number[]; shown(): number[] | null } }).__sign;
    const want = s.shown() ?? s.leds().map(() => 0);
    return s.leds().every((c, i) => c === want[i]);
  });
  return leds(page);
}

describe('sign page in Chromium', () => {
  it('draws the same pixels as the server renderer, and follows changes', async () => {
    const multi = '[jl2][cf1]A656[jl4][cf3]12 MIN[nl][jl3][cr1,16,60,1,0,0,255]CITY';
    const set = await srv.call('PUT', '/api/signs/m1/message', srv.tokens.admin, { multi });
    expect(set.status).toBe(200);
    const version = (set.body as { state: { version: number } }).state.version;
    const page = await openSign('m1');
    await waitVersion(page, version);
    const face = srv.service.getSign('m1').face;
    const expected = renderMulti(multi, face).pages[0].pixels;
    expect(expected.some((c) => c === 0xff0000)).toBe(true);
    expect(await settledLeds(page)).toEqual(expected);
    // the page acknowledged what it shows
    await expect.poll(() => srv.service.getSign('m1').lastAck?.version, { timeout: 10_000 }).toBe(version);

    // a change is pushed and drawn
    const next = await srv.call('PUT', '/api/signs/m1/message', srv.tokens.admin, { multi: '[jp4]SLOW' });
    const v2 = (next.body as { state: { version: number } }).state.version;
    await waitVersion(page, v2);
    expect(await settledLeds(page)).toEqual(renderMulti('[jp4]SLOW', face).pages[0].pixels);

    // cleared: a dark face
    await srv.call('DELETE', '/api/signs/m1/message', srv.tokens.admin);
    await waitVersion(page, v2 + 1);
    expect((await settledLeds(page)).every((c) => c === 0)).toBe(true);
    await page.close();
  });

  it('pages and flashing follow the same timing as the server (frozen time)', async () => {
    const multi = '[pt20o5]ONE[np][flt4o4]TWO[/fl] 2';
    const set = await srv.call('PUT', '/api/signs/m2/message', srv.tokens.admin, { multi });
    const version = (set.body as { state: { version: number } }).state.version;
    const face = srv.service.getSign('m2').face;
    const pages = renderMulti(multi, face).pages;
    const page = await openSign('m2', '&freeze=0');
    await waitVersion(page, version);
    for (const t of [0, 2200, 2600, 3100, 4700]) {
      await page.evaluate((ms) => (window as never as { __sign: { freeze(ms: number): void } }).__sign.freeze(ms), t);
      const want = messageFrame(pages, t).pixels ?? pages[0].pixels.map(() => 0);
      expect(await settledLeds(page), `at ${t} ms`).toEqual(want);
    }
    await page.close();
    // moving text scrolls the same way on both sides
    const mv = '[jl2][mvcl40,2,1,SLOW DOWN][jl4]A6';
    const mset = await srv.call('PUT', '/api/signs/m1/message', srv.tokens.admin, { multi: mv });
    expect(mset.status).toBe(200);
    const mpages = renderMulti(mv, srv.service.getSign('m1').face).pages;
    const mpage = await openSign('m1', '&freeze=0');
    await waitVersion(mpage, (mset.body as { state: { version: number } }).state.version);
    for (const t of [0, 1000, 2300]) {
      await mpage.evaluate((ms) => (window as never as { __sign: { freeze(ms: number): void } }).__sign.freeze(ms), t);
      expect(await settledLeds(mpage), `moving text at ${t} ms`).toEqual(messageFrame(mpages, t).pixels);
    }
    await mpage.close();
    expect(messageFrame(mpages, 1000).pixels).not.toEqual(messageFrame(mpages, 0).pixels);
    // the monochrome sign lights its LEDs amber
    expect(pages[0].pixels.filter((c) => c !== 0).every((c) => c === 0xffb400)).toBe(true);
  });

  it('agrees pixel for pixel on 40 random valid messages', async () => {
    const piece = fc.oneof(
      fc.constantFrom('[nl]', '[np]', '[jl2]', '[jl3]', '[jl4]', '[jp2]', '[jp3]', '[jp4]', '[fo1]', '[fo2]', '[cf1]', '[cf3]', '[cf0,128,255]', '[pb0]', '[pb5]'),
      fc.constantFrom('[cr1,1,8,4,1]', '[cr10,3,0,0,2]', '[sc2]', '[/sc]', '[flt3o2]', '[/fl]', '[hc41]', '[mvcl20,1,2,GO]', '[[', ']]', '[pt20o5]'),
      fc.stringMatching(/^[A-Z0-9 .:-]{1,5}$/),
    );
    const face = srv.service.getSign('m1').face;
    const valid = fc
      .sample(fc.array(piece, { minLength: 1, maxLength: 7 }).map((a) => a.join('')), { numRuns: 400, seed: 7 })
      .filter((m) => renderMulti(m, face).errors.length === 0 && !SIGNAGE_DEFAULTS.bannedWords.some((w) => m.includes(w)))
      .slice(0, 40);
    expect(valid.length).toBe(40);
    const page = await openSign('m1', '&freeze=0');
    await page.waitForFunction(() => (window as never as { __sign: { state(): unknown } }).__sign.state() !== undefined);
    for (const multi of valid) {
      const set = await srv.call('PUT', '/api/signs/m1/message', srv.tokens.admin, { multi });
      expect(set.status, multi).toBe(200);
      await waitVersion(page, (set.body as { state: { version: number } }).state.version);
      const want = messageFrame(renderMulti(multi, face).pages, 0).pixels;
      expect(await settledLeds(page), multi).toEqual(want);
    }
    await page.close();
  });

  it('reconnects by itself and catches up with what changed while it was away', async () => {
    const page = await openSign('m1');
    await page.waitForFunction(() => (window as never as { __sign: { state(): unknown } }).__sign.state() !== undefined);
    srv.gw.io.of('/signs').disconnectSockets(true);
    const set = await srv.call('PUT', '/api/signs/m1/message', srv.tokens.admin, { multi: 'BACK' });
    const version = (set.body as { state: { version: number } }).state.version;
    await waitVersion(page, version);
    expect(await settledLeds(page)).toEqual(renderMulti('BACK', srv.service.getSign('m1').face).pages[0].pixels);
    await page.close();
  });

  it('goes dark by itself when the message expires', async () => {
    const set = await srv.call('PUT', '/api/signs/m2/message', srv.tokens.admin, { multi: 'GONE', expiresAt: Date.now() + 2500 });
    expect(set.status).toBe(200);
    const page = await openSign('m2');
    await waitVersion(page, (set.body as { state: { version: number } }).state.version);
    expect((await settledLeds(page)).some((c) => c !== 0)).toBe(true);
    // no server tick runs in this test server: the page's own expiry check must darken it
    await page.waitForFunction(() => (window as never as { __sign: { leds(): number[] } }).__sign.leds().every((c) => c === 0), undefined, { timeout: 15_000 });
    await page.close();
  });

  it('shows a dark face without a valid token', async () => {
    const page = await browser.newPage();
    await page.goto(`${srv.base}/signage/?sign=m1&scale=6#token=forged.token`);
    await page.waitForFunction(() => /cannot connect/.test(document.getElementById('status')!.textContent ?? ''));
    expect((await leds(page)).every((c) => c === 0)).toBe(true);
    await page.close();
  });
});

/**
 * The sign itself, in a browser: connects to /signs with its device token, renders the MULTI it
 * is sent with the same core/multi code as the server (bundled by gateway/http/signage-static.ts),
 * draws an LED matrix with page timing, flashing and moving text, acknowledges each version,
 * reconnects by itself, and goes dark when it has nothing valid to show.
 */
import { messageFrame, renderMulti, type RenderedPage, type SignFace } from '../../core/multi/index.js';
import type { SignStatePayload } from '../../core/contracts/signage.js';

interface ClientSocket {
  connected: boolean;
  on(event: string, fn: (...args: never[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  connect(): void;
}
declare const io: (nsp: string, opts: Record<string, unknown>) => ClientSocket;

const OFF = 0x1a1a1a;
const params = new URLSearchParams(location.search);
const hash = new URLSearchParams(location.hash.slice(1));
const token = hash.get('token') ?? params.get('token') ?? '';
const signId = params.get('sign') ?? '';
/** fixed time offset into the message (ms), for inspection and tests: no animation */
let freeze = params.has('freeze') ? Number(params.get('freeze')) : undefined;
const scaleParam = Number(params.get('scale') ?? '0');

const canvas = document.getElementById('face') as HTMLCanvasElement;
const ctx = canvas.getContext('2d')!;
const status = document.getElementById('status')!;

let face: SignFace = { type: 'full', width: 96, height: 27 };
let pages: RenderedPage[] = [];
let state: SignStatePayload | undefined;
let startedAt = performance.now();
let scale = 8;
let shown: number[] | null = null;

function setStatus(text: string): void {
  status.textContent = `${signId || 'sign'}: ${text}`;
}

function resize(): void {
  const fit = Math.floor(Math.min((innerWidth - 16) / face.width, (innerHeight - 40) / face.height));
  scale = scaleParam > 0 ? scaleParam : Math.max(2, Math.min(24, fit));
  canvas.width = face.width * scale;
  canvas.height = face.height * scale;
  shown = undefined as unknown as null; // force a redraw
  lastKey = '';
}

let lastKey = '';
function draw(pixels: number[] | null): void {
  const key = pixels ? pixels.join(',') : 'dark';
  if (key === lastKey) return;
  lastKey = key;
  shown = pixels;
  ctx.fillStyle = '#050505';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const r = scale * 0.42;
  for (let y = 0; y < face.height; y++) {
    for (let x = 0; x < face.width; x++) {
      const c = pixels ? pixels[y * face.width + x] : 0;
      ctx.fillStyle = `#${(c === 0 ? OFF : c).toString(16).padStart(6, '0')}`;
      ctx.beginPath();
      ctx.arc((x + 0.5) * scale, (y + 0.5) * scale, r, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** nothing valid (no message, a bad one, or expired): a dark face */
function valid(): boolean {
  return !!state && pages.length > 0 && (state.expiresAt === undefined || Date.now() < state.expiresAt);
}

/** time, date and other [f] fields change: render again now and then, keeping the page timing */
let renderedAt = 0;
function refreshFields(): void {
  if (!state || !/\[f\d/i.test(state.multi) || Date.now() - renderedAt < 10_000) return;
  const r = renderMulti(state.multi, state.face, { now: Date.now(), timeZone: state.timeZone });
  pages = r.errors.length ? [] : r.pages;
  renderedAt = Date.now();
}

function render(): void {
  if (freeze === undefined) refreshFields();
  if (!valid()) draw(null);
  else draw(messageFrame(pages, freeze ?? performance.now() - startedAt).pixels);
}

function frame(): void {
  render();
  requestAnimationFrame(frame);
}

function show(s: SignStatePayload): void {
  state = s;
  if (s.face.width !== face.width || s.face.height !== face.height) {
    face = s.face;
    resize();
  }
  face = s.face;
  const r = s.multi ? renderMulti(s.multi, s.face, { now: Date.now(), timeZone: s.timeZone }) : { pages: [], errors: [] };
  pages = r.errors.length ? [] : r.pages;
  renderedAt = Date.now();
  startedAt = performance.now();
  lastKey = '';
  setStatus(`v${s.version} ${pages.length ? `${pages.length} page(s)` : 'dark'}`);
  // draw now, so the state and the face never disagree between two animation frames
  render();
}

// the read-out tests and technicians use: LED colours as shown (0 = off)
(window as unknown as { __sign: unknown }).__sign = {
  state: () => state,
  leds(): number[] {
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const out: number[] = [];
    for (let y = 0; y < face.height; y++) {
      for (let x = 0; x < face.width; x++) {
        const k = 4 * (Math.floor((y + 0.5) * scale) * canvas.width + Math.floor((x + 0.5) * scale));
        const c = (img[k] << 16) | (img[k + 1] << 8) | img[k + 2];
        out.push(c === OFF ? 0 : c);
      }
    }
    return out;
  },
  shown: () => shown,
  /** show the frame `ms` into the message (undefined: run live) */
  freeze(ms: number | undefined): void {
    freeze = ms;
    lastKey = '';
    render();
  },
};

function connect(): void {
  if (!token) {
    setStatus('no device token (add #token=...)');
    draw(null);
    return;
  }
  const socket = io('/signs', { auth: { token }, reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 5000 });
  socket.on('connect', () => setStatus('connected'));
  socket.on('sign:state', (s: SignStatePayload) => {
    show(s);
    // acknowledge what is now on the face
    socket.emit('sign:ack', { version: s.version });
  });
  socket.on('disconnect', (reason: string) => {
    setStatus(`offline (${reason})`);
    // the server dropped us on purpose: socket.io will not retry by itself
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
  });
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    setStatus(`cannot connect: ${err.data?.code ?? err.message}`);
    // refused by the server's middleware: retry slowly (the token may be renewed, the sign registered)
    if (err.data?.code) setTimeout(() => socket.connect(), 5000);
  });
}

resize();
draw(null);
requestAnimationFrame(frame);
connect();

import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { parseCliArgs, numberOption, type CliIo } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { faceProblem, ledFaceRgba, pageRows, renderMulti, type ColourScheme, type SignFace, type SignType } from '../../../core/multi/index.js';

const HELP = `usage: urbanflow multi render "MULTI" --width W --height H [options]

Checks and renders an NTCIP 1203 MULTI message for a sign.
  --type full|line|character   matrix kind (default full)
  --width W --height H         face size in pixels
  --colours monochrome1bit|classic|colour24bit   (default colour24bit)
  --fonts 1,2                  fonts the sign has (default all)
  --max-pages N                (default 6)
  --time ISO|epoch-ms --tz ZONE --temperature C --speed KMH   values for [f] fields
  --out face.png               write page 1 as an LED picture (--scale px per LED, default 4)
  --json                       one JSON document: pages as rows of palette indices, or errors
Exit status: 0 valid, 1 the message has errors, 2 bad arguments.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(
    argv,
    {
      type: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      colours: { type: 'string' },
      fonts: { type: 'string' },
      'max-pages': { type: 'string' },
      time: { type: 'string' },
      tz: { type: 'string' },
      temperature: { type: 'string' },
      speed: { type: 'string' },
      out: { type: 'string' },
      scale: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [sub, multi, ...extra] = positionals;
  if (sub !== 'render') throw new UrbanflowError('INVALID_INPUT', `unknown subcommand '${sub ?? ''}' (try: multi render "MULTI" --width W --height H)`, { field: 'subcommand' });
  if (multi === undefined) throw new UrbanflowError('INVALID_INPUT', 'the MULTI string is required', { field: 'multi' });
  if (extra.length) throw new UrbanflowError('INVALID_INPUT', `unexpected argument '${extra[0]}' (quote the MULTI string)`, { field: 'multi' });
  const type = (values.type ?? 'full') as SignType;
  if (!['full', 'line', 'character'].includes(type)) throw new UrbanflowError('INVALID_INPUT', `--type must be full, line or character, got '${values.type}'`, { field: 'type' });
  const colourScheme = (values.colours ?? 'colour24bit') as ColourScheme;
  if (!['monochrome1bit', 'classic', 'colour24bit'].includes(colourScheme)) {
    throw new UrbanflowError('INVALID_INPUT', `--colours must be monochrome1bit, classic or colour24bit, got '${values.colours}'`, { field: 'colours' });
  }
  const face: SignFace = {
    type,
    width: numberOption(values.width, 'width'),
    height: numberOption(values.height, 'height'),
    colourScheme,
    fonts: values.fonts ? values.fonts.split(',').map((s) => numberOption(s.trim(), 'fonts')) : undefined,
    maxPages: values['max-pages'] === undefined ? undefined : numberOption(values['max-pages'], 'max-pages'),
  };
  const problem = faceProblem(face);
  if (problem) throw new UrbanflowError('INVALID_INPUT', `--${problem.field}: ${problem.message}`, { field: problem.field });
  let now: number | undefined;
  if (values.time !== undefined) {
    now = /^\d+$/.test(values.time) ? Number(values.time) : Date.parse(values.time);
    if (!Number.isFinite(now)) throw new UrbanflowError('INVALID_INPUT', `--time must be an ISO date or epoch milliseconds, got '${values.time}'`, { field: 'time' });
  }
  const fields = {
    now,
    timeZone: values.tz,
    temperatureC: values.temperature === undefined ? undefined : numberOption(values.temperature, 'temperature'),
    speedKmh: values.speed === undefined ? undefined : numberOption(values.speed, 'speed'),
  };
  const scale = numberOption(values.scale, 'scale', 4);
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) throw new UrbanflowError('INVALID_INPUT', '--scale must be an integer 1-32', { field: 'scale' });

  const result = renderMulti(multi, face, fields);
  if (result.errors.length === 0 && values.out) {
    const p = result.pages[0];
    const png = new PNG({ width: p.width * scale, height: p.height * scale });
    png.data = Buffer.from(ledFaceRgba(p.pixels, p.width, p.height, scale));
    writeFileSync(values.out, PNG.sync.write(png));
  }
  if (values.json) {
    const doc = result.errors.length
      ? { ok: false, multi, errors: result.errors }
      : {
          ok: true,
          multi,
          width: face.width,
          height: face.height,
          pages: result.pages.map((p, i) => ({ page: i + 1, onMs: p.on * 100, offMs: p.off * 100, flashing: p.flashes.length > 0, moving: p.moving.length > 0, ...pageRows(p.pixels, p.width) })),
          out: values.out,
        };
    io.stdout(JSON.stringify(doc));
    return result.errors.length ? 1 : 0;
  }
  if (result.errors.length) {
    io.stdout(multi);
    for (const e of result.errors) io.stdout(`${' '.repeat(e.position)}${'^'.repeat(Math.max(1, e.length))} ${e.code} at ${e.position}: ${e.message}`);
    return 1;
  }
  result.pages.forEach((p, i) => {
    io.stdout(`page ${i + 1}/${result.pages.length}  ${p.on / 10}s on, ${p.off / 10}s off${p.flashes.length ? ', flashing' : ''}`);
    for (const row of pageRows(p.pixels, p.width).rows) io.stdout(row.replace(/0/g, '.').replace(/[^.]/g, '#'));
  });
  if (values.out) io.stderr(`wrote ${values.out}`);
  return 0;
}

/**
 * Types of the NTCIP 1203 MULTI toolkit: parsed tokens, typed errors with their position in the
 * source string, the description of a sign face, and rendered pages. Browser-safe: no Node imports.
 */

/** A colour as written in a tag: a classic colour number (0-9) or 24-bit R,G,B. */
export type MultiColour = { classic: number } | { rgb: [number, number, number] };

interface At {
  /** index of the first character of the token in the source string */
  pos: number;
  /** number of source characters the token spans */
  len: number;
}

export type MultiToken = At &
  (
    | { kind: 'text'; text: string }
    | { kind: 'nl'; spacing?: number }
    | { kind: 'np' }
    | { kind: 'pt'; on?: number; off?: number }
    | { kind: 'jl'; value?: number }
    | { kind: 'jp'; value?: number }
    | { kind: 'fo'; font?: number; version?: string }
    | { kind: 'cf'; colour?: MultiColour }
    | { kind: 'pb'; colour?: MultiColour }
    | { kind: 'cb'; colour?: MultiColour }
    | { kind: 'cr'; x: number; y: number; w: number; h: number; colour: MultiColour }
    | { kind: 'tr'; x: number; y: number; w: number; h: number }
    | { kind: 'sc'; spacing: number }
    | { kind: '/sc' }
    | { kind: 'fl'; on?: number; off?: number; startOn: boolean }
    | { kind: '/fl' }
    | { kind: 'f'; field: number; width?: number }
    | { kind: 'hc'; code: number }
    | { kind: 'mv'; mode: 'c' | 'l'; repeat?: number; dir: 'l' | 'r'; width: number; step: number; rate: number; text: string }
  );

export type MultiTokenKind = MultiToken['kind'];

export const MULTI_ERROR_CODES = {
  unsupportedTag: 'tag not supported (unknown, or not on this kind of sign)',
  badTagValue: 'tag value malformed or out of range',
  unclosedTag: 'a [ without its ], or a lone ]',
  tagConflict: 'tag out of order or without its opening tag',
  textTooBig: 'text does not fit the sign',
  undefinedCharacter: 'character not defined in the font',
  tooManyPages: 'more pages than the sign allows',
} as const;
export type MultiErrorCode = keyof typeof MULTI_ERROR_CODES;

export interface MultiError {
  code: MultiErrorCode;
  message: string;
  /** index in the MULTI string where the problem starts */
  position: number;
  /** characters concerned (at least 1 unless the string is empty) */
  length: number;
}

export type SignType = 'full' | 'line' | 'character';
export type ColourScheme = 'monochrome1bit' | 'classic' | 'colour24bit';

/** What the renderer needs to know about a sign's face. */
export interface SignFace {
  type: SignType;
  /** pixels */
  width: number;
  height: number;
  /** character/line matrices: cell pitch in pixels (character: width and height; line: height only) */
  cellWidth?: number;
  cellHeight?: number;
  /** font numbers the sign has (default: every built-in font) */
  fonts?: number[];
  defaultFont?: number;
  colourScheme?: ColourScheme;
  /** 0xRRGGBB of lit LEDs on a monochrome sign, and the default foreground elsewhere */
  foreground?: number;
  background?: number;
  maxPages?: number;
  /** tenths of a second */
  defaultPageOn?: number;
  defaultPageOff?: number;
  defaultFlashOn?: number;
  defaultFlashOff?: number;
  /** 2 left, 3 centre, 4 right */
  defaultLineJustification?: number;
  /** 2 top, 3 middle, 4 bottom */
  defaultPageJustification?: number;
  /** longest MULTI string accepted */
  maxLength?: number;
}

/** Values for the [f] field tags; missing values render as dashes. */
export interface FieldValues {
  /** epoch milliseconds for the time and date fields */
  now?: number;
  /** IANA zone for the time and date fields (default UTC) */
  timeZone?: string;
  temperatureC?: number;
  speedKmh?: number;
}

/** A set of pixels that blink together. */
export interface FlashGroup {
  /** tenths of a second */
  on: number;
  off: number;
  startOn: boolean;
  /** pixel indices (y * width + x) that show `hidden` during the off phase */
  indices: number[];
  /** colour of each of those pixels while the flashing text is hidden */
  hidden: number[];
}

/** Text that scrolls through a window. */
export interface MovingText {
  x: number;
  y: number;
  width: number;
  height: number;
  mode: 'c' | 'l';
  dir: 'l' | 'r';
  step: number;
  /** tenths of a second per step */
  rate: number;
  /** the rendered text: stripWidth x height colours, 0 where the window's background shows */
  strip: number[];
  stripWidth: number;
  /** the window's background (height x width) */
  background: number[];
}

export interface RenderedPage {
  width: number;
  height: number;
  /** tenths of a second the page is shown, then dark */
  on: number;
  off: number;
  /** 0xRRGGBB per pixel, row-major, with flashing text visible and moving text at its start */
  pixels: number[];
  flashes: FlashGroup[];
  moving: MovingText[];
}

export interface RenderResult {
  pages: RenderedPage[];
  errors: MultiError[];
}

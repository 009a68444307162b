/**
 * Rendering Vega-Lite specs headless: to SVG with Vega's own renderer (`npm:vega@6.4.0`,
 * `npm:vega-lite@6.5.0`), to PNG with resvg (`npm:@resvg/resvg-js@2.6.2`, a prebuilt native module
 * shipped in the npm package), and writing both atomically.
 *
 * Fonts: resvg draws text only with the fonts it is given. {@linkcode findFont} looks, in order, at the
 * `DENOTORCH_FONT` environment variable (a .ttf/.otf path), then at the usual places of DejaVu Sans
 * (Debian's `fonts-dejavu-core`, which CI installs), Liberation Sans, FreeSans, Arial and Helvetica; the
 * first found is loaded and stands for the generic `sans-serif` family the specs use. Without one, resvg
 * falls back to the system's fonts, and when those are missing too the PNG has no text (a warning says
 * so, once). SVGs are unaffected: their text is text.
 *
 * @module
 */

// Full npm: specifiers, not the bare names of this repository's import map: a project that imports the
// library by URL has its own import map, which does not know them.
// deno-lint-ignore no-import-prefix
import * as vega from "npm:vega@6.4.0";
// deno-lint-ignore no-import-prefix
import * as vl from "npm:vega-lite@6.5.0";
// deno-lint-ignore no-import-prefix
import { Resvg } from "npm:@resvg/resvg-js@2.6.2";
import { writeFileAtomic } from "../util/fs.ts";
import type { VegaLiteSpec } from "./diagram.ts";
import { checkOptionsObject } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { pick, PNG_KEYS, WRITE_DIAGRAM_KEYS } from "./option_keys.ts";

/** A font file and the family name it holds. */
export interface FontChoice {
  /** The path of the font file. */
  path: string;
  /** The family name inside the file. */
  family: string;
}

const CANDIDATES: FontChoice[] = [
  { path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", family: "DejaVu Sans" }, // Debian, Ubuntu
  { path: "/usr/share/fonts/dejavu/DejaVuSans.ttf", family: "DejaVu Sans" }, // Fedora
  { path: "/usr/share/fonts/TTF/DejaVuSans.ttf", family: "DejaVu Sans" }, // Arch
  { path: "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", family: "DejaVu Sans" },
  { path: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", family: "Liberation Sans" },
  { path: "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", family: "Liberation Sans" },
  { path: "/usr/share/fonts/truetype/freefont/FreeSans.ttf", family: "FreeSans" },
  { path: "/Library/Fonts/Arial.ttf", family: "Arial" },
  { path: "/System/Library/Fonts/Supplemental/Arial.ttf", family: "Arial" },
  { path: "C:\\Windows\\Fonts\\arial.ttf", family: "Arial" },
];

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

let cachedFont: FontChoice | null | undefined;
let warned = false;

/**
 * The font used for PNG text: `DENOTORCH_FONT` (family from `DENOTORCH_FONT_FAMILY`, default "DejaVu
 * Sans"), else the first of the known locations that exists, else null.
 *
 * @example
 * ```ts
 * import { findFont } from "./render.ts";
 * console.log(findFont()?.path ?? "no font: install fonts-dejavu-core for text in PNGs");
 * ```
 */
export function findFont(): FontChoice | null {
  if (cachedFont !== undefined) return cachedFont;
  let env: string | undefined;
  try {
    env = Deno.env.get("DENOTORCH_FONT");
  } catch { /* no env permission */ }
  if (env !== undefined && env !== "") {
    if (!exists(env)) throw new RangeError(`DENOTORCH_FONT: no font file at ${JSON.stringify(env)}`);
    let family = "DejaVu Sans";
    try {
      family = Deno.env.get("DENOTORCH_FONT_FAMILY") ?? family;
    } catch { /* no env permission */ }
    return cachedFont = { path: env, family };
  }
  return cachedFont = CANDIDATES.find((c) => exists(c.path)) ?? null;
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string, headless.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { renderSvg } from "./render.ts";
 * const svg = await renderSvg(lineChart([{ name: "loss", y: [1, 0.5, 0.3] }]));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new TypeError(
      `renderSvg: spec must be a Vega-Lite spec object, got ${Array.isArray(spec) ? "an array" : typeof spec}`,
    );
  }
  // deno-lint-ignore no-explicit-any
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of {@linkcode renderPng}. */
export interface PngOptions {
  /** Output width in pixels, the height following the aspect ratio (default: the SVG's width x 2). */
  width?: number;
  /** Background color (default white). */
  background?: string;
}

/** A rasterised image: its size, RGBA pixels and PNG bytes. */
export interface RenderedPng {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGBA pixels, row-major. */
  pixels: Uint8Array;
  /** The PNG file's bytes. */
  png: Uint8Array;
}

/**
 * Rasterises an SVG: its size, pixels and PNG bytes (see {@linkcode renderPng}).
 *
 * @example
 * ```ts
 * import { lineChart, rasterize, renderSvg } from "./charts.ts";
 * const img = rasterize(await renderSvg(lineChart([{ name: "loss", y: [1, 0.5] }])), { width: 300 });
 * console.log(img.width, img.height, img.pixels.length === img.width * img.height * 4);
 * ```
 */
export function rasterize(svg: string, options: PngOptions = {}): RenderedPng {
  checkOptionsObject("rasterize", options);
  checkOptions("rasterize", options, PNG_KEYS);
  if (typeof svg !== "string" || !svg.includes("<svg")) throw new TypeError("renderPng: svg must be an SVG string");
  const width = options.width;
  if (width !== undefined && !(Number.isInteger(width) && width >= 1 && width <= 16384)) {
    throw new RangeError(`renderPng: width must be an integer in [1, 16384], got ${width}`);
  }
  const font = findFont();
  if (font === null && !warned) {
    warned = true;
    console.warn(
      "renderPng: no font file found (install Debian's fonts-dejavu-core or set DENOTORCH_FONT): " +
        "text may be missing from PNGs",
    );
  }
  const resvg = new Resvg(svg, {
    background: options.background ?? "white",
    fitTo: width === undefined ? { mode: "zoom", value: 2 } : { mode: "width", value: width },
    font: font === null ? { loadSystemFonts: true } : {
      loadSystemFonts: false,
      fontFiles: [font.path],
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    },
  });
  const image = resvg.render();
  return {
    width: image.width,
    height: image.height,
    pixels: new Uint8Array(image.pixels),
    png: new Uint8Array(image.asPng()),
  };
}

/**
 * Rasterises an SVG string to PNG bytes with resvg.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { renderPng, renderSvg } from "./render.ts";
 * const png = renderPng(await renderSvg(lineChart([{ name: "loss", y: [1, 0.5] }])), { width: 800 });
 * ```
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  checkOptionsObject("renderPng", options);
  checkOptions("renderPng", options, PNG_KEYS);
  return rasterize(svg, options).png;
}

/** Options of {@linkcode writeDiagram}. */
export interface WriteDiagramOptions extends PngOptions {
  /** Also write the PNG (default true). */
  png?: boolean;
  /** Also write the Vega-Lite spec as `.vl.json` (default false). */
  spec?: boolean;
}

/**
 * Renders a spec and writes `<path>.svg` and `<path>.png` (and with `spec: true` `<path>.vl.json`), each
 * atomically (a temporary file, then a rename). A `.svg` or `.png` extension on `path` is dropped.
 * Returns the paths written.
 *
 * @example
 * ```ts
 * import { reliabilityDiagram } from "./diagram.ts";
 * import { writeDiagram } from "./render.ts";
 * const bins = [{ bin: 0, lower: 0, upper: 1, count: 10, confidence: 0.8, accuracy: 0.7, gap: 0.1 }];
 * await writeDiagram("runs/demo/reliability", reliabilityDiagram(bins), { width: 800 });
 * ```
 */
export async function writeDiagram(
  path: string,
  spec: VegaLiteSpec,
  options: WriteDiagramOptions = {},
): Promise<{ svg: string; png: string | null; spec: string | null }> {
  if (typeof path !== "string" || path === "") throw new TypeError(`writeDiagram: path must be a non-empty string`);
  checkOptions("writeDiagram", options, WRITE_DIAGRAM_KEYS);
  const base = path.replace(/\.(svg|png)$/i, "");
  const svg = await renderSvg(spec);
  const png = options.png === false ? null : renderPng(svg, pick(options, PNG_KEYS));
  const out = {
    svg: `${base}.svg`,
    png: png === null ? null : `${base}.png`,
    spec: options.spec ? `${base}.vl.json` : null,
  };
  await writeFileAtomic(out.svg, svg);
  if (png !== null) await writeFileAtomic(out.png!, png);
  if (out.spec !== null) await writeFileAtomic(out.spec, JSON.stringify(spec, null, 2));
  return out;
}

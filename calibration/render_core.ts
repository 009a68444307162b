/**
 * The rendering itself, without the argument checks of `render.ts` and without the tensor layer, so that a
 * worker can load it without LibTorch (the study renders its figures in one, see `study/figures.ts`):
 * Vega-Lite to SVG with Vega's own renderer (`npm:vega@6.4.0`, `npm:vega-lite@6.5.0`), SVG to PNG with resvg
 * (`npm:@resvg/resvg-js@2.6.2`), the font search, and writing a figure's files atomically. Callers check
 * their arguments first; `render.ts` holds the checked public functions.
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
 * import { findFont } from "./render_core.ts";
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
 * Compiles a Vega-Lite spec and renders it to an SVG string, headless (the spec is not checked).
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { svgOfSpec } from "./render_core.ts";
 * const svg = await svgOfSpec(lineChart([{ name: "loss", y: [1, 0.5, 0.3] }]));
 * ```
 */
export async function svgOfSpec(spec: VegaLiteSpec): Promise<string> {
  // deno-lint-ignore no-explicit-any
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
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

/** How {@linkcode rasterizeSvg} sizes and fills the image. */
export interface RasterOptions {
  /** Output width in pixels, the height following the aspect ratio (default: the SVG's width x 2). */
  width?: number;
  /** Background color (default white). */
  background?: string;
}

/**
 * Rasterises an SVG string with resvg and the font of {@linkcode findFont} (the arguments are not
 * checked); warns once when no font is found.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { rasterizeSvg, svgOfSpec } from "./render_core.ts";
 * const img = rasterizeSvg(await svgOfSpec(lineChart([{ name: "loss", y: [1, 0.5] }])), { width: 300 });
 * ```
 */
export function rasterizeSvg(svg: string, options: RasterOptions = {}): RenderedPng {
  const font = findFont();
  if (font === null && !warned) {
    warned = true;
    console.warn(
      "renderPng: no font file found (install Debian's fonts-dejavu-core or set DENOTORCH_FONT): " +
        "text may be missing from PNGs",
    );
  }
  const width = options.width;
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

/** What {@linkcode writeFigure} writes besides the SVG. */
export interface FigureFileOptions extends RasterOptions {
  /** Also write the PNG. */
  png: boolean;
  /** Also write the Vega-Lite spec as `.vl.json`. */
  spec?: boolean;
}

/** The paths a figure was written to. */
export interface FigureFiles {
  /** `<base>.svg`. */
  svg: string;
  /** `<base>.png`, or null when not asked for. */
  png: string | null;
  /** `<base>.vl.json`, or null when not asked for. */
  spec: string | null;
}

/**
 * Renders `spec` and writes `<base>.svg` (and `<base>.png`, `<base>.vl.json` when asked), each atomically
 * (a temporary file, then a rename); returns the paths written.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import { writeFigure } from "./render_core.ts";
 * await writeFigure("runs/demo/loss", lineChart([{ name: "loss", y: [1, 0.5] }]), { png: false });
 * ```
 */
export async function writeFigure(base: string, spec: VegaLiteSpec, options: FigureFileOptions): Promise<FigureFiles> {
  const svg = await svgOfSpec(spec);
  const png = options.png ? rasterizeSvg(svg, { width: options.width, background: options.background }).png : null;
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

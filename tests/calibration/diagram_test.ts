// Reliability diagrams: the SVG parses (strict XML) and holds the expected marks; the PNG has a PNG
// signature and the right size; text reaches the PNG when a font is found; files are written atomically.

import { DOMParser } from "@xmldom/xmldom";
import { join } from "node:path";
import { dispose, tensor } from "../../mod.ts";
import { type BinRow, calibrationReport, temperatureSweep } from "../../calibration/mod.ts";
import {
  findFont,
  lineChart,
  rasterize,
  reliabilityDiagram,
  reliabilityGrid,
  reliabilityOverlay,
  renderPng,
  renderSvg,
  writeDiagram,
} from "../../calibration/charts.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assert, assertThrowsMatch } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Element = any;

function parseSvg(svg: string): Element {
  const doc = new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== "warning") throw new Error(msg);
    },
  })
    .parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  assert.equal(root?.nodeName, "svg");
  return root;
}

/** The paths of the mark groups whose class names the mark `name` (Vega writes `<name>_marks`). */
function marks(root: Element, name: string): Element[] {
  const groups = Array.from(root.getElementsByTagName("g") as ArrayLike<Element>)
    .filter((g) => (g.getAttribute("class") ?? "").split(" ").includes(`${name}_marks`));
  assert.ok(groups.length >= 1, `a mark group ${name}`);
  return groups.flatMap((g) => Array.from(g.getElementsByTagName("path") as ArrayLike<Element>));
}

function texts(root: Element): string[] {
  return Array.from(root.getElementsByTagName("text") as ArrayLike<Element>).map((t) => t.textContent ?? "");
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual(Array.from(png.subarray(0, 8)), signature, "PNG signature");
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  const v = new DataView(png.buffer, png.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

const BINS: BinRow[] = [
  { bin: 0, lower: 0, upper: 0.25, count: 0, confidence: null, accuracy: null, gap: null },
  { bin: 1, lower: 0.25, upper: 0.5, count: 10, confidence: 0.4, accuracy: 0.3, gap: 0.1 },
  { bin: 2, lower: 0.5, upper: 0.75, count: 30, confidence: 0.65, accuracy: 0.7, gap: -0.05 },
  { bin: 3, lower: 0.75, upper: 1, count: 60, confidence: 0.9, accuracy: 0.8, gap: 0.1 },
];

Deno.test("reliabilityDiagram: the SVG holds bars per non-empty bin, the gaps, the diagonal, counts, ECE", async () => {
  const spec = reliabilityDiagram(BINS, { title: "Uncalibrated" });
  const root = parseSvg(await renderSvg(spec));
  assert.equal(marks(root, "accuracy").length, 3);
  assert.equal(marks(root, "gap").length, 3);
  assert.equal(marks(root, "counts").length, 3);
  assert.equal(marks(root, "diagonal").length, 1);
  const t = texts(root);
  // ECE = (10 * 0.1 + 30 * 0.05 + 60 * 0.1) / 100 = 8.50%
  assert.ok(t.includes("ECE = 8.50%"), `legend title in ${JSON.stringify(t)}`);
  for (
    const label of [
      "Accuracy (bar top, or top of an orange gap)",
      "Gap: over-confident (confidence above accuracy)",
      "Perfect calibration",
      "Uncalibrated",
      "Confidence",
      "Count",
    ]
  ) {
    assert.ok(t.includes(label), `text ${label}`);
  }
  // an explicit ECE, no histogram
  const bare = parseSvg(await renderSvg(reliabilityDiagram(BINS, { ece: 0.0123, histogramHeight: 0 })));
  assert.ok(texts(bare).includes("ECE = 1.23%"));
  assert.equal(
    Array.from(bare.getElementsByTagName("g") as ArrayLike<Element>)
      .filter((g) => (g.getAttribute("class") ?? "").includes("counts_marks")).length,
    0,
  );
  assertThrowsMatch(() => reliabilityDiagram([]), TypeError, /bins must be a non-empty array/);
  assertThrowsMatch(() => reliabilityDiagram(BINS, { width: 0 }), RangeError, /width must be a number >= 1, got 0/);
});

Deno.test("reliabilityOverlay: the uncalibrated blue, the best red, the others along a sequential scale of T", async () => {
  const f = loadFixture("calibration/multiclass");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const sweep = temperatureSweep(logits, labels, { input: "logits", temperatures: [0.5, 1, 2, 3] });
  const spec = reliabilityOverlay(sweep.points, { initialT: sweep.initialT, bestT: sweep.bestT, bestName: "fitted" });
  const root = parseSvg(await renderSvg(spec));
  const blue = marks(root, "uncalibrated"), red = marks(root, "best"), others = marks(root, "curves");
  assert.equal(blue.length, 1);
  assert.equal(red.length, 1);
  assert.equal(others.length, 3, "the three other temperatures");
  assert.equal(blue[0].getAttribute("stroke"), "#1f77b4");
  assert.equal(red[0].getAttribute("stroke"), "#d62728");
  const strokes = others.map((g) => g.getAttribute("stroke"));
  assert.equal(new Set(strokes).size, 3, `each other temperature has its own colour: ${strokes}`);
  for (const s of strokes) assert.ok(!["#1f77b4", "#d62728", "#9e9e9e"].includes(s), s);
  assert.equal(marks(root, "diagonal").length, 1);
  const t = texts(root);
  const best = sweep.points.find((p) => p.temperature === sweep.bestT)!;
  assert.ok(
    t.includes(`fitted: T = ${sweep.bestT.toFixed(3)} (ECE ${(100 * best.ece).toFixed(2)}%)`),
    JSON.stringify(t),
  );
  assert.ok(t.some((s) => s.startsWith("uncalibrated: T = 1.000 (ECE ")));
  assert.ok(t.includes("T (3 others)"), "the gradient legend of T is titled");
  // the gradient legend's labels are temperatures (powers of 2 in the range of the others)
  for (const tick of ["0.5", "1", "2"]) assert.ok(t.includes(tick), `legend tick ${tick} in ${JSON.stringify(t)}`);
  assertThrowsMatch(
    () => reliabilityOverlay(sweep.points, { bestT: 7 }),
    RangeError,
    /no curve at bestT = 7/,
  );
  dispose([logits, labels]);
});

Deno.test("reliabilityDiagram: a top-label axis from 0.5, per-bin count labels, gap colours by side, CI in the title", async () => {
  const bins: BinRow[] = [
    { bin: 0, lower: 0, upper: 0.5, count: 0, confidence: null, accuracy: null, gap: null },
    { bin: 1, lower: 0.5, upper: 0.75, count: 30, confidence: 0.65, accuracy: 0.7, gap: -0.05 },
    { bin: 2, lower: 0.75, upper: 1, count: 70, confidence: 0.9, accuracy: 0.8, gap: 0.1 },
  ];
  const spec = reliabilityDiagram(bins, {
    title: "Top-label",
    eceInterval: { lower: 0.031, upper: 0.12, level: 0.95 },
    xDomain: [0.5, 1],
  });
  const root = parseSvg(await renderSvg(spec));
  const t = texts(root);
  // ECE = (30 * 0.05 + 70 * 0.1) / 100 = 8.50%
  assert.ok(t.includes("ECE 8.50% (95% bootstrap CI 3.10%–12.00%) · N = 100 · 3 bins"), JSON.stringify(t));
  assert.ok(t.includes("Confidence (top label, max(p, 1 − p))"));
  assert.ok(t.includes("0.50") && !t.includes("0.40"), `the axis starts at 0.5: ${JSON.stringify(t)}`);
  const countLabels = Array.from(root.getElementsByTagName("g") as ArrayLike<Element>)
    .filter((g) => (g.getAttribute("class") ?? "").split(" ").includes("countLabels_marks"))
    .flatMap((g) => Array.from(g.getElementsByTagName("text") as ArrayLike<Element>).map((e) => e.textContent));
  assert.deepEqual(countLabels, ["30", "70"]);
  const gaps = marks(root, "gap").map((g) => g.getAttribute("fill"));
  assert.deepEqual(gaps, ["#ff7f0e", "#d62728"], "under-confident orange, over-confident red");
  for (
    const label of [
      "Gap: over-confident (confidence above accuracy)",
      "Gap: under-confident (accuracy above confidence)",
    ]
  ) assert.ok(t.includes(label), label);
  assertThrowsMatch(
    () => reliabilityDiagram(BINS, { xDomain: [0.5, 1] }),
    RangeError,
    /bin 1 \(0\.25, 0\.5\] holds 10 samples but lies outside xDomain \[0\.5, 1\]/,
  );
  assertThrowsMatch(() => reliabilityDiagram(BINS, { xDomain: [1, 0] }), RangeError, /xDomain must be \[lo, hi\]/);
});

Deno.test("reliabilityDiagram: a binary confidence of exactly 0.5 (bin (0.4, 0.5]) is drawn at 0.5, not an error", async () => {
  // logits of exactly 0: p = 0.5, top-label confidence 0.5, which (lower, upper] edges put in (0.4, 0.5];
  // +-2: confidence 0.881 (bin (0.8, 0.9]), 3: 0.953 (bin (0.9, 1])
  const logits = tensor([0, 0, 0, 2, -2, 3], { dtype: "float32" }), labels = tensor([1, 0, 1, 1, 0, 0]);
  const r = calibrationReport(logits, labels, { input: "logits", nBins: 10 });
  assert.equal(r.bins[4].count, 3);
  assert.equal(r.bins[4].confidence, 0.5);
  const root = parseSvg(await renderSvg(reliabilityDiagram(r.bins, { ece: r.ece, xDomain: [0.5, 1] })));
  const countLabels = Array.from(root.getElementsByTagName("g") as ArrayLike<Element>)
    .filter((g) => (g.getAttribute("class") ?? "").split(" ").includes("countLabels_marks"))
    .flatMap((g) => Array.from(g.getElementsByTagName("text") as ArrayLike<Element>).map((e) => e.textContent));
  assert.deepEqual(countLabels, ["3", "2", "1"], "the 0.5 bin's count is shown too");
  assert.ok(texts(root).some((t) => t.includes("N = 6")));
  dispose([logits, labels]);
});

Deno.test("reliabilityGrid: one panel per temperature, in increasing T, highlighted titles coloured", async () => {
  const f = loadFixture("calibration/multiclass");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const sweep = temperatureSweep(logits, labels, { input: "logits", temperatures: [0.5, 1, 2, 3] });
  const spec = reliabilityGrid(sweep.points, { bestT: sweep.bestT, columns: 3 });
  const root = parseSvg(await renderSvg(spec));
  const t = texts(root);
  const titles = t.filter((s) => /^T = \d/.test(s));
  assert.equal(titles.length, sweep.points.length);
  const temps = titles.map((s) => Number(s.slice(4, 9)));
  assert.deepEqual(temps, [...temps].sort((a, b) => a - b));
  assert.ok(titles.includes("T = 1.000 (uncalibrated)"));
  for (let k = 0; k < sweep.points.length; k++) assert.ok(marks(root, `accuracy_${k}`).length >= 1);
  dispose([logits, labels]);
});

Deno.test("charts carry a Jupyter display: SVG, the Vega-Lite spec under its MIME type, text", async () => {
  const spec = reliabilityDiagram(BINS, { title: "Shown" });
  assert.equal(Object.keys(spec).includes("Symbol(Jupyter.display)"), false);
  assert.ok(!JSON.stringify(spec).includes("Jupyter"), "the display method is not part of the JSON");
  // deno-lint-ignore no-explicit-any
  const bundle = await (spec as any)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  parseSvg(bundle["image/svg+xml"]);
  assert.equal(bundle["application/vnd.vegalite.v5+json"].$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(bundle["application/vnd.vegalite.v5+json"].vconcat, JSON.parse(JSON.stringify(spec)).vconcat);
  assert.match(bundle["text/plain"], /^Chart: Shown/);
  // deno-lint-ignore no-explicit-any
  const line = lineChart([{ name: "a", y: [1, 2] }]) as any;
  assert.ok((await line[Symbol.for("Jupyter.display")]())["image/svg+xml"].includes("<svg"));
});

Deno.test("lineChart: one line per series", async () => {
  const spec = lineChart([{ name: "train", y: [2.3, 1.1, 0.7] }, { name: "val", y: [2.2, 1.3, NaN], x: [1, 2, 3] }], {
    title: "Loss",
    yTitle: "Loss",
  });
  const root = parseSvg(await renderSvg(spec));
  assert.equal(marks(root, "lines").length, 2);
  assert.ok(texts(root).includes("Loss"));
  assertThrowsMatch(() => lineChart([{ name: "a", y: [1, 2], x: [1] }]), RangeError, /2 y values but 1 x values/);
});

Deno.test("renderPng: a PNG of the requested width, the height following the aspect ratio", async () => {
  const svg = await renderSvg(reliabilityDiagram(BINS));
  const root = parseSvg(svg);
  const w = Number(root.getAttribute("width")), h = Number(root.getAttribute("height"));
  const png = renderPng(svg, { width: 600 });
  const size = pngSize(png);
  assert.equal(size.width, 600);
  assert.ok(Math.abs(size.height - Math.round((h * 600) / w)) <= 1, `height ${size.height} for ${w}x${h}`);
  assert.deepEqual(pngSize(renderPng(svg)), { width: 2 * w, height: 2 * h }, "default: twice the SVG size");
  assertThrowsMatch(() => renderPng(svg, { width: 0 }), RangeError, /width must be an integer/);
  assertThrowsMatch(() => renderPng("not svg"), TypeError, /SVG string/);
});

Deno.test({
  name: "renderPng: text reaches the PNG when a font is found (install fonts-dejavu-core)",
  ignore: findFont() === null,
  fn: () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">` +
      `<text x="5" y="28" font-family="sans-serif" font-size="24" fill="black">ECE 5%</text></svg>`;
    const img = rasterize(svg);
    let dark = 0;
    for (let i = 0; i < img.pixels.length; i += 4) if (img.pixels[i] < 128) dark++;
    assert.ok(dark > 100, `${dark} dark pixels: the text was drawn with ${findFont()!.path}`);
  },
});

Deno.test("writeDiagram: .svg and .png written atomically (no temporary files left)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "denotorch-calibration-" });
  try {
    const f = loadFixture("calibration/binary");
    const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
    const r = calibrationReport(logits, labels, { input: "logits" });
    const out = await writeDiagram(join(dir, "sub", "reliability.svg"), reliabilityDiagram(r.bins, { ece: r.ece }), {
      width: 400,
      spec: true,
    });
    assert.deepEqual(out, {
      svg: join(dir, "sub", "reliability.svg"),
      png: join(dir, "sub", "reliability.png"),
      spec: join(dir, "sub", "reliability.vl.json"),
    });
    const names = Array.from(Deno.readDirSync(join(dir, "sub")), (e) => e.name).sort();
    assert.deepEqual(names, ["reliability.png", "reliability.svg", "reliability.vl.json"]);
    parseSvg(Deno.readTextFileSync(out.svg));
    assert.equal(pngSize(Deno.readFileSync(out.png!)).width, 400);
    assert.equal(JSON.parse(Deno.readTextFileSync(out.spec!)).vconcat.length, 2);
    const svgOnly = await writeDiagram(join(dir, "only"), lineChart([{ name: "a", y: [1, 2] }]), { png: false });
    assert.equal(svgOnly.png, null);
    dispose([logits, labels]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

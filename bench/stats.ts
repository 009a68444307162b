/**
 * Summary statistics of benchmark repeats.
 *
 * @module
 */

/** The median and spread of a set of repeats. */
export interface Summary {
  /** The median. */
  median: number;
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
  /** Number of repeats. */
  n: number;
}

/**
 * Median, min and max of `samples`.
 *
 * @example
 * ```ts
 * import { summarize } from "./stats.ts";
 * summarize([3, 1, 2]); // { median: 2, min: 1, max: 3, n: 3 }
 * ```
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** The spread as a percentage of the median: `(max - min) / median`. */
export function spreadPercent(s: Summary): number {
  return s.median === 0 ? 0 : ((s.max - s.min) / s.median) * 100;
}

/**
 * The ratios of paired rounds, `a[i] / b[i]`, summarised: a paired benchmark runs the sides alternately
 * (A B, B A, ...) and takes the ratio within each pair, so that the machine's drift between rounds
 * cancels out of each ratio instead of widening a ratio of pooled medians.
 *
 * @example
 * ```ts
 * import { pairedRatios } from "./stats.ts";
 * pairedRatios([1, 2, 3], [2, 2, 2]); // { median: 1, min: 0.5, max: 1.5, n: 3 }
 * ```
 */
export function pairedRatios(a: readonly number[], b: readonly number[]): Summary {
  if (a.length !== b.length) throw new RangeError(`pairedRatios: ${a.length} rounds against ${b.length}`);
  return summarize(a.map((v, i) => v / b[i]));
}

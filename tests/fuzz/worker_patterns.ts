/**
 * The fuzz test's list of messages that do not name the problem: V8's and Deno's own (a wrong-typed argument that
 * reached code expecting another type), and the toolkit's known vague ones.
 *
 * @module
 */

export const VAGUE = [
  /is not iterable/,
  /is not a function/,
  /is not a constructor/,
  /Cannot read propert/,
  /Cannot set propert/,
  /Cannot destructure/,
  /Cannot convert a (BigInt|Symbol) value/,
  /Cannot mix BigInt/,
  /Do not know how to serialize a BigInt/,
  /Invalid FFI/,
  /\[object Object\]/,
  /needs NaN bytes/,
  /Maximum call stack size exceeded/,
  /without a message/,
  /Invalid (typed )?array length/,
  /Array buffer allocation failed/,
  /Reduce of empty array/,
  /is not defined$/,
  /undefined is not/,
  /Cannot create property/,
  /Converting circular structure/,
  /^cat: expected a non-empty array of Tensors$/,
  /^stack: expected a non-empty array of Tensors$/,
  /^Invalid time value/,
  /out of bounds$/,
];

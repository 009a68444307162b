/**
 * The types that `ops.aten`'s generated declarations (`tensor/aten_types.ts`, `deno task gen`) map schema types
 * to: the JavaScript values `ops.aten` accepts for an `int`, a `float`, a `Scalar`, a `ScalarType` and the rest.
 * Hand-written; the generator emits only the operators' overloads.
 *
 * @module
 */

import type { DType } from "./dtype.ts";
import type { Float } from "./python_float.ts";
import type { Tensor } from "./tensor.ts";

/** A schema `int` or `SymInt`: an integral number (a boolean is 0 or 1, as Python's `bool` is an `int`). */
export type AtenInt = number | boolean;
/** A schema `float`: a number, a {@linkcode Float}, or a boolean. */
export type AtenFloat = number | Float | boolean;
/** A schema `Scalar`: an integral number is an int, a fraction or a {@linkcode Float} a float, a boolean a bool. */
export type AtenScalar = number | Float | boolean;
/** A schema `bool`: a boolean, or a number read by Python's truth rule. */
export type AtenBool = boolean | number | Float;
/** A schema `Tensor` of the operators that also take a number for it (`add`, `mul`, `div`, `sub`, ...). */
export type AtenTensorOrNumber = Tensor | number | Float | boolean;
/** A schema `ScalarType`: a dtype, also written `"torch.float32"`. */
export type AtenScalarType = DType | `torch.${DType}`;
/** A schema `MemoryFormat`. */
export type AtenMemoryFormat = "contiguous_format" | "preserve_format" | "channels_last" | "channels_last_3d";
/** A schema `Layout`. */
export type AtenLayout = "strided" | "sparse_coo";
/** A schema `Generator`: `ops.aten` cannot pass one, so only `null` (the default generator) fits where it is optional. */
export type AtenGenerator = never;
/** A schema type no JavaScript value is passed for (`Storage`, `Stream`, TorchScript classes). */
export type AtenUnsupported = never;
/**
 * The options object of an overload: its keyword arguments, in a plain object (a Tensor is never one, as
 * `ops.aten` reads only a trailing plain object as the options).
 */
export type AtenOptions<T> = T & { readonly [Symbol.dispose]?: never };
/** An operator without declarations: any arguments, an unknown result. */
export type AtenUntypedOp = { call(...args: unknown[]): unknown }["call"];

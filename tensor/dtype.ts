/**
 * Data types: names, LibTorch's ScalarType codes, element sizes and the TypedArray of each.
 *
 * @module
 */

/** A tensor data type, named as in PyTorch without the `torch.` prefix. */
export type DType =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint8"
  | "bool"
  | "complex64"
  | "complex128";

/** LibTorch's ScalarType code of each dtype. */
export const DTYPE_CODE: Readonly<Record<DType, number>> = {
  uint8: 0,
  int8: 1,
  int16: 2,
  int32: 3,
  int64: 4,
  float16: 5,
  float32: 6,
  float64: 7,
  complex64: 9,
  complex128: 10,
  bool: 11,
  bfloat16: 15,
};

const BY_CODE: DType[] = [];
for (const [name, code] of Object.entries(DTYPE_CODE)) BY_CODE[code] = name as DType;

/** Bytes per element. */
export const ITEM_SIZE: Readonly<Record<DType, number>> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
  bool: 1,
  bfloat16: 2,
  complex64: 8,
  complex128: 16,
};

const ALIASES: Record<string, DType> = {
  float: "float32",
  double: "float64",
  half: "float16",
  long: "int64",
  int: "int32",
  short: "int16",
  char: "int8",
  byte: "uint8",
  cfloat: "complex64",
  cdouble: "complex128",
};

/** The dtype named `name` (PyTorch names and aliases such as `"float"`, `"long"`, `"torch.int64"`). */
export function toDType(name: unknown, argument = "dtype"): DType {
  if (typeof name === "string") {
    const bare = name.startsWith("torch.") ? name.slice(6) : name;
    if (bare in DTYPE_CODE) return bare as DType;
    if (bare in ALIASES) return ALIASES[bare];
  }
  throw new TypeError(
    `${argument}: unknown dtype ${JSON.stringify(name)}; use one of ${Object.keys(DTYPE_CODE).join(", ")}`,
  );
}

/** LibTorch's ScalarTypes without a DType here, by code (for messages). */
const UNSUPPORTED_CODES: Readonly<Record<number, string>> = {
  8: "complex32",
  12: "qint8",
  13: "quint8",
  14: "qint32",
  16: "quint4x2",
  17: "quint2x4",
};

/** The dtype of a ScalarType code reported by LibTorch. */
export function dtypeFromCode(code: number): DType {
  const d = BY_CODE[code];
  if (d === undefined) {
    const name = UNSUPPORTED_CODES[code];
    throw new TypeError(
      `LibTorch returned a tensor of ${
        name === undefined ? `an unsupported ScalarType (code ${code})` : `dtype ${name}, which is not supported here`
      }; convert it to a supported dtype (${Object.keys(DTYPE_CODE).join(", ")}) with ops.aten before reading it`,
    );
  }
  return d;
}

/** Whether a dtype holds floating point values. */
export function isFloatingPoint(d: DType): boolean {
  return d === "float32" || d === "float64" || d === "float16" || d === "bfloat16";
}

/** Whether a dtype holds complex values (complex64: two float32 per element, complex128: two float64). */
export function isComplex(d: DType): boolean {
  return d === "complex64" || d === "complex128";
}

/** The TypedArrays that `Tensor.data()` returns and `tensor()` accepts. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** The dtype a TypedArray holds (`Uint8Array` is uint8; pass `{dtype: "bool"}` for booleans). */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof BigInt64Array) return "int64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Int8Array) return "int8";
  return "uint8";
}

/**
 * A new TypedArray of `length` elements laid out as `dtype` stores them (complex dtypes: `2 * length`
 * floats, real and imaginary parts interleaved).
 */
export function allocFor(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "int32":
      return new Int32Array(length);
    case "int16":
      return new Int16Array(length);
    case "int8":
      return new Int8Array(length);
    case "uint8":
    case "bool":
      return new Uint8Array(length);
    case "float16":
    case "bfloat16":
      // Read as float32 (the tensor is converted first).
      return new Float32Array(length);
    case "complex64":
      return new Float32Array(2 * length);
    case "complex128":
      return new Float64Array(2 * length);
  }
}

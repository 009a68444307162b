/**
 * PyTorch's legacy storage class names (`torch.FloatStorage`), which `torch.save` records for each
 * storage, and the dtype of each.
 *
 * @module
 */

import type { DType } from "../tensor/dtype.ts";

/** The storage class name of each dtype, as `torch.save` writes it. */
export const STORAGE_OF_DTYPE: Readonly<Record<DType, string>> = {
  float32: "FloatStorage",
  float64: "DoubleStorage",
  float16: "HalfStorage",
  bfloat16: "BFloat16Storage",
  int64: "LongStorage",
  int32: "IntStorage",
  int16: "ShortStorage",
  int8: "CharStorage",
  uint8: "ByteStorage",
  bool: "BoolStorage",
  complex64: "ComplexFloatStorage",
  complex128: "ComplexDoubleStorage",
};

/** The dtype of each storage class name this library reads. */
export const DTYPE_OF_STORAGE: ReadonlyMap<string, DType> = new Map(
  Object.entries(STORAGE_OF_DTYPE).map(([d, s]) => [s, d as DType]),
);

/** Storage classes PyTorch has whose dtypes this library lacks, with the dtype each holds. */
export const UNSUPPORTED_STORAGES: Readonly<Record<string, string>> = {
  ComplexHalfStorage: "complex32",
  QInt8Storage: "qint8",
  QUInt8Storage: "quint8",
  QInt32Storage: "qint32",
  QUInt4x2Storage: "quint4x2",
  QUInt2x4Storage: "quint2x4",
  UInt16Storage: "uint16",
  UInt32Storage: "uint32",
  UInt64Storage: "uint64",
  Float8_e4m3fnStorage: "float8_e4m3fn",
  Float8_e5m2Storage: "float8_e5m2",
  UntypedStorage: "untyped bytes",
};

/** PyTorch's dtype objects (`torch.float32` pickles by name) that may appear as plain values. */
export const TORCH_DTYPE_NAMES: ReadonlySet<string> = new Set([
  "float32",
  "float",
  "float64",
  "double",
  "float16",
  "half",
  "bfloat16",
  "int64",
  "long",
  "int32",
  "int",
  "int16",
  "short",
  "int8",
  "uint8",
  "bool",
  "complex64",
  "complex128",
]);

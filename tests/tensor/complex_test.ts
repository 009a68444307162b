/**
 * complex64 and complex128: dtype names, data() (real and imaginary parts interleaved), toArray()
 * (`{ re, im }`), printing as PyTorch prints (fixtures from scripts/fixtures/gen_complex.py), viewAsReal
 * and viewAsComplex, results of operators (an FFT), and torch.save's bytes.
 */

import { decodeBase64 } from "../base64.ts";
import { liveTensors, loadFromBytes, ops, saveToBytes, type Tensor, tensor, tidy, toDType, zeros } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertEquals, assertThrows } from "../serialize/assert.ts";

const f = loadFixture("tensor/complex");
const reprs = f.values as {
  repr64: Record<string, string>;
  repr128: Record<string, string>;
  repr_scalar: string;
  repr_matrix: string;
  repr_big: string;
  repr_conj: string;
  repr_grad: string;
  saved: string;
};

Deno.test("complex: dtype names, aliases and element sizes", () => {
  assertEquals(toDType("complex64"), "complex64");
  assertEquals(toDType("torch.complex128"), "complex128");
  assertEquals(toDType("cfloat"), "complex64");
  assertEquals(toDType("cdouble"), "complex128");
  tidy(() => {
    const z = zeros([2, 3], { dtype: "complex64" });
    assertEquals(z.dtype, "complex64");
    assertEquals(z.isFloatingPoint, false); // as PyTorch's is_floating_point
    assertEquals(z.isComplex, true);
    assertEquals(zeros([1]).isComplex, false);
    assertEquals(zeros([1], { dtype: "complex128" }).dtype, "complex128");
    assertEquals(tensor([1, 2], { dtype: "complex128" }).toArray(), [{ re: 1, im: 0 }, { re: 2, im: 0 }]);
  });
});

Deno.test("complex: data() interleaves the parts, toArray() gives { re, im }", () => {
  const before = liveTensors();
  tidy(() => {
    const z = tensor([1, 2, 3, -4], { dtype: "float32" }).view(2, 2).viewAsComplex();
    assertEquals(z.shape, [2]);
    const d = z.data();
    assertEquals(d instanceof Float32Array, true);
    assertEquals(Array.from(d as Float32Array), [1, 2, 3, -4]);
    assertEquals(z.toArray(), [{ re: 1, im: 2 }, { re: 3, im: -4 }]);
    const w = z.to("complex128");
    assertEquals(w.data() instanceof Float64Array, true);
    assertEquals(Array.from(w.data() as Float64Array), [1, 2, 3, -4]);
    assertEquals(z.reshape(1, 2, 1).toArray(), [[[{ re: 1, im: 2 }], [{ re: 3, im: -4 }]]]);
    assertEquals(z.select(0, 1).toArray(), { re: 3, im: -4 });
    assertThrows(() => z.select(0, 0).item(), TypeError, "a complex tensor's value is not a number");
  });
  assertEquals(liveTensors(), before);
});

Deno.test("complex: tensor() takes { re, im } values back (complex64 unless dtype says otherwise)", () => {
  tidy(() => {
    const z = tensor([[{ re: 1, im: 2 }, 3], [{ re: -0.5, im: 0.25 }, { re: 0, im: -1 }]]);
    assertEquals(z.dtype, "complex64");
    assertEquals(z.shape, [2, 2]);
    assertEquals(Array.from(z.data() as Float32Array), [1, 2, 3, 0, -0.5, 0.25, 0, -1]);
    const w = tensor([{ re: 0.1, im: 1e300 }], { dtype: "complex128" });
    assertEquals(w.toArray(), [{ re: 0.1, im: 1e300 }]);
    assertEquals(tensor(z.toArray() as never).toArray(), z.toArray()); // round trip
    assertThrows(() => tensor([{ re: 1, im: 2 }], { dtype: "float32" }), TypeError, "cannot be converted to float32");
    assertThrows(() => tensor([{ re: 1 }] as never), TypeError, "expected a number, a boolean or a complex number");
  });
});

Deno.test("complex: viewAsReal, viewAsComplex, real, imag share memory as in PyTorch", () => {
  tidy(() => {
    const r = tensor([[1, 2], [3, 4]], { dtype: "float64" });
    const z = r.viewAsComplex();
    assertEquals(z.dtype, "complex128");
    const back = z.viewAsReal();
    assertEquals(back.dtype, "float64");
    assertEquals(back.shape, [2, 2]);
    assertEquals(back.toArray(), [[1, 2], [3, 4]]);
    assertEquals(z.real().toArray(), [1, 3]);
    assertEquals(z.imag().toArray(), [2, 4]);
    r.mul_(10); // a view: z sees it
    assertEquals(z.toArray(), [{ re: 10, im: 20 }, { re: 30, im: 40 }]);
    assertThrows(() => tensor([1, 2, 3], { dtype: "float32" }).viewAsComplex(), Error, "view_as_complex");
    assertThrows(() => tensor([1, 2], { dtype: "float32" }).viewAsReal(), Error, "view_as_real");
  });
});

Deno.test("complex: printed as PyTorch prints complex64 and complex128", () => {
  tidy(() => {
    for (const [name, want] of Object.entries(reprs.repr64)) {
      const parts = fixtureTensor(f, `parts_${name}`);
      assertEquals(parts.viewAsComplex().toString(), want, name);
      assertEquals(parts.double().viewAsComplex().toString(), reprs.repr128[name], `${name} (complex128)`);
    }
    assertEquals(tensor([1, 2], { dtype: "float32" }).viewAsComplex().toString(), reprs.repr_scalar);
    const m = ops.aten.arange(24, { dtype: "float32" }) as Tensor;
    assertEquals(m.view(2, 3, 2, 2).viewAsComplex().toString(), reprs.repr_matrix);
    const big = (ops.aten.arange(4000, { dtype: "float32" }) as Tensor).view(2, 1000, 2).viewAsComplex();
    assertEquals(big.toString(), reprs.repr_big);
    const c = ops.aten.conj(tensor([[1, 2], [3, 4]], { dtype: "float32" }).viewAsComplex()) as Tensor;
    assertEquals(c.toString(), reprs.repr_conj);
    const g = tensor([[1, 2]], { dtype: "float32" }).viewAsComplex().requiresGrad_();
    assertEquals(g.toString(), reprs.repr_grad);
    assertEquals(zeros([0], { dtype: "complex64" }).toString(), "tensor([], dtype=torch.complex64)");
  });
});

Deno.test("complex: an FFT result can be read (PyTorch's values to the bit)", () => {
  tidy(() => {
    const spectrum = ops.aten.fft_fft(fixtureTensor(f, "signal")) as Tensor;
    assertEquals(spectrum.dtype, "complex64");
    assertTensorExact(spectrum.viewAsReal(), fixtureTensor(f, "fft_real_view"), "fft");
    const parts = fixtureTensor(f, "fft_real_view").data() as Float32Array;
    assertEquals(Array.from(spectrum.data() as Float32Array), Array.from(parts));
  });
});

Deno.test("complex: save writes torch.save's bytes, load reads them back", () => {
  const before = liveTensors();
  tidy(() => {
    const z = tensor([1, 2, 3, -1], { dtype: "float32" }).view(2, 2).viewAsComplex();
    const bytes = saveToBytes({ z, w: z.to("complex128") });
    assertEquals(Array.from(bytes), Array.from(decodeBase64(reprs.saved)));
    const back = loadFromBytes(bytes) as { z: Tensor; w: Tensor };
    assertEquals(back.z.dtype, "complex64");
    assertEquals(back.w.dtype, "complex128");
    assertEquals(back.w.toArray(), [{ re: 1, im: 2 }, { re: 3, im: -1 }]);
  });
  assertEquals(liveTensors(), before);
});

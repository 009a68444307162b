/**
 * The study tasks run under the `portable` kernel profile unless `DENOTORCH_KERNELS` says otherwise
 * (`DENOTORCH_KERNELS=native` for LibTorch's own choices on this machine), so that their numbers repeat to
 * the bit on any x86-64 machine with AVX2, whatever its CPU generation, BLAS or thread environment. Imported
 * first by `study_task.ts`, which each task script imports first: it must run before the library loads LibTorch.
 *
 * @module
 */

if (!Deno.env.get("DENOTORCH_KERNELS")) Deno.env.set("DENOTORCH_KERNELS", "portable");

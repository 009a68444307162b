/**
 * Which torch.optim release the optimizers follow: the one of the linked LibTorch's PyTorch, so that their
 * arithmetic and state dicts equal that PyTorch's to the bit. PyTorch 2 changed, for the same hyperparameters,
 * Adam's and AdamW's first moment (`exp_avg.lerp_(grad, 1 - beta1)` where 1.13 has
 * `exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)`), the group keys (`fused`, AdamW's `differentiable`), SGD's
 * state (no `momentum_buffer: None` without momentum) and ReduceLROnPlateau's state dict (`default_min_lr`,
 * `_last_lr` from the start); RMSprop's and Adadelta's `step` (a float32 tensor, no longer an int), the first
 * moments of Adamax, NAdam, RAdam and centered RMSprop (`lerp_`), Adamax's infinity norm (`torch.maximum`),
 * NAdam's `mu_product_next` (a Python float), RAdam's square roots (`** 0.5`), the new group keys
 * (`capturable`, `differentiable`, `fused`, `maximize`, `decoupled_weight_decay`), and the CyclicLR and
 * OneCycleLR state dicts (`use_beta1` for `_scale_fn_ref`, `_anneal_func_type` for `anneal_func`).
 *
 * @module
 */

/** Whether the linked LibTorch is PyTorch 2 or later (else 1.x). */
export { TORCH2 } from "../ffi/native.ts";

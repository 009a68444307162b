import { loadFixture } from "../fixture.ts";
import { Adam, type AdamOptions, AdamW } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, Net, train } from "./harness.ts";

const fx = loadFixture("optim/adam");

const variants: [string, typeof Adam | typeof AdamW, AdamOptions][] = [
  ["adam", Adam, { lr: 0.01 }],
  ["adam_betas", Adam, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6 }],
  ["adam_amsgrad", Adam, { lr: 0.01, amsgrad: true }],
  ["adam_wd", Adam, { lr: 0.01, weightDecay: 0.1 }],
  ["adam_maximize", Adam, { lr: 0.003, maximize: true, weightDecay: 0.01 }],
  ["adamw", AdamW, { lr: 0.01 }],
  ["adamw_amsgrad", AdamW, { lr: 0.01, amsgrad: true, weightDecay: 0.1 }],
  ["adamw_wd0", AdamW, { lr: 0.01, weightDecay: 0 }],
  ["adamw_maximize", AdamW, { lr: 0.003, maximize: true }],
];

for (const [name, Opt, options] of variants) {
  Deno.test(`${Opt.name} ${name}: every loss, the final parameters and the state dict equal PyTorch's exactly`, () => {
    const net = new Net();
    const opt = new Opt(net.parameters(), options);
    assertRun(fx, name, train(net, opt), net);
    assertLikeTorch(opt.stateDict(), fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
  });
}

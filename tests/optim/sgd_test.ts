import { loadFixture } from "../fixture.ts";
import { SGD, type SGDOptions } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, Net, train } from "./harness.ts";

const fx = loadFixture("optim/sgd");

const variants: [string, SGDOptions][] = [
  ["plain", { lr: 0.1 }],
  ["momentum", { lr: 0.05, momentum: 0.9 }],
  ["dampening", { lr: 0.05, momentum: 0.9, dampening: 0.25 }],
  ["nesterov", { lr: 0.05, momentum: 0.9, nesterov: true }],
  ["weight_decay", { lr: 0.1, momentum: 0.5, weightDecay: 0.01 }],
  ["maximize", { lr: 0.01, maximize: true }],
  ["maximize_wd", { lr: 0.02, momentum: 0.3, weightDecay: 0.05, maximize: true }],
];

for (const [name, options] of variants) {
  Deno.test(`SGD ${name}: every loss, the final parameters and the state dict equal PyTorch's exactly`, () => {
    const net = new Net();
    const opt = new SGD(net.parameters(), options);
    assertRun(fx, name, train(net, opt), net);
    assertLikeTorch(opt.stateDict(), fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
  });
}

import { type DType, tidy } from "../../mod.ts";
import { loadFixture } from "../fixture.ts";
import { LBFGS, type LBFGSOptions } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, Net } from "./harness.ts";

const fx = loadFixture("optim/lbfgs");

/** Runs `outer` LBFGS steps, one batch each, as the generator does; returns [closure losses, step losses]. */
function trainLBFGS(net: Net, opt: LBFGS, from: number, to: number): [number[], number[]] {
  const evals: number[] = [], losses: number[] = [];
  for (let i = from; i < to; i++) {
    const loss = opt.step(() =>
      tidy(() => {
        opt.zeroGrad();
        const loss = net.loss(i);
        loss.backward();
        evals.push(loss.item());
        return loss;
      })
    );
    losses.push(loss.item());
  }
  return [evals, losses];
}

const variants: [string, LBFGSOptions, DType][] = [
  ["plain", { lr: 1, historySize: 5 }, "float32"],
  ["lr", { lr: 0.5, maxIter: 7, historySize: 3, toleranceChange: 1e-6 }, "float32"],
  ["wolfe", { lineSearchFn: "strong_wolfe", historySize: 5 }, "float32"],
  ["wolfe_f64", { lineSearchFn: "strong_wolfe", historySize: 4 }, "float64"],
];

for (const [name, options, dtype] of variants) {
  Deno.test(`LBFGS ${name}: every closure loss, the parameters and the state dict equal PyTorch's exactly`, () => {
    const net = new Net(dtype);
    const opt = new LBFGS(net.parameters(), options);
    const [evals, losses] = trainLBFGS(net, opt, 0, 6);
    assertRun(fx, name, evals, net, "evals");
    assertRun(fx, name, losses, net);
    assertLikeTorch(opt.stateDict(), fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
  });
}

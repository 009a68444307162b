// The small MLP of the DDP fixture (scripts/fixtures/gen_distributed.py), loaded with its initial weights,
// and one SGD training step; shared by the DDP workers and the single-process reference.
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { crossEntropy, Linear, Module, noGrad, ReLU, Sequential, SGD, type Tensor, tidy } from "../../mod.ts";

class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** The DDP fixture. */
export const ddpFixture = loadFixture("distributed/ddp");

/** nn.Sequential(Linear(20, 32), Tanh(), Linear(32, 16), ReLU(), Linear(16, 3)) with the fixture's initial weights. */
export function fixtureMlp(): Sequential {
  const net = new Sequential(new Linear(20, 32), new Tanh(), new Linear(32, 16), new ReLU(), new Linear(16, 3));
  noGrad(() =>
    net.parameters().forEach((p, i) => {
      using init = fixtureTensor(ddpFixture, `init.${i}`);
      p.copy_(init);
    })
  );
  return net;
}

/** The fixture's SGD. */
export function fixtureSgd(net: Module): SGD {
  return new SGD(net.parameters(), { lr: ddpFixture.values.lr, momentum: ddpFixture.values.momentum });
}

/** Step `s`'s inputs and labels, rows [from, to). */
export function batch(s: number, from: number, to: number): [Tensor, Tensor] {
  return tidy((): [Tensor, Tensor] => {
    const x = fixtureTensor(ddpFixture, "x").select(0, s).narrow(0, from, to - from).contiguous();
    const y = fixtureTensor(ddpFixture, "y").select(0, s).narrow(0, from, to - from).contiguous();
    return [x, y];
  });
}

/** The cross-entropy loss of `net` on rows [from, to) of step `s`. */
export function lossOf(net: Module, s: number, from: number, to: number): Tensor {
  return tidy(() => {
    const [x, y] = batch(s, from, to);
    return crossEntropy(net.forward(x) as Tensor, y);
  });
}

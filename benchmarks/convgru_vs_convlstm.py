"""ConvGRU2D vs keras.layers.ConvLSTM2D vs plain batched convolutions.

Measures, side by side in one run, on a GRU-RCN-sized level (the paper's
pool3-sized map: batch 4, 10 steps, 28×28×128 inputs, 64 filters, 3×3):

- forward time of ConvGRU2D, ConvLSTM2D, and the "floor": the same
  multiply-adds as ConvGRU2D (input and recurrent convolutions over all
  batch×time maps) done as two plain batched convolutions with no
  recurrence and no gate arithmetic;
- training-step time (forward, backward, Adam update) of both layers, and
  of the "training floor": the floor's two convolutions with the gradients a
  ConvGRU2D step cannot avoid (both kernels' gradients, and the gradient
  w.r.t. the state maps, which backpropagation through time carries), still
  batched over time. `train_floor / train_convlstm2d` is the best training
  ratio any ConvGRU2D with these convolution kernels could reach.

Rounds interleave the candidates so that machine noise hits all of them
alike. Other processes only ever add time, so the ratios use each
candidate's best round; the ratios of the medians are reported beside them,
with the load average, and the two layers' multiply-add ratio for context.
Ratios are printed and written to `benchmarks/results/convgru_vs_convlstm.json`.

Usage:
    python benchmarks/convgru_vs_convlstm.py [--rounds 15] [--batch 4] ...
    KERAS_BACKEND=jax python benchmarks/convgru_vs_convlstm.py  # on a GPU
"""

import argparse
import json
import os
import platform
import statistics
import time

import keras
import numpy as np

from keras_grurcn import ConvGRU2D

RESULTS = os.path.join(os.path.dirname(__file__), "results")


@keras.saving.register_keras_serializable(package="keras_grurcn_benchmarks")
class BatchedConvFloor(keras.layers.Layer):
    """ConvGRU2D's multiply-adds as two convolutions over batch×time maps.

    With `gradient_to_state=True` the stand-in state maps are scaled by a
    trainable scalar, so that training also computes the recurrent
    convolution's gradient w.r.t. its input, as backpropagation through time
    does (the scaling is one element-wise product).
    """

    def __init__(self, filters, kernel_size, gradient_to_state=False, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.gradient_to_state = gradient_to_state

    def build(self, input_shape):
        k, f = self.kernel_size, self.filters
        self.kernel = self.add_weight((k, k, input_shape[-1], 3 * f), name="kernel")
        self.recurrent_kernel = self.add_weight((k, k, f, 3 * f), name="recurrent")
        if self.gradient_to_state:
            self.state_scale = self.add_weight((), initializer="ones", name="scale")

    def call(self, x):
        frames = ops_reshape_frames(x)
        hidden = frames[..., : self.filters]
        if self.gradient_to_state:
            hidden = hidden * self.state_scale
        return keras.ops.conv(frames, self.kernel, padding="same") + keras.ops.conv(
            hidden, self.recurrent_kernel, padding="same"
        )


def ops_reshape_frames(x):
    return keras.ops.reshape(x, (-1, *x.shape[2:]))


def build(layer, input_shape):
    inputs = keras.Input(input_shape[1:], batch_size=input_shape[0])
    model = keras.Model(inputs, layer(inputs))
    model.compile(keras.optimizers.Adam(1e-4), "mse")
    return model


# Per output pixel and kernel tap: ConvGRU 3f(c + f), ConvLSTM 4f(c + f):
# the speed-up a perfectly efficient implementation gets from fewer gates.
MULTIPLY_ADD_RATIO = 3 / 4


def ratios_of(ms):
    return {
        "train_convgru2d_over_convlstm2d": ms["train_convgru2d"]
        / ms["train_convlstm2d"],
        "forward_convgru2d_over_floor": ms["forward_convgru2d"] / ms["forward_floor"],
        "forward_convgru2d_over_convlstm2d": (
            ms["forward_convgru2d"] / ms["forward_convlstm2d"]
        ),
        "train_convgru2d_over_train_floor": ms["train_convgru2d"] / ms["train_floor"],
        "train_floor_over_convlstm2d": ms["train_floor"] / ms["train_convlstm2d"],
    }


def timed(fn, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--channels", type=int, default=128)
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3, help="calls per round")
    parser.add_argument(
        "--output", default=os.path.join(RESULTS, "convgru_vs_convlstm.json")
    )
    args = parser.parse_args()

    shape = (args.batch, args.steps, args.size, args.size, args.channels)
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype("float32")
    layer_kwargs = dict(filters=args.filters, kernel_size=3, padding="same")
    models = {
        "convgru2d": build(ConvGRU2D(**layer_kwargs), shape),
        "convlstm2d": build(keras.layers.ConvLSTM2D(**layer_kwargs), shape),
        "floor": build(BatchedConvFloor(args.filters, 3), shape),
        "train_floor": build(
            BatchedConvFloor(args.filters, 3, gradient_to_state=True), shape
        ),
    }
    targets = {
        name: np.zeros(model.output_shape, "float32") for name, model in models.items()
    }

    def forward(name):
        return lambda: models[name].predict_on_batch(x)

    def train(name):
        return lambda: models[name].train_on_batch(x, targets[name])

    cases = {
        "forward_convgru2d": forward("convgru2d"),
        "forward_convlstm2d": forward("convlstm2d"),
        "forward_floor": forward("floor"),
        "train_convgru2d": train("convgru2d"),
        "train_convlstm2d": train("convlstm2d"),
        "train_floor": train("train_floor"),
    }
    for fn in cases.values():  # compile and warm up
        fn()
        fn()
    samples = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, fn in cases.items():
            samples[name].append(timed(fn, args.repeats))
    best_ms = {name: 1000 * min(values) for name, values in samples.items()}
    median_ms = {
        name: 1000 * statistics.median(values) for name, values in samples.items()
    }
    ratios, median_ratios = ratios_of(best_ms), ratios_of(median_ms)
    targets_met = {
        "train_convgru2d_over_convlstm2d <= 0.65": (
            ratios["train_convgru2d_over_convlstm2d"] <= 0.65
        ),
        "forward_convgru2d_over_floor <= 1.0": (
            ratios["forward_convgru2d_over_floor"] <= 1.0
        ),
    }
    result = {
        "workload": vars(args) | {"input_shape": shape, "kernel_size": 3},
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "load_average": os.getloadavg(),
        "best_ms": best_ms,
        "median_ms": median_ms,
        "ratios": ratios,
        "median_ratios": median_ratios,
        "multiply_add_ratio_convgru2d_over_convlstm2d": MULTIPLY_ADD_RATIO,
        "targets_met": targets_met,
    }
    print(
        f"Workload {shape} -> {args.filters} filters, 3x3, backend {result['backend']}"
    )
    print(f"  load average {os.getloadavg()[0]:.1f}")
    for name in best_ms:
        print(
            f"  {name:<20} best {best_ms[name]:8.1f} ms   "
            f"median {median_ms[name]:8.1f} ms"
        )
    for name, value in ratios.items():
        print(f"  {name:<34} {value:6.3f} (medians: {median_ratios[name]:.3f})")
    print(f"  multiply-adds, ConvGRU2D / ConvLSTM2D: {MULTIPLY_ADD_RATIO:.3f}")
    for name, met in targets_met.items():
        print(f"  target {name}: {'met' if met else 'NOT met'}")
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(result, f, indent=2)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()

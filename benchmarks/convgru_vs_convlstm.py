"""ConvGRU2D against the ConvGRU a user would write, and keras.layers.ConvLSTM2D.

Measures, side by side in one run, on a GRU-RCN-sized level (the paper's
pool3-sized map: batch 4, 10 steps, 28×28×128 inputs, 64 filters, 3×3,
"same"), the forward pass (`predict_on_batch`) and the training step
(`train_on_batch`: forward, backward, Adam) of:

- `keras_grurcn.ConvGRU2D` with each named implementation (`"autodiff"`,
  `"bptt"`); `convgru2d` in the ratios is the one `implementation="auto"`
  picks on this backend, as shipped;
- the hand-rolled cell: what a new user writes in forty lines, a cell on
  `keras.layers.RNN` whose step runs one input convolution for the three
  gates, one recurrent convolution for z and r and one of r⊙h, with plain
  automatic differentiation (written below, as a user would);
- `keras.layers.ConvLSTM2D`, for reference;
- the video-training cases of `ConvGRU2D`, against its plain case: a masked
  clip (padded frames), `stateful=True` (streaming) and
  `recurrent_dropout > 0`.

Rounds interleave every candidate so that machine noise hits them alike;
each round times a candidate over enough calls to last ~0.5 s, and each
round starts one candidate further down the list, so that every candidate
follows every other equally often: a call right after a 15-second JAX
training step (which leaves the caches and the allocator cold) runs up to
~30% slower, and with a fixed order the same candidate would always pay
for it. `ratios`
are of the medians over rounds; `paired_ratios`, the median over rounds of
each round's own ratio, move less when the machine's load changes during
the run; the best rounds are in the JSON beside them, with the load
average at the start and end. Results go to
`benchmarks/results/convgru_vs_convlstm_<backend>.json`.

Usage:
    python benchmarks/convgru_vs_convlstm.py [--rounds 15] [--seconds 0.5]
    KERAS_BACKEND=jax python benchmarks/convgru_vs_convlstm.py
"""

import argparse
import json
import os
import platform
import statistics
import time

import keras
import numpy as np
from keras import ops

from keras_grurcn import ConvGRU2D

RESULTS = os.path.join(os.path.dirname(__file__), "results")


# === The hand-rolled ConvGRU, as a user would write it ===


class HandRolledConvGRUCell(keras.layers.Layer):
    """z, r, h̃ from one input conv, one recurrent conv (z, r), one of r⊙h."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.state_size = -1  # a feature map: see get_initial_state

    def build(self, input_shape):
        self.spatial_shape = tuple(input_shape[1:-1])
        k, f = self.kernel_size, self.filters
        self.kernel = self.add_weight((k, k, input_shape[-1], 3 * f), name="kernel")
        self.recurrent_kernel = self.add_weight(
            (k, k, f, 3 * f), initializer="orthogonal", name="recurrent_kernel"
        )
        self.bias = self.add_weight((3 * f,), initializer="zeros", name="bias")

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, *self.spatial_shape, self.filters))]

    def call(self, x, states):
        h, f = states[0], self.filters
        x_proj = ops.conv(x, self.kernel, padding="same") + self.bias
        zr = ops.sigmoid(
            x_proj[..., : 2 * f]
            + ops.conv(h, self.recurrent_kernel[..., : 2 * f], padding="same")
        )
        z, r = zr[..., :f], zr[..., f:]
        candidate = ops.tanh(
            x_proj[..., 2 * f :]
            + ops.conv(r * h, self.recurrent_kernel[..., 2 * f :], padding="same")
        )
        h = (1 - z) * h + z * candidate
        return h, [h]


class HandRolledConvGRU(keras.layers.RNN):
    """`keras.layers.RNN` assumes vector states; a map needs its own shape."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(HandRolledConvGRUCell(filters, kernel_size), **kwargs)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        return (sequences_shape[0], *sequences_shape[2:-1], self.cell.filters)


# === Candidates ===


def build(layer, input_shape, masked=False):
    inputs = keras.Input(input_shape[1:], batch_size=input_shape[0])
    if not masked:
        model = keras.Model(inputs, layer(inputs))
    else:
        mask = keras.Input(input_shape[1:2], batch_size=input_shape[0], dtype="bool")
        model = keras.Model([inputs, mask], layer(inputs, mask=mask))
    model.compile(keras.optimizers.Adam(1e-4), "mse")
    return model


def padded_clip_mask(batch, steps):
    """Half the clips padded: their last quarter of frames masked."""
    mask = np.ones((batch, steps), bool)
    mask[: batch // 2, steps - max(1, steps // 4) :] = False
    return mask


def candidates(shape, filters):
    """`{name: (model, inputs)}`; names say what each one is."""
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    masked_inputs = [x, padded_clip_mask(*shape[:2])]
    kwargs = dict(filters=filters, kernel_size=3, padding="same")
    return {
        "convgru2d_autodiff": (
            build(ConvGRU2D(**kwargs, implementation="autodiff"), shape),
            x,
        ),
        "convgru2d_bptt": (build(ConvGRU2D(**kwargs, implementation="bptt"), shape), x),
        "handrolled": (build(HandRolledConvGRU(filters, 3), shape), x),
        "convlstm2d": (build(keras.layers.ConvLSTM2D(**kwargs), shape), x),
        "convgru2d_masked": (
            build(ConvGRU2D(**kwargs), shape, masked=True),
            masked_inputs,
        ),
        "convgru2d_stateful": (build(ConvGRU2D(**kwargs, stateful=True), shape), x),
        "convgru2d_recurrent_dropout": (
            build(ConvGRU2D(**kwargs, recurrent_dropout=0.25, seed=0), shape),
            x,
        ),
    }


# Forward-only timing of recurrent dropout would time the plain case.
TRAIN_ONLY = ("convgru2d_recurrent_dropout",)


def ratios_of(ms):
    """The ratios reported, from `{case: time}`; `convgru2d` is "auto"'s pick."""
    picked = ConvGRU2D(1, 1).loop_implementation
    ms = dict(ms)
    for kind in ("train", "forward"):
        ms[f"{kind}_convgru2d"] = ms[f"{kind}_convgru2d_{picked}"]
    ratio = {}
    for name in ("convgru2d", "convgru2d_autodiff", "convgru2d_bptt", "convlstm2d"):
        for kind in ("train", "forward"):
            ratio[f"{kind}_{name}_over_handrolled"] = (
                ms[f"{kind}_{name}"] / ms[f"{kind}_handrolled"]
            )
    for kind in ("train", "forward"):
        ratio[f"{kind}_convgru2d_over_convlstm2d"] = (
            ms[f"{kind}_convgru2d"] / ms[f"{kind}_convlstm2d"]
        )
    for case in ("masked", "stateful", "recurrent_dropout"):
        for kind in ("train", "forward"):
            if f"{kind}_convgru2d_{case}" in ms:
                ratio[f"{kind}_{case}_over_plain"] = (
                    ms[f"{kind}_convgru2d_{case}"] / ms[f"{kind}_convgru2d"]
                )
    return ratio


# The targets (this CPU, same run, medians), per backend.
TARGETS = {
    "tensorflow": {
        "train_convgru2d_over_handrolled": 0.90,
        "forward_convgru2d_over_handrolled": 1.00,
    },
    "jax": {
        "train_convgru2d_over_handrolled": 0.10,
        "forward_convgru2d_over_handrolled": 1.00,
    },
}
CASE_TARGETS = {
    "train_masked_over_plain": 1.15,
    "train_stateful_over_plain": 1.15,
    "train_recurrent_dropout_over_plain": 1.15,
}


def timed(fn, calls):
    """Mean wall-clock and process CPU seconds per call."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        fn()
    return (
        (time.perf_counter() - start) / calls,
        (time.process_time() - start_cpu) / calls,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--channels", type=int, default=128)
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--seconds", type=float, default=0.5, help="least time per candidate a round"
    )
    parser.add_argument(
        "--output", default=None, help="default: results/..._<backend>.json"
    )
    args = parser.parse_args()
    backend = keras.backend.backend()
    output = args.output or os.path.join(RESULTS, f"convgru_vs_convlstm_{backend}.json")

    shape = (args.batch, args.steps, args.size, args.size, args.channels)
    cases = {}
    for name, (model, inputs) in candidates(shape, args.filters).items():
        target = np.zeros(model.output_shape, "float32")
        if name not in TRAIN_ONLY:
            cases[f"forward_{name}"] = lambda m=model, x=inputs: m.predict_on_batch(x)
        cases[f"train_{name}"] = lambda m=model, x=inputs, y=target: m.train_on_batch(
            x, y
        )
    load_start = os.getloadavg()
    calls = {}
    for name, fn in cases.items():  # compile, warm up, size the rounds
        fn()
        calls[name] = max(1, round(args.seconds / timed(fn, 1)[0]))
    samples = {name: [] for name in cases}
    cpu_samples = {name: [] for name in cases}
    names = list(cases)
    for round_index in range(args.rounds):
        start = round_index % len(names)
        for name in names[start:] + names[:start]:
            wall, cpu = timed(cases[name], calls[name])
            samples[name].append(1000 * wall)
            cpu_samples[name].append(1000 * cpu)
    load_end = os.getloadavg()

    median_ms = {name: statistics.median(values) for name, values in samples.items()}
    best_ms = {name: min(values) for name, values in samples.items()}
    ratios, best_ratios = ratios_of(median_ms), ratios_of(best_ms)
    per_round = [
        ratios_of({name: values[i] for name, values in samples.items()})
        for i in range(args.rounds)
    ]
    paired_ratios = {
        name: statistics.median(r[name] for r in per_round) for name in ratios
    }
    # Process CPU time counts only the time this process ran: on a shared
    # machine it moves less with other processes' load than wall time does.
    median_cpu_ms = {
        name: statistics.median(values) for name, values in cpu_samples.items()
    }
    targets = {**TARGETS.get(backend, {}), **CASE_TARGETS}
    targets_met = {
        f"{name} <= {limit}": ratios[name] <= limit for name, limit in targets.items()
    }
    result = {
        "workload": {
            "batch": args.batch,
            "steps": args.steps,
            "size": args.size,
            "channels": args.channels,
            "filters": args.filters,
            "input_shape": shape,
            "kernel_size": 3,
            "padding": "same",
            "masked_clips": "half the batch, last quarter of the frames",
        },
        "rounds": args.rounds,
        "round_order": "rotated: round i starts at candidate i",
        "calls_per_round": calls,
        "backend": backend,
        "auto_implementation": ConvGRU2D(1, 1).loop_implementation,
        "keras": keras.__version__,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "load_average_start": load_start,
        "load_average_end": load_end,
        "median_ms": median_ms,
        "best_ms": best_ms,
        "ratios": ratios,
        "paired_ratios": paired_ratios,
        "best_ratios": best_ratios,
        "median_cpu_ms": median_cpu_ms,
        "cpu_ratios": ratios_of(median_cpu_ms),
        "targets_met": targets_met,
    }
    picked = result["auto_implementation"]
    print(f"Workload {shape} -> {args.filters} filters, 3x3, backend {backend}")
    print(
        f"  load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end"
    )
    for name in median_ms:
        print(
            f"  {name:<36} median {median_ms[name]:9.1f} ms   best "
            f"{best_ms[name]:9.1f} ms   CPU {median_cpu_ms[name]:9.1f} ms"
        )
    cpu_ratios = result["cpu_ratios"]
    print(
        "  ratio of medians (paired rounds, best rounds, CPU time); "
        f"convgru2d = {picked}"
    )
    for name, value in ratios.items():
        print(
            f"  {name:<44} {value:6.3f} ({paired_ratios[name]:.3f}, "
            f"{best_ratios[name]:.3f}, {cpu_ratios[name]:.3f})"
        )
    for name, met in targets_met.items():
        print(f"  target {name}: {'met' if met else 'NOT met'}")
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as f:
        json.dump(result, f, indent=2)
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()

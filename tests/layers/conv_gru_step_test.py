"""`StepConvolutions`: the joint and separate forms compute the same sums."""

import numpy as np
import pytest
from keras import ops

from keras_grurcn.layers.conv_gru_step import StepConvolutions
from keras_grurcn.layers.conv_gru_step import can_join

SAME = {"strides": (1, 1), "padding": "same", "dilation_rate": (1, 1)}


def random_convolutions(use_bias, joint, kernel_size=(3, 3), conv_arguments=SAME):
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(*kernel_size, 3, 12))
    recurrent_kernel = rng.normal(size=(*kernel_size, 4, 12))
    bias = rng.normal(size=(12,)) if use_bias else None
    return StepConvolutions(kernel, bias, recurrent_kernel, conv_arguments, joint=joint)


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 4)])
def test_joint_and_separate_give_the_same_pre_activations(use_bias, kernel_size):
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(2, 6, 5, 3))
    state = rng.normal(size=(2, 6, 5, 4))
    reset_state = rng.normal(size=(2, 6, 5, 4))
    joint = random_convolutions(use_bias, True, kernel_size)
    separate = random_convolutions(use_bias, False, kernel_size)
    assert joint.joint and not separate.joint

    joint_gates, joint_next = joint.gates(inputs, state)
    separate_gates, separate_next = separate.gates(inputs, state)
    np.testing.assert_allclose(
        ops.convert_to_numpy(joint_gates),
        ops.convert_to_numpy(separate_gates),
        rtol=1e-5,
        atol=1e-5,
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(joint.candidate(joint_next, reset_state)),
        ops.convert_to_numpy(separate.candidate(separate_next, reset_state)),
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "conv_arguments",
    [
        {"strides": (2, 1), "padding": "same", "dilation_rate": (1, 1)},
        {"strides": (1, 1), "padding": "valid", "dilation_rate": (1, 1)},
        {"strides": (1, 1), "padding": "same", "dilation_rate": (1, 2)},
    ],
)
def test_other_input_geometries_stay_separate(conv_arguments):
    """Only a stride-1, "same", undilated input conv lines up with the state."""
    assert not can_join(conv_arguments)
    assert not random_convolutions(True, True, conv_arguments=conv_arguments).joint
    assert can_join(SAME)

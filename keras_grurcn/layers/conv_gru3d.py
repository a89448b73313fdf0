import keras

from keras_grurcn.layers.conv_gru import ConvGRU


@keras.saving.register_keras_serializable(package="keras_grurcn")
class ConvGRU3D(ConvGRU):
    """3D convolutional GRU (the GRU-RCN recurrence of Ballas et al., 2016).

    The analogue of `keras.layers.ConvLSTM3D` with the paper's GRU:
    `z` and `r` gates and a candidate state computed by convolutions, so
    each hidden unit sees only a local neighbourhood and the weights are
    shared across locations (`3·(k^3·c_in·f + k^3·f·f + f)` parameters).
    See `keras_grurcn.layers.ConvGRUCell` for the equations and arguments;
    all the ConvLSTM3D arguments are accepted (no `unit_forget_bias`, a
    GRU has no forget gate). `implementation="auto"` (default),
    `"autodiff"` or `"bptt"` chooses the time loop; "auto" runs the one
    measured fastest for the backend (`"autodiff"` on TensorFlow, `"bptt"`
    on JAX; numbers in `keras_grurcn.layers.ConvGRU`).

    Input shape:
        `(batch, time, depth, rows, cols, channels)` with channels_last, or
        `(batch, time, channels, depth, rows, cols)` with channels_first.

    Output shape:
        `(batch, depth, rows, cols', filters)` (channels_last), with a time axis
        after the batch when `return_sequences=True`; plus the last state when
        `return_state=True`.

    Examples:

    ```python
    layer = keras_grurcn.ConvGRU3D(filters=4, kernel_size=3, padding="same")
    y = layer(np.zeros((2, 5, 8, 8, 8, 3), "float32"))  # (2, 8, 8, 8, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(rank=3, filters=filters, kernel_size=kernel_size, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["rank"]
        return config

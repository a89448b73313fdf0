import keras

from keras_grurcn.layers.conv_gru import ConvGRU


@keras.saving.register_keras_serializable(package="keras_grurcn")
class ConvGRU2D(ConvGRU):
    """2D convolutional GRU (the GRU-RCN recurrence of Ballas et al., 2016).

    The analogue of `keras.layers.ConvLSTM2D` with the paper's GRU:
    `z` and `r` gates and a candidate state computed by convolutions, so
    each hidden unit sees only a local neighbourhood and the weights are
    shared across locations (`3·(k^2·c_in·f + k^2·f·f + f)` parameters).
    See `keras_grurcn.layers.ConvGRUCell` for the equations and arguments;
    all the ConvLSTM2D arguments are accepted (no `unit_forget_bias`, a
    GRU has no forget gate). `implementation="auto"` (default),
    `"autodiff"` or `"bptt"` chooses the time loop; "auto" runs the one
    measured fastest for the backend (`"autodiff"` on TensorFlow, `"bptt"`
    on JAX; numbers in `keras_grurcn.layers.ConvGRU`).

    Input shape:
        `(batch, time, rows, cols, channels)` with channels_last, or
        `(batch, time, channels, rows, cols)` with channels_first.

    Output shape:
        `(batch, rows, cols', filters)` (channels_last), with a time axis
        after the batch when `return_sequences=True`; plus the last state when
        `return_state=True`.

    Examples:

    ```python
    layer = keras_grurcn.ConvGRU2D(filters=4, kernel_size=3, padding="same")
    y = layer(np.zeros((2, 5, 16, 16, 3), "float32"))  # (2, 16, 16, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(rank=2, filters=filters, kernel_size=kernel_size, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["rank"]
        return config

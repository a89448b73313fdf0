import keras
from keras import ops

from keras_grurcn import compat
from keras_grurcn.layers.conv_gru_step import StepConvolutions
from keras_grurcn.layers.conv_gru_step import conv_gru_step
from keras_grurcn.layers.conv_utils import conv_output_length
from keras_grurcn.layers.conv_utils import normalize_data_format
from keras_grurcn.layers.conv_utils import normalize_padding
from keras_grurcn.layers.conv_utils import normalize_tuple


@keras.saving.register_keras_serializable(package="keras_grurcn")
class ConvGRUCell(keras.layers.Layer, compat.DropoutRNNCell):
    """Cell of the convolutional GRU of GRU-RCN, for inputs of any rank.

    One step of the recurrence of Ballas et al. (2016), where `*` is a
    convolution and `⊙` an element-wise product:

    ```
    z_t = recurrent_activation(W_z * x_t + U_z * h_{t-1} + b_z)
    r_t = recurrent_activation(W_r * x_t + U_r * h_{t-1} + b_r)
    h̃_t = activation(W_h * x_t + U_h * (r_t ⊙ h_{t-1}) + b_h)
    h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    ```

    The reset gate multiplies the state *before* the recurrent convolution
    and `z` weights the new candidate (the paper's convention, the opposite
    of `keras.layers.GRU`). The input convolution uses `strides`, `padding`
    and `dilation_rate`; the recurrent convolution is always stride 1,
    "same" padding, so the state keeps the input convolution's output size.

    Weights, gate order `[z, r, h]` on the last axis like `keras.layers.GRU`:
    `kernel` `(*kernel_size, in_channels, 3 * filters)`, `recurrent_kernel`
    `(*kernel_size, filters, 3 * filters)` and `bias` `(3 * filters,)`.

    Use the `ConvGRU1D/2D/3D` layers for whole sequences: they run the same
    step (`conv_gru_step`) in the fastest loop for the backend, skip the
    recurrent convolutions of a zero first state and, on JAX, have a
    hand-written backward pass. This cell is for `keras.layers.RNN` and
    custom loops.

    Dropout is variational (Gal and Ghahramani, 2016): one mask for the
    inputs and one for the state, drawn once per sequence and shared by the
    three gates.
    Computation happens in channels_last; `channels_first` inputs are
    transposed, so both formats work on every backend and device.

    Args:
        rank: int, 1, 2 or 3, the number of spatial dimensions.
        filters: int, the number of hidden maps (state channels).
        kernel_size: int or tuple of `rank` ints, shared by the input and
            recurrent convolutions (the paper uses 3×3).
        strides: int or tuple, strides of the input convolution.
        padding: `"valid"` or `"same"`, padding of the input convolution.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.
        dilation_rate: int or tuple, dilation of the input convolution.
            Cannot be combined with `strides > 1`.
        activation: activation of the candidate state. Defaults to `"tanh"`.
        recurrent_activation: activation of the gates. Defaults to
            `"sigmoid"`.
        use_bias: bool, whether to add `bias` (the paper omits biases from
            the equations; they are kept by default).
        kernel_initializer, recurrent_initializer, bias_initializer:
            initializers of the three weights.
        kernel_regularizer, recurrent_regularizer, bias_regularizer:
            optional regularizers of the three weights.
        kernel_constraint, recurrent_constraint, bias_constraint:
            optional constraints of the three weights.
        dropout: float in [0, 1), input dropout rate.
        recurrent_dropout: float in [0, 1), state dropout rate.
        seed: int, seed of the dropout masks.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: the step input, `(batch, *spatial, channels)` (or channels
            first).
        states: a list with the previous state `h_{t-1}`.
        training: bool, enables dropout.

    Examples:

    ```python
    cell = keras_grurcn.layers.ConvGRU2DCell(filters=4, kernel_size=3,
                                             padding="same")
    layer = keras.layers.RNN(cell)
    y = layer(np.zeros((2, 5, 8, 8, 3), "float32"))  # (2, 8, 8, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"`rank` must be 1, 2 or 3. Received: rank={rank!r}")
        if not isinstance(filters, int) or isinstance(filters, bool) or filters < 1:
            raise ValueError(
                f"`filters` must be a positive int. Received: filters={filters!r}"
            )
        self.rank = rank
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` cannot be combined with `dilation_rate > 1`. "
                f"Received: strides={self.strides}, "
                f"dilation_rate={self.dilation_rate}"
            )
        for name, rate in (
            ("dropout", dropout),
            ("recurrent_dropout", recurrent_dropout),
        ):
            if not 0.0 <= rate < 1.0:
                raise ValueError(
                    f"`{name}` must be in [0, 1). Received: {name}={rate!r}"
                )
        self.activation = keras.activations.get(activation)
        self.recurrent_activation = keras.activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = keras.regularizers.get(recurrent_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed=seed)
        self.input_spec = keras.InputSpec(ndim=rank + 2)
        # The state is a feature map; RNN only needs a placeholder here and
        # asks `get_initial_state` for real shapes.
        self.state_size = -1

    # --- Shapes -------------------------------------------------------

    @property
    def channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def state_spatial_shape(self, spatial_shape):
        return tuple(
            conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(
                spatial_shape, self.kernel_size, self.strides, self.dilation_rate
            )
        )

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if len(inputs_shape) != self.rank + 2:
            raise ValueError(
                f"{type(self).__name__} expects step inputs of rank "
                f"{self.rank + 2} (batch, {self.rank} spatial dims, channels). "
                f"Received input shape: {inputs_shape}"
            )
        if self.data_format == "channels_last":
            spatial, input_dim = inputs_shape[1:-1], inputs_shape[-1]
        else:
            spatial, input_dim = inputs_shape[2:], inputs_shape[1]
        if None in spatial:
            raise ValueError(
                f"{type(self).__name__} needs static spatial dimensions (as "
                "ConvLSTM does); resize the frames to a fixed size first. "
                f"Received input shape: {inputs_shape}"
            )
        if input_dim is None:
            raise ValueError(
                "The channel dimension of the inputs must be defined. "
                f"Received input shape: {inputs_shape}"
            )
        out_spatial = self.state_spatial_shape(spatial)
        if any(n <= 0 for n in out_spatial):
            raise ValueError(
                f"The input's spatial size {tuple(spatial)} is too small for "
                f"kernel_size={self.kernel_size} with padding='valid'."
            )
        self.spatial_dims = tuple(spatial)
        self.input_dim = input_dim
        self.input_spec = keras.InputSpec(
            ndim=self.rank + 2, axes={self.channel_axis: input_dim}
        )
        self.kernel = self.add_weight(
            shape=self.kernel_size + (input_dim, 3 * self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, 3 * self.filters),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(3 * self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        else:
            self.bias = None

    def compute_output_shape(self, inputs_shape, states_shape=None):
        state_shape = self.state_shape(inputs_shape[0], self.spatial_dims)
        return state_shape, [state_shape]

    def state_shape(self, batch_size, spatial_dims):
        spatial = self.state_spatial_shape(spatial_dims)
        if self.data_format == "channels_last":
            return (batch_size, *spatial, self.filters)
        return (batch_size, self.filters, *spatial)

    def get_initial_state(self, batch_size=None):
        shape = self.state_shape(batch_size, self.spatial_dims)
        return [ops.zeros(shape, dtype=self.compute_dtype)]

    # --- Layout -------------------------------------------------------

    def to_channels_last(self, x):
        """Moves the channel axis last (a no-op for channels_last)."""
        if self.data_format == "channels_last":
            return x
        ndim = len(x.shape)
        return ops.transpose(
            x,
            (
                *range(ndim - self.rank - 1),
                *range(ndim - self.rank, ndim),
                ndim - self.rank - 1,
            ),
        )

    def to_data_format(self, x):
        """Inverse of `to_channels_last`."""
        if self.data_format == "channels_last":
            return x
        ndim = len(x.shape)
        return ops.transpose(
            x,
            (
                *range(ndim - self.rank - 1),
                ndim - 1,
                *range(ndim - self.rank - 1, ndim - 1),
            ),
        )

    # --- The step's convolutions --------------------------------------

    @property
    def conv_arguments(self):
        """The input convolution's `strides`, `padding` and `dilation_rate`."""
        return {
            "strides": self.strides,
            "padding": self.padding,
            "dilation_rate": self.dilation_rate,
        }

    def step_convolutions(self):
        """The step's convolutions over this cell's weights, kept separate.

        Separate, not joint: what automatic differentiation of the step
        trains fastest (see `StepConvolutions`).
        """
        return StepConvolutions(
            self.kernel, self.bias, self.recurrent_kernel, self.conv_arguments
        )

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        recurrent_mask = None
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            recurrent_mask = self.to_channels_last(
                self.get_recurrent_dropout_mask(h_tm1)
            )
        h, _, _, _ = conv_gru_step(
            self.to_channels_last(inputs),
            self.to_channels_last(h_tm1),
            self.step_convolutions(),
            self.activation,
            self.recurrent_activation,
            recurrent_mask,
        )
        h = self.to_data_format(h)
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": keras.activations.serialize(self.activation),
                "recurrent_activation": keras.activations.serialize(
                    self.recurrent_activation
                ),
                "use_bias": self.use_bias,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
                "recurrent_initializer": keras.initializers.serialize(
                    self.recurrent_initializer
                ),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "kernel_regularizer": keras.regularizers.serialize(
                    self.kernel_regularizer
                ),
                "recurrent_regularizer": keras.regularizers.serialize(
                    self.recurrent_regularizer
                ),
                "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": keras.constraints.serialize(
                    self.kernel_constraint
                ),
                "recurrent_constraint": keras.constraints.serialize(
                    self.recurrent_constraint
                ),
                "bias_constraint": keras.constraints.serialize(self.bias_constraint),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed,
            }
        )
        return config

import keras

from keras_grurcn.layers.conv_gru_cell import ConvGRUCell


@keras.saving.register_keras_serializable(package="keras_grurcn")
class ConvGRU1DCell(ConvGRUCell):
    """Cell of `ConvGRU1D`, for `keras.layers.RNN` and custom loops.

    See `ConvGRUCell` for the equations and arguments.

    Examples:

    ```python
    cell = keras_grurcn.layers.ConvGRU1DCell(filters=4, kernel_size=3,
                                              padding="same")
    y = keras.layers.RNN(cell)(np.zeros((2, 5, 16, 3), "float32"))  # (2, 16, 4)
    ```
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(rank=1, filters=filters, kernel_size=kernel_size, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["rank"]
        return config

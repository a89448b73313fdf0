import keras

from keras_grurcn.argument_checks import check_rate
from keras_grurcn.models.classifier_head import classifier_head
from keras_grurcn.models.task import Task

MAX_CLASSES = 1_000_000


def resolve_classes(num_classes, class_names):
    """`(num_classes, class_names)` from either or both, validated."""
    if class_names is not None:
        if isinstance(class_names, str) or not all(
            isinstance(name, str) and name for name in class_names
        ):
            raise ValueError(
                "`class_names` must be a list of non-empty strings, got "
                f"{class_names!r}."
            )
        class_names = list(class_names)
        if len(set(class_names)) != len(class_names):
            raise ValueError(f"`class_names` has duplicates: {class_names}.")
        if num_classes is not None and num_classes != len(class_names):
            raise ValueError(
                f"`num_classes`={num_classes} but {len(class_names)} "
                "`class_names` were given; pass one of them."
            )
        num_classes = len(class_names)
    if num_classes is None:
        raise ValueError(
            "A classifier needs `class_names` (e.g. the cache's class names) "
            "or `num_classes` (e.g. 101 for UCF-101)."
        )
    if (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, int)
        or not 2 <= num_classes <= MAX_CLASSES
    ):
        raise ValueError(
            f"`num_classes` must be an int in [2, {MAX_CLASSES}], got {num_classes!r}."
        )
    return num_classes, class_names


def classification_metrics(num_classes):
    """Top-1 accuracy, and top-5 where it says something (more than 5 classes)."""
    metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    if num_classes > 5:
        metrics.append(
            keras.metrics.SparseTopKCategoricalAccuracy(5, name="top5_accuracy")
        )
    return metrics


@keras.saving.register_keras_serializable(package="keras_grurcn")
class VideoClassifier(Task):
    """Video classification: preprocessor + backbone + the GRU-RCN head.

    The head (`self.head`, see `classifier_head`) classifies each of the
    backbone's outputs (average-pooled over space, dropout, softmax; a
    per-frame output frame by frame) and averages the class probabilities
    (Ballas et al., 2016, Sec. 4.1). `build_model(name, ...)` builds the
    zoo's classifiers this way: the GRU-RCN variants, `frame_average`,
    `frame_rnn`, `c3d` (and, fused, `two_stream`).

    It takes uint8 frames `(batch, time, height, width, 3)` of any size and
    length when it holds a preprocessor, and cached percepts (`{level:
    (batch, time, ...)}`, as `keras_grurcn.data.percept_dataset` yields
    them) always: train on the cache, predict and serve from frames, with
    the same weights. `compile()` defaults to Adam (1e-4), sparse
    categorical cross-entropy on the probabilities, accuracy and, with
    more than 5 classes, top-5 accuracy.

    Args:
        backbone: a `keras_grurcn.models.Backbone` (e.g. `GRURCNBackbone`).
        preprocessor: a `keras_grurcn.preprocessing.Preprocessor` (e.g.
            `VideoPreprocessor`) whose outputs are the backbone's inputs, or
            `None` for a classifier of cached percepts only.
        num_classes: the number of classes; follows from `class_names`.
        class_names: the class names in label order (saved with the task,
            returned by the SavedModel as `labels`).
        dropout: dropout before each classifier (0.7 in the paper).
        **kwargs: base model arguments (`name`, `dtype`).

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool2"], backbone_weights=None, num_frames=4,
        image_size=32,
    )
    backbone = keras_grurcn.GRURCNBackbone(
        preprocessor.output_shapes, hidden_maps=4, num_frames=4
    )
    classifier = keras_grurcn.VideoClassifier(
        backbone, preprocessor, class_names=["left", "right", "up", "down"]
    )
    classifier.compile()
    frames = np.random.randint(0, 256, (2, 4, 32, 32, 3), "uint8")
    classifier.fit(frames, np.array([0, 3]), epochs=1, verbose=0)
    classifier.predict(frames, verbose=0).shape  # (2, 4)
    percepts = preprocessor(frames)  # or a batch of a percept cache
    classifier.predict(percepts, verbose=0).shape  # (2, 4): same weights
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    head_arguments = ("num_classes", "class_names", "dropout")

    @classmethod
    def head_overrides(cls, kwargs):
        # New class names replace the saved number of classes and the other
        # way round: each follows from the one given.
        kwargs = dict(kwargs)
        if "class_names" in kwargs:
            kwargs.setdefault("num_classes", None)
        elif "num_classes" in kwargs:
            kwargs["class_names"] = None
        return kwargs

    def __init__(
        self,
        backbone,
        preprocessor=None,
        num_classes=None,
        class_names=None,
        dropout=0.7,
        **kwargs,
    ):
        super().__init__(backbone, preprocessor, **kwargs)
        self.num_classes, self.class_names = resolve_classes(num_classes, class_names)
        self.dropout = check_rate("dropout", dropout)
        self.head = self.build_head()
        self.built = True

    def build_head(self):
        feature_shapes = {
            name: tensor.shape[1:] for name, tensor in self.backbone.output.items()
        }
        return classifier_head(feature_shapes, self.num_classes, dropout=self.dropout)

    def call(self, inputs, training=None):
        features = self.backbone(
            self.backbone_inputs(inputs, training=training), training=training
        )
        return self.head(features, training=training)

    def default_loss(self):
        return keras.losses.SparseCategoricalCrossentropy()

    def default_metrics(self):
        return classification_metrics(self.num_classes)

    @property
    def labels(self):
        """The class names, or `"0"`, `"1"`, ... when none were given."""
        if self.class_names is not None:
            return list(self.class_names)
        return [str(index) for index in range(self.num_classes)]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "class_names": self.class_names,
                "dropout": self.dropout,
            }
        )
        return config

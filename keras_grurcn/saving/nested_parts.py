"""Configs of objects made of other registered objects (a task's backbone,
a two-stream model's streams): serialized in place, rebuilt on load."""

import keras


def serialize_parts(obj, names):
    """`{name: serialized obj.name}` (None stays None) for a `get_config`."""
    return {
        name: (
            None
            if getattr(obj, name) is None
            else keras.saving.serialize_keras_object(getattr(obj, name))
        )
        for name in names
    }


def deserialize_parts(config, names):
    """A copy of `config` whose serialized `names` are objects again."""
    config = dict(config)
    for name in names:
        if isinstance(config.get(name), dict):
            config[name] = keras.saving.deserialize_keras_object(config[name])
    return config

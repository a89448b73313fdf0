"""Saving and loading: preset folders, and files that run no code."""

from keras_grurcn.saving.preset_io import PRESET_FILES

__all__ = ["PRESET_FILES"]

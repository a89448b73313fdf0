"""A Beam extraction the kill test stops: `python -m tests.data.killable_percept_extraction`.

Runs `write_percept_cache_beam` on the in-memory DirectRunner (the DoFns
run in this process) and SIGKILLs itself when the second shard is about to
write its first record: one shard is then complete, one half-written, the
rest not started, and nothing gets to clean up.
"""

import argparse
import json
import os
import signal


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", required=True, help="JSON list of entries")
    parser.add_argument("--preprocessor", required=True, help="its preset folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--examples-per-shard", type=int, required=True)
    args = parser.parse_args()

    from keras_grurcn.data import VideoEntry
    from keras_grurcn.data import write_percept_cache_beam
    from keras_grurcn.data.percept_cache_shards import ShardWriter

    finish, write = ShardWriter.finish, ShardWriter.write
    finished = []

    def finish_and_count(self, *arguments, **keywords):
        finished.append(self.shard)
        return finish(self, *arguments, **keywords)

    def write_or_die(self, *arguments, **keywords):
        if finished:
            os.kill(os.getpid(), signal.SIGKILL)
        return write(self, *arguments, **keywords)

    ShardWriter.finish, ShardWriter.write = finish_and_count, write_or_die
    with open(args.videos) as file:
        videos = [VideoEntry(**row) for row in json.load(file)]
    write_percept_cache_beam(
        videos,
        args.preprocessor,
        args.out,
        num_frames=4,
        image_size=32,
        examples_per_shard=args.examples_per_shard,
    )


if __name__ == "__main__":
    main()

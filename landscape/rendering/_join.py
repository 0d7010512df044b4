"""Joining rendered pieces without re-encoding, and turning a video into a GIF (PyAV)."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path


def concatenate(pieces: list[Path], output: Path) -> None:
    """Write the videos ``pieces`` one after another into ``output`` by remuxing.

    The pieces must share codec, size and frame rate (they are parts of one
    render). Packets are copied as they are (no decoding, no encoding), so
    the frames of the result are exactly the frames of the pieces.
    """
    import av

    manifest = "".join(f"file 'file:{Path(piece).as_posix()}'\n" for piece in pieces)
    with (
        av.open(io.BytesIO(manifest.encode()), format="concat", options={"safe": "0"}) as source,
        av.open(str(output), mode="w", format=_container(output)) as target,
    ):
        stream = source.streams.video[0]
        copy = target.add_stream_from_template(template=stream)
        for packet in source.demux(stream):
            if packet.dts is None:  # the demuxer's final flush packet
                continue
            packet.dts = None  # let the muxer recompute across piece boundaries
            packet.stream = copy
            target.mux(packet)


def to_gif(video: Path, output: Path) -> None:
    """Convert ``video`` to an animated GIF with a palette computed from its frames."""
    import av

    with av.open(str(video)) as source, av.open(str(output), mode="w", format="gif") as target:
        stream = source.streams.video[0]
        gif = target.add_stream("gif", rate=stream.average_rate)
        period = 1 / Fraction(stream.average_rate)
        gif.width, gif.height, gif.pix_fmt = stream.width, stream.height, "pal8"
        graph = av.filter.Graph()
        feed = graph.add_buffer(template=stream)
        split = graph.add("split")
        palette = graph.add("palettegen", "stats_mode=diff")
        apply = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
        sink = graph.add("buffersink")
        feed.link_to(split)
        split.link_to(palette, 0, 0)
        split.link_to(apply, 1, 0)
        palette.link_to(apply, 0, 1)
        apply.link_to(sink)
        graph.configure()
        for frame in source.decode(stream):
            graph.push(frame)
        graph.push(None)
        index = 0
        while True:
            try:
                frame = graph.pull()
            except (av.error.EOFError, av.error.BlockingIOError):
                break
            frame.pts, frame.time_base = index, period
            index += 1
            target.mux(gif.encode(frame))
        target.mux(gif.encode())


def _container(path: Path) -> str:
    return {".mp4": "mp4", ".webm": "webm"}.get(Path(path).suffix.lower(), "mp4")

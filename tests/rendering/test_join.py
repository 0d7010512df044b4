"""Joining pieces by remuxing, and GIF conversion, on videos written here with PyAV."""

import av
import numpy as np

from landscape.rendering._join import concatenate, to_gif


def write_video(path, frames, fps=10):
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options={"crf": "18"})
        stream.width, stream.height, stream.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        for index, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


def gradient_frames(count, shift):
    """Frames of a horizontal ramp moving right: every frame differs from the others."""
    x = np.arange(256)
    return [
        np.repeat(((x + 7 * k + shift) % 256).astype(np.uint8)[None, :, None], 128, 0).repeat(3, 2)
        for k in range(count)
    ]


def test_concatenation_keeps_every_frame_of_every_piece_in_order(tmp_path, decode):
    pieces = [tmp_path / f"piece{i}.mp4" for i in range(3)]
    for i, piece in enumerate(pieces):
        write_video(piece, gradient_frames(4 + i, 60 * i))
    concatenate(pieces, tmp_path / "joined.mp4")
    expected = [frame for piece in pieces for frame in decode(piece)]
    joined = decode(tmp_path / "joined.mp4")
    assert len(joined) == 4 + 5 + 6
    assert all(np.array_equal(a, b) for a, b in zip(expected, joined, strict=True))
    with av.open(str(tmp_path / "joined.mp4")) as container:
        stream = container.streams.video[0]
        timestamps = [frame.pts * stream.time_base for frame in container.decode(stream)]
    assert np.allclose(np.diff(np.asarray(timestamps, dtype=float)), 0.1)  # one clock across the pieces


def test_a_gif_has_the_frames_size_and_rate_of_its_video(tmp_path, decode):
    frames = gradient_frames(6, 0)
    write_video(tmp_path / "clip.mp4", frames, fps=5)
    to_gif(tmp_path / "clip.mp4", tmp_path / "clip.gif")
    gif = decode(tmp_path / "clip.gif")
    assert len(gif) == 6 and gif[0].shape == (128, 256, 3)
    # A 256-colour palette approximates the ramp closely.
    assert np.abs(gif[3].astype(int) - frames[3]).mean() < 4
    with av.open(str(tmp_path / "clip.gif")) as container:
        assert float(container.streams.video[0].average_rate) == 5

"""PyTorch models as surfaces over their flattened parameters (``landscape[torch]``).

Torch is imported when a surface is built, never by ``import landscape``.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import invalid
from ._base import ParameterGroup
from ._finite_sum import FiniteSumSurface


class TorchSurface(FiniteSumSurface):
    """A PyTorch model's mean loss over a data set (see ``from_torch``).

    Attributes
    ----------
    model : torch.nn.Module
        The model; its own parameters are never changed.
    loss_fn : callable
    X, Y : torch.Tensor
        The data set, examples along the first axis (torch's layout).
    names : list of str
        The model's parameter names, in the order of the flat vector.
    vectorized : bool
        Whether particles are evaluated together with ``torch.func.vmap``
        (False after the model refused it: then one particle at a time).
    """

    def __init__(self, model, loss_fn, X, Y, *, bounds=None, name="torch", vectorize=True):
        import torch

        if not isinstance(model, torch.nn.Module):
            raise invalid("model", type(model).__name__, "a torch.nn.Module")
        if not callable(loss_fn):
            raise invalid("loss_fn", loss_fn, "a function (outputs, targets) -> mean loss")
        named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        if not named:
            raise invalid("model", type(model).__name__, "a model with trainable parameters")
        self.model, self.loss_fn = model, loss_fn
        self.torch_dtype = named[0][1].dtype
        self.device = named[0][1].device
        self.names = [n for n, _ in named]
        self._shapes = [tuple(p.shape) for _, p in named]
        self._sizes = [p.numel() for _, p in named]
        self.X = _tensor(torch, X, "X", self.torch_dtype, self.device)
        self.Y = _tensor(torch, Y, "Y", None, self.device)
        if self.Y.shape[0] != self.X.shape[0]:
            raise invalid("Y", f"{self.Y.shape[0]} examples", f"{self.X.shape[0]}, as many as X")
        if self.Y.is_floating_point():
            self.Y = self.Y.to(self.torch_dtype)
        self.vectorized = bool(vectorize)
        self._warned = False
        groups, start = [], 0
        for (n, p), size in zip(named, self._sizes, strict=True):
            role = "bias" if n.endswith("bias") else "weight" if p.ndim >= 2 else "other"
            groups.append(ParameterGroup(n, start, tuple(p.shape), role))
            start += size
        self._groups = tuple(groups)
        with torch.no_grad():
            start_point = torch.cat([p.detach().reshape(-1) for _, p in named]).double().cpu().numpy()
        if bounds is None:
            reach = max(1.0, 3.0 * float(np.abs(start_point).max()))
            bounds = np.tile([-reach, reach], (start, 1))
        self._example_numbers = _activation_size(torch, model, self.X[:1])
        super().__init__(
            data_size=self.X.shape[0], dim=start, bounds=bounds, name=name, default_start=start_point
        )

    thread_safe = False  # torch runs its own threads

    def parameter_groups(self):
        """One group per parameter tensor, named as in the model (``"0.weight"``)."""
        return self._groups

    def _example_size(self):
        return self._example_numbers

    # ---- torch functions of one flat parameter vector -----------------------------
    def _loss(self, flat, X, Y):
        from torch.func import functional_call

        tensors = {
            n: t.view(s) for n, t, s in zip(self.names, flat.split(self._sizes), self._shapes, strict=True)
        }
        return self.loss_fn(functional_call(self.model, tensors, (X,)), Y)

    def _hvp_one(self, flat, direction, X, Y):
        """Double backward: the vector-Jacobian product of the gradient with ``direction``."""
        from torch.func import grad, vjp

        _, pullback = vjp(lambda p: grad(self._loss)(p, X, Y), flat)
        return pullback(direction)[0]

    def _data(self, rows):
        if rows is None:
            return self.X, self.Y, None
        import torch

        index = torch.as_tensor(rows, device=self.device)
        return self.X[index], self.Y[index], 0

    def _run(self, function, batched, shared, arrays):
        """``function`` on every particle: one ``vmap`` call, or a loop if the model refuses it."""
        import torch

        if self.vectorized:
            try:
                return torch.func.vmap(function, in_dims=(*batched, shared, shared))(*arrays)
            except (RuntimeError, ValueError, NotImplementedError) as error:
                self.vectorized = False
                warnings.warn(
                    f"from_torch: the model cannot be vectorized over particles with torch.func.vmap "
                    f"({str(error).splitlines()[0][:120]}); each particle now runs on its own, "
                    "which is slower",
                    UserWarning,
                    stacklevel=4,
                )
        count = max(a.shape[0] for a, d in zip(arrays, (*batched, shared, shared), strict=True) if d == 0)
        outputs = []
        for k in range(count):
            one = [a[k] if d == 0 else a for a, d in zip(arrays, (*batched, shared, shared), strict=True)]
            outputs.append(function(*one))
        if isinstance(outputs[0], tuple):
            return tuple(torch.stack(parts) for parts in zip(*outputs, strict=True))
        return torch.stack(outputs)

    def _cost(self, x, rows, want_value):
        import torch
        from torch.func import grad_and_value

        X, Y, shared = self._data(rows)
        params = torch.tensor(x, device=self.device, dtype=self.torch_dtype)
        grads, values = self._run(grad_and_value(self._loss), (0,), shared, (params, X, Y))
        grads = grads.detach().double().cpu().numpy().astype(x.dtype, copy=False)
        return values.detach().double().cpu().numpy(), grads

    def _cost_hvp(self, x, v, rows):
        import torch

        X, Y, shared = self._data(rows)
        single = x.shape[0] == 1 and v.shape[0] > 1
        params = torch.tensor(x[0] if single else x, device=self.device, dtype=self.torch_dtype)
        directions = torch.tensor(v, device=self.device, dtype=self.torch_dtype)
        products = self._run(
            self._hvp_one, (None if single else 0, 0), shared, (params, directions, X, Y)
        )
        return products.detach().double().cpu().numpy()


def _tensor(torch, value, name, dtype, device):
    try:
        tensor = torch.as_tensor(value, device=device)
    except (TypeError, ValueError, RuntimeError):
        raise invalid(name, type(value).__name__, "a tensor or array with examples along axis 0") from None
    if tensor.ndim == 0 or tensor.shape[0] == 0:
        raise invalid(name, f"shape {tuple(tensor.shape)}", "examples along axis 0")
    return tensor.to(dtype) if dtype is not None and tensor.is_floating_point() else tensor


def _activation_size(torch, model, example) -> int:
    """Numbers the model's modules output for one example: a bound for chunking particles."""
    total = [0]

    def count(module, inputs, output):
        if isinstance(output, torch.Tensor):
            total[0] += output.numel()

    handles = [m.register_forward_hook(count) for m in model.modules()]
    try:
        with torch.no_grad():
            model(example)
    finally:
        for handle in handles:
            handle.remove()
    return max(1, 3 * total[0])


def from_torch(model, loss_fn, X, Y, *, bounds=None, name="torch", vectorize=True) -> TorchSurface:
    """A surface over a PyTorch model's flattened parameters: its mean loss on ``(X, Y)``.

    Parameters
    ----------
    model : torch.nn.Module
        Any model; its parameters (those requiring gradients, in the order of
        ``model.named_parameters()``) become one flat vector. The model
        itself is never changed: every evaluation passes parameters through
        ``torch.func.functional_call``.
    loss_fn : callable
        ``loss_fn(model(X_batch), Y_batch)``: the *mean* loss over a batch
        (e.g. ``torch.nn.CrossEntropyLoss()``), so mini-batches and the whole
        set are finite-sum costs as in the lecture.
    X, Y : torch.Tensor or array_like
        The data set, examples along the first axis (``X`` is converted to
        the model's dtype; integer ``Y`` stays integer).
    bounds : array_like, shape (dim, 2), optional
        Plot and search window (default ``±max(1, 3 max|θ₀|)`` around 0).
    name : str
    vectorize : bool
        Evaluate all particles in one ``torch.func.vmap`` call (default). A
        model that vmap cannot run (in-place buffers, data-dependent control
        flow) falls back to one particle at a time, with a warning.

    Returns
    -------
    TorchSurface
        ``value``/``grad`` by autograd, ``hvp`` by double backward (exact),
        mini-batches for ``trace(..., batch_size=B)``; ``parameter_groups()``
        names each tensor (a linear layer's rows and a convolution's output
        channels along axis 0 of its ``weight``); ``default_start`` is the
        model's current parameters. Values are computed in the model's dtype
        (float32 models work) and returned as float64 arrays.

    Examples
    --------
    >>> import torch, landscape as ls
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    >>> X, y = torch.randn(64, 2), (torch.rand(64, 1) > 0.5).float()
    >>> s = ls.surfaces.from_torch(net, torch.nn.BCEWithLogitsLoss(), X, y)
    >>> s.dim, [g.name for g in s.parameter_groups()]
    (17, ['0.weight', '0.bias', '2.weight', '2.bias'])
    """
    return TorchSurface(model, loss_fn, X, Y, bounds=bounds, name=name, vectorize=vectorize)

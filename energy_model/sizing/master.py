"""Master problems of the fast path's level-bundle search: the cutting-plane model over
the scaled capacities, its lower bound and the projection onto its level set."""

from __future__ import annotations

import numpy as np

from energy_model.sizing.dispatch_lp import FastPathFallback
from energy_model.sizing.solve import new_highs

#: Iteration limit of the projection QP.
QP_ITERATION_LIMIT = 1000


# --------------------------------------------------------------------------- master problems

def _small_lp_or_qp(cost, a_rows, rhs, lb, ub, hess_diag=None) -> np.ndarray:
    """Solve ``min cost·v (+ ½ vᵀ diag(h) v)``, ``a_rows·v ≤ rhs``, ``lb ≤ v ≤ ub``."""
    import highspy

    n = len(cost)
    h = new_highs()
    model = highspy.HighsModel()
    lp = model.lp_
    lp.num_col_, lp.num_row_ = n, len(rhs)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lb, ub
    lp.row_lower_, lp.row_upper_ = np.full(len(rhs), -np.inf), np.asarray(rhs, float)
    a = np.asarray(a_rows, float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(rhs)
    nz = a != 0
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int32)
    lp.a_matrix_.index_ = np.nonzero(nz)[1].astype(np.int32)
    lp.a_matrix_.value_ = a[nz]
    if hess_diag is not None:
        hs = model.hessian_
        hs.dim_ = n
        hs.format_ = highspy.HessianFormat.kTriangular
        hs.start_ = np.arange(n + 1, dtype=np.int32)
        hs.index_ = np.arange(n, dtype=np.int32)
        hs.value_ = np.asarray(hess_diag, float)
        # HiGHS' QP solver can cycle on degenerate cuts: bound it (the caller then
        # projects in the infinity norm, an LP)
        h.setOptionValue("qp_iteration_limit", QP_ITERATION_LIMIT)
    h.passModel(model)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise FastPathFallback(f"a master problem ended with status "
                               f"{h.modelStatusToString(status)!r}")
    return np.asarray(h.getSolution().col_value)


class _Bundle:
    """Cuts ``f(x) ≥ f_k + g_k·(x − x_k)`` in capacity units, and the scaled master problems.

    The masters work in ``z = (x − lo) / span`` on the free capacities, with the objective
    divided by ``f_scale``, so that their coefficients are of order one.
    """

    def __init__(self, lo, span, free, f_scale) -> None:
        self.lo, self.span, self.free, self.f_scale = lo, span, free, f_scale
        self.f, self.g, self.x = [], [], []
        n = int(np.count_nonzero(free))
        self.link_a, self.link_b = np.zeros((0, n)), np.zeros(0)

    def add_link(self, coef: np.ndarray, rhs: float) -> None:
        """Restrict the masters to ``coef·x ≤ rhs`` (capacity units), a set known to hold
        a minimiser (:func:`~energy_model.sizing.dispatch_lp.battery_power_limit`)."""
        a = (coef * self.span)[self.free]
        b = rhs - float(coef @ self.lo)
        scale = max(float(np.abs(a).max()), 1e-12)
        self.link_a = np.vstack([self.link_a, a / scale])
        self.link_b = np.append(self.link_b, b / scale)

    def add(self, f: float, g: np.ndarray, x: np.ndarray) -> None:
        self.f.append(float(f))
        self.g.append(np.asarray(g, float))
        self.x.append(np.asarray(x, float))

    def to_z(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.lo) / self.span)[self.free]

    def to_x(self, z: np.ndarray) -> np.ndarray:
        x = self.lo.copy()
        x[self.free] = self.lo[self.free] + z * self.span[self.free]
        return x

    def rows(self) -> tuple[np.ndarray, np.ndarray]:
        """``A``, ``rhs`` with ``m(z) ≤ t`` ⇔ ``A z − t ≤ rhs`` (scaled)."""
        g, x, f = np.asarray(self.g), np.asarray(self.x), np.asarray(self.f)
        a = (g * self.span)[:, self.free] / self.f_scale
        const = (f + (g * (self.lo - x)).sum(axis=1)) / self.f_scale
        return a, -const

    def lower_bound(self, hi: np.ndarray) -> tuple[float, np.ndarray]:
        """Minimum of the model over ``0 ≤ z ≤ hi`` [VND/yr], and its minimiser ``z``."""
        g, rhs = self.rows()
        n = g.shape[1]
        a = np.vstack([np.hstack([g, -np.ones((len(rhs), 1))]),
                       np.hstack([self.link_a, np.zeros((len(self.link_b), 1))])])
        rhs = np.concatenate([rhs, self.link_b])
        cost = np.zeros(n + 1)
        cost[-1] = 1.0
        v = _small_lp_or_qp(cost, a, rhs, np.append(np.zeros(n), -np.inf), np.append(hi, np.inf))
        return float(v[-1]) * self.f_scale, v[:n]

    def project(self, center: np.ndarray, level: float, hi: np.ndarray,
                lo: np.ndarray | None = None) -> np.ndarray:
        """Euclidean projection of ``center`` on ``{m(z) ≤ level}`` within ``lo ≤ z ≤ hi``
        (``lo`` default 0); :class:`FastPathFallback` if that set is empty."""
        g, rhs = self.rows()
        n = g.shape[1]
        lo = np.zeros(n) if lo is None else lo
        g = np.vstack([g, self.link_a])
        rhs = np.concatenate([rhs + level / self.f_scale, self.link_b])
        try:
            v = _small_lp_or_qp(-center, g, rhs, lo, hi, hess_diag=np.ones(n))
        except FastPathFallback:
            # HiGHS' QP solver occasionally stops with 'Solve error' on badly scaled cuts;
            # project in the infinity norm instead (an LP): min r, |z - center| ≤ r
            eye = np.eye(n)
            a = np.vstack([np.hstack([g, np.zeros((len(rhs), 1))]),
                           np.hstack([eye, -np.ones((n, 1))]),
                           np.hstack([-eye, -np.ones((n, 1))])])
            b = np.concatenate([rhs, center, -center])
            cost = np.zeros(n + 1)
            cost[-1] = 1.0
            v = _small_lp_or_qp(cost, a, b, np.append(lo, 0.0), np.append(hi, np.inf))[:n]
        return np.clip(v, lo, hi)

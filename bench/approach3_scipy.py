"""The scipy side of approach3_vs_scipy.sh: Epoch's Approach 3 fit, and the comparison with the Java fit.

    approach3_scipy.py fit CSV JSON [analytic|numeric]
        L-BFGS-B (scipy defaults) from the 4,500 starts of Epoch's grid on the sum of Huber losses
        (delta = 1e-3) of log(loss) - LSE(a - alpha log N, b - beta log D, e); 'analytic' passes the
        exact gradient (jac=True), 'numeric' lets scipy difference the objective as Epoch's notebook did.
    approach3_scipy.py compare SCIPY_JSON JAVA_JSON
        prints both optima, the largest relative parameter difference, both objectives and the time ratio;
        exits 1 when the objectives differ by more than 1e-6 relative.

Run with /usr/bin/python3 (Debian's python3-scipy, python3-numpy).
"""
import itertools
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize

DELTA = 1e-3
NEAR_BEST = 1e-6
OBJECTIVE_GOAL = 1e-6
SPEED_GOAL = 5.0


def grid():
    """Epoch's starts, in the same order as the Java StartGrid: product(alpha, beta, e, a, b)."""
    alphas = betas = np.arange(0, 2.5, 0.5)
    es = np.arange(-1, 1.5, 0.5)
    scales = np.arange(0, 30, 5)
    for alpha, beta, e, a, b in itertools.product(alphas, betas, es, scales, scales):
        yield np.array([a, b, e, alpha, beta], dtype=float)


def objective_and_gradient(x, log_n, log_d, log_l):
    a, b, e, alpha, beta = x
    t_model = a - alpha * log_n
    t_data = b - beta * log_d
    shift = np.maximum(np.maximum(t_model, t_data), e)
    p_model = np.exp(t_model - shift)
    p_data = np.exp(t_data - shift)
    p_floor = np.exp(e - shift)
    total = p_model + p_data + p_floor
    r = log_l - (shift + np.log(total))
    ar = np.abs(r)
    quadratic = ar <= DELTA
    value = np.where(quadratic, 0.5 * r * r, DELTA * (ar - 0.5 * DELTA)).sum()
    scale = -np.where(quadratic, r, DELTA * np.sign(r)) / total
    w_model = scale * p_model
    w_data = scale * p_data
    gradient = np.array([w_model.sum(), w_data.sum(), (scale * p_floor).sum(),
                         -(w_model * log_n).sum(), -(w_data * log_d).sum()])
    return value, gradient


def objective(x, log_n, log_d, log_l):
    return objective_and_gradient(x, log_n, log_d, log_l)[0]


def fit(csv, out, gradient="analytic"):
    data = np.loadtxt(csv, delimiter=",", skiprows=1)
    log_n, log_d, log_l = np.log(data[:, 0]), np.log(data[:, 1]), np.log(data[:, 2])
    args = (log_n, log_d, log_l)
    start = time.perf_counter()
    results = []
    for x0 in grid():
        if gradient == "analytic":
            result = minimize(objective_and_gradient, x0, args=args, jac=True, method="L-BFGS-B")
        else:
            result = minimize(objective, x0, args=args, method="L-BFGS-B")
        if np.isfinite(result.fun):
            results.append(result)
    seconds = time.perf_counter() - start
    best = min(results, key=lambda res: res.fun)
    a, b, e, alpha, beta = best.x
    summary = {
        "fitter": "scipy %s L-BFGS-B, %s gradient" % (__import__("scipy").__version__, gradient),
        "points": int(len(log_n)),
        "starts": 4500,
        "E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)),
        "alpha": float(alpha), "beta": float(beta), "a": float(beta / (alpha + beta)),
        "objective": float(best.fun),
        "startsNearBest": int(sum(1 for res in results if res.fun - best.fun <= NEAR_BEST)),
        "startsFailed": 4500 - len(results),
        "seconds": seconds,
    }
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
    print("scipy: %d points, objective %.12g, %.2f s" % (summary["points"], best.fun, seconds))


def compare(scipy_json, java_json):
    with open(scipy_json) as f:
        scipy = json.load(f)
    with open(java_json) as f:
        java = json.load(f)
    names = ["E", "A", "B", "alpha", "beta", "a"]
    print("%-52s %s" % ("", "  ".join("%12s" % n for n in names + ["objective"])))
    for fit in (scipy, java):
        print("%-52s %s" % (fit["fitter"], "  ".join("%12.6g" % fit[n] for n in names + ["objective"])))
    differences = {n: abs(java[n] - scipy[n]) / abs(scipy[n]) for n in names}
    worst = max(differences, key=differences.get)
    objective_difference = (java["objective"] - scipy["objective"]) / abs(scipy["objective"])
    print("largest relative parameter difference: %.3g (%s)" % (differences[worst], worst))
    print("objective: java %.12g, scipy %.12g, relative difference (java - scipy)/scipy %.3g (goal |.| <= %g)"
          % (java["objective"], scipy["objective"], objective_difference, OBJECTIVE_GOAL))
    print("starts within %g of the best: java %d/%d, scipy %d/%d"
          % (NEAR_BEST, java["startsNearBest"], java["starts"], scipy["startsNearBest"], scipy["starts"]))
    print("time for %d starts on %d points: scipy %.2f s; java %.2f s (first fit in the JVM, parallel on %d"
          " cores), %.2f s (warm, sequential), %.2f s (warm, parallel)"
          % (scipy["starts"], scipy["points"], scipy["seconds"], java["seconds"], java["threads"],
             java["secondsWarmSequential"], java["secondsWarmParallel"]))
    print("time ratio scipy/java: %.1fx (first fit), %.1fx (warm, sequential), %.1fx (warm, parallel) (goal >= %gx)"
          % (scipy["seconds"] / java["seconds"], scipy["seconds"] / java["secondsWarmSequential"],
             scipy["seconds"] / java["secondsWarmParallel"], SPEED_GOAL))
    ok = abs(objective_difference) <= OBJECTIVE_GOAL
    print("objective match: %s; speed goal (first fit): %s"
          % ("PASS" if ok else "FAIL", "PASS" if scipy["seconds"] / java["seconds"] >= SPEED_GOAL else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "fit":
        fit(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "analytic")
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)

package io.isoflop.fitter.fit;

import java.util.Comparator;
import java.util.List;

/** Makes the {@link HoldOut} check: refits without the largest budget and predicts it. */
public final class HoldOutCheck {
    private final Approach2 approach2;
    private final Approach3 approach3;

    public HoldOutCheck(Approach2 approach2, Approach3 approach3) {
        this.approach2 = approach2;
        this.approach3 = approach3;
    }

    /**
     * @param runs every run
     * @param full the Approach 2 fit to every run, whose profile of the largest budget gives the observed vertex
     */
    public HoldOut check(List<RunResult> runs, Approach2Fit full) {
        List<RunResult> usable = runs.stream().filter(r -> Double.isFinite(r.finalLoss()) && r.finalLoss() > 0)
                .toList();
        double largest = usable.stream().mapToDouble(RunResult::budgetFlops).max().orElse(Double.NaN);
        List<RunResult> heldOut = usable.stream().filter(r -> r.budgetFlops() == largest).toList();
        List<RunResult> rest = usable.stream().filter(r -> r.budgetFlops() != largest).toList();
        if (rest.isEmpty()) {
            return HoldOut.notChecked("fewer than two budgets with a finite loss: nothing left to fit without the"
                    + " largest");
        }
        BudgetProfile profile = full.budgets().stream().filter(b -> b.budgetFlops() == largest).findFirst()
                .orElse(null);
        double observedLoss;
        double observedParameters;
        String from;
        if (profile != null && profile.usedInPowerLaw()) {
            observedLoss = profile.vertex().loss();
            observedParameters = profile.vertex().parameters();
            from = HoldOut.FROM_VERTEX;
        } else {
            RunResult best = heldOut.stream().min(Comparator.comparingDouble(RunResult::finalLoss)).orElseThrow();
            observedLoss = best.finalLoss();
            observedParameters = best.parameters();
            from = HoldOut.FROM_LOWEST_RUN;
        }
        Approach2Fit smaller = approach2.fit(rest);
        Approach3Fit parametric = approach3.fit(rest);
        double approach2Parameters = smaller.hasPowerLaws() ? smaller.nOpt().valueAt(largest) : Double.NaN;
        boolean allocation = parametric.hasOptimalAllocation();
        return new HoldOut(largest, heldOut.size(), rest.size(), observedLoss, observedParameters, from,
                approach2Parameters, allocation ? parametric.law().optimalLoss(largest) : Double.NaN,
                allocation ? parametric.law().optimalParameters(largest) : Double.NaN, null);
    }
}

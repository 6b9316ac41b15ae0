package io.isoflop.scheduler.cli;

import io.isoflop.contracts.AtomicFiles;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanConflictException;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Binds a plan to its sweep directory: the first start writes {@code plan.json} and a copy of the spec; a
 * later start must bring the same runs, so results of two different grids are never mixed in one sweep.
 */
final class SweepSetup {
    private SweepSetup() {}

    /** @throws PlanConflictException if the directory holds the plan of another spec */
    static void bind(IsoFlopPlan plan, SweepStore store, Path specFile) throws IOException {
        Path planFile = store.planFile();
        if (Files.exists(planFile)) {
            IsoFlopPlan existing = PlanJson.read(planFile);
            List<String> before = existing.runs().stream().map(RunSpec::runId).toList();
            List<String> now = plan.runs().stream().map(RunSpec::runId).toList();
            if (!before.equals(now)) {
                throw new PlanConflictException("sweep directory " + store.sweepDir() + " holds a different plan ("
                        + before.size() + " runs, planned from another spec); give the sweep a new sweep.name or"
                        + " sweep.output, or delete that directory");
            }
        }
        AtomicFiles.writeString(planFile, PlanJson.render(plan));
        AtomicFiles.writeString(store.sweepDir().resolve("spec.yaml"), Files.readString(specFile));
    }
}

package io.isoflop.scheduler.sweep;

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
import java.util.Optional;

/**
 * Binds a plan and its policy to the sweep directory (local, or on a cluster's shared volume): the first start
 * writes {@code plan.json}, {@code policy.json} and a copy of the spec; a later start must bring the same runs, so
 * results of two different grids are never mixed, and records the policy it runs with. The one way a plan may
 * change is to grow: an adaptive sweep's plan gains each stage's runs, with the same spec hash and every earlier run
 * kept in its place.
 */
public final class SweepSetup {
    private SweepSetup() {}

    /**
     * @param specFile the budget spec to keep a copy of; null when the spec came from elsewhere (a ConfigMap)
     * @throws PlanConflictException if the directory holds the plan of another spec
     */
    public static void bind(IsoFlopPlan plan, SweepPolicy policy, SweepStore store, Path specFile)
            throws IOException {
        Path planFile = store.planFile();
        if (Files.exists(planFile)) {
            IsoFlopPlan existing = PlanJson.read(planFile);
            List<String> before = existing.runs().stream().map(RunSpec::runId).toList();
            List<String> now = plan.runs().stream().map(RunSpec::runId).toList();
            boolean grows = existing.specHash().equals(plan.specHash()) && now.size() > before.size()
                    && now.subList(0, before.size()).equals(before);
            if (!before.equals(now) && !grows) {
                throw new PlanConflictException("sweep directory " + store.sweepDir() + " holds a different plan ("
                        + before.size() + " runs, planned from another spec); give the sweep a new sweep.name or"
                        + " sweep.output, or delete that directory");
            }
        }
        AtomicFiles.writeString(planFile, PlanJson.render(plan));
        AtomicFiles.writeString(store.policyFile(), policy.toJson());
        if (specFile != null) {
            AtomicFiles.writeString(store.sweepDir().resolve("spec.yaml"), Files.readString(specFile));
        }
    }

    /**
     * The policy the sweep last ran with; empty for a sweep directory written before policies were kept.
     *
     * @throws IOException naming the file when it is unreadable
     */
    public static Optional<SweepPolicy> policy(SweepStore store) throws IOException {
        Path file = store.policyFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SweepPolicy.fromJson(Files.readString(file)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}

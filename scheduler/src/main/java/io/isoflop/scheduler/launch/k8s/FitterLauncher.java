package io.isoflop.scheduler.launch.k8s;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.RunHandle;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a sweep's fitter on the cluster, whatever its {@link FitterKind}: an attempt of this sweep's fitter that is
 * still going is followed (a restarted scheduler starts no second one), a finished one is never reused (the next
 * attempt gets the next name). One object per sweep, polled every few seconds: there is only ever one.
 */
final class FitterLauncher {
    private static final long POLL_MILLIS = 2000;

    private final FitterKind kind;
    private final SweepConfigMap sweepMap;
    private final String sweep;

    FitterLauncher(FitterKind kind, SweepConfigMap sweepMap, String sweep) {
        this.kind = kind;
        this.sweepMap = sweepMap;
        this.sweep = sweep;
    }

    RunHandle start(FitInput input, FitTarget target) throws IOException {
        try {
            Optional<FitterKind.Attempt> latest = kind.attempts().stream()
                    .max(Comparator.comparingInt(FitterKind.Attempt::number));
            if (latest.isPresent() && latest.get().exitCode().isEmpty()) {
                return follow(latest.get().name());
            }
            int number = latest.map(FitterKind.Attempt::number).orElse(0) + 1;
            return follow(kind.create(number, input.arguments(target.output()), sweepMap.owner()));
        } catch (ApiException e) {
            throw new IOException("cannot start the fitter of sweep " + sweep + ": HTTP " + e.getCode() + " "
                    + e.getResponseBody(), e);
        }
    }

    private RunHandle follow(String name) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            while (!exit.isDone()) {
                try {
                    kind.outcome(name).ifPresent(exit::complete);
                    Thread.sleep(POLL_MILLIS);
                } catch (ApiException e) {
                    if (e.getCode() == ApiCalls.NOT_FOUND) {
                        exit.complete(RunHandle.UNKNOWN_EXIT); // deleted: its outcome cannot be known
                    }
                    // otherwise transient (already retried with backoff): ask again at the next poll
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "isoflop-fitter-" + name);
        poller.setDaemon(true);
        poller.start();
        return RunHandle.of(name, exit, () -> kind.delete(name));
    }
}

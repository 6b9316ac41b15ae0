package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.launch.local.ProcessCommand;
import io.isoflop.scheduler.store.SweepStore;
import java.nio.file.Path;

/** Where the CLI picks the launcher backend, once. */
final class Backends {
    private Backends() {}

    /**
     * The embedded default: worker and fitter JVMs of this installation.
     *
     * @throws IllegalStateException if the worker or fitter module is not built
     */
    static LocalProcessLauncher local(SweepStore store) {
        Path home = IsoflopHome.resolve();
        return new LocalProcessLauncher(store, ProcessCommand.worker(home), ProcessCommand.fitter(home));
    }
}

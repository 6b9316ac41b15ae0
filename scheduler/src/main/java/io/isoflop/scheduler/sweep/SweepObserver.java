package io.isoflop.scheduler.sweep;

import io.isoflop.contracts.RunSpec;
import java.util.List;

/** What a {@link SweepRunner} reports as it goes: the terminal progress and the Prometheus metrics listen. */
public interface SweepObserver {

    /** The run was finished before this invocation started. */
    default void alreadyDone(RunSpec run) {}

    /** An attempt of an earlier scheduler is still going and is followed. */
    default void following(RunSpec run) {}

    /** An earlier attempt was found dead; the run goes back to the queue. */
    default void lost(RunSpec run) {}

    /** Metric files of the run that are not whole Parquet files were set aside (renamed); it is not done by them. */
    default void setAside(RunSpec run, List<String> files) {}

    /** A new attempt was started, {@code waitedSeconds} after the run became ready to start. */
    default void started(RunSpec run, double waitedSeconds) {}

    default void succeeded(RunSpec run) {}

    /** The attempt failed and the run goes back to the queue. */
    default void retrying(RunSpec run, String log) {}

    /** The run failed after every attempt (or was rejected). */
    default void failed(RunSpec run, String log) {}

    /** The sweep starts no new runs (too many failed for good); the reason says why and what to do. */
    default void stopped(String reason) {}

    /** A snapshot after every change and at each heartbeat. */
    default void snapshot(int running) {}

    static SweepObserver all(List<SweepObserver> observers) {
        return new SweepObserver() {
            @Override
            public void alreadyDone(RunSpec run) {
                observers.forEach(o -> o.alreadyDone(run));
            }

            @Override
            public void following(RunSpec run) {
                observers.forEach(o -> o.following(run));
            }

            @Override
            public void lost(RunSpec run) {
                observers.forEach(o -> o.lost(run));
            }

            @Override
            public void setAside(RunSpec run, List<String> files) {
                observers.forEach(o -> o.setAside(run, files));
            }

            @Override
            public void started(RunSpec run, double waitedSeconds) {
                observers.forEach(o -> o.started(run, waitedSeconds));
            }

            @Override
            public void succeeded(RunSpec run) {
                observers.forEach(o -> o.succeeded(run));
            }

            @Override
            public void retrying(RunSpec run, String log) {
                observers.forEach(o -> o.retrying(run, log));
            }

            @Override
            public void failed(RunSpec run, String log) {
                observers.forEach(o -> o.failed(run, log));
            }

            @Override
            public void stopped(String reason) {
                observers.forEach(o -> o.stopped(reason));
            }

            @Override
            public void snapshot(int running) {
                observers.forEach(o -> o.snapshot(running));
            }
        };
    }
}

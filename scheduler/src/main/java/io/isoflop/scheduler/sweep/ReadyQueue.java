package io.isoflop.scheduler.sweep;

import io.isoflop.contracts.RunSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Runs waiting for an attempt, in the order they were added, each ready from its own time on (a retry waits out
 * its backoff; a run that is ready is never passed over for one that is not).
 */
final class ReadyQueue {
    private final List<Waiting> waiting = new ArrayList<>();

    /** A run taken off the queue, with how long it had been ready. */
    record Entry(RunSpec spec, double waitedSeconds) {}

    private record Waiting(RunSpec spec, long readyAtNanos) {}

    void add(RunSpec spec, Duration delay) {
        waiting.add(new Waiting(spec, System.nanoTime() + delay.toNanos()));
    }

    /** The first run whose time has come, if any. */
    Optional<Entry> pollReady() {
        long now = System.nanoTime();
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.readyAtNanos() <= now) {
                it.remove();
                return Optional.of(new Entry(w.spec(), (now - w.readyAtNanos()) / 1e9));
            }
        }
        return Optional.empty();
    }

    /** How long until the next run becomes ready (zero if one is); empty when the queue is empty. */
    Optional<Duration> untilNextReady() {
        long now = System.nanoTime();
        return waiting.stream().mapToLong(Waiting::readyAtNanos).min()
                .stream().mapToObj(at -> Duration.ofNanos(Math.max(0, at - now))).findFirst();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }
}

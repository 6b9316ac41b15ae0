package io.isoflop.scheduler.launch;

/** A launcher whose attempts live and die with this process (local workers, in-process simulations). */
public interface LocalLauncher extends Launcher {
    /** Stops every attempt it started or adopted: the scheduler is stopping (Ctrl-C) or done. */
    void stopAll();
}

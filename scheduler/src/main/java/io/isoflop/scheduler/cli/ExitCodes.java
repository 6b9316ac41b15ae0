package io.isoflop.scheduler.cli;

/** What the {@code isoflop} command's exit status means. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something unexpected; the message says what. */
    public static final int INTERNAL = 1;
    /** Bad input: usage, spec validation, a missing or foreign sweep directory. */
    public static final int BAD_INPUT = 2;
    /** Some runs failed after every allowed attempt. */
    public static final int RUNS_FAILED = 3;
    /** The runs are done but the fitter failed. */
    public static final int FIT_FAILED = 4;
    /** Another isoflop process is driving the same sweep. */
    public static final int BUSY = 5;
    /** The cluster cannot be reached, or does not serve what the command needs (the IsoFlopSweep resource). */
    public static final int UNAVAILABLE = 6;

    private ExitCodes() {}
}

package io.isoflop.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * What passes between the scheduler and a worker process besides the {@link RunSpec}: the environment variables
 * a worker reads and the exit codes it ends with. Both sides use these names; neither writes the values out.
 */
public final class WorkerProtocol {
    /** Path of the run spec file (alternative to {@code --spec FILE}). */
    public static final String RUN_SPEC_FILE_ENV = "ISOFLOP_RUN_SPEC";
    /** The run spec document itself (how a Kubernetes Job hands it over). */
    public static final String RUN_SPEC_JSON_ENV = "ISOFLOP_RUN_SPEC_JSON";
    /** Port on which the worker serves its Prometheus metrics; unset or blank: not served. */
    public static final String METRICS_PORT_ENV = "ISOFLOP_METRICS_PORT";
    /** The arithmetic: {@code auto} (default: fp16-mixed on a GPU, fp32 on the CPU), {@code fp32} or {@code fp16-mixed}. */
    public static final String PRECISION_ENV = "ISOFLOP_PRECISION";
    /** The node the worker runs on (the Kubernetes Job sets it from the pod's spec.nodeName). */
    public static final String NODE_NAME_ENV = "ISOFLOP_NODE_NAME";
    /**
     * For a run whose metrics are kept on an object store: the local directory that holds the worker's working copy
     * (its {@link MetricsLayout#workingCopy metrics} and its run lock), so that the local scheduler finds the lock of
     * a worker it did not start; unset: a fresh temporary directory (a pod's own disk).
     */
    public static final String WORK_DIR_ENV = "ISOFLOP_WORK_DIR";

    private WorkerProtocol() {}

    /** How a worker process ends, and what the scheduler does about it. */
    public enum Exit {
        /** The final metrics file is written. */
        DONE(0, Retry.NO),
        /** Training failed for a reason another attempt may not meet (a crash, out of memory, a lost node). */
        FAILED(1, Retry.USING_AN_ATTEMPT),
        /** The run spec, its data or the worker's settings are unusable: another attempt cannot help. */
        BAD_INPUT(2, Retry.NO),
        /** The training loss became NaN or infinite: the same spec and seed would diverge again. */
        DIVERGED(3, Retry.NO),
        /** Another worker holds this run's lock and is training it. */
        BUSY(4, Retry.USING_AN_ATTEMPT),
        /** The spec asks for GPUs and the worker sees none: the node or its device plugin is at fault. */
        NO_GPU(5, Retry.USING_AN_ATTEMPT),
        /**
         * Asked to stop (SIGTERM: preemption, eviction, a node drain, Ctrl-C) after saving a checkpoint: the next
         * attempt resumes from it and does not count against the run's attempts. 143 is 128 + SIGTERM, what a JVM
         * stopped by SIGTERM reports anyway.
         */
        PREEMPTED(143, Retry.WITHOUT_USING_AN_ATTEMPT);

        private final int code;
        private final Retry retry;

        Exit(int code, Retry retry) {
            this.code = code;
            this.retry = retry;
        }

        public int code() {
            return code;
        }

        public Retry retry() {
            return retry;
        }

        /** The exit this code stands for; empty for codes outside the protocol (a signal, an unknown crash). */
        public static Optional<Exit> of(int code) {
            return Arrays.stream(values()).filter(e -> e.code == code).findFirst();
        }
    }

    /** Whether an attempt that ended so is tried again. */
    public enum Retry { NO, USING_AN_ATTEMPT, WITHOUT_USING_AN_ATTEMPT }
}

package io.isoflop.worker.train;

/**
 * Dynamic loss scaling for fp16 training: the loss is multiplied by {@link #value} before backward so that small
 * gradients survive fp16, and the gradients are divided by it again in fp32. A step whose gradients overflow is
 * skipped and the scale halved; after {@value #GROWTH_INTERVAL} good steps in a row it doubles. For fp32 the scale
 * stays 1.
 */
final class LossScale {
    static final int GROWTH_INTERVAL = 1000;
    private static final double INITIAL = 65536;

    private double value;
    private long goodSteps;

    private LossScale(double value, long goodSteps) {
        this.value = value;
        this.goodSteps = goodSteps;
    }

    static LossScale of(Precision precision) {
        return new LossScale(precision.mixed() ? INITIAL : 1, 0);
    }

    static LossScale restored(double value, long goodSteps) {
        return new LossScale(value, goodSteps);
    }

    double value() {
        return value;
    }

    long goodSteps() {
        return goodSteps;
    }

    /** Records whether the step's gradients were finite; false means the step must be skipped. */
    boolean update(boolean finite) {
        if (!finite) {
            value = Math.max(1, value / 2);
            goodSteps = 0;
            return false;
        }
        if (++goodSteps % GROWTH_INTERVAL == 0) {
            value *= 2;
        }
        return true;
    }
}

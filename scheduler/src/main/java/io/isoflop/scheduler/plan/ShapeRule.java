package io.isoflop.scheduler.plan;

import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.scheduler.spec.BudgetSpec;

/**
 * Turns a target parameter count into a model shape, deterministically:
 * <ol>
 *   <li>{@code n_layer = max(minLayers, round((N / (12·aspect²))^(1/3)))}: a block holds about 12·d_model²
 *       parameters, so with {@code d_model = aspect·n_layer} the model holds about {@code 12·aspect²·n_layer³};
 *   <li>{@code d_model} is the positive multiple of {@code widthMultiple} whose parameter count (under
 *       {@code count}) is closest to N in log space (the smaller one on a tie);
 *   <li>{@code n_heads} is the largest divisor of {@code d_model} that keeps every head at least
 *       {@code headDim} wide (one head when {@code d_model < headDim}). Fewer, wider heads matter for tiny
 *       models: attention cost grows with the head count, not with d_model.
 * </ol>
 *
 * @param aspectRatio the target d_model / n_layer
 * @param count which parameters N counts
 */
public record ShapeRule(
        int vocab,
        int context,
        double aspectRatio,
        int headDim,
        int widthMultiple,
        int mlpRatio,
        int minLayers,
        ParameterCount count) {

    /** Large enough for any model this planner is meant for (d_model up to ~10^6). */
    private static final int MAX_WIDTH_STEPS = 1 << 20;

    public ShapeRule {
        if (vocab < 2 || context < 2 || !(aspectRatio > 0) || headDim < 1 || widthMultiple < 1 || mlpRatio < 1 || minLayers < 1) {
            throw new IllegalArgumentException("shape rule has a non-positive input");
        }
    }

    public static ShapeRule of(BudgetSpec spec) {
        BudgetSpec.Shape s = spec.shape();
        return new ShapeRule(s.vocab(), s.context(), s.aspectRatio(), s.headDim(), s.widthMultiple(), s.mlpRatio(), s.minLayers(),
                spec.flops().parameters());
    }

    /** The layer count the rule gives for a target N. */
    public int layersFor(long targetN) {
        long layers = Math.round(Math.cbrt(targetN / (12.0 * aspectRatio * aspectRatio)));
        return (int) Math.max(minLayers, layers);
    }

    public ModelShape shapeFor(long targetN) {
        if (targetN < 1) {
            throw new IllegalArgumentException("target parameter count must be positive, got " + targetN);
        }
        int layers = layersFor(targetN);
        double logTarget = Math.log(targetN);
        ModelShape below = shape(layers, 1);
        if (count.of(below) >= targetN) {
            return below;
        }
        for (int widthSteps = 2; widthSteps <= MAX_WIDTH_STEPS; widthSteps++) {
            ModelShape above = shape(layers, widthSteps);
            if (count.of(above) >= targetN) {
                double underBy = logTarget - Math.log(count.of(below));
                double overBy = Math.log(count.of(above)) - logTarget;
                return overBy < underBy ? above : below;
            }
            below = above;
        }
        throw new IllegalArgumentException("target parameter count " + targetN + " is too large for this rule");
    }

    private ModelShape shape(int layers, int widthSteps) {
        int dModel = widthSteps * widthMultiple;
        return new ModelShape(vocab, context, dModel, layers, headsFor(dModel), mlpRatio);
    }

    /** The largest head count that divides d_model and keeps heads at least {@code headDim} wide. */
    int headsFor(int dModel) {
        for (int heads = dModel / headDim; heads > 1; heads--) {
            if (dModel % heads == 0) {
                return heads;
            }
        }
        return 1;
    }
}

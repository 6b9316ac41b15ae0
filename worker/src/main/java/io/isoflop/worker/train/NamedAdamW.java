package io.isoflop.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.isoflop.contracts.TrainingRecipe;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * AdamW (decoupled weight decay) with the recipe's schedule, whose state is keyed by parameter name rather than
 * by DJL's per-process parameter ids, so that a new process can load it from a checkpoint. The update is DJL's
 * fused Adam kernel, the same arithmetic as DJL's own AdamW. The step (learning-rate position and bias
 * correction) is the training step, set before each update by {@link #beginStep}, with the loss scale the
 * gradients carry.
 *
 * <p>Mixed precision: with fp16 parameters it keeps an fp32 master copy of each ({@code w:<name>}) and fp32
 * moments, updates the master from the unscaled fp32 gradient and writes it back, rounded, into the fp16
 * parameter in place (so the model keeps its arrays).
 */
final class NamedAdamW extends Optimizer {
    private static final String FIRST_MOMENT = "m:";
    private static final String SECOND_MOMENT = "v:";
    private static final String MASTER = "w:";

    private final TrainingRecipe recipe;
    private final Map<String, String> namesById = new HashMap<>();
    private final Map<String, NDArray> firstMoments = new TreeMap<>();
    private final Map<String, NDArray> secondMoments = new TreeMap<>();
    private final Map<String, NDArray> masters = new TreeMap<>();
    private final boolean mixed;
    private long step;
    private double lossScale = 1;

    NamedAdamW(TrainingRecipe recipe, Precision precision) {
        super(new Builder().optWeightDecays((float) recipe.weightDecay()));
        this.recipe = recipe;
        this.mixed = precision.mixed();
    }

    /** Learns the parameters' names (call once the model is initialized). */
    void bind(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            namesById.put(p.getValue().getId(), p.getKey());
        }
    }

    /** The 1-based training step whose update comes next, and the factor its gradients are scaled by. */
    void beginStep(long trainingStep, double gradientScale) {
        this.step = trainingStep;
        this.lossScale = gradientScale;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = namesById.get(parameterId);
        if (name == null) {
            throw new IllegalStateException("parameter " + parameterId + " was not bound to a name");
        }
        NDArray master = mixed ? masters.computeIfAbsent(name, n -> named(weight.toType(DataType.FLOAT32, true),
                MASTER + n)) : weight;
        NDArray m = firstMoments.computeIfAbsent(name, n -> named(master.zerosLike(), FIRST_MOMENT + n));
        NDArray v = secondMoments.computeIfAbsent(name, n -> named(master.zerosLike(), SECOND_MOMENT + n));
        float lr = (float) recipe.learningRateAt(step);
        double biasCorrection = Math.sqrt(1 - Math.pow(recipe.beta2(), step)) / (1 - Math.pow(recipe.beta1(), step));
        float unscale = (float) (rescaleGrad / lossScale);
        if (!mixed) {
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr,
                    (float) (lr * biasCorrection), getWeightDecay(), unscale, clipGrad, (float) recipe.beta1(),
                    (float) recipe.beta2(), (float) recipe.epsilon(), false, true);
            return;
        }
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray fullGrad = grad.toType(DataType.FLOAT32, true);
            fullGrad.attach(scratch);
            master.getNDArrayInternal().adamUpdate(new NDList(master, fullGrad, m, v), new NDList(master), lr,
                    (float) (lr * biasCorrection), getWeightDecay(), unscale, clipGrad, (float) recipe.beta1(),
                    (float) recipe.beta2(), (float) recipe.epsilon(), false, true);
            NDArray rounded = master.toType(weight.getDataType(), true);
            rounded.attach(scratch);
            weight.muli(0).addi(rounded);
            JniUtils.zeroGrad((PtNDArray) weight);
        }
    }

    /** The state by key: {@code m:}, {@code v:} and (mixed precision) {@code w:<parameter>} (for a checkpoint). */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((name, array) -> state.put(FIRST_MOMENT + name, array));
        secondMoments.forEach((name, array) -> state.put(SECOND_MOMENT + name, array));
        masters.forEach((name, array) -> state.put(MASTER + name, array));
        return state;
    }

    /** Restores moments saved by {@link #state}, onto {@code manager}'s device. */
    void restore(Map<String, NDArray> state, NDManager manager) {
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            String key = entry.getKey();
            // a copy with storage of its own: a decoded array may still be backed by the host buffer it was read
            // from, which Java frees when it pleases
            NDArray owned = entry.getValue().toDevice(manager.getDevice(), true).duplicate();
            owned.attach(manager);
            owned.setName(key);
            if (key.startsWith(FIRST_MOMENT)) {
                firstMoments.put(key.substring(FIRST_MOMENT.length()), owned);
            } else if (key.startsWith(SECOND_MOMENT)) {
                secondMoments.put(key.substring(SECOND_MOMENT.length()), owned);
            } else if (key.startsWith(MASTER) && mixed) {
                masters.put(key.substring(MASTER.length()), owned);
            } else {
                throw new IllegalArgumentException("unknown optimizer state entry '" + key + "'");
            }
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}

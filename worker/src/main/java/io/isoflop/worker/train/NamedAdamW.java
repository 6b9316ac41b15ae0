package io.isoflop.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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
 * correction) is the training step, set before each update by {@link #beginStep}.
 */
final class NamedAdamW extends Optimizer {
    private static final String FIRST_MOMENT = "m:";
    private static final String SECOND_MOMENT = "v:";

    private final TrainingRecipe recipe;
    private final Map<String, String> namesById = new HashMap<>();
    private final Map<String, NDArray> firstMoments = new TreeMap<>();
    private final Map<String, NDArray> secondMoments = new TreeMap<>();
    private long step;

    NamedAdamW(TrainingRecipe recipe) {
        super(new Builder().optWeightDecays((float) recipe.weightDecay()));
        this.recipe = recipe;
    }

    /** Learns the parameters' names (call once the model is initialized). */
    void bind(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            namesById.put(p.getValue().getId(), p.getKey());
        }
    }

    /** The 1-based training step whose update comes next. */
    void beginStep(long trainingStep) {
        this.step = trainingStep;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = namesById.get(parameterId);
        if (name == null) {
            throw new IllegalStateException("parameter " + parameterId + " was not bound to a name");
        }
        NDArray m = firstMoments.computeIfAbsent(name, n -> zeros(weight, FIRST_MOMENT + n));
        NDArray v = secondMoments.computeIfAbsent(name, n -> zeros(weight, SECOND_MOMENT + n));
        float lr = (float) recipe.learningRateAt(step);
        double biasCorrection = Math.sqrt(1 - Math.pow(recipe.beta2(), step)) / (1 - Math.pow(recipe.beta1(), step));
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr,
                (float) (lr * biasCorrection), getWeightDecay(), rescaleGrad, clipGrad, (float) recipe.beta1(),
                (float) recipe.beta2(), (float) recipe.epsilon(), false, true);
    }

    /** The moments by key, {@code m:<parameter>} or {@code v:<parameter>} (for a checkpoint). */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((name, array) -> state.put(FIRST_MOMENT + name, array));
        secondMoments.forEach((name, array) -> state.put(SECOND_MOMENT + name, array));
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
            } else {
                throw new IllegalArgumentException("unknown optimizer state entry '" + key + "'");
            }
        }
    }

    private static NDArray zeros(NDArray like, String name) {
        NDArray zeros = like.zerosLike();
        zeros.setName(name);
        return zeros;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}

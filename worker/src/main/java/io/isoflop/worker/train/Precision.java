package io.isoflop.worker.train;

import ai.djl.ndarray.types.DataType;
import io.isoflop.worker.device.ComputeDevice;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic a run trains in. DJL 0.35.1's PyTorch engine has no autocast, its casts cut the autograd graph,
 * and bfloat16 aborts the process, so lower precision is done the one way it allows: fp16 parameters and
 * activations, fp32 master weights and moments in the optimizer, and a dynamically scaled loss so that small fp16
 * gradients do not vanish.
 */
public enum Precision {
    FP32("fp32", DataType.FLOAT32),
    FP16_MIXED("fp16-mixed", DataType.FLOAT16);

    private final String id;
    private final DataType parameterType;

    Precision(String id, DataType parameterType) {
        this.id = id;
        this.parameterType = parameterType;
    }

    public String id() {
        return id;
    }

    DataType parameterType() {
        return parameterType;
    }

    boolean mixed() {
        return this == FP16_MIXED;
    }

    /**
     * What to train in: {@code requested} (the value of {@link io.isoflop.contracts.WorkerProtocol#PRECISION_ENV};
     * null, blank or {@code auto}: fp16-mixed on a GPU, fp32 on the CPU, where fp16 is slower).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Precision choose(String requested, ComputeDevice device) {
        if (requested == null || requested.isBlank() || requested.strip().equalsIgnoreCase("auto")) {
            return device.isGpu() ? FP16_MIXED : FP32;
        }
        for (Precision p : values()) {
            if (p.id.equals(requested.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("expected auto, " + Arrays.stream(values()).map(Precision::id)
                .collect(Collectors.joining(", ")) + ", got '" + requested + "'");
    }
}

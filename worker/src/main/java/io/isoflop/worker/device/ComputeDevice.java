package io.isoflop.worker.device;

import ai.djl.Device;

/**
 * What a run trains on: the CPU, or {@code count} GPUs of one kind. A run uses the first GPU the engine sees
 * (one run per GPU is how the Job asks for them); {@code count} records how many it saw.
 *
 * @param type {@link #CPU} or {@link #GPU}
 * @param name the product name, e.g. "NVIDIA H200", or the processor's model name
 */
public record ComputeDevice(String type, String name, int count) {
    public static final String CPU = "cpu";
    public static final String GPU = "gpu";

    public boolean isGpu() {
        return GPU.equals(type);
    }

    /** The device DJL trains on. */
    public Device djl() {
        return isGpu() ? Device.gpu(0) : Device.cpu();
    }

    @Override
    public String toString() {
        return isGpu() ? count + " × " + name : "CPU (" + name + ")";
    }
}

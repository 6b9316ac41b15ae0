package io.isoflop.contracts;

/** What one run asks of a machine. The local backend uses {@code cpu} as its thread count; Kubernetes uses all. */
public record Resources(String gpuType, int gpus, double cpu, String memory) {}

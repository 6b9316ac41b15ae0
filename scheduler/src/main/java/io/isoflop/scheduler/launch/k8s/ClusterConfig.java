package io.isoflop.scheduler.launch.k8s;

import io.isoflop.scheduler.sweep.RetryPolicy;

/**
 * How this installation runs sweeps on Kubernetes ({@code scheduler.yaml}, see {@code k8s/scheduler-config.yaml}):
 * the worker and fitter pods and the retry policy.
 */
public record ClusterConfig(KubernetesLaunchConfig launch, RetryPolicy retries) {}

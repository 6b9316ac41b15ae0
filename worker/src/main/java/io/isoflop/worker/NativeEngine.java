package io.isoflop.worker;

import io.isoflop.contracts.Resources;

/**
 * Settings DJL reads when its PyTorch engine first loads: never download anything (natives come from the
 * pytorch-native jar on the classpath), and use as many threads as the run's CPU request (at least one).
 * Must run before any DJL class touches the engine.
 */
final class NativeEngine {
    private NativeEngine() {}

    static void configure(Resources resources) {
        System.setProperty("ai.djl.offline", "true");
        int threads = resources == null ? 1 : Math.max(1, (int) Math.floor(resources.cpu()));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.default_engine", "PyTorch");
    }
}

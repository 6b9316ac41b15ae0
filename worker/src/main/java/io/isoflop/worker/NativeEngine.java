package io.isoflop.worker;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import io.isoflop.contracts.Resources;

/**
 * Settings DJL reads when its PyTorch engine first loads: never download anything, and use as many threads as
 * the run's CPU request (at least one). Must run before any DJL class touches the engine.
 *
 * <p>The natives come from the pytorch-native-cpu jar on the class path, unless {@code PYTORCH_LIBRARY_PATH}
 * names a libtorch directory (the GPU image's CUDA build of libtorch, with {@code PYTORCH_FLAVOR} and
 * {@code PYTORCH_VERSION} saying which); {@link #librariesLoaded} says which one was loaded.
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

    /** Loads the engine; where its libtorch came from and which version it is. */
    static String librariesLoaded() {
        Engine engine = Engine.getInstance();
        return "PyTorch " + engine.getVersion() + " from " + LibUtils.getLibtorchPath();
    }
}

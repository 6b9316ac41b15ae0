package io.isoflop.worker.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the device a run trains on: the GPUs the PyTorch engine can use, else the CPU. DJL's own count asks the
 * CUDA runtime through JNA and can say 0 on a working GPU (no {@code libcudart.so} on the library path), so a
 * CUDA build of libtorch is also asked directly, by placing a tensor on each GPU in turn. Names come from the
 * NVIDIA driver (nvidia-smi, or {@code /proc/driver/nvidia}) and from {@code /proc/cpuinfo}.
 */
public final class DeviceProbe {
    private static final int MAX_GPUS = 64;

    private DeviceProbe() {}

    public static ComputeDevice detect() {
        int gpus = gpuCount();
        return gpus > 0 ? new ComputeDevice(ComputeDevice.GPU, gpuName().orElse("unknown GPU"), gpus)
                : new ComputeDevice(ComputeDevice.CPU, cpuName().orElse("unknown CPU"), 1);
    }

    static int gpuCount() {
        Engine engine = Engine.getInstance();
        int reported = engine.getGpuCount();
        if (reported > 0 || !engine.hasCapability(StandardCapabilities.CUDA)) {
            return reported;
        }
        int count = 0;
        while (count < MAX_GPUS && usable(Device.gpu(count))) {
            count++;
        }
        return count;
    }

    private static boolean usable(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            manager.zeros(new Shape(1)).toFloatArray();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Optional<String> gpuName() {
        try {
            Process smi = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            String first = new String(smi.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("").strip();
            if (smi.waitFor(10, TimeUnit.SECONDS) && smi.exitValue() == 0 && !first.isEmpty()) {
                return Optional.of(first);
            }
        } catch (IOException e) {
            // no nvidia-smi in this image: ask the driver's /proc files
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path gpus = Path.of("/proc/driver/nvidia/gpus");
        try (Stream<Path> dirs = Files.list(gpus)) {
            for (Path dir : dirs.sorted().toList()) {
                Optional<String> model = field(dir.resolve("information"), "Model");
                if (model.isPresent()) {
                    return model;
                }
            }
        } catch (IOException e) {
            // no driver files either
        }
        return Optional.empty();
    }

    static Optional<String> cpuName() {
        return field(Path.of("/proc/cpuinfo"), "model name");
    }

    /** The value of the first {@code key: value} line of a text file. */
    private static Optional<String> field(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .filter(v -> !v.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

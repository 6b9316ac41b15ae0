package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image's entrypoint scripts (k8s/image/bin, copied to /opt/isoflop by k8s/image/Dockerfile), run here against
 * the repository, whose layout after {@code mvn package} is the image's: each script finds its jar and lib/, and
 * its main class starts. No Docker engine is needed (none is available on the development machines).
 */
class ImageEntrypointsIT {

    @BeforeAll
    static void modulesAreBuilt() {
        for (String module : List.of("scheduler", "worker", "fitter")) {
            Path target = DeployFiles.repo(module + "/target");
            assumeTrue(Files.isRegularFile(target.resolve("isoflop-" + module + ".jar"))
                    && Files.isDirectory(target.resolve("lib")), module + " is not packaged (mvn package)");
        }
    }

    @Test
    void theCliStartsAndListsTheSweepCommand() throws Exception {
        DeployFiles.Result help = entrypoint("isoflop", "--help");

        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("Usage: isoflop"), help.output());
        assertTrue(help.output().contains("sweep"), help.output());
    }

    @Test
    void theWorkerStartsAndAsksForItsRunSpec() throws Exception {
        // no --spec: WorkerMain ran (class path complete) and rejected the call with its usage and exit code 2
        DeployFiles.Result usage = entrypoint("isoflop-worker");

        assertEquals(2, usage.exitCode(), usage.output());
        assertTrue(usage.output().contains("usage: WorkerMain --spec"), usage.output());
    }

    @Test
    void theFitterStartsWithSparksModuleOptions() throws Exception {
        DeployFiles.Result help = entrypoint("isoflop-fitter", "--help");

        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("--metrics"), help.output());
        // a bad metrics directory is rejected by FitterMain itself (exit 2), before any SparkSession
        DeployFiles.Result missing = entrypoint("isoflop-fitter", "--metrics", "/nonexistent/metrics", "--out",
                "/nonexistent/fit");
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("does not exist"), missing.output());
    }

    private static DeployFiles.Result entrypoint(String name, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("env", "ISOFLOP_HOME=" + DeployFiles.HOME,
                DeployFiles.repo("k8s/image/bin/" + name).toString()));
        command.addAll(List.of(args));
        return DeployFiles.run(command, 120);
    }
}

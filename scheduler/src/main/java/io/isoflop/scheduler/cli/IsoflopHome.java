package io.isoflop.scheduler.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The isoflop installation: the directory holding {@code worker/}, {@code fitter/} and {@code scheduler/}
 * builds. The {@code isoflop} script passes it as {@code -Disoflop.home}; otherwise it is found from this
 * jar's location ({@code <home>/scheduler/target/isoflop-scheduler.jar}).
 */
final class IsoflopHome {
    private IsoflopHome() {}

    static Path resolve() {
        String property = System.getProperty("isoflop.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(IsoflopHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent().getParent().getParent();
            if (Files.isDirectory(candidate.resolve("worker"))) {
                return candidate;
            }
        } catch (URISyntaxException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}

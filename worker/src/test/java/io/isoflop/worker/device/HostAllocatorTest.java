package io.isoflop.worker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

/**
 * glibc takes all three settings (a wrong parameter number or an out-of-range value makes {@code mallopt} refuse).
 * What they are for, fewer page faults per training step, is measured by bench/worker_throughput.sh, which prints
 * the page faults per step.
 */
class HostAllocatorTest {

    @Test
    void glibcAcceptsTheSettings() {
        assumeTrue(Platform.isLinux() && !Platform.isAndroid(), "glibc's mallopt is a Linux matter");
        assertEquals("host allocator: freed memory kept for reuse (glibc mallopt)", HostAllocator.keepFreedMemory());
    }
}

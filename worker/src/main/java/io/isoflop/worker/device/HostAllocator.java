package io.isoflop.worker.device;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Keeps the C allocator from handing freed memory back to the operating system. A training step on the CPU
 * allocates and frees the same large activation and gradient buffers (tens of MB each) every step; by default
 * glibc serves such sizes with fresh {@code mmap}s, or trims them off its heaps when freed, so every step pays a
 * page fault for every 4 KiB page it touches again. On a virtual machine that returns freed pages to its host that
 * is most of a step's time. With these settings a step reuses the previous step's pages; the worker's peak memory
 * is unchanged, it is simply not given back between steps.
 */
public final class HostAllocator {
    /** glibc's {@code mallopt} parameters (malloc.h). */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_MAX = -4;
    /**
     * The pad each heap keeps when it grows or shrinks. Threads other than the process's first (the JVM's main
     * thread among them) allocate from their own 64 MiB heaps, which glibc deletes outright once they empty, unless
     * this pad says to keep them: the trim threshold alone does not.
     */
    private static final int TOP_PAD_BYTES = 64 << 20;

    private HostAllocator() {}

    /**
     * Sets glibc's trim threshold to its maximum, its top pad to 64 MiB and turns off {@code mmap} for large blocks. Call it before the
     * engine allocates anything. Returns what was done, for the log; elsewhere (no glibc) it does nothing.
     */
    public static String keepFreedMemory() {
        if (!Platform.isLinux()) {
            return "host allocator: left as is (not Linux)";
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean trim = mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1;
            boolean pad = mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD_BYTES}) == 1;
            boolean mmap = mallopt.invokeInt(new Object[] {M_MMAP_MAX, 0}) == 1;
            return trim && pad && mmap ? "host allocator: freed memory kept for reuse (glibc mallopt)"
                    : "host allocator: mallopt refused (trim " + trim + ", top pad " + pad + ", mmap " + mmap + ")";
        } catch (UnsatisfiedLinkError e) {
            return "host allocator: left as is (no mallopt: " + e.getMessage() + ")";
        }
    }
}

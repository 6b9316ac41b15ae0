package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The architecture's FLOPs per token against counts done by hand, and the checkpoint cadence. */
class FlopCountsTest {

    @Test
    void aSmallByteModelCountedByHand() {
        // d=32, T=64, 2 layers, MLP 4d, V=256. Per layer forward: QKV 2*32*96=6144, QK^T 2*64*32=4096,
        // AV 4096, output 2*32*32=2048, MLP 2*(2*32*128)=16384: 32768. Head 2*32*256=16384.
        ModelShape shape = new ModelShape(256, 64, 32, 2, 4, 4);
        assertEquals(32768, ArchitectureFlops.forwardPerLayer(shape), 0);
        assertEquals(3 * (2 * 32768 + 16384), ArchitectureFlops.perToken(shape), 0);
        assertEquals(3 * 16384, ArchitectureFlops.embeddingPerToken(shape), 0);
    }

    @Test
    void aGpt2SmallShapeCountedByHand() {
        // GPT-2 small: d=768, T=1024, 12 layers, MLP 4d, V=50257. Per layer forward:
        // QKV 2*768*2304=3538944, QK^T 2*1024*768=1572864, AV 1572864, output 2*768*768=1179648,
        // MLP 2*2*768*3072=9437184: 17301504. Head 2*768*50257=77194752.
        ModelShape shape = new ModelShape(50257, 1024, 768, 12, 12, 4);
        assertEquals(17301504, ArchitectureFlops.forwardPerLayer(shape), 0);
        double perToken = 3.0 * (12 * 17301504.0 + 77194752.0);
        assertEquals(perToken, ArchitectureFlops.perToken(shape), 0);
        // against 6N (N non-embedding = 85M): the attention at T=1024 and the head add about 60%
        double sixN = 6.0 * shape.nonEmbeddingParameters();
        assertTrue(perToken / sixN > 1.5 && perToken / sixN < 1.7, "model count / 6N = " + perToken / sixN);
    }

    @Test
    void aCheckpointIsDueEveryNStepsOrEverySoManySeconds() {
        CheckpointPolicy steps = new CheckpointPolicy(50, 0, false);
        assertTrue(steps.isDue(100, 0));
        assertFalse(steps.isDue(101, 1e9), "seconds are off");
        CheckpointPolicy seconds = new CheckpointPolicy(0, 600, false);
        assertFalse(seconds.isDue(100, 599));
        assertTrue(seconds.isDue(101, 600));
    }
}

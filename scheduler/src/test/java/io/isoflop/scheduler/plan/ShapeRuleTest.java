package io.isoflop.scheduler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.ParameterCount;
import org.junit.jupiter.api.Test;

class ShapeRuleTest {
    private static final ShapeRule QUICKSTART = new ShapeRule(256, 128, 16, 8, 8, 4, 1, ParameterCount.NON_EMBEDDING);

    @Test
    void layerCountFollowsTheAspectRatio() {
        for (int layers = 1; layers <= 8; layers++) {
            long n = 12L * 16 * 16 * layers * layers * layers;
            assertEquals(layers, QUICKSTART.layersFor(n), "N=" + n);
        }
        assertEquals(1, QUICKSTART.layersFor(100), "rounds down to zero, then min_layers");
    }

    @Test
    void minLayersIsAFloor() {
        ShapeRule deep = new ShapeRule(256, 128, 16, 8, 8, 4, 3, ParameterCount.NON_EMBEDDING);

        assertEquals(3, deep.shapeFor(4000).nLayers());
        assertEquals(3, deep.layersFor(4000));
    }

    @Test
    void quickstartTargetsGiveTheseShapes() {
        assertEquals(new ModelShape(256, 128, 16, 1, 2, 4), QUICKSTART.shapeFor(4000));
        assertEquals(new ModelShape(256, 128, 24, 1, 3, 4), QUICKSTART.shapeFor(9361));
        assertEquals(new ModelShape(256, 128, 32, 2, 4, 4), QUICKSTART.shapeFor(21909));
        assertEquals(new ModelShape(256, 128, 40, 3, 5, 4), QUICKSTART.shapeFor(51274));
        assertEquals(new ModelShape(256, 128, 56, 3, 7, 4), QUICKSTART.shapeFor(120000));
    }

    @Test
    void dModelIsTheMultipleOfHeadDimClosestInLogSpace() {
        for (ParameterCount count : ParameterCount.values()) {
            ShapeRule rule = new ShapeRule(256, 128, 16, 8, 8, 4, 1, count);
            for (long target = 1000; target < 20_000_000; target = target * 11 / 10) {
                ModelShape chosen = rule.shapeFor(target);
                int layers = rule.layersFor(target);
                assertEquals(layers, chosen.nLayers());
                assertEquals(0, chosen.dModel() % 8);
                assertEquals(chosen.dModel() / 8, chosen.nHeads());
                double chosenDistance = Math.abs(Math.log(count.of(chosen)) - Math.log(target));
                for (int heads = 1; heads <= 200; heads++) {
                    ModelShape other = new ModelShape(256, 128, heads * 8, layers, heads, 4);
                    double distance = Math.abs(Math.log(count.of(other)) - Math.log(target));
                    assertTrue(chosenDistance <= distance, count + " target " + target + ": " + chosen
                            + " is farther than " + other);
                }
            }
        }
    }

    @Test
    void countingTotalParametersGivesNarrowerModelsForTheSameTarget() {
        ShapeRule total = new ShapeRule(256, 128, 16, 8, 8, 4, 1, ParameterCount.TOTAL);

        ModelShape byTotal = total.shapeFor(200_000);
        ModelShape byNonEmbedding = QUICKSTART.shapeFor(200_000);

        assertTrue(byTotal.dModel() < byNonEmbedding.dModel(), byTotal + " vs " + byNonEmbedding);
    }

    @Test
    void aTinyTargetGetsOneHead() {
        assertEquals(new ModelShape(256, 128, 8, 1, 1, 4), QUICKSTART.shapeFor(1));
    }

    @Test
    void theSameTargetAlwaysGivesTheSameShape() {
        for (long target = 1000; target < 1_000_000; target += 7919) {
            assertEquals(QUICKSTART.shapeFor(target), QUICKSTART.shapeFor(target));
        }
    }

    @Test
    void headsStayAtLeastHeadDimWideWhenWidthStepsAreFiner() {
        ShapeRule wideHeads = new ShapeRule(256, 128, 16, 32, 8, 4, 1, ParameterCount.NON_EMBEDDING);

        assertEquals(1, wideHeads.headsFor(24), "narrower than one head: a single head");
        assertEquals(1, wideHeads.headsFor(40), "two heads of 20 would be narrower than 32");
        assertEquals(2, wideHeads.headsFor(64));
        assertEquals(3, wideHeads.headsFor(96));
        assertEquals(2, wideHeads.headsFor(80), "80 = 2 x 40; 3 does not divide it");
        for (long target = 1000; target < 2_000_000; target = target * 13 / 10) {
            ModelShape shape = wideHeads.shapeFor(target);
            assertEquals(0, shape.dModel() % 8, "d_model steps by width_multiple");
            assertTrue(shape.headDim() >= 32 || shape.nHeads() == 1, shape.toString());
        }
    }
}

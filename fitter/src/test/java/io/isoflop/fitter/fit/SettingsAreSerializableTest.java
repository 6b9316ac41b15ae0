package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The settings cross to Spark's executors by Java serialisation (SparkBootstrap's task carries them as they are). */
class SettingsAreSerializableTest {

    @Test
    void approach1And2SettingsSurviveARoundTrip() throws Exception {
        Approach1Settings approach1 = new Approach1Settings(7, 4);
        Approach2Settings approach2 = new Approach2Settings(5, 0.2, 2.5);

        assertEquals(approach1, roundTrip(approach1));
        assertEquals(approach2, roundTrip(approach2));
    }

    @Test
    void aResamplesApproach3SettingsSurviveARoundTripWithTheirStarts() throws Exception {
        double[] optimum = {6, 7, 0.6, 0.35, 0.37};
        Approach3Settings settings = new Approach3Settings(2e-3, StartGrid.epoch(), 6, 1e-10, 1e-11, 500, 1e-5, true, 300, 3)
                .forResamples(optimum);

        Approach3Settings copy = roundTrip(settings);

        StartGrid same = StartGrid.coarse();
        assertEquals(settings.withStarts(same), copy.withStarts(same));
        assertEquals(settings.starts().size(), copy.starts().size());
        for (int i = 0; i < settings.starts().size(); i++) {
            assertArrayEquals(settings.starts().start(i), copy.starts().start(i));
        }
        assertArrayEquals(optimum, copy.starts().start(0));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}

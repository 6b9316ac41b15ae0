package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.isoflop.contracts.MetricsSchema;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

/** Which schemas the fit can read: the worker's, with or without optional extras; not one lacking or retyping a column. */
class MetricFilesTest {
    @Test
    void theWorkersSchemaAndOneWithExtraColumnsAreReadable() {
        assertNull(MetricFiles.schemaProblem(MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE)));
        assertNull(MetricFiles.schemaProblem(MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE
                .replace("}", "  optional double something_new;\n}"))));
    }

    @Test
    void aMissingOrRetypedColumnIsNamedWithWhatWasExpected() {
        String older = MetricsSchema.PARQUET_MESSAGE
                .replace("  optional double eval_loss;\n", "")
                .replace("required int64 step;", "required binary step (STRING);")
                .replace("required double budget_flops;", "required float budget_flops;");
        assertEquals("another schema: step is BINARY, expected INT64; budget_flops is FLOAT, expected DOUBLE; "
                + "lacks eval_loss", MetricFiles.schemaProblem(MessageTypeParser.parseMessageType(older)));
    }
}

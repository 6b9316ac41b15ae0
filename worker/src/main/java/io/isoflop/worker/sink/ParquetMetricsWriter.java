package io.isoflop.worker.sink;

import io.isoflop.contracts.AtomicFiles;
import io.isoflop.contracts.MetricsSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes metric rows to one Parquet file in the {@link MetricsSchema} layout, atomically (temp name, rename). */
public final class ParquetMetricsWriter {
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE);

    private ParquetMetricsWriter() {}

    public static void write(Path target, RunConstants run, List<MetricRow> rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        AtomicFiles.write(target, temporary -> {
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(temporary))
                    .withConf(new PlainParquetConfiguration())
                    .withType(SCHEMA)
                    .withCodecFactory(new UncompressedCodecFactory())
                    .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build()) {
                for (MetricRow row : rows) {
                    writer.write(toGroup(groups, run, row));
                }
            }
        });
    }

    private static Group toGroup(SimpleGroupFactory groups, RunConstants run, MetricRow row) {
        Group g = groups.newGroup()
                .append(MetricsSchema.RUN_ID, run.runId())
                .append(MetricsSchema.SWEEP, run.sweep())
                .append(MetricsSchema.ATTEMPT, run.attempt())
                .append(MetricsSchema.STEP, row.step())
                .append(MetricsSchema.TOKENS, row.tokens())
                .append(MetricsSchema.FLOPS, row.flops());
        if (!Double.isNaN(row.trainLoss())) {
            g.append(MetricsSchema.TRAIN_LOSS, row.trainLoss());
        }
        if (!Double.isNaN(row.evalLoss())) {
            g.append(MetricsSchema.EVAL_LOSS, row.evalLoss());
        }
        return g.append(MetricsSchema.LEARNING_RATE, row.learningRate())
                .append(MetricsSchema.WALL_SECONDS, row.wallSeconds())
                .append(MetricsSchema.TOKENS_PER_SECOND, row.tokensPerSecond())
                .append(MetricsSchema.IS_FINAL, row.isFinal())
                .append(MetricsSchema.BUDGET_FLOPS, run.budgetFlops())
                .append(MetricsSchema.FLOP_CONVENTION, run.flopConvention())
                .append(MetricsSchema.N_PARAMS, run.parameters())
                .append(MetricsSchema.N_PARAMS_TOTAL, run.parametersTotal())
                .append(MetricsSchema.N_PARAMS_NON_EMBEDDING, run.parametersNonEmbedding())
                .append(MetricsSchema.PLANNED_TOKENS, run.plannedTokens())
                .append(MetricsSchema.EPOCHS, row.epochs())
                .append(MetricsSchema.FLOPS_PER_TOKEN, run.flopsPerToken())
                .append(MetricsSchema.FLOPS_PER_TOKEN_6N, run.flopsPerToken6n())
                .append(MetricsSchema.FLOPS_PER_TOKEN_MODEL, run.flopsPerTokenModel())
                .append(MetricsSchema.FLOPS_PER_TOKEN_EMBEDDING, run.flopsPerTokenEmbedding())
                .append(MetricsSchema.DEVICE_TYPE, run.device().type())
                .append(MetricsSchema.DEVICE_NAME, run.device().name())
                .append(MetricsSchema.DEVICE_COUNT, run.device().count())
                .append(MetricsSchema.PRECISION, run.precision());
    }
}

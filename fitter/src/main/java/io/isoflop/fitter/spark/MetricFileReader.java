package io.isoflop.fitter.spark;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.metrics.AttemptRows;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads what the fit needs from one metric file, column by column: only the columns in {@link MetricFiles#REQUIRED}
 * are fetched and decoded (the file's other columns are never read), and only the evaluation rows and the final
 * summary row are kept; of the other rows just the range of steps each attempt covers. One open per file: the
 * footer that tells whether the file can be read at all is the one the read then uses.
 */
final class MetricFileReader {
    private MetricFileReader() {}

    /**
     * What one file gave: the attempts it holds, or why it was left out.
     *
     * @param problem why the file is left out ({@link MetricFiles#NOT_PARQUET}, a schema problem, a null where a
     *     value is needed); null when it was read
     * @param attempts the (run, attempt) stretches of rows it holds, in file order; empty when left out
     * @param rows the metric rows the file holds (0 when left out)
     */
    record Result(String problem, List<AttemptRows> attempts, long rows) implements Serializable {
        static Result leftOut(String problem) {
            return new Result(problem, List.of(), 0);
        }
    }

    /**
     * Reading options without a Hadoop configuration: the default ones create one per file, which parses Hadoop's
     * XML resources and cost 1.5 ms a file, ten times the read of a 500-row file. New options for each file: their
     * codec factory reuses its decompressors and is not safe to share between threads.
     */
    static ParquetReadOptions plainOptions() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    }

    /** Reads {@code file} with {@code options} ({@link #plainOptions()}, or Hadoop's for a file on a Hadoop filesystem). */
    static Result read(InputFile file, ParquetReadOptions options) {
        try (ParquetFileReader reader = ParquetFileReader.open(file, options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            String problem = MetricFiles.schemaProblem(schema);
            if (problem != null) {
                return Result.leftOut(problem);
            }
            List<Type> columns = new ArrayList<>(MetricFiles.REQUIRED.stream().map(schema::getType).toList());
            if (schema.containsField(MetricsSchema.EPOCHS)) { // passes over the unique data: U_D = tokens / epochs
                columns.add(schema.getType(MetricsSchema.EPOCHS));
            }
            MessageType projection = new MessageType(schema.getName(), columns);
            reader.setRequestedSchema(projection);
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            Attempts attempts = new Attempts();
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                ColumnReadStore store = new ColumnReadStoreImpl(rowGroup,
                        new GroupRecordConverter(projection).getRootConverter(), projection, createdBy);
                new RowGroup(store, projection, rowGroup.getRowCount()).readInto(attempts);
            }
            return new Result(null, attempts.finish(), reader.getRecordCount());
        } catch (NullValueException e) {
            return Result.leftOut(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Result.leftOut(MetricFiles.NOT_PARQUET + " (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    /** One row group's columns, read whole. */
    private static final class RowGroup {
        private final ColumnReadStore store;
        private final MessageType projection;
        private final int rows;

        RowGroup(ColumnReadStore store, MessageType projection, long rows) {
            this.store = store;
            this.projection = projection;
            this.rows = Math.toIntExact(rows);
        }

        void readInto(Attempts attempts) {
            String[] runIds = strings(MetricsSchema.RUN_ID);
            long[] attemptIds = longs(MetricsSchema.ATTEMPT);
            long[] steps = longs(MetricsSchema.STEP);
            boolean[] isFinal = booleans(MetricsSchema.IS_FINAL);
            double[] evalLoss = doubles(MetricsSchema.EVAL_LOSS, true);
            long[] tokens = longs(MetricsSchema.TOKENS);
            double[] flops = doubles(MetricsSchema.FLOPS, false);
            long[] parameters = longs(MetricsSchema.N_PARAMS);
            double[] budgets = doubles(MetricsSchema.BUDGET_FLOPS, false);
            String[] sweeps = strings(MetricsSchema.SWEEP);
            String[] conventions = strings(MetricsSchema.FLOP_CONVENTION);
            double[] epochs = projection.containsField(MetricsSchema.EPOCHS) ? doubles(MetricsSchema.EPOCHS, true)
                    : null;
            for (int i = 0; i < rows; i++) {
                Attempts.Builder attempt = attempts.at(runIds[i], attemptIds[i], sweeps[i], conventions[i],
                        parameters[i], budgets[i]);
                attempt.cover(steps[i]);
                if (isFinal[i] || Double.isFinite(evalLoss[i])) {
                    attempt.keep(steps[i], tokens[i], flops[i], evalLoss[i], isFinal[i]);
                }
                if (isFinal[i] && epochs != null && epochs[i] > 0) {
                    attempt.uniqueTokens(Math.round(tokens[i] / epochs[i]));
                }
            }
        }

        private ColumnReader column(String name) {
            return store.getColumnReader(projection.getColumnDescription(new String[] {name}));
        }

        private long[] longs(String name) {
            ColumnReader reader = column(name);
            int defined = reader.getDescriptor().getMaxDefinitionLevel();
            long[] values = new long[rows];
            for (int i = 0; i < rows; i++) {
                requireValue(reader, defined, name, i);
                values[i] = reader.getLong();
                reader.consume();
            }
            return values;
        }

        private double[] doubles(String name, boolean nullable) {
            ColumnReader reader = column(name);
            int defined = reader.getDescriptor().getMaxDefinitionLevel();
            double[] values = new double[rows];
            for (int i = 0; i < rows; i++) {
                if (reader.getCurrentDefinitionLevel() == defined) {
                    values[i] = reader.getDouble();
                } else if (nullable) {
                    values[i] = Double.NaN;
                } else {
                    throw new NullValueException(name, i);
                }
                reader.consume();
            }
            return values;
        }

        private boolean[] booleans(String name) {
            ColumnReader reader = column(name);
            int defined = reader.getDescriptor().getMaxDefinitionLevel();
            boolean[] values = new boolean[rows];
            for (int i = 0; i < rows; i++) {
                requireValue(reader, defined, name, i);
                values[i] = reader.getBoolean();
                reader.consume();
            }
            return values;
        }

        /** The column's strings, decoded only where a row's value differs from the previous row's. */
        private String[] strings(String name) {
            ColumnReader reader = column(name);
            int defined = reader.getDescriptor().getMaxDefinitionLevel();
            String[] values = new String[rows];
            Binary previous = null;
            String previousString = null;
            for (int i = 0; i < rows; i++) {
                requireValue(reader, defined, name, i);
                Binary value = reader.getBinary();
                if (!value.equals(previous)) {
                    previous = value.copy();
                    previousString = value.toStringUsingUTF8();
                }
                values[i] = previousString;
                reader.consume();
            }
            return values;
        }

        private static void requireValue(ColumnReader reader, int defined, String name, int row) {
            if (reader.getCurrentDefinitionLevel() != defined) {
                throw new NullValueException(name, row);
            }
        }
    }

    /** The attempts of one file, built row by row; consecutive rows of the same run and attempt extend one. */
    private static final class Attempts {
        private final List<Builder> built = new ArrayList<>();
        private Builder current;

        Builder at(String runId, long attempt, String sweep, String convention, long parameters, double budget) {
            if (current == null || current.attempt != attempt || !current.runId.equals(runId)) {
                current = new Builder(runId, attempt, sweep, convention, parameters, budget);
                built.add(current);
            }
            return current;
        }

        List<AttemptRows> finish() {
            return built.stream().map(Builder::build).toList();
        }

        static final class Builder {
            private final String runId;
            private final long attempt;
            private final String sweep;
            private final String convention;
            private final long parameters;
            private final double budget;
            private long firstStep = Long.MAX_VALUE;
            private long lastStep = Long.MIN_VALUE;
            /** U_D from the final row's epochs; 0 when the file does not say. */
            private long uniqueTokens;
            private final List<long[]> kept = new ArrayList<>();
            private final List<double[]> keptValues = new ArrayList<>();

            Builder(String runId, long attempt, String sweep, String convention, long parameters, double budget) {
                this.runId = runId;
                this.attempt = attempt;
                this.sweep = sweep;
                this.convention = convention;
                this.parameters = parameters;
                this.budget = budget;
            }

            void cover(long step) {
                firstStep = Math.min(firstStep, step);
                lastStep = Math.max(lastStep, step);
            }

            void uniqueTokens(long unique) {
                uniqueTokens = unique;
            }

            void keep(long step, long tokens, double flops, double evalLoss, boolean isFinal) {
                kept.add(new long[] {step, tokens, isFinal ? 1 : 0});
                keptValues.add(new double[] {flops, evalLoss});
            }

            AttemptRows build() {
                int n = kept.size();
                long[] steps = new long[n];
                long[] tokens = new long[n];
                double[] flops = new double[n];
                double[] evalLoss = new double[n];
                boolean[] isFinal = new boolean[n];
                for (int i = 0; i < n; i++) {
                    steps[i] = kept.get(i)[0];
                    tokens[i] = kept.get(i)[1];
                    isFinal[i] = kept.get(i)[2] == 1;
                    flops[i] = keptValues.get(i)[0];
                    evalLoss[i] = keptValues.get(i)[1];
                }
                return new AttemptRows(runId, attempt, sweep, convention, parameters, budget, firstStep, lastStep,
                        steps, tokens, flops, evalLoss, isFinal, uniqueTokens);
            }
        }
    }

    /** A null where the fit needs a value: the file is left out, naming the column and row. */
    private static final class NullValueException extends RuntimeException {
        NullValueException(String column, int row) {
            super("another schema: " + column + " is null in row " + row + " of a row group");
        }
    }
}

package io.isoflop.scheduler.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in a budget spec, by the loader or by the planner. The message lists them one per line
 * as {@code <source>: <path>: <message>}.
 */
public final class SpecValidationException extends Exception {
    private final String source;
    private final List<SpecError> errors;

    public SpecValidationException(String source, List<SpecError> errors) {
        super(render(source, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one error");
        }
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    /** Where the spec came from: its file name, or the name given to {@link BudgetSpecLoader#parse}. */
    public String getSource() {
        return source;
    }

    public List<SpecError> getErrors() {
        return errors;
    }

    private static String render(String source, List<SpecError> errors) {
        return errors.stream().map(e -> source + ": " + e).collect(Collectors.joining("\n"));
    }
}

package io.isoflop.fitter.spark;

/**
 * A table of runs ({@code --table}) cannot be fitted: it is missing, of an unknown kind, lacks a column, or holds
 * a value that is not a positive number. The message names the file, and the row and column where there is one.
 */
public final class TableException extends Exception {
    public TableException(String message) {
        super(message);
    }
}

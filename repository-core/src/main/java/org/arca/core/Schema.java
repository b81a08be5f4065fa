package org.arca.core;

/**
 * A module's own tables: its Flyway migrations at {@code location}, versioned in a history table of its own so
 * its numbers never collide with the core's or another module's. A plugin declares one; whoever assembles Arca
 * lists the plugins' schemas in {@link RepositoryConfig#withSchemas}, and {@link Repository#open} migrates them
 * after the core's, in that order, before anything reads them.
 */
public record Schema(String location, String historyTable) {
}

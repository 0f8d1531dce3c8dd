package org.jqmp.qapi.model;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A QAPI {@code 'if'} condition (qapi-code-gen.rst "Configuring the schema"): a configuration symbol, or
 * {@code all}/{@code any}/{@code not} over conditions. {@link Always} stands for "no condition".
 */
public sealed interface Condition {

    /** True when the condition holds for a build in which exactly the symbols {@code defined} accepts are set. */
    boolean holds(Predicate<String> defined);

    /** Whether this is a real condition, as opposed to {@link Always}. */
    default boolean isPresent() {
        return !(this instanceof Always);
    }

    /** No condition: the entity is always there. */
    record Always() implements Condition {
        public static final Always INSTANCE = new Always();

        @Override
        public boolean holds(Predicate<String> defined) {
            return true;
        }

        @Override
        public String toString() {
            return "";
        }
    }

    /** A configuration symbol such as {@code CONFIG_SPICE} or {@code TARGET_S390X}. */
    record Config(String symbol) implements Condition {
        @Override
        public boolean holds(Predicate<String> defined) {
            return defined.test(symbol);
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    /** Every operand holds. */
    record All(List<Condition> operands) implements Condition {
        public All {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean holds(Predicate<String> defined) {
            return operands.stream().allMatch(c -> c.holds(defined));
        }

        @Override
        public String toString() {
            return operands.stream().map(Condition::toString).collect(Collectors.joining(", ", "all(", ")"));
        }
    }

    /** At least one operand holds. */
    record Any(List<Condition> operands) implements Condition {
        public Any {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean holds(Predicate<String> defined) {
            return operands.stream().anyMatch(c -> c.holds(defined));
        }

        @Override
        public String toString() {
            return operands.stream().map(Condition::toString).collect(Collectors.joining(", ", "any(", ")"));
        }
    }

    /** The operand does not hold. */
    record Not(Condition operand) implements Condition {
        @Override
        public boolean holds(Predicate<String> defined) {
            return !operand.holds(defined);
        }

        @Override
        public String toString() {
            return "not(" + operand + ")";
        }
    }
}

package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that an operation is refused with an {@link ArcaException}, as every surface sees refusals. */
public final class ArcaErrors {
    private ArcaErrors() {
    }

    /** The ArcaException {@code call} throws; fails when it throws nothing or something else. */
    public static ArcaException assertArcaError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the refusal").isInstanceOf(ArcaException.class);
        return (ArcaException) thrown;
    }

    /** The ArcaException of {@code kind} that {@code call} throws. */
    public static ArcaException assertArcaError(ThrowingCallable call, ArcaException.Kind kind) {
        ArcaException refusal = assertArcaError(call);
        assertThat(refusal.kind()).as(refusal.code() + ": " + refusal.getMessage()).isEqualTo(kind);
        return refusal;
    }

    /** The ArcaException with the machine-readable {@code code} that {@code call} throws. */
    public static ArcaException assertArcaError(ThrowingCallable call, String code) {
        ArcaException refusal = assertArcaError(call);
        assertThat(refusal.code()).as(refusal.kind() + ": " + refusal.getMessage()).isEqualTo(code);
        return refusal;
    }
}

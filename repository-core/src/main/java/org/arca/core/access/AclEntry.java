package org.arca.core.access;

/** One grant, in the wire form: {@code principal} as {@code user:<login>}, {@code group:<name>}, {@code everyone} or {@code public}. */
public record AclEntry(String principal, AccessLevel level) {
}

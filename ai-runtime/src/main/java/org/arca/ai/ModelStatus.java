package org.arca.ai;

/** Where a model version stands in review. Only {@link #APPROVED} versions run. */
public enum ModelStatus {
    SUBMITTED, APPROVED, REJECTED, WITHDRAWN
}
